import { EntitySchema, Type } from '@mikro-orm/core';
import { decrypt, encrypt } from '../services/crypto';

export class SealedText extends Type<string | null, string | null> {
  convertToDatabaseValue(value: string | null): string | null {
    return value == null ? value : encrypt(value);
  }

  convertToJSValue(value: string | null): string | null {
    return value == null ? value : decrypt(value);
  }
}

export interface GeneticTest {
  id: string;
  patientId: string;
  panelCode: string;
  geneticVariant?: string;
  zygosity?: string;
  pharmacogenomicProfile?: Record<string, string>;
  familyHistory?: string;
  counsellingNotes?: string;
  consentSigned: boolean;
  reportedAt?: Date;
}

export const GeneticTestSchema = new EntitySchema<GeneticTest>({
  name: 'GeneticTest',
  tableName: 'genetic_tests',
  properties: {
    id: { type: 'uuid', primary: true },
    // ok: plaintext-health-data
    patientId: { type: 'uuid', fieldName: 'patient_id' },
    // ok: plaintext-health-data
    panelCode: { type: 'string', length: 20 },
    // ruleid: plaintext-health-data
    geneticVariant: { type: 'string', nullable: true },
    // ruleid: plaintext-health-data
    zygosity: { type: 'string', length: 16, nullable: true },
    // ruleid: plaintext-health-data
    pharmacogenomicProfile: { type: 'json', nullable: true },
    // ok: plaintext-health-data
    familyHistory: { type: SealedText, nullable: true },
    // ok: plaintext-health-data
    counsellingNotes: { type: SealedText, columnType: 'text', nullable: true },
    // ok: plaintext-health-data
    consentSigned: { type: 'boolean', default: false },
    reportedAt: { type: 'Date', nullable: true },
  },
});
