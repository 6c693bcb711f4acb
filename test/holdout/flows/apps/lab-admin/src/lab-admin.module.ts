import { Module } from '@nestjs/common';
import { InstrumentsController } from './instruments.controller';
import { QcController } from './qc.controller';

@Module({ controllers: [InstrumentsController, QcController] })
export class LabAdminModule {}
