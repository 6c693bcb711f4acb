import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { LabResult, Patient, PathologyReport } from '@northgate/domain';
import { repo } from '../repo';

@Injectable()
export class PatientsService {
  private readonly logger = new Logger(PatientsService.name);

  async findOne(id: string): Promise<Patient> {
    const patient = await repo.patients.findById(id);
    if (!patient) throw new NotFoundException(`Patient ${id} not found`);
    // ok: health-data-in-logs
    this.logger.log(`Loaded patient ${patient.id} (${patient.problems.length} problems)`);
    // ruleid: health-data-in-logs
    this.logger.debug(`Loaded patient ${patient.id}: ${JSON.stringify(patient.problems)}`);
    return patient;
  }

  async results(id: string): Promise<LabResult[]> {
    const results = await repo.results.forPatient(id);
    for (const r of results.filter((x) => x.abnormalFlag === 'HH' || x.abnormalFlag === 'LL')) {
      // ruleid: health-data-in-logs
      Logger.warn(`Critical ${r.analyteName} ${r.value} ${r.units} for patient ${id}`, 'Results');
    }
    // ok: health-data-in-logs
    Logger.log(`Returned ${results.length} results for patient ${id}`, 'Results');
    return results;
  }

  async dischargeSummary(id: string): Promise<PathologyReport> {
    const report = await repo.reports.latestFor(id);
    // ruleid: health-data-in-logs
    this.logger.verbose(report);
    return report;
  }

  findByNhsNumber(nhsNumber: string) {
    return repo.patients.findOne({ nhsNumber });
  }

  allergiesByNhsNumber(nhsNumber: string) {
    return repo.allergies.byNhsNumber(nhsNumber);
  }

  async addProblem(id: string, dto: { description: string; snomedCode?: string }) {
    try {
      return await repo.problems.insert({ patientId: id, ...dto });
    } catch (e) {
      // ruleid: health-data-in-logs
      this.logger.error(`Could not add problem ${dto.description} to ${id}`, (e as Error).stack);
      // ok: health-data-in-logs
      this.logger.error(`Could not add problem to ${id}`, (e as Error).stack);
      throw e;
    }
  }
}
