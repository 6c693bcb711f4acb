import { describe, expect, it } from 'vitest';
import { Project } from '../../server/src/engine/index.js';
import { sqlStatementsOf, type SqlStatement } from '../../server/src/engine/sql/index.js';
import { testConfig } from '../helpers.js';

function statementsOf(code: string, path = 'src/a.ts'): SqlStatement[] {
  const project = new Project(testConfig(), { detectors: [], collectors: [] });
  project.setFile({ path, text: code });
  return sqlStatementsOf(project.file(path)!, project.facts);
}

/** Offsets of every `*` token of the SQL found in `code`. */
function starOffsets(code: string): number[] {
  return statementsOf(code).flatMap((s) => s.tokens.filter((t) => t.kind === 'star').map((t) => t.start));
}

// Each case: the code, and the marker after which the expected `*` is the first `*` in the source.
const cases: { name: string; code: string; star: (code: string) => number }[] = [
  {
    name: 'single-quoted string in pool.query',
    code: "await pool.query('SELECT * FROM patients WHERE id = $1', [id]);",
    star: (c) => c.indexOf('*'),
  },
  {
    name: 'escaped quotes before the star',
    code: "db.query('SELECT \\'a\\' AS k, * FROM patients');",
    star: (c) => c.indexOf('*'),
  },
  {
    name: 'double-quoted string with \\" and \\t',
    code: 'client.query("SELECT \\"nom\\",\\t* FROM patients");',
    star: (c) => c.indexOf('*'),
  },
  { name: 'backslash-n escape', code: "pool.query('SELECT\\n  * FROM patients');", star: (c) => c.indexOf('*') },
  {
    name: 'unicode and hex escapes',
    code: "pool.query('SELECT \\u0020\\x20* FROM patients');",
    star: (c) => c.indexOf('*'),
  },
  { name: 'line continuation', code: "pool.query('SELECT \\\n* FROM patients');", star: (c) => c.indexOf('*') },
  {
    name: 'multi-line template',
    code: 'const rows = await pool.query(`\n  SELECT\n    *\n  FROM patients\n`);',
    star: (c) => c.indexOf('*'),
  },
  {
    name: 'template with ${} before the star',
    code: 'pool.query(`SELECT ${cols}, * FROM patients WHERE id = ${id}`);',
    star: (c) => c.indexOf('*'),
  },
  {
    name: 'template with an escaped \\${ and backtick',
    code: "pool.query(`SELECT '\\${x}\\`', * FROM patients`);",
    star: (c) => c.indexOf('*'),
  },
  {
    name: 'sql tagged template',
    code: 'const q = sql`SELECT * FROM patients WHERE id = ${id}`;',
    star: (c) => c.indexOf('*'),
  },
  {
    name: 'Prisma.sql tagged template',
    code: 'await prisma.$queryRaw(Prisma.sql`SELECT * FROM resultats`);',
    star: (c) => c.indexOf('*'),
  },
  {
    name: 'prisma.$queryRaw tagged template',
    code: 'await prisma.$queryRaw`SELECT * FROM resultats WHERE id = ${id}`;',
    star: (c) => c.indexOf('*'),
  },
  {
    name: 'slonik sql.type(...) tag',
    code: 'await pool.any(sql.type(Row)`SELECT * FROM patients`);',
    star: (c) => c.indexOf('*'),
  },
  {
    name: 'literal concatenation',
    code: "pool.query('SELECT ' + '* ' + 'FROM patients');",
    star: (c) => c.indexOf('*'),
  },
  {
    name: 'concatenation with an expression',
    code: "pool.query('SELECT * FROM ' + table + ' WHERE id = 1');",
    star: (c) => c.indexOf('*'),
  },
  {
    name: 'concatenation through a const',
    code: "const STAR = '*';\nconst q = 'SELECT ' + STAR + ' FROM patients';",
    star: (c) => c.indexOf('*'),
  },
  {
    name: 'knex.raw with alias star in double quotes',
    code: 'await knex.raw("SELECT pr.*, p.nom FROM prelevements pr JOIN patients p ON p.id = pr.patient_id");',
    star: (c) => c.indexOf('*'),
  },
  {
    name: 'mysql2 connection.execute, lower case',
    code: "await connection.execute('select * from patients where id = ?', [id]);",
    star: (c) => c.indexOf('*'),
  },
  {
    name: 'mssql request.query with TOP',
    code: "await request.query('SELECT TOP 10 * FROM dbo.Patients');",
    star: (c) => c.indexOf('*'),
  },
  {
    name: 'a SQL string outside any call',
    code: 'export const QUERY = "SELECT * FROM patients";',
    star: (c) => c.indexOf('*'),
  },
  {
    name: 'a variable passed to a SQL call (capitalised keyword)',
    code: "const q = 'Select * from patients';\nawait db.any(q);",
    star: (c) => c.indexOf('*'),
  },
  {
    name: 'pg-promise db.many with the star after a CRLF',
    code: "await db.many('SELECT\\r\\n * FROM analyses');",
    star: (c) => c.indexOf('*'),
  },
];

describe('embedded SQL extraction: exact offsets of the star in the TS source', () => {
  it.each(cases)('$name', ({ code, star }) => {
    const offsets = starOffsets(code);
    expect(offsets).toEqual([star(code)]);
    expect(code[offsets[0]!]).toBe('*');
  });

  it('maps a ${} substitution to one placeholder token covering ${...} in the source', () => {
    const code = 'pool.query(`SELECT * FROM patients WHERE id = ${req.params.id} AND x = 1`);';
    const [statement] = statementsOf(code);
    const placeholder = statement!.tokens.find((t) => t.kind === 'placeholder')!;
    expect(code.slice(placeholder.start, placeholder.end)).toBe('${req.params.id}');
    expect(statement!.tokens.map((t) => code.slice(t.start, t.end)).join(' ')).toBe(
      'SELECT * FROM patients WHERE id = ${req.params.id} AND x = 1',
    );
  });

  it('maps every token of an escaped string back to its source text', () => {
    const code = "pool.query('SELECT nom FROM patients WHERE ville = \\'Tours\\'');";
    const [statement] = statementsOf(code);
    const str = statement!.tokens.find((t) => t.kind === 'string')!;
    expect(str.value).toBe('Tours');
    expect(code.slice(str.start, str.end)).toBe("\\'Tours\\'");
  });

  it('keeps the TS node that holds the SQL', () => {
    const code = "const a = 1;\npool.query('SELECT ' + '* FROM patients');";
    const [statement] = statementsOf(code);
    expect(statement!.origin).toBe('embedded');
    expect(statement!.node!.getText()).toBe("'SELECT ' + '* FROM patients'");
  });

  it('splits several statements in one string', () => {
    const kinds = statementsOf("db.exec('DELETE FROM tmp; SELECT * FROM patients;');").map((s) => s.kind);
    expect(kinds).toEqual(['delete', 'select']);
  });

  it.each([
    ["const msg = 'Select a patient from the list';"],
    ["toast('Update available: restart to apply');"],
    ['// SELECT * FROM patients\nconst a = 1;'],
    ['/* pool.query("SELECT * FROM patients") */ const a = 1;'],
    ["const label = 'Créer un rendez-vous';"],
    ["const help = 'select the rows you want from the table';"],
  ])('finds no SQL in %s', (code) => {
    expect(statementsOf(code)).toEqual([]);
  });

  it('reads SQL in plain JavaScript files too', () => {
    expect(starOffsets.call(null, "module.exports = () => db.query('SELECT * FROM patients');")).toHaveLength(1);
    const project = new Project(testConfig(), { detectors: [], collectors: [] });
    project.setFile({ path: 'a.js', text: "db.query('SELECT * FROM patients');" });
    expect(sqlStatementsOf(project.file('a.js')!, project.facts)).toHaveLength(1);
  });

  it('memoises the statements per file version', () => {
    const project = new Project(testConfig(), { detectors: [], collectors: [] });
    project.setFile({ path: 'a.ts', text: "db.query('SELECT * FROM patients');" });
    const first = sqlStatementsOf(project.file('a.ts')!, project.facts);
    expect(sqlStatementsOf(project.file('a.ts')!, project.facts)).toBe(first);
    project.setFile({ path: 'a.ts', text: "db.query('SELECT id FROM patients');" });
    expect(sqlStatementsOf(project.file('a.ts')!, project.facts)).not.toBe(first);
  });
});
