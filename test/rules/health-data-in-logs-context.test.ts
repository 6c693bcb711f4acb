import { describe, expect, it } from 'vitest';
import { Project } from '../../server/src/engine/index.js';
import { covered, findingsOf, testConfig } from '../helpers.js';

const RULE = 'health-data-in-logs';

/** Files of a test: the one named `main` holds the expected findings. */
type Case = { name: string; files: Record<string, string>; main?: string };

const reported: (Case & { found: string[] })[] = [
  // Rows inherit the columns the query selects, whatever the client.
  {
    name: 'the rows of a pg query selecting a diagnosis',
    files: {
      'a.js':
        "const { Pool } = require('pg');\nconst pool = new Pool();\nasync function f(id) {\n  const r = await pool.query('SELECT v.seen_at, v.diagnosis FROM visits v WHERE v.patient_id = $1', [id]);\n  console.log(r.rows);\n}",
    },
    found: ['r.rows'],
  },
  {
    name: 'the result of a query wrapper given SQL held in a local, its columns aliased',
    files: {
      'a.ts':
        "export class Records {\n  constructor(private readonly warehouse: { query(sql: string): Promise<unknown> }, private readonly logger: { log(...a: unknown[]): void }) {}\n  async forPatient(key: number) {\n    const query = `\n      SELECT p.FullName, any(d.Label) AS DiagnosisLabel\n      FROM DimPatient p JOIN FactStay s ON s.PatientKey = p.PatientKey JOIN DimDiagnosis d ON d.DiagnosisKey = s.DiagnosisKey\n      WHERE p.PatientKey = ${key}`;\n    const result = await this.warehouse.query(query);\n    this.logger.log('records', result);\n  }\n}",
    },
    found: ['result'],
  },
  {
    name: "a person's name read from a join with a genetic test table",
    files: {
      'a.ts':
        "export async function report(db: { query(sql: string, p: object): Promise<unknown> }, run: number) {\n  const sql = `SELECT f.RunKey, p.FullName FROM FactGeneticTestResult f JOIN DimPatient p ON p.PatientKey = f.PatientKey WHERE f.RunKey = {run:UInt64}`;\n  const rows = await db.query(sql, { run });\n  console.log('rows', JSON.stringify(rows));\n}",
    },
    found: ['JSON.stringify(rows)'],
  },
  {
    name: 'a star over a table whose schema has health columns, through a tagged template',
    files: {
      'schema.sql': 'CREATE TABLE lab_results (id int, patient_id int, analyte text, result_value text);',
      'a.ts':
        'export async function f(prisma: { $queryRaw(t: TemplateStringsArray): Promise<unknown> }) {\n  const rows = await prisma.$queryRaw`SELECT * FROM lab_results`;\n  console.info(rows);\n}',
    },
    main: 'a.ts',
    found: ['rows'],
  },
  {
    name: 'rows a method of the same class returns',
    files: {
      'a.ts':
        "export class Visits {\n  constructor(private db: { query(s: string, p: unknown[]): Promise<{ rows: unknown[] }> }, private logger: { info(...a: unknown[]): void }) {}\n  private async load(id: string) { const r = await this.db.query('SELECT v.diagnosis FROM visits v WHERE v.id = $1', [id]); return r.rows; }\n  async show(id: string) { const rows = await this.load(id); this.logger.info('visit', rows); }\n}",
    },
    found: ['rows'],
  },
  // The value a variable holds when it is logged.
  {
    name: 'a variable reassigned with a record after holding a count',
    files: {
      'a.ts':
        'export function f(visits: { diagnosis: string }[]) {\n  let shown: unknown = visits.length;\n  shown = visits[0];\n  console.log(shown);\n}',
    },
    found: ['shown'],
  },
  // A process that keeps running: what its console prints is kept by the platform that runs it.
  {
    name: 'a route module the app loads by reading its folder (not imported by name)',
    files: {
      'routes/visits.js':
        "const router = require('express').Router();\nrouter.get('/:id', async (req, res) => {\n  const visit = await Visit.findById(req.params.id);\n  console.log('visit', visit.diagnosis);\n  res.json({ ok: true });\n});\nmodule.exports = router;",
    },
    found: ['visit.diagnosis'],
  },
  {
    name: 'a worker that starts itself and keeps running on a timer',
    files: {
      'worker.js':
        "async function tick() {\n  const visit = await Visit.findOne({ pending: true });\n  console.log('processing', visit.diagnosis);\n}\nasync function main() { setInterval(tick, 60000); }\nmain();",
    },
    found: ['visit.diagnosis'],
  },
  {
    name: 'a script that other code imports is a module, whatever it starts',
    files: {
      'jobs/report.js':
        'async function report() {\n  const visit = await Visit.findOne({});\n  console.log(visit.diagnosis);\n}\nreport();\nmodule.exports = { report };',
      'server.js': "const express = require('express');\nrequire('./jobs/report');\nexpress().listen(3000);",
    },
    main: 'jobs/report.js',
    found: ['visit.diagnosis'],
  },
  // A console that is kept: a server, or a browser whose console the app forwards.
  {
    name: 'a browser component whose console the app forwards to LogRocket',
    files: {
      'src/monitoring.ts': "import LogRocket from 'logrocket';\nLogRocket.init('org/app');",
      'src/Visit.tsx':
        "import { useState } from 'react';\nexport function Visit(props: { visit: { diagnosis: string } }) {\n  const [open] = useState(false);\n  console.log(props.visit.diagnosis);\n  return open;\n}",
    },
    main: 'src/Visit.tsx',
    found: ['props.visit.diagnosis'],
  },
  {
    name: 'a browser file whose console a Sentry console integration captures',
    files: {
      'src/sentry.ts':
        "import * as Sentry from '@sentry/react';\nSentry.init({ dsn: 'x', integrations: [Sentry.captureConsoleIntegration()] });",
      'src/store.ts':
        "export function keep(r: { diagnosis: string }) {\n  localStorage.setItem('last', 'x');\n  console.warn('kept', r.diagnosis);\n}",
    },
    main: 'src/store.ts',
    found: ['r.diagnosis'],
  },
  {
    name: 'a logger whose format only renames the level (it masks nothing)',
    files: {
      'a.ts':
        "import winston from 'winston';\nconst upper = winston.format((info) => { info.level = info.level.toUpperCase(); info.service = 'lab-api'; return info; });\nconst log = winston.createLogger({ format: upper() });\nexport function f(v: { diagnosis: string }) { log.info(`visit ${v.diagnosis}`); }",
    },
    found: ['v.diagnosis'],
  },
  {
    name: 'an API route of a Next.js app (server side), even with React in the project',
    files: {
      'app/api/visits/route.ts':
        "export async function POST(req: Request) {\n  const visit = (await req.json()) as { diagnosis: string };\n  console.log('new visit', visit.diagnosis);\n  return new Response('ok');\n}",
    },
    found: ['visit.diagnosis'],
  },
];

const silent: Case[] = [
  // A script run by hand: its console is the terminal of whoever runs it.
  {
    name: 'a fix script that starts itself and ends (node fix-visits.js)',
    files: {
      'fix-visits.js':
        "const mongoose = require('mongoose');\nasync function fixVisits() {\n  await mongoose.connect(process.env.MONGO_URL);\n  const visit = await Visit.findOne({ broken: true });\n  console.log('fixing', visit.diagnosis);\n  await mongoose.disconnect();\n}\nfixVisits().catch((e) => { console.error(e); process.exit(1); });",
    },
  },
  {
    name: 'a debug script guarded by require.main',
    files: {
      'scripts/debug-visit.js':
        'const showVisit = async (id) => {\n  const visit = await Visit.findById(id);\n  console.log(visit.diagnosis);\n};\nif (require.main === module) showVisit(process.argv[2]);\nmodule.exports = showVisit;',
    },
  },
  {
    name: 'an inline async script',
    files: {
      'check.mjs': '(async () => {\n  const visit = await Visit.findOne({});\n  console.log(visit.diagnosis);\n})();',
    },
  },
  // The browser's own console, nobody collects it.
  {
    name: "a React component's console",
    files: {
      'src/Visit.tsx':
        "import { useState } from 'react';\nexport function Visit(props: { visit: { diagnosis: string } }) {\n  const [open] = useState(false);\n  console.log(props.visit.diagnosis);\n  return open;\n}",
    },
  },
  {
    name: "a 'use client' file",
    files: {
      'app/visits/Form.tsx':
        "'use client';\nexport function save(v: { diagnosis: string }) { console.debug('saving', v.diagnosis); }",
    },
  },
  {
    name: 'a helper module imported only by browser components',
    files: {
      'src/visits/format.ts':
        "export function describe(v: { diagnosis: string }) { console.log('formatting', v.diagnosis); return v.diagnosis; }",
      'src/visits/VisitCard.tsx':
        "import { useMemo } from 'react';\nimport { describe } from './format';\nexport function VisitCard(p: { v: { diagnosis: string } }) { return useMemo(() => describe(p.v), [p.v]); }",
    },
    main: 'src/visits/format.ts',
  },
  {
    name: 'a browser file when only the server forwards its own console',
    files: {
      'server/wrap.ts':
        "import express from 'express';\nconsole.log = (...a: unknown[]) => process.stdout.write(a.join(' '));\nexport const app = express();",
      'src/store.ts':
        "export function keep(r: { diagnosis: string }) {\n  sessionStorage.setItem('k', 'x');\n  console.warn('kept', r.diagnosis);\n}",
    },
    main: 'src/store.ts',
  },
  // SQL text and search criteria carry no one's data.
  {
    name: 'SQL text with placeholders and clauses built from the search form',
    files: {
      'a.ts':
        "export async function search(db: { query(s: string, p: object): Promise<unknown> }, filters: { diagnosis?: string; sortBy: string }) {\n  const where = filters.diagnosis ? 'AND d.Label ILIKE {diagnosis:String}' : '';\n  const sql = `SELECT p.PatientKey FROM DimPatient p JOIN DimDiagnosis d ON d.Key = p.DxKey WHERE 1 = 1 ${where} ORDER BY ${filters.sortBy}`;\n  console.log('running', sql);\n  return db.query(sql, { diagnosis: `%${filters.diagnosis}%` });\n}",
    },
  },
  {
    name: 'the diagnosis a doctor typed into a search form, and the query parameters built from it',
    files: {
      'a.ts':
        "interface PatientSearchDto { name?: string; diagnosis?: string; page?: number }\nexport function search(searchDto: PatientSearchDto) {\n  console.log('search', JSON.stringify(searchDto));\n  const queryParams: Record<string, unknown> = {};\n  if (searchDto.diagnosis) queryParams.diagnosis = `%${searchDto.diagnosis}%`;\n  console.log('diagnosis filter', queryParams.diagnosis);\n  return queryParams;\n}",
    },
  },
  {
    name: 'paging numbers destructured from a DTO that also has health fields',
    files: {
      'a.ts':
        "interface VisitQuery { page: number; limit: number; diagnosis: string }\nexport function page(q: VisitQuery) {\n  const { page, limit } = q;\n  console.log('paging', { page, limit });\n}",
    },
  },
  {
    name: 'a count that replaced a record in the variable before the log',
    files: {
      'a.ts':
        'export function f(visits: { diagnosis: string }[]) {\n  let shown: unknown = visits[0];\n  shown = visits.length;\n  console.log(shown);\n}',
    },
  },
  {
    name: 'a query selecting only keys and counts',
    files: {
      'a.js':
        "async function dupes(db) {\n  const r = await db.query('SELECT patient_id, prescription_id, COUNT(*) AS n FROM patient_prescriptions GROUP BY patient_id, prescription_id');\n  throw new Error(`duplicates: ${JSON.stringify(r.rows)}`);\n}",
    },
  },
  // Codes, constants and errors made elsewhere.
  {
    name: 'a message from an error catalogue, imported',
    files: {
      'errors.ts':
        "export const ERRORS = { TREATMENT_NOT_FOUND: 'Treatment not found', DIAGNOSIS_LOCKED: 'Diagnosis is locked' };",
      'a.ts':
        "import { ERRORS } from './errors';\nexport function guard(ok: boolean) { if (!ok) throw new Error(ERRORS.TREATMENT_NOT_FOUND); }",
    },
    main: 'a.ts',
  },
  {
    name: 'a fixed list of sample file names',
    files: {
      'a.ts':
        "const VCF_SAMPLES = ['sample-a.vcf.gz', 'sample-b.vcf.gz'];\nexport function pick(i: number) { console.log('using', VCF_SAMPLES[i]); }",
    },
  },
  {
    name: 'a caught error rethrown',
    files: {
      'a.ts': 'export function f(run: () => void) { try { run(); } catch (diagnosisError) { throw diagnosisError; } }',
    },
  },
  {
    name: 'an error object of a project error class, rethrown from a variable',
    files: {
      'a.ts':
        "class OutcomeError extends Error { constructor(public outcome: { diagnostics: string }) { super('x'); } }\nexport function f(err: OutcomeError | undefined) { if (err) throw err; }",
    },
  },
  {
    name: 'the output of a process run in a sandbox',
    files: {
      'a.js':
        'async function run(sandbox, code) {\n  const result = await sandbox.process.codeRun(code);\n  if (result.exitCode !== 0) throw new Error(`failed: ${result.result}`);\n  return result.result;\n}',
    },
  },
  // A logger whose format or serializer masks fields, whatever it is called.
  {
    name: 'a winston format that deletes and overwrites the health fields',
    files: {
      'a.ts':
        "import winston from 'winston';\nconst clean = winston.format((info) => { delete info.diagnosis; info.nhsNumber = '***'; return info; });\nconst log = winston.createLogger({ format: winston.format.combine(clean(), winston.format.json()) });\nexport function f(v: { diagnosis: string }) { log.info('visit', { diagnosis: v.diagnosis }); }",
    },
  },
  {
    name: 'pino serializers that pass records through a project helper that hides fields',
    files: {
      'a.ts':
        "import pino from 'pino';\nfunction hidePhi(o: Record<string, unknown>) { return { ...o, diagnosis: undefined }; }\nconst log = pino({ serializers: { visit: (v: Record<string, unknown>) => hidePhi(v) } });\nexport function f(visit: { diagnosis: string }) { log.info({ visit }); }",
    },
  },
  {
    name: 'the value of a generic typed-value wrapper',
    files: {
      'a.ts':
        'interface TypedValue { type: string; value: unknown }\nexport function single(v: TypedValue[]) { if (v.length > 1) throw new Error(`expected one, got ${JSON.stringify(v)}`); return v[0]; }',
    },
  },
  {
    name: 'a FHIR OperationOutcome (an error report)',
    files: {
      'a.ts':
        "interface OperationOutcome { issue: { severity: string; diagnostics?: string }[] }\nexport function warn(logger: { warn(...a: unknown[]): void }, o: OperationOutcome) { logger.warn('request failed', o); }",
    },
  },
  {
    name: 'the fields of a caught error passed to a new error',
    files: {
      'a.ts':
        "class OutcomeError extends Error { constructor(public outcome: unknown) { super('x'); } }\nexport function f(run: () => void) { try { run(); } catch (err: any) { throw new OutcomeError(err.outcome); } }",
    },
  },
  {
    name: 'a union member picked by a type guard that holds no health data',
    files: {
      'a.ts':
        "interface Visit { diagnosis: string }\ninterface Ping { at: number }\ndeclare function load(): Visit | Ping;\nfunction isPing(x: Visit | Ping): x is Ping { return 'at' in x; }\nexport function f(logger: { info(...a: unknown[]): void }) { const v = load(); if (isPing(v)) logger.info('ping', v); }",
    },
  },
  {
    name: 'the URL of a resource',
    files: {
      'a.js':
        "function warn(logger, elem) { const url = elem.value; logger.warn('duplicate canonical URL', { url }); }",
    },
  },
];

const mainFile = (c: Case) => c.main ?? Object.keys(c.files)[0]!;

describe(`${RULE}: what reaches a kept log`, () => {
  it.each(reported)('reports $name', (c) => {
    const main = mainFile(c);
    const findings = findingsOf(RULE, c.files).filter((f) => f.file === main);
    expect(findings.map((f) => covered(c.files[main]!, f))).toEqual(c.found);
  });

  it.each(silent)('is silent on $name', (c) => {
    const main = mainFile(c);
    expect(findingsOf(RULE, c.files).filter((f) => f.file === main)).toEqual([]);
  });

  it("follows an importer's edit: a helper stops being client-side when its only importer becomes server code", () => {
    const project = new Project(testConfig({ only: [RULE] }));
    project.setFile({
      path: 'src/format.ts',
      text: "export function describe(v: { diagnosis: string }) { console.log('formatting', v.diagnosis); return v.diagnosis; }",
    });
    project.setFile({
      path: 'src/Card.tsx',
      text: "import { useMemo } from 'react';\nimport { describe } from './format';\nexport const Card = (p: { v: { diagnosis: string } }) => useMemo(() => describe(p.v), [p.v]);",
    });
    const onHelper = () => project.analyzeAll().findings.filter((f) => f.ruleId === RULE && f.file === 'src/format.ts');
    expect(onHelper()).toEqual([]);
    project.setFile({
      path: 'src/Card.tsx',
      text: "import express from 'express';\nimport { describe } from './format';\nexport const app = express().get('/x', (req, res) => res.send(describe(req.body)));",
    });
    expect(onHelper()).toHaveLength(1);
  });

  it('names the column the rows carry and the table it comes from', () => {
    const c = reported[1]!;
    const [f] = findingsOf(RULE, c.files);
    expect(f!.message).toContain('`DimDiagnosis.DiagnosisLabel`');
  });
});
