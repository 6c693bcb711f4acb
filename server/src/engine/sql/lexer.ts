import { CookedText } from './cooked.js';
import { SQL_KEYWORDS } from './keywords.js';
import type { SqlDialect, SqlToken } from './types.js';

/** A client-side command line (`.output file` in sqlite3, `\o file` in psql) between statements. */
interface SqlMetaCommand {
  command: string;
  argument: string;
  /** Index of the first token after the command. */
  beforeToken: number;
}

export interface LexedSql {
  cooked: CookedText;
  dialect: SqlDialect;
  tokens: SqlToken[];
  /** SQL-text offsets of each token (tokens carry file offsets). */
  local: { start: number; end: number }[];
  /** Token indices before which a statement must start (GO lines, meta commands, DELIMITER). */
  breaks: Set<number>;
  metas: SqlMetaCommand[];
  /** SQL-text ranges of comments, in order. */
  comments: { start: number; end: number }[];
}

const OPERATORS = [
  '->>',
  '#>>',
  '!~*',
  '~~*',
  '::',
  '<>',
  '!=',
  '>=',
  '<=',
  '||',
  '->',
  '#>',
  '<<',
  '>>',
  ':=',
  '=>',
  '!~',
  '~*',
  '@>',
  '<@',
  '&&',
  '==',
  '^=',
];

function isIdentStart(c: string): boolean {
  const code = c.charCodeAt(0);
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || (code > 127 && /\p{L}/u.test(c));
}
function isIdentPart(c: string): boolean {
  const code = c.charCodeAt(0);
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 95 ||
    code === 36 ||
    (code > 127 && /[\p{L}\p{N}]/u.test(c))
  );
}
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/**
 * Lexes SQL into tokens whose offsets are file offsets. Comments are skipped (recorded, never
 * tokens); strings, quoted identifiers and placeholders follow the dialect: `#` comments and
 * `"strings"` in MySQL, `[ident]` in T-SQL/SQLite, nested block comments and `$tag$` strings in
 * PostgreSQL. `GO` lines, psql/sqlite3 meta commands and MySQL `DELIMITER` become breaks.
 */
export function lexSql(cooked: CookedText, dialect: SqlDialect): LexedSql {
  const text = cooked.text;
  const tokens: SqlToken[] = [];
  const local: { start: number; end: number }[] = [];
  const breaks = new Set<number>();
  const metas: SqlMetaCommand[] = [];
  const comments: { start: number; end: number }[] = [];
  const placeholders = [...cooked.placeholders].sort((a, b) => a.start - b.start);
  let nextPlaceholder = 0;
  let delimiter: string | undefined;
  const n = text.length;
  let i = 0;

  const push = (kind: SqlToken['kind'], start: number, end: number, value?: string) => {
    const range = cooked.fileRange(start, end);
    const raw = text.slice(start, end);
    tokens.push({ kind, text: raw, value: value ?? raw, start: range.start, end: range.end });
    local.push({ start, end });
  };
  const atLineStart = (at: number) => {
    let k = at - 1;
    while (k >= 0 && (text[k] === ' ' || text[k] === '\t')) k--;
    return k < 0 || text[k] === '\n' || text[k] === '\r';
  };
  const lineEnd = (at: number) => {
    let k = at;
    while (k < n && text[k] !== '\n' && text[k] !== '\r') k++;
    return k;
  };
  const statementStart = () =>
    tokens.length === 0 || breaks.has(tokens.length) || tokens[tokens.length - 1]!.value === ';';

  while (i < n) {
    while (nextPlaceholder < placeholders.length && placeholders[nextPlaceholder]!.end <= i) nextPlaceholder++;
    const ph = placeholders[nextPlaceholder];
    if (ph && ph.start === i) {
      push('placeholder', ph.start, ph.end);
      i = ph.end;
      nextPlaceholder++;
      continue;
    }
    const c = text[i]!;
    const d = text[i + 1];
    if (
      c === ' ' ||
      c === '\t' ||
      c === '\n' ||
      c === '\r' ||
      c === '\f' ||
      c === '\v' ||
      c === '\u00a0' ||
      c === '\ufeff'
    ) {
      i++;
      continue;
    }
    if (delimiter && text.startsWith(delimiter, i)) {
      breaks.add(tokens.length);
      i += delimiter.length;
      continue;
    }
    // Comments.
    if ((c === '-' && d === '-') || (c === '#' && dialect === 'mysql')) {
      const end = lineEnd(i);
      comments.push({ start: i, end });
      i = end;
      continue;
    }
    if (c === '/' && d === '*') {
      const start = i;
      let depth = 1;
      i += 2;
      const nests = dialect !== 'mysql';
      while (i < n && depth > 0) {
        if (nests && text[i] === '/' && text[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (text[i] === '*' && text[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
      comments.push({ start, end: i });
      continue;
    }
    // Lines that are not SQL: GO (T-SQL batches), psql `\...`, sqlite3 `.command`, MySQL DELIMITER.
    if (atLineStart(i)) {
      const end = lineEnd(i);
      const line = text.slice(i, end);
      if (/^GO(?:\s+\d+)?\s*(?:--.*)?$/i.test(line)) {
        breaks.add(tokens.length);
        i = end;
        continue;
      }
      if (c === '\\' && statementStart()) {
        const m = /^\\(\w+)\s*(.*)$/.exec(line);
        const command = m?.[1]?.toLowerCase() ?? '';
        breaks.add(tokens.length);
        if (command === 'copy') {
          // `\copy (...) TO 'file'` is COPY run client-side: lex it as SQL, one line.
          i += 1;
          const sub = lexSql(cooked.slice(i, end), dialect);
          for (let k = 0; k < sub.tokens.length; k++) {
            tokens.push(sub.tokens[k]!);
            local.push({ start: sub.local[k]!.start + i, end: sub.local[k]!.end + i });
          }
          breaks.add(tokens.length);
        } else metas.push({ command: '\\' + command, argument: (m?.[2] ?? '').trim(), beforeToken: tokens.length });
        i = end;
        continue;
      }
      if (c === '.' && /[a-z]/i.test(d ?? '') && statementStart()) {
        const m = /^\.(\w+)\s*(.*)$/.exec(line);
        breaks.add(tokens.length);
        metas.push({
          command: '.' + (m?.[1] ?? '').toLowerCase(),
          argument: (m?.[2] ?? '').trim(),
          beforeToken: tokens.length,
        });
        i = end;
        continue;
      }
      if (dialect === 'mysql' && /^DELIMITER\s+\S+/i.test(line)) {
        const next = line.split(/\s+/)[1]!;
        delimiter = next === ';' ? undefined : next;
        breaks.add(tokens.length);
        i = end;
        continue;
      }
    }
    // Strings with a prefix: E'..' N'..' X'..' B'..' U&'..'.
    if (/[EeNnXxBb]/.test(c) && d === "'" && !isIdentPart(text[i - 1] ?? ' ')) {
      const end = scanString(text, i + 1, "'", dialect === 'mysql' || c === 'E' || c === 'e');
      push('string', i, end, unquote(text.slice(i + 2, end - 1), "'"));
      i = end;
      continue;
    }
    if ((c === 'U' || c === 'u') && d === '&' && text[i + 2] === "'") {
      const end = scanString(text, i + 2, "'", false);
      push('string', i, end, unquote(text.slice(i + 3, end - 1), "'"));
      i = end;
      continue;
    }
    if (c === "'") {
      const end = scanString(text, i, "'", dialect === 'mysql');
      push('string', i, end, unquote(text.slice(i + 1, end - 1), "'"));
      i = end;
      continue;
    }
    if (c === '"') {
      const end = scanString(text, i, '"', dialect === 'mysql');
      if (dialect === 'mysql') push('string', i, end, unquote(text.slice(i + 1, end - 1), '"'));
      else push('quoted-identifier', i, end, unquote(text.slice(i + 1, end - 1), '"'));
      i = end;
      continue;
    }
    if (c === '`') {
      const end = scanString(text, i, '`', false);
      push('quoted-identifier', i, end, unquote(text.slice(i + 1, end - 1), '`'));
      i = end;
      continue;
    }
    if (c === '[' && (dialect === 'transactsql' || dialect === 'sqlite')) {
      let k = i + 1;
      while (k < n && !(text[k] === ']' && text[k + 1] !== ']')) k += text[k] === ']' ? 2 : 1;
      const end = Math.min(n, k + 1);
      push('quoted-identifier', i, end, text.slice(i + 1, end - 1).replace(/\]\]/g, ']'));
      i = end;
      continue;
    }
    if (c === '$') {
      if (isDigit(d)) {
        let k = i + 1;
        while (isDigit(text[k])) k++;
        push('placeholder', i, k);
        i = k;
        continue;
      }
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 64));
      if (tag && dialect !== 'mysql' && dialect !== 'transactsql') {
        const close = text.indexOf(tag[0], i + tag[0].length);
        const end = close < 0 ? n : close + tag[0].length;
        push('string', i, end, text.slice(i + tag[0].length, close < 0 ? n : close));
        i = end;
        continue;
      }
      if (isIdentStart(d ?? ' ')) {
        let k = i + 1;
        while (k < n && isIdentPart(text[k]!)) k++;
        push('placeholder', i, k);
        i = k;
        continue;
      }
    }
    if (c === '?' && !(dialect === 'postgresql' && (d === '|' || d === '&'))) {
      let k = i + 1;
      while (isDigit(text[k])) k++;
      push('placeholder', i, k);
      i = k;
      continue;
    }
    if (c === ':' && d !== ':' && d !== '=' && text[i - 1] !== ':' && isIdentStart(d ?? ' ')) {
      let k = i + 1;
      while (k < n && isIdentPart(text[k]!)) k++;
      push('placeholder', i, k);
      i = k;
      continue;
    }
    if (c === '@' && (isIdentStart(d ?? ' ') || d === '@')) {
      let k = i + 1;
      if (d === '@') k++;
      while (k < n && (isIdentPart(text[k]!) || text[k] === '@' || text[k] === '#')) k++;
      if (d === '@') push('identifier', i, k);
      else push('placeholder', i, k);
      i = k;
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(d))) {
      let k = i;
      if (c === '0' && (d === 'x' || d === 'X')) {
        k += 2;
        while (k < n && /[0-9a-f]/i.test(text[k]!)) k++;
      } else {
        while (isDigit(text[k])) k++;
        if (text[k] === '.' && text[k + 1] !== '.') {
          k++;
          while (isDigit(text[k])) k++;
        }
        if (
          (text[k] === 'e' || text[k] === 'E') &&
          (isDigit(text[k + 1]) || ((text[k + 1] === '+' || text[k + 1] === '-') && isDigit(text[k + 2])))
        ) {
          k += 2;
          while (isDigit(text[k])) k++;
        }
      }
      push('number', i, k);
      i = k;
      continue;
    }
    if (isIdentStart(c) || (c === '#' && dialect === 'transactsql')) {
      let k = i + 1;
      while (k < n && (isIdentPart(text[k]!) || (dialect === 'transactsql' && (text[k] === '#' || text[k] === '@'))))
        k++;
      const word = text.slice(i, k);
      const upper = word.toUpperCase();
      if (SQL_KEYWORDS.has(upper)) push('keyword', i, k, upper);
      else push('identifier', i, k, word);
      i = k;
      continue;
    }
    if (c === '*') {
      push('star', i, i + 1);
      i++;
      continue;
    }
    if ('(),;.[]{}'.includes(c)) {
      push('punctuation', i, i + 1);
      i++;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    const len = op ? op.length : 1;
    push('operator', i, i + len);
    i += len;
  }
  return { cooked, dialect, tokens, local, breaks, metas, comments };
}

/** End offset (exclusive) of the quoted run that opens at `start`; doubled quotes (and backslashes when asked) escape. */
function scanString(text: string, start: number, quote: string, backslash: boolean): number {
  let k = start + 1;
  while (k < text.length) {
    const ch = text[k];
    if (backslash && ch === '\\') {
      k += 2;
      continue;
    }
    if (ch === quote) {
      if (text[k + 1] === quote) {
        k += 2;
        continue;
      }
      return k + 1;
    }
    k++;
  }
  return text.length;
}

function unquote(inner: string, quote: string): string {
  return inner.split(quote + quote).join(quote);
}
