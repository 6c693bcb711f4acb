import ts from 'typescript';
import type { DetectorContext } from '../detector.js';
import { MINIMAL_LIB } from '../minimal-lib.js';
import { TsProject } from '../ts-project.js';
import { nodesOfKind } from '../syntax/node-index.js';
import { forEachBoundName } from '../syntax/ast.js';

/**
 * Syntactic stand-ins for the checker's `getSymbolAtLocation(id).declarations[0]`, answered only
 * when the syntax leaves no doubt; `undefined` means "ask the checker". Lets an edit be
 * re-analysed without creating a checker over the whole program.
 */

/** What a value reference (`knownExpression`: the caller knows `id` is one) binds to: a declaration, `null` for nothing the checker knows, `undefined` to ask the checker. */
export function lexicalDeclaration(
  id: ts.Identifier,
  ctx: DetectorContext,
  knownExpression = false,
): ts.Declaration | null | undefined {
  const parent = id.parent;
  const inValuePosition =
    knownExpression ||
    ((ts.isPropertyAccessExpression(parent) ||
      ts.isElementAccessExpression(parent) ||
      ts.isCallExpression(parent) ||
      ts.isNewExpression(parent)) &&
      parent.expression === id);
  if (!inValuePosition) return undefined;
  const sf = id.getSourceFile();
  const name = id.text;
  if (SPECIAL_NAMES.has(name) || hoistedNames(sf, ctx).has(name)) return undefined;
  for (let n: ts.Node = parent; ; n = n.parent) {
    if (ts.isModuleBlock(n) || ts.isEnumDeclaration(n)) return undefined;
    const all = declarationsIn(n, name);
    if (all.some(ts.isModuleDeclaration)) return undefined;
    // A value reference skips types (`interface X` in a scope does not hide an outer `const X`); a merge of both is the checker's.
    const found = all.filter((d) => !ts.isInterfaceDeclaration(d) && !ts.isTypeAliasDeclaration(d));
    if (found.length > 1 || (found.length === 1 && all.length > 1)) return undefined;
    // A script's top-level names merge with every other script's: only a module's are its own.
    if (found.length === 1) return ts.isSourceFile(n) && !isModuleFile(sf) ? undefined : found[0];
    if (ts.isSourceFile(n)) return isModuleFile(sf) ? globalDeclaration(name, ctx) : undefined;
  }
}

const SPECIAL_NAMES = new Set(['undefined', 'globalThis', 'arguments', 'module', 'exports', 'eval']);
let libFile: ts.SourceFile | undefined;

/** A global from the engine's minimal lib, unless a project file may declare a global of that name. */
function globalDeclaration(name: string, ctx: DetectorContext): ts.Declaration | null | undefined {
  if (projectIndex(ctx).globals.has(name)) return undefined;
  libFile ??= ts.createSourceFile('/__gdpr_lint__/lib.d.ts', MINIMAL_LIB, ts.ScriptTarget.Latest, true);
  const all = declarationsIn(libFile, name);
  const values = all.filter((d) => !ts.isInterfaceDeclaration(d) && !ts.isTypeAliasDeclaration(d));
  // The lib's `interface Map` and `declare var Map` are one symbol: its first declaration in source order is the checker's.
  return values.length === 0 ? null : (all[0] ?? null);
}

/**
 * Whether an import of `from` may resolve to something the checker would follow: a project file
 * (found by the Program's own resolution) or, for a package name, an ambient `declare module`.
 * When it resolves to nothing, the checker types what it imports as `any`.
 */
export function importMayResolve(specifier: string, from: ts.SourceFile, ctx: DetectorContext): boolean {
  if (resolvedImport(specifier, from, ctx) !== undefined) return true;
  if (/^\.\.?(\/|$)/.test(specifier) || specifier.startsWith('/')) return false;
  return projectIndex(ctx).ambientModules;
}

/** The project file an import of `from` resolves to (memoised per folder until the set of files changes). */
function resolvedImport(specifier: string, from: ts.SourceFile, ctx: DetectorContext): string | undefined {
  const fromPath = TsProject.relativePath(from.fileName);
  const dir = fromPath.includes('/') ? fromPath.slice(0, fromPath.lastIndexOf('/')) : '';
  const index = projectIndex(ctx);
  const key = `${dir}\0${specifier}`;
  if (index.modules.has(key)) return index.modules.get(key);
  const resolved = ctx.project.ts.resolveImport(specifier, fromPath);
  index.modules.set(key, resolved);
  return resolved;
}

interface ProjectIndex {
  version: number;
  filesVersion: number;
  paths: Set<string>;
  /** Names a project file may add to the global scope (a script's top level, `declare global`). */
  globals: Set<string>;
  ambientModules: boolean;
  /** The per-file parts the globals were built from: an edit that leaves every part unchanged reuses them. */
  parts: Map<string, GlobalPart>;
  /** Imports resolved against this set of files: `folder\0specifier` -> the project file the Program would load. */
  modules: Map<string, string | undefined>;
}

interface GlobalPart {
  globals: string[];
  ambientModules: boolean;
}

const indexes = new WeakMap<object, ProjectIndex>();

/** Rebuilt when the project changes, from per-file parts that are recomputed only for changed files. */
function projectIndex(ctx: DetectorContext): ProjectIndex {
  const project = ctx.project.ts;
  const known = indexes.get(project);
  if (known && known.version === project.version) return known;
  const sameFiles = known?.filesVersion === project.filesVersion;
  const paths = sameFiles ? known.paths : new Set(project.paths());
  const parts = new Map<string, GlobalPart>();
  let changed = !sameFiles;
  for (const path of paths) {
    const part = ctx.project.memo(path, 'sinks:global-names', () => globalPart(project.sourceFile(path)));
    parts.set(path, part);
    if (!changed && !samePart(known!.parts.get(path), part)) changed = true;
  }
  if (!changed) {
    known!.version = project.version;
    return known!;
  }
  const modules = sameFiles ? known.modules : new Map<string, string | undefined>();
  const index: ProjectIndex = {
    version: project.version,
    filesVersion: project.filesVersion,
    paths,
    parts,
    modules,
    globals: new Set(),
    ambientModules: false,
  };
  for (const part of parts.values()) {
    for (const n of part.globals) index.globals.add(n);
    if (part.ambientModules) index.ambientModules = true;
  }
  indexes.set(project, index);
  return index;
}

function samePart(a: GlobalPart | undefined, b: GlobalPart): boolean {
  return (
    a === b ||
    (a !== undefined &&
      a.ambientModules === b.ambientModules &&
      a.globals.length === b.globals.length &&
      a.globals.every((g, i) => g === b.globals[i]))
  );
}

function globalPart(sf: ts.SourceFile | undefined): GlobalPart {
  const globals: string[] = [];
  let ambientModules = false;
  if (!sf) return { globals, ambientModules };
  const add = (statements: readonly ts.Statement[]): void => {
    for (const s of statements) {
      if (ts.isVariableStatement(s))
        for (const d of s.declarationList.declarations) forEachBoundName(d.name, (id) => globals.push(id.text));
      else if (
        (ts.isFunctionDeclaration(s) ||
          ts.isClassDeclaration(s) ||
          ts.isInterfaceDeclaration(s) ||
          ts.isTypeAliasDeclaration(s) ||
          ts.isEnumDeclaration(s)) &&
        s.name
      )
        globals.push(s.name.text);
      else if (ts.isImportEqualsDeclaration(s)) globals.push(s.name.text);
    }
  };
  const script = !isModuleFile(sf);
  if (script) add(sf.statements);
  for (const s of sf.statements) {
    if (!ts.isModuleDeclaration(s)) continue;
    if (ts.isStringLiteral(s.name)) ambientModules = true;
    else if (s.name.text === 'global' && s.body && ts.isModuleBlock(s.body)) add(s.body.statements);
    else if (script) globals.push(s.name.text);
  }
  return { globals, ambientModules };
}

const moduleFiles = new WeakMap<ts.SourceFile, boolean>();

/**
 * Whether the file's top-level names are its own: an ES module, or a JavaScript file the binder
 * makes a CommonJS module (a `require(x)` call, an assignment to `module.exports` or `exports.x`).
 */
export function isModuleFile(sf: ts.SourceFile): boolean {
  if (ts.isExternalModule(sf)) return true;
  let known = moduleFiles.get(sf);
  if (known === undefined) {
    known =
      /\.[cm]?jsx?$/i.test(sf.fileName) &&
      nodesOfKind(sf, ts.SyntaxKind.CallExpression, ts.SyntaxKind.BinaryExpression).some(commonJsIndicator);
    moduleFiles.set(sf, known);
  }
  return known;
}

function commonJsIndicator(node: ts.Node): boolean {
  if (ts.isCallExpression(node))
    return ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments.length === 1;
  if (
    !ts.isBinaryExpression(node) ||
    node.operatorToken.kind !== ts.SyntaxKind.EqualsToken ||
    !ts.isPropertyAccessExpression(node.left)
  )
    return false;
  // module.exports = x; exports.a = x; module.exports.a = x
  let target: ts.Expression = node.left;
  const names: string[] = [];
  while (ts.isPropertyAccessExpression(target)) {
    names.unshift(target.name.text);
    target = target.expression;
  }
  if (!ts.isIdentifier(target)) return false;
  return target.text === 'exports'
    ? names.length === 1
    : target.text === 'module' && names[0] === 'exports' && names.length <= 2;
}

/** Names declared by `var` or by a function declaration nested in a block: their scope is not the block that holds them. */
function hoistedNames(sf: ts.SourceFile, ctx: DetectorContext): Set<string> {
  const compute = (): Set<string> => {
    const out = new Set<string>();
    for (const node of nodesOfKind(sf, ts.SyntaxKind.VariableDeclarationList, ts.SyntaxKind.FunctionDeclaration)) {
      if (ts.isVariableDeclarationList(node) && !(node.flags & ts.NodeFlags.BlockScoped)) {
        for (const d of node.declarations) forEachBoundName(d.name, (n) => out.add(n.text));
      } else if (
        ts.isFunctionDeclaration(node) &&
        node.name &&
        !ts.isSourceFile(node.parent) &&
        !(ts.isBlock(node.parent) && ts.isFunctionLike(node.parent.parent))
      ) {
        out.add(node.name.text);
      }
    }
    return out;
  };
  // Keyed by the file it describes (an imported module's too), so it is dropped when that file changes.
  return ctx.project.memo(TsProject.relativePath(sf.fileName), 'sinks:hoisted', compute);
}

/** Declarations of `name` made directly in the scope `n` (not in its nested scopes). */
function declarationsIn(n: ts.Node, name: string): readonly ts.Declaration[] {
  if (!declaresNames(n)) return NONE;
  let table = scopeTables.get(n);
  if (!table) scopeTables.set(n, (table = scopeTable(n)));
  return table.get(name) ?? NONE;
}

const NONE: readonly ts.Declaration[] = [];
/**
 * Every name a scope declares, built once per scope node: resolving each identifier would otherwise
 * re-scan the statements of every enclosing scope. An edit re-parses the scopes it touches into new
 * nodes; reused nodes keep their statements, so their tables stay right.
 */
const scopeTables = new WeakMap<ts.Node, Map<string, ts.Declaration[]>>();

const K = ts.SyntaxKind;
/** The nodes `scopeTable` reads declarations from; any other node declares nothing of its own. */
const SCOPE_KINDS = new Set<ts.SyntaxKind>([
  K.SourceFile,
  K.Block,
  K.CaseBlock,
  K.ForStatement,
  K.ForOfStatement,
  K.ForInStatement,
  K.CatchClause,
  K.ClassExpression,
  ...Array.from({ length: K.Count }, (_, kind: ts.SyntaxKind) => kind).filter((kind) =>
    ts.isFunctionLike({ kind } as ts.Node),
  ),
]);

function declaresNames(n: ts.Node): boolean {
  return SCOPE_KINDS.has(n.kind);
}

function scopeTable(n: ts.Node): Map<string, ts.Declaration[]> {
  const out = new Map<string, ts.Declaration[]>();
  const add = (name: string, d: ts.Declaration): void => {
    const list = out.get(name);
    if (list) list.push(d);
    else out.set(name, [d]);
  };
  const fromBinding = (binding: ts.BindingName, whole: ts.Declaration): void =>
    forEachBoundName(binding, (id, element) => add(id.text, element ?? whole));
  const fromList = (list: ts.VariableDeclarationList): void => {
    for (const d of list.declarations) fromBinding(d.name, d);
  };
  const fromStatements = (statements: readonly ts.Statement[]): void => {
    for (const s of statements) {
      if (ts.isVariableStatement(s)) fromList(s.declarationList);
      else if (
        (ts.isFunctionDeclaration(s) ||
          ts.isClassDeclaration(s) ||
          ts.isInterfaceDeclaration(s) ||
          ts.isTypeAliasDeclaration(s) ||
          ts.isEnumDeclaration(s)) &&
        s.name
      )
        add(s.name.text, s);
      else if (ts.isModuleDeclaration(s) && ts.isIdentifier(s.name)) add(s.name.text, s);
      else if (ts.isImportEqualsDeclaration(s)) add(s.name.text, s);
      else if (ts.isImportDeclaration(s) && s.importClause) {
        const clause = s.importClause;
        if (clause.name) add(clause.name.text, clause);
        const bindings = clause.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings)) add(bindings.name.text, bindings);
        if (bindings && ts.isNamedImports(bindings)) for (const el of bindings.elements) add(el.name.text, el);
      }
    }
  };
  if (ts.isSourceFile(n) || ts.isBlock(n)) fromStatements(n.statements);
  else if (ts.isCaseBlock(n)) for (const clause of n.clauses) fromStatements(clause.statements);
  else if (ts.isForStatement(n) || ts.isForOfStatement(n) || ts.isForInStatement(n)) {
    if (n.initializer && ts.isVariableDeclarationList(n.initializer)) fromList(n.initializer);
  } else if (ts.isCatchClause(n)) {
    if (n.variableDeclaration) fromBinding(n.variableDeclaration.name, n.variableDeclaration);
  } else if (ts.isFunctionLike(n)) {
    for (const p of n.parameters) fromBinding(p.name, p);
    if (ts.isFunctionExpression(n) && n.name) add(n.name.text, n);
  } else if (ts.isClassExpression(n) && n.name) add(n.name.text, n);
  return out;
}

/**
 * The declaration an import from a relative TypeScript module resolves to, when the target file
 * exports it plainly (`export const name = ...`) and nothing could re-route it; `null` when the
 * checker's target would add nothing to the binding (a namespace, a default class or function).
 * `undefined`: ask the checker.
 */
export function importTarget(
  specifier: string,
  imported: string,
  from: ts.SourceFile,
  ctx: DetectorContext,
): ts.Declaration | null | undefined {
  const sf = uniqueModule(specifier, from, ctx);
  if (!sf || mayReroute(sf)) return undefined;
  if (imported === '*' || imported === 'default') return null;
  const found = declarationsIn(sf, imported);
  const d = found.length === 1 ? found[0] : undefined;
  if (!d || ts.isImportClause(d) || ts.isImportSpecifier(d) || ts.isNamespaceImport(d) || ts.isBindingElement(d))
    return undefined;
  const statement = ts.isVariableDeclaration(d) ? d.parent.parent : d;
  if (
    !ts.canHaveModifiers(statement) ||
    !ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
  )
    return undefined;
  return d;
}

const reroutes = new WeakMap<ts.SourceFile, boolean>();

/** Re-exports, `export =`, namespaces, an exported expression: the checker decides what such a module exports. */
function mayReroute(sf: ts.SourceFile): boolean {
  let known = reroutes.get(sf);
  if (known === undefined) {
    known = sf.statements.some(
      (s) =>
        ts.isExportDeclaration(s) ||
        ts.isImportEqualsDeclaration(s) ||
        ts.isModuleDeclaration(s) ||
        (ts.isExportAssignment(s) &&
          (s.isExportEquals ||
            (!ts.isCallExpression(s.expression) &&
              !ts.isObjectLiteralExpression(s.expression) &&
              !ts.isNewExpression(s.expression)))),
    );
    reroutes.set(sf, known);
  }
  return known;
}

/** The TypeScript project file an import resolves to; undefined for none or a JS file (its JSDoc types are the checker's). */
function uniqueModule(specifier: string, from: ts.SourceFile, ctx: DetectorContext): ts.SourceFile | undefined {
  const hit = resolvedImport(specifier, from, ctx);
  return hit && /\.[cm]?tsx?$/.test(hit) ? ctx.project.ts.sourceFile(hit) : undefined;
}
