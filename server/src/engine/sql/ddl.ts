import { dottedName, parenIndex, type ParenIndex } from './analysis.js';
import type { SqlToken } from './types.js';

export interface ColumnDefinition {
  name: string;
  /** Index of the name token. */
  index: number;
  /** The type as written (`VARCHAR(80)`, `CHAR(15)`, `NVARCHAR(MAX)`). */
  type?: string;
  /** What the DDL itself says encrypts the column (SQL Server Always Encrypted, MySQL ENCRYPTION='Y'). */
  protection?: string;
}

export interface TableDefinition {
  name: string;
  first: number;
  last: number;
  kind: 'table' | 'view';
  columns: ColumnDefinition[];
  /** `CREATE TABLE x AS SELECT ...`: columns come from a query. */
  asSelect?: boolean;
}

const CONSTRAINT_START = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'FOREIGN', 'CHECK', 'EXCLUDE', 'LIKE', 'FULLTEXT', 'SPATIAL', 'PERIOD', 'INDEX', 'KEY']);
const TYPE_END = new Set([
  'NOT', 'NULL', 'DEFAULT', 'PRIMARY', 'REFERENCES', 'UNIQUE', 'CHECK', 'CONSTRAINT', 'COLLATE', 'GENERATED', 'IDENTITY',
  'ENCRYPTED', 'AUTO_INCREMENT', 'AUTOINCREMENT', 'COMMENT', 'ON', 'AS', 'MASKED', 'SPARSE', 'ROWGUIDCOL', 'FILESTREAM',
  'CHARACTER', 'CHARSET', 'STORAGE', 'COLUMN_FORMAT', 'INVISIBLE', 'VISIBLE', 'KEY', 'ENCRYPTION', 'COMPRESSION',
]);
const TYPE_WORDS = /^(var)?char|text|int|integer|bigint|smallint|tinyint|serial|bigserial|uuid|date|time|timestamp|timestamptz|bool|boolean|numeric|decimal|float|real|double|blob|bytea|binary|varbinary|json|jsonb|enum|nvarchar|nchar|ntext|datetime|datetime2|money|bit|xml|uniqueidentifier|clob|string/i;

/** Joins type tokens as a human writes them: `VARCHAR(80)`, `DOUBLE PRECISION`, `ENUM('A', 'B')`. */
function typeText(tokens: readonly SqlToken[], first: number, last: number): string | undefined {
  let out = '';
  for (let k = first; k <= last; k++) {
    const t = tokens[k]!;
    const prev = tokens[k - 1];
    const glue = k === first || t.value === '(' || t.value === ')' || t.value === ',' || prev?.value === '(';
    out += (glue ? '' : ' ') + t.text + (t.value === ',' ? ' ' : '');
  }
  return out.trim() || undefined;
}

/** One column definition between `first` and `last` (a CREATE TABLE element or an ALTER TABLE ADD). */
export function columnDefinition(tokens: readonly SqlToken[], parens: ParenIndex, first: number, last: number): ColumnDefinition | undefined {
  const head = tokens[first];
  if (!head) return undefined;
  const word = head.kind === 'quoted-identifier' ? '' : head.value.toUpperCase();
  if (CONSTRAINT_START.has(word)) {
    // `key VARCHAR(64)` is a column named key; `KEY idx (col)` / `INDEX (col)` are not.
    const isColumn = (word === 'KEY' || word === 'INDEX') && TYPE_WORDS.test(tokens[first + 1]?.value ?? '') && tokens[first + 1]?.kind !== 'quoted-identifier';
    if (!isColumn) return undefined;
  }
  if (head.kind !== 'identifier' && head.kind !== 'quoted-identifier' && head.kind !== 'keyword') return undefined;
  let typeEnd = first;
  for (let k = first + 1; k <= last; k++) {
    const t = tokens[k]!;
    if (t.value === '(') {
      const close = parens.match[k]!;
      typeEnd = close > k ? Math.min(close, last) : k;
      k = typeEnd;
      continue;
    }
    if ((t.kind === 'keyword' || t.kind === 'identifier') && TYPE_END.has(t.value.toUpperCase()) && k > first + 1) break;
    typeEnd = k;
  }
  const column: ColumnDefinition = { name: head.value, index: first };
  const type = typeEnd > first ? typeText(tokens, first + 1, typeEnd) : undefined;
  if (type) column.type = type;
  for (let k = typeEnd + 1; k <= last; k++) {
    const v = tokens[k]!.value.toUpperCase();
    if (v === 'ENCRYPTED' && tokens[k + 1]?.value.toUpperCase() === 'WITH') {
      const open = k + 2;
      const close = tokens[open]?.value === '(' ? parens.match[open]! : -1;
      const inside = close > open ? tokens.slice(open + 1, close) : [];
      const typeAt = inside.findIndex((t) => t.value.toUpperCase() === 'ENCRYPTION_TYPE');
      const kind = typeAt >= 0 ? inside[typeAt + 2]?.value.toUpperCase() : undefined;
      column.protection = `ENCRYPTED WITH${kind ? ` (${kind})` : ''}`;
    } else if (v === 'ENCRYPTION' && /^'?y'?$/i.test(tokens[k + 2]?.value ?? '') && tokens[k + 1]?.value === '=') {
      column.protection = "ENCRYPTION='Y'";
    }
  }
  return column;
}

/** Splits `open..close` into comma-separated elements at that level. */
function elements(tokens: readonly SqlToken[], parens: ParenIndex, open: number, close: number): [number, number][] {
  const out: [number, number][] = [];
  let first = open + 1;
  for (let k = open + 1; k <= close; k++) {
    if (k === close || (parens.parent[k] === open && tokens[k]!.value === ',')) {
      if (k > first) out.push([first, k - 1]);
      first = k + 1;
    }
  }
  return out;
}

const isWord = (t: SqlToken | undefined, ...words: string[]) => !!t && t.kind !== 'string' && t.kind !== 'quoted-identifier' && words.includes(t.value.toUpperCase());

/** The table a `CREATE TABLE` / `CREATE VIEW` statement defines (anywhere in the statement, e.g. after `IF ... BEGIN`). */
export function createdTables(tokens: readonly SqlToken[], parens: ParenIndex = parenIndex(tokens)): TableDefinition[] {
  const out: TableDefinition[] = [];
  for (let c = 0; c < tokens.length; c++) {
    if (!isWord(tokens[c], 'CREATE')) continue;
    let k = c + 1;
    let kind: 'table' | 'view' | undefined;
    for (; k < Math.min(tokens.length, c + 12); k++) {
      const t = tokens[k]!;
      if (isWord(t, 'TABLE')) kind = 'table';
      else if (isWord(t, 'VIEW')) kind = 'view';
      else if (t.value === '(' || isWord(t, 'AS', 'FUNCTION', 'PROCEDURE', 'INDEX', 'TRIGGER', 'SCHEMA', 'EXTENSION', 'TYPE', 'SEQUENCE', 'DATABASE', 'UNIQUE', 'ROLE', 'USER')) break;
      else continue;
      break;
    }
    if (!kind) continue;
    k++;
    if (isWord(tokens[k], 'IF') && isWord(tokens[k + 1], 'NOT') && isWord(tokens[k + 2], 'EXISTS')) k += 3;
    const name = dottedName(tokens, k);
    if (!name) continue;
    const table: TableDefinition = { name: name.name, first: k, last: name.last, kind, columns: [] };
    let j = name.last + 1;
    if (tokens[j]?.value === '(' && !isWord(tokens[j + 1], 'SELECT', 'WITH')) {
      const close = parens.match[j]!;
      if (close > j) {
        for (const [first, last] of elements(tokens, parens, j, close)) {
          if (kind === 'view') {
            const t = tokens[first]!;
            if (first === last) table.columns.push({ name: t.value, index: first });
            continue;
          }
          const column = columnDefinition(tokens, parens, first, last);
          if (column) table.columns.push(column);
        }
        j = close + 1;
        // MySQL table option `ENCRYPTION='Y'`: the whole tablespace is encrypted.
        for (let o = j; o < tokens.length && tokens[o]!.value !== ';'; o++) {
          if (isWord(tokens[o], 'ENCRYPTION') && tokens[o + 1]?.value === '=' && /^y$/i.test(tokens[o + 2]?.value ?? '')) {
            for (const column of table.columns) column.protection ??= "ENCRYPTION='Y'";
          }
          if (isWord(tokens[o], 'CREATE')) break;
        }
      }
    }
    if (isWord(tokens[j], 'AS')) table.asSelect = true;
    out.push(table);
    c = name.last;
  }
  return out;
}

/** Columns added by `ALTER TABLE t ADD [COLUMN] ...` (several per statement, T-SQL comma lists included). */
export function alteredTables(tokens: readonly SqlToken[], parens: ParenIndex = parenIndex(tokens)): TableDefinition[] {
  const out: TableDefinition[] = [];
  for (let a = 0; a < tokens.length; a++) {
    if (!isWord(tokens[a], 'ALTER') || !isWord(tokens[a + 1], 'TABLE')) continue;
    let k = a + 2;
    if (isWord(tokens[k], 'IF') && isWord(tokens[k + 1], 'EXISTS')) k += 2;
    if (isWord(tokens[k], 'ONLY')) k++;
    const name = dottedName(tokens, k);
    if (!name) continue;
    const table: TableDefinition = { name: name.name, first: k, last: name.last, kind: 'table', columns: [] };
    const level = parens.parent[a]!;
    let adding = false;
    let first = name.last + 1;
    for (let j = name.last + 1; j <= tokens.length; j++) {
      const t = tokens[j];
      const atLevel = j < tokens.length && parens.parent[j] === level;
      const end = j === tokens.length || (atLevel && (t!.value === ',' || t!.value === ';' || isWord(t, 'ALTER')));
      if (!end) continue;
      let s = first;
      if (isWord(tokens[s], 'ADD')) {
        adding = true;
        s++;
        if (isWord(tokens[s], 'COLUMN')) s++;
        if (isWord(tokens[s], 'IF') && isWord(tokens[s + 1], 'NOT') && isWord(tokens[s + 2], 'EXISTS')) s += 3;
      } else if (isWord(tokens[s], 'DROP', 'ALTER', 'MODIFY', 'CHANGE', 'RENAME', 'SET', 'ENABLE', 'DISABLE', 'OWNER', 'VALIDATE')) adding = false;
      if (adding && s <= j - 1) {
        if (tokens[s]?.value === '(' && parens.match[s]! > s) {
          for (const [f, l] of elements(tokens, parens, s, parens.match[s]!)) {
            const column = columnDefinition(tokens, parens, f, l);
            if (column) table.columns.push(column);
          }
        } else {
          const column = columnDefinition(tokens, parens, s, j - 1);
          if (column) table.columns.push(column);
        }
      }
      if (j === tokens.length || t!.value === ';' || isWord(t, 'ALTER')) break;
      first = j + 1;
    }
    if (table.columns.length > 0) out.push(table);
    a = name.last;
  }
  return out;
}
