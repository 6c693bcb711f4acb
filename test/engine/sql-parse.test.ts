import { describe, expect, it } from 'vitest';
import { Project } from '../../server/src/engine/index.js';
import {
  guessDialect,
  parseResultOf,
  sqlStatementsOf,
  structureOf,
  type SqlStatement,
} from '../../server/src/engine/sql/index.js';
import { testConfig } from '../helpers.js';

function project(files: Record<string, string>): Project {
  const p = new Project(testConfig(), { detectors: [] });
  for (const [path, text] of Object.entries(files)) p.setFile({ path, text });
  return p;
}

function statementsOf(text: string, path = 'db/a.sql'): SqlStatement[] {
  const p = project({ [path]: text });
  return sqlStatementsOf(p.file(path)!, p.facts);
}

/** The text of every star projection item of a statement's output scopes. */
function outputStars(text: string, statement: SqlStatement): string[] {
  return structureOf(statement)
    .scopes.filter((s) => s.role === 'output')
    .flatMap((s) =>
      s.items
        .filter((i) => i.star)
        .map((i) => text.slice(statement.tokens[i.star!.first]!.start, statement.tokens[i.star!.last]!.end)),
    );
}

describe('parser and token-level fallback', () => {
  it('parses plain statements with the real parser and exposes its table list', () => {
    const [s] = statementsOf('SELECT p.id, p.nom FROM patients p WHERE p.id = 1;');
    expect(s!.parsed).toBe(true);
    expect(parseResultOf(s!)).toMatchObject({ ok: true, tables: ['select::null::patients'] });
  });

  it.each([
    ["COPY (SELECT * FROM patients) TO '/tmp/p.csv' WITH (FORMAT csv);", 'copy', ['*']],
    ['EXEC xp_cmdshell \'bcp "SELECT a.* FROM Biolab.dbo.Archive a" queryout "x.csv" -c -T\';', 'other', []],
    ['SELECT * FROM ${table} WHERE id = 1', 'select', ['*']],
    ['SELECT * FROM (', 'select', ['*']],
    ['SELEC * FRM patients', 'other', []],
    ['SELECT p.*, ((( FROM patients p', 'select', ['p.*']],
  ])('never throws on %s: parsed is false and tokens still find the star', (sql, kind, stars) => {
    const statements = statementsOf(sql);
    expect(statements[0]!.parsed).toBe(false);
    expect(statements[0]!.kind).toBe(kind);
    expect(outputStars(sql, statements[0]!)).toEqual(stars);
  });

  it('reads the query inside bcp ... queryout as a nested T-SQL statement', () => {
    const sql = 'EXEC xp_cmdshell \'bcp "SELECT a.* FROM Biolab.dbo.Archive a" queryout "x.csv" -c -T\';';
    const [, nested] = statementsOf(sql);
    expect(nested!.container).toBe('bcp-queryout');
    expect(nested!.dialect).toBe('transactsql');
    expect(outputStars(sql, nested!)).toEqual(['a.*']);
    expect(structureOf(nested!).scopes[0]!.from).toMatchObject([{ name: 'Biolab.dbo.Archive', alias: 'a' }]);
  });

  it('decodes doubled quotes of a nested dynamic SQL string and keeps file offsets', () => {
    const sql = "EXEC('SELECT * FROM patients WHERE nom = ''x''');";
    const nested = statementsOf(sql)[1]!;
    expect(nested.container).toBe('dynamic-sql');
    const str = nested.tokens.find((t) => t.kind === 'string')!;
    expect(str.value).toBe('x');
    expect(sql.slice(str.start, str.end)).toBe("''x''");
  });

  it('tells EXISTS/IN subqueries (predicates) from output scopes, and sees COUNT(*) as no star item', () => {
    const sql =
      'SELECT count(*) FROM patients p WHERE EXISTS (SELECT * FROM resultats r WHERE r.p = p.id) AND id IN (SELECT * FROM x);';
    const [s] = statementsOf(sql);
    const scopes = structureOf(s!).scopes;
    expect(scopes.map((x) => x.role)).toEqual(['output', 'predicate', 'predicate']);
    expect(scopes[0]!.items.some((i) => i.star)).toBe(false);
  });

  it('reads FROM/JOIN tables, aliases, CTEs, UNION branches, derived tables, INTO OUTFILE and FOR JSON', () => {
    const sql =
      'WITH recents AS (SELECT id, nir FROM patients) SELECT r.* FROM recents r JOIN (SELECT * FROM resultats) x ON x.id = r.id UNION SELECT * FROM archive.patients;';
    const [s] = statementsOf(sql);
    const { scopes, ctes } = structureOf(s!);
    expect(ctes.map((c) => c.name)).toEqual(['recents']);
    expect(scopes.map((x) => x.from.map((f) => `${f.name}${f.alias ? ' ' + f.alias : ''}`))).toEqual([
      ['patients'],
      ['recents r', 'x x'],
      ['resultats'],
      ['archive.patients'],
    ]);
    const [outfile] = statementsOf("SELECT * INTO OUTFILE '/x.csv' FROM dossiers;", 'db/m.sql');
    expect(structureOf(outfile!).scopes[0]!.into?.kind).toBe('file');
    const [json] = statementsOf('SELECT * FROM dbo.X FOR JSON PATH;\nGO', 'db/t.sql');
    expect(structureOf(json!).scopes[0]!.forFormat).toBe('JSON');
  });

  it.each([
    ['CREATE TABLE t (id INT IDENTITY(1,1), nom NVARCHAR(80));\nGO', 'transactsql'],
    ['SELECT TOP 5 * FROM [dbo].[Patients]', 'transactsql'],
    ['CREATE TABLE `t` (id INT UNSIGNED AUTO_INCREMENT) ENGINE=InnoDB;', 'mysql'],
    ["SELECT * INTO OUTFILE '/x' FROM t;", 'mysql'],
    ['CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT);', 'sqlite'],
    ['PRAGMA foreign_keys = ON;', 'sqlite'],
    ["COPY (SELECT 1) TO '/x';", 'postgresql'],
    ["-- le patient n'est pas [x] ici\nSELECT 1;", 'postgresql'],
  ])('guesses the dialect of %s', (sql, dialect) => {
    expect(guessDialect(sql)).toBe(dialect);
  });

  it.each([
    ['-- SELECT * FROM patients;'],
    ['/* SELECT * FROM patients; */'],
    ['/* outer /* nested */ SELECT * FROM patients; */'],
    ['# SELECT * FROM patients;\nCREATE TABLE x (id INT) ENGINE=InnoDB;'],
  ])('comments never yield statements or stars: %s', (sql) => {
    const statements = statementsOf(sql);
    expect(statements.flatMap((s) => s.tokens.filter((t) => t.kind === 'star'))).toEqual([]);
    expect(statements.filter((s) => s.kind === 'select')).toEqual([]);
  });

  it('splits on ; at depth 0 only, on GO lines and around T-SQL BEGIN/END', () => {
    expect(statementsOf("SELECT ';' FROM t; INSERT INTO t VALUES ($$a;b$$);").map((s) => s.kind)).toEqual([
      'select',
      'insert',
    ]);
    expect(
      statementsOf(
        'IF NOT EXISTS (SELECT * FROM sys.tables)\nBEGIN\n  CREATE TABLE dbo.A (Id INT)\nEND\nGO\nSELECT CASE WHEN 1 = 1 THEN 1 END FROM dbo.A\nGO\n',
        'db/t.sql',
      ).map((s) => s.kind),
    ).toEqual(['other', 'create-table', 'select']);
  });

  it('marks statements after a sqlite3 .output or psql \\o as redirected to a file', () => {
    const statements = statementsOf(
      '.headers on\n.output /tmp/patients.csv\nSELECT * FROM patients;\n.output stdout\nSELECT 1;',
      'db/s.sql',
    );
    expect(statements.map((s) => s.redirectedTo)).toEqual(['/tmp/patients.csv', undefined]);
    const psql = statementsOf("\\copy (SELECT * FROM patients) TO 'p.csv' CSV\nSELECT 2;");
    expect(psql.map((s) => s.kind)).toEqual(['copy', 'select']);
  });
});

describe('schema index from DDL', () => {
  const files = {
    'db/pg.sql': [
      'CREATE TABLE IF NOT EXISTS public."patients" (',
      '  id UUID PRIMARY KEY,',
      '  nir CHAR(15) NOT NULL,',
      '  nom VARCHAR(80),',
      '  CONSTRAINT u_nir UNIQUE (nir)',
      ');',
      'ALTER TABLE patients ADD COLUMN statut_vih BOOLEAN, ADD COLUMN IF NOT EXISTS ins_chiffre BYTEA;',
      'CREATE VIEW v_resultats (id, valeur) AS SELECT id, valeur FROM resultats;',
    ].join('\n'),
    'db/my.sql':
      "CREATE TABLE `dossiers` (\n  `id` INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,\n  num_secu VARCHAR(15),\n  KEY idx_secu (num_secu)\n) ENGINE=InnoDB ENCRYPTION='Y';",
    'db/ms.sql':
      "CREATE TABLE [dbo].[Archive] (\n  [Id] BIGINT IDENTITY(1, 1) PRIMARY KEY,\n  NumeroSecu CHAR(15) COLLATE Latin1_General_BIN2\n      ENCRYPTED WITH (COLUMN_ENCRYPTION_KEY = CEK, ENCRYPTION_TYPE = DETERMINISTIC, ALGORITHM = 'AEAD_AES_256_CBC_HMAC_SHA_256') NULL,\n  Diagnostic NVARCHAR(400) NULL\n);\nGO\nALTER TABLE dbo.Archive ADD CodeCim10 VARCHAR(8) NULL, Commentaire NVARCHAR(MAX);\nGO",
    'db/lite.sql':
      'CREATE TABLE IF NOT EXISTS prelevement_domicile (\n  code_barre TEXT PRIMARY KEY,\n  id INTEGER NOT NULL,\n  notes BLOB\n);',
    'src/migration.ts':
      "export async function up(knex) {\n  await knex.raw('CREATE TABLE analyses (id SERIAL PRIMARY KEY, resultat TEXT)');\n}",
  };

  const p = project(files);
  p.refreshFacts();
  const columns = (table: string) => p.facts.schema.columns(table).map((c) => [c.name, c.type, c.protection ?? null]);

  it('reads PostgreSQL CREATE TABLE (schema-qualified, quoted, IF NOT EXISTS, constraints skipped) and ALTER TABLE ADD', () => {
    expect(columns('patients')).toEqual([
      ['id', 'UUID', null],
      ['nir', 'CHAR(15)', null],
      ['nom', 'VARCHAR(80)', null],
      ['statut_vih', 'BOOLEAN', null],
      ['ins_chiffre', 'BYTEA', null],
    ]);
    const nir = p.facts.schema.columns('patients').find((c) => c.name === 'nir')!;
    expect(files['db/pg.sql'].slice(nir.range.start, nir.range.end)).toBe('nir');
    expect(p.facts.schema.declarations('v_resultats')[0]).toMatchObject({
      kind: 'view',
      columns: [{ name: 'id' }, { name: 'valeur' }],
    });
  });

  it("reads MySQL backticks, skips KEY lines and applies ENCRYPTION='Y'", () => {
    expect(columns('dossiers')).toEqual([
      ['id', 'INT UNSIGNED', "ENCRYPTION='Y'"],
      ['num_secu', 'VARCHAR(15)', "ENCRYPTION='Y'"],
    ]);
  });

  it('reads T-SQL brackets, ENCRYPTED WITH on the next line, and ALTER TABLE ADD comma lists', () => {
    expect(columns('dbo.Archive')).toEqual([
      ['Id', 'BIGINT', null],
      ['NumeroSecu', 'CHAR(15)', 'ENCRYPTED WITH (DETERMINISTIC)'],
      ['Diagnostic', 'NVARCHAR(400)', null],
      ['CodeCim10', 'VARCHAR(8)', null],
      ['Commentaire', 'NVARCHAR(MAX)', null],
    ]);
  });

  it('reads SQLite DDL and DDL embedded in TS (knex.raw)', () => {
    expect(columns('prelevement_domicile')).toEqual([
      ['code_barre', 'TEXT', null],
      ['id', 'INTEGER', null],
      ['notes', 'BLOB', null],
    ]);
    expect(columns('analyses')).toEqual([
      ['id', 'SERIAL', null],
      ['resultat', 'TEXT', null],
    ]);
    expect(p.facts.schema.declarations('analyses')[0]!.file).toBe('src/migration.ts');
  });

  it('updates the index when a migration file changes', () => {
    const q = project({ 'db/a.sql': 'CREATE TABLE t (a INT);' });
    q.refreshFacts();
    q.setFile({ path: 'db/a.sql', text: 'CREATE TABLE t (a INT, nir CHAR(15));' });
    q.refreshFacts();
    expect(q.facts.schema.columns('t').map((c) => c.name)).toEqual(['a', 'nir']);
  });
});
