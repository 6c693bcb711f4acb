import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { PatientsController, NhsLookupController, StatusController } from './patients/patients.controller';
import { PatientsService } from './patients/patients.service';

@Module({
  imports: [PassportModule.register({ defaultStrategy: 'jwt' })],
  controllers: [PatientsController, NhsLookupController, StatusController],
  providers: [PatientsService],
})
export class AppModule {}
