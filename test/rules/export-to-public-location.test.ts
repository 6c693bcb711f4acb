import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { applyEdits, type EngineConfig, type Finding } from '../../server/src/engine/index.js';
import { covered, findingsOf } from '../helpers.js';

const RULE = 'export-to-public-location';

// A lab's schema: identity, a national identifier and health data side by side.
const SCHEMA =
  'CREATE TABLE patients (id UUID PRIMARY KEY, nom TEXT, telephone TEXT, nir CHAR(15), diagnostic TEXT);\nCREATE TABLE activite (code_loinc TEXT, mois DATE, nb INT);\n';

const job = (body: string, head = '') => `import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Pool } from 'pg';
${head}
const pool = new Pool();
export async function nightlyExport() {
${body}
}
`;

const invalid: {
  name: string;
  files: Record<string, string>;
  file: string;
  found: string;
  severity?: string;
  exposure: string;
  related?: RegExp;
}[] = [
  {
    name: 'COPY of a whole table into a web root',
    files: {
      'jobs/nightly.sql': "COPY (SELECT * FROM patients) TO '/var/www/html/exports/patients.csv' WITH (FORMAT csv);\n",
    },
    file: 'jobs/nightly.sql',
    found: "'/var/www/html/exports/patients.csv'",
    exposure: 'web-folder',
  },
  {
    name: 'INTO OUTFILE below htdocs',
    files: { 'jobs/mysql.sql': "SELECT nom, diagnostic INTO OUTFILE '/srv/site/htdocs/dx.csv' FROM patients;\n" },
    file: 'jobs/mysql.sql',
    found: "'/srv/site/htdocs/dx.csv'",
    exposure: 'web-folder',
  },
  {
    name: 'bcp queryout into an IIS web root',
    files: {
      'jobs/extract.sql':
        'EXEC xp_cmdshell \'bcp "SELECT nom, nir FROM lab.dbo.patients" queryout C:\\inetpub\\wwwroot\\lot2.csv -c -T\';\n',
    },
    file: 'jobs/extract.sql',
    found: 'C:\\inetpub\\wwwroot\\lot2.csv',
    exposure: 'web-folder',
  },
  {
    name: "an FTP server's public root",
    files: { 'jobs/ftp.sql': "COPY (SELECT nom, nir FROM patients) TO '/srv/ftp/pub/lot2.csv';\n" },
    file: 'jobs/ftp.sql',
    found: "'/srv/ftp/pub/lot2.csv'",
    exposure: 'ftp-folder',
  },
  {
    name: 'rows of a query written below a web root built from an imported constant',
    files: {
      'config.ts': "export const WEB_ROOT = '/var/www';\n",
      'job.ts': job(
        "  const { rows } = await pool.query('SELECT nom, diagnostic FROM patients');\n  await writeFile(join(WEB_ROOT, 'exports', 'dx.json'), JSON.stringify(rows));",
        "import { WEB_ROOT } from './config';",
      ),
    },
    file: 'job.ts',
    found: "join(WEB_ROOT, 'exports', 'dx.json')",
    exposure: 'web-folder',
  },
  {
    name: 'a folder the application serves itself (express.static in another file)',
    files: {
      'app.ts':
        "import express from 'express';\nimport path from 'node:path';\nexport const app = express();\napp.use('/downloads', express.static(path.join(__dirname, 'outbox')));\n",
      'job.ts': job(
        "  const { rows } = await pool.query('SELECT nom, nir FROM patients');\n  await writeFile('outbox/patients.json', JSON.stringify(rows));",
      ),
    },
    file: 'job.ts',
    found: "'outbox/patients.json'",
    exposure: 'served',
    related: /served as static content by express\.static/,
  },
  {
    name: 'a bucket object with a public-read ACL',
    files: {
      'job.ts': job(
        "  const { rows } = await pool.query('SELECT nom, nir FROM patients');\n  await s3.putObject({ Bucket: 'lab-exports', Key: 'p.json', Body: JSON.stringify(rows), ACL: 'public-read' });",
        'declare const s3: any;',
      ),
    },
    file: 'job.ts',
    found: "'lab-exports'",
    exposure: 'public-acl',
    related: /public ACL public-read/,
  },
  {
    name: 'a bucket object behind a signed link valid for a month',
    files: {
      'job.ts': job(
        "  const { rows } = await pool.query('SELECT nom, diagnostic FROM patients');\n  await supabase.storage.from('exports').upload('p.json', JSON.stringify(rows));\n  return supabase.storage.from('exports').createSignedUrl('p.json', 60 * 60 * 24 * 30);",
        'declare const supabase: any;',
      ),
    },
    file: 'job.ts',
    found: "'exports'",
    exposure: 'signed-url',
    related: /signed link valid 30 days/,
  },
  {
    name: 'counts per patient name are about people',
    files: {
      'jobs/per-patient.sql': "COPY (SELECT nom, count(*) AS n FROM patients GROUP BY nom) TO '/var/www/n.csv';\n",
    },
    file: 'jobs/per-patient.sql',
    found: "'/var/www/n.csv'",
    severity: 'warning',
    exposure: 'web-folder',
  },
  {
    name: 'names and phone numbers only: a warning',
    files: { 'jobs/contacts.sql': "COPY (SELECT nom, telephone FROM patients) TO '/var/www/contacts.csv';\n" },
    file: 'jobs/contacts.sql',
    found: "'/var/www/contacts.csv'",
    severity: 'warning',
    exposure: 'web-folder',
  },
  {
    name: 'a shared /tmp written world-readable: a warning',
    files: {
      'job.ts': job(
        "  const { rows } = await pool.query('SELECT nom, diagnostic FROM patients');\n  await writeFile('/tmp/dx.json', JSON.stringify(rows));",
      ),
    },
    file: 'job.ts',
    found: "'/tmp/dx.json'",
    severity: 'warning',
    exposure: 'shared-folder',
  },
  {
    name: 'a stream into the public folder of a Next.js app',
    files: {
      'job.ts': job(
        "  const out = createWriteStream(join(process.cwd(), 'public', 'dx.ndjson'));\n  const { rows } = await pool.query('SELECT nom, diagnostic FROM patients');\n  out.write(JSON.stringify(rows));",
        "import { createWriteStream } from 'node:fs';",
      ),
    },
    file: 'job.ts',
    found: "join(process.cwd(), 'public', 'dx.ndjson')",
    exposure: 'web-folder',
  },
  {
    name: 'health data written to a public folder, whatever it was read from',
    files: {
      'report.ts':
        "import { writeFileSync } from 'node:fs';\nexport function publish(id: string, r: { diagnosis: string }) {\n  writeFileSync(`public/reports/${id}.json`, JSON.stringify({ dx: r.diagnosis }));\n}\n",
    },
    file: 'report.ts',
    found: '`public/reports/${id}.json`',
    exposure: 'web-folder',
  },
];

const valid: { name: string; files: Record<string, string>; config?: Partial<EngineConfig> }[] = [
  {
    name: 'a private export directory',
    files: { 'jobs/nightly.sql': "COPY (SELECT * FROM patients) TO '/var/lib/biolab/exports/patients.csv';\n" },
  },
  {
    name: "the team's private directory, even below a web server's folder",
    files: { 'jobs/nightly.sql': "COPY (SELECT * FROM patients) TO '/srv/www/private-exports/patients.csv';\n" },
    config: { exports: { privateDir: '/srv/www/private-exports' } },
  },
  {
    name: 'counts per diagnosis in a public folder',
    files: {
      'jobs/stats.sql':
        "COPY (SELECT diagnostic, count(*) AS n FROM patients GROUP BY diagnostic) TO '/var/www/dx.csv';\n",
    },
  },
  {
    name: 'aggregates only in a public folder',
    files: { 'jobs/stats.sql': "COPY (SELECT code_loinc, mois, nb FROM activite) TO '/var/www/activite.csv';\n" },
  },
  {
    name: '/tmp written with mode 0600',
    files: {
      'job.ts': job(
        "  const { rows } = await pool.query('SELECT nom, diagnostic FROM patients');\n  await writeFile('/tmp/dx.json', JSON.stringify(rows), { mode: 0o600 });",
      ),
    },
  },
  {
    name: '/tmp written by the database server (its own umask)',
    files: { 'jobs/x.sql': "COPY (SELECT nom, diagnostic FROM patients) TO '/tmp/dx.csv';\n" },
  },
  {
    name: 'a private bucket',
    files: {
      'job.ts': job(
        "  const { rows } = await pool.query('SELECT nom, nir FROM patients');\n  await s3.putObject({ Bucket: 'lab-exports', Key: 'p.json', Body: JSON.stringify(rows) });",
        'declare const s3: any;',
      ),
    },
  },
  {
    name: 'a signed link valid fifteen minutes',
    files: {
      'job.ts': job(
        "  const { rows } = await pool.query('SELECT nom, diagnostic FROM patients');\n  await supabase.storage.from('exports').upload('p.json', JSON.stringify(rows));\n  return supabase.storage.from('exports').createSignedUrl('p.json', 15 * 60);",
        'declare const supabase: any;',
      ),
    },
  },
  {
    name: 'the app serves another folder',
    files: {
      'app.ts': "import express from 'express';\nexport const app = express();\napp.use(express.static('assets'));\n",
      'job.ts': job(
        "  const { rows } = await pool.query('SELECT nom, nir FROM patients');\n  await writeFile('outbox/patients.json', JSON.stringify(rows));",
      ),
    },
  },
  {
    name: "a remote path on the partner's SFTP server",
    files: {
      'job.ts': job(
        "  const { rows } = await pool.query('SELECT nom, nir FROM patients');\n  await writeFile('/var/lib/lab/p.json', JSON.stringify(rows));\n  await sftp.fastPut('/var/lib/lab/p.json', '/srv/www/inbox/p.json');",
        'declare const sftp: any;',
      ),
    },
  },
  {
    name: 'a test that writes to a public folder',
    files: {
      'test/export.test.ts':
        "import { it } from 'vitest';\nimport { writeFile } from 'node:fs/promises';\ndeclare const pool: any;\nit('x', async () => { const { rows } = await pool.query('SELECT nom, nir FROM patients'); await writeFile('/var/www/p.json', JSON.stringify(rows)); });\n",
    },
  },
  {
    name: 'no personal data in the written value',
    files: {
      'report.ts':
        "import { writeFileSync } from 'node:fs';\nexport function publish(stats: { total: number }) {\n  writeFileSync('public/stats.json', JSON.stringify({ total: stats.total }));\n}\n",
    },
  },
];

const run = (files: Record<string, string>, config: Partial<EngineConfig> = {}): Finding[] =>
  findingsOf(RULE, { 'db/schema.sql': SCHEMA, ...files }, config);

describe(RULE, () => {
  it.each(invalid)('reports $name', ({ files, file, found, severity, exposure, related }) => {
    const findings = run(files);
    expect(findings.map((f) => [f.file, covered(files[file]!, f)])).toEqual([[file, found]]);
    expect(findings[0]!.severity).toBe(severity ?? 'error');
    expect(findings[0]!.data).toMatchObject({ exposure });
    if (related) expect(findings[0]!.related?.map((r) => r.message).join('\n')).toMatch(related);
  });

  it.each(valid)('accepts $name', ({ files, config }) => {
    expect(run(files, config)).toEqual([]);
  });

  it('says what is exposed, where, why, and cites the decision', () => {
    const [f] = run({ 'jobs/nightly.sql': "COPY (SELECT * FROM patients) TO '/var/www/html/exports/patients.csv';\n" });
    expect(f!.message).toMatch(
      /^The export of "patients" \(nir: health-identifier, diagnostic: health-condition, nom: identity, telephone: contact\) is written to \/var\/www\/html\/exports\/patients\.csv, a folder a web server publishes \(www\): anyone/,
    );
    expect(f!.message).toContain('SAN-2022-009');
  });

  it('points at where the data is read when the path is written elsewhere', () => {
    const files = {
      'job.ts': job(
        "  const { rows } = await pool.query('SELECT nom, diagnostic FROM patients');\n  await writeFile('/var/www/dx.json', JSON.stringify(rows));",
      ),
    };
    const [f] = run(files);
    const text = files['job.ts'];
    expect(f!.related!.map((r) => [r.message, text.slice(r.range.start, r.range.end)])).toEqual([
      ['the data is read here (patients)', 'SELECT nom, diagnostic FROM patients'],
    ]);
  });

  describe('quick fixes', () => {
    const parses = (path: string, text: string) => {
      const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
      return (sf as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length === 0;
    };
    const config = { exports: { privateDir: '/var/lib/biolab/exports' } };

    it('moves a COPY below the private directory, and the fixed job is silent', () => {
      const sql = "COPY (SELECT * FROM patients) TO '/srv/www/public/exports/patients.csv' WITH (FORMAT csv);\n";
      const [f] = run({ 'jobs/nightly.sql': sql }, config);
      expect(f!.fixes!.map((x) => x.title)).toEqual([
        'Write it under the private export directory /var/lib/biolab/exports',
        'Suppress export-to-public-location on this line (with a justification)',
      ]);
      const fixed = applyEdits(sql, f!.fixes![0]!.edits).text;
      expect(fixed).toBe(
        "COPY (SELECT * FROM patients) TO '/var/lib/biolab/exports/exports/patients.csv' WITH (FORMAT csv);\n",
      );
      expect(run({ 'jobs/nightly.sql': fixed }, config)).toEqual([]);
    });

    it('rewrites the constant that names the public folder, in the same file', () => {
      const text = job(
        "  const { rows } = await pool.query('SELECT nom, diagnostic FROM patients');\n  await writeFile(`${PUBLIC_DIR}/dx-${Date.now()}.json`, JSON.stringify(rows));",
        "const PUBLIC_DIR = '/srv/www/public/exports';",
      );
      const [f] = run({ 'job.ts': text }, config);
      const fixed = applyEdits(text, f!.fixes![0]!.edits).text;
      expect(fixed).toContain("const PUBLIC_DIR = '/var/lib/biolab/exports/exports';");
      expect(parses('job.ts', fixed)).toBe(true);
      expect(run({ 'job.ts': fixed }, config)).toEqual([]);
    });

    it('replaces tmpdir() by the private directory', () => {
      const text = job(
        "  const { rows } = await pool.query('SELECT nom, diagnostic FROM patients');\n  await writeFile(join(tmpdir(), 'dx.json'), JSON.stringify(rows));",
        "import { tmpdir } from 'node:os';",
      );
      const [f] = run({ 'job.ts': text }, config);
      const fixed = applyEdits(text, f!.fixes![0]!.edits).text;
      expect(fixed).toContain("await writeFile(join('/var/lib/biolab/exports', 'dx.json'), JSON.stringify(rows));");
      expect(parses('job.ts', fixed)).toBe(true);
    });

    it('without a private directory configured, offers only what it can do', () => {
      const [f] = run({ 'jobs/nightly.sql': "COPY (SELECT * FROM patients) TO '/var/www/p.csv';\n" });
      expect(f!.fixes!.map((x) => x.title)).toEqual([
        'Suppress export-to-public-location on this line (with a justification)',
      ]);
    });

    it('drops the public ACL', () => {
      const text = job(
        "  const { rows } = await pool.query('SELECT nom, nir FROM patients');\n  await s3.putObject({ Bucket: 'lab-exports', Key: 'p.json', Body: JSON.stringify(rows), ACL: 'public-read' });",
        'declare const s3: any;',
      );
      const [f] = run({ 'job.ts': text });
      expect(f!.fixes![0]!.title).toBe('Make the object private (drop the public ACL)');
      const fixed = applyEdits(text, f!.fixes![0]!.edits).text;
      expect(fixed).toContain("ACL: 'private' });");
      expect(parses('job.ts', fixed)).toBe(true);
      expect(run({ 'job.ts': fixed })).toEqual([]);
    });

    it('shortens a long-lived signed link', () => {
      const text = job(
        "  const { rows } = await pool.query('SELECT nom, nir FROM patients');\n  await s3.putObject({ Bucket: 'lab-exports', Key: 'p.json', Body: JSON.stringify(rows) });\n  return getSignedUrl(s3, cmd, { expiresIn: 7 * 24 * 3600 });",
        'declare const s3: any, cmd: any, getSignedUrl: any;',
      );
      const [f] = run({ 'job.ts': text });
      expect(f!.fixes![0]!.title).toBe('Make the signed link expire after an hour');
      const fixed = applyEdits(text, f!.fixes![0]!.edits).text;
      expect(fixed).toContain('{ expiresIn: 3600 }');
      expect(parses('job.ts', fixed)).toBe(true);
      expect(run({ 'job.ts': fixed })).toEqual([]);
    });

    it('suppresses with a justification', () => {
      const sql = "COPY (SELECT * FROM patients) TO '/var/www/p.csv';\n";
      const [f] = run({ 'jobs/nightly.sql': sql });
      const fixed = applyEdits(sql, f!.fixes!.at(-1)!.edits).text;
      expect(fixed.startsWith('-- gdpr-lint-disable-next-line export-to-public-location -- TODO: justify\n')).toBe(
        true,
      );
    });
  });
});
