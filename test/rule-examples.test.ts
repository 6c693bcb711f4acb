import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { reservedForTesting, schemesOf } from '../server/src/engine/identifiers/index.js';
import { findingsOf, REPO_ROOT } from './helpers.js';

/**
 * A rule's documentation cannot drift from its behaviour: every example of `rules/<id>.yaml`
 * (`examples.bad` / `examples.good`) and every fenced block under "Bad:" / "Good:" in the
 * "Examples" section of `rules/<id>.md` is analysed with that rule alone. A bad example yields at
 * least one finding in its own file, a good one none.
 *
 * The snippets are written for people, so they are dropped into a small lab application: the
 * schema of its tables, its record types, and the usual imports and objects (`app`, `pool`,
 * `logger`...) that a snippet uses without declaring them.
 */

type Verdict = 'bad' | 'good';
type Language = 'ts' | 'sql' | 'prisma';
interface Example {
  where: string;
  verdict: Verdict;
  code: string;
  language?: Language;
}

const RULES = readdirSync(join(REPO_ROOT, 'rules'))
  .filter((n) => n.endsWith('.yaml'))
  .map((n) => n.slice(0, -5))
  .sort();

/** The lab application every example is analysed in (its own findings are not the example's). */
const CONTEXT: Record<string, string> = {
  'db/schema.sql': [
    'CREATE TABLE patients (id INT PRIMARY KEY, nom TEXT, prenom TEXT, date_naissance DATE, nir CHAR(15), telephone TEXT, email TEXT, antecedents TEXT, diagnostic TEXT);',
    'CREATE TABLE resultats (id INT PRIMARY KEY, patient_id INT REFERENCES patients(id), code_loinc TEXT, libelle TEXT, valeur TEXT, unite TEXT, interpretation TEXT);',
    'CREATE TABLE dossiers (id INT PRIMARY KEY, patient_id INT REFERENCES patients(id), diagnostic TEXT, motif TEXT);',
    'CREATE TABLE resultats_sil (id INT PRIMARY KEY, dossier_id INT REFERENCES dossiers(id), code_test TEXT, valeur TEXT);',
  ].join('\n'),
  'src/records.ts': [
    'interface Resultat { id: string; codeBarre: string; libelle: string; valeur: number; unite: string; interpretation: string; codeLoinc: string; diagnostic: string }',
    'interface CompteRendu { id: string; statut: string; conclusion: string; resultats: Resultat[] }',
  ].join('\n'),
  'src/lab/crypto.ts': [
    "import { createCipheriv, randomBytes } from 'node:crypto';",
    'declare const KEY: Buffer;',
    'function seal(v: string): string {',
    '  const iv = randomBytes(12);',
    "  const c = createCipheriv('aes-256-gcm', KEY, iv);",
    "  return Buffer.concat([iv, c.update(v, 'utf8'), c.final()]).toString('base64');",
    '}',
    'export const encryptedTransformer = { to: (v: string) => seal(v), from: (v: string) => v };\nexport function encryptField(v: string): string { return seal(v); }',
  ].join('\n'),
  'src/auth.ts':
    'export function requireAuth(req: unknown, res: unknown, next: () => void) { next(); }\nexport function handler(req: unknown, res: unknown) {}\n',
};

/** What a TypeScript snippet may use without declaring it. */
const PRELUDE = [
  "import express from 'express';",
  "import axios from 'axios';",
  "import * as Sentry from '@sentry/node';",
  "import { Client } from 'basic-ftp';",
  "import { Readable } from 'node:stream';",
  "import { writeFile, unlink } from 'node:fs/promises';",
  "import { join } from 'node:path';",
  "import { tmpdir } from 'node:os';",
  "import pino from 'pino';",
  "import { Pool } from 'pg';",
  "import { S3 } from '@aws-sdk/client-s3';",
  "import { Schema } from 'mongoose';",
  "import { fieldEncryption } from 'mongoose-field-encryption';",
  "import { DataTypes, Sequelize } from 'sequelize';",
  "import { encryptField } from './crypto';",
  "import { requireAuth, handler } from './auth.js';",
  'const app = express();',
  'const s3 = new S3({});',
  'const pool = new Pool();',
  'const logger = pino();',
  "const hl7Log = pino({ redact: ['*.valeur', '*.interpretation', '*[*].valeur', '*[*].interpretation'] });",
  'const client = new Client();',
  "const sequelize = new Sequelize('postgres://lab');",
  'let r: Resultat;',
  'let cr: CompteRendu;',
  'let resultat: Resultat;',
  'let resultats: Resultat[];',
  '',
].join('\n');

function yamlExamples(rule: string): Example[] {
  const meta = parse(readFileSync(join(REPO_ROOT, 'rules', `${rule}.yaml`), 'utf8')) as {
    examples?: Partial<Record<Verdict, string[]>>;
  };
  return (['bad', 'good'] as const).flatMap((verdict) =>
    (meta.examples?.[verdict] ?? []).map((code, i) => ({
      where: `${rule}.yaml examples.${verdict}[${i}]`,
      verdict,
      code,
    })),
  );
}

/**
 * The fenced blocks of the doc page under a "Bad:" / "Good:" line or a "## Bad" / "## Good" heading
 * (up to the next heading): code elsewhere ("How to fix") is not an example.
 */
function docExamples(rule: string): Example[] {
  const text = readFileSync(join(REPO_ROOT, 'rules', `${rule}.md`), 'utf8');
  const out: Example[] = [];
  let verdict: Verdict | undefined;
  const re = /^(?:#+ (Bad|Good)\b.*|(Bad|Good)\b[^\n]*:)\s*$|^(#+ )|^```(\w+)\n([\s\S]*?)^```/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1] ?? m[2]) verdict = (m[1] ?? m[2])!.toLowerCase() as Verdict;
    else if (m[3]) verdict = undefined;
    else if (verdict)
      out.push({
        where: `${rule}.md ${verdict} block ${out.length + 1} (${m[4]})`,
        verdict,
        code: m[5]!,
        language: m[4] as Language,
      });
  }
  return out;
}

function languageOf(e: Example): Language {
  if (e.language) return e.language;
  if (/^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|COPY|WITH|DROP|ALTER)\b/i.test(e.code)) return 'sql';
  if (/^\s*\w+\s+[A-Z]\w*[?[\]]*(\s|$)/.test(e.code) && !/[;(=]/.test(e.code.replace(/\/\/\/.*$/gm, '')))
    return 'prisma';
  return 'ts';
}

/**
 * The pages never print a checksum-valid identifier: they mask it (`29510••••••••••`). The test
 * fills the masked digits so that the value is valid again, which is what the example stands for.
 */
function unmask(code: string): string {
  const fill = '1415926535897932384626433832795';
  return code.replace(/([0-9 ]*•[0-9 •]*)/g, (masked) => {
    let k = 0;
    const base = masked.replace(/•/g, () => fill[k++ % fill.length]!);
    const slots = [...masked.matchAll(/•/g)].map((m) => m.index).slice(-2);
    for (let n = 0; n < 100; n++) {
      const chars = [...base];
      slots.forEach((at, i) => (chars[at] = String(Math.floor(n / 10 ** (slots.length - 1 - i)) % 10)));
      const candidate = chars.join('');
      const compact = candidate.replace(/ /g, '');
      if (schemesOf(compact).some((s) => !reservedForTesting(s, compact))) return candidate;
    }
    throw new Error(`no valid identifier fills ${masked}`);
  });
}

/** The example as a file of the lab application. */
function fileOf(e: Example): [string, string] {
  const code = unmask(e.code);
  switch (languageOf(e)) {
    case 'sql':
      return ['db/exports/job.sql', code];
    case 'prisma':
      return [
        'prisma/schema.prisma',
        /^\s*(model|enum|datasource|generator)\b/m.test(code)
          ? code
          : `model Patient {\n  id Int @id\n  nom String\n  resultats Resultat[]\n}\n\nmodel Resultat {\n  id Int @id\n  patientId Int\n  patient Patient @relation(fields: [patientId], references: [id])\n  ${code}\n}\n`,
      ];
    case 'ts': {
      if (/^(\s*\/\/.*\n)*\s*@(Column|PrimaryColumn|PrimaryGeneratedColumn)\b/.test(code))
        return [
          'src/lab/entity.ts',
          `import { Column, Entity } from 'typeorm';\nimport { encryptedTransformer } from './crypto';\n@Entity()\nexport class Patient {\n${code}\n}\n`,
        ];
      if (/^(\s*\/\/.*\n)*\s*@(Get|Post|Put|Patch|Delete)\(/.test(code))
        return [
          'src/lab/patients.controller.ts',
          `import { Controller, Get } from '@nestjs/common';\nimport { Public } from './public.decorator';\n@Controller('patients')\nexport class PatientsController {\n  constructor(private readonly resultats: { find(id: string): Resultat }) {}\n${code}\n}\n`,
        ];
      return ['src/lab/job.ts', PRELUDE + code];
    }
  }
}

describe("each rule's examples, in its YAML and its doc page, run", () => {
  for (const rule of RULES) {
    const examples = [...yamlExamples(rule), ...docExamples(rule)];
    if (examples.length === 0) continue;
    it.each(examples.map((e) => [e.where, e] as const))('%s', (_where, e) => {
      const [file, text] = fileOf(e);
      const findings = findingsOf(rule, { ...CONTEXT, [file]: text }).filter((f) => f.file === file);
      if (e.verdict === 'bad') expect(findings.length, `${e.where} yields no finding:\n${e.code}`).toBeGreaterThan(0);
      else
        expect(
          findings.map((f) => f.message),
          `${e.where} yields a finding:\n${e.code}`,
        ).toEqual([]);
    });
  }

  it('covers every rule that has examples, doc blocks included', () => {
    const withDocBlocks = RULES.filter((rule) => docExamples(rule).length > 0);
    expect(withDocBlocks).toEqual(RULES);
    for (const rule of RULES)
      expect(
        docExamples(rule).map((e) => e.verdict),
        rule,
      ).toEqual(expect.arrayContaining(['bad', 'good']));
  });
});
