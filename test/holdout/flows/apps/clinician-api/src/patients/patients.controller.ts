import { BadRequestException, Body, Controller, Get, Param, Post } from '@nestjs/common';
import { IsOptional, IsString } from 'class-validator';
import { AllowAnonymous, SkipAuth } from '../auth/jwt-auth.guard';
import { PatientsService } from './patients.service';

export class CodeProblemDto {
  @IsString() description: string;
  @IsOptional() @IsString() snomedCode?: string;
}

@Controller('patients')
export class PatientsController {
  constructor(private readonly patients: PatientsService) {}

  // ok: unauthenticated-route
  @Get(':id')
  findOne(@Param('id') id: string) {
    return this.patients.findOne(id);
  }

  // ok: unauthenticated-route
  @Get(':id/results')
  results(@Param('id') id: string) {
    return this.patients.results(id);
  }

  // Embedded in the discharge letter as an iframe
  // ruleid: unauthenticated-route
  @Get(':id/discharge-summary')
  @AllowAnonymous()
  dischargeSummary(@Param('id') id: string) {
    return this.patients.dischargeSummary(id);
  }

  // ok: unauthenticated-route
  @Post(':id/problems')
  addProblem(@Param('id') id: string, @Body() dto: CodeProblemDto) {
    if (!dto.snomedCode) {
      // ruleid: health-data-in-logs
      throw new BadRequestException(`Problem "${dto.description}" has no SNOMED CT code`);
    }
    // ok: health-data-in-logs
    if (!/^\d{6,18}$/.test(dto.snomedCode)) throw new BadRequestException(`Malformed SNOMED CT code for patient ${id}`);
    return this.patients.addProblem(id, dto);
  }
}

@SkipAuth()
// any: unauthenticated-route
@Controller('nhs-lookup')
export class NhsLookupController {
  constructor(private readonly patients: PatientsService) {}

  // ruleid: unauthenticated-route
  @Get(':nhsNumber')
  byNhsNumber(@Param('nhsNumber') nhsNumber: string) {
    return this.patients.findByNhsNumber(nhsNumber);
  }

  // ruleid: unauthenticated-route
  @Get(':nhsNumber/allergies')
  allergies(@Param('nhsNumber') nhsNumber: string) {
    return this.patients.allergiesByNhsNumber(nhsNumber);
  }
}

@Controller('status')
export class StatusController {
  // ok: unauthenticated-route
  @Get()
  @AllowAnonymous()
  status() {
    return { status: 'ok', version: process.env.APP_VERSION };
  }
}
