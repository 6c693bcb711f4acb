/** Shared domain model of the Northgate Pathology EHR (St Brigid's Hospitals NHS Trust, fictional). */

export type AbnormalFlag = 'N' | 'L' | 'H' | 'LL' | 'HH' | 'A';

export interface Patient {
  id: string;
  mrn: string;
  nhsNumber: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  mobile?: string;
  email?: string;
  problems: Problem[];
}

export interface Problem {
  code: string; // SNOMED CT
  description: string;
  onset?: string;
}

export interface LabResult {
  id: string;
  accessionNumber: string;
  analyteCode: string; // LOINC
  analyteName: string;
  value: string;
  units: string;
  referenceRange: string;
  abnormalFlag: AbnormalFlag;
  comment?: string;
}

export interface PathologyReport {
  id: string;
  patientId: string;
  status: 'preliminary' | 'final' | 'amended';
  conclusion: string;
  results: LabResult[];
  authorisedBy: string;
}

export interface ClinicalNote {
  id: string;
  patientId: string;
  author: string;
  text: string;
}

export interface SpecimenStatus {
  barcode: string;
  status: 'collected' | 'in-transit' | 'received' | 'reported';
  updatedAt: string;
}

export interface TurnaroundStats {
  department: string;
  medianMinutes: number;
  count: number;
}
