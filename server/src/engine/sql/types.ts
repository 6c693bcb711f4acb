import type ts from 'typescript';

export type SqlDialect = 'postgresql' | 'mysql' | 'transactsql' | 'sqlite';

export type SqlTokenKind =
  | 'keyword'
  | 'identifier'
  | 'quoted-identifier'
  | 'string'
  | 'number'
  | 'operator'
  | 'punctuation'
  | 'placeholder'
  | 'star';

export interface SqlToken {
  kind: SqlTokenKind;
  /** The token as written in the SQL (after TS escapes were decoded, for embedded SQL). */
  text: string;
  /** Normalised: keywords upper-case, identifiers unquoted, strings without quotes. */
  value: string;
  /** Offsets in the FILE, not in the SQL string. */
  start: number;
  end: number;
}

export type SqlStatementKind =
  'select' | 'insert' | 'update' | 'delete' | 'create-table' | 'alter-table' | 'create-view' | 'copy' | 'other';

/** SQL found inside another statement's string: `bcp "SELECT ..." queryout`, `EXEC('...')`, a `$$` routine body. */
export type SqlContainer = 'bcp-queryout' | 'dynamic-sql' | 'routine-body';

export interface SqlStatement {
  kind: SqlStatementKind;
  /** The SQL text of the statement (TS escapes decoded; `${...}` kept as written). */
  text: string;
  /** Offsets in the file of the first and past the last token. */
  start: number;
  end: number;
  tokens: SqlToken[];
  /** Accepted by the real parser (node-sql-parser). */
  parsed: boolean;
  dialect?: SqlDialect;
  origin: 'sql-file' | 'embedded';
  /** Embedded only: the TS node holding the SQL (string, template, tagged template, concatenation). */
  node?: ts.Node;
  /** Set when the statement was found inside a string of another SQL statement. */
  container?: SqlContainer;
  /** Comments right before the statement (SQL files), e.g. to know a view is made for an export. */
  leadingComment?: string;
  /** A client-side output redirection was active (`.output file` in sqlite3, `\o file` in psql). */
  redirectedTo?: string;
}
