import type { SqlToken } from './types.js';

/** Parenthesis structure of a token list: matching parens and the innermost enclosing `(`. */
export interface ParenIndex {
  match: Int32Array;
  parent: Int32Array;
}

export function parenIndex(tokens: readonly SqlToken[]): ParenIndex {
  const match = new Int32Array(tokens.length).fill(-1);
  const parent = new Int32Array(tokens.length).fill(-1);
  const stack: number[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    parent[k] = stack.length > 0 ? stack[stack.length - 1]! : -1;
    if (t.kind !== 'punctuation') continue;
    if (t.value === '(') stack.push(k);
    else if (t.value === ')' && stack.length > 0) {
      const open = stack.pop()!;
      match[open] = k;
      match[k] = open;
      parent[k] = stack.length > 0 ? stack[stack.length - 1]! : -1;
    }
  }
  return { match, parent };
}

/** A table named in a FROM/JOIN clause (or the target of INSERT/UPDATE/COPY). */
export interface TableRef {
  /** As written, dots kept, quotes removed: `public.resultats`, `dbo.ArchiveCompteRendu`. */
  name: string;
  /** Index range of the name tokens in the statement. */
  first: number;
  last: number;
  alias?: string;
  /** `(SELECT ...) alias`: its columns are the inner projection. */
  derived?: { open: number; close: number };
}

export interface ProjectionItem {
  first: number;
  last: number;
  /** Set when the item is `*` or `qualifier.*`: the index of the first and last token of the star. */
  star?: { first: number; last: number; qualifier?: string };
  /** The output name: the alias, or the last identifier of a plain column reference. */
  name?: string;
  /** The star is the whole-row argument of a function: `row_to_json(p.*)`, `json_agg(t.*)`. */
  inFunction?: string;
}

/** Aggregates whose star argument reads no column. */
const COUNTING = new Set(['COUNT', 'COUNT_BIG']);

export interface SelectScope {
  /** Index of the SELECT keyword. */
  select: number;
  /** Index past the scope's last token (its closing paren or the statement end). */
  end: number;
  items: ProjectionItem[];
  from: TableRef[];
  /** `predicate`: under EXISTS/IN/ANY or a comparison, so nothing of it leaves the query. */
  role: 'output' | 'predicate';
  /** `INTO OUTFILE`/`INTO DUMPFILE` (file), `INTO newtable` (table), `INTO @v` (variable). */
  into?: { kind: 'file' | 'table' | 'variable'; at: number };
  /** T-SQL `FOR JSON` / `FOR XML`. */
  forFormat?: 'JSON' | 'XML';
  /** Index of the `(` enclosing the scope, -1 at statement level. */
  open: number;
}

export interface CommonTableExpression {
  name: string;
  columns?: string[];
  open: number;
  close: number;
}

const SELECT_MODIFIERS = new Set([
  'DISTINCT',
  'ALL',
  'DISTINCTROW',
  'HIGH_PRIORITY',
  'STRAIGHT_JOIN',
  'SQL_SMALL_RESULT',
  'SQL_BIG_RESULT',
  'SQL_BUFFER_RESULT',
  'SQL_NO_CACHE',
  'SQL_CACHE',
  'SQL_CALC_FOUND_ROWS',
]);
const PROJECTION_END = new Set([
  'FROM',
  'INTO',
  'WHERE',
  'GROUP',
  'HAVING',
  'ORDER',
  'LIMIT',
  'UNION',
  'EXCEPT',
  'INTERSECT',
  'MINUS',
  'FOR',
  'WINDOW',
  'OFFSET',
  'FETCH',
  'QUALIFY',
  'RETURNING',
]);
const FROM_END = new Set([
  'WHERE',
  'GROUP',
  'HAVING',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'FETCH',
  'UNION',
  'EXCEPT',
  'INTERSECT',
  'MINUS',
  'WINDOW',
  'QUALIFY',
  'FOR',
  'RETURNING',
  'INTO',
  'SELECT',
  'SET',
  'VALUES',
  'TO',
]);
const JOIN_WORDS = new Set([
  'JOIN',
  'INNER',
  'LEFT',
  'RIGHT',
  'FULL',
  'OUTER',
  'CROSS',
  'NATURAL',
  'STRAIGHT_JOIN',
  'APPLY',
  'SEMI',
  'ANTI',
]);
const PREDICATE_BEFORE = new Set(['EXISTS', 'IN', 'ANY', 'SOME', 'ALL']);

const isName = (t: SqlToken | undefined) =>
  !!t && (t.kind === 'identifier' || t.kind === 'quoted-identifier' || t.kind === 'placeholder');
const isWord = (t: SqlToken | undefined, ...words: string[]) =>
  !!t && (t.kind === 'keyword' || t.kind === 'identifier') && words.includes(t.value.toUpperCase());

/** Reads the qualified name `a.b.c` of SQL tokens from `k`; returns the name and the last index, or undefined. */
export function qualifiedNameAt(tokens: readonly SqlToken[], k: number): { name: string; last: number } | undefined {
  if (!isName(tokens[k]) && !(tokens[k]?.kind === 'keyword' && tokens[k + 1]?.value === '.')) return undefined;
  const parts = [tokens[k]!.value];
  let last = k;
  while (tokens[last + 1]?.value === '.' && (isName(tokens[last + 2]) || tokens[last + 2]?.kind === 'keyword')) {
    parts.push(tokens[last + 2]!.value);
    last += 2;
  }
  return { name: parts.join('.'), last };
}

/** Every SELECT of a statement with its projection, FROM tables and role. Never throws on broken SQL. */
export function selectScopes(tokens: readonly SqlToken[], parens = parenIndex(tokens)): SelectScope[] {
  const scopes: SelectScope[] = [];
  for (let s = 0; s < tokens.length; s++) {
    const t = tokens[s]!;
    if (t.kind !== 'keyword' || t.value !== 'SELECT') continue;
    const open = parens.parent[s]!;
    const end = open >= 0 && parens.match[open]! > s ? parens.match[open]! : tokens.length;
    const sameLevel = (k: number) => parens.parent[k] === open;
    let k = s + 1;
    // Modifiers before the projection.
    for (;;) {
      const m = tokens[k];
      if (!m) break;
      const v = m.value.toUpperCase();
      if (SELECT_MODIFIERS.has(v)) {
        k++;
        if (v === 'DISTINCT' && isWord(tokens[k], 'ON') && tokens[k + 1]?.value === '(') k = parens.match[k + 1]! + 1;
      } else if (v === 'TOP') {
        k++;
        if (tokens[k]?.value === '(') k = parens.match[k]! + 1;
        else k++;
        if (isWord(tokens[k], 'PERCENT')) k++;
        if (isWord(tokens[k], 'WITH') && isWord(tokens[k + 1], 'TIES')) k += 2;
      } else break;
    }
    const items: ProjectionItem[] = [];
    let itemStart = k;
    for (; k < end; k++) {
      const x = tokens[k]!;
      if (!sameLevel(k)) continue;
      if (x.kind === 'keyword' && PROJECTION_END.has(x.value)) break;
      if (x.value === ';') break;
      if (x.kind === 'punctuation' && x.value === ',') {
        if (k > itemStart) items.push(projectionItem(tokens, itemStart, k - 1));
        itemStart = k + 1;
      }
    }
    if (k > itemStart) items.push(projectionItem(tokens, itemStart, k - 1));
    for (const item of [...items]) if (!item.star) items.push(...wholeRowArguments(tokens, parens, item));
    const scope: SelectScope = { select: s, end, items, from: [], role: roleOf(tokens, parens, s), open };
    for (let j = k; j < end; j++) {
      if (!sameLevel(j)) continue;
      const x = tokens[j]!;
      if (x.kind !== 'keyword' && x.kind !== 'identifier') continue;
      const v = x.value.toUpperCase();
      if (v === 'SELECT') break; // UNION branch: its own scope
      if (v === 'FROM' && scope.from.length === 0) scope.from = fromClause(tokens, parens, j + 1, end, open);
      else if (v === 'INTO' && !scope.into) {
        const next = tokens[j + 1];
        const nv = next?.value.toUpperCase();
        if (nv === 'OUTFILE' || nv === 'DUMPFILE') scope.into = { kind: 'file', at: j };
        else if (next?.kind === 'placeholder' || nv === 'STRICT' || (next && next.value.startsWith('@')))
          scope.into = { kind: 'variable', at: j };
        else if (isName(next) || next?.kind === 'keyword')
          scope.into = {
            kind: isWord(next, 'TEMP', 'TEMPORARY', 'UNLOGGED', 'TABLE') || isName(next) ? 'table' : 'variable',
            at: j,
          };
      } else if (v === 'FOR' && isWord(tokens[j + 1], 'JSON', 'XML'))
        scope.forFormat = tokens[j + 1]!.value.toUpperCase() as 'JSON' | 'XML';
    }
    scopes.push(scope);
  }
  return scopes;
}

function projectionItem(tokens: readonly SqlToken[], first: number, last: number): ProjectionItem {
  const item: ProjectionItem = { first, last };
  const a = tokens[first]!;
  if (first === last && a.kind === 'star') item.star = { first, last };
  else if (tokens[last]!.kind === 'star' && last - first >= 2 && tokens[last - 1]!.value === '.') {
    const name = qualifiedNameAt(tokens, first);
    if (name && name.last === last - 2) item.star = { first, last, qualifier: name.name };
  }
  if (!item.star) {
    const end = tokens[last]!;
    if (isName(end) || end.kind === 'keyword') {
      const plain = qualifiedNameAt(tokens, first);
      if (plain && plain.last === last) item.name = end.value;
      else if (last > first && (isName(end) || end.kind === 'string')) item.name = end.value;
    }
  }
  return item;
}

/** `row_to_json(p.*)`, `json_agg(t.*)`, `to_jsonb(*)` inside a projection item (never `count(*)`). */
function wholeRowArguments(tokens: readonly SqlToken[], parens: ParenIndex, item: ProjectionItem): ProjectionItem[] {
  const out: ProjectionItem[] = [];
  for (let k = item.first + 1; k < item.last; k++) {
    if (tokens[k]!.value !== '(' || !isName(tokens[k - 1]) || COUNTING.has(tokens[k - 1]!.value.toUpperCase()))
      continue;
    const close = parens.match[k]!;
    if (close < 0 || close > item.last) continue;
    const inner = projectionItem(tokens, k + 1, close - 1);
    if (inner.star) out.push({ ...inner, inFunction: tokens[k - 1]!.value });
  }
  return out;
}

function roleOf(tokens: readonly SqlToken[], parens: ParenIndex, at: number): 'output' | 'predicate' {
  for (let open = parens.parent[at]!; open >= 0; open = parens.parent[open]!) {
    const before = tokens[open - 1];
    if (!before) continue;
    if (before.kind === 'keyword' && PREDICATE_BEFORE.has(before.value)) return 'predicate';
    if (before.kind === 'operator' && !['||'].includes(before.value)) return 'predicate';
  }
  return 'output';
}

/** Table references of a FROM clause between `from` and `end` at the level of `open`. */
function fromClause(
  tokens: readonly SqlToken[],
  parens: ParenIndex,
  from: number,
  end: number,
  open: number,
): TableRef[] {
  const refs: TableRef[] = [];
  let k = from;
  let expectRef = true;
  while (k < end) {
    const t = tokens[k]!;
    if (parens.parent[k] !== open) {
      k++;
      continue;
    }
    const v = t.kind === 'keyword' || t.kind === 'identifier' ? t.value.toUpperCase() : t.value;
    if (t.kind === 'keyword' && FROM_END.has(v)) break;
    if (v === ',' || (JOIN_WORDS.has(v) && (t.kind === 'keyword' || t.kind === 'identifier'))) {
      expectRef = true;
      k++;
      continue;
    }
    if (!expectRef) {
      k++;
      continue;
    }
    if (v === 'LATERAL' || v === 'ONLY') {
      k++;
      continue;
    }
    if (v === '(') {
      const close = parens.match[k]!;
      const inner = tokens[k + 1];
      if (close < 0) break;
      if (isWord(inner, 'SELECT', 'WITH', 'VALUES')) {
        const alias = aliasAt(tokens, close + 1);
        refs.push({ name: alias?.name ?? '', first: k, last: close, alias: alias?.name, derived: { open: k, close } });
        k = alias ? alias.next : close + 1;
      } else {
        refs.push(...fromClause(tokens, parens, k + 1, close, k));
        k = close + 1;
      }
      expectRef = false;
      continue;
    }
    const name = qualifiedNameAt(tokens, k);
    if (!name) {
      k++;
      continue;
    }
    let next = name.last + 1;
    if (tokens[next]?.value === '(') {
      // A table function (generate_series, unnest, OPENJSON...): not a table.
      next = Math.max(next, parens.match[next]!) + 1;
      const alias = aliasAt(tokens, next);
      k = alias ? alias.next : next;
      expectRef = false;
      continue;
    }
    const alias = aliasAt(tokens, next);
    refs.push({ name: name.name, first: k, last: name.last, ...(alias ? { alias: alias.name } : {}) });
    k = alias ? alias.next : next;
    if (isWord(tokens[k], 'WITH') && tokens[k + 1]?.value === '(') k = Math.max(k, parens.match[k + 1]!) + 1;
    expectRef = false;
  }
  return refs;
}

function aliasAt(tokens: readonly SqlToken[], k: number): { name: string; next: number } | undefined {
  let j = k;
  if (isWord(tokens[j], 'AS')) j++;
  const t = tokens[j];
  if (
    t &&
    (t.kind === 'identifier' || t.kind === 'quoted-identifier') &&
    !JOIN_WORDS.has(t.value.toUpperCase()) &&
    !/^(TABLESAMPLE|PARTITION|USE|FORCE|IGNORE|WITH)$/i.test(t.value)
  ) {
    let next = j + 1;
    if (tokens[next]?.value === '(' && j > k) {
      // `AS alias (col, ...)`: column aliases.
      let depth = 0;
      for (; next < tokens.length; next++) {
        if (tokens[next]!.value === '(') depth++;
        else if (tokens[next]!.value === ')' && --depth === 0) break;
      }
      next++;
    }
    return { name: t.value, next };
  }
  return undefined;
}

/** `WITH name [(cols)] AS (...)` definitions at the start of a statement. */
export function commonTableExpressions(
  tokens: readonly SqlToken[],
  parens = parenIndex(tokens),
): CommonTableExpression[] {
  const out: CommonTableExpression[] = [];
  let k = 0;
  while (tokens[k]?.value === '(') k++;
  if (!isWord(tokens[k], 'WITH')) return out;
  k++;
  if (isWord(tokens[k], 'RECURSIVE')) k++;
  while (k < tokens.length) {
    const name = tokens[k];
    if (!isName(name)) break;
    k++;
    let columns: string[] | undefined;
    if (tokens[k]?.value === '(') {
      const close = parens.match[k]!;
      columns = tokens
        .slice(k + 1, close)
        .filter((t) => isName(t))
        .map((t) => t.value);
      k = close + 1;
    }
    if (!isWord(tokens[k], 'AS')) break;
    k++;
    while (isWord(tokens[k], 'NOT', 'MATERIALIZED')) k++;
    if (tokens[k]?.value !== '(') break;
    const close = parens.match[k]!;
    if (close < 0) break;
    out.push({ name: name!.value, ...(columns ? { columns } : {}), open: k, close });
    k = close + 1;
    if (tokens[k]?.value !== ',') break;
    k++;
  }
  return out;
}

/** `INSERT INTO target (cols) VALUES (...)|SELECT`: the target, its column list and the VALUES rows. */
interface InsertInfo {
  target: TableRef;
  columns: { name: string; index: number }[];
  /** Each VALUES row: token index ranges of each value expression. */
  rows: { first: number; last: number }[][];
  /** Index of the SELECT feeding the insert, if any. */
  select?: number;
}

export function insertInfo(tokens: readonly SqlToken[], parens = parenIndex(tokens)): InsertInfo | undefined {
  let k = tokens.findIndex((t) => isWord(t, 'INSERT', 'REPLACE'));
  if (k < 0) return undefined;
  k++;
  while (
    isWord(
      tokens[k],
      'IGNORE',
      'LOW_PRIORITY',
      'DELAYED',
      'HIGH_PRIORITY',
      'OR',
      'REPLACE',
      'ABORT',
      'FAIL',
      'ROLLBACK',
    )
  )
    k++;
  if (isWord(tokens[k], 'INTO')) k++;
  const name = qualifiedNameAt(tokens, k);
  if (!name) return undefined;
  const target: TableRef = { name: name.name, first: k, last: name.last };
  k = name.last + 1;
  const alias = aliasAt(tokens, k);
  if (alias && tokens[alias.next - 1]?.value !== ')') k = alias.next;
  const columns: { name: string; index: number }[] = [];
  if (tokens[k]?.value === '(' && !isWord(tokens[k + 1], 'SELECT', 'WITH')) {
    const close = parens.match[k]!;
    for (let j = k + 1; j < close; j++) {
      if (
        parens.parent[j] === k &&
        (isName(tokens[j]) || tokens[j]!.kind === 'keyword') &&
        (tokens[j + 1]?.value === ',' || j + 1 === close)
      )
        columns.push({ name: tokens[j]!.value, index: j });
    }
    k = close + 1;
  }
  const rows: { first: number; last: number }[][] = [];
  let select: number | undefined;
  while (k < tokens.length && !isWord(tokens[k], 'VALUES', 'VALUE', 'SELECT', 'WITH', 'SET')) k++;
  if (isWord(tokens[k], 'VALUES', 'VALUE')) {
    k++;
    while (tokens[k]?.value === '(') {
      const close = parens.match[k]!;
      if (close < 0) break;
      const row: { first: number; last: number }[] = [];
      let first = k + 1;
      for (let j = k + 1; j <= close; j++) {
        if (j === close || (parens.parent[j] === k && tokens[j]!.value === ',')) {
          if (j > first) row.push({ first, last: j - 1 });
          first = j + 1;
        }
      }
      rows.push(row);
      k = close + 1;
      if (tokens[k]?.value !== ',') break;
      k++;
    }
  } else if (isWord(tokens[k], 'SELECT', 'WITH')) {
    select = tokens.findIndex((t, j) => j >= k && isWord(t, 'SELECT'));
  }
  return { target, columns, rows, ...(select !== undefined && select >= 0 ? { select } : {}) };
}

/** `UPDATE t SET a = expr, ...`: the target and each assignment's column and value range. */
interface UpdateInfo {
  target: TableRef;
  sets: { column: string; index: number; value: { first: number; last: number } }[];
}

export function updateInfo(tokens: readonly SqlToken[], parens = parenIndex(tokens)): UpdateInfo | undefined {
  let k = tokens.findIndex((t) => isWord(t, 'UPDATE'));
  if (k < 0) return undefined;
  k++;
  while (isWord(tokens[k], 'ONLY', 'LOW_PRIORITY', 'IGNORE', 'TOP')) k++;
  const name = qualifiedNameAt(tokens, k);
  if (!name) return undefined;
  const target: TableRef = { name: name.name, first: k, last: name.last };
  const setAt = tokens.findIndex((t, j) => j > name.last && parens.parent[j] === -1 && isWord(t, 'SET'));
  if (setAt < 0) return { target, sets: [] };
  const alias = aliasAt(tokens, name.last + 1);
  if (alias && alias.next <= setAt) target.alias = alias.name;
  const sets: UpdateInfo['sets'] = [];
  let first = setAt + 1;
  const stop = (j: number) =>
    j >= tokens.length ||
    (parens.parent[j] === -1 &&
      (tokens[j]!.value === ',' ||
        isWord(tokens[j], 'WHERE', 'FROM', 'RETURNING', 'OUTPUT', 'ORDER', 'LIMIT') ||
        tokens[j]!.value === ';'));
  for (let j = first; j <= tokens.length; j++) {
    if (!stop(j)) continue;
    const eq = tokens.findIndex((t, q) => q >= first && q < j && t.value === '=');
    if (eq > first) {
      const col = qualifiedNameAt(tokens, first);
      if (col && col.last === eq - 1)
        sets.push({ column: tokens[col.last]!.value, index: col.last, value: { first: eq + 1, last: j - 1 } });
    }
    if (j >= tokens.length || tokens[j]!.value !== ',') break;
    first = j + 1;
  }
  return { target, sets };
}
