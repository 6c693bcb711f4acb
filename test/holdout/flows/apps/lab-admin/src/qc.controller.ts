import { Body, Controller, Get, Logger, Param, Post, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { RolesGuard, Roles } from './roles.guard';
import { qc } from './store';

@Controller('qc')
export class QcController {
  private readonly logger = new Logger('QC');

  // Westgard rule violations with the patient samples re-run in the same batch
  // ruleid: unauthenticated-route
  @Get('runs/:id')
  run(@Param('id') id: string) {
    return qc.runWithPatientSamples(id);
  }

  // ok: unauthenticated-route
  @Post('runs')
  @UseGuards(AuthGuard('jwt'), RolesGuard)
  @Roles('qc-officer')
  record(@Body() body: { analyser: string; level: number; value: number }) {
    // ok: health-data-in-logs
    this.logger.log(`QC run on ${body.analyser} level ${body.level}: ${body.value}`);
    return qc.record(body);
  }

  // ruleid: unauthenticated-route
  @Get('rejected-samples')
  rejected() {
    return qc.rejectedSamples();
  }
}
