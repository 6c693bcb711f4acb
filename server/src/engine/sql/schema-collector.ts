import type { SchemaCollector } from '../facts.js';
import type { ColumnFact, TableFact } from '../schema.js';
import { alteredTables, createdTables, type TableDefinition } from './ddl.js';
import { sqlStatementsOf, structureOf } from './index.js';
import type { SqlStatement } from './types.js';

const DDL = /\b(CREATE|ALTER)\b/i;

/**
 * Tables and columns from SQL DDL in `.sql` files and in SQL embedded in TS/JS (knex.raw,
 * migrations): CREATE TABLE (all four dialects), ALTER TABLE ADD [COLUMN], CREATE VIEW. A
 * column's `protection` is set only when the DDL itself encrypts it (SQL Server `ENCRYPTED
 * WITH`, MySQL `ENCRYPTION='Y'`); ciphertext types (BYTEA, VARBINARY, BLOB) stay in `type`.
 */
export const sqlSchemaCollector: SchemaCollector = {
  name: 'sql-ddl',
  languages: ['sql', 'typescript', 'javascript'],
  collect(file, facts) {
    if (!DDL.test(file.text)) return [];
    const tables: TableFact[] = [];
    for (const statement of sqlStatementsOf(file, facts)) {
      if (!DDL.test(statement.text)) continue;
      for (const def of [...createdTables(statement.tokens, structureOf(statement).parens), ...alteredTables(statement.tokens, structureOf(statement).parens)]) {
        if (def.asSelect && def.columns.length === 0) continue;
        tables.push(toFact(def, statement, file.path));
      }
    }
    return tables;
  },
};

function toFact(def: TableDefinition, statement: SqlStatement, file: string): TableFact {
  const tokens = statement.tokens;
  let columns: ColumnFact[] = def.columns.map((c) => ({
    name: c.name,
    ...(c.type ? { type: c.type } : {}),
    file,
    range: { start: tokens[c.index]!.start, end: tokens[c.index]!.end },
    ...(c.protection ? { protection: c.protection } : {}),
  }));
  if (def.kind === 'view' && columns.length === 0) columns = viewColumns(def, statement, file);
  return {
    name: def.name,
    kind: def.kind,
    source: 'sql',
    file,
    range: { start: tokens[def.first]!.start, end: tokens[def.last]!.end },
    columns,
  };
}

/** The output columns of a view's query, when it lists them (a star leaves them unknown). */
function viewColumns(def: TableDefinition, statement: SqlStatement, file: string): ColumnFact[] {
  const scope = structureOf(statement).scopes.find((s) => s.select > def.last && s.role === 'output');
  if (!scope || scope.items.some((i) => i.star || !i.name)) return [];
  return scope.items.map((i) => {
    const token = statement.tokens[i.last]!;
    return { name: i.name!, file, range: { start: token.start, end: token.end } };
  });
}
