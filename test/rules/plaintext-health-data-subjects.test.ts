import { describe, expect, it } from 'vitest';
import { classifierFor } from '../../server/src/engine/index.js';
import { covered, findingsOf, testConfig } from '../helpers.js';

const RULE = 'plaintext-health-data';

/** `file: covered text` of every finding, sorted by file and position. */
function flagged(files: Record<string, string>): string[] {
  return findingsOf(RULE, files)
    .sort((a, b) => a.file.localeCompare(b.file) || a.range.start - b.range.start)
    .map((f) => `${f.file}: ${covered(files[f.file]!, f)}`);
}

function messageOf(files: Record<string, string>, text: string): string {
  const f = findingsOf(RULE, files).find((x) => covered(files[x.file]!, x) === text);
  expect(f, `no finding on ${text}`).toBeDefined();
  return f!.message;
}

describe(`${RULE}: a health datum is about a person (the subject link)`, () => {
  it.each([
    {
      name: 'a catalogue of pathologies next to the table that links a user to one: the link is reported, the catalogue is not',
      files: {
        'db/schema.sql': `CREATE TABLE users (id INT PRIMARY KEY, first_name TEXT, last_name TEXT);
CREATE TABLE pathology (id INT PRIMARY KEY, name TEXT, description TEXT);
CREATE TABLE user_pathologies (user_id INT REFERENCES users (id), pathology_id INT REFERENCES pathology (id));`,
      },
      found: ['db/schema.sql: pathology_id'],
    },
    {
      name: 'a Prisma drug list and a vaccine schedule stay silent; the prescription and the immunisation of a patient are reported',
      files: {
        'prisma/schema.prisma': `model Patient {
  id String @id
  prescriptions Prescription[]
}
model Drug {
  id String @id
  name String
  maxDosePerKg Float
}
model VaccineSchedule {
  id String @id
  vaccineName String
  dosesRequired Int
}
model Prescription {
  id String @id
  patient Patient @relation(fields: [patientId], references: [id])
  patientId String
  dosage String
}
model Immunization {
  id String @id
  patientId String
  vaccine String
}`,
      },
      found: ['prisma/schema.prisma: dosage', 'prisma/schema.prisma: vaccine'],
    },
    {
      name: 'rows linked through a visit: vital signs of an encounter of a patient',
      files: {
        'db/schema.sql': `CREATE TABLE patients (id UUID PRIMARY KEY, family_name TEXT);
CREATE TABLE encounters (id UUID PRIMARY KEY, patient_id UUID REFERENCES patients (id));
CREATE TABLE vitals (id UUID PRIMARY KEY, encounter_id UUID REFERENCES encounters (id), heart_rate INT, recorded_by_id INT);`,
      },
      found: ['db/schema.sql: heart_rate'],
    },
    {
      name: 'a reference table whose only person link names who created it is not about that person',
      files: {
        'db/schema.sql': `CREATE TABLE users (id INT PRIMARY KEY, first_name TEXT, last_name TEXT);
CREATE TABLE allergy_list (id INT PRIMARY KEY, allergen TEXT, created_by_user_id INT REFERENCES users (id));`,
      },
      found: [],
    },
    {
      name: 'a Mongo document held by a patient: its blood group and genotype are reported',
      files: {
        'models/patient.js': `const mongoose = require('mongoose');
const Patient = mongoose.model('Patient', new mongoose.Schema({ name: String, medicalInfo: { type: mongoose.Schema.Types.ObjectId, ref: 'MedicalInfo' } }));
const MedicalInfo = mongoose.model('MedicalInfo', new mongoose.Schema({ bloodGroup: String, genotype: String }));
module.exports = { Patient, MedicalInfo };`,
      },
      found: ['models/patient.js: bloodGroup', 'models/patient.js: genotype'],
    },
    {
      name: 'a sub-document of a person: each of its special fields is reported where it is written',
      files: {
        'models/user.js': `const { Schema, model } = require('mongoose');
module.exports = model('User', new Schema({ email: String, lastName: String, health: { bloodGroup: String, weight: String, allergies: String } }));`,
      },
      found: ['models/user.js: bloodGroup', 'models/user.js: allergies'],
    },
    {
      name: "a staff user's notification preferences are choices, not treatments or results",
      files: {
        'models/user.js': `const { Schema, model } = require('mongoose');
module.exports = model('User', new Schema({ email: String, lastName: String, notificationPreferences: { medicationOrders: { type: Boolean, default: true }, labResults: { type: Boolean, default: true } }, health: { allergies: String } }));`,
      },
      found: ['models/user.js: allergies'],
    },
    {
      name: 'a prescription made by a prescriber and listed by a join table: an act of care, reported',
      files: {
        'db/schema.sql': `CREATE TABLE users (id INT PRIMARY KEY, display_name TEXT);
CREATE TABLE prescriptions (id INT PRIMARY KEY, prescriber_id INT REFERENCES users (id), dose_amount NUMERIC, notes TEXT);`,
      },
      found: ['db/schema.sql: dose_amount', 'db/schema.sql: notes'],
    },
    {
      name: "a result keyed by the barcode of a sample (a person's record the project does not declare)",
      files: { 'db/cache.sql': 'CREATE TABLE serology (barcode TEXT PRIMARY KEY, hiv_status TEXT, tested_on TEXT);' },
      found: ['db/cache.sql: hiv_status'],
    },
    {
      name: 'a table named as an act of care, dated, with no key: presumed about a patient; a schedule is not',
      files: {
        'db/orders.sql': `CREATE TABLE medication_orders (id INT PRIMARY KEY, drug_name TEXT, dosage TEXT, ordered_at TIMESTAMPTZ);
CREATE TABLE vaccination_schedule (id INT PRIMARY KEY, vaccine_name TEXT, dosage TEXT, due_at_weeks INT);`,
      },
      found: ['db/orders.sql: drug_name', 'db/orders.sql: dosage'],
    },
  ])('$name', ({ files, found }) => {
    expect(flagged(files)).toEqual(found);
  });

  it('names the person the row is about, not a relative it also names, nor who acted on it', () => {
    const files = {
      'db/schema.sql': `CREATE TABLE users (id INT PRIMARY KEY, display_name TEXT);
CREATE TABLE patient_additional_data (id INT, mother_id INT, patient_id INT, blood_type TEXT);
CREATE TABLE dose_pauses (id INT, action_user_id INT REFERENCES users (id), patient_id INT, notes_prescription TEXT);`,
    };
    expect(messageOf(files, 'blood_type')).toContain('each row is about the person in patient_id');
  });

  it('names the link it used in the message, and gives the severity of the data', () => {
    const files = {
      'db/schema.sql': `CREATE TABLE patients (id UUID PRIMARY KEY, family_name TEXT, blood_group TEXT);
CREATE TABLE encounters (id UUID PRIMARY KEY, patient_id UUID REFERENCES patients (id), diagnosis TEXT);
CREATE TABLE vitals (id UUID PRIMARY KEY, encounter_id UUID REFERENCES encounters (id), heart_rate INT);`,
    };
    expect(messageOf(files, 'blood_group')).toContain('each row is a person (patients)');
    expect(messageOf(files, 'diagnosis')).toContain('each row is about the person in patient_id');
    expect(messageOf(files, 'heart_rate')).toContain(
      'each row is about a person through encounter_id -> encounters (patient_id)',
    );
    const severity = Object.fromEntries(findingsOf(RULE, files).map((f) => [covered(files[f.file]!, f), f.severity]));
    expect(severity).toEqual({ blood_group: 'error', diagnosis: 'error', heart_rate: 'warning' });
  });
});

describe(`${RULE}: one finding per column, where it is defined now`, () => {
  it.each([
    {
      name: 'a column created, then dropped by a later migration: nothing stored any more',
      files: {
        'db/migrations/V1__results.sql':
          'CREATE TABLE lab_results (id INT, patient_id INT, result_value TEXT, interpretation TEXT);',
        'db/migrations/V2__drop.sql': 'ALTER TABLE lab_results DROP COLUMN result_value;',
      },
      found: ['db/migrations/V1__results.sql: interpretation'],
    },
    {
      name: 'a table created again by a later migration: only the latest definition (v10 runs after v2)',
      files: {
        'db/migrations/v2.sql': 'CREATE TABLE IF NOT EXISTS notes (id INT, patient_id INT, diagnosis TEXT);',
        'db/migrations/v10.sql':
          'DROP TABLE notes;\nCREATE TABLE notes (id INT, patient_id INT, diagnosis TEXT, treatment TEXT);',
      },
      found: ['db/migrations/v10.sql: diagnosis', 'db/migrations/v10.sql: treatment'],
    },
    {
      name: "Prisma migrations are the Prisma schema's history: the schema is reported, a table it dropped is not",
      files: {
        'prisma/schema.prisma': 'model Visit {\n  id String @id\n  patientId String\n  symptoms String\n}',
        'prisma/migrations/20240101000000_init/migration.sql':
          'CREATE TABLE "Visit" ("id" TEXT, "patientId" TEXT, "symptoms" TEXT, "diagnosis" TEXT);\nCREATE TABLE "patients" ("id" TEXT, "allergies" TEXT);',
      },
      found: ['prisma/schema.prisma: symptoms'],
    },
    {
      name: 'a database dump mirrors a Sequelize model: the model is reported',
      files: {
        'src/models/Death.js': `class DeathRecord extends Model {
  static initModel(options) {
    super.init({ wasPregnant: DataTypes.STRING }, { ...options, tableName: 'death_records' });
  }
  static initRelations(models) {
    this.belongsTo(models.Patient, { foreignKey: 'patientId' });
  }
}`,
        'src/models/Patient.js':
          "class Patient extends Model { static initModel(options) { super.init({ lastName: DataTypes.STRING }, { ...options, tableName: 'patients' }); } }",
        'db/migrations/000_baseline.sql':
          '--\n-- PostgreSQL database dump\n--\n-- Dumped from database version 14\nCREATE TABLE public.death_records (id uuid, patient_id uuid, was_pregnant text);',
      },
      found: ['src/models/Death.js: wasPregnant'],
    },
    {
      name: 'a migration generated by TypeORM from an entity: the entity is reported',
      files: {
        'src/visit.entity.ts':
          "@Entity('VISITS') export class Visit { @Column({ name: 'PATIENT_ID' }) patientId: string; @Column({ name: 'SYMPTOMS' }) symptoms: string; }",
        'src/migrations/1700000000000-init.ts': `export class Init1700000000000 implements MigrationInterface {
  async up(q: QueryRunner) {
    await q.query(\`CREATE TABLE "VISITS" ("PATIENT_ID" varchar, "SYMPTOMS" varchar, CONSTRAINT "PK_0123456789abcdef0123456789" PRIMARY KEY ("PATIENT_ID"))\`);
  }
}`,
      },
      found: ['src/visit.entity.ts: symptoms'],
    },
    {
      name: 'a hand-written migration and the entity that maps it are both where the column is decided',
      files: {
        'src/visit.entity.ts':
          "@Entity('visits') export class Visit { @Column({ name: 'patient_id' }) patientId: string; @Column() symptoms: string; }",
        'db/V1__visits.sql': 'CREATE TABLE visits (patient_id TEXT, symptoms TEXT);',
      },
      found: ['db/V1__visits.sql: symptoms', 'src/visit.entity.ts: symptoms'],
    },
    {
      name: 'the same table name in two databases (a MySQL legacy script, the PostgreSQL schema) is two tables',
      files: {
        'db/mysql/legacy.sql': 'CREATE TABLE patients (id INT, surname TEXT, blood_type CHAR(3));',
        'db/postgres/schema.sql': 'CREATE TABLE patients (id UUID, surname TEXT, blood_type CHAR(3));',
      },
      found: ['db/mysql/legacy.sql: blood_type', 'db/postgres/schema.sql: blood_type'],
    },
  ])('$name', ({ files, found }) => {
    expect(flagged(files)).toEqual(found);
  });
});

describe(`${RULE}: derived copies are reported through their base storage`, () => {
  it("a FHIR server's resource table: the resource document once; its version table, token table and search columns not; a product catalogue not", () => {
    const files = {
      'src/migrations/v1.ts': `export async function run(client) {
  await client.query(\`CREATE TABLE IF NOT EXISTS "Observation" ("id" UUID, "content" TEXT NOT NULL, "subject" TEXT, "code" TEXT, "valueQuantity" TEXT, "interpretation" TEXT)\`);
  await client.query(\`CREATE TABLE IF NOT EXISTS "Observation_History" ("versionId" UUID, "id" UUID, "content" TEXT NOT NULL, "lastUpdated" TIMESTAMPTZ)\`);
  await client.query(\`CREATE TABLE IF NOT EXISTS "Observation_Token" ("resourceId" UUID, "code" TEXT, "system" TEXT, "value" TEXT)\`);
  await client.query(\`CREATE TABLE IF NOT EXISTS "Medication" ("id" UUID, "content" TEXT NOT NULL, "code" TEXT, "form" TEXT)\`);
}`,
    };
    expect(flagged(files)).toEqual(['src/migrations/v1.ts: "content"']);
    expect(messageOf(files, '"content"')).toContain('subject (FHIR reference to the patient)');
  });

  it('views, materialised views and Prisma views are not storage', () => {
    const files = {
      'db/schema.sql': `CREATE TABLE diagnoses (id INT, patient_id INT, diagnosis TEXT);
CREATE VIEW v_diagnoses (patient_id, diagnosis) AS SELECT patient_id, diagnosis FROM diagnoses;
CREATE MATERIALIZED VIEW mv_diagnoses AS SELECT patient_id, diagnosis FROM diagnoses;`,
      'prisma/schema/view.prisma': 'view PatientOverview {\n  patientId String @unique\n  allergies String?\n}',
    };
    expect(flagged(files)).toEqual(['db/schema.sql: diagnosis']);
  });

  it('a `_history` table that is not a copy of another table is medical history: reported', () => {
    const files = {
      'db/schema.sql': `CREATE TABLE patients (id INT, family_name TEXT);
CREATE TABLE patients_history (version_id INT, id INT, family_name TEXT, valid_from TIMESTAMPTZ);
CREATE TABLE medical_history (id INT, patient_id INT, condition_text TEXT, diagnosis TEXT);`,
    };
    expect(flagged(files)).toEqual(['db/schema.sql: condition_text', 'db/schema.sql: diagnosis']);
  });
});

describe(`${RULE}: words in context`, () => {
  it.each([
    ['TREATMENT_NOT_FOUND', undefined],
    ['INVALID_DIAGNOSIS_CODE', undefined],
    ['HIV_STATUS', 'health-condition'],
    ['OperationOutcome', undefined],
    ['checkRunConclusion', undefined],
    ['systemDiagnostics', undefined],
    ['diagnosis', 'health-condition'],
  ])('%s -> %s', (id, expected) => {
    const c = classifierFor(testConfig()).classify(id);
    expect(c?.special ? c.category : undefined, c?.why).toBe(expected);
  });

  it('a value is a lab value in a results table, not in a table special only by that same word', () => {
    const files = {
      'db/schema.sql': `CREATE TABLE patients (id INT, family_name TEXT);
CREATE TABLE patient_field_values (id INT, patient_id INT, value TEXT);
CREATE TABLE lab_results (id INT, patient_id INT, value TEXT);`,
    };
    expect(flagged(files)).toEqual(['db/schema.sql: value']);
    expect(findingsOf(RULE, files)[0]!.message).toContain('lab_results');
  });

  it("a result is a lab result in a patient's lab test, not in a CI run", () => {
    const files = {
      'prisma/schema.prisma': `model MedicalRecord {
  id String @id
  patientId String
  tests LabTest[]
}
model LabTest {
  id String @id
  record MedicalRecord @relation(fields: [recordId], references: [id])
  recordId String
  result String
}
model CheckRun {
  id String @id
  ownerId String
  result String
  conclusion String
}`,
    };
    expect(flagged(files)).toEqual(['prisma/schema.prisma: result']);
    expect(messageOf(files, 'result')).toContain('"LabTest" (a patient\'s lab test)');
  });
});

describe(`${RULE}: flags about a test or a treatment`, () => {
  it('a yes/no column says that there is a specimen or a variable dose, not what it is; a pregnancy flag is a condition', () => {
    const files = {
      'src/models/LabRequest.js': `class LabRequest extends Model {
  static initModel(options) {
    super.init({ encounterId: DataTypes.STRING, specimenAttached: DataTypes.BOOLEAN, isVariableDose: DataTypes.BOOLEAN, wasPregnant: DataTypes.BOOLEAN, specimenType: DataTypes.STRING, medicationName: DataTypes.STRING }, { ...options, tableName: 'lab_requests' });
  }
}`,
      'src/models/Encounter.js':
        "class Encounter extends Model { static initModel(options) { super.init({ patientId: DataTypes.STRING }, { ...options, tableName: 'encounters' }); } }",
    };
    expect(flagged(files)).toEqual([
      'src/models/LabRequest.js: wasPregnant',
      'src/models/LabRequest.js: medicationName',
    ]);
  });
});

describe(`${RULE}: writes`, () => {
  it("a write into a catalogue is not a person's data; into a person's table it is, nested Prisma writes included", () => {
    const files = {
      'prisma/schema.prisma': `model Patient {
  id String @id
  records MedicalRecord[]
}
model MedicalRecord {
  id String @id
  patient Patient @relation(fields: [patientId], references: [id])
  patientId String
  diagnosis String
}
model Allergy {
  id String @id
  name String
  description String
}`,
      'src/write.ts': `export async function save(d: string, x: string) {
  await prisma.allergy.create({ data: { name: x, description: d } });
  await prisma.patient.create({ data: { records: { create: { diagnosis: d } } } });
  await prisma.medicalRecord.update({ where: { id: x }, data: { diagnosis: d } });
}`,
    };
    expect(flagged(files).filter((f) => f.startsWith('src/'))).toEqual([
      'src/write.ts: diagnosis',
      'src/write.ts: diagnosis',
    ]);
  });

  it("a migration that fills a reference table with fixed rows stores no one's data", () => {
    const files = {
      'db/migrations/V3__pathologies.sql': `CREATE TABLE pathology (id INT PRIMARY KEY, name TEXT, description TEXT);
INSERT INTO pathology (id, name, description) VALUES (1, 'Diabetes', 'Chronic high blood glucose');`,
    };
    expect(flagged(files)).toEqual([]);
  });

  it('new Schema(...) declares a schema; it writes nothing', () => {
    const files = {
      'models/consult.js': `const mongoose = require('mongoose');
const ConsultSchema = new mongoose.Schema([{ date: Date }, { diagnosis: String }, { patient: { type: mongoose.Schema.Types.ObjectId, ref: 'Patient' } }]);
module.exports = mongoose.model('Consult', ConsultSchema);`,
    };
    const findings = findingsOf(RULE, files);
    expect(findings.map((f) => [covered(files[f.file]!, f), f.message.split(':')[0]])).toEqual([
      ['diagnosis', 'Health data stored in plaintext'],
    ]);
  });
});

describe(`${RULE}: values typed by assertion, storage functions however imported`, () => {
  const types = { 'src/types.ts': 'export interface LabResult { id: string; valeur: string; interpretation: string }' };
  it.each([
    {
      name: 'a value asserted as a lab result on its way to localStorage',
      code: `export function keep(payload: unknown) { localStorage.setItem('r', JSON.stringify(payload as LabResult)); }`,
      found: ['JSON.stringify(payload as LabResult)'],
    },
    {
      name: 'the old angle-bracket assertion',
      code: `export function keep(payload: unknown) { localStorage.setItem('r', JSON.stringify(<LabResult>payload)); }`,
      found: ['JSON.stringify(<LabResult>payload)'],
    },
    {
      name: 'a local initialised by an assertion',
      code: `export function keep(payload: unknown) { const r = payload as LabResult; localStorage.setItem('r', JSON.stringify(r)); }`,
      found: ['JSON.stringify(r)'],
    },
    {
      name: 'idb-keyval set imported under another name',
      code: `import { set as idbSet } from 'idb-keyval';\nexport async function keep(r: LabResult) { await idbSet('r', r); }`,
      found: ['r'],
    },
    {
      name: 'idb-keyval set called on its namespace',
      code: `import * as idb from 'idb-keyval';\nexport async function keep(r: LabResult) { await idb.set('r', r); }`,
      found: ['r'],
    },
    {
      name: 'writeFileSync destructured from require',
      code: `const { writeFileSync } = require('fs');\nexport function keep(r: LabResult) { writeFileSync('/tmp/r.json', JSON.stringify(r)); }`,
      found: ['JSON.stringify(r)'],
    },
    {
      name: 'fs/promises as a namespace',
      code: `import * as fsp from 'node:fs/promises';\nexport async function keep(r: LabResult) { await fsp.writeFile('/tmp/r.json', JSON.stringify(r)); }`,
      found: ['JSON.stringify(r)'],
    },
    {
      name: 'a set function of another package is not storage',
      code: `import { set } from 'lodash';\nexport function keep(r: LabResult, o: object) { set(o, 'r', r); }`,
      found: [],
    },
    {
      name: 'an assertion to a type without health data does not make the value health data',
      code: `interface Prefs { theme: string }\nexport function keep(payload: unknown) { localStorage.setItem('p', JSON.stringify(payload as Prefs)); }`,
      found: [],
    },
  ])('$name', ({ code, found }) => {
    const files = { ...types, 'src/a.ts': `import type { LabResult } from './types';\n${code}` };
    expect(findingsOf(RULE, files).map((f) => covered(files[f.file as keyof typeof files]!, f))).toEqual(found);
  });
});
