import ts from 'typescript';
import type { DetectorContext } from '../detector.js';
import {
  insertInfo,
  sqlStatementsOf,
  structureOf,
  updateInfo,
  type SqlStatement,
  type SqlToken,
} from '../sql/index.js';
import { unwrap } from '../syntax/ast.js';
import { callProtection, encryptionOf, type EncryptionKnowledge } from './protection.js';
import { writtenColumnVerdict, type ColumnVerdict } from './sensitivity.js';

/** A plain value written by SQL into a special-category column that nothing encrypts. */
interface PlainSqlWrite {
  statement: SqlStatement;
  /** The column name token (in the INSERT column list or the UPDATE SET). */
  column: SqlToken;
  verdict: ColumnVerdict;
  /** File ranges of the plain values written to it (one per VALUES row). */
  values: { start: number; end: number }[];
  /** The quote of the TS string holding the SQL, when embedded. */
  quote?: string;
}

/** INSERT/UPDATE statements of a file (SQL files and SQL embedded in TS) that write plain values to sensitive columns. */
export function plainSqlWrites(context: DetectorContext): PlainSqlWrite[] {
  const known = encryptionOf(context.config);
  const out: PlainSqlWrite[] = [];
  for (const statement of sqlStatementsOf(context.file, context.project)) {
    if (statement.kind !== 'insert' && statement.kind !== 'update') continue;
    const tokens = statement.tokens;
    const parens = structureOf(statement).parens;
    const params = boundParameters(statement);
    const placeholders = placeholderOrder(tokens);
    const quote = statement.node ? quoteOf(statement.node) : undefined;
    const candidates: { table: string; column: SqlToken; values: { first: number; last: number }[] }[] = [];
    if (statement.kind === 'insert') {
      const info = insertInfo(tokens, parens);
      if (!info || info.select !== undefined) continue;
      info.columns.forEach((c, i) =>
        candidates.push({
          table: info.target.name,
          column: tokens[c.index]!,
          values: info.rows.map((r) => r[i]).filter((v): v is { first: number; last: number } => !!v),
        }),
      );
    } else {
      const info = updateInfo(tokens, parens);
      if (!info) continue;
      for (const set of info.sets)
        candidates.push({ table: info.target.name, column: tokens[set.index]!, values: [set.value] });
    }
    for (const candidate of candidates) {
      const plain = candidate.values.filter((v) =>
        isPlainValue(tokens, v.first, v.last, known, params, placeholders, context),
      );
      if (plain.length === 0) continue;
      const verdict = writtenColumnVerdict(candidate.table, candidate.column.value, context.project);
      if (!verdict || verdict.protection) continue;
      out.push({
        statement,
        column: candidate.column,
        verdict,
        values: plain.map((v) => ({ start: tokens[v.first]!.start, end: tokens[v.last]!.end })),
        ...(quote ? { quote } : {}),
      });
    }
  }
  return out;
}

/**
 * A value written in clear: a literal or a bound parameter, not wrapped in an encryption
 * function (pgp_sym_encrypt, AES_ENCRYPT...), and not NULL/DEFAULT. A bound parameter whose TS
 * argument is encrypted (`encryptField(note)`) is not plain.
 */
function isPlainValue(
  tokens: readonly SqlToken[],
  first: number,
  last: number,
  known: EncryptionKnowledge,
  params: readonly ts.Expression[] | undefined,
  placeholders: Map<number, number>,
  context: DetectorContext,
): boolean {
  const slice = tokens.slice(first, last + 1);
  for (let k = 0; k < slice.length; k++) {
    const t = slice[k]!;
    if (
      (t.kind === 'identifier' || t.kind === 'keyword') &&
      slice[k + 1]?.value === '(' &&
      known.sqlFunctions.includes(t.value.toLowerCase())
    )
      return false;
  }
  if (slice.length === 1 && /^(NULL|DEFAULT)$/i.test(slice[0]!.value)) return false;
  const carriers = slice.filter((t) => t.kind === 'string' || t.kind === 'number' || t.kind === 'placeholder');
  if (carriers.length === 0) return false;
  if (slice.length === 1 && slice[0]!.kind === 'placeholder' && params) {
    const index = placeholders.get(first);
    const arg = index !== undefined ? params[index] : undefined;
    if (arg) {
      const e = unwrap(arg);
      if (e.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(e) && e.text === 'undefined')) return false;
      if ((ts.isCallExpression(e) || ts.isNewExpression(e)) && callProtection(e, e.getSourceFile(), context.project))
        return false;
    }
  }
  return true;
}

/** The parameter array passed with embedded SQL: `pool.query(sql, [a, b])`. */
function boundParameters(statement: SqlStatement): readonly ts.Expression[] | undefined {
  let node = statement.node;
  while (
    node &&
    node.parent &&
    !ts.isCallExpression(node.parent) &&
    (ts.isBinaryExpression(node.parent) || ts.isParenthesizedExpression(node.parent))
  )
    node = node.parent;
  const call = node?.parent;
  if (!node || !call || !ts.isCallExpression(call)) return undefined;
  const index = call.arguments.indexOf(node as ts.Expression);
  const array = call.arguments[index + 1];
  const e = array && unwrap(array);
  return e && ts.isArrayLiteralExpression(e) ? e.elements : undefined;
}

/** Token index of each placeholder -> the index of its bound parameter (`$2` -> 1, the n-th `?` -> n-1). */
function placeholderOrder(tokens: readonly SqlToken[]): Map<number, number> {
  const map = new Map<number, number>();
  let positional = 0;
  tokens.forEach((t, k) => {
    if (t.kind !== 'placeholder') return;
    const numbered = /^[$?:@](\d+)$/.exec(t.value);
    if (numbered) map.set(k, Number(numbered[1]) - 1);
    else if (t.value === '?') map.set(k, positional++);
  });
  return map;
}

function quoteOf(node: ts.Node): string | undefined {
  const text = node.getText();
  const q = text[0];
  return q === "'" || q === '"' || q === '`' ? q : undefined;
}
