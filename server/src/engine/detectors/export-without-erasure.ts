import ts from 'typescript';
import type { Detector, DetectorContext } from '../detector.js';
import { describeData, readRelated, severityOf, suppression, writeRelated } from '../exports/describe.js';
import { callersOf, erasureOf, pathParameter } from '../exports/erasure.js';
import { carriesPersonalData, exportFactsOf, isExportOutput, type ExportFact } from '../exports/facts.js';
import { unwrap } from '../syntax/ast.js';
import type { Fix, RelatedLocation, TextEdit } from '../types.js';
import { importFor } from '../edits/import-sources.js';

const RULE = 'export-without-erasure';

/**
 * `export-without-erasure`: an export or migration output of personal data (a file, a bucket
 * object, a copy of a table) that nothing deletes: no unlink/rm, TTL or lifecycle in the job, its
 * callers or its file, no purge, drop or rename of the copy, no cleanup that names it anywhere in
 * the project, and no `retention:` declared for it (Art. 5(1)(e), 17, 28(3)(g)).
 */
export const exportWithoutErasure: Detector = {
  ruleId: RULE,
  languages: ['sql', 'typescript', 'javascript'],
  check(ctx) {
    for (const fact of exportFactsOf(ctx)) {
      ctx.tick();
      // A write of health data to a public place is export-to-public-location's; here, what exports leave behind.
      if (fact.origin !== 'query' || !isExportOutput(fact, ctx.config) || !carriesPersonalData(fact)) continue;
      if (erasureOf(fact, ctx)) continue;
      // A path the caller passes: without a caller in the project, where the file lands and what becomes of it is not known.
      if (pathParameter(fact) && callersOf(fact.job, ctx).length === 0) continue;
      report(ctx, fact);
    }
  },
};

function report(ctx: DetectorContext, fact: ExportFact): void {
  const range = fact.anchor;
  const d = fact.destination;
  const where = fact.job === ctx.file.path ? ctx.file.path : `${fact.job} (${ctx.file.path})`;
  const target = d.target ?? 'a path computed at run time';
  const inCode = !!(fact.node && ctx.file.ts);
  const fixes: Fix[] = [...finallyFix(ctx, fact), suppression(ctx, range, RULE)];
  // A suppression is never the preferred fix: only a change of the code is.
  if (fixes.length > 1) fixes[0] = { ...fixes[0]!, isPreferred: true };
  const related = [...readRelated(fact, ctx, range), ...writeRelated(fact, ctx), ...leftRelated(fact, ctx)];
  ctx.report({
    range,
    // Where the deletion goes: a finally block of the job in code, a step after the transfer in a script.
    messageId:
      d.kind === 'table'
        ? 'table-copy'
        : d.kind === 'bucket'
          ? inCode
            ? 'bucket-object'
            : 'bucket-object-of-script'
          : inCode
            ? 'file'
            : 'file-of-script',
    args: { data: describeData(fact), target, where, via: String(d.via) },
    severity: severityOf(fact),
    fixes,
    ...(related.length > 0 ? { related } : {}),
    data: {
      destination: d.kind,
      ...(d.target ? { target: d.target } : {}),
      tables: fact.tables,
      categories: fact.categories,
      job: fact.job,
    },
  });
}

/** Where the output is left: the end of the job that writes it (nothing after the write deletes it). */
function leftRelated(fact: ExportFact, ctx: DetectorContext): RelatedLocation[] {
  const source = ctx.file.ts;
  if (!source || !fact.node || fact.node.getSourceFile() !== source) return [];
  for (let n: ts.Node | undefined = fact.node.parent; n; n = n.parent) {
    if (
      (ts.isFunctionDeclaration(n) ||
        ts.isMethodDeclaration(n) ||
        ts.isArrowFunction(n) ||
        ts.isFunctionExpression(n)) &&
      n.body &&
      ts.isBlock(n.body)
    ) {
      const close = n.body.end - 1;
      return [
        {
          file: ctx.file.path,
          range: { start: close, end: n.body.end },
          message: `${fact.job} ends here and leaves the output behind`,
        },
      ];
    }
  }
  return [];
}

/**
 * Wraps the rest of the job, from the write on, in `try { ... } finally { await rm(path, { force: true }) }`
 * when the path is a name or a literal the `finally` block can repeat (not `Date.now()`), adding
 * the import of `rm` when the file does not have it.
 */
function finallyFix(ctx: DetectorContext, fact: ExportFact): Fix[] {
  const source = ctx.file.ts;
  const node = fact.node;
  if (
    !source ||
    !node ||
    fact.destination.kind !== 'file' ||
    !ts.isCallExpression(node) ||
    node.getSourceFile() !== source
  )
    return [];
  // XLSX.writeFile(workbook, path): the workbook first.
  const workbookFirst = /^(XLSX|xlsx)\.writeFile(Sync|XLSX)?$/.test(
    node.expression.getText(source).replace(/\s+/g, ''),
  );
  const pathArg = node.arguments[workbookFirst ? 1 : 0];
  if (!pathArg || !repeatable(pathArg)) return [];
  let statement: ts.Node = node;
  while (statement.parent && !ts.isBlock(statement.parent)) statement = statement.parent;
  const block = statement.parent;
  if (!block || !ts.isBlock(block) || !ts.isFunctionLike(block.parent) || !ts.isStatement(statement)) return [];
  const fn = block.parent as ts.FunctionLikeDeclaration;
  const rest = block.statements.slice(block.statements.indexOf(statement));
  if (handedOnLater(pathArg, node, rest)) return [];
  const isAsync = (ts.getCombinedModifierFlags(fn) & ts.ModifierFlags.Async) !== 0;
  const text = ctx.file.text;
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const lineStart = text.lastIndexOf('\n', statement.getStart(source) - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const step = indent.length >= 2 && indent.startsWith('\t') ? '\t' : '  ';
  const lastStatement = block.statements[block.statements.length - 1]!;
  const body = text.slice(lineStart, lastStatement.end);
  const remover = ensureRemover(ctx, source, isAsync);
  if (!remover) return [];
  const call = isAsync
    ? `await ${remover.name}(${pathArg.getText(source)}, { force: true });`
    : `${remover.name}(${pathArg.getText(source)}, { force: true });`;
  const wrapped = `${indent}try {${newline}${body
    .split(/\r?\n/)
    .map((l) => (l.trim() === '' ? l : step + l))
    .join(newline)}${newline}${indent}} finally {${newline}${indent}${step}${call}${newline}${indent}}`;
  return [
    {
      title: `Delete ${pathArg.getText(source)} in a finally block once it is handed over`,
      edits: [...remover.edits, { start: lineStart, end: lastStatement.end, newText: wrapped }],
    },
  ];
}

/**
 * Would a `finally` deletion pull the file from under someone? It would when the path leaves the
 * job (returned, stored, captured by a callback) or goes to a call nobody awaits
 * (`res.download(file)` streams after the function has returned). Only awaited and `*Sync` uses
 * are over when the block ends.
 */
function handedOnLater(pathArg: ts.Expression, write: ts.Node, statements: readonly ts.Statement[]): boolean {
  const path = unwrap(pathArg).getText().replace(/\s+/g, '');
  let later = false;
  const visit = (n: ts.Node): void => {
    if (later || n === write) return;
    if (
      (ts.isIdentifier(n) || ts.isPropertyAccessExpression(n)) &&
      n.getText().replace(/\s+/g, '') === path &&
      !isDeclaredName(n)
    ) {
      later = !overWhenBlockEnds(n);
      return;
    }
    ts.forEachChild(n, visit);
  };
  statements.forEach(visit);
  return later;
}

function isDeclaredName(n: ts.Node): boolean {
  return ts.isVariableDeclaration(n.parent) && n.parent.name === n;
}

/** A use of the path that is finished when its statement is: an argument of an awaited or synchronous call. */
function overWhenBlockEnds(use: ts.Node): boolean {
  let n: ts.Node = use;
  while (
    ts.isTemplateSpan(n.parent) ||
    ts.isTemplateExpression(n.parent) ||
    ts.isParenthesizedExpression(n.parent) ||
    (ts.isCallExpression(n.parent) &&
      n.parent.arguments.includes(n as ts.Expression) &&
      /(^|\.)(join|resolve|basename|dirname)$/.test(n.parent.expression.getText()))
  )
    n = n.parent;
  const call = n.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(n as ts.Expression)) return false;
  const name = call.expression.getText().replace(/\s+/g, '');
  return ts.isAwaitExpression(call.parent) || /Sync$/.test(name);
}

/** A path the `finally` block can evaluate again: names, property reads and literals, not calls (`Date.now()`). */
function repeatable(expr: ts.Expression): boolean {
  let ok = true;
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) || ts.isNewExpression(n) || ts.isAwaitExpression(n)) {
      const callee = ts.isCallExpression(n) ? n.expression.getText().replace(/\s+/g, '') : '';
      if (ts.isCallExpression(n) && /(^|\.)(join|resolve)$/.test(callee)) {
        n.arguments.forEach(visit);
        return;
      }
      ok = false;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(unwrap(expr));
  return ok;
}

/** The name of `rm` (or `rmSync`) in scope, and the import to add when the file does not import it. */
function ensureRemover(
  ctx: DetectorContext,
  source: ts.SourceFile,
  isAsync: boolean,
): { name: string; edits: TextEdit[] } | undefined {
  const wanted = isAsync ? 'rm' : 'rmSync';
  const module = isAsync ? /^(node:)?fs\/promises$/ : /^(node:)?fs$/;
  let specifier: string | undefined;
  for (const s of source.statements) {
    if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier) || !module.test(s.moduleSpecifier.text))
      continue;
    specifier ??= s.moduleSpecifier.text;
    const named = s.importClause?.namedBindings;
    if (named && ts.isNamedImports(named)) {
      const found = named.elements.find((e) => (e.propertyName ?? e.name).text === wanted);
      if (found) return { name: found.name.text, edits: [] };
    }
  }
  if (/\b(rm|rmSync)\b/.test(source.text.replace(/\.\s*(rm|rmSync)\b/g, ''))) return undefined; // the name is taken by something else
  // Written by TypeScript's import fix: into the file's import of the module when it has one.
  const edits = importFor(ctx.project, ctx.file.path, wanted, {
    kind: 'package',
    module: specifier ?? (isAsync ? 'node:fs/promises' : 'node:fs'),
  });
  return edits ? { name: wanted, edits } : undefined;
}
