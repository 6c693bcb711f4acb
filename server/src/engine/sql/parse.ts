/**
 * The real SQL parser: node-sql-parser (5.4.0).
 *
 * Why this one: it is maintained, pure JavaScript (no native build, runs in the language server
 * and the CLI bundle alike), and has separate grammars for the four dialects lab software uses:
 * PostgreSQL, MySQL, SQL Server (T-SQL) and SQLite, loaded per dialect (~250 KB each) only when a
 * statement of that dialect is met. pgsql-ast-parser and libpg-query know only PostgreSQL (the
 * latter is native/WASM); sql-parser-cst covers fewer T-SQL forms.
 *
 * What it does not give, hence the token layer (lexer.ts, analysis.ts) that always provides the
 * positions: its AST has no reliable column positions (and none at all in the original file for
 * SQL decoded from a TS string), and it rejects COPY (SELECT ...) TO, `bcp ... queryout`, `GO`,
 * many dialect extensions, fragments and statements with `${...}` in table positions. A rejected
 * statement is analysed by tokens (`parsed: false`) and noted once.
 */
import type { SqlDialect } from './types.js';

interface ParserInstance {
  parse(sql: string, options?: { database?: string }): { tableList: string[]; columnList: string[]; ast: unknown };
}

// `require` exists in the CLI/LSP bundles (CommonJS) and under vitest; the engine has no Node types.
declare const require: ((id: string) => unknown) | undefined;

const DATABASE: Record<SqlDialect, string> = {
  postgresql: 'PostgresQL',
  mysql: 'MySQL',
  transactsql: 'TransactSQL',
  sqlite: 'Sqlite',
};

const parsers = new Map<SqlDialect, ParserInstance | null>();

function load(dialect: SqlDialect): { Parser: new () => ParserInstance } | undefined {
  if (typeof require !== 'function') return undefined;
  // Literal specifiers so the bundler includes each build (and evaluates it only when called).
  switch (dialect) {
    case 'postgresql':
      return require('node-sql-parser/build/postgresql') as { Parser: new () => ParserInstance };
    case 'mysql':
      return require('node-sql-parser/build/mysql') as { Parser: new () => ParserInstance };
    case 'transactsql':
      return require('node-sql-parser/build/transactsql') as { Parser: new () => ParserInstance };
    case 'sqlite':
      return require('node-sql-parser/build/sqlite') as { Parser: new () => ParserInstance };
  }
}

function parserFor(dialect: SqlDialect): ParserInstance | undefined {
  let parser = parsers.get(dialect);
  if (parser === undefined) {
    try {
      const module = load(dialect);
      parser = module ? new module.Parser() : null;
    } catch {
      parser = null;
    }
    parsers.set(dialect, parser);
  }
  return parser ?? undefined;
}

export type ParseResult =
  { ok: true; ast: unknown; tables: string[]; columns: string[] } | { ok: false; error: string };

/** Longer statements are left to the token layer: the PEG parser's time grows fast with size. */
const MAX_PARSED_LENGTH = 20_000;

/**
 * Results by dialect and text: the parser is deterministic and costs milliseconds per statement,
 * while the same query text recurs across files and file versions (the language server re-analyses
 * on every edit). Bounded; results are shared, so callers must not mutate the AST.
 */
const results = new Map<string, ParseResult>();
const MAX_CACHED_RESULTS = 2_000;

/** Parses one statement with the dialect's grammar. Never throws. */
export function parseSql(sql: string, dialect: SqlDialect): ParseResult {
  const key = `${dialect}\u0000${sql}`;
  const cached = results.get(key);
  if (cached) return cached;
  const result = parseUncached(sql, dialect);
  if (results.size >= MAX_CACHED_RESULTS) results.clear();
  results.set(key, result);
  return result;
}

function parseUncached(sql: string, dialect: SqlDialect): ParseResult {
  if (sql.length > MAX_PARSED_LENGTH)
    return { ok: false, error: `statement longer than ${MAX_PARSED_LENGTH} characters` };
  const parser = parserFor(dialect);
  if (!parser) return { ok: false, error: 'SQL parser unavailable' };
  try {
    const result = parser.parse(sql, { database: DATABASE[dialect] });
    return { ok: true, ast: result.ast, tables: result.tableList, columns: result.columnList };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: message.split('\n')[0]!.slice(0, 160) };
  }
}
