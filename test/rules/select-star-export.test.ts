import { describe, expect, it } from 'vitest';
import { applyEdits, Project, type Finding } from '../../server/src/engine/index.js';
import { covered, findingsOf, testConfig } from '../helpers.js';

const RULE = 'select-star-export';
const SCHEMA = [
  'CREATE TABLE patients (id UUID PRIMARY KEY, nom VARCHAR(80), nir CHAR(15), statut_vih BOOLEAN, cree_le TIMESTAMPTZ);',
  'CREATE TABLE app_settings (cle VARCHAR(64) PRIMARY KEY, valeur TEXT);',
  'CREATE TABLE audit_jobs (id SERIAL PRIMARY KEY, lance_le TIMESTAMPTZ, statut VARCHAR(10));',
].join('\n');

function check(code: string, path: string): Finding[] {
  return findingsOf(RULE, { 'db/schema.sql': SCHEMA, [path]: code }).filter((f) => f.file === path);
}

interface Invalid {
  code: string;
  /** The exact text each finding covers. */
  covers: string[];
  /** Output of the preferred fix, or null when none is offered. */
  output?: string | null;
  /** Output of the second (non-sensitive columns) fix. */
  minimal?: string;
  context?: 'export' | 'query';
  path?: string;
}

const invalid: Invalid[] = [
  // SQL files: a top-level SELECT prints its rows to whoever runs the script
  {
    code: 'SELECT * FROM patients WHERE id = 1;',
    covers: ['*'],
    output: 'SELECT id, nom, nir, statut_vih, cree_le FROM patients WHERE id = 1;',
    minimal: 'SELECT id, nom, cree_le FROM patients WHERE id = 1;',
    context: 'export',
  },
  {
    code: 'SELECT p.*, 1 FROM patients p;',
    covers: ['p.*'],
    output: 'SELECT p.id, p.nom, p.nir, p.statut_vih, p.cree_le, 1 FROM patients p;',
    minimal: 'SELECT p.id, p.nom, p.cree_le, 1 FROM patients p;',
  },
  {
    code: "COPY (SELECT * FROM patients) TO '/srv/exports/p.csv' WITH (FORMAT csv);",
    covers: ['*'],
    context: 'export',
    output: "COPY (SELECT id, nom, nir, statut_vih, cree_le FROM patients) TO '/srv/exports/p.csv' WITH (FORMAT csv);",
  },
  {
    code: "COPY patients TO '/srv/exports/p.csv';",
    covers: ['patients'],
    output: "COPY patients (id, nom, nir, statut_vih, cree_le) TO '/srv/exports/p.csv';",
    minimal: "COPY patients (id, nom, cree_le) TO '/srv/exports/p.csv';",
  },
  { code: "SELECT * INTO OUTFILE '/tmp/s.csv' FROM app_settings;", covers: ['*'], context: 'export' },
  { code: 'CREATE TABLE patients_old AS SELECT * FROM patients;', covers: ['*'], context: 'export' },
  {
    code: 'INSERT INTO archive.audit_jobs SELECT * FROM audit_jobs;',
    covers: ['*'],
    context: 'export',
    output: 'INSERT INTO archive.audit_jobs SELECT id, lance_le, statut FROM audit_jobs;',
  },
  { code: 'SELECT * INTO dbo.PatientsCopie FROM dbo.Patients;\nGO', covers: ['*'], context: 'export' },
  { code: 'SELECT * FROM app_settings FOR JSON PATH;\nGO', covers: ['*'], context: 'export' },
  { code: 'CREATE VIEW v_export_mutuelle AS SELECT * FROM audit_jobs;', covers: ['*'], context: 'export' },
  {
    code: '-- Flux vers le partenaire\nCREATE VIEW v_jobs AS SELECT j.* FROM audit_jobs j;',
    covers: ['j.*'],
    context: 'export',
  },
  {
    code: 'EXEC xp_cmdshell \'bcp "SELECT * FROM Lab.dbo.app_settings" queryout "s.csv" -T\';',
    covers: ['*'],
    context: 'export',
  },
  { code: '.output /tmp/jobs.csv\nSELECT * FROM audit_jobs;', covers: ['*'], context: 'export' },
  { code: 'SELECT * FROM analyses WHERE id = 1;', covers: ['*'], output: null, context: 'export' },
  { code: 'SELECT * FROM (SELECT * FROM comptes_rendus) cr;', covers: ['*'] },
  { code: 'SELECT * FROM a UNION SELECT * FROM resultats;', covers: ['*'] },
  { code: 'SELECT * FROM users;', covers: ['*'], output: null },
  // TypeScript / JavaScript: rows that leave the function
  {
    path: 'src/a.ts',
    code: "export async function job() {\n  const r = await pool.query('SELECT * FROM patients');\n  await writeFile('/tmp/p.csv', stringify(r.rows));\n}",
    covers: ['*'],
    context: 'export',
  },
  {
    path: 'src/a.ts',
    code: "export async function job(res) {\n  const rows = await db.any('SELECT * FROM patients');\n  res.attachment('p.csv').send(toCsv(rows));\n}",
    covers: ['*'],
    context: 'export',
  },
  {
    path: 'src/a.ts',
    code: "export async function sync() {\n  const { rows } = await client.query('SELECT * FROM patients');\n  await axios.post('https://partner.example/patients', rows);\n}",
    covers: ['*'],
    context: 'export',
  },
  {
    path: 'src/a.ts',
    code: "export async function sync() {\n  const stream = client.query(new QueryStream('SELECT * FROM patients'));\n  stream.pipe(csv()).pipe(createWriteStream('/tmp/p.csv'));\n}",
    covers: ['*'],
    context: 'export',
  },
  {
    path: 'src/a.ts',
    code: "export async function dump() {\n  const rows = await db.any(\"SELECT * FROM patients WHERE nom = 'O\\\"Brien'\");\n  await writeFile('/tmp/p.json', JSON.stringify(rows));\n}",
    covers: ['*'],
    output:
      "export async function dump() {\n  const rows = await db.any(\"SELECT id, nom, nir, statut_vih, cree_le FROM patients WHERE nom = 'O\\\"Brien'\");\n  await writeFile('/tmp/p.json', JSON.stringify(rows));\n}",
  },
  // ORM and query builders
  {
    path: 'src/a.ts',
    code: "export async function run() {\n  const patients = await prisma.patient.findMany({ include: { resultats: true } });\n  await writeFile('/tmp/p.json', JSON.stringify(patients));\n}",
    covers: ['findMany'],
    output: null,
    context: 'export',
  },
  {
    path: 'src/a.ts',
    code: "export async function run() {\n  const all = await dataSource.getRepository(Patient).find();\n  await got.post('https://partner.example', { json: all });\n}",
    covers: ['find'],
    context: 'export',
  },
  {
    path: 'src/a.ts',
    code: "export async function run(res) {\n  const list = await Patient.findAll({ where: { actif: true } });\n  res.attachment('p.csv').send(stringify(list));\n}",
    covers: ['findAll'],
    context: 'export',
  },
  {
    path: 'src/a.ts',
    code: "export async function run(channel) {\n  const list = await this.patientRepository.findBy({ actif: true });\n  channel.sendToQueue('patients', Buffer.from(JSON.stringify(list)));\n}",
    covers: ['findBy'],
    context: 'export',
  },
  {
    path: 'src/a.ts',
    code: "export async function run() {\n  const rows = await dataSource.getRepository(Patient).createQueryBuilder('p').where('p.actif').getMany();\n  await writeFile('/tmp/p.json', JSON.stringify(rows));\n}",
    covers: ['createQueryBuilder'],
    context: 'export',
  },
  {
    path: 'src/a.ts',
    code: "export async function run() {\n  const rows = await knex('patients').select();\n  await fs.promises.writeFile('/tmp/p.json', JSON.stringify(rows));\n}",
    covers: ['select'],
    context: 'export',
  },
];

const valid: { code: string; path?: string }[] = [
  { code: 'SELECT count(*) FROM patients;' },
  { code: 'SELECT COUNT(*) AS n, YEAR(d) FROM dbo.Patients GROUP BY YEAR(d);\nGO' },
  { code: 'SELECT id FROM patients p WHERE EXISTS (SELECT * FROM resultats r WHERE r.patient_id = p.id);' },
  { code: "COPY (SELECT p.id FROM patients p WHERE NOT EXISTS (SELECT * FROM resultats r)) TO '/x.csv';" },
  { code: "IF NOT EXISTS (SELECT * FROM sys.tables WHERE name = N'X')\nBEGIN\n  CREATE TABLE dbo.X (Id INT)\nEND\nGO" },
  { code: 'SELECT id, nom FROM patients;' },
  { code: 'SELECT * FROM app_settings;' },
  { code: 'SELECT * FROM audit_jobs WHERE id = 1;' },
  { code: 'SELECT * FROM sys.objects;' },
  { code: 'SELECT * FROM parametres_appareil;' },
  { code: 'SELECT 2 * 3 AS six FROM patients;' },
  { code: "-- SELECT * FROM patients;\n/* COPY (SELECT * FROM patients) TO '/x'; */\nSELECT 1;" },
  { code: "COPY patients (id, nom) TO '/x.csv';" },
  { code: "COPY patients FROM '/import/p.csv';" },
  { code: 'SELECT id FROM (SELECT * FROM patients) p;' },
  { code: 'WITH x AS (SELECT * FROM patients) SELECT id FROM x;' },
  // A star over a derived table or CTE whose columns are listed adds no column nobody chose.
  { code: 'WITH x AS (SELECT id, nir FROM patients) SELECT * FROM x;' },
  {
    code: "COPY (SELECT * FROM (SELECT id, nom FROM patients UNION SELECT id, nom FROM patients_archive) t) TO '/x.csv';",
  },
  { path: 'src/a.ts', code: "// pool.query('SELECT * FROM patients')\nconst a = 1;" },
  { path: 'src/a.ts', code: "await pool.query('SELECT * FROM app_settings');" },
  { path: 'src/a.ts', code: "await knex('patients').select('id', 'nom');" },
  { path: 'src/a.ts', code: "const n = await knex('resultats').select('code').count('* as total').groupBy('code');" },
  {
    path: 'src/a.ts',
    code: 'export function ecran() {\n  return dataSource.getRepository(Patient).find({ where: { actif: true } });\n}',
  },
  {
    path: 'src/a.ts',
    code: "export async function run() {\n  const r = await prisma.resultat.findMany({ select: { id: true } });\n  await writeFile('/tmp/r.json', JSON.stringify(r));\n}",
  },
  {
    path: 'src/a.ts',
    code: "export async function run() {\n  const r = await Patient.findAll({ attributes: ['id'] });\n  await writeFile('/tmp/r.json', JSON.stringify(r));\n}",
  },
  {
    path: 'src/a.ts',
    code: "const p = patients.find((x) => x.id === id);\nawait writeFile('/tmp/p.json', JSON.stringify(p));",
  },
  {
    path: 'src/a.ts',
    code: "export async function run(res) {\n  const rows = await knex('patients').where({ id }).select('id');\n  res.attachment('x.csv').send(rows);\n}",
  },
  { path: 'src/a.ts', code: 'const rows = await db.select({ id: patients.id }).from(patients);' },
  { path: 'src/a.ts', code: "const label = 'Select * items from the list to export';" },
  // Rows read and used inside the application: at most a note, off by default.
  { path: 'src/a.ts', code: "const { rows } = await pool.query('SELECT * FROM patients WHERE id = $1', [id]);" },
  { path: 'src/a.ts', code: 'const { rows } = await pool.query(`SELECT p.* FROM patients p WHERE id = ${id}`);' },
  { path: 'src/a.ts', code: "const rows = await knex('patients').where({ id }).select('*');" },
  { path: 'src/a.ts', code: "const rows = await knex('resultats').where('id', id);" },
  {
    path: 'src/mysql.ts',
    code: "import mysql from 'mysql2/promise';\nconst [rows] = await connection.execute('SELECT * FROM `patients` WHERE id = ?', [id]);",
  },
  {
    path: 'src/pgp.js',
    code: "module.exports.get = (id) => db.oneOrNone('SELECT * FROM patients WHERE id = $1', id);",
  },
  // A star over a table with no personal data sent to a file is not an over-broad extraction of people.
  {
    path: 'src/a.ts',
    code: "export async function job() {\n  const r = await pool.query('SELECT * FROM audit_jobs');\n  await writeFile('/tmp/jobs.csv', stringify(r.rows));\n}",
  },
];

describe('select-star-export', () => {
  describe('invalid', () => {
    it.each(invalid)('$code', ({ code, covers, output, minimal, context, path = 'db/q.sql' }) => {
      const findings = check(code, path);
      expect(findings.map((f) => covered(code, f))).toEqual(covers);
      const [finding] = findings;
      if (context) expect(finding!.data?.context).toBe(context);
      const preferred = finding!.fixes?.find((f) => f.isPreferred);
      if (output === null) expect(preferred).toBeUndefined();
      else if (output !== undefined) expect(applyEdits(code, preferred!.edits).text).toBe(output);
      if (minimal !== undefined) {
        const second = finding!.fixes!.find((f) => !f.isPreferred)!;
        expect(applyEdits(code, second.edits).text).toBe(minimal);
      }
    });
  });

  describe('valid', () => {
    it.each(valid)('$code', ({ code, path = 'db/q.sql' }) => {
      expect(check(code, path).map((f) => covered(code, f))).toEqual([]);
    });
  });

  it('names the table and the sensitive columns (names and categories only) in the message and data', () => {
    const code = "COPY (SELECT * FROM patients) TO '/srv/www/public/p.csv';";
    const [finding] = check(code, 'db/export.sql');
    expect(finding!.message).toBe(
      'SELECT * exports every column of "patients" (nir: health-identifier, statut_vih: health-condition, nom: identity) to a file (COPY ... TO): list only the columns this job needs (Art. 5(1)(c)).',
    );
    expect(finding!.data).toMatchObject({
      table: 'patients',
      columns: ['id', 'nom', 'nir', 'statut_vih', 'cree_le'],
      sensitiveColumns: ['nir', 'statut_vih'],
      context: 'export',
    });
    expect(finding!.fixes!.map((f) => f.title)).toEqual([
      'Replace * with the 5 columns of patients',
      'Select only the 3 non-sensitive columns of patients (drops nir, statut_vih)',
    ]);
  });

  describe('the column list names columns as the database has them', () => {
    const preferredOutput = (files: Record<string, string>, path: string): string | undefined => {
      const finding = findingsOf(RULE, files).find((f) => f.file === path);
      const fix = finding?.fixes?.find((f) => f.isPreferred);
      return fix && applyEdits(files[path]!, fix.edits).text;
    };
    const STAR = "COPY (SELECT * FROM patients) TO '/srv/exports/p.csv';";

    it('a model field mapped to a column is that column, listed once', () => {
      const files = {
        'db/V1__init.sql': 'CREATE TABLE patients (id UUID, date_naissance DATE, statut_vih TEXT);',
        'src/patient.entity.ts':
          "@Entity({ name: 'patients' })\nexport class Patient {\n  @PrimaryColumn() id: string;\n  @Column({ name: 'date_naissance' }) dateNaissance: string;\n  @Column({ name: 'statut_vih' }) statutVih: string;\n  @Column({ name: 'ins_matricule' }) insMatricule: string;\n}",
        'db/export.sql': STAR,
      };
      // The migrations make the table: the entity's extra field has no column yet.
      expect(preferredOutput(files, 'db/export.sql')).toBe(
        "COPY (SELECT id, date_naissance, statut_vih FROM patients) TO '/srv/exports/p.csv';",
      );
    });

    it('drops and renames of later migrations are replayed', () => {
      const files = {
        'db/migrations/V1__init.sql': 'CREATE TABLE patients (id UUID, nom TEXT, nir CHAR(15), fax TEXT);',
        'db/migrations/V2__rename.sql':
          'ALTER TABLE patients RENAME COLUMN nom TO nom_naissance;\nALTER TABLE patients DROP COLUMN fax;\nALTER TABLE patients ADD COLUMN statut_vih TEXT;',
        'db/export.sql': STAR,
      };
      expect(preferredOutput(files, 'db/export.sql')).toBe(
        "COPY (SELECT id, nom_naissance, nir, statut_vih FROM patients) TO '/srv/exports/p.csv';",
      );
    });

    it('a Prisma model without SQL: mapped names, and capitals quoted for PostgreSQL', () => {
      const files = {
        'prisma/schema.prisma':
          'model Patient {\n  id String @id\n  firstName String\n  birthDate DateTime @map("birth_date")\n  hivStatus String\n  results Result[]\n  @@map("patients")\n}\nmodel Result {\n  id String @id\n  patientId String\n  patient Patient @relation(fields: [patientId], references: [id])\n  value String\n}',
        'db/export.sql': STAR,
      };
      expect(preferredOutput(files, 'db/export.sql')).toBe(
        'COPY (SELECT id, "firstName", birth_date, "hivStatus" FROM patients) TO \'/srv/exports/p.csv\';',
      );
    });

    it('a column created quoted keeps its quotes; one created bare is written bare', () => {
      const files = {
        'db/schema.sql': 'CREATE TABLE patients (id UUID, "lastName" TEXT, DateNaissance DATE, nir CHAR(15));',
        'db/export.sql': STAR,
      };
      expect(preferredOutput(files, 'db/export.sql')).toBe(
        'COPY (SELECT id, "lastName", DateNaissance, nir FROM patients) TO \'/srv/exports/p.csv\';',
      );
    });

    it('no fix when two migration histories declare the table differently', () => {
      const files = {
        'legacy/mysql/schema.sql': 'CREATE TABLE patients (id INT, nom TEXT, nir CHAR(15));',
        'db/migrations/V1__init.sql': 'CREATE TABLE patients (id UUID, family_name TEXT, nir CHAR(15));',
        'db/export.sql': STAR,
      };
      expect(preferredOutput(files, 'db/export.sql')).toBeUndefined();
    });
  });

  it('flags the innermost star when an outer star only passes a derived table through', () => {
    const code = 'SELECT * FROM (SELECT * FROM comptes_rendus) cr;';
    expect(check(code, 'db/q.sql').map((f) => f.range.start)).toEqual([code.lastIndexOf('*')]);
  });

  it('presumes personal data from the table name when the schema does not know it', () => {
    const [finding] = findingsOf(RULE, { 'q.sql': 'SELECT * FROM comptes_rendus;' });
    expect(finding!.message).toContain('"comptes_rendus" (personal data presumed from its name)');
    expect(finding!.fixes).toBeUndefined();
  });

  it('notes each statement the parser rejects, once', () => {
    const project = new Project(testConfig({ only: [RULE] }));
    project.setFile({ path: 'x.sql', text: "COPY (SELECT * FROM patients) TO '/x';\nSELECT * FROM patients;" });
    const result = project.analyzeFile('x.sql');
    expect(result.notes.map((n) => [n.kind, n.message])).toEqual([
      ['sql-unparsed', 'line 1: "COPY ( ..." not accepted by the postgresql parser; analysed by tokens'],
    ]);
    expect(result.findings).toHaveLength(2);
  });
});

describe('select-star-export: whole rows inside functions', () => {
  it('flags row_to_json(p.*) and json_agg(r.*) but not count(*)', () => {
    const code = 'SELECT row_to_json(p.*), count(*) FROM patients p;\nSELECT json_agg(r.*) FROM resultats r;';
    expect(findingsOf(RULE, { 'db/q.sql': code }).map((f) => covered(code, f))).toEqual(['p.*', 'r.*']);
  });
});

describe('select-star-export: results followed to an export within the function', () => {
  it.each([
    [
      "export async function xlsx() {\n  const { rows } = await pool.query('SELECT * FROM patients');\n  const wb = XLSX.utils.book_new();\n  XLSX.utils.book_append_sheet(wb, XLSX.utils.json_to_sheet(rows));\n  XLSX.writeFile(wb, '/tmp/p.xlsx');\n}",
      'to a file (XLSX.writeFile)',
    ],
    [
      "export async function zip() {\n  const list = await db.many('SELECT * FROM patients');\n  archive.append(JSON.stringify(list), { name: 'p.json' });\n  archive.pipe(output);\n}",
      'to a stream (archive.pipe)',
    ],
    [
      "fastify.get('/x', async (req, reply) => {\n  const r = await pool.query('SELECT * FROM patients');\n  reply.header('Content-Disposition', 'attachment; filename=p.csv');\n  return reply.send(toCsv(r.rows));\n});",
      'in a file download (reply.send)',
    ],
    [
      "@Get('x') async x() {\n  const rows = await this.repo.query('SELECT * FROM patients');\n  return new StreamableFile(Buffer.from(toCsv(rows)));\n}",
      'in a file download (new StreamableFile)',
    ],
    [
      "export async function book() {\n  const { rows } = await pool.query('SELECT * FROM patients');\n  const sheet = workbook.addWorksheet('p');\n  sheet.addRows(rows);\n  await workbook.xlsx.writeFile('/tmp/p.xlsx');\n}",
      'to a file (workbook.xlsx.writeFile)',
    ],
    [
      "export async function audit() {\n  const { rows } = await pool.query('SELECT * FROM patients');\n  logger.info({ rows }, 'patients loaded');\n}",
      'to a log (logger.info)',
    ],
  ])('%s', (code, where) => {
    const [finding] = check(code, 'src/x.ts');
    expect(finding!.message).toContain(where);
  });

  it('a console is a log where it is kept: a server module, not a script run by hand', () => {
    const read = "  const { rows } = await pool.query('SELECT * FROM patients');\n  console.log(rows);\n";
    const server = `export async function audit() {\n${read}}`;
    const script = `async function audit() {\n${read}}\naudit().then(() => process.exit(0));`;
    expect(check(server, 'src/audit.ts').map((f) => f.message)).toEqual([
      expect.stringContaining('to a log (console.log)'),
    ]);
    expect(
      check(script, 'scripts/audit.ts')
        .map((f) => f.message)
        .filter((m) => m.includes('to a log')),
    ).toEqual([]);
  });

  it('does not take rows kept in the application for an export: an array push, one field, a name in a reply', () => {
    const code = [
      'export async function collect(ids) {',
      '  const rows = [];',
      "  for (const id of ids) rows.push(await pool.query('SELECT * FROM patients WHERE id = $1', [id]));",
      '  return rows.length;',
      '}',
      'export async function notify(bot, id) {',
      '  const contact = await Patient.findByPk(id);',
      '  await bot.sendMessage(chat, `Hello ${contact.nom}`);',
      '}',
      'export async function names(res) {',
      "  const { rows } = await pool.query('SELECT * FROM patients');",
      "  await axios.post('https://partner.example', rows.map((r) => ({ id: r.id })));",
      '}',
      'export async function close(models) {',
      "  const old = await pool.query('SELECT * FROM patients WHERE actif = false');",
      '  for (const p of old.rows) {',
      '    await archive(models, p);',
      '    logger.info(`closed ${p.id}`);',
      '  }',
      '}',
    ].join('\n');
    expect(check(code, 'src/x.ts')).toEqual([]);
  });

  it('does not treat a function that returns rows to an unknown caller as an export', () => {
    const code = "export function all() {\n  return pool.query('SELECT * FROM patients');\n}";
    expect(check(code, 'src/x.ts')).toEqual([]);
  });
});

/** Findings of the rule in one file of a small project, as `[covered text, where the message says the rows go]`. */
function destinations(files: Record<string, string>, path: string, extra = {}): string[][] {
  return findingsOf(RULE, { 'db/schema.sql': SCHEMA, ...files }, extra)
    .filter((f) => f.file === path)
    .sort((a, b) => a.range.start - b.range.start)
    .map((f) => [
      covered(files[path]!, f),
      /every (?:column|field) of (?:"[^"]*"(?: \([^)]*\))?(?: and )?)+(?: (.*?))?: (?:list|select) only/.exec(
        f.message,
      )?.[1] ?? '',
    ]);
}

describe('select-star-export: rows sent to the client', () => {
  const SERVER = `import express from 'express';
export const app = express();
`;

  it.each([
    {
      name: "an Express bulk list of whole patient rows is reported; one record by id with special-category columns too; the requester's own record is not",
      code: `import { app } from './server';
app.get('/patients', async (req, res) => {
  const { rows } = await pool.query('SELECT * FROM patients');
  res.json(rows);
});
app.get('/patients/:id', async (req, res) => {
  const { rows } = await pool.query('SELECT * FROM patients WHERE id = $1', [req.params.id]);
  res.json(rows[0]);
});
app.get('/me', async (req, res) => {
  const { rows } = await pool.query('SELECT * FROM patients WHERE id = $1', [req.user.id]);
  res.json(rows[0]);
});
app.get('/jobs', async (req, res) => {
  const { rows } = await pool.query('SELECT * FROM audit_jobs');
  res.json(rows);
});`,
      expected: [
        ['*', 'to the client (res.json, GET /patients), every row'],
        ['*', 'to the client (res.json, GET /patients/:id), with nir, statut_vih'],
      ],
    },
    {
      name: 'a mysql callback that sends the rows of a people table in bulk',
      code: `import { app } from './server';
app.get('/users/all', (req, res) => {
  db.query('SELECT * FROM users', (err, result) => {
    if (err) return res.status(500).send(err);
    res.send(result);
  });
});`,
      expected: [['*', 'to the client (res.send, GET /users/all), every row']],
    },
  ])('$name', ({ code, expected }) => {
    expect(destinations({ 'src/server.ts': SERVER, 'src/routes.ts': code }, 'src/routes.ts')).toEqual(expected);
  });

  it('a Next.js route handler returning every patient with their user rows is reported; one patient by id is not', () => {
    const path = 'app/api/patients/route.ts';
    const files = {
      'prisma/schema.prisma': 'model Patient {\n  id String @id\n  name String\n  allergies String\n}',
      [path]: `import { NextResponse } from 'next/server';
export async function GET() {
  const patients = await prisma.patient.findMany({ include: { user: true } });
  return NextResponse.json(patients);
}
export async function POST(req: Request) {
  const { id } = await req.json();
  const patient = await prisma.patient.findUnique({ where: { id } });
  return NextResponse.json(patient);
}`,
    };
    expect(destinations(files, path)).toEqual([
      ['findMany', 'to the client (NextResponse.json, GET /api/patients), every row'],
    ]);
  });

  it("a model the app's Prisma schema does not declare is not in its client: the route cannot return rows", () => {
    const path = 'web/app/api/reports/route.ts';
    const files = {
      'web/prisma/schema.prisma': 'model Patient {\n  id String @id\n  name String\n  allergies String\n}',
      [path]: `import { NextResponse } from 'next/server';
export async function GET() {
  return NextResponse.json(await prisma.clinicalReport.findMany());
}`,
    };
    expect(destinations(files, path)).toEqual([]);
  });

  it("a tRPC procedure returning whole rows of everyone is reported; one owner's rows are not", () => {
    const path = 'src/server/routers/patient.ts';
    const files = {
      'prisma/schema.prisma': 'model Patient {\n  id String @id\n  name String\n  allergies String\n}',
      [path]: `export const patientRouter = createTRPCRouter({
  list: publicProcedure.query(async ({ ctx }) => ctx.db.patient.findMany()),
  mine: protectedProcedure.query(async ({ ctx }) => ctx.db.patient.findMany({ where: { userId: ctx.session.user.id } })),
  ofClinic: protectedProcedure.query(async ({ ctx, input }) => ctx.db.patient.findMany({ where: input.clinicId ? { clinicId: input.clinicId } : { userId: ctx.session.user.id } })),
});`,
    };
    expect(destinations(files, path)).toEqual([['findMany', 'to the client (returned by GET /trpc/list), every row']]);
  });

  it('a NestJS controller returning a service method that returns a whole-record read: reported in the service', () => {
    const files = {
      'prisma/schema.prisma': 'model Patient {\n  id String @id\n  name String\n  bloodGroup String\n}',
      'src/patients/patients.controller.ts': `import { Controller, Get } from '@nestjs/common';
@Controller('patients')
export class PatientsController {
  constructor(private readonly patientsService: PatientsService) {}
  @Get()
  findAll() {
    return this.patientsService.findAll();
  }
}`,
      'src/patients/patients.service.ts': `export class PatientsService {
  findAll() {
    return this.prisma.patient.findMany();
  }
  count() {
    return this.prisma.patient.count();
  }
}`,
    };
    expect(destinations(files, 'src/patients/patients.service.ts')).toEqual([
      ['findMany', 'to the client (returned through findAll() to GET /patients), every row'],
    ]);
  });

  it('a list filtered by a condition built elsewhere, or by a key of a related row, is not a list of everyone', () => {
    const path = 'src/routes.ts';
    const files = {
      'src/server.ts': SERVER,
      [path]: `import { app } from './server';
app.get('/notes', async (req, res) => {
  const where = buildFilter(req.query);
  res.send(await Patient.findAll({ where, limit: 20 }));
});
app.get('/patients/:id/referrals', async (req, res) => {
  res.send(await Patient.findAll({ include: [{ association: 'referrals', where: { '$referrals.patient_id$': req.params.id } }] }));
});
app.get('/everyone', async (req, res) => {
  res.send(await Patient.findAll({ limit: 50 }));
});
app.get('/search', async (req, res) => {
  const where = req.query.q ? { [Op.or]: [{ lastName: { [Op.substring]: req.query.q } }] } : {};
  res.send(await Patient.findAll({ where }));
});
app.get('/assignments', async (req, res) => {
  const whereClause = {};
  if (req.query.facilityId) whereClause['$location.facility_id$'] = req.query.facilityId;
  if (req.query.ids) whereClause.userId = { [Op.in]: req.query.ids };
  res.send(await Patient.findAll({ where: whereClause }));
});
app.get('/users/:id/leaves', async (req, res) => {
  const where = { userId: req.params.id };
  res.send(await Patient.findAll({ where }));
});`,
      'src/models/patient.ts':
        "@Entity('patients') export class Patient { @Column() lastName: string; @Column() hivStatus: string; }",
    };
    expect(destinations(files, path)).toEqual([
      ['findAll', 'to the client (res.send, GET /everyone), every row'],
      ['findAll', 'to the client (res.send, GET /search), every row'],
    ]);
  });

  it("a catalogue next to a patient table, and an organisation's table, hold no personal data: their lists are not reported", () => {
    const files = {
      'db/catalog.sql': `CREATE TABLE allergy (id INT PRIMARY KEY, name TEXT, description TEXT);
CREATE TABLE patient_allergies (patient_id UUID REFERENCES patients (id), allergy_id INT REFERENCES allergy (id));
CREATE TABLE facilities (id INT PRIMARY KEY, name TEXT, email TEXT, street_address TEXT);`,
      'src/server.ts': SERVER,
      'src/routes.ts': `import { app } from './server';
app.get('/allergies', async (req, res) => res.json((await pool.query('SELECT * FROM allergy')).rows));
app.get('/facilities', async (req, res) => res.json((await pool.query('SELECT * FROM facilities')).rows));
app.get('/patient-allergies', async (req, res) => res.json((await pool.query('SELECT * FROM patient_allergies')).rows));`,
    };
    expect(destinations(files, 'src/routes.ts').map(([, where]) => where)).toEqual([
      'to the client (res.json, GET /patient-allergies), every row',
    ]);
  });
});

describe('select-star-export: migrations', () => {
  it('a table rebuilt in place in the same database is not an export; a copy into an archive schema is', () => {
    const rebuild = 'db/migrations/V7__rebuild_patients.sql';
    const archive = 'db/exports/archive.sql';
    const files = {
      [rebuild]: `CREATE TABLE patients_new (id UUID PRIMARY KEY, nom VARCHAR(80), nir CHAR(15), statut_vih BOOLEAN, cree_le TIMESTAMPTZ);
INSERT INTO patients_new SELECT * FROM patients;
DROP TABLE patients;
ALTER TABLE patients_new RENAME TO patients;`,
      [archive]: 'INSERT INTO archive.patients SELECT * FROM patients;',
    };
    expect(destinations(files, rebuild)).toEqual([]);
    expect(destinations(files, archive)).toEqual([['*', 'into another table (INSERT ... SELECT)']]);
  });

  it('a function body that returns whole rows to its caller moves nothing', () => {
    const path = 'db/migrations/V8__duplicates.sql';
    const files = {
      [path]: `CREATE OR REPLACE FUNCTION find_duplicates(n TEXT) RETURNS SETOF patients AS $$
BEGIN
  RETURN QUERY SELECT p.* FROM patients p WHERE p.nom = n;
END;
$$ LANGUAGE plpgsql;`,
    };
    expect(destinations(files, path)).toEqual([]);
  });
});

describe('select-star-export: reads inside the application', () => {
  it('are reported as notes when the team asks for them with inAppReads', () => {
    const path = 'src/a.ts';
    const code =
      "export async function exists(id) {\n  const { rows } = await pool.query('SELECT * FROM patients WHERE id = $1', [id]);\n  return rows.length > 0;\n}";
    const config = { rules: { [RULE]: { options: { inAppReads: true } } } };
    const findings = findingsOf(RULE, { 'db/schema.sql': SCHEMA, [path]: code }, config).filter((f) => f.file === path);
    expect(findings.map((f) => [covered(code, f), f.severity])).toEqual([['*', 'note']]);
    expect(check(code, path)).toEqual([]);
  });
});
