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
  // SQL files
  { code: 'SELECT * FROM patients WHERE id = 1;', covers: ['*'], output: 'SELECT id, nom, nir, statut_vih, cree_le FROM patients WHERE id = 1;', minimal: 'SELECT id, nom, cree_le FROM patients WHERE id = 1;', context: 'query' },
  { code: 'SELECT p.*, 1 FROM patients p;', covers: ['p.*'], output: 'SELECT p.id, p.nom, p.nir, p.statut_vih, p.cree_le, 1 FROM patients p;', minimal: 'SELECT p.id, p.nom, p.cree_le, 1 FROM patients p;' },
  { code: "COPY (SELECT * FROM patients) TO '/srv/exports/p.csv' WITH (FORMAT csv);", covers: ['*'], context: 'export', output: "COPY (SELECT id, nom, nir, statut_vih, cree_le FROM patients) TO '/srv/exports/p.csv' WITH (FORMAT csv);" },
  { code: "COPY patients TO '/srv/exports/p.csv';", covers: ['patients'], output: "COPY patients (id, nom, nir, statut_vih, cree_le) TO '/srv/exports/p.csv';", minimal: "COPY patients (id, nom, cree_le) TO '/srv/exports/p.csv';" },
  { code: "SELECT * INTO OUTFILE '/tmp/s.csv' FROM app_settings;", covers: ['*'], context: 'export' },
  { code: 'CREATE TABLE patients_old AS SELECT * FROM patients;', covers: ['*'], context: 'export' },
  { code: 'INSERT INTO archive.audit_jobs SELECT * FROM audit_jobs;', covers: ['*'], context: 'export', output: 'INSERT INTO archive.audit_jobs SELECT id, lance_le, statut FROM audit_jobs;' },
  { code: 'SELECT * INTO dbo.PatientsCopie FROM dbo.Patients;\nGO', covers: ['*'], context: 'export' },
  { code: 'SELECT * FROM app_settings FOR JSON PATH;\nGO', covers: ['*'], context: 'export' },
  { code: 'CREATE VIEW v_export_mutuelle AS SELECT * FROM audit_jobs;', covers: ['*'], context: 'export' },
  { code: '-- Flux vers le partenaire\nCREATE VIEW v_jobs AS SELECT j.* FROM audit_jobs j;', covers: ['j.*'], context: 'export' },
  { code: "EXEC xp_cmdshell 'bcp \"SELECT * FROM Lab.dbo.app_settings\" queryout \"s.csv\" -T';", covers: ['*'], context: 'export' },
  { code: '.output /tmp/jobs.csv\nSELECT * FROM audit_jobs;', covers: ['*'], context: 'export' },
  { code: 'SELECT * FROM analyses WHERE id = 1;', covers: ['*'], output: null, context: 'query' },
  { code: 'WITH x AS (SELECT id, nir FROM patients) SELECT * FROM x;', covers: ['*'], output: null },
  { code: 'SELECT * FROM (SELECT * FROM comptes_rendus) cr;', covers: ['*'] },
  { code: 'SELECT * FROM a UNION SELECT * FROM resultats;', covers: ['*'] },
  // TypeScript / JavaScript
  { path: 'src/a.ts', code: "const { rows } = await pool.query('SELECT * FROM patients WHERE id = $1', [id]);", covers: ['*'], output: "const { rows } = await pool.query('SELECT id, nom, nir, statut_vih, cree_le FROM patients WHERE id = $1', [id]);" },
  { path: 'src/a.ts', code: 'const { rows } = await pool.query(`SELECT p.* FROM patients p WHERE id = ${id}`);', covers: ['p.*'], output: 'const { rows } = await pool.query(`SELECT p.id, p.nom, p.nir, p.statut_vih, p.cree_le FROM patients p WHERE id = ${id}`);' },
  { path: 'src/a.ts', code: "export async function job() {\n  const r = await pool.query('SELECT * FROM audit_jobs');\n  await writeFile('/tmp/jobs.csv', stringify(r.rows));\n}", covers: ['*'], context: 'export' },
  { path: 'src/a.ts', code: "export async function job(res) {\n  const rows = await db.any('SELECT * FROM app_settings');\n  res.attachment('s.csv').send(toCsv(rows));\n}", covers: ['*'], context: 'export' },
  { path: 'src/a.ts', code: "export async function sync() {\n  const { rows } = await client.query('SELECT * FROM audit_jobs');\n  await axios.post('https://partner.example/jobs', rows);\n}", covers: ['*'], context: 'export' },
  { path: 'src/a.ts', code: "export async function sync() {\n  const stream = client.query(new QueryStream('SELECT * FROM audit_jobs'));\n  stream.pipe(csv()).pipe(createWriteStream('/tmp/j.csv'));\n}", covers: ['*'], context: 'export' },
  { path: 'src/a.ts', code: "const q = \"SELECT * FROM patients WHERE nom = 'O\\\"Brien'\";", covers: ['*'], output: "const q = \"SELECT id, nom, nir, statut_vih, cree_le FROM patients WHERE nom = 'O\\\"Brien'\";" },
  // ORM and query builders
  { path: 'src/a.ts', code: "export async function run() {\n  const patients = await prisma.patient.findMany({ include: { resultats: true } });\n  await writeFile('/tmp/p.json', JSON.stringify(patients));\n}", covers: ['findMany'], output: null, context: 'export' },
  { path: 'src/a.ts', code: "export async function run() {\n  const all = await dataSource.getRepository(Patient).find();\n  await got.post('https://partner.example', { json: all });\n}", covers: ['find'], context: 'export' },
  { path: 'src/a.ts', code: "export async function run(res) {\n  const list = await Patient.findAll({ where: { actif: true } });\n  res.attachment('p.csv').send(stringify(list));\n}", covers: ['findAll'], context: 'export' },
  { path: 'src/a.ts', code: "export async function run(channel) {\n  const list = await this.patientRepository.findBy({ actif: true });\n  channel.sendToQueue('patients', Buffer.from(JSON.stringify(list)));\n}", covers: ['findBy'], context: 'export' },
  { path: 'src/a.ts', code: "export async function run() {\n  const rows = await dataSource.getRepository(Patient).createQueryBuilder('p').where('p.actif').getMany();\n  await writeFile('/tmp/p.json', JSON.stringify(rows));\n}", covers: ['createQueryBuilder'], context: 'export' },
  { path: 'src/a.ts', code: "const rows = await knex('patients').where({ id }).select('*');", covers: ['select'], context: 'query' },
  { path: 'src/a.ts', code: "const rows = await knex('resultats').where('id', id);", covers: ['knex'], context: 'query' },
  { path: 'src/a.ts', code: "const rows = await knex.select('*').from('patients');", covers: ['select'] },
  { path: 'src/a.ts', code: 'const rows = await db.select().from(patients).where(eq(patients.id, id));', covers: ['select'] },
  { path: 'src/a.ts', code: "export async function run() {\n  const rows = await knex('audit_jobs').select();\n  await fs.promises.writeFile('/tmp/j.json', JSON.stringify(rows));\n}", covers: ['select'], context: 'export' },
  // Unseen styles
  { path: 'src/mysql.ts', code: "import mysql from 'mysql2/promise';\nconst [rows] = await connection.execute('SELECT * FROM `patients` WHERE id = ?', [id]);", covers: ['*'] },
  { path: 'src/mssql.ts', code: "import sql from 'mssql';\nconst r = await request.query('SELECT TOP 100 * FROM dbo.patients');", covers: ['*'] },
  { path: 'src/slonik.ts', code: 'const rows = await pool.any(sql.type(Row)`SELECT * FROM patients WHERE id = ${id}`);', covers: ['*'] },
  { path: 'src/seq.ts', code: "const rows = await sequelize.query('SELECT * FROM patients', { type: QueryTypes.SELECT });", covers: ['*'] },
  { path: 'src/pgp.js', code: "module.exports.get = (id) => db.oneOrNone('SELECT * FROM patients WHERE id = $1', id);", covers: ['*'] },
];

const valid: { code: string; path?: string }[] = [
  { code: 'SELECT count(*) FROM patients;' },
  { code: 'SELECT COUNT(*) AS n, YEAR(d) FROM dbo.Patients GROUP BY YEAR(d);\nGO' },
  { code: 'SELECT id FROM patients p WHERE EXISTS (SELECT * FROM resultats r WHERE r.patient_id = p.id);' },
  { code: "COPY (SELECT p.id FROM patients p WHERE NOT EXISTS (SELECT * FROM resultats r)) TO '/x.csv';" },
  { code: 'IF NOT EXISTS (SELECT * FROM sys.tables WHERE name = N\'X\')\nBEGIN\n  CREATE TABLE dbo.X (Id INT)\nEND\nGO' },
  { code: 'SELECT id, nom FROM patients;' },
  { code: 'SELECT * FROM app_settings;' },
  { code: 'SELECT * FROM audit_jobs WHERE id = 1;' },
  { code: 'SELECT * FROM sys.objects;' },
  { code: 'SELECT * FROM parametres_appareil;' },
  { code: 'SELECT 2 * 3 AS six FROM patients;' },
  { code: '-- SELECT * FROM patients;\n/* COPY (SELECT * FROM patients) TO \'/x\'; */\nSELECT 1;' },
  { code: "COPY patients (id, nom) TO '/x.csv';" },
  { code: "COPY patients FROM '/import/p.csv';" },
  { code: 'SELECT id FROM (SELECT * FROM patients) p;' },
  { code: 'WITH x AS (SELECT * FROM patients) SELECT id FROM x;' },
  { path: 'src/a.ts', code: "// pool.query('SELECT * FROM patients')\nconst a = 1;" },
  { path: 'src/a.ts', code: "await pool.query('SELECT * FROM app_settings');" },
  { path: 'src/a.ts', code: "await knex('patients').select('id', 'nom');" },
  { path: 'src/a.ts', code: "const n = await knex('resultats').select('code').count('* as total').groupBy('code');" },
  { path: 'src/a.ts', code: 'export function ecran() {\n  return dataSource.getRepository(Patient).find({ where: { actif: true } });\n}' },
  { path: 'src/a.ts', code: "export async function ecran(ctx) {\n  ctx.body = await prisma.patient.findMany({ where: { actif: true } });\n}" },
  { path: 'src/a.ts', code: "export async function run() {\n  const r = await prisma.resultat.findMany({ select: { id: true } });\n  await writeFile('/tmp/r.json', JSON.stringify(r));\n}" },
  { path: 'src/a.ts', code: "export async function run() {\n  const r = await Patient.findAll({ attributes: ['id'] });\n  await writeFile('/tmp/r.json', JSON.stringify(r));\n}" },
  { path: 'src/a.ts', code: "const p = patients.find((x) => x.id === id);\nawait writeFile('/tmp/p.json', JSON.stringify(p));" },
  { path: 'src/a.ts', code: "export async function run(res) {\n  const rows = await knex('patients').where({ id }).select('id');\n  res.attachment('x.csv').send(rows);\n}" },
  { path: 'src/a.ts', code: 'const rows = await db.select({ id: patients.id }).from(patients);' },
  { path: 'src/a.ts', code: "const label = 'Select * items from the list to export';" },
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
    expect(finding!.message).toBe('SELECT * exports every column of "patients" (nir: health-identifier, statut_vih: health-condition, nom: identity) to a file (COPY ... TO): list only the columns this job needs (Art. 5(1)(c)).');
    expect(finding!.data).toMatchObject({ table: 'patients', columns: ['id', 'nom', 'nir', 'statut_vih', 'cree_le'], sensitiveColumns: ['nir', 'statut_vih'], context: 'export' });
    expect(finding!.fixes!.map((f) => f.title)).toEqual([
      'Replace * with the 5 columns of patients',
      'Select only the 3 non-sensitive columns of patients (drops nir, statut_vih)',
    ]);
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
    expect(result.notes.map((n) => [n.kind, n.message])).toEqual([['sql-unparsed', 'line 1: "COPY ( ..." not accepted by the postgresql parser; analysed by tokens']]);
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
    ["export async function xlsx() {\n  const { rows } = await pool.query('SELECT * FROM audit_jobs');\n  const wb = XLSX.utils.book_new();\n  XLSX.utils.book_append_sheet(wb, XLSX.utils.json_to_sheet(rows));\n  XLSX.writeFile(wb, '/tmp/jobs.xlsx');\n}", 'to a file (XLSX.writeFile)'],
    ["export async function zip() {\n  const jobs = await db.many('SELECT * FROM audit_jobs');\n  archive.append(JSON.stringify(jobs), { name: 'jobs.json' });\n  archive.pipe(output);\n}", 'to a stream (archive.pipe)'],
    ["fastify.get('/x', async (req, reply) => {\n  const r = await pool.query('SELECT * FROM audit_jobs');\n  reply.header('Content-Disposition', 'attachment; filename=jobs.csv');\n  return reply.send(toCsv(r.rows));\n});", 'in a file download (reply.send)'],
    ["@Get('x') async x() {\n  const rows = await this.repo.query('SELECT * FROM audit_jobs');\n  return new StreamableFile(Buffer.from(toCsv(rows)));\n}", 'in a file download (new StreamableFile)'],
  ])('%s', (code, where) => {
    const [finding] = check(code, 'src/x.ts');
    expect(finding!.message).toContain(where);
  });

  it('does not treat a screen (res.json, return) as an export', () => {
    const code = "export async function list(req, res) {\n  const { rows } = await pool.query('SELECT * FROM audit_jobs');\n  res.json(rows);\n}\nexport function all() {\n  return pool.query('SELECT * FROM audit_jobs');\n}";
    expect(check(code, 'src/x.ts')).toEqual([]);
  });
});
