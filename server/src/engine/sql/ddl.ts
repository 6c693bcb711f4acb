import { parenIndex, qualifiedNameAt, type ParenIndex } from './analysis.js';
import type { SqlToken } from './types.js';

interface ColumnDefinition {
  name: string;
  /** Index of the name token. */
  index: number;
  /** The type as written (`VARCHAR(80)`, `CHAR(15)`, `NVARCHAR(MAX)`). */
  type?: string;
  /** What the DDL itself says encrypts the column (SQL Server Always Encrypted, MySQL ENCRYPTION='Y'). */
  protection?: string;
  /** `REFERENCES patients (id)` on the column. */
  references?: string;
}

export interface TableDefinition {
  name: string;
  first: number;
  last: number;
  kind: 'table' | 'view';
  columns: ColumnDefinition[];
  /** `CREATE TABLE x AS SELECT ...`: columns come from a query. */
  asSelect?: boolean;
  /** Foreign keys: inline `REFERENCES`, `FOREIGN KEY (a) REFERENCES t`, `ADD CONSTRAINT ... FOREIGN KEY`. */
  relations?: { field: string; target: string }[];
  /** `DROP TABLE`, `ALTER TABLE ... DROP COLUMN`, `RENAME TO`, `RENAME COLUMN a TO b`. */
  dropped?: { table?: boolean; columns?: string[]; renamedTo?: string; renamedColumns?: Record<string, string> };
}

const CONSTRAINT_START = new Set([
  'CONSTRAINT',
  'PRIMARY',
  'UNIQUE',
  'FOREIGN',
  'CHECK',
  'EXCLUDE',
  'LIKE',
  'FULLTEXT',
  'SPATIAL',
  'PERIOD',
  'INDEX',
  'KEY',
]);
const TYPE_END = new Set([
  'NOT',
  'NULL',
  'DEFAULT',
  'PRIMARY',
  'REFERENCES',
  'UNIQUE',
  'CHECK',
  'CONSTRAINT',
  'COLLATE',
  'GENERATED',
  'IDENTITY',
  'ENCRYPTED',
  'AUTO_INCREMENT',
  'AUTOINCREMENT',
  'COMMENT',
  'ON',
  'AS',
  'MASKED',
  'SPARSE',
  'ROWGUIDCOL',
  'FILESTREAM',
  'CHARACTER',
  'CHARSET',
  'STORAGE',
  'COLUMN_FORMAT',
  'INVISIBLE',
  'VISIBLE',
  'KEY',
  'ENCRYPTION',
  'COMPRESSION',
]);
const TYPE_WORDS =
  /^(var)?char|text|int|integer|bigint|smallint|tinyint|serial|bigserial|uuid|date|time|timestamp|timestamptz|bool|boolean|numeric|decimal|float|real|double|blob|bytea|binary|varbinary|json|jsonb|enum|nvarchar|nchar|ntext|datetime|datetime2|money|bit|xml|uniqueidentifier|clob|string/i;

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
function columnDefinition(
  tokens: readonly SqlToken[],
  parens: ParenIndex,
  first: number,
  last: number,
): ColumnDefinition | undefined {
  const head = tokens[first];
  if (!head) return undefined;
  const word = head.kind === 'quoted-identifier' ? '' : head.value.toUpperCase();
  if (CONSTRAINT_START.has(word)) {
    // `key VARCHAR(64)` is a column named key; `KEY idx (col)` / `INDEX (col)` are not.
    const isColumn =
      (word === 'KEY' || word === 'INDEX') &&
      TYPE_WORDS.test(tokens[first + 1]?.value ?? '') &&
      tokens[first + 1]?.kind !== 'quoted-identifier';
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
    if ((t.kind === 'keyword' || t.kind === 'identifier') && TYPE_END.has(t.value.toUpperCase()) && k > first + 1)
      break;
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
    } else if (v === 'REFERENCES' && tokens[k]!.kind !== 'quoted-identifier' && tokens[k]!.kind !== 'string') {
      const target = qualifiedNameAt(tokens, k + 1);
      if (target) column.references = target.name;
    }
  }
  return column;
}

/**
 * A foreign-key constraint element: `[CONSTRAINT name] FOREIGN KEY (a[, b]) REFERENCES t (id)`.
 * Returns the first key column and the referenced table.
 */
function foreignKeyConstraint(
  tokens: readonly SqlToken[],
  parens: ParenIndex,
  first: number,
  last: number,
): { field: string; target: string } | undefined {
  let k = first;
  if (isWord(tokens[k], 'CONSTRAINT')) k += 2;
  if (!isWord(tokens[k], 'FOREIGN') || !isWord(tokens[k + 1], 'KEY')) return undefined;
  k += 2;
  if (tokens[k]?.value !== '(') return undefined;
  const close = parens.match[k]!;
  const field = tokens[k + 1];
  if (!field || close <= k + 1) return undefined;
  for (let r = close + 1; r <= last; r++) {
    if (isWord(tokens[r], 'REFERENCES')) {
      const target = qualifiedNameAt(tokens, r + 1);
      return target ? { field: field.value, target: target.name } : undefined;
    }
  }
  return undefined;
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

const isWord = (t: SqlToken | undefined, ...words: string[]) =>
  !!t && t.kind !== 'string' && t.kind !== 'quoted-identifier' && words.includes(t.value.toUpperCase());

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
      else if (
        t.value === '(' ||
        isWord(
          t,
          'AS',
          'FUNCTION',
          'PROCEDURE',
          'INDEX',
          'TRIGGER',
          'SCHEMA',
          'EXTENSION',
          'TYPE',
          'SEQUENCE',
          'DATABASE',
          'UNIQUE',
          'ROLE',
          'USER',
        )
      )
        break;
      else continue;
      break;
    }
    if (!kind) continue;
    k++;
    if (isWord(tokens[k], 'IF') && isWord(tokens[k + 1], 'NOT') && isWord(tokens[k + 2], 'EXISTS')) k += 3;
    const name = qualifiedNameAt(tokens, k);
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
          if (column) {
            table.columns.push(column);
            if (column.references) (table.relations ??= []).push({ field: column.name, target: column.references });
            continue;
          }
          const fk = foreignKeyConstraint(tokens, parens, first, last);
          if (fk) (table.relations ??= []).push(fk);
        }
        j = close + 1;
        // MySQL table option `ENCRYPTION='Y'`: the whole tablespace is encrypted.
        for (let o = j; o < tokens.length && tokens[o]!.value !== ';'; o++) {
          if (
            isWord(tokens[o], 'ENCRYPTION') &&
            tokens[o + 1]?.value === '=' &&
            /^y$/i.test(tokens[o + 2]?.value ?? '')
          ) {
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

/**
 * What `ALTER TABLE t ...` changes: columns added (`ADD [COLUMN]`, several per statement, T-SQL
 * comma lists included), foreign keys added (`ADD [CONSTRAINT c] FOREIGN KEY`), columns dropped
 * or renamed, the table renamed.
 */
export function alteredTables(tokens: readonly SqlToken[], parens: ParenIndex = parenIndex(tokens)): TableDefinition[] {
  const out: TableDefinition[] = [];
  for (let a = 0; a < tokens.length; a++) {
    if (!isWord(tokens[a], 'ALTER') || !isWord(tokens[a + 1], 'TABLE')) continue;
    let k = a + 2;
    if (isWord(tokens[k], 'IF') && isWord(tokens[k + 1], 'EXISTS')) k += 2;
    if (isWord(tokens[k], 'ONLY')) k++;
    const name = qualifiedNameAt(tokens, k);
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
        const fk = foreignKeyConstraint(tokens, parens, s, j - 1);
        if (fk) {
          (table.relations ??= []).push(fk);
          adding = false;
        }
        if (isWord(tokens[s], 'COLUMN')) s++;
        if (isWord(tokens[s], 'IF') && isWord(tokens[s + 1], 'NOT') && isWord(tokens[s + 2], 'EXISTS')) s += 3;
      } else if (
        isWord(
          tokens[s],
          'DROP',
          'ALTER',
          'MODIFY',
          'CHANGE',
          'RENAME',
          'SET',
          'ENABLE',
          'DISABLE',
          'OWNER',
          'VALIDATE',
        )
      ) {
        adding = false;
        droppedOrRenamed(tokens, s, j - 1, table);
      }
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
        for (const c of table.columns)
          if (c.references && !table.relations?.some((r) => r.field === c.name))
            (table.relations ??= []).push({ field: c.name, target: c.references });
      }
      if (j === tokens.length || t!.value === ';' || isWord(t, 'ALTER')) break;
      first = j + 1;
    }
    if (table.columns.length > 0 || table.relations || table.dropped) out.push(table);
    a = name.last;
  }
  return out;
}

/** `DROP [COLUMN] [IF EXISTS] c`, `RENAME TO t2`, `RENAME [COLUMN] a TO b` in an ALTER TABLE clause. */
function droppedOrRenamed(tokens: readonly SqlToken[], s: number, last: number, table: TableDefinition): void {
  if (isWord(tokens[s], 'DROP')) {
    let k = s + 1;
    if (isWord(tokens[k], 'CONSTRAINT', 'INDEX', 'KEY', 'PRIMARY', 'FOREIGN', 'DEFAULT', 'CHECK', 'PARTITION')) return;
    if (isWord(tokens[k], 'COLUMN')) k++;
    if (isWord(tokens[k], 'IF') && isWord(tokens[k + 1], 'EXISTS')) k += 2;
    const column = tokens[k];
    if (
      !column ||
      k > last ||
      (column.kind !== 'identifier' && column.kind !== 'quoted-identifier' && column.kind !== 'keyword')
    )
      return;
    const dropped = (table.dropped ??= {});
    (dropped.columns ??= []).push(column.value);
    return;
  }
  if (!isWord(tokens[s], 'RENAME')) return;
  let k = s + 1;
  if (isWord(tokens[k], 'TO', 'AS')) {
    const to = qualifiedNameAt(tokens, k + 1);
    if (to) (table.dropped ??= {}).renamedTo = to.name;
    return;
  }
  if (isWord(tokens[k], 'COLUMN')) k++;
  const from = tokens[k];
  if (from && isWord(tokens[k + 1], 'TO') && tokens[k + 2] && k + 2 <= last) {
    const dropped = (table.dropped ??= {});
    (dropped.renamedColumns ??= {})[from.value] = tokens[k + 2]!.value;
  }
}

/** `DROP TABLE [IF EXISTS] a[, b] [CASCADE]`, `DROP VIEW` / `DROP MATERIALIZED VIEW` too. */
export function droppedTables(tokens: readonly SqlToken[]): TableDefinition[] {
  const out: TableDefinition[] = [];
  for (let d = 0; d < tokens.length; d++) {
    if (!isWord(tokens[d], 'DROP')) continue;
    let k = d + 1;
    if (isWord(tokens[k], 'MATERIALIZED')) k++;
    if (!isWord(tokens[k], 'TABLE', 'VIEW')) continue;
    const kind = isWord(tokens[k], 'VIEW') ? 'view' : 'table';
    k++;
    if (isWord(tokens[k], 'IF') && isWord(tokens[k + 1], 'EXISTS')) k += 2;
    for (;;) {
      const name = qualifiedNameAt(tokens, k);
      if (!name) break;
      out.push({ name: name.name, first: k, last: name.last, kind, columns: [], dropped: { table: true } });
      if (tokens[name.last + 1]?.value !== ',') break;
      k = name.last + 2;
    }
    d = k;
  }
  return out;
}
