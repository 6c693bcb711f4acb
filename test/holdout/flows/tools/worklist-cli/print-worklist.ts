#!/usr/bin/env node
import log from 'loglevel';
import signale from 'signale';
import type { LabResult, PathologyReport } from '@northgate/domain';
import { fetchWorklist, fetchReport } from './api';

log.setLevel(process.env.DEBUG ? 'debug' : 'info');

export async function printWorklist(bench: string) {
  const results: LabResult[] = await fetchWorklist(bench);
  // ok: health-data-in-logs
  log.info('worklist for %s: %d results', bench, results.length);
  // ruleid: health-data-in-logs
  console.table(results);
  // ok: health-data-in-logs
  console.table(results.map((r) => ({ id: r.id, accession: r.accessionNumber, status: r.abnormalFlag === 'N' ? 'auto-verify' : 'review' })));
  for (const r of results.filter((x) => x.comment)) {
    // ruleid: health-data-in-logs
    signale.warn(`comment on ${r.accessionNumber}: ${r.comment}`);
  }
}

export async function printReport(id: string) {
  const report: PathologyReport = await fetchReport(id);
  // ok: health-data-in-logs
  signale.success(`report ${report.id} fetched (${report.status})`);
  // ruleid: health-data-in-logs
  signale.note(`Conclusion: ${report.conclusion}`);
  // ruleid: health-data-in-logs
  log.debug(JSON.stringify(report, null, 2));
  // ruleid: health-data-in-logs
  console.dir(report.results, { depth: null });
  // ok: health-data-in-logs
  console.error(`printed report ${report.id} in ${Date.now() - Number(process.env.START_MS)} ms`);
}
