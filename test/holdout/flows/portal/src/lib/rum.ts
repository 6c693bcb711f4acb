'use client';
import { datadogRum } from '@datadog/browser-rum';
import type { LabResult, Patient } from '@northgate/domain';

datadogRum.init({ applicationId: process.env.NEXT_PUBLIC_DD_APP_ID!, clientToken: process.env.NEXT_PUBLIC_DD_CLIENT_TOKEN!, site: 'datadoghq.eu', service: 'patient-portal' });

export function rumIdentify(userId: string, patient: Patient, pregnant: boolean) {
  // ruleid: health-data-to-third-party
  datadogRum.setUser({ id: userId, name: `${patient.givenName} ${patient.familyName}`, pregnancy: pregnant });
  // ok: health-data-to-third-party
  datadogRum.setUser({ id: userId });
}

export function rumResultOpened(result: LabResult) {
  // ruleid: health-data-to-third-party
  datadogRum.addAction('result_opened', { result });
  // ok: health-data-to-third-party
  datadogRum.addAction('result_opened', { resultId: result.id });
}
