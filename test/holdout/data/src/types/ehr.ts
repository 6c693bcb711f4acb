// Shared types of the patient portal (compile-time only: nothing here is stored).

export interface LabResult {
  id: string;
  loincCode: string;
  displayName: string;
  // ok: plaintext-health-data
  resultValue: string;
  units: string | null;
  // ok: plaintext-health-data
  abnormalFlag: 'H' | 'L' | 'N' | null;
  resultedAt: string;
}

export interface PatientSummary {
  id: string;
  givenName: string;
  // ok: plaintext-health-data
  nhsNumber: string;
  // ok: plaintext-health-data
  activeProblems: string[];
  // ok: plaintext-health-data
  medications: string[];
}

export interface DisplayPrefs {
  theme: 'light' | 'dark';
  fontScale: number;
  resultsPerPage: number;
}

export interface UploadStatus {
  reportUrl: string;
  resultCount: number;
  state: 'queued' | 'done';
}
