import { describe, expect, it } from 'vitest';
import { findingsOf } from '../helpers.js';

const RULE = 'plaintext-health-data';

/**
 * Code in styles the rule was not tuned on: an English-only clinic (NestJS + TypeORM, Express +
 * Sequelize, Mongoose, knex, Drizzle, raw SQL), annotated Semgrep-style (`ruleid` / `ok` on the
 * line before the target). Scored like the shared corpus: recall and precision >= 0.9.
 */
const FILES: Record<string, string> = {
  'apps/api/src/encounter/encounter.entity.ts': `import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AesTransformer } from '../crypto/aes.transformer';

@Entity({ name: 'encounters' })
export class Encounter {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  // ok: plaintext-health-data
  @Column({ name: 'patient_ref' })
  patientRef: string;

  // ruleid: plaintext-health-data
  @Column({ name: 'chief_complaint', type: 'text' })
  chiefComplaint: string;

  // ruleid: plaintext-health-data
  @Column({ name: 'icd10_codes', type: 'simple-array', nullable: true })
  icd10Codes: string[];

  // ok: plaintext-health-data
  @Column({ name: 'clinical_notes', type: 'text', transformer: new AesTransformer() })
  clinicalNotes: string;

  // ok: plaintext-health-data
  @Column({ name: 'admitted_at', type: 'timestamptz' })
  admittedAt: Date;

  // ruleid: plaintext-health-data
  @Column({ name: 'discharge_summary', type: 'text', nullable: true })
  dischargeSummary?: string;

  // ok: plaintext-health-data
  @Column({ name: 'ward', length: 20 })
  ward: string;
}
`,
  'apps/api/src/crypto/aes.transformer.ts': `import { createCipheriv, createDecipheriv, randomBytes } from 'crypto';
import type { ValueTransformer } from 'typeorm';

export class AesTransformer implements ValueTransformer {
  to(value: string | null) {
    if (value == null) return value;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(process.env.DATA_KEY!, 'hex'), iv);
    return Buffer.concat([iv, cipher.update(value, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64');
  }
  from(value: string | null) {
    return value == null ? value : decrypt(value);
  }
}
`,
  'apps/api/src/medication/medication.entity.ts': `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('medication_orders')
export class MedicationOrder {
  @PrimaryGeneratedColumn() id: number;
  // ruleid: plaintext-health-data
  @Column() drugName: string;
  // ruleid: plaintext-health-data
  @Column() dosage: string;
  // ok: plaintext-health-data
  @Column() prescriberNpi: string;
  // ok: plaintext-health-data
  @Column({ type: 'int' }) refillCount: number;
  // ok: plaintext-health-data
  @Column() orderedAt: Date;
}
`,
  'apps/api/src/encounter/encounter.service.ts': `import { Injectable } from '@nestjs/common';
import { writeFile } from 'fs/promises';
import type { EncounterDto } from './encounter.dto';

@Injectable()
export class EncounterService {
  async exportForAudit(items: EncounterDto[]) {
    // ruleid: plaintext-health-data
    await writeFile('/var/exports/encounters.json', JSON.stringify(items, null, 2));
  }

  async exportCounts(items: EncounterDto[]) {
    const byWard = items.reduce<Record<string, number>>((acc, e) => ({ ...acc, [e.ward]: (acc[e.ward] ?? 0) + 1 }), {});
    // ok: plaintext-health-data
    await writeFile('/var/exports/ward-counts.json', JSON.stringify(byWard));
  }
}
`,
  'apps/api/src/encounter/encounter.dto.ts': `export class EncounterDto {
  id!: string;
  ward!: string;
  // ok: plaintext-health-data
  chiefComplaint!: string;
  // ok: plaintext-health-data
  diagnosisCodes!: string[];
}
`,
  'apps/web/src/hooks/useDraftIntake.ts': `type IntakeForm = { allergies: string; currentMedications: string; smoker: boolean; contactPhone: string };
type UiState = { step: number; collapsed: boolean; theme: 'light' | 'dark' };

export function saveDraft(form: IntakeForm) {
  // ruleid: plaintext-health-data
  window.localStorage.setItem('intake-draft', JSON.stringify(form));
}

export function saveUi(state: UiState) {
  // ok: plaintext-health-data
  window.localStorage.setItem('ui', JSON.stringify(state));
}

export function rememberPhone(form: IntakeForm) {
  // ok: plaintext-health-data
  sessionStorage.setItem('phone', form.contactPhone);
}
`,
  'services/billing/models/claim.js': `const { DataTypes } = require('sequelize');
const { seal } = require('../lib/kms');

module.exports = (sequelize) => sequelize.define('Claim', {
  // ok: plaintext-health-data
  claimNumber: { type: DataTypes.STRING, unique: true },
  // ruleid: plaintext-health-data
  procedureCodes: DataTypes.JSON,
  // ruleid: plaintext-health-data
  diagnosisCode: DataTypes.STRING,
  // ok: plaintext-health-data
  memberSsn: { type: DataTypes.STRING, set(v) { this.setDataValue('memberSsn', seal(v)); } },
  // ok: plaintext-health-data
  amountCents: DataTypes.INTEGER,
}, { tableName: 'claims' });
`,
  'services/genomics/src/sample.model.ts': `import { Schema, model } from 'mongoose';
import encrypt from 'mongoose-encryption';

const SampleSchema = new Schema({
  // ok: plaintext-health-data
  accession: { type: String, index: true, unique: true },
  // ok: plaintext-health-data
  vcfPath: String,
  // ruleid: plaintext-health-data
  variantCalls: [{ gene: String, hgvs: String }],
  // ok: plaintext-health-data
  pharmacogenomicProfile: String,
  // ok: plaintext-health-data
  receivedAt: Date,
});

SampleSchema.plugin(encrypt, { encryptionKey: process.env.EK, signingKey: process.env.SK, encryptedFields: ['pharmacogenomicProfile'] });
export const Sample = model('Sample', SampleSchema);
`,
  'db/migrations/20240301_create_allergies.js': `exports.up = async (knex) => {
  await knex.schema.createTable('allergy_records', (table) => {
    table.increments('id');
    // ok: plaintext-health-data
    table.integer('patient_id').notNullable();
    // ruleid: plaintext-health-data
    table.string('allergen');
    // ruleid: plaintext-health-data
    table.string('reaction_severity');
    // ok: plaintext-health-data
    table.timestamp('recorded_at').defaultTo(knex.fn.now());
  });
};
`,
  'db/sql/002_vitals.sql': `CREATE TABLE vital_signs (
  id BIGSERIAL PRIMARY KEY,
  -- ok: plaintext-health-data
  patient_id BIGINT NOT NULL,
  -- ruleid: plaintext-health-data
  blood_pressure VARCHAR(16),
  -- ruleid: plaintext-health-data
  heart_rate INTEGER,
  -- ok: plaintext-health-data
  measured_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- ok: plaintext-health-data
  glucose_reading_enc BYTEA
);

-- ruleid: plaintext-health-data
INSERT INTO vital_signs (patient_id, blood_pressure, heart_rate) VALUES (42, '150/95', 88);

-- ok: plaintext-health-data
UPDATE vital_signs SET measured_at = now() WHERE id = 1;
`,
  'services/portal/src/db/schema.ts': `import { pgTable, serial, text, timestamp, customType } from 'drizzle-orm/pg-core';
import { encryptText } from '../crypto';

const encrypted = customType<{ data: string }>({ dataType: () => 'text', toDriver: (v) => encryptText(v) });

export const messages = pgTable('patient_messages', {
  id: serial('id').primaryKey(),
  // ok: plaintext-health-data
  subject: text('subject'),
  // ok: plaintext-health-data
  symptomsDescription: encrypted('symptoms_description'),
  // ruleid: plaintext-health-data
  medicalHistory: text('medical_history'),
  // ok: plaintext-health-data
  sentAt: timestamp('sent_at'),
});
`,
  'services/portal/src/routes/results.ts': `import { Router } from 'express';
import { db } from '../db';

export const router = Router();

router.get('/results/:id', async (req, res) => {
  const row = await db.query('SELECT id, test_name, result_value, flag FROM lab_results WHERE id = $1', [req.params.id]);
  // ruleid: plaintext-health-data
  res.cookie('last_result', row.rows[0].result_value, { httpOnly: true });
  // ok: plaintext-health-data
  res.cookie('last_result_id', row.rows[0].id, { httpOnly: true });
  res.json(row.rows[0]);
});

router.get('/health', (_req, res) => {
  // ok: plaintext-health-data
  res.cookie('healthcheck', 'ok');
  res.send('ok');
});
`,
  'tools/lint-report.ts': `import { writeFileSync } from 'fs';
interface Diagnostic { file: string; line: number; message: string; severity: 'error' | 'warning' }
export function writeReport(diagnostics: Diagnostic[], testResults: { passed: number; failed: number }) {
  // ok: plaintext-health-data
  writeFileSync('reports/diagnostics.json', JSON.stringify(diagnostics));
  // ok: plaintext-health-data
  writeFileSync('reports/tests.json', JSON.stringify(testResults));
}
`,
};

interface Expected {
  file: string;
  line: number;
  kind: 'ruleid' | 'ok';
}

function annotations(): Expected[] {
  const out: Expected[] = [];
  for (const [file, text] of Object.entries(FILES)) {
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      const m = /^\s*(?:\/\/|--)\s*(ruleid|ok):\s*plaintext-health-data\s*$/.exec(line);
      if (!m) return;
      let j = i + 1;
      while (j < lines.length && (lines[j]!.trim() === '' || /^\s*(\/\/|--)/.test(lines[j]!))) j++;
      out.push({ file, line: j, kind: m[1] as Expected['kind'] });
    });
  }
  return out;
}

describe(`${RULE} on unseen code (English names, other frameworks)`, () => {
  it('recall and precision >= 0.9', () => {
    const expected = annotations();
    const findings = findingsOf(RULE, FILES);
    const lineOf = (file: string, offset: number) => FILES[file]!.slice(0, offset).split('\n').length - 1;
    const hit = new Set<Expected>();
    const falsePositives: string[] = [];
    for (const f of findings) {
      const line = lineOf(f.file, f.range.start);
      // As the shared scorer: a finding on the annotated line or the one after it.
      const target = expected.find(
        (e) => e.file === f.file && (e.line === line || e.line + 1 === line) && e.kind === 'ruleid',
      );
      if (target) hit.add(target);
      else falsePositives.push(`${f.file}:${line + 1} ${f.message}`);
    }
    const positives = expected.filter((e) => e.kind === 'ruleid');
    const missed = positives.filter((e) => !hit.has(e)).map((e) => `${e.file}:${e.line + 1}`);
    const recall = hit.size / positives.length;
    const precision = hit.size / (hit.size + falsePositives.length);
    const report = `recall ${recall.toFixed(2)} precision ${precision.toFixed(2)}\nmissed: ${missed.join(', ')}\nfalse positives:\n${falsePositives.join('\n')}`;
    expect(positives.length).toBeGreaterThanOrEqual(15);
    expect(recall, report).toBeGreaterThanOrEqual(0.9);
    expect(precision, report).toBeGreaterThanOrEqual(0.9);
  });
});
