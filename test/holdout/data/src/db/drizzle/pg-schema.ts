import { boolean, customType, integer, jsonb, pgTable, serial, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { decrypt, encrypt } from '../../services/crypto';

/** Column type that stores AES-GCM ciphertext produced by the app's envelope key. */
const encryptedText = customType<{ data: string; driverData: string }>({
  dataType() {
    return 'text';
  },
  toDriver(value: string): string {
    return encrypt(value);
  },
  fromDriver(value: string): string {
    return decrypt(value);
  },
});

export const clinicVisits = pgTable('clinic_visits', {
  id: uuid('id').primaryKey().defaultRandom(),
  patientId: uuid('patient_id').notNull(),
  // ok: plaintext-health-data
  clinicianId: integer('clinician_id').notNull(),
  // ruleid: plaintext-health-data
  chiefComplaint: text('chief_complaint'),
  // ruleid: plaintext-health-data
  patientDiagnosis: varchar('patient_diagnosis', { length: 400 }),
  // ruleid: plaintext-health-data
  currentMedications: jsonb('current_medications').$type<string[]>(),
  // ok: plaintext-health-data
  psychiatricNotes: encryptedText('psychiatric_notes'),
  // ok: plaintext-health-data
  visitStatus: varchar('visit_status', { length: 16 }).default('booked'),
  // ok: plaintext-health-data
  reportUrl: text('report_url'),
  startedAt: timestamp('started_at', { withTimezone: true }).defaultNow(),
});

export const immunisations = pgTable('immunisations', {
  id: serial('id').primaryKey(),
  patientId: uuid('patient_id').notNull(),
  // ruleid: plaintext-health-data
  vaccineGiven: varchar('vaccine_given', { length: 80 }),
  // ok: plaintext-health-data
  batchNumber: varchar('batch_number', { length: 20 }),
  // ruleid: plaintext-health-data
  adverseReaction: boolean('adverse_reaction').default(false),
  givenAt: timestamp('given_at'),
});

export const appSettings = pgTable('app_settings', {
  // ok: plaintext-health-data
  key: varchar('key', { length: 64 }).primaryKey(),
  // ok: plaintext-health-data
  value: text('value').notNull(),
});
