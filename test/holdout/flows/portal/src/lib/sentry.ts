import * as Sentry from '@sentry/node';
import type { LabResult, Patient } from '@northgate/domain';

Sentry.init({ dsn: process.env.SENTRY_DSN, sendDefaultPii: false, tracesSampleRate: 0.1 });

export function sentryScopeFor(patient: Patient, userId: string) {
  // ruleid: health-data-to-third-party
  Sentry.setUser({ id: userId, username: patient.nhsNumber });
  // ok: health-data-to-third-party
  Sentry.setUser({ id: userId });
  // ok: health-data-to-third-party
  Sentry.setTag('module', 'results');
}

export function reportUnexpectedFlag(result: LabResult, err: Error) {
  // ruleid: health-data-to-third-party
  Sentry.setExtra('result', result);
  // ruleid: health-data-to-third-party
  Sentry.captureMessage(`Unexpected flag ${result.abnormalFlag} for ${result.analyteName} = ${result.value}`);
  // ok: health-data-to-third-party
  Sentry.captureMessage(`Unexpected flag on result ${result.id}`, 'warning');
  // ok: health-data-to-third-party
  Sentry.captureException(err, { tags: { accessionNumber: result.accessionNumber } });
}
