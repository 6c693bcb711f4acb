import { insertInfo, qualifiedNameAt, type SelectScope } from './analysis.js';
import { parentStatementOf, structureOf } from './index.js';
import type { SqlStatement } from './types.js';
import type { Classifier } from '../vocabulary/classify.js';

/** Why the output of a query leaves the database: an export or a migration copy. */
export interface ExportContext {
  /** Human phrase completing "exports every column of X ...": `to a file (COPY ... TO)`. */
  where: string;
  kind: 'export' | 'migration';
}

const isWord = (t: { kind: string; value: string } | undefined, ...words: string[]) =>
  !!t && t.kind !== 'string' && t.kind !== 'quoted-identifier' && words.includes(t.value.toUpperCase());

/** The export context of a whole statement (applies to each of its output scopes). */
export function statementExportContext(statement: SqlStatement, exportWords: Classifier): ExportContext | undefined {
  const tokens = statement.tokens;
  const { parens } = structureOf(statement);
  if (statement.container === 'bcp-queryout') return { where: 'to a file (bcp queryout)', kind: 'export' };
  const parent = parentStatementOf(statement);
  if (parent && isWord(parent.tokens[0], 'UNLOAD', 'EXPORT'))
    return { where: `to a file (${parent.tokens[0]!.value.toUpperCase()})`, kind: 'export' };
  if (statement.redirectedTo) return { where: 'to a file (output redirected)', kind: 'export' };
  if (statement.kind === 'copy' && copyDirection(statement) === 'TO')
    return { where: 'to a file (COPY ... TO)', kind: 'export' };
  if (isWord(tokens[0], 'EXPORT') && tokens.some((t) => isWord(t, 'SELECT')))
    return { where: 'to a file (EXPORT DATA)', kind: 'export' };
  if (statement.kind === 'create-table' && tokens.some((t, k) => isWord(t, 'AS') && parens.parent[k] === -1))
    return { where: 'into a copy of the table (CREATE TABLE ... AS)', kind: 'migration' };
  if (statement.kind === 'insert' && insertInfo(tokens, parens)?.select !== undefined) {
    return { where: 'into another table (INSERT ... SELECT)', kind: 'migration' };
  }
  if (statement.kind === 'create-view') {
    const viewAt = tokens.findIndex((t) => isWord(t, 'VIEW'));
    const name =
      viewAt >= 0 ? qualifiedNameAt(tokens, isWord(tokens[viewAt + 1], 'IF') ? viewAt + 4 : viewAt + 1) : undefined;
    const named = name && exportWords.classify(name.name) !== undefined;
    const commented =
      statement.leadingComment &&
      statement.leadingComment
        .split(/[^\p{L}\p{N}_]+/u)
        .some((w) => w.length > 2 && exportWords.classify(w) !== undefined);
    if (named || commented) return { where: 'through an export view', kind: 'export' };
  }
  return undefined;
}

/** The export context of one SELECT scope: INTO OUTFILE, SELECT ... INTO a table, FOR JSON/XML. */
export function scopeExportContext(scope: SelectScope, statement: SqlStatement): ExportContext | undefined {
  if (scope.into?.kind === 'file') {
    const word = statement.tokens[scope.into.at + 1]?.value.toUpperCase() ?? 'OUTFILE';
    return { where: `to a file (INTO ${word})`, kind: 'export' };
  }
  if (scope.into?.kind === 'table' && statement.container !== 'routine-body')
    return { where: 'into a new table (SELECT ... INTO)', kind: 'migration' };
  if (scope.forFormat) return { where: `as a ${scope.forFormat} document (FOR ${scope.forFormat})`, kind: 'export' };
  return undefined;
}

/** `COPY x TO ...` or `COPY x FROM ...`. */
export function copyDirection(statement: SqlStatement): 'TO' | 'FROM' | undefined {
  const { parens } = structureOf(statement);
  for (let k = 1; k < statement.tokens.length; k++) {
    if (parens.parent[k] !== -1) continue;
    if (isWord(statement.tokens[k], 'TO')) return 'TO';
    if (isWord(statement.tokens[k], 'FROM')) return 'FROM';
  }
  return undefined;
}
