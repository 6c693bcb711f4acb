import { describe, expect, it } from 'vitest';
import { applyEdits, type Finding } from '../../server/src/engine/index.js';
import { covered, findingsOf } from '../helpers.js';

const RULE = 'plaintext-health-data';

interface Case {
  name: string;
  files: Record<string, string>;
  /** The file whose findings are checked (the first one by default). */
  in?: string;
  /** Exact covered text of each finding, in order. */
  found: string[];
}

function check({ files, in: target, found }: Case): Finding[] {
  const file = target ?? Object.keys(files)[0]!;
  const findings = findingsOf(RULE, files).filter((f) => f.file === file);
  expect(findings.map((f) => covered(files[file]!, f))).toEqual(found);
  return findings;
}

/** Applies a finding's fix (by title prefix) and returns the file's new text. */
function fixed(files: Record<string, string>, file: string, title: string, index = 0): string {
  const f = findingsOf(RULE, files).filter((x) => x.file === file)[index]!;
  const fix = f.fixes!.find((x) => x.title.startsWith(title))!;
  expect(fix, `no fix "${title}" in ${f.fixes!.map((x) => x.title).join(', ')}`).toBeDefined();
  return applyEdits(files[file]!, fix.edits).text;
}

const typeorm: Case[] = [
  {
    name: 'TypeORM columns without transformer, with one, and not special',
    files: {
      'src/patient.entity.ts': `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { EncryptionTransformer } from 'typeorm-encrypted';
const enc = new EncryptionTransformer({ key: process.env.K!, algorithm: 'aes-256-gcm', ivLength: 12 });
@Entity('patients')
export class Patient {
  @PrimaryGeneratedColumn() id: number;
  @Column() lastName: string;
  @Column({ type: 'text' }) diagnosis: string;
  @Column({ type: 'text', transformer: enc }) allergies: string;
  @Column('varchar', { length: 15 }) ssn: string;
  @Column() bloodType: string;
  @Column({ name: 'hiv_status', nullable: true }) hivStatus?: string;
  @Column({ transformer: new EncryptionTransformer({ key: 'k', algorithm: 'aes-256-cbc', ivLength: 16 }) }) medicalHistory: string;
  @Column() diagnosisCount: number;
}`,
    },
    found: ['diagnosis', 'ssn', 'bloodType', 'hivStatus'],
  },
  {
    name: 'a project transformer resolved across files: createCipheriv counts, createCipher and base64 do not',
    files: {
      'src/entities/result.entity.ts': `import { Column, Entity } from 'typeorm';
import { aesTransformer, legacyTransformer, b64 } from '../crypto/transformers';
@Entity()
export class LabResult {
  @Column() patientId: string;
  @Column({ transformer: aesTransformer }) value: string;
  @Column({ transformer: legacyTransformer }) interpretation: string;
  @Column({ transformer: b64 }) conclusion: string;
}`,
      'src/crypto/transformers.ts': `import { createCipheriv, createCipher } from 'node:crypto';
export function encryptValue(v: string) { const c = createCipheriv('aes-256-gcm', key(), iv()); return c.update(v, 'utf8', 'base64'); }
export function encryptLegacy(v: string) { const c = createCipher('aes192', 'pw'); return c.update(v, 'utf8', 'hex'); }
export const aesTransformer = { to: (v: string) => encryptValue(v), from: (v: string) => v };
export const legacyTransformer = { to: (v: string) => encryptLegacy(v), from: (v: string) => v };
export const b64 = { to: (v: string) => Buffer.from(v).toString('base64'), from: (v: string) => v };`,
    },
    found: ['interpretation', 'conclusion'],
  },
  {
    name: 'EntitySchema columns',
    files: {
      'src/visit.schema.ts': `import { EntitySchema } from 'typeorm';
import { EncryptionTransformer } from 'typeorm-encrypted';
export const Visit = new EntitySchema({
  name: 'Visit',
  tableName: 'visits',
  columns: {
    id: { type: Number, primary: true, generated: true },
    patientId: { type: String },
    reason: { type: String },
    symptoms: { type: 'text' },
    treatmentPlan: { type: 'text', transformer: new EncryptionTransformer({ key: 'k', algorithm: 'aes-256-gcm', ivLength: 12 }) },
    visitedAt: { type: 'timestamptz' },
  },
});`,
    },
    found: ['symptoms'],
  },
  {
    name: 'an encryption decorator from the config counts',
    files: {
      'src/a.entity.ts': `@Entity() export class A { @Column() patientId: string; @Column() @Encrypted() diagnosis: string; @Column() @SealedField() prescription: string; }`,
    },
    found: ['prescription'],
  },
];

const otherOrms: Case[] = [
  {
    name: 'MikroORM: a custom Type that encrypts counts, bytea counts',
    files: {
      'src/report.ts': `import { Entity, Property, PrimaryKey, Type } from '@mikro-orm/core';
import { createCipheriv } from 'node:crypto';
export class SealedType extends Type<string, string> {
  convertToDatabaseValue(v: string): string { return createCipheriv('aes-256-gcm', k, iv).update(v, 'utf8', 'hex'); }
}
@Entity({ tableName: 'reports' })
export class Report {
  @PrimaryKey() id!: number;
  @Property() patientId!: string;
  @Property({ type: 'text' }) conclusion!: string;
  @Property({ type: SealedType }) diagnosis!: string;
  @Property({ columnType: 'bytea' }) pdfReport?: Buffer;
  @Property() signedBy!: string;
}`,
    },
    found: ['conclusion'],
  },
  {
    name: 'Sequelize define and Model.init, setter that encrypts, BLOB',
    files: {
      'src/models.js': `const { DataTypes, Model } = require('sequelize');
const { encryptField } = require('./crypto');
const Visit = sequelize.define('Visit', {
  patientId: DataTypes.UUID,
  symptoms: DataTypes.TEXT,
  allergies: { type: DataTypes.TEXT, set(v) { this.setDataValue('allergies', encryptField(v)); } },
  scan: { type: DataTypes.BLOB },
  visitDate: DataTypes.DATE,
}, { tableName: 'visits' });
class Prescription extends Model {}
Prescription.init({ patientId: DataTypes.UUID, medication: { type: DataTypes.STRING }, dosage: DataTypes.STRING, refills: DataTypes.INTEGER }, { sequelize, modelName: 'Prescription' });`,
    },
    found: ['symptoms', 'medication', 'dosage'],
  },
  {
    name: 'sequelize-typescript decorators',
    files: {
      'src/patient.model.ts': `import { Table, Column, Model, DataType } from 'sequelize-typescript';
@Table({ tableName: 'patients' })
export class Patient extends Model {
  @Column diagnosis!: string;
  @Column({ type: DataType.BLOB }) geneticReport!: Buffer;
  @Column fullName!: string;
}`,
    },
    found: ['diagnosis'],
  },
  {
    name: 'Mongoose: mongoose-field-encryption fields, mongoose-encryption whole document (indexed and excluded fields stay clear)',
    files: {
      'src/models/lab.js': `const mongoose = require('mongoose');
const encrypt = require('mongoose-encryption');
const { fieldEncryption } = require('mongoose-field-encryption');
const SerologySchema = new mongoose.Schema({ barcode: String, hiv: String, hepatitisB: String, hepatitisC: String });
SerologySchema.plugin(fieldEncryption, { fields: ['hiv', 'hepatitisB'], secret: process.env.S });
const VitalsSchema = new mongoose.Schema({ patientId: { type: String, index: true }, diabetesStatus: { type: String, index: true }, creatinineClearance: Number, bloodPressure: String });
VitalsSchema.plugin(encrypt, { secret: process.env.S, excludeFromEncryption: ['creatinineClearance'] });
const GeneSchema = new mongoose.Schema({ patient: { type: mongoose.Schema.Types.ObjectId, ref: 'Patient' }, genotype: String, karyotype: String });
GeneSchema.plugin(encrypt, { encryptionKey: k, signingKey: s, encryptedFields: ['karyotype'] });
const Plain = new mongoose.Schema({ patientId: String, diagnosis: String });
module.exports = mongoose.model('Serology', SerologySchema);`,
    },
    found: ['hepatitisC', 'diabetesStatus', 'creatinineClearance', 'genotype', 'diagnosis'],
  },
  {
    name: 'Mongoose with a CSFLE schema map in another file',
    files: {
      'src/models/record.ts': `import { Schema, model } from 'mongoose';
const RecordSchema = new Schema({ patientId: String, diagnosis: String, medications: [String] }, { collection: 'records' });
export const Record = model('Record', RecordSchema);`,
      'src/db/client.ts': `export const client = new MongoClient(uri, { autoEncryption: { keyVaultNamespace: 'enc.keys', kmsProviders, schemaMap: {
  'clinic.records': { bsonType: 'object', properties: { diagnosis: { encrypt: { bsonType: 'string', algorithm: 'AEAD_AES_256_CBC_HMAC_SHA_512-Random' } } } },
} } });`,
    },
    found: ['medications'],
  },
  {
    name: 'NestJS Mongoose @Prop',
    files: {
      'src/schemas/consult.schema.ts': `@Schema() export class Consultation { @Prop() patientId: string; @Prop() symptoms: string; @Prop() doctorName: string; }`,
    },
    found: ['symptoms'],
  },
  {
    name: 'knex migration: text column, binary and bytea columns, comment',
    files: {
      'migrations/001.js': `exports.up = (knex) => knex.schema.createTable('lab_results', (t) => {
  t.increments('id');
  t.uuid('patient_id').references('patients.id');
  t.string('test_code', 12);
  t.text('result_value');
  t.binary('conclusion_encrypted');
  t.specificType('report', 'bytea');
  t.text('diagnosis').comment('encrypted by the app (AES-GCM)');
  t.string('icd10_code');
});`,
    },
    found: ['result_value', 'icd10_code'],
  },
  {
    name: 'Drizzle tables',
    files: {
      'src/db/schema.ts': `import { pgTable, text, serial, bytea } from 'drizzle-orm/pg-core';
export const encounters = pgTable('encounters', {
  id: serial('id').primaryKey(),
  patientId: text('patient_id').notNull(),
  chiefComplaint: text('chief_complaint').notNull(),
  notes: bytea('notes'),
  room: text('room'),
});`,
    },
    found: ['chiefComplaint'],
  },
];

const prisma: Case[] = [
  {
    name: 'Prisma: @encrypted trailing or above, hash field, Bytes, relations, settings table',
    files: {
      'prisma/schema.prisma': `model Patient {
  id        String   @id
  ssn       String   /// @encrypted
  ssnHash   String?  @unique /// @encryption:hash(ssn)
  /// @encrypted
  allergies String?
  diagnosis String?  // free text
  scan      Bytes?
  visits    Visit[]
  profile   Profile?
}
model Visit {
  id        String  @id
  patient   Patient @relation(fields: [patientId], references: [id])
  patientId String
  symptoms  String
}
model Setting {
  key   String @id
  value String
}`,
    },
    found: ['diagnosis', 'symptoms'],
  },
  {
    name: 'multi-file Prisma schema: an enum declared in another file is a column',
    files: {
      'prisma/schema/patient.prisma': `model Patient {\n  id String @id\n  hivStatus HivStatus\n  visits Visit[]\n}`,
      'prisma/schema/visit.prisma': `model Visit {\n  id String @id\n  patient Patient @relation(fields: [pid], references: [id])\n  pid String\n}\nenum HivStatus {\n  POS\n  NEG\n}`,
    },
    found: ['hivStatus'],
  },
];

const sql: Case[] = [
  {
    name: 'PostgreSQL DDL: BYTEA, named ciphertext, settings table',
    files: {
      'db/V1.sql': `CREATE TABLE patients (id uuid PRIMARY KEY, nir CHAR(15), ins_chiffre BYTEA, diagnosis TEXT, diagnosis_id INT, created_at TIMESTAMPTZ);\nCREATE TABLE app_settings (key TEXT, value TEXT);`,
    },
    found: ['nir', 'diagnosis'],
  },
  {
    name: 'MySQL DDL: VARBINARY, ENUM status',
    files: {
      'db/mysql.sql':
        "CREATE TABLE `cases` (`id` INT AUTO_INCREMENT PRIMARY KEY, `hiv_status` ENUM('POS','NEG'), `hiv_status_enc` VARBINARY(64), `ssn` VARCHAR(11)) ENGINE=InnoDB;",
    },
    found: ['`hiv_status`', '`ssn`'],
  },
  {
    name: 'SQL Server DDL: ENCRYPTED WITH on the next line',
    files: {
      'db/mssql.sql': `CREATE TABLE dbo.Archive (\n  Id INT IDENTITY(1,1) PRIMARY KEY,\n  PatientId INT,\n  Diagnosis NVARCHAR(400)\n    ENCRYPTED WITH (COLUMN_ENCRYPTION_KEY = CEK1, ENCRYPTION_TYPE = RANDOMIZED, ALGORITHM = 'AEAD_AES_256_CBC_HMAC_SHA_256') NULL,\n  Treatment NVARCHAR(400) NULL\n);\nGO`,
    },
    found: ['Treatment'],
  },
  {
    name: 'SQLite DDL: BLOB',
    files: {
      'db/cache.sql':
        'CREATE TABLE IF NOT EXISTS visits (id INTEGER PRIMARY KEY AUTOINCREMENT, patient_id INTEGER, notes_encrypted BLOB, medications TEXT);',
    },
    found: ['medications'],
  },
  {
    name: 'INSERT and UPDATE: literal values, pgp_sym_encrypt, NULL, settings',
    files: {
      'db/schema.sql':
        'CREATE TABLE results (id INT, patient_id INT, value TEXT, interpretation TEXT, comment_enc BYTEA);\nCREATE TABLE settings (key TEXT, value TEXT);',
      'db/seed.sql': `INSERT INTO results (id, value, interpretation) VALUES (1, '6.8', 'H'), (2, '5.1', pgp_sym_encrypt('N', current_setting('app.key')));
INSERT INTO results (id, comment_enc) VALUES (3, pgp_sym_encrypt('x', 'k'));
UPDATE results SET value = NULL WHERE id = 1;
UPDATE results SET interpretation = 'L' WHERE id = 2;
UPDATE settings SET value = '48' WHERE key = 'delay';`,
    },
    in: 'db/seed.sql',
    found: ['value', 'interpretation', 'interpretation'],
  },
  {
    name: 'parameterised SQL in TS: the bound value decides',
    files: {
      'db/schema.sql': 'CREATE TABLE results (id INT, patient_id INT, value TEXT, interpretation TEXT, note TEXT);',
      'src/results.ts': `import { encryptField } from './crypto';
export async function correct(id: string, value: string, note: string) {
  await pool.query('UPDATE results SET value = $2 WHERE id = $1', [id, value]);
  await pool.query('UPDATE results SET note = $2 WHERE id = $1', [id, encryptField(note)]);
  await db.execute(\`INSERT INTO results (id, interpretation) VALUES (?, ?)\`, [id, null]);
}`,
    },
    in: 'src/results.ts',
    found: ['value'],
  },
];

const ormWrites: Case[] = [
  {
    name: 'prisma create/update, repository save, Model.create, knex insert',
    files: {
      'prisma/schema.prisma':
        'model LabResult {\n  id String @id\n  patientId String\n  value String\n  note String /// @encrypted\n}',
      'src/entities.ts': `@Entity('visits') export class Visit { @Column() patientId: string; @Column() symptoms: string; }`,
      'src/models.js': `const Rx = sequelize.define('Rx', { patientId: DataTypes.UUID, medication: DataTypes.STRING });`,
      'migrations/1.js': `exports.up = (knex) => knex.schema.createTable('genes', (t) => { t.uuid('patient_id'); t.text('genotype'); });`,
      'src/write.ts': `export async function store(v: string, n: string) {
  await prisma.labResult.create({ data: { value: v, note: n } });
  await dataSource.getRepository(Visit).save({ symptoms: 'cough' });
  await Rx.create({ medication: encryptField(n) });
  await Rx.create({ medication: n });
  await knex('genes').insert({ genotype: n });
}`,
    },
    in: 'src/write.ts',
    found: ['value', 'symptoms', 'medication', 'genotype'],
  },
];

describe(`${RULE}: schema sources`, () => {
  for (const [title, cases] of [
    ['TypeORM', typeorm],
    ['other ORMs', otherOrms],
    ['Prisma', prisma],
    ['SQL', sql],
    ['ORM writes', ormWrites],
  ] as const) {
    it.each(cases)(`${title}: $name`, (c) => {
      check(c);
    });
  }
});

describe(`${RULE}: messages and fixes`, () => {
  it('explains the category, why, and the expected protection', () => {
    const files = {
      'prisma/schema.prisma': 'model Visit {\n  id String @id\n  patientId String\n  diagnosis String\n}',
    };
    const [f] = findingsOf(RULE, files);
    expect(f!.message).toBe(
      'Health data stored in plaintext: diagnosis (health-condition) of Prisma model Visit is not encrypted. Why: matched "diagnosis" -> health-condition (en); each row is about the person in patientId. Expected: a `/// @encrypted` annotation (prisma-field-encryption).',
    );
    expect(f!.data).toMatchObject({
      category: 'health-condition',
      table: 'Visit',
      column: 'diagnosis',
      source: 'prisma',
    });
  });

  it('Prisma: appends /// @encrypted before a trailing comment', () => {
    const files = {
      'prisma/schema.prisma':
        'model Visit {\n  id        String @id\n  patientId String\n  diagnosis String? @map("dx") // free text\n}',
    };
    expect(fixed(files, 'prisma/schema.prisma', 'Encrypt the field')).toBe(
      'model Visit {\n  id        String @id\n  patientId String\n  diagnosis String? @map("dx") /// @encrypted // free text\n}',
    );
  });

  it('Prisma: suppression comment with //', () => {
    const files = {
      'prisma/schema.prisma': 'model Visit {\n  id String @id\n  patientId String\n  diagnosis String\n}',
    };
    expect(fixed(files, 'prisma/schema.prisma', 'Suppress')).toBe(
      'model Visit {\n  id String @id\n  patientId String\n  // gdpr-lint-disable-next-line plaintext-health-data -- reason: explain why this data may stay in clear\n  diagnosis String\n}',
    );
  });

  it('TypeORM: adds the transformer the file already uses to the options', () => {
    const code = `const enc = new EncryptionTransformer(opts);
@Entity() export class P {
  @Column({ transformer: enc }) ssn: string;
  @Column({ type: 'text' }) diagnosis: string;
  @Column() allergies: string;
  @Column('text') symptoms: string;
}`;
    const files = { 'p.entity.ts': code };
    expect(fixed(files, 'p.entity.ts', 'Encrypt the column', 0)).toContain(
      "@Column({ type: 'text', transformer: enc }) diagnosis: string;",
    );
    expect(fixed(files, 'p.entity.ts', 'Encrypt the column', 1)).toContain(
      '@Column({ transformer: enc }) allergies: string;',
    );
    expect(fixed(files, 'p.entity.ts', 'Encrypt the column', 2)).toContain(
      "@Column('text', { transformer: enc }) symptoms: string;",
    );
  });

  it('TypeORM: the configured transformer, in a multi-line EntitySchema column', () => {
    const code = `export const R = new EntitySchema({
  name: 'LabResult',
  columns: {
    patientId: { type: String },
    value: {
      type: String,
      nullable: true,
    },
  },
});`;
    const files = {
      'src/r.ts': `import { EntitySchema } from 'typeorm';\n${code}`,
      'src/crypto/lab-cipher.ts': 'export const labCipher = { to: (v: string) => v, from: (v: string) => v };\n',
    };
    const config = { encryption: { transformers: ['labCipher'] } };
    const [f] = findingsOf(RULE, files, config);
    const fix = f!.fixes!.find((x) => x.title.startsWith('Encrypt'))!;
    const out = applyEdits(files['src/r.ts'], fix.edits).text;
    expect(out).toContain('      nullable: true,\n      transformer: labCipher,\n    },');
    // The transformer comes with its import, from the project file that exports it.
    expect(
      out.startsWith("import { EntitySchema } from 'typeorm';\nimport { labCipher } from './crypto/lab-cipher';\n"),
    ).toBe(true);
    // Nowhere to import it from: no fix but the suppression.
    const [alone] = findingsOf(RULE, { 'src/r.ts': files['src/r.ts'] }, config);
    expect(alone!.fixes!.map((x) => x.title)).toEqual([expect.stringMatching(/^Suppress/)]);
  });

  it('an encrypting fix only where the column can hold the ciphertext', () => {
    const code = `import { EncryptionTransformer } from 'typeorm-encrypted';
const enc = new EncryptionTransformer(opts);
@Entity() export class P {
  @Column({ transformer: enc }) ssn: string;
  @Column({ type: 'int' }) hivViralLoad: number;
  @Column() hba1c: number;
  @Column({ type: 'date' }) diagnosisDate: Date;
  @Column({ length: 20 }) diagnosis: string;
  @Column('varchar', { length: 40 }) allergies: string;
}`;
    const titles = findingsOf(RULE, { 'p.entity.ts': code }).map((f) => [
      f.data?.['column'],
      f.fixes!.map((x) => x.title),
    ]);
    const encrypt = (column: string) =>
      titles.find(([c]) => c === column)?.[1]?.filter((t: string) => t.startsWith('Encrypt'));
    // Not on a number or a date: the transformer writes a string.
    for (const column of ['hivViralLoad', 'hba1c', 'diagnosisDate'])
      if (titles.some(([c]) => c === column)) expect(encrypt(column), column).toEqual([]);
    expect(encrypt('diagnosis')).toEqual([
      'Encrypt the column with a TypeORM transformer: transformer: enc (the column holds 20 characters, too few for the ciphertext: widen it in a migration)',
    ]);
    expect(encrypt('allergies')).toEqual([
      'Encrypt the column with a TypeORM transformer: transformer: enc (the column holds 40 characters, too few for the ciphertext: widen it in a migration)',
    ]);
  });

  it('Prisma: /// @encrypted only on a String field (what prisma-field-encryption encrypts)', () => {
    const files = {
      'prisma/schema.prisma':
        'model Visit {\n  id String @id\n  patientId String\n  hivPositive Boolean\n  diagnosis String @db.VarChar(30)\n}',
    };
    const findings = findingsOf(RULE, files);
    const byColumn = Object.fromEntries(findings.map((f) => [f.data?.['column'], f.fixes!.map((x) => x.title)]));
    if (byColumn['hivPositive']) expect(byColumn['hivPositive'].filter((t) => t.startsWith('Encrypt'))).toEqual([]);
    expect(byColumn['diagnosis']!.filter((t) => t.startsWith('Encrypt'))).toEqual([
      'Encrypt the field with prisma-field-encryption: /// @encrypted (the column holds 30 characters, too few for the ciphertext: widen it in a migration)',
    ]);
  });

  it('Mongoose: adds the field to the plugin list, or removes it from excludeFromEncryption', () => {
    const code = `const S = new Schema({ patientId: String, hiv: String, hepatitisC: String });
S.plugin(fieldEncryption, { fields: ['hiv'], secret: 's' });
const V = new Schema({ patientId: String, creatinineClearance: Number });
V.plugin(encrypt, { secret: 's', excludeFromEncryption: ['creatinineClearance', 'takenAt'] });`;
    const files = {
      'm.ts': `import { fieldEncryption } from 'mongoose-field-encryption';\nimport encrypt from 'mongoose-encryption';\n${code}`,
    };
    expect(fixed(files, 'm.ts', 'Add the field')).toContain("fields: ['hiv', 'hepatitisC']");
    expect(fixed(files, 'm.ts', 'Remove the field', 1)).toContain("excludeFromEncryption: ['takenAt']");
  });

  it('SQL INSERT: wraps every row value in pgp_sym_encrypt, suppression with --', () => {
    const files = {
      'db/seed.sql':
        "CREATE TABLE patients (id INT, nir CHAR(15));\n  INSERT INTO patients (id, nir) VALUES (1, '1850578006084'), (2, '2841220310454');",
    };
    expect(fixed(files, 'db/seed.sql', 'Encrypt the value', 1)).toBe(
      "CREATE TABLE patients (id INT, nir CHAR(15));\n  INSERT INTO patients (id, nir) VALUES (1, pgp_sym_encrypt('1850578006084', current_setting('app.key'))), (2, pgp_sym_encrypt('2841220310454', current_setting('app.key')));",
    );
    expect(fixed(files, 'db/seed.sql', 'Suppress', 1)).toBe(
      "CREATE TABLE patients (id INT, nir CHAR(15));\n  -- gdpr-lint-disable-next-line plaintext-health-data -- reason: explain why this data may stay in clear\n  INSERT INTO patients (id, nir) VALUES (1, '1850578006084'), (2, '2841220310454');",
    );
  });

  it('SQL in a single-quoted TS string: the inserted key is escaped', () => {
    const files = {
      'db/s.sql': 'CREATE TABLE results (id INT, patient_id INT, value TEXT);',
      'a.ts': "await pool.query('UPDATE results SET value = $2 WHERE id = $1', [id, v]);",
    };
    expect(fixed(files, 'a.ts', 'Encrypt the value')).toBe(
      "await pool.query('UPDATE results SET value = pgp_sym_encrypt($2, current_setting(\\'app.key\\')) WHERE id = $1', [id, v]);",
    );
  });

  it('MySQL: AES_ENCRYPT; SQL Server: only the suppression', () => {
    const mysql = {
      'db/m.sql':
        "CREATE TABLE lab_results (id INT, patient_id INT, value TEXT) ENGINE=InnoDB;\nINSERT INTO lab_results (id, value) VALUES (1, '8.1');",
    };
    expect(fixed(mysql, 'db/m.sql', 'Encrypt the value', 1)).toContain("VALUES (1, AES_ENCRYPT('8.1', @app_key));");
    const mssql = {
      'db/s.sql':
        "CREATE TABLE dbo.R (Id INT, PatientId INT, Diagnosis NVARCHAR(40));\nGO\nINSERT INTO dbo.R (Id, Diagnosis) VALUES (1, N'x');",
    };
    const f = findingsOf(RULE, mssql).filter((x) => x.range.start > 50);
    expect(f.map((x) => x.fixes!.map((y) => y.title))).toEqual([
      ['Suppress plaintext-health-data on this line (with a justification)'],
    ]);
  });

  it('a suppression comment keeps the finding, marked suppressed', () => {
    const files = {
      'db/a.sql':
        'CREATE TABLE v (\n  id INT,\n  patient_id INT,\n  -- gdpr-lint-disable-next-line plaintext-health-data -- kept for the legal archive, disk encrypted\n  diagnosis TEXT\n);',
    };
    const [f] = findingsOf(RULE, files);
    expect(f!.suppressed).toMatchObject({
      kind: 'inline',
      justification: 'kept for the legal archive, disk encrypted',
    });
  });
});
