/**
 * Literal values in SQL text (a .sql file or the text of a TS string that holds SQL) and the
 * column each one is written to or compared with. A small tokenizer: comments are skipped,
 * strings and numbers are the literals.
 */

export interface SqlToken {
  kind: 'string' | 'number' | 'word' | 'punct';
  start: number;
  end: number;
  text: string;
}

export function sqlTokens(text: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '-' && text[i + 1] === '-') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
    } else if (c === "'") {
      let j = i + 1;
      while (j < n) {
        if (text[j] === "'" && text[j + 1] === "'") j += 2;
        else if (text[j] === "'") break;
        else j++;
      }
      tokens.push({ kind: 'string', start: i, end: Math.min(j + 1, n), text: text.slice(i + 1, j) });
      i = j + 1;
    } else if (c === '"' || c === '`' || c === '[') {
      const close = text.indexOf(c === '[' ? ']' : c, i + 1);
      const end = close < 0 ? n : close + 1;
      tokens.push({ kind: 'word', start: i, end, text: text.slice(i + 1, end - 1) });
      i = end;
    } else if (/[0-9]/.test(c)) {
      let j = i;
      while (j < n && /[0-9_.]/.test(text[j]!)) j++;
      tokens.push({ kind: 'number', start: i, end: j, text: text.slice(i, j) });
      i = j;
    } else if (/[A-Za-z_\u00c0-\u024f$@#]/.test(c)) {
      let j = i;
      while (j < n && /[A-Za-z0-9_\u00c0-\u024f$@#]/.test(text[j]!)) j++;
      tokens.push({ kind: 'word', start: i, end: j, text: text.slice(i, j) });
      i = j;
    } else if (/\s/.test(c)) {
      i++;
    } else {
      const two = text.slice(i, i + 2);
      const op = two === '<>' || two === '!=' || two === '<=' || two === '>=' ? two : c;
      tokens.push({ kind: 'punct', start: i, end: i + op.length, text: op });
      i += op.length;
    }
  }
  return tokens;
}

/** The column a literal token (by index) is inserted into, assigned to or compared with. */
export function sqlColumnOf(tokens: readonly SqlToken[], index: number): string | undefined {
  return insertedColumn(tokens, index) ?? comparedColumn(tokens, index);
}

function isWord(t: SqlToken | undefined, word: string): boolean {
  return t?.kind === 'word' && t.text.toUpperCase() === word;
}

/** `col = 'x'`, `col IN ('x', ...)`, `col LIKE 'x'`, `SET col = 'x'`. */
function comparedColumn(tokens: readonly SqlToken[], index: number): string | undefined {
  let i = index - 1;
  // Inside an IN list: go back to its opening parenthesis.
  while (i >= 0 && (tokens[i]!.kind === 'string' || tokens[i]!.kind === 'number' || tokens[i]!.text === ',')) i--;
  if (tokens[i]?.text === '(' && isWord(tokens[i - 1], 'IN')) i -= 1;
  const op = tokens[i];
  if (!op || !(['=', '<>', '!=', '<=', '>='].includes(op.text) || isWord(op, 'LIKE') || isWord(op, 'IN')))
    return undefined;
  const column = tokens[i - 1];
  return column?.kind === 'word' ? column.text : undefined;
}

/** `INSERT INTO t (a, b) VALUES ('x', f('y'))`: the column at the literal's position in its tuple. */
function insertedColumn(tokens: readonly SqlToken[], index: number): string | undefined {
  // Find the enclosing VALUES tuple, counting top-level commas on the way.
  let depth = 0;
  let commas = 0;
  let open = -1;
  for (let i = index - 1; i >= 0; i--) {
    const t = tokens[i]!;
    if (t.text === ')') depth++;
    else if (t.text === '(') {
      if (depth > 0) {
        depth--;
        continue;
      }
      const before = tokens[i - 1];
      if (isWord(before, 'VALUES') || (before?.text === ',' && tokens[i - 2]?.text === ')')) {
        open = i;
        break;
      }
      // A function call or nested expression around the literal: restart counting outside it.
      commas = 0;
    } else if (t.text === ',' && depth === 0) commas++;
    else if (t.text === ';') return undefined;
  }
  if (open < 0) return undefined;
  // Back to VALUES, then the column list just before it.
  let v = open - 1;
  while (v >= 0 && !isWord(tokens[v], 'VALUES')) {
    if (tokens[v]!.text === ';') return undefined;
    v--;
  }
  if (v < 1 || tokens[v - 1]!.text !== ')') return undefined;
  const columns: string[] = [];
  let d = 0;
  for (let i = v - 2; i >= 0; i--) {
    const t = tokens[i]!;
    if (t.text === ')') d++;
    else if (t.text === '(') {
      if (d === 0) break;
      d--;
    } else if (t.kind === 'word' && d === 0 && (tokens[i - 1]?.text === '(' || tokens[i - 1]?.text === ','))
      columns.unshift(t.text);
  }
  return columns[commas];
}
