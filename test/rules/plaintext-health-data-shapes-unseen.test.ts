import { describe, expect, it } from 'vitest';
import { classifierFor, type ClassifyContext } from '../../server/src/engine/index.js';
import { covered, findingsOf, testConfig } from '../helpers.js';

const RULE = 'plaintext-health-data';

/** The tokens the rule underlines in `path`, in order. */
function flagged(files: Record<string, string>, path: string): string[] {
  return findingsOf(RULE, files)
    .filter((f) => f.file === path)
    .sort((a, b) => a.range.start - b.range.start)
    .map((f) => covered(files[path]!, f));
}

/**
 * Names and shapes found missing by the holdout corpus (test/holdout/data), written here in
 * other variants than the holdout's own lines so that the fixes are tested, not the corpus.
 */
describe('vocabulary of English EHRs (problem lists, reasons for visit, zygosity...)', () => {
  const classifier = classifierFor(testConfig());
  const rows: [string, string | undefined, ClassifyContext?][] = [
    ['problem', 'health-condition', { kind: 'column', container: 'problem_list' }],
    ['problem', undefined, { kind: 'column', container: 'api_errors' }],
    ['problems', undefined, { kind: 'table' }],
    ['snomed_code', 'health-condition', { kind: 'column', container: 'conditions' }],
    ['snomed_code', undefined, { kind: 'column', container: 'test_catalogue' }],
    ['alcohol_misuse', 'health-condition'],
    ['substanceUseDisorder', 'health-condition'],
    ['menstrualCycleDay', 'health-condition'],
    ['lmp', 'health-condition'],
    ['lmpDate', undefined],
    ['adverse_drug_reactions', 'health-condition'],
    ['reasonForVisit', 'health-condition'],
    ['admission_reason', 'health-condition'],
    ['heterozygous', 'genetic'],
    ['zygosity', 'genetic'],
    ['interpretationCode', 'lab-result'],
    ['test_code', undefined, { kind: 'column', container: 'observations' }],
    ['resultatLaboratoire', 'lab-result'],
    ['numeroAssuranceMaladie', 'health-identifier'],
    ['sideEffects', undefined],
    ['smoking_status', 'health-condition'],
    ['tabagisme', 'health-condition'],
    // A weak term with a time word is the timestamp of the thing; a strong term keeps its category.
    ['onset', 'health-condition', { kind: 'column', container: 'conditions' }],
    ['onset_date', undefined, { kind: 'column', container: 'conditions' }],
    ['pregnancy_start_date', 'health-condition'],
  ];
  it.each(rows.map(([id, expected, context]) => ({ id, expected, context: context ?? {} })))(
    '$id in $context.container -> $expected',
    ({ id, expected, context }) => {
      const c = classifier.classify(id, context);
      expect(c?.special ? c.category : undefined, c?.why).toBe(expected);
    },
  );
});

describe(`${RULE}: schema shapes of other frameworks`, () => {
  it('sequelize-typescript: a method-form setter in @Column options protects when it encrypts, not when it hashes', () => {
    const path = 'src/models/Referral.ts';
    const files = {
      [path]: `import { Column, DataType, Model, Table } from 'sequelize-typescript';
import { createHash } from 'node:crypto';
import { encryptField } from '../crypto';

@Table({ tableName: 'referrals' })
export class Referral extends Model {
  @Column(DataType.UUID)
  declare patientId: string;

  @Column({ type: DataType.TEXT, set(this: Referral, v: string) { this.setDataValue('diagnosis', encryptField(v)); } })
  declare diagnosis: string;

  @Column({ type: DataType.TEXT, set(this: Referral, v: string) { this.setDataValue('allergies', createHash('sha256').update(v).digest('hex')); } })
  declare allergies: string;
}
`,
    };
    expect(flagged(files, path)).toEqual(['allergies']);
  });

  it('Mongoose: a model whose schema is a plain object given to model()', () => {
    const path = 'models/visit.js';
    const files = {
      [path]: `const mongoose = require('mongoose');
const Visit = mongoose.connection.model('Visit', { patient: { type: mongoose.Schema.Types.ObjectId, ref: 'Patient' }, reasonForVisit: String, bloodGroup: { type: String }, ward: String, seenAt: Date });
module.exports = { Visit };
`,
    };
    expect(flagged(files, path)).toEqual(['reasonForVisit', 'bloodGroup']);
  });

  it("Mongoose: paths added later with schema.add() share the schema's encryption plugin", () => {
    const path = 'models/record.js';
    const files = {
      [path]: `const { Schema, model } = require('mongoose');
const { fieldEncryption } = require('mongoose-field-encryption');
const recordSchema = new Schema({ patientId: String, ward: String });
recordSchema.add({ hivStatus: String, psychNotes: String });
recordSchema.plugin(fieldEncryption, { fields: ['psychNotes'], secret: process.env.SECRET });
const seen = new Set();
seen.add({ diagnosis: 'not a schema' });
module.exports = model('Record', recordSchema);
`,
    };
    expect(flagged(files, path)).toEqual(['hivStatus']);
  });

  it('Kysely: columns added by a schema builder chain (binary columns are ciphertext)', () => {
    const path = 'migrations/0042_patients.ts';
    const files = {
      [path]: `import { Kysely } from 'kysely';
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('patients').addColumn('hiv_status', 'text').addColumn('ssn_cipher', 'bytea').addColumn('nickname', 'text').execute();
}
`,
    };
    expect(flagged(files, path)).toEqual(['hiv_status']);
  });

  it('Objection: jsonSchema properties are columns, a write hook that encrypts protects, query() writes are checked', () => {
    const model = 'src/models/Consultation.ts';
    const service = 'src/services/consultations.ts';
    const files = {
      [model]: `import { Model } from 'objection';
import { encrypt } from '../crypto';

export class Consultation extends Model {
  static tableName = 'consultations';
  static jsonSchema = {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      patientId: { type: 'integer' },
      diagnosis: { type: 'string' },
      psychiatricAssessment: { type: 'string' },
      visitDate: { type: 'string', format: 'date' },
    },
  };

  $formatDatabaseJson(json: Record<string, unknown>) {
    const row = super.$formatDatabaseJson(json);
    row.psychiatricAssessment = encrypt(String(row.psychiatricAssessment));
    return row;
  }
}
`,
      [service]: `import { writeFile } from 'node:fs/promises';
import { Consultation } from '../models/Consultation';

export async function record(diagnosis: string, visitDate: string) {
  await Consultation.query().insert({ diagnosis, visitDate });
}

export async function dump() {
  const rows = await Consultation.query().where('visitDate', '>', '2024-01-01');
  await writeFile('consultations.json', JSON.stringify(rows));
  const dates = await Consultation.query().select('id', 'visitDate');
  await writeFile('dates.json', JSON.stringify(dates));
}
`,
    };
    expect(flagged(files, model)).toEqual(['diagnosis']);
    expect(flagged(files, service)).toEqual(['diagnosis', 'JSON.stringify(rows)']);
  });
});

describe(`${RULE}: browser storage and cookies of other frameworks`, () => {
  it('Next cookies(): a store kept in a variable, and the object form of set()', () => {
    const path = 'app/api/visit/route.ts';
    const files = {
      [path]: `import { cookies } from 'next/headers';

export async function POST(diagnosis: string, allergyList: string[]) {
  const store = await cookies();
  store.set('allergies', allergyList.join(','));
  store.set({ name: 'diagnosis', value: diagnosis, httpOnly: true });
  store.set({ name: 'lang', value: 'en-GB' });
  store.set('theme', 'dark');
  return new Response(null, { status: 204 });
}
`,
    };
    expect(flagged(files, path)).toEqual(["allergyList.join(',')", 'diagnosis']);
  });

  it('Dexie: tables of `new Dexie()` and of a Dexie subclass imported from another file', () => {
    const db = 'src/web/db.ts';
    const inline = 'src/web/vitals.ts';
    const user = 'src/web/results.ts';
    const files = {
      [db]: `import Dexie, { type Table } from 'dexie';
export interface LabResult { id: string; resultValue: string; units: string }
export interface Prefs { id: string; theme: string }
export class ClinicDb extends Dexie {
  results!: Table<LabResult, string>;
  prefs!: Table<Prefs, string>;
  constructor() { super('clinic'); this.version(1).stores({ results: 'id', prefs: 'id' }); }
}
export const clinicDb = new ClinicDb();
`,
      [inline]: `import Dexie, { type EntityTable } from 'dexie';
interface Vital { id: number; heartRate: number; bloodPressure: string }
const db = new Dexie('vitals') as Dexie & { vitals: EntityTable<Vital, 'id'> };
db.version(1).stores({ vitals: '++id' });
export function keep(vital: Vital) {
  return db.vitals.put(vital);
}
`,
      [user]: `import { clinicDb, type LabResult, type Prefs } from './db';
export async function cache(labResults: LabResult[], prefs: Prefs) {
  await clinicDb.results.bulkAdd(labResults);
  await clinicDb.prefs.put(prefs);
}
`,
    };
    expect(flagged(files, inline)).toEqual(['vital']);
    expect(flagged(files, user)).toEqual(['labResults']);
  });

  it('a key named like health data holding a value whose type has none is not health data', () => {
    const path = 'tools/report.ts';
    const files = {
      [path]: `import { writeFileSync } from 'node:fs';
interface LintDiagnostic { file: string; line: number; message: string }
export function saveLint(diagnostics: LintDiagnostic[]) {
  writeFileSync('lint.json', JSON.stringify({ diagnostics }));
}
export function saveDx(diagnosis: string) {
  writeFileSync('dx.json', JSON.stringify({ diagnosis }));
}
`,
    };
    expect(flagged(files, path)).toEqual(['JSON.stringify({ diagnosis })']);
  });
});
