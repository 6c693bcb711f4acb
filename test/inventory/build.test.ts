import { describe, expect, it } from 'vitest';
import { Project, type EngineConfig } from '../../server/src/engine/index.js';
import { buildInventory, type Inventory } from '../../server/src/engine/inventory/index.js';
import { exportKnowledge, isPublicPath } from '../../server/src/engine/exports/knowledge.js';
import { testConfig } from '../helpers.js';

function inventoryOf(files: Record<string, string>, extra: Partial<EngineConfig> = {}): Inventory {
  const project = new Project(testConfig(extra));
  for (const [path, text] of Object.entries(files)) project.setFile({ path, text });
  return buildInventory(project);
}

const PATIENTS = 'CREATE TABLE patients (id UUID PRIMARY KEY, nom TEXT, nir CHAR(15), diagnostic TEXT);\n';
const EXPORT_JOB = (body: string) => `import { writeFile, unlink } from 'node:fs/promises';
import { Pool } from 'pg';
const pool = new Pool();
export async function exportPatients() {
  const { rows } = await pool.query('SELECT * FROM patients');
  await writeFile('/data/exports/patients.csv', JSON.stringify(rows));
${body}
}
`;

describe('retention: does the code ever delete what an export writes?', () => {
  const cases: { name: string; files: Record<string, string>; deleted: string | null }[] = [
    {
      name: 'unlink in the same job',
      files: { 'job.ts': EXPORT_JOB("  await unlink('/data/exports/patients.csv');") },
      deleted: 'unlink (function)',
    },
    {
      name: 'fs.rmSync in the same job',
      files: { 'job.ts': EXPORT_JOB("  require('fs').rmSync('/data/exports/patients.csv');") },
      deleted: "require('fs').rmSync (function)",
    },
    {
      name: 'a cleanup function in the same file',
      files: {
        'job.ts': `${EXPORT_JOB('')}\nexport async function cleanup() { await unlink('/data/exports/patients.csv'); }\n`,
      },
      deleted: 'unlink (file)',
    },
    {
      name: 'a DELETE FROM of another table does not delete the file',
      files: { 'job.ts': EXPORT_JOB("  await pool.query('DELETE FROM export_log WHERE created < now()');") },
      deleted: null,
    },
    {
      name: 'unlink in a function that calls the job',
      files: {
        'job.ts': EXPORT_JOB(''),
        'send.ts':
          "import { unlink } from 'node:fs/promises';\nimport { exportPatients } from './job';\nexport async function send() { await exportPatients(); await unlink('/data/exports/patients.csv'); }\n",
      },
      deleted: 'unlink (caller)',
    },
    {
      name: 'a cleanup elsewhere that names the folder',
      files: {
        'job.ts': EXPORT_JOB(''),
        'cron.ts':
          "import { rm } from 'node:fs/promises';\nexport async function nightly() { await rm('/data/exports/patients.csv', { force: true }); }\n",
      },
      deleted: 'rm (project)',
    },
    {
      name: 'a retention declared in the configuration',
      files: { 'job.ts': EXPORT_JOB('') },
      deleted: 'retention declared in the configuration (/data/exports/*.csv: Art. 6(1)(c)) (config)',
    },
    { name: 'nothing (the Dedalus migration server)', files: { 'job.ts': EXPORT_JOB('') }, deleted: null },
    {
      name: 'a psql job that removes its file',
      files: { 'nightly.sql': "COPY (SELECT nom FROM patients) TO '/tmp/p.csv';\n\\! rm /tmp/p.csv\n" },
      deleted: '\\! rm (file)',
    },
    {
      name: 'a psql job that keeps its file',
      files: { 'nightly.sql': "COPY (SELECT nom FROM patients) TO '/tmp/p.csv';\n" },
      deleted: null,
    },
    {
      name: 'a table copy dropped by a later migration',
      files: {
        'V1.sql': 'CREATE TABLE patients_bak AS SELECT * FROM patients;\n',
        'V2.sql': 'DROP TABLE patients_bak;\n',
      },
      deleted: 'DROP TABLE patients_bak (project)',
    },
    {
      name: 'a schema-qualified copy is not deleted by a purge of the live table',
      files: {
        'V1.sql': 'INSERT INTO archive.patients SELECT * FROM public.patients;\n',
        'purge.sql': 'DELETE FROM public.patients WHERE id = 1;\n',
      },
      deleted: null,
    },
    {
      name: 'a schema-qualified copy truncated later',
      files: {
        'V1.sql': 'INSERT INTO archive.patients SELECT * FROM public.patients;\n',
        'V2.sql': 'TRUNCATE TABLE archive.patients;\n',
      },
      deleted: 'TRUNCATE TABLE archive.patients (project)',
    },
    {
      name: 'a table copy kept forever',
      files: { 'V1.sql': 'CREATE TABLE patients_bak AS SELECT * FROM patients;\n' },
      deleted: null,
    },
    {
      name: 'a bucket with a lifecycle rule',
      files: {
        'job.ts': `import { Pool } from 'pg';
const pool = new Pool();
export async function exportToBucket(s3: any) {
  const { rows } = await pool.query('SELECT nom, diagnostic FROM patients');
  await s3.putObject({ Bucket: 'lab-exports', Key: 'p.csv', Body: JSON.stringify(rows) });
  await s3.putBucketLifecycleConfiguration({ Bucket: 'lab-exports', LifecycleConfiguration: { Rules: [] } });
}
`,
      },
      deleted: 'a TTL (putBucketLifecycleConfiguration) (function)',
    },
  ];
  it.each(cases)('$name', ({ name, files, deleted }) => {
    const config = name.includes('configuration')
      ? { retention: [{ path: '/data/exports/*.csv', basis: 'Art. 6(1)(c)' }] }
      : {};
    const inv = inventoryOf({ 'schema.sql': PATIENTS, ...files }, config);
    expect(inv.retention).toHaveLength(1);
    const r = inv.retention[0]!;
    expect(r.deleted).toBe(deleted !== null);
    expect(r.deletion ? `${r.deletion.how} (${r.deletion.scope})` : null).toBe(deleted);
  });
});

describe('export destinations', () => {
  it.each([
    ['/var/www/html/exports/p.csv', true],
    ['/srv/site/public_html/p.csv', true],
    ['C:\\inetpub\\wwwroot\\p.csv', true],
    ['static/reports/p.csv', true],
    ['/srv/app/PUBLIC/p.csv', true],
    ['/data/exports/p.csv', false],
    ['/srv/statics/p.csv', false],
    ['/home/lab/publications/p.csv', false],
    ['/usr/share/nginx/html/p.csv', true],
    ['/opt/lab/packages/web/out/p.csv', false],
  ])('%s is in a public folder: %s', (path, expected) => {
    expect(isPublicPath(path, exportKnowledge(testConfig()))).toBe(expected);
  });

  it('resolves paths built from constants, path.join and the environment, and buckets and their ACL', () => {
    const inv = inventoryOf({
      'schema.sql': PATIENTS,
      'config.ts': "export const WEB_ROOT = '/var/www';\n",
      'job.ts': `import { join } from 'node:path';
import { createWriteStream, writeFileSync } from 'node:fs';
import { WEB_ROOT } from './config';
import { Pool } from 'pg';
const pool = new Pool();
export async function toWeb() {
  const { rows } = await pool.query('SELECT nom FROM patients');
  writeFileSync(join(WEB_ROOT, 'exports', 'p.json'), JSON.stringify(rows));
}
export async function toEnv() {
  const { rows } = await pool.query('SELECT nom FROM patients');
  writeFileSync(process.env.EXPORT_DIR + '/p.json', JSON.stringify(rows));
}
export async function toBucket(s3: any) {
  const { rows } = await pool.query('SELECT nom FROM patients');
  await s3.putObject({ Bucket: 'lab-exports', Key: 'p.json', ACL: 'public-read', Body: JSON.stringify(rows) });
}
export async function toStream() {
  const out = createWriteStream('/srv/site/static/p.ndjson');
  const { rows } = await pool.query('SELECT nom FROM patients');
  out.write(JSON.stringify(rows));
}
export async function toQueue(producer: any) {
  const { rows } = await pool.query('SELECT nom FROM patients');
  await producer.send({ topic: 'exports', messages: rows });
}
`,
    });
    expect(
      inv.exports.map((e) => [e.job, e.destination.kind, e.destination.target ?? null, e.destination.public]),
    ).toEqual([
      ['toWeb', 'file', '/var/www/exports/p.json', true],
      ['toEnv', 'file', '$EXPORT_DIR/p.json', false],
      ['toBucket', 'bucket', 'lab-exports', true],
      ['toStream', 'file', '/srv/site/static/p.ndjson', true],
      ['toQueue', 'queue', null, false],
    ]);
  });

  it('lists SQL exports with explicit columns, INTO OUTFILE, INSERT ... SELECT, and not a plain read', () => {
    const inv = inventoryOf({
      'schema.sql': PATIENTS,
      'jobs.sql': [
        "SELECT nom, diagnostic INTO OUTFILE '/var/lib/mysql-files/p.csv' FROM patients;",
        'INSERT INTO patients_archive SELECT * FROM patients;',
        'SELECT nom FROM patients WHERE id = 1;',
      ].join('\n'),
    });
    expect(
      inv.exports.map((e) => [
        e.kind,
        e.tables,
        e.columns,
        e.selectStar,
        e.destination.kind,
        e.destination.target,
        e.categories,
      ]),
    ).toEqual([
      [
        'export',
        ['patients'],
        ['nom', 'diagnostic'],
        false,
        'file',
        '/var/lib/mysql-files/p.csv',
        ['health-condition', 'identity'],
      ],
      [
        'migration',
        ['patients'],
        ['id', 'nom', 'nir', 'diagnostic'],
        true,
        'table',
        'patients_archive',
        ['health-condition', 'health-identifier', 'identity'],
      ],
    ]);
  });

  it('masks identifier digits quoted in a statement', () => {
    const inv = inventoryOf({
      'schema.sql': PATIENTS,
      'x.sql': "COPY (SELECT nom FROM patients WHERE nir = '295109912611193') TO '/tmp/x.csv';\n",
    });
    expect(inv.exports[0]!.statement).not.toContain('295109912611193');
    expect(inv.exports[0]!.statement).toContain('COPY (SELECT nom FROM patients WHERE nir =');
  });
});

describe('third parties, logs and notes', () => {
  const SERVICE = `import axios from 'axios';
interface Patient { email: string; phone: string; diagnostic: string }
export async function sync(patient: Patient) {
  await axios.post('https://crm.example.com/contacts', { email: patient.email, phone: patient.phone });
  await axios.post('http://lis.lab.internal/api', { diagnostic: patient.diagnostic });
  // gdpr-lint-disable-next-line health-data-to-third-party -- HDS-certified processor, DPA signed 2024-03
  await axios.post('https://hds-host.example.net/v1', { diagnostic: patient.diagnostic });
  console.log(patient.diagnostic);
}
`;
  it('lists hosts receiving personal data only, skips internal hosts, and keeps accepted flows with their justification', () => {
    const inv = inventoryOf({ 'sync.ts': SERVICE });
    expect(
      inv.thirdParties.map((t) => [t.name, t.categories, t.health, t.flows.map((f) => f.accepted ?? null)]),
    ).toEqual([
      ['crm.example.com', ['contact'], false, [null]],
      ['hds-host.example.net', ['health-condition'], true, ['HDS-certified processor, DPA signed 2024-03']],
    ]);
    expect(inv.logs.map((l) => [l.sink, l.category, l.path])).toEqual([
      ['console.log', 'health-condition', 'patient.diagnostic'],
    ]);
  });

  it('says when a rule the inventory reads is off', () => {
    const inv = inventoryOf({ 'sync.ts': SERVICE }, { rules: { 'health-data-in-logs': { severity: 'off' } } });
    expect(inv.logs).toEqual([]);
    expect(inv.notes).toEqual(['health-data-in-logs is off in this configuration: the Logs section is empty.']);
  });
});

describe('stores and routes', () => {
  it('merges a model with the table it maps to and takes protection from either declaration', () => {
    const inv = inventoryOf({
      'V1.sql': 'CREATE TABLE analyses (id INT, patient_id INT, diagnostic TEXT, resultat TEXT);\n',
      'analysis.entity.ts': `import { Column, Entity } from 'typeorm';
import { encryptedTransformer } from './crypto';
@Entity({ name: 'analyses' })
export class Analysis {
  @Column({ name: 'diagnostic', transformer: encryptedTransformer }) diagnostic: string;
}
`,
      'crypto.ts': `import { createCipheriv } from 'node:crypto';
export const encryptedTransformer = { to: (v: string) => createCipheriv('aes-256-gcm', Buffer.alloc(32), Buffer.alloc(12)).update(v), from: (v: string) => v };
`,
    });
    expect(
      inv.stores.map((s) => [
        s.name,
        s.sources,
        s.aliases,
        s.protection,
        s.fields.map((f) => [f.name, f.category, !!f.protection]),
      ]),
    ).toEqual([
      [
        'analyses',
        ['sql', 'typeorm'],
        ['Analysis'],
        'partly-encrypted',
        [
          ['patient_id', 'identity', false],
          ['diagnostic', 'health-condition', true],
          ['resultat', 'lab-result', false],
        ],
      ],
    ]);
  });

  it('reports the authentication seen and the categories a route reads', () => {
    const inv = inventoryOf({
      'schema.sql': PATIENTS,
      'app.ts': `import express from 'express';
import { Pool } from 'pg';
const db = new Pool();
const app = express();
function requireAuth(req: any, res: any, next: any) { if (!req.user) return res.sendStatus(401); next(); }
app.get('/open/:id', async (req, res) => { const { rows } = await db.query('SELECT nom, diagnostic FROM patients WHERE id = $1', [req.params.id]); res.json(rows); });
app.post('/closed', requireAuth, (req, res) => res.sendStatus(204));
`,
    });
    expect(inv.routes.map((r) => [r.method, r.path, r.auth, r.authBy, r.categories])).toEqual([
      ['GET', '/open/:id', 'none', [], ['health-condition', 'identity']],
      ['POST', '/closed', 'authenticated', ['requireAuth'], []],
    ]);
    expect(inv.summary.risks[0]).toMatchObject({ level: 'high', section: 'stores' });
    expect(inv.summary.risks.find((r) => r.section === 'routes')).toMatchObject({
      level: 'high',
      title: 'GET /open/:id is reachable without authentication and returns health conditions',
    });
  });
});
