import type { FileView } from '../detector.js';
import type { ProjectFacts } from '../facts.js';
import { vocabularyOf } from '../pack.js';
import {
  commonTableExpressions,
  parenIndex,
  selectScopes,
  type CommonTableExpression,
  type ParenIndex,
  type SelectScope,
} from './analysis.js';
import { CookedText } from './cooked.js';
import { guessDialect } from './dialect.js';
import { embeddedSqlOf, type SqlEmbedding } from './embedded.js';
import { lexSql } from './lexer.js';
import { parseSql, type ParseResult } from './parse.js';
import { splitStatements, type SplitStatement } from './statements.js';
import type { SqlDialect, SqlStatement } from './types.js';

export type { SqlToken, SqlStatement, SqlStatementKind, SqlDialect, SqlContainer, SqlTokenKind } from './types.js';
export { CookedText } from './cooked.js';
export { lexSql, type LexedSql } from './lexer.js';
export { guessDialect } from './dialect.js';
export { splitStatements, statementKind } from './statements.js';
export { embeddedSqlOf, looksLikeSql, isSqlCall, type EmbeddedSql, type SqlEmbedding } from './embedded.js';
export { parseSql, type ParseResult } from './parse.js';
export * from './analysis.js';

/** The result of the real parser for each statement (AST, tables), kept beside the statement. */
const parseResults = new WeakMap<SqlStatement, ParseResult>();
const parents = new WeakMap<SqlStatement, SqlStatement>();

/**
 * Every SQL statement of a file: a `.sql` file, or the SQL embedded in a TS/JS file (strings,
 * templates, tagged templates, SQL calls, concatenations). Lexed, split and parsed once per
 * file version (memoised in the project facts); token offsets are file offsets.
 */
export function sqlStatementsOf(file: FileView, facts: ProjectFacts): SqlStatement[] {
  return facts.memo(file.path, 'sql', () => computeStatements(file, facts));
}

function computeStatements(file: FileView, facts: ProjectFacts): SqlStatement[] {
  if (file.language === 'sql') {
    const dialect = guessDialect(file.text);
    return finish(splitStatements(lexSql(CookedText.ofFile(file.text), dialect), 'sql-file'));
  }
  if ((file.language !== 'typescript' && file.language !== 'javascript') || !file.ts) return [];
  const embedding = vocabularyOf<SqlEmbedding>(facts.config.pack, 'sql-embedding');
  const fileDialect = dialectFromImports(file.text);
  const out: SqlStatement[] = [];
  for (const found of embeddedSqlOf(file.ts, embedding)) {
    const dialect = guessDialect(found.cooked.text, fileDialect);
    const split = splitStatements(lexSql(found.cooked, dialect), 'embedded');
    for (const s of split) s.node = found.node;
    out.push(...finish(split));
  }
  return out;
}

function finish(split: SplitStatement[]): SqlStatement[] {
  const byId = new Map<SplitStatement, SqlStatement>();
  return split.map((s) => {
    const { parent, parseText, parsed: _ignored, ...rest } = s;
    const statement = rest as SqlStatement;
    // Parsing is the costly step (a few ms per statement): done on first use of `parsed`, once.
    Object.defineProperty(statement, 'parsed', {
      enumerable: true,
      configurable: true,
      get: () => resultOf(statement, parseText ?? s.text).ok,
    });
    byId.set(s, statement);
    const parentStatement = parent ? byId.get(parent) : undefined;
    if (parentStatement) parents.set(statement, parentStatement);
    return statement;
  });
}

function resultOf(statement: SqlStatement, text: string): ParseResult {
  let result = parseResults.get(statement);
  if (!result) {
    const dialect = statement.dialect ?? 'postgresql';
    // Known to be outside the grammar: spare the parser's slow error path.
    if (statement.kind === 'copy') result = { ok: false, error: 'COPY is not in the parser grammar' };
    // The SQLite grammar knows `?` but not `?NNN`.
    else result = parseSql(dialect === 'sqlite' ? text.replace(/\?\d+/g, '?') : text, dialect);
    parseResults.set(statement, result);
  }
  return result;
}

/** The parser's result for a statement (AST and table list when `parsed`, the error otherwise); parses on first call. */
export function parseResultOf(statement: SqlStatement): ParseResult {
  void statement.parsed;
  return parseResults.get(statement)!;
}

/** The statement whose string literal held this one (`EXEC xp_cmdshell 'bcp ...'`, `UNLOAD ('...')`). */
export function parentStatementOf(statement: SqlStatement): SqlStatement | undefined {
  return parents.get(statement);
}

interface StatementStructure {
  parens: ParenIndex;
  scopes: SelectScope[];
  ctes: CommonTableExpression[];
}

const structures = new WeakMap<SqlStatement, StatementStructure>();

/** The token-level structure of a statement (parens, SELECT scopes, CTEs), computed once. */
export function structureOf(statement: SqlStatement): StatementStructure {
  let structure = structures.get(statement);
  if (!structure) {
    const parens = parenIndex(statement.tokens);
    structure = {
      parens,
      scopes: selectScopes(statement.tokens, parens),
      ctes: commonTableExpressions(statement.tokens, parens),
    };
    structures.set(statement, structure);
  }
  return structure;
}

/** The SQL dialect the database driver imported by a TS/JS file speaks. */
function dialectFromImports(text: string): SqlDialect {
  if (/['"](?:mssql|tedious)['"/]/.test(text)) return 'transactsql';
  if (/['"](?:mysql2?|mariadb)(?:\/promise)?['"]/.test(text)) return 'mysql';
  if (/['"](?:better-sqlite3|sqlite3?|@libsql\/client|expo-sqlite)['"]/.test(text)) return 'sqlite';
  return 'postgresql';
}
