import { CookedText } from './cooked.js';
import { lexSql, type LexedSql } from './lexer.js';
import type { SqlContainer, SqlDialect, SqlStatement, SqlStatementKind, SqlToken } from './types.js';

/** A statement before parsing, with what the splitter knows about it. */
export interface SplitStatement extends Omit<SqlStatement, 'parsed'> {
  parsed?: boolean;
  /** The statement whose string held this one (bcp, EXEC('...'), a routine body). */
  parent?: SplitStatement;
  /** The text given to the parser: host-language placeholders (`${...}`) replaced by SQL parameters. */
  parseText?: string;
}

const TSQL_BLOCK_FOLLOWERS = new Set(['TRAN', 'TRANSACTION', 'DISTRIBUTED', 'DIALOG', 'CONVERSATION']);

/**
 * Splits lexed SQL into statements: on `;` at parenthesis depth 0, on GO lines, meta commands
 * and DELIMITER changes, and (T-SQL) around BEGIN/END blocks, so the statements inside an
 * `IF ... BEGIN ... END` are statements of their own. SQL inside string literals of a statement
 * (`bcp "..." queryout`, `EXEC('...')`, `$$` routine bodies) becomes nested statements.
 */
export function splitStatements(lexed: LexedSql, origin: SqlStatement['origin'], depthLimit = 2): SplitStatement[] {
  const { tokens, dialect } = lexed;
  const out: SplitStatement[] = [];
  let from = 0;
  let depth = 0;
  let commentCursor = 0;
  let redirect: string | undefined;
  let metaCursor = 0;
  let once = false;

  const flush = (to: number) => {
    if (to <= from) {
      from = Math.max(from, to);
      return;
    }
    while (metaCursor < lexed.metas.length && lexed.metas[metaCursor]!.beforeToken <= from) {
      const meta = lexed.metas[metaCursor++]!;
      if (meta.command === '.output' || meta.command === '\\o' || meta.command === '\\out') {
        redirect = meta.argument && meta.argument !== 'stdout' ? meta.argument : undefined;
        once = false;
      } else if (meta.command === '.once') {
        redirect = meta.argument || undefined;
        once = true;
      }
    }
    const localStart = lexed.local[from]!.start;
    const localEnd = lexed.local[to - 1]!.end;
    const leading: string[] = [];
    while (commentCursor < lexed.comments.length && lexed.comments[commentCursor]!.end <= localStart) {
      const comment = lexed.comments[commentCursor++]!;
      const previousEnd = from > 0 ? lexed.local[from - 1]!.end : 0;
      if (comment.start >= previousEnd) leading.push(lexed.cooked.text.slice(comment.start, comment.end));
    }
    const stmtTokens = tokens.slice(from, to);
    const statement: SplitStatement = {
      kind: statementKind(stmtTokens),
      text: lexed.cooked.text.slice(localStart, localEnd),
      start: stmtTokens[0]!.start,
      end: stmtTokens[stmtTokens.length - 1]!.end,
      tokens: stmtTokens,
      dialect,
      origin,
      ...(leading.length > 0 ? { leadingComment: leading.join('\n') } : {}),
      ...(redirect ? { redirectedTo: redirect } : {}),
    };
    const hostPlaceholders = lexed.cooked.placeholders;
    if (hostPlaceholders.length > 0) {
      let parseText = '';
      let cursor = localStart;
      let n = 0;
      for (let k = from; k < to; k++) {
        const loc = lexed.local[k]!;
        if (stmtTokens[k - from]!.kind !== 'placeholder' || !hostPlaceholders.some((p) => p.start === loc.start))
          continue;
        n++;
        parseText += lexed.cooked.text.slice(cursor, loc.start) + parameterMarker(dialect, n);
        cursor = loc.end;
      }
      if (n > 0) statement.parseText = parseText + lexed.cooked.text.slice(cursor, localEnd);
    }
    if (once) {
      redirect = undefined;
      once = false;
    }
    out.push(statement);
    if (depthLimit > 0) out.push(...nestedStatements(lexed, from, to, statement, origin, depthLimit - 1));
    from = to;
  };

  for (let k = 0; k < tokens.length; k++) {
    if (lexed.breaks.has(k)) {
      flush(k);
      depth = 0;
    }
    const t = tokens[k]!;
    if (t.kind === 'punctuation') {
      if (t.value === '(') depth++;
      else if (t.value === ')') depth = Math.max(0, depth - 1);
      else if (t.value === ';' && depth === 0) {
        flush(k);
        from = k + 1;
        continue;
      }
    }
    if (dialect === 'transactsql' && depth === 0 && t.kind === 'keyword') {
      const next = tokens[k + 1];
      if (t.value === 'BEGIN' && !(next && TSQL_BLOCK_FOLLOWERS.has(next.value.toUpperCase()))) {
        const block = next && /^(TRY|CATCH)$/i.test(next.value) ? 2 : 1;
        flush(k);
        from = k + block;
        k += block - 1;
      } else if (t.value === 'END' && !isCaseEnd(tokens, from, k)) {
        const block = next && /^(TRY|CATCH)$/i.test(next.value) ? 2 : 1;
        flush(k);
        from = k + block;
        k += block - 1;
      }
    }
  }
  flush(tokens.length);
  return out;
}

function parameterMarker(dialect: SqlDialect, n: number): string {
  if (dialect === 'postgresql') return `$${n}`;
  if (dialect === 'transactsql') return `@p${n}`;
  return '?';
}

/** `END` closing a CASE expression, not a block. */
function isCaseEnd(tokens: SqlToken[], from: number, at: number): boolean {
  let open = 0;
  for (let k = from; k < at; k++) {
    if (tokens[k]!.kind !== 'keyword') continue;
    if (tokens[k]!.value === 'CASE') open++;
    else if (tokens[k]!.value === 'END' && open > 0) open--;
  }
  return open > 0;
}

export function statementKind(tokens: readonly SqlToken[]): SqlStatementKind {
  let k = 0;
  while (k < tokens.length && tokens[k]!.value === '(') k++;
  const first = tokens[k];
  if (!first) return 'other';
  const word = first.value.toUpperCase();
  switch (word) {
    case 'SELECT':
    case 'VALUES':
    case 'TABLE':
      return 'select';
    case 'INSERT':
    case 'REPLACE':
      return 'insert';
    case 'UPDATE':
      return 'update';
    case 'DELETE':
      return 'delete';
    case 'COPY':
      return 'copy';
    case 'ALTER':
      return tokens[k + 1]?.value.toUpperCase() === 'TABLE' ? 'alter-table' : 'other';
    case 'CREATE': {
      for (let j = k + 1; j < Math.min(tokens.length, k + 10); j++) {
        const v = tokens[j]!.value.toUpperCase();
        if (v === 'TABLE') return 'create-table';
        if (v === 'VIEW') return 'create-view';
        if (v === '(' || v === 'AS' || v === 'FUNCTION' || v === 'PROCEDURE' || v === 'INDEX' || v === 'TRIGGER')
          return 'other';
      }
      return 'other';
    }
    case 'WITH': {
      let depth = 0;
      for (let j = k + 1; j < tokens.length; j++) {
        const t = tokens[j]!;
        if (t.value === '(') depth++;
        else if (t.value === ')') depth--;
        else if (depth === 0 && t.kind === 'keyword') {
          if (t.value === 'SELECT') return 'select';
          if (t.value === 'INSERT') return 'insert';
          if (t.value === 'UPDATE') return 'update';
          if (t.value === 'DELETE') return 'delete';
        }
      }
      return 'other';
    }
    default:
      return 'other';
  }
}

const SQL_START = /^\s*(?:\(\s*)?(SELECT|WITH|INSERT|UPDATE|DELETE|MERGE|CREATE|ALTER|COPY|TRUNCATE|DROP)\b/i;
const BCP = /\bbcp\s+"([^"]+)"\s+queryout\b/gi;

/** SQL held in string literals of a statement. */
function nestedStatements(
  lexed: LexedSql,
  from: number,
  to: number,
  parent: SplitStatement,
  origin: SqlStatement['origin'],
  depthLimit: number,
): SplitStatement[] {
  const out: SplitStatement[] = [];
  for (let k = from; k < to; k++) {
    const t = lexed.tokens[k]!;
    if (t.kind !== 'string') continue;
    const content = stringContent(lexed, k);
    if (!content) continue;
    const found: { cooked: CookedText; container: SqlContainer; dialect: SqlDialect }[] = [];
    if (t.text.startsWith('$')) {
      if (/\b(SELECT|INSERT|UPDATE|DELETE|COPY)\b/i.test(content.text))
        found.push({ cooked: content, container: 'routine-body', dialect: lexed.dialect });
    } else {
      for (const m of content.text.matchAll(BCP)) {
        const at = (m.index ?? 0) + m[0].indexOf('"') + 1;
        found.push({ cooked: content.slice(at, at + m[1]!.length), container: 'bcp-queryout', dialect: 'transactsql' });
      }
      if (found.length === 0 && SQL_START.test(content.text))
        found.push({ cooked: content, container: 'dynamic-sql', dialect: lexed.dialect });
    }
    for (const f of found) {
      const inner = splitStatements(lexSql(f.cooked, f.dialect), origin, depthLimit);
      for (const s of inner) {
        s.container = f.container;
        s.parent ??= parent;
        out.push(s);
      }
    }
  }
  return out;
}

/** The decoded content of string token `index`, mapped to file offsets (`''` and backslash escapes decoded). */
function stringContent(lexed: LexedSql, index: number): CookedText | undefined {
  const token = lexed.tokens[index]!;
  const { start, end } = lexed.local[index]!;
  const raw = lexed.cooked.text.slice(start, end);
  const out = new CookedText();
  const dollar = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(raw);
  if (dollar) {
    const close =
      raw.endsWith(dollar[0]) && raw.length >= 2 * dollar[0].length ? raw.length - dollar[0].length : raw.length;
    return lexed.cooked.slice(start + dollar[0].length, start + close);
  }
  const open = raw.search(/['"]/);
  if (open < 0 || token.kind !== 'string') return undefined;
  const quote = raw[open]!;
  const backslash = lexed.dialect === 'mysql' || /^[Ee]'/.test(raw);
  const last = raw.endsWith(quote) && raw.length > open + 1 ? raw.length - 1 : raw.length;
  for (let k = open + 1; k < last; k++) {
    const ch = raw[k]!;
    const fr = lexed.cooked.fileRange(start + k, start + k + 1);
    if (ch === quote && raw[k + 1] === quote) {
      const fr2 = lexed.cooked.fileRange(start + k, start + k + 2);
      out.appendDecoded(quote, fr2.start, fr2.end);
      k++;
    } else if (backslash && ch === '\\' && k + 1 < last) {
      const fr2 = lexed.cooked.fileRange(start + k, start + k + 2);
      const next = raw[k + 1]!;
      out.appendDecoded(
        next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : next === '0' ? '\0' : next,
        fr2.start,
        fr2.end,
      );
      k++;
    } else out.appendDecoded(ch, fr.start, fr.end);
  }
  return out;
}
