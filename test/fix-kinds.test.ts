/**
 * Every kind of fix the rules offer, applied and parsed again: TypeScript's parser for TS/JS, the
 * SQL parser (node-sql-parser, the engine's) for SQL files and for the SQL held in TS strings.
 * A fix that changes code (not a suppression) also makes its finding go away.
 */
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { applyEdits, syntaxErrorCount, type EngineConfig, type Finding, type Fix } from '../server/src/engine/index.js';
import { parseSql } from '../server/src/engine/sql/parse.js';
import type { SqlDialect } from '../server/src/engine/sql/types.js';
import { findingsOf } from './helpers.js';

interface Case {
  kind: string;
  rule: string;
  files: Record<string, string>;
  /** The file the fix edits. */
  file: string;
  /** The start of the fix's title. */
  fix: string;
  config?: Partial<EngineConfig>;
  dialect?: SqlDialect;
  /** The fixed text contains this. */
  contains: string;
}

const SCHEMA =
  'CREATE TABLE patients (\n  id SERIAL PRIMARY KEY,\n  nom TEXT,\n  nir CHAR(15),\n  diagnostic TEXT,\n  statut_vih TEXT\n);\n';
const PRIVACY = { 'src/lib/privacy.ts': "export function redact(value: unknown): string {\n  return '***';\n}\n" };
const job = (body: string, head = '') =>
  `import { writeFile } from 'node:fs/promises';\nimport { join } from 'node:path';\nimport { Pool } from 'pg';\n${head}\nconst pool = new Pool();\nexport async function nightlyExport() {\n${body}\n}\n`;
const PRIVATE = { exports: { privateDir: '/var/lib/biolab/exports' } };

const CASES: Case[] = [
  // select-star-export
  {
    kind: 'SELECT * listed (SQL file)',
    rule: 'select-star-export',
    files: {
      'db/schema.sql': SCHEMA,
      'db/export.sql': "COPY (SELECT * FROM patients) TO '/data/p.csv' WITH (FORMAT csv);\n",
    },
    file: 'db/export.sql',
    fix: 'Replace * with',
    contains: 'SELECT id, nom, nir, diagnostic, statut_vih FROM patients',
  },
  {
    kind: 'SELECT * narrowed to non-sensitive columns (SQL file)',
    rule: 'select-star-export',
    files: {
      'db/schema.sql': SCHEMA,
      'db/export.sql': "COPY (SELECT * FROM patients) TO '/data/p.csv' WITH (FORMAT csv);\n",
    },
    file: 'db/export.sql',
    fix: 'Select only the',
    contains: 'SELECT id, nom FROM patients',
  },
  {
    kind: 'COPY table listed',
    rule: 'select-star-export',
    files: { 'db/schema.sql': SCHEMA, 'db/export.sql': "COPY patients TO '/data/p.csv' WITH (FORMAT csv);\n" },
    file: 'db/export.sql',
    fix: 'List the',
    contains: 'COPY patients (id, nom, nir, diagnostic, statut_vih) TO',
  },
  {
    kind: 'SELECT * listed (SQL in a TS string)',
    rule: 'select-star-export',
    files: {
      'db/schema.sql': SCHEMA,
      'src/export.ts':
        "import { writeFileSync } from 'node:fs';\ndeclare const db: { query(sql: string): Promise<{ rows: unknown[] }> };\nexport async function dump() {\n  const { rows } = await db.query('SELECT * FROM patients');\n  writeFileSync('/data/p.json', JSON.stringify(rows));\n}\n",
    },
    file: 'src/export.ts',
    fix: 'Replace * with',
    contains: "db.query('SELECT id, nom, nir, diagnostic, statut_vih FROM patients')",
  },

  // plaintext-health-data
  {
    kind: 'pgp_sym_encrypt (SQL file)',
    rule: 'plaintext-health-data',
    files: { 'db/schema.sql': SCHEMA, 'db/insert.sql': 'INSERT INTO patients (nom, diagnostic) VALUES ($1, $2);\n' },
    file: 'db/insert.sql',
    fix: 'Encrypt the value',
    contains: "pgp_sym_encrypt($2, current_setting('app.key'))",
  },
  {
    kind: 'pgp_sym_encrypt (SQL in a single-quoted TS string)',
    rule: 'plaintext-health-data',
    files: {
      'db/schema.sql': SCHEMA,
      'src/save.ts':
        "declare const db: { query(sql: string, values: unknown[]): Promise<void> };\nexport const save = (nom: string, dx: string) => db.query('INSERT INTO patients (nom, diagnostic) VALUES ($1, $2)', [nom, dx]);\n",
    },
    file: 'src/save.ts',
    fix: 'Encrypt the value',
    contains: "pgp_sym_encrypt($2, current_setting(\\'app.key\\'))",
  },
  {
    kind: 'AES_ENCRYPT (MySQL)',
    rule: 'plaintext-health-data',
    dialect: 'mysql',
    files: {
      'db/schema.sql':
        'CREATE TABLE patients (id INT AUTO_INCREMENT PRIMARY KEY, nom TEXT, diagnostic TEXT) ENGINE=InnoDB;\n',
      'db/insert.sql':
        "INSERT INTO patients (nom, diagnostic) VALUES ('x', 'diabete') ON DUPLICATE KEY UPDATE nom = nom;\n",
    },
    file: 'db/insert.sql',
    fix: 'Encrypt the value with AES_ENCRYPT(..., @app_key) (the column must become VARBINARY or BLOB',
    contains: "AES_ENCRYPT('diabete', @app_key)",
  },
  {
    kind: 'TypeORM transformer into the options',
    rule: 'plaintext-health-data',
    files: {
      'src/p.entity.ts':
        "import { Column, Entity } from 'typeorm';\nimport { enc } from './crypto';\n@Entity() export class Patient {\n  @Column() patientId: string;\n  @Column({ type: 'text' }) diagnosis: string;\n}\n",
      'src/crypto.ts': 'export const enc = { to: (v: string) => v, from: (v: string) => v };\n',
    },
    config: { encryption: { transformers: ['enc'] } },
    file: 'src/p.entity.ts',
    fix: 'Encrypt the column',
    contains: "@Column({ type: 'text', transformer: enc }) diagnosis: string;",
  },
  {
    kind: 'TypeORM transformer as a new options argument, imported',
    rule: 'plaintext-health-data',
    files: {
      'src/p.entity.ts':
        "import { Column, Entity } from 'typeorm';\n@Entity() export class Patient {\n  @Column() patientId: string;\n  @Column('text') diagnosis: string;\n}\n",
      'src/crypto.ts': 'export const enc = { to: (v: string) => v, from: (v: string) => v };\n',
    },
    config: { encryption: { transformers: ['enc'] } },
    file: 'src/p.entity.ts',
    fix: 'Encrypt the column',
    contains:
      "import { enc } from './crypto';\n@Entity() export class Patient {\n  @Column() patientId: string;\n  @Column('text', { transformer: enc }) diagnosis: string;",
  },
  {
    kind: 'EntitySchema transformer, multi-line',
    rule: 'plaintext-health-data',
    files: {
      'src/r.ts':
        "import { EntitySchema } from 'typeorm';\nimport { enc } from './crypto';\nexport const R = new EntitySchema({\n  name: 'LabResult',\n  columns: {\n    patientId: { type: String },\n    value: {\n      type: String,\n      nullable: true,\n    },\n  },\n});\n",
      'src/crypto.ts': 'export const enc = { to: (v: string) => v, from: (v: string) => v };\n',
    },
    config: { encryption: { transformers: ['enc'] } },
    file: 'src/r.ts',
    fix: 'Encrypt the column',
    contains: '      nullable: true,\n      transformer: enc,\n    },',
  },
  {
    kind: 'Mongoose: field added to the encrypted fields',
    rule: 'plaintext-health-data',
    files: {
      'src/m.ts':
        "import { Schema } from 'mongoose';\nimport { fieldEncryption } from 'mongoose-field-encryption';\nconst S = new Schema({ patientId: String, hiv: String, hepatitisC: String });\nS.plugin(fieldEncryption, { fields: ['hiv'], secret: 's' });\n",
    },
    file: 'src/m.ts',
    fix: 'Add the field',
    contains: "fields: ['hiv', 'hepatitisC']",
  },
  {
    kind: 'Mongoose: field removed from excludeFromEncryption',
    rule: 'plaintext-health-data',
    files: {
      'src/m.ts':
        "import { Schema } from 'mongoose';\nimport encrypt from 'mongoose-encryption';\nconst V = new Schema({ patientId: String, creatinineClearance: Number });\nV.plugin(encrypt, { secret: 's', excludeFromEncryption: ['creatinineClearance', 'takenAt'] });\n",
    },
    file: 'src/m.ts',
    fix: 'Remove the field',
    contains: "excludeFromEncryption: ['takenAt']",
  },
  {
    kind: 'Prisma /// @encrypted',
    rule: 'plaintext-health-data',
    files: {
      'prisma/schema.prisma':
        'model Visit {\n  id        String @id\n  patientId String\n  diagnosis String // free text\n}\n',
    },
    file: 'prisma/schema.prisma',
    fix: 'Encrypt the field',
    contains: 'diagnosis String /// @encrypted // free text',
  },

  // health-data-in-logs, health-data-to-third-party (one home: sinks/fixes.ts)
  {
    kind: 'logged object replaced by its id',
    rule: 'health-data-in-logs',
    files: {
      'src/a.ts':
        "interface Dx { id: string; diagnosis: string }\nexport function f(dx: Dx) {\n  console.log('sent', { diagnosis: dx });\n}\n",
    },
    file: 'src/a.ts',
    fix: 'Replace `dx` by its id',
    contains: "console.log('sent', { diagnosis: { id: dx.id } });",
  },
  {
    kind: 'logged value wrapped in redact(), imported (ESM)',
    rule: 'health-data-in-logs',
    files: {
      ...PRIVACY,
      'src/a.ts':
        "import pino from 'pino';\nconst logger = pino();\nexport function f(r: { conclusion: string }) {\n  logger.info({ conclusion: r.conclusion });\n}\n",
    },
    file: 'src/a.ts',
    fix: 'Wrap',
    contains: "import pino from 'pino';\nimport { redact } from './lib/privacy';\n",
  },
  {
    kind: 'shorthand property wrapped in redact(), required (CommonJS)',
    rule: 'health-data-in-logs',
    files: {
      'src/lib/privacy.js': "function redact(v) { return '***'; }\nmodule.exports = { redact };\n",
      'src/a.js':
        "const pino = require('pino');\nconst logger = pino();\nfunction f(diagnosis) {\n  logger.info({ diagnosis });\n}\nmodule.exports = { f };\n",
    },
    file: 'src/a.js',
    fix: 'Wrap',
    contains: "const pino = require('pino');\nconst { redact } = require('./lib/privacy');\n",
  },
  {
    kind: 'payload wrapped in redact() for a third party',
    rule: 'health-data-to-third-party',
    files: {
      ...PRIVACY,
      'src/a.ts':
        "import * as Sentry from '@sentry/node';\nexport function f(err: Error, diagnosis: string) {\n  Sentry.captureException(err, { extra: { diagnosis } });\n}\n",
    },
    file: 'src/a.ts',
    fix: 'Wrap',
    contains: '{ extra: { diagnosis: redact(diagnosis) } }',
  },

  // health-data-in-clear-transit
  {
    kind: 'https:// instead of http://',
    rule: 'health-data-in-clear-transit',
    files: {
      'src/a.ts':
        "interface Resultat { id: string; valeur: string; diagnostic: string }\nimport axios from 'axios';\nexport async function send(r: Resultat) {\n  await axios.post('http://lis.partner-lab.example.org/oru', { valeur: r.valeur });\n}\n",
    },
    file: 'src/a.ts',
    fix: 'Use https',
    contains: "'https://lis.partner-lab.example.org/oru'",
  },
  {
    kind: 'certificate verified',
    rule: 'health-data-in-clear-transit',
    files: {
      'src/a.ts':
        "import axios from 'axios';\nimport https from 'node:https';\nexport async function send(diagnostic: string) {\n  const agent = new https.Agent({ rejectUnauthorized: false });\n  await axios.post('https://lis.example.org/in', { diagnostic }, { httpsAgent: agent });\n}\n",
    },
    file: 'src/a.ts',
    fix: 'Verify',
    contains: 'rejectUnauthorized: true',
  },
  {
    kind: 'FTPS instead of FTP',
    rule: 'health-data-in-clear-transit',
    files: {
      'src/a.ts':
        "import { Client } from 'basic-ftp';\nimport { Readable } from 'node:stream';\nexport async function send(results: { valeur: number }[]) {\n  const client = new Client();\n  await client.access({ host: 'ftp.labo.example.fr', user: 'u', password: 'p', secure: false });\n  await client.uploadFrom(Readable.from(JSON.stringify(results.map((r) => r.valeur))), 'out.json');\n}\n",
    },
    file: 'src/a.ts',
    fix: 'Use FTPS',
    contains: 'secure: true',
  },

  // unauthenticated-route
  {
    kind: 'Express middleware added, with its import',
    rule: 'unauthenticated-route',
    files: {
      'src/auth.ts': 'export function requireAuth(req: any, res: any, next: any) { next(); }\n',
      'src/app.ts':
        "import express from 'express';\nimport { requireAuth } from './auth';\nimport { router } from './routes';\nexport const app = express();\napp.get('/me', requireAuth, (req, res) => res.json({ diagnosis: req.params.id }));\napp.use('/api', router);\n",
      'src/routes.ts':
        "import { Router } from 'express';\nexport const router = Router();\nrouter.get('/patients/:id', (req, res) => res.json({ diagnosis: req.params.id }));\n",
    },
    file: 'src/routes.ts',
    fix: 'Require authentication',
    contains:
      "import { requireAuth } from './auth';\nexport const router = Router();\nrouter.get('/patients/:id', requireAuth, (req, res)",
  },
  {
    kind: 'Express middleware in a route chain',
    rule: 'unauthenticated-route',
    files: {
      'src/auth.ts': 'export function requireAuth(req: any, res: any, next: any) { next(); }\n',
      'src/app.ts':
        "import express from 'express';\nimport { requireAuth } from './auth';\nexport const app = express();\napp.get('/me', requireAuth, (req, res) => res.json({ diagnosis: req.params.id }));\napp.route('/patients/:id').get((req, res) => res.json({ diagnosis: req.params.id }));\n",
    },
    file: 'src/app.ts',
    fix: 'Require authentication',
    contains: '.get(requireAuth, (req, res) => res.json({ diagnosis: req.params.id }));',
  },
  {
    kind: 'Fastify onRequest hook',
    rule: 'unauthenticated-route',
    files: {
      'src/f.ts':
        "import Fastify from 'fastify';\nconst fastify = Fastify();\nfastify.get('/records', { schema: {} }, async () => db.records());\ndeclare const db: { records(): unknown };\n",
    },
    file: 'src/f.ts',
    fix: 'Require authentication',
    contains: "fastify.get('/records', { onRequest: [fastify.authenticate], schema: {} }",
  },
  {
    kind: 'Nest @UseGuards with its imports',
    rule: 'unauthenticated-route',
    files: {
      'src/records.ts':
        "import { Controller, Get, Module } from '@nestjs/common';\n\n@Controller('records')\nexport class RecordsController {\n  @Get(':id/results')\n  results() {\n    return this.service.resultats();\n  }\n  service: any;\n}\n@Module({ controllers: [RecordsController] })\nexport class AppModule {}\n",
    },
    file: 'src/records.ts',
    fix: 'Require authentication',
    contains:
      "import { Controller, Get, Module, UseGuards } from '@nestjs/common';\nimport { AuthGuard } from '@nestjs/passport';\n",
  },
  {
    kind: 'Next.js token check',
    rule: 'unauthenticated-route',
    files: {
      'pages/api/resultats/[id].ts':
        "import { prisma } from '../../../src/db';\n\nexport default function handler(req, res) {\n  return prisma.resultatBiologique.findUnique({ where: { id: String(req.query.id) } }).then((r) => res.json(r));\n}\n",
    },
    file: 'pages/api/resultats/[id].ts',
    fix: 'Require a session',
    contains: 'export default async function handler(req, res) {\n  const token = await getToken({ req: req });',
  },

  // export-to-public-location
  {
    kind: 'COPY moved under the private directory',
    rule: 'export-to-public-location',
    config: PRIVATE,
    files: {
      'db/schema.sql': SCHEMA,
      'jobs/nightly.sql':
        "COPY (SELECT * FROM patients) TO '/srv/www/public/exports/patients.csv' WITH (FORMAT csv);\n",
    },
    file: 'jobs/nightly.sql',
    fix: 'Write it under',
    contains: "TO '/var/lib/biolab/exports/exports/patients.csv'",
  },
  {
    kind: 'constant moved under the private directory',
    rule: 'export-to-public-location',
    config: PRIVATE,
    files: {
      'db/schema.sql': SCHEMA,
      'job.ts': job(
        "  const { rows } = await pool.query('SELECT nom, diagnostic FROM patients');\n  await writeFile(`${PUBLIC_DIR}/dx.json`, JSON.stringify(rows));",
        "const PUBLIC_DIR = '/srv/www/public/exports';",
      ),
    },
    file: 'job.ts',
    fix: 'Write it under',
    contains: "const PUBLIC_DIR = '/var/lib/biolab/exports/exports';",
  },
  {
    kind: 'public ACL made private',
    rule: 'export-to-public-location',
    files: {
      'db/schema.sql': SCHEMA,
      'job.ts': job(
        "  const { rows } = await pool.query('SELECT nom, nir FROM patients');\n  await s3.putObject({ Bucket: 'lab-exports', Key: 'p.json', Body: JSON.stringify(rows), ACL: 'public-read' });",
        'declare const s3: any;',
      ),
    },
    file: 'job.ts',
    fix: 'Make the object private',
    contains: "ACL: 'private' });",
  },
  {
    kind: 'signed link shortened',
    rule: 'export-to-public-location',
    files: {
      'db/schema.sql': SCHEMA,
      'job.ts': job(
        "  const { rows } = await pool.query('SELECT nom, nir FROM patients');\n  await s3.putObject({ Bucket: 'lab-exports', Key: 'p.json', Body: JSON.stringify(rows) });\n  return getSignedUrl(s3, cmd, { expiresIn: 7 * 24 * 3600 });",
        'declare const s3: any, cmd: any, getSignedUrl: any;',
      ),
    },
    file: 'job.ts',
    fix: 'Make the signed link expire',
    contains: '{ expiresIn: 3600 }',
  },

  // export-without-erasure
  {
    kind: 'output deleted in a finally block (rm merged into the fs/promises import)',
    rule: 'export-without-erasure',
    files: {
      'db/schema.sql': SCHEMA,
      'job.ts':
        "import { writeFile } from 'node:fs/promises';\nimport { Pool } from 'pg';\nconst pool = new Pool();\nexport async function dump(path: string) {\n  const { rows } = await pool.query('SELECT nom, nir FROM patients');\n  await writeFile(path, JSON.stringify(rows));\n  await notify(path);\n}\ndeclare function notify(p: string): Promise<void>;\n",
      'cli.ts': "import { dump } from './job';\nexport async function main() { await dump('/data/out/p.json'); }\n",
    },
    file: 'job.ts',
    fix: 'Delete',
    contains: "import { rm, writeFile } from 'node:fs/promises';",
  },
  {
    kind: 'output deleted in a finally block (rmSync, CommonJS)',
    rule: 'export-without-erasure',
    files: {
      'db/schema.sql': SCHEMA,
      'job.js':
        "const { writeFileSync } = require('node:fs');\nconst db = require('./db');\nfunction dump(path) {\n  const rows = db.prepare('SELECT nom, nir FROM patients').all();\n  writeFileSync(path, JSON.stringify(rows));\n  return rows.length;\n}\nmodule.exports = { dump };\n",
      'cli.js': "const { dump } = require('./job');\ndump('/data/out/p.json');\n",
    },
    file: 'job.js',
    fix: 'Delete',
    contains: 'rmSync(path, { force: true });',
  },

  // suppression-comment
  {
    kind: 'unused suppression removed',
    rule: 'suppression-comment',
    config: { suppressions: { reportUnused: true }, only: ['health-data-in-logs', 'suppression-comment'] },
    files: {
      'src/a.ts':
        '// gdpr-lint-disable-next-line health-data-in-logs -- synthetic data, DPO ticket 42\nexport const x = 1;\n',
    },
    file: 'src/a.ts',
    fix: 'Remove the unused',
    contains: 'export const x = 1;',
  },
];

const SUPPRESSIONS: Case[] = [
  {
    kind: 'suppression above a TS line',
    rule: 'health-data-in-logs',
    files: { 'src/a.ts': 'export function f(r: { conclusion: string }) {\n  console.log(r.conclusion);\n}\n' },
    file: 'src/a.ts',
    fix: 'Suppress',
    contains: '  // gdpr-lint-disable-next-line health-data-in-logs',
  },
  {
    kind: 'suppression above an SQL line',
    rule: 'plaintext-health-data',
    files: { 'db/schema.sql': SCHEMA, 'db/insert.sql': 'INSERT INTO patients (nom, diagnostic) VALUES ($1, $2);\n' },
    file: 'db/insert.sql',
    fix: 'Suppress',
    contains: '-- gdpr-lint-disable-next-line plaintext-health-data',
  },
  {
    kind: 'suppression inside a multi-line SQL template',
    rule: 'plaintext-health-data',
    files: {
      'db/schema.sql': SCHEMA,
      'src/save.ts':
        'declare const db: { query(sql: string, v: unknown[]): Promise<void> };\nexport const save = (dx: string) => db.query(`\n  INSERT INTO patients (diagnostic)\n  VALUES ($1)`, [dx]);\n',
    },
    file: 'src/save.ts',
    fix: 'Suppress',
    contains: '  -- gdpr-lint-disable-next-line plaintext-health-data',
  },
  {
    kind: 'suppression of a route',
    rule: 'unauthenticated-route',
    files: {
      'src/app.ts':
        "import express from 'express';\nimport { router } from './routes';\nexport const app = express();\napp.use('/api', router);\n",
      'src/routes.ts':
        "import { Router } from 'express';\nexport const router = Router();\nrouter.get('/patients/:id', (req, res) => res.json({ diagnosis: req.params.id }));\n",
    },
    file: 'src/routes.ts',
    fix: 'Suppress',
    contains: '// gdpr-lint-disable-next-line unauthenticated-route',
  },
];

function fixOf(c: Case): { finding: Finding; fix: Fix } {
  const findings = findingsOf(c.rule, c.files, c.config).filter((f) => f.file === c.file);
  for (const finding of findings) {
    const fix = finding.fixes?.find((x) => x.title.startsWith(c.fix));
    if (fix) return { finding, fix };
  }
  throw new Error(`no "${c.fix}..." fix among ${JSON.stringify(findings.map((f) => f.fixes?.map((x) => x.title)))}`);
}

/** The SQL a TS file holds in its string literals (templates with their substitutions as parameters). */
function sqlStrings(path: string, text: string): string[] {
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      if (/^\s*(SELECT|INSERT|UPDATE|DELETE|COPY|WITH)\b/i.test(node.text)) out.push(node.text);
    } else if (ts.isTemplateExpression(node)) {
      const sql = node.head.text + node.templateSpans.map((s, i) => `$${i + 1}${s.literal.text}`).join('');
      if (/^\s*(SELECT|INSERT|UPDATE|DELETE|COPY|WITH)\b/i.test(sql)) out.push(sql);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/**
 * Statements of an SQL file, comments dropped (the test inputs keep no `;` inside strings). The
 * parser has no COPY: its query is parsed, or the column list it names as a SELECT (PGlite runs
 * the real COPY statements in fix-pglite.test.ts).
 */
function sqlStatements(text: string): string[] {
  const statements = text
    .split('\n')
    .filter((l) => !l.trim().startsWith('--'))
    .join('\n')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
  return statements.map((s) => {
    const query = /^COPY\s*\(([\s\S]*)\)\s*TO\b/i.exec(s);
    if (query) return query[1]!;
    const columns = /^COPY\s+([\w.]+)\s*\(([^)]*)\)\s*TO\b/i.exec(s);
    return columns ? `SELECT ${columns[2]} FROM ${columns[1]}` : s;
  });
}

function expectParses(c: Case, fixed: string): void {
  if (c.file.endsWith('.sql')) {
    for (const statement of sqlStatements(fixed))
      expect(parseSql(statement, c.dialect ?? 'postgresql'), statement).toMatchObject({ ok: true });
  } else if (/\.[cm]?[jt]sx?$/.test(c.file)) {
    expect(syntaxErrorCount(c.file, c.files[c.file]!)).toBe(0);
    expect(syntaxErrorCount(c.file, fixed)).toBe(0);
    for (const sql of sqlStrings(c.file, fixed))
      expect(parseSql(sql, c.dialect ?? 'postgresql'), sql).toMatchObject({ ok: true });
  }
}

describe('every fix kind leaves code that parses again', () => {
  it.each(CASES.map((c) => [c.kind, c] as const))('%s', (_kind, c) => {
    const { finding, fix } = fixOf(c);
    const fixed = applyEdits(c.files[c.file]!, fix.edits).text;
    expect(fixed).toContain(c.contains);
    expectParses(c, fixed);
    // The finding is gone: the fix fixed it (the file's other findings may stay).
    const after = findingsOf(c.rule, { ...c.files, [c.file]: fixed }, c.config).filter((f) => f.file === c.file);
    expect(after.filter((f) => f.message === finding.message)).toEqual([]);
    // Prisma has no parser here: the schema is read again, the field now protected.
    if (c.file.endsWith('.prisma')) expect(after).toEqual([]);
  });

  it.each(SUPPRESSIONS.map((c) => [c.kind, c] as const))('%s', (_kind, c) => {
    const { fix } = fixOf(c);
    const fixed = applyEdits(c.files[c.file]!, fix.edits).text;
    expect(fixed).toContain(c.contains);
    expectParses(c, fixed);
    // Suppressed, and its placeholder is reported as no justification.
    expect(
      findingsOf(c.rule, { ...c.files, [c.file]: fixed }, c.config).filter((f) => f.file === c.file && !f.suppressed),
    ).toEqual([]);
    expect(findingsOf('suppression-comment', { ...c.files, [c.file]: fixed }).map((f) => f.data?.['reason'])).toEqual([
      'no-justification',
    ]);
  });
});
