import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { applyEdits, Project, type EngineConfig, type Finding } from '../../server/src/engine/index.js';
import { covered, findingsOf, testConfig } from '../helpers.js';

const RULE = 'export-without-erasure';

const SCHEMA = [
  'CREATE TABLE patients (id UUID PRIMARY KEY, nom TEXT, telephone TEXT, nir CHAR(15), diagnostic TEXT);',
  'CREATE TABLE prescriptions (id UUID, patient_id UUID, traitement TEXT);',
  'CREATE TABLE ordonnances (id UUID, patient_id UUID, traitement TEXT);',
  'CREATE TABLE activite (code_loinc TEXT, mois DATE, nb INT);',
].join('\n');

/** A migration job that extracts patients to a file, with `after` added to its body. */
const job = (after = '', head = '') => `import { writeFile, unlink, rm } from 'node:fs/promises';
import { Pool } from 'pg';
${head}
const pool = new Pool();
export async function extractPatients(): Promise<string> {
  const { rows } = await pool.query('SELECT nom, nir, diagnostic FROM patients');
  const file = '/var/lib/lab/exports/patients.json';
  await writeFile(file, JSON.stringify(rows));
${after}
  return file;
}
`;

/** A helper that files the tabs its callers pass into a workbook and writes it to the working folder. */
const workbookHelper = (folder = './') => `import * as XLSX from 'xlsx';
export function saveWorkbook(tabs, target) {
  const book = XLSX.utils.book_new();
  tabs.forEach((tab) => XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(tab.rows), tab.title));
  const out = target || \`${folder}dump-\${Date.now()}.xlsx\`;
  XLSX.writeFile(book, out);
  return out;
}
`;
/** An admin dump of the tables the request names: any model of the application. */
const tableDump =
  "import { saveWorkbook } from '../utils/sheets';\nexport async function dumpTables(db, types) {\n  const tabs = await Promise.all(types.map(async (t) => ({ title: t, rows: await db.models[t].findAll() })));\n  return saveWorkbook(tabs);\n}\n";

const invalid: { name: string; files: Record<string, string>; file: string; found: string; severity?: string }[] = [
  {
    name: 'a psql job that leaves its extraction behind (the Dedalus migration server)',
    files: {
      'jobs/lot2.sql': "COPY (SELECT * FROM patients) TO '/data/migration/lot2/patients.csv' WITH (FORMAT csv);\n",
    },
    file: 'jobs/lot2.sql',
    found: "'/data/migration/lot2/patients.csv'",
  },
  {
    name: 'a copy of the table kept forever',
    files: { 'V7__backup.sql': 'CREATE TABLE patients_bak AS SELECT * FROM patients;\n' },
    file: 'V7__backup.sql',
    found: 'patients_bak',
  },
  {
    name: 'SELECT ... INTO a new table',
    files: { 'reprise.sql': 'SELECT nom, nir INTO reprise_patients FROM patients;\n' },
    file: 'reprise.sql',
    found: 'reprise_patients',
  },
  {
    name: 'INSERT ... SELECT into an archive schema, never purged',
    files: {
      'archive.sql': 'INSERT INTO archive.patients SELECT * FROM public.patients;\n',
      'purge.sql': 'DELETE FROM public.patients WHERE id IS NULL;\n',
    },
    file: 'archive.sql',
    found: 'archive.patients',
  },
  {
    name: 'a job that writes the rows of a query to a file',
    files: { 'job.ts': job() },
    file: 'job.ts',
    found: 'file',
  },
  {
    name: 'a purge of another table does not delete the file',
    files: { 'job.ts': job("  await pool.query('DELETE FROM export_log WHERE created < now()');") },
    file: 'job.ts',
    found: 'file',
  },
  {
    name: 'a caller that sends the file and keeps it',
    files: {
      'job.ts': job(),
      'send.ts':
        "import { extractPatients } from './job';\nexport async function send(sftp: any) { const file = await extractPatients(); await sftp.fastPut(file, '/in/p.json'); }\n",
    },
    file: 'job.ts',
    found: 'file',
  },
  {
    name: 'a bucket object without lifecycle',
    files: {
      'job.ts':
        "import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function toBucket(s3: any) {\n  const { rows } = await pool.query('SELECT nom, diagnostic FROM patients');\n  await s3.putObject({ Bucket: 'lab-migration', Key: 'p.json', Body: JSON.stringify(rows) });\n}\n",
    },
    file: 'job.ts',
    found: "'lab-migration'",
  },
  {
    name: 'names and phone numbers only: a warning',
    files: { 'jobs/contacts.sql': "COPY (SELECT nom, telephone FROM patients) TO '/data/contacts.csv';\n" },
    file: 'jobs/contacts.sql',
    found: "'/data/contacts.csv'",
    severity: 'warning',
  },
  {
    name: 'a folder the caller passes, and the caller keeps the file',
    files: {
      'job.ts':
        "import { writeFileSync } from 'node:fs';\nimport { join } from 'node:path';\nimport { Pool } from 'pg';\nconst pool = new Pool();\nexport async function dumpFor(dir: string) {\n  const { rows } = await pool.query('SELECT nom, diagnostic FROM patients');\n  writeFileSync(join(dir, 'p.json'), JSON.stringify(rows));\n}\n",
      'cron.ts':
        "import { dumpFor } from './job';\nexport async function nightly() { await dumpFor('/data/outbox'); }\n",
    },
    file: 'job.ts',
    found: "join(dir, 'p.json')",
  },
  {
    name: 'a workbook helper fed with models the request picks, sent and left in the working folder',
    files: {
      'src/utils/sheets.js': workbookHelper(),
      'src/admin/dump.js': tableDump,
      'src/admin/routes.js':
        "import { dumpTables } from './dump';\nexport async function download(req, res) { const file = await dumpTables(req.db, req.query.types); res.download(file); }\n",
    },
    file: 'src/utils/sheets.js',
    found: 'out',
  },
  {
    name: 'a workbook helper fed with whole patient records',
    files: {
      'src/utils/sheets.js': workbookHelper(),
      'src/admin/patients.js':
        "import { saveWorkbook } from '../utils/sheets';\nexport async function patientSheet(db) {\n  const rows = await db.models.Patient.findAll();\n  return saveWorkbook([{ title: 'patients', rows }]);\n}\n",
    },
    file: 'src/utils/sheets.js',
    found: 'out',
    severity: 'warning',
  },
  {
    name: 'a cleanup elsewhere that removes another folder',
    files: {
      'job.ts': job(),
      'cleanup.ts':
        "import { rm } from 'node:fs/promises';\nexport async function cleanup() { await rm('/var/lib/lab/cache', { recursive: true }); }\n",
    },
    file: 'job.ts',
    found: 'file',
  },
];

const valid: { name: string; files: Record<string, string>; config?: Partial<EngineConfig> }[] = [
  {
    name: 'deleted in a finally block',
    files: {
      'job.ts':
        "import { writeFile, unlink } from 'node:fs/promises';\nimport { Pool } from 'pg';\nconst pool = new Pool();\nexport async function send(sftp: any) {\n  const { rows } = await pool.query('SELECT nom, nir FROM patients');\n  const file = '/var/lib/lab/p.json';\n  await writeFile(file, JSON.stringify(rows));\n  try { await sftp.fastPut(file, '/in/p.json'); } finally { await unlink(file); }\n}\n",
    },
  },
  {
    name: 'deleted by the caller once sent',
    files: {
      'job.ts': job(),
      'send.ts':
        "import { rm } from 'node:fs/promises';\nimport { extractPatients } from './job';\nexport async function send(sftp: any) { const file = await extractPatients(); try { await sftp.fastPut(file, '/in/p.json'); } finally { await rm(file, { force: true }); } }\n",
    },
  },
  {
    name: 'a cleanup job elsewhere that empties the same folder',
    files: {
      'job.ts': job(),
      'cleanup.ts':
        "import { readdir, unlink } from 'node:fs/promises';\nimport { join } from 'node:path';\nconst EXPORT_DIR = '/var/lib/lab/exports';\nexport async function purgeExports() { for (const f of await readdir(EXPORT_DIR)) await unlink(join(EXPORT_DIR, f)); }\n",
    },
  },
  {
    name: 'a retention declared in the configuration',
    files: { 'jobs/archive.sql': "COPY (SELECT * FROM patients) TO '/data/archive/patients-2024.csv';\n" },
    config: {
      retention: [
        { path: '/data/archive/**', basis: 'Art. 6(1)(c): medical records kept 20 years', period: '20 years' },
      ],
    },
  },
  {
    name: 'a table copy dropped by a later migration',
    files: {
      'V7__backup.sql': 'CREATE TABLE patients_bak AS SELECT * FROM patients;\n',
      'V8__drop.sql': 'DROP TABLE IF EXISTS patients_bak;\n',
    },
  },
  {
    name: 'a copy that becomes the live table (rebuild in place)',
    files: {
      'V9__rebuild.sql':
        'CREATE TABLE patients_new AS SELECT id, nom, nir FROM patients;\nDROP TABLE patients;\nALTER TABLE patients_new RENAME TO patients;\n',
    },
  },
  {
    name: 'a temporary table',
    files: { 'reprise.sql': 'CREATE TEMPORARY TABLE reprise AS SELECT nom, nir FROM patients;\n' },
  },
  { name: 'a SQL Server temp table', files: { 'reprise.sql': 'SELECT nom, nir INTO #reprise FROM patients;\n' } },
  {
    name: 'a psql job that removes its file',
    files: {
      'jobs/lot2.sql':
        "COPY (SELECT * FROM patients) TO '/data/migration/lot2/patients.csv';\n\\! rm /data/migration/lot2/patients.csv\n",
    },
  },
  {
    name: "data moved into one of the application's tables",
    files: {
      'V10__move.sql':
        'INSERT INTO prescriptions (id, patient_id, traitement) SELECT id, patient_id, traitement FROM ordonnances;\n',
    },
  },
  {
    name: 'a bucket with a lifecycle rule',
    files: {
      'job.ts':
        "import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function toBucket(s3: any) {\n  const { rows } = await pool.query('SELECT nom, diagnostic FROM patients');\n  await s3.putObject({ Bucket: 'lab-migration', Key: 'p.json', Body: JSON.stringify(rows) });\n}\n",
      'infra.ts':
        "export async function setup(s3: any) { await s3.putBucketLifecycleConfiguration({ Bucket: 'lab-migration', LifecycleConfiguration: { Rules: [{ Expiration: { Days: 7 } }] } }); }\n",
    },
  },
  {
    name: 'counts per diagnosis code (statistics, not people)',
    files: {
      'jobs/stats.sql':
        "SELECT diagnostic, COUNT(*) AS n INTO OUTFILE '/var/lib/mysql-files/dx_counts.csv' FROM patients GROUP BY diagnostic;\n",
    },
  },
  {
    name: 'a count of patients',
    files: { 'jobs/count.sql': "COPY (SELECT count(*) FROM patients) TO '/data/count.csv';\n" },
  },
  {
    name: 'a folder the caller passes, and no caller in the project',
    files: {
      'job.ts':
        "import { writeFileSync } from 'node:fs';\nimport { join } from 'node:path';\nimport { Pool } from 'pg';\nconst pool = new Pool();\nexport async function dumpFor(dir: string) {\n  const { rows } = await pool.query('SELECT nom, diagnostic FROM patients');\n  writeFileSync(join(dir, 'p.json'), JSON.stringify(rows));\n}\n",
    },
  },
  {
    name: 'rows appended to a log file',
    files: {
      'audit.ts':
        "import { appendFileSync } from 'node:fs';\nimport { Pool } from 'pg';\nconst pool = new Pool();\nexport async function audit() {\n  const { rows } = await pool.query('SELECT nom, nir FROM patients WHERE id = 1');\n  appendFileSync('/var/log/lab/access.log', JSON.stringify(rows));\n}\n",
    },
  },
  {
    name: 'aggregates only',
    files: { 'jobs/stats.sql': "COPY (SELECT code_loinc, mois, nb FROM activite) TO '/data/activite.csv';\n" },
  },
  {
    name: 'a workbook helper whose callers only read statistics',
    files: {
      'src/utils/sheets.js': workbookHelper(),
      'src/admin/stats.js':
        "import { saveWorkbook } from '../utils/sheets';\nexport async function statsSheet(db) {\n  const rows = await db.models.Activite.findAll();\n  return saveWorkbook([{ title: 'activite', rows }]);\n}\n",
    },
  },
  { name: 'a workbook helper nobody calls', files: { 'src/utils/sheets.js': workbookHelper() } },
  {
    name: 'a workbook the route removes once it is downloaded',
    files: {
      'src/utils/sheets.js': workbookHelper(),
      'src/admin/dump.js': tableDump,
      'src/admin/routes.js':
        "import { unlink } from 'node:fs/promises';\nimport { dumpTables } from './dump';\nexport async function download(req, res) { const file = await dumpTables(req.db, req.query.types); res.download(file, () => unlink(file)); }\n",
    },
  },
  {
    name: 'a workbook the caller removes in a finally block once sent',
    files: {
      'src/utils/sheets.js': workbookHelper(),
      'src/admin/dump.js': tableDump,
      'src/admin/send.js':
        "import { rm } from 'node:fs/promises';\nimport { dumpTables } from './dump';\nexport async function sendDump(db, sftp) {\n  const file = await dumpTables(db, ['patients']);\n  try {\n    await sftp.fastPut(file, '/in/dump.xlsx');\n  } finally {\n    await rm(file, { force: true });\n  }\n}\n",
    },
  },
  {
    name: 'a workbook written to a folder with a declared retention',
    files: { 'src/utils/sheets.js': workbookHelper('/var/lib/lab/archive/'), 'src/admin/dump.js': tableDump },
    config: {
      retention: [
        { path: '/var/lib/lab/archive/**', basis: 'Art. 6(1)(c): activity reports kept 10 years', period: '10 years' },
      ],
    },
  },
  {
    name: 'a test',
    files: {
      'test/extract.test.ts':
        "import { it } from 'vitest';\nimport { writeFile } from 'node:fs/promises';\ndeclare const pool: any;\nit('x', async () => { const { rows } = await pool.query('SELECT nom, nir FROM patients'); await writeFile('/tmp/p.json', JSON.stringify(rows)); });\n",
    },
  },
];

const run = (files: Record<string, string>, config: Partial<EngineConfig> = {}): Finding[] =>
  findingsOf(RULE, { 'db/schema.sql': SCHEMA, ...files }, config);

describe(RULE, () => {
  it.each(invalid)('reports $name', ({ files, file, found, severity }) => {
    const findings = run(files);
    expect(findings.map((f) => [f.file, covered(files[file]!, f)])).toEqual([[file, found]]);
    expect(findings[0]!.severity).toBe(severity ?? 'error');
  });

  it.each(valid)('accepts $name', ({ files, config }) => {
    expect(run(files, config)).toEqual([]);
  });

  it('names the output, what it holds and where it was written', () => {
    const [file] = run({ 'job.ts': job() });
    expect(file!.message).toMatch(
      /^The export of "patients" \(nir: health-identifier, diagnostic: health-condition, nom: identity\) to \/var\/lib\/lab\/exports\/patients\.json, written by extractPatients \(job\.ts\), is never deleted/,
    );
    const text = job();
    expect(file!.related!.map((r) => [r.message, text.slice(r.range.start, r.range.end)])).toEqual([
      ['the data is read here (patients)', 'SELECT nom, nir, diagnostic FROM patients'],
      ['extractPatients ends here and leaves the output behind', '}'],
    ]);
    const [copy] = run({ 'V7__backup.sql': 'CREATE TABLE patients_bak AS SELECT * FROM patients;\n' });
    expect(copy!.message).toMatch(
      /^The copy patients_bak of "patients" \(.*\), made by CREATE TABLE \.\.\. AS in V7__backup\.sql, is never dropped/,
    );
  });

  /** A job that hands its file over itself (awaited) and returns only a count. */
  const sends = (handOver: string) => `import { writeFile } from 'node:fs/promises';
import { Pool } from 'pg';
declare const sftp: { fastPut(from: string, to: string): Promise<void> };
declare const res: { download(path: string): void };
const pool = new Pool();
export async function extractPatients(): Promise<number> {
  const { rows } = await pool.query('SELECT nom, nir, diagnostic FROM patients');
  const file = '/var/lib/lab/exports/patients.json';
  await writeFile(file, JSON.stringify(rows));
  ${handOver}
  return rows.length;
}
`;

  it('wraps the rest of the job in try/finally with a deletion, into code that parses and is no longer reported', () => {
    const text = sends("await sftp.fastPut(file, '/in/patients.json');");
    const [f] = run({ 'job.ts': text });
    expect(f!.fixes!.map((x) => x.title)).toEqual([
      'Delete file in a finally block once it is handed over',
      `Suppress ${RULE} on this line (with a justification)`,
    ]);
    const fixed = applyEdits(text, f!.fixes![0]!.edits).text;
    expect(fixed).toContain(
      "  try {\n    await writeFile(file, JSON.stringify(rows));\n    await sftp.fastPut(file, '/in/patients.json');\n    return rows.length;\n  } finally {\n    await rm(file, { force: true });\n  }\n}",
    );
    expect(
      (ts.createSourceFile('job.ts', fixed, ts.ScriptTarget.Latest, true) as unknown as { parseDiagnostics: unknown[] })
        .parseDiagnostics,
    ).toEqual([]);
    expect(run({ 'job.ts': fixed })).toEqual([]);
  });

  it('offers no finally block that would delete the file before whoever it is handed to has read it', () => {
    const only = [`Suppress ${RULE} on this line (with a justification)`];
    // Returned to the caller, streamed by a call nobody awaits, captured by a callback.
    for (const text of [
      job(),
      sends('res.download(file);'),
      sends("setTimeout(() => sftp.fastPut(file, '/in/p.json'), 10);"),
    ]) {
      const [f] = run({ 'job.ts': text });
      expect(f!.fixes!.map((x) => x.title)).toEqual(only);
    }
  });

  it("adds rm to the file's import of node:fs/promises (TypeScript's import fix), once", () => {
    const text =
      "import { writeFile } from 'node:fs/promises';\nimport { Pool } from 'pg';\nconst pool = new Pool();\nexport async function dump(path: string) {\n  const { rows } = await pool.query('SELECT nom, nir FROM patients');\n  await writeFile(path, JSON.stringify(rows));\n}\n";
    const caller = {
      'cli.ts': "import { dump } from './job';\nexport async function main() { await dump('/data/out/p.json'); }\n",
    };
    const [f] = run({ 'job.ts': text, ...caller });
    const fixed = applyEdits(text, f!.fixes![0]!.edits).text;
    expect(fixed).toContain("import { rm, writeFile } from 'node:fs/promises';\nimport { Pool } from 'pg';\n");
    expect(fixed.match(/\brm\b/g)).toHaveLength(2);
    expect(
      (ts.createSourceFile('job.ts', fixed, ts.ScriptTarget.Latest, true) as unknown as { parseDiagnostics: unknown[] })
        .parseDiagnostics,
    ).toEqual([]);
    expect(run({ 'job.ts': fixed, ...caller })).toEqual([]);
  });

  it('follows the callers of a job as files are edited, added and removed', () => {
    const project = new Project(testConfig({ only: [RULE] }));
    const findings = () =>
      project
        .analyzeAll()
        .findings.filter((f) => f.ruleId === RULE)
        .map((f) => f.file);
    const keeps =
      "import { extractPatients } from './job';\nexport async function send(sftp: any) { const file = await extractPatients(); await sftp.fastPut(file, '/in/p.json'); }\n";
    const deletes =
      "import { rm } from 'node:fs/promises';\nimport { extractPatients } from './job';\nexport async function send(sftp: any) { const file = await extractPatients(); try { await sftp.fastPut(file, '/in/p.json'); } finally { await rm(file, { force: true }); } }\n";
    project.setFile({ path: 'db/schema.sql', text: SCHEMA });
    project.setFile({ path: 'job.ts', text: job() });
    for (let i = 0; i < 30; i++)
      project.setFile({ path: `other/m${i}.ts`, text: `export const m${i} = () => ${i};\n` });
    expect(findings()).toEqual(['job.ts']);
    project.setFile({ path: 'send.ts', text: deletes });
    expect(findings()).toEqual([]);
    project.setFile({ path: 'send.ts', text: keeps });
    expect(findings()).toEqual(['job.ts']);
    project.setFile({ path: 'later/send2.ts', text: deletes });
    expect(findings()).toEqual([]);
    project.removeFile('later/send2.ts');
    expect(findings()).toEqual(['job.ts']);
  });

  it('offers no finally block when the path cannot be computed again (Date.now())', () => {
    const text =
      "import { writeFile } from 'node:fs/promises';\nimport { Pool } from 'pg';\nconst pool = new Pool();\nexport async function dump() {\n  const { rows } = await pool.query('SELECT nom, nir FROM patients');\n  await writeFile(`/data/p-${Date.now()}.json`, JSON.stringify(rows));\n}\n";
    const [f] = run({ 'job.ts': text });
    expect(f!.fixes!.map((x) => x.title)).toEqual([`Suppress ${RULE} on this line (with a justification)`]);
  });
});
