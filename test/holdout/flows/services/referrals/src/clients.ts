import axios from 'axios';
import ky from 'ky';
import { request } from 'undici';
import type { ClinicalNote, LabResult, Patient, TurnaroundStats } from '@northgate/domain';

// Reference laboratory (external processor) for send-away tests
const refLab = axios.create({ baseURL: 'https://api.reflab-partner.example.com/v3', timeout: 10_000 });
// Our own LIS API inside the cluster
const labApi = axios.create({ baseURL: 'http://lab-api:8080' });

export async function referSendAway(patient: Patient, results: LabResult[], note: ClinicalNote) {
  // ruleid: health-data-to-third-party
  await refLab.post('/referrals', { patient: { nhsNumber: patient.nhsNumber, dob: patient.dateOfBirth }, clinicalDetails: note.text, priorResults: results });
  // ok: health-data-to-third-party
  await labApi.post('/referrals/outbound', { patientId: patient.id, results });
  // ok: health-data-to-third-party
  await refLab.get(`/tests/catalogue?code=${encodeURIComponent(results[0].analyteCode)}`);
}

export async function translateConclusion(conclusion: string, lang: string) {
  // ruleid: health-data-to-third-party
  return ky.post('https://api.translate-medical.example.ai/v2/translate', { json: { text: conclusion, target: lang } }).json<{ text: string }>();
}

export async function submitVariants(variants: { gene: string; hgvs: string; zygosity: string }[], patient: Patient) {
  // ruleid: health-data-to-third-party
  await request('https://api.genomics-interpret.example.org/v1/variants', { method: 'POST', body: JSON.stringify({ patientRef: patient.mrn, variants }), headers: { 'content-type': 'application/json' } });
  // ok: health-data-to-third-party
  await request('http://variant-store.genomics.svc.cluster.local:8080/v1/variants', { method: 'POST', body: JSON.stringify({ patientRef: patient.mrn, variants }) });
}

export async function publishTurnaround(stats: TurnaroundStats[]) {
  // ok: health-data-to-third-party
  await axios.post('https://api.benchmarking.example.org/turnaround', { trust: 'RXX', stats: stats.map((s) => ({ department: s.department, median: s.medianMinutes, n: s.count })) });
}

export async function pushToIntegrationEngine(result: LabResult) {
  // ok: health-data-to-third-party
  await fetch('http://10.12.4.20:9000/hl7/oru', { method: 'POST', body: JSON.stringify(result) });
  // any: health-data-to-third-party
  await axios.post(`${process.env.ICE_ENDPOINT}/results`, result);
}
