import ts from 'typescript';
import type { DetectorContext, FileView } from '../detector.js';
import type { ProjectFacts } from '../facts.js';
import { globToRegExp } from '../custom/glob.js';
import { qualifiedNameAt } from '../sql/analysis.js';
import { sqlStatementsOf } from '../sql/index.js';
import { tableKey } from '../schema.js';
import type { SqlStatement } from '../sql/types.js';
import { calledName, propertyValueMatching, unwrap } from '../syntax/ast.js';
import { callsOf } from '../syntax/node-index.js';
import type { Range } from '../types.js';
import type { ExportFact } from './facts.js';
import { exportKnowledge, type ExportKnowledge } from './knowledge.js';
import { contextOf } from './served.js';
import { staticText } from './static-text.js';
import type { ErasureFact } from './erasure-index.js';

/** How an export output stops existing, and where the code (or the configuration) says so. */
interface Erasure {
  /** `unlink`, `DROP TABLE patients_bak`, `a TTL (expireAfterSeconds)`, `retention: Art. 6(1)(c) ...`. */
  how: string;
  /**
   * `function`: in the job itself; `caller`: in a function that calls the job; `file`: elsewhere
   * in the job's file; `project`: a cleanup that names the output elsewhere; `config`: a retention
   * the team declares; `session`: a temporary table.
   */
  scope: 'function' | 'caller' | 'file' | 'project' | 'config' | 'session';
  /** Where it is (absent for `config` and `session`). */
  file?: string;
  range?: Range;
}

/**
 * The deletions a file makes: table purges, drops and renames (SQL files and SQL in code),
 * file deletion calls with the path they name, bucket object deletions and lifecycle rules with
 * the bucket, shell `rm` lines of SQL jobs.
 */
export function collectErasures(view: FileView, facts: ProjectFacts): ErasureFact[] {
  const known = exportKnowledge(facts.config);
  const out: ErasureFact[] = [];
  for (const s of sqlStatementsOf(view, facts)) {
    const table = purgedTable(s) ?? renamedTable(s);
    if (table)
      out.push({
        kind: 'table',
        name: table,
        how: purgeText(s),
        file: view.path,
        range: { start: s.start, end: s.end },
      });
  }
  if (view.language === 'sql') {
    for (const hit of sqlShellDeletions(view.text, known))
      out.push({ kind: 'path', name: hit.path, how: hit.how, file: view.path, range: hit.range });
  }
  if (view.ts) {
    const source = view.ts;
    const calls = new Set(known.deleteCalls);
    const ttl = new Set(known.ttlWords.map((w) => w.toLowerCase()));
    let ctx: DetectorContext | undefined;
    for (const call of callsOf(source)) {
      const name = calledName(call.expression);
      const deletes = calls.has(name);
      const expires = ttl.has(name.toLowerCase());
      if (!deletes && !expires) continue;
      ctx ??= contextOf(view.path, source, facts);
      const range = { start: call.getStart(source), end: call.end };
      const how = call.expression.getText(source).replace(/\s+/g, '');
      const args = call.arguments ?? [];
      const bucket = args.map((a) => propertyValueMatching(unwrap(a), /^bucket(name)?$/i)).find((v) => v !== undefined);
      if (bucket)
        out.push({
          kind: 'bucket',
          name: staticText(bucket, ctx, 0, true),
          how: expires ? `a lifecycle rule (${name})` : how,
          file: view.path,
          range,
        });
      else if (deletes && args[0])
        out.push({ kind: 'path', name: staticText(args[0], ctx, 0, true), how, file: view.path, range });
    }
  }
  return out;
}

/**
 * Whether the code, its configuration or the database deletes an export's output: for a table
 * copy, a temporary table, or a DROP/TRUNCATE/DELETE FROM/rename of it in the same file or
 * anywhere in the project; for a file or bucket object, a deletion call or TTL in the job, in a
 * function that calls the job, elsewhere in the same file, or a deletion elsewhere that names the
 * same path, folder or bucket; for any output, a `retention:` rule of the configuration.
 */
export function erasureOf(fact: ExportFact, ctx: DetectorContext): Erasure | undefined {
  const known = exportKnowledge(ctx.config);
  const { destination } = fact;
  const target = destination.target;
  const configured = target ? declaredRetention(target, ctx) : undefined;
  if (destination.kind === 'table') {
    if (fact.temporary) return { how: 'a temporary table (dropped with the session)', scope: 'session' };
    if (!target) return configured;
    return tableErasure(target, fact.file, ctx) ?? configured;
  }
  const view = ctx.file;
  if (fact.node && view.ts && fact.sql?.origin !== 'sql-file') {
    const found = codeErasure(fact.node, view, ctx, known);
    if (found) return found;
  } else if (view.language === 'sql') {
    const hit = sqlShellDeletions(view.text, known)[0];
    if (hit) return { how: hit.how, scope: 'file', file: view.path, range: hit.range };
  }
  if (target) {
    const named = ctx.project.erasures
      .all()
      .find((e) =>
        destination.kind === 'bucket'
          ? e.kind === 'bucket' && sameText(e.name, target)
          : e.kind === 'path' && namesPath(e.name, target),
      );
    if (named)
      return {
        how: named.how,
        scope: named.file === fact.file ? 'file' : 'project',
        file: named.file,
        range: named.range,
      };
  }
  return configured;
}

/** A `retention:` rule of the configuration whose glob matches the output. */
function declaredRetention(target: string, ctx: DetectorContext): Erasure | undefined {
  for (const rule of ctx.config.retention ?? []) {
    let matches = false;
    try {
      matches = globToRegExp(rule.path, '/', 'i').test(target.replace(/\\/g, '/'));
    } catch {
      matches = false;
    }
    if (matches)
      return {
        how: `retention declared in the configuration (${rule.path}${rule.period ? `, ${rule.period}` : ''}: ${rule.basis})`,
        scope: 'config',
      };
  }
  return undefined;
}

function tableErasure(table: string, exportFile: string, ctx: DetectorContext): Erasure | undefined {
  let best: ErasureFact | undefined;
  for (const e of ctx.project.erasures.all()) {
    if (e.kind !== 'table' || !sameTable(e.name, table)) continue;
    if (!best || (e.file === exportFile && best.file !== exportFile)) best = e;
  }
  if (!best) return undefined;
  return { how: best.how, scope: best.file === exportFile ? 'file' : 'project', file: best.file, range: best.range };
}

/** Does a purge of `purged` remove the copy `table`? A schema-qualified copy only by its full name (`archive.patients` is not `public.patients`). */
function sameTable(purged: string, table: string): boolean {
  const bare = (n: string) => n.replace(/["`[\]]/g, '').toLowerCase();
  return table.includes('.') ? bare(purged) === bare(table) : tableKey(purged) === tableKey(table);
}

function sameText(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * A deletion names an output's path when it is the same path, a folder above it, or a path in the
 * same folder (`unlink(join(EXPORT_DIR, f))` in a cleanup loop). A folder that is only a run-time
 * value (`{dir}`) names nothing.
 */
function namesPath(deleted: string, target: string): boolean {
  const norm = (p: string) => p.replace(/\\/g, '/').replace(/\/+$/, '');
  const d = norm(deleted);
  const t = norm(target);
  if (!d || /^\{[^}]*\}$/.test(d)) return false;
  if (d === t || t.startsWith(`${d}/`)) return !/^(\/|\/tmp|\/var|\/srv|\/home|\.)$/.test(d);
  const folder = (p: string) => p.slice(0, Math.max(p.lastIndexOf('/'), 0));
  const df = folder(d);
  return df !== '' && df === folder(t) && !/^\{[^}]*\}$/.test(df) && df !== '/tmp';
}

/** A deletion call, TTL or lifecycle in the export's job, in a function calling the job, else anywhere in its file. */
function codeErasure(node: ts.Node, view: FileView, ctx: DetectorContext, known: ExportKnowledge): Erasure | undefined {
  const source = view.ts!;
  const fn = enclosingJob(node);
  if (fn) {
    const found = deletionIn(fn, source, known);
    if (found) return { ...found, scope: 'function', file: view.path };
    const name = functionName(fn);
    if (name) {
      const caller = callerDeletion(name, ctx, known);
      if (caller) return caller;
    }
  }
  const found = fileDeletion(source, known);
  return found ? { ...found, scope: 'file', file: view.path } : undefined;
}

const fileDeletions = new WeakMap<ts.SourceFile, WeakMap<ExportKnowledge, { how: string; range: Range } | null>>();

/** A deletion anywhere in the file: one walk per file version, however many exports it holds. */
function fileDeletion(source: ts.SourceFile, known: ExportKnowledge): { how: string; range: Range } | undefined {
  let byKnowledge = fileDeletions.get(source);
  if (!byKnowledge) fileDeletions.set(source, (byKnowledge = new WeakMap()));
  let found = byKnowledge.get(known);
  if (found === undefined) byKnowledge.set(known, (found = deletionIn(source, source, known) ?? null));
  return found ?? undefined;
}

function deletionIn(
  scope: ts.Node,
  source: ts.SourceFile,
  known: ExportKnowledge,
): { how: string; range: Range } | undefined {
  const calls = new Set(known.deleteCalls);
  const ttl = new Set(known.ttlWords.map((w) => w.toLowerCase()));
  let found: { how: string; range: Range } | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && calls.has(calledName(node.expression))) {
      found = {
        how: node.expression.getText(source).replace(/\s+/g, ''),
        range: { start: node.getStart(source), end: node.end },
      };
      return;
    }
    if (
      (ts.isIdentifier(node) || ts.isStringLiteral(node)) &&
      ttl.has(node.text.toLowerCase()) &&
      !ts.isImportSpecifier(node.parent)
    ) {
      found = { how: `a TTL (${node.text})`, range: { start: node.getStart(source), end: node.end } };
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return found;
}

/** A function of the project that calls the job (by name) and deletes something: the job returns its file for the caller to send and remove. */
function callerDeletion(
  name: string,
  ctx: DetectorContext,
  known: ExportKnowledge,
  depth = 0,
  seen = new Set<string>([name]),
): Erasure | undefined {
  for (const { call, file } of callersOf(name, ctx)) {
    const fn = enclosingJob(call);
    if (!fn) continue;
    const found = deletionIn(fn, call.getSourceFile(), known);
    if (found) return { ...found, scope: 'caller', file };
    // `return saveWorkbook(tabs)`: the caller hands the file on to its own callers (a route that sends it and removes it).
    const outer = functionName(fn);
    if (depth < 2 && outer && !seen.has(outer) && returnsResultOf(fn, call)) {
      seen.add(outer);
      const above = callerDeletion(outer, ctx, known, depth + 1, seen);
      if (above) return above;
    }
  }
  return undefined;
}

/** Does the function return what `call` returns (`return job()`, `const f = await job(); ... return f`)? */
function returnsResultOf(fn: ts.FunctionLikeDeclaration, call: ts.CallExpression): boolean {
  let p: ts.Node = call.parent;
  while (ts.isAwaitExpression(p) || ts.isParenthesizedExpression(p)) p = p.parent;
  if (ts.isReturnStatement(p) || (ts.isArrowFunction(p) && p.body !== undefined && !ts.isBlock(p.body))) return true;
  if (!ts.isVariableDeclaration(p) || !ts.isIdentifier(p.name) || !fn.body) return false;
  const name = p.name.text;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (
      ts.isReturnStatement(n) &&
      n.expression &&
      ts.isIdentifier(unwrap(n.expression)) &&
      (unwrap(n.expression) as ts.Identifier).text === name
    )
      found = true;
    else ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return found;
}

/** The calls of a function (by its last name) in the project's production code. */
export function callersOf(name: string, ctx: DetectorContext): { call: ts.CallExpression; file: string }[] {
  const facts = ctx.project;
  const callName = name.split('.').pop()!;
  const out: { call: ts.CallExpression; file: string }[] = [];
  for (const path of callerIndex(facts).get(callName) ?? []) {
    const source = facts.ts.sourceFile(path);
    if (!source || !source.text.includes(callName)) continue;
    ctx.tick();
    for (const call of callsOf(source)) {
      ctx.tick();
      if (ts.isCallExpression(call) && calledName(call.expression) === callName) out.push({ call, file: path });
    }
  }
  return out;
}

/**
 * The in-scope files that call each name (a call's last name), in project order: built once per
 * project version from each file's call names (kept per file until it changes), so that looking
 * for a job's callers does not read every file of the project for every export.
 */
function callerIndex(facts: ProjectFacts): Map<string, string[]> {
  const index = facts.index<{ version: number; files: Map<string, string[]> }>('erasure:callers', () => ({
    version: -1,
    files: new Map(),
  }));
  if (index.version === facts.ts.version) return index.files;
  const files = new Map<string, string[]>();
  for (const path of facts.ts.paths()) {
    if (!facts.inScope(path)) continue;
    const names = facts.memo(path, 'erasure:call-names', () => {
      const source = facts.ts.sourceFile(path);
      const found = new Set<string>();
      if (source)
        for (const call of callsOf(source)) if (ts.isCallExpression(call)) found.add(calledName(call.expression));
      return found;
    });
    for (const name of names) {
      const list = files.get(name);
      if (list) list.push(path);
      else files.set(name, [path]);
    }
  }
  // (A file the parser gives up on leaves the project and changes its version: read it after the walk.)
  index.version = facts.ts.version;
  index.files = files;
  return files;
}

/**
 * The parameter of the job the output's path starts with (`{dir}/specimens.json` written by
 * `dump(dir)`): where it lands, and what happens to it, is the caller's business.
 */
export function pathParameter(fact: ExportFact): string | undefined {
  const root = /^\{([A-Za-z_$][\w$]*)/.exec(fact.destination.target ?? '')?.[1];
  const fn = fact.node ? enclosingJob(fact.node) : undefined;
  if (!root || !fn) return undefined;
  const names = new Set<string>();
  const bind = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
  };
  for (const parameter of fn.parameters) bind(parameter.name);
  return names.has(root) ? root : undefined;
}

/** The function that runs the job; a callback (`rows.forEach(r => ...)`, `.then(...)`) belongs to the job around it. */
function enclosingJob(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  let fn: ts.FunctionLikeDeclaration | undefined;
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (
      ts.isFunctionDeclaration(n) ||
      ts.isMethodDeclaration(n) ||
      ts.isFunctionExpression(n) ||
      ts.isArrowFunction(n)
    ) {
      fn = n;
      if (!((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && isIterationCallback(n.parent))) return fn;
    }
  }
  return fn;
}

function functionName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name))
    return fn.name.text;
  const parent = fn.parent;
  if (
    (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) &&
    ts.isIdentifier(parent.name)
  )
    return parent.name.text;
  return undefined;
}

function isIterationCallback(call: ts.Node): boolean {
  return (
    ts.isCallExpression(call) &&
    ts.isPropertyAccessExpression(call.expression) &&
    /^(then|catch|finally|map|forEach|filter|flatMap|reduce|each|on)$/.test(call.expression.name.text)
  );
}

/** Shell lines of a SQL job that delete a file (`\! rm /tmp/p.csv`), with the path they name. */
function sqlShellDeletions(text: string, known: ExportKnowledge): { how: string; path: string; range: Range }[] {
  const out: { how: string; path: string; range: Range }[] = [];
  for (const source of known.sqlFileDeletion) {
    let pattern: RegExp;
    try {
      pattern = new RegExp(source, 'gi');
    } catch {
      continue;
    }
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      if (m[0].length === 0) {
        pattern.lastIndex++;
        continue;
      }
      const rest = text.slice(m.index + m[0].length).split(/\r?\n/)[0] ?? '';
      const path = /^[\s(N']*(?:-\w+\s+)*['"]?([^\s'"),;]+)/.exec(rest)?.[1] ?? '';
      out.push({ how: m[0].trim(), path, range: { start: m.index, end: m.index + m[0].length } });
    }
  }
  return out.sort((a, b) => a.range.start - b.range.start);
}

function isPurge(s: SqlStatement): boolean {
  const first = s.tokens[0]?.value.toUpperCase();
  return (
    s.kind === 'delete' || first === 'TRUNCATE' || (first === 'DROP' && s.tokens[1]?.value.toUpperCase() === 'TABLE')
  );
}

/** The table a DROP TABLE [IF EXISTS] / TRUNCATE [TABLE] / DELETE FROM names. */
function purgedTable(s: SqlStatement): string | undefined {
  return isPurge(s) ? qualifiedNameAt(s.tokens, purgeNameAt(s))?.name : undefined;
}

/** `ALTER TABLE copy RENAME TO live`, `RENAME TABLE copy TO live`, `EXEC sp_rename 'copy', 'live'`: the copy becomes the live table. */
function renamedTable(s: SqlStatement): string | undefined {
  const t = s.tokens;
  const word = (i: number) => t[i]?.value.toUpperCase();
  if (word(0) === 'ALTER' && word(1) === 'TABLE') {
    let k = 2;
    if (word(k) === 'IF' && word(k + 1) === 'EXISTS') k += 2;
    const name = qualifiedNameAt(t, k);
    if (name && word(name.last + 1) === 'RENAME' && word(name.last + 2) === 'TO') return name.name;
  }
  if (word(0) === 'RENAME' && word(1) === 'TABLE') return qualifiedNameAt(t, 2)?.name;
  const sp = t.findIndex((x) => /^sp_rename$/i.test(x.value));
  if (sp >= 0 && t[sp + 1]?.kind === 'string') return t[sp + 1]!.value;
  return undefined;
}

function purgeText(s: SqlStatement): string {
  if (!isPurge(s)) return `${renamedTable(s) ?? 'the copy'} renamed (it becomes a live table)`;
  const at = purgeNameAt(s);
  const name = qualifiedNameAt(s.tokens, at)?.name ?? '';
  return [...s.tokens.slice(0, at).map((t) => t.value.toUpperCase()), name].join(' ').trim();
}

function purgeNameAt(s: SqlStatement): number {
  let k = 1;
  const word = (i: number) => s.tokens[i]?.value.toUpperCase();
  if (word(k) === 'TABLE' || word(k) === 'FROM') k++;
  if (word(k) === 'IF' && word(k + 1) === 'EXISTS') k += 2;
  return k;
}
