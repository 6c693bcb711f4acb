import ts from 'typescript';
import { dottedName } from '../sql/analysis.js';
import { sqlStatementsOf } from '../sql/index.js';
import { tableKey } from '../schema.js';
import type { SqlStatement } from '../sql/types.js';
import { sortCategories, type Ids, type InventoryInput } from './context.js';
import type { ExportRecord } from './exports.js';
import { inventoryKnowledge, type InventoryKnowledge } from './knowledge.js';
import type { Location, RetentionEntry } from './model.js';

type Deletion = NonNullable<RetentionEntry['deletion']>;

/**
 * What exports leave behind (files, bucket objects, copies of tables) and whether the code ever
 * deletes them: an unlink/rm or a purge in the same job, else in the same file; a TTL or
 * lifecycle; for a table copy, a DROP/TRUNCATE/DELETE of it anywhere in the project.
 */
export function retentionOf(input: InventoryInput, exports: readonly ExportRecord[], ids: Ids): RetentionEntry[] {
  const known = inventoryKnowledge(input.project.config);
  const out: RetentionEntry[] = [];
  for (const record of exports) {
    const { destination } = record.entry;
    if (destination.kind !== 'file' && destination.kind !== 'bucket' && destination.kind !== 'table') continue;
    const target = destination.target ?? '(computed at run time)';
    const deletion = destination.kind === 'table'
      ? tableDeletion(input, target, record.file)
      : record.node && !record.statement?.origin.startsWith('sql') ? codeDeletion(input, record, known) : sqlFileDeletion(input, record.file, known);
    out.push({
      id: ids.next('retention', target.split('/').pop() ?? target),
      exportId: record.entry.id,
      kind: destination.kind,
      target,
      public: destination.public,
      categories: sortCategories(record.entry.personalColumns.filter((c) => c.special).map((c) => c.category)),
      deleted: deletion !== undefined,
      ...(deletion ? { deletion } : {}),
      location: record.entry.location,
    });
  }
  return out;
}

/** A deletion call, TTL or SQL purge in the export's function, else anywhere in its file. */
function codeDeletion(input: InventoryInput, record: ExportRecord, known: InventoryKnowledge): Deletion | undefined {
  const view = input.project.file(record.file);
  if (!view?.ts || !record.node) return undefined;
  const fn = enclosingFunction(record.node);
  const statements = sqlStatementsOf(view, input.project.facts);
  if (fn) {
    const found = deletionIn(fn, view.ts, statements, known);
    if (found) return { how: found.how, scope: 'function', location: input.locate(record.file, found.at) };
  }
  const found = deletionIn(view.ts, view.ts, statements, known);
  return found ? { how: found.how, scope: 'file', location: input.locate(record.file, found.at) } : undefined;
}

function deletionIn(scope: ts.Node, source: ts.SourceFile, statements: SqlStatement[], known: InventoryKnowledge): { how: string; at: number } | undefined {
  const calls = new Set(known.deleteCalls);
  const ttl = new Set(known.ttlWords.map((w) => w.toLowerCase()));
  let found: { how: string; at: number } | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
      if (calls.has(name)) {
        found = { how: callee.getText(source).replace(/\s+/g, ''), at: node.getStart(source) };
        return;
      }
    }
    if ((ts.isIdentifier(node) || ts.isStringLiteral(node)) && ttl.has(node.text.toLowerCase()) && !ts.isImportSpecifier(node.parent)) {
      found = { how: `a TTL (${node.text})`, at: node.getStart(source) };
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  const start = scope === source ? 0 : scope.getStart(source);
  const purge = statements.find((s) => s.start >= start && s.end <= scope.end && isPurge(s));
  if (purge && (!found || purge.start < found.at)) return { how: purgeText(purge), at: purge.start };
  return found;
}

function isPurge(s: SqlStatement): boolean {
  const first = s.tokens[0]?.value.toUpperCase();
  return s.kind === 'delete' || first === 'TRUNCATE' || (first === 'DROP' && s.tokens[1]?.value.toUpperCase() === 'TABLE');
}

function purgeText(s: SqlStatement): string {
  const at = purgeNameAt(s);
  const name = dottedName(s.tokens, at)?.name ?? '';
  return [...s.tokens.slice(0, at).map((t) => t.value.toUpperCase()), name].join(' ').trim();
}

/** A SQL job (psql script) that writes a file: a shell `rm` of the job itself. */
function sqlFileDeletion(input: InventoryInput, file: string, known: InventoryKnowledge): Deletion | undefined {
  const text = input.project.file(file)?.text ?? '';
  for (const source of known.sqlFileDeletion) {
    let pattern: RegExp;
    try {
      pattern = new RegExp(source, 'i');
    } catch {
      continue;
    }
    const m = pattern.exec(text);
    if (m) return { how: m[0].trim(), scope: 'file', location: input.locate(file, m.index) };
  }
  return undefined;
}

/** A copy of a table is deleted by a DROP TABLE / TRUNCATE / DELETE FROM of it somewhere in the project. */
function tableDeletion(input: InventoryInput, table: string, exportFile: string): Deletion | undefined {
  const key = tableKey(table);
  let best: { file: string; statement: SqlStatement } | undefined;
  for (const path of input.project.analysedPaths().sort()) {
    const view = input.project.file(path);
    if (!view) continue;
    for (const s of sqlStatementsOf(view, input.project.facts)) {
      if (!isPurge(s)) continue;
      const purged = purgedTable(s);
      if (!purged || (table.includes('.') ? bareName(purged) !== bareName(table) : tableKey(purged) !== key)) continue;
      if (!best || (path === exportFile && best.file !== exportFile)) best = { file: path, statement: s };
    }
  }
  if (!best) return undefined;
  const location: Location = input.locate(best.file, best.statement.start);
  return { how: purgeText(best.statement), scope: best.file === exportFile ? 'file' : 'project', location };
}

/** The table a DROP TABLE [IF EXISTS] / TRUNCATE [TABLE] / DELETE FROM names. */
function purgedTable(s: SqlStatement): string | undefined {
  return dottedName(s.tokens, purgeNameAt(s))?.name;
}

function purgeNameAt(s: SqlStatement): number {
  let k = 1;
  const word = (i: number) => s.tokens[i]?.value.toUpperCase();
  if (word(k) === 'TABLE' || word(k) === 'FROM') k++;
  if (word(k) === 'IF' && word(k + 1) === 'EXISTS') k += 2;
  return k;
}

/** `"archive".Resultats` -> `archive.resultats`: schema kept, quotes dropped. */
function bareName(name: string): string {
  return name.replace(/["`[\]]/g, '').toLowerCase();
}

function enclosingFunction(node: ts.Node): ts.Node | undefined {
  let fn: ts.Node | undefined;
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n)) {
      fn = n;
      // A callback (`rows.forEach(r => ...)`) belongs to the job around it.
      if (!((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && isIterationCallback(n.parent))) return fn;
    }
  }
  return fn;
}

function isIterationCallback(call: ts.Node): boolean {
  return ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && /^(then|catch|finally|map|forEach|filter|flatMap|reduce|each|on)$/.test(call.expression.name.text);
}
