import { Analytics } from '@segment/analytics-node';
import Mixpanel from 'mixpanel';
import * as amplitude from '@amplitude/analytics-node';
import { PostHog } from 'posthog-node';
import type { LabResult, Patient } from '@northgate/domain';

const segment = new Analytics({ writeKey: process.env.SEGMENT_WRITE_KEY! });
const mixpanel = Mixpanel.init(process.env.MIXPANEL_TOKEN!, { host: 'api-eu.mixpanel.com' });
const posthog = new PostHog(process.env.POSTHOG_KEY!, { host: 'https://eu.i.posthog.com' });
amplitude.init(process.env.AMPLITUDE_KEY!);

export async function trackResultViewed(userId: string, results: LabResult[]) {
  // ok: health-data-to-third-party
  segment.track({ userId, event: 'Results Viewed', properties: { count: results.length } });
  // ruleid: health-data-to-third-party
  segment.track({ userId, event: 'Results Viewed', properties: { abnormal: results.filter((r) => r.abnormalFlag !== 'N').map((r) => r.analyteName) } });
  for (const r of results) {
    // ruleid: health-data-to-third-party
    amplitude.track('Result Opened', { analyte: r.analyteName, flag: r.abnormalFlag }, { user_id: userId });
  }
  // ok: health-data-to-third-party
  amplitude.track('Results Page', { resultCount: results.length, source: 'portal' }, { user_id: userId });
}

export function identifyPatient(userId: string, patient: Patient) {
  // ruleid: health-data-to-third-party
  segment.identify({ userId, traits: { nhsNumber: patient.nhsNumber, conditions: patient.problems.map((p) => p.description) } });
  // ok: health-data-to-third-party
  segment.identify({ userId, traits: { plan: 'nhs', createdAt: new Date().toISOString() } });
  // ruleid: health-data-to-third-party
  mixpanel.people.set(userId, { $name: `${patient.givenName} ${patient.familyName}`, longTermConditions: patient.problems.length ? patient.problems[0].description : 'none' });
  // ok: health-data-to-third-party
  mixpanel.people.set(userId, { portal_version: '4.2', locale: 'en-GB' });
}

export function symptomCheckerCompleted(userId: string, answers: { symptoms: string[]; durationDays: number; triage: string }) {
  // ruleid: health-data-to-third-party
  posthog.capture({ distinctId: userId, event: 'symptom_checker_completed', properties: { symptoms: answers.symptoms, triage: answers.triage } });
  // ok: health-data-to-third-party
  posthog.capture({ distinctId: userId, event: 'symptom_checker_completed', properties: { steps: answers.symptoms.length } });
}
