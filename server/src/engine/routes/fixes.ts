import ts from 'typescript';
import type { EngineConfig } from '../config.js';
import type { Fix, TextEdit } from '../types.js';
import { teamEntry } from './knowledge.js';
import type { RouteInfo } from './model.js';
import { requiredModule, unwrap } from './resolve.js';

const RULE = 'unauthenticated-route';

/** What the project authenticates with, to propose the same thing: a middleware or a Nest guard, and where it is imported from. */
export interface AuthUsage {
  middleware?: { name: string; module?: string; isDefault: boolean };
  guard?: { name: string; module?: string; isDefault: boolean };
}

/** Guesses the project's usual auth middleware / guard from the routes that are authenticated (team config first). */
export function authUsage(routes: RouteInfo[], config: EngineConfig, sourceOf: (file: string) => ts.SourceFile | undefined): AuthUsage {
  const usage: AuthUsage = {};
  const team = config.auth?.middleware?.[0];
  if (team) {
    const entry = teamEntry(team);
    usage.middleware = { name: entry.name, module: entry.module && workspaceModule(entry.module), isDefault: false };
  }
  const teamGuard = config.auth?.guards?.[0];
  if (teamGuard) usage.guard = { name: teamGuard, isDefault: false };
  const counts = new Map<string, { count: number; file: string; kind: 'middleware' | 'guard' }>();
  for (const route of routes) {
    for (const step of route.auth) {
      if (step.verdict !== 'auth' || !/^[A-Za-z_$][\w$]*$/.test(step.label)) continue;
      const kind = route.framework === 'nest' ? 'guard' : route.framework === 'express' || route.framework === 'koa' ? 'middleware' : undefined;
      if (!kind) continue;
      const key = `${kind}:${step.label}`;
      const entry = counts.get(key) ?? { count: 0, file: step.file, kind };
      entry.count++;
      counts.set(key, entry);
    }
  }
  const best = (kind: 'middleware' | 'guard') => [...counts.entries()].filter(([, v]) => v.kind === kind).sort((a, b) => b[1].count - a[1].count)[0];
  for (const kind of ['middleware', 'guard'] as const) {
    if (usage[kind]) continue;
    const found = best(kind);
    if (!found) continue;
    const name = found[0].slice(kind.length + 1);
    const source = sourceOf(found[1].file);
    const imported = source && importOf(source, name);
    usage[kind] = imported
      ? { name, module: imported.module.startsWith('.') ? joinModule(found[1].file, imported.module) : imported.module, isDefault: imported.isDefault }
      : { name, module: source && declares(source, name) ? '/' + found[1].file.replace(/\.[cm]?[jt]sx?$/, '') : undefined, isDefault: false };
  }
  return usage;
}

/** The fixes for an unauthenticated route in `source` (its registration file). */
export function routeFixes(route: RouteInfo, source: ts.SourceFile, usage: AuthUsage): Fix[] {
  const fixes: Fix[] = [];
  const add = (title: string, edits: TextEdit[] | undefined) => {
    if (edits && edits.length > 0) fixes.push({ title, edits, ...(fixes.length === 0 ? { isPreferred: true } : {}) });
  };
  if (route.framework === 'nest' && route.optOut && route.optOut.file === route.file) add(`Remove ${route.optOut.label}`, removeDecorator(source, route.optOut.range));
  if ((route.framework === 'express' || route.framework === 'koa') && usage.middleware) add(`Require authentication: add ${usage.middleware.name}`, expressFix(route, source, usage.middleware));
  if (route.framework === 'fastify') add('Require authentication: add onRequest: [authenticate]', fastifyFix(route));
  if (route.framework === 'nest' && !route.optOut) add(`Require authentication: add @UseGuards(${usage.guard?.name ?? "AuthGuard('jwt')"})`, nestFix(route, source, usage.guard));
  if (route.framework === 'next') add('Require a session: check the token at the top of the handler', nextFix(route, source));
  fixes.push(suppressionFix(route, source));
  return fixes;
}

function expressFix(route: RouteInfo, source: ts.SourceFile, mw: NonNullable<AuthUsage['middleware']>): TextEdit[] | undefined {
  const call = route.registration;
  if (!ts.isCallExpression(call) || call.getSourceFile() !== source) return undefined;
  const pathArg = call.arguments.find((a) => a.getStart() === route.range.start);
  let edit: TextEdit;
  if (pathArg) edit = { start: pathArg.getEnd(), end: pathArg.getEnd(), newText: `, ${mw.name}` };
  else {
    // app.route('/x').get(handler): the middleware goes first in the method's arguments.
    const first = pathOfChain(call) && call.arguments[0];
    if (!first) return undefined;
    edit = { start: first.getStart(), end: first.getStart(), newText: `${mw.name}, ` };
  }
  const imp = importEdit(source, route.file, mw);
  return imp ? [edit, imp] : [edit];
}

function pathOfChain(call: ts.CallExpression): ts.Node | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const base = unwrap(callee.expression);
  return ts.isCallExpression(base) && ts.isPropertyAccessExpression(base.expression) && base.expression.name.text === 'route' ? base.arguments[0] : undefined;
}

function fastifyFix(route: RouteInfo): TextEdit[] | undefined {
  const call = route.registration;
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) return undefined;
  const receiver = call.expression.expression.getText();
  const hook = `onRequest: [${receiver}.authenticate]`;
  const options = call.arguments.map(unwrap).find((a): a is ts.ObjectLiteralExpression => ts.isObjectLiteralExpression(a));
  if (options) {
    const at = options.getStart() + 1;
    return [{ start: at, end: at, newText: options.properties.length > 0 ? ` ${hook},` : ` ${hook} ` }];
  }
  const path = call.arguments[0];
  if (!path) return undefined;
  return [{ start: path.getEnd(), end: path.getEnd(), newText: `, { ${hook} }` }];
}

function nestFix(route: RouteInfo, source: ts.SourceFile, guard: AuthUsage['guard']): TextEdit[] | undefined {
  const method = route.registration;
  if (!ts.isMethodDeclaration(method)) return undefined;
  const first = (ts.getDecorators(method) ?? [])[0];
  if (!first) return undefined;
  const lineStart = source.getLineStarts()[source.getLineAndCharacterOfPosition(first.getStart()).line]!;
  const indent = source.text.slice(lineStart, first.getStart());
  const expression = guard ? guard.name : "AuthGuard('jwt')";
  const edits: TextEdit[] = [{ start: lineStart, end: lineStart, newText: `${indent}@UseGuards(${expression})\n` }];
  const common = namedImportEdit(source, '@nestjs/common', 'UseGuards');
  if (common) edits.push(common);
  const guardImport = guard
    ? guard.module ? importEdit(source, route.file, { name: guard.name, module: guard.module, isDefault: guard.isDefault }) : undefined
    : namedImportEdit(source, '@nestjs/passport', 'AuthGuard');
  if (guardImport) edits.push(guardImport);
  return mergeSameOffset(edits);
}

function nextFix(route: RouteInfo, source: ts.SourceFile): TextEdit[] | undefined {
  const fn = route.handler?.node;
  if (!fn || route.handler!.file !== route.file || !(ts.isFunctionDeclaration(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return undefined;
  const body = fn.body;
  const req = fn.parameters[0]?.name;
  if (!body || !ts.isBlock(body) || !req || !ts.isIdentifier(req)) return undefined;
  const pages = /(^|\/)pages\//.test(route.file);
  const res = fn.parameters[1]?.name;
  if (pages && (!res || !ts.isIdentifier(res))) return undefined;
  const firstStatement = body.statements[0];
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line;
  const indent = firstStatement ? source.text.slice(source.getLineStarts()[lineOf(firstStatement.getStart())]!, firstStatement.getStart()) : '  ';
  const reject = pages ? `${(res as ts.Identifier).text}.status(401).json({ error: 'Unauthorized' })` : `new Response(null, { status: 401 })`;
  const at = body.getStart() + 1;
  const edits: TextEdit[] = [{ start: at, end: at, newText: `\n${indent}const token = await getToken({ req: ${req.text} });\n${indent}if (!token) return ${reject};` }];
  const isAsync = ts.getModifiers(fn)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  if (!isAsync) {
    const start = ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) ? fn.getChildren().find((c) => c.kind === ts.SyntaxKind.FunctionKeyword)!.getStart() : fn.getStart();
    edits.push({ start, end: start, newText: 'async ' });
  }
  const imp = namedImportEdit(source, 'next-auth/jwt', 'getToken');
  if (imp) edits.push(imp);
  return mergeSameOffset(edits);
}

function suppressionFix(route: RouteInfo, source: ts.SourceFile): Fix {
  const line = source.getLineAndCharacterOfPosition(route.range.start).line;
  const lineStart = source.getLineStarts()[line]!;
  const indent = /^[ \t]*/.exec(source.text.slice(lineStart))![0];
  return {
    title: `Suppress ${RULE} for this route (public by design)`,
    edits: [{ start: lineStart, end: lineStart, newText: `${indent}// gdpr-lint-disable-next-line ${RULE} -- public by design: say why\n` }],
  };
}

function removeDecorator(source: ts.SourceFile, range: { start: number; end: number }): TextEdit[] {
  const text = source.text;
  let end = range.end;
  while (text[end] === ' ' || text[end] === '\t') end++;
  let start = range.start;
  if (text[end] === '\n' || text.startsWith('\r\n', end)) {
    end += text[end] === '\n' ? 1 : 2;
    while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  }
  return [{ start, end, newText: '' }];
}

/** Adds `name` to the file's imports (named, or default) when the file does not already bind it. */
function importEdit(source: ts.SourceFile, file: string, mw: { name: string; module?: string; isDefault: boolean }): TextEdit | undefined {
  if (bindsName(source, mw.name) || !mw.module) return undefined;
  const specifier = mw.module.startsWith('/') ? relativeModule(file, mw.module.slice(1)) : mw.module;
  const importsModule = source.statements.some((st) => ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.moduleSpecifier.text === specifier);
  if (!mw.isDefault && importsModule) {
    const merged = namedImportEdit(source, specifier, mw.name);
    if (merged) return merged;
  }
  const clause = mw.isDefault ? mw.name : `{ ${mw.name} }`;
  const usesRequire = !source.statements.some(ts.isImportDeclaration) && /\brequire\(/.test(source.text);
  const q = quoteOf(source);
  const line = usesRequire ? `const ${clause} = require(${q}${specifier}${q});\n` : `import ${clause} from ${q}${specifier}${q};\n`;
  return { start: afterImports(source), end: afterImports(source), newText: line };
}

/** Adds a named import from `module`, into an existing import of that module when there is one. */
function namedImportEdit(source: ts.SourceFile, module: string, name: string): TextEdit | undefined {
  if (bindsName(source, name)) return undefined;
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== module) continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings) && !statement.importClause?.isTypeOnly) {
      const last = bindings.elements[bindings.elements.length - 1];
      if (last) return { start: last.getEnd(), end: last.getEnd(), newText: `, ${name}` };
    }
  }
  const at = afterImports(source);
  const q = quoteOf(source);
  return { start: at, end: at, newText: `import { ${name} } from ${q}${module}${q};\n` };
}

/** The quote the file's imports use. */
function quoteOf(source: ts.SourceFile): string {
  const first = source.statements.find((s) => ts.isImportDeclaration(s)) as ts.ImportDeclaration | undefined;
  return first && source.text[first.moduleSpecifier.getStart()] === '"' ? '"' : "'";
}

function bindsName(source: ts.SourceFile, name: string): boolean {
  if (declares(source, name)) return true;
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && statement.importClause) {
      const c = statement.importClause;
      if (c.name?.text === name) return true;
      const b = c.namedBindings;
      if (b && ts.isNamedImports(b) && b.elements.some((e) => e.name.text === name)) return true;
      if (b && ts.isNamespaceImport(b) && b.name.text === name) return true;
    }
    if (ts.isVariableStatement(statement) && statement.declarationList.declarations.some((d) => d.name.getText().split(/[^\w$]+/).includes(name))) return true;
  }
  return false;
}

function declares(source: ts.SourceFile, name: string): boolean {
  return source.statements.some((s) => (ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name?.text === name || (ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)));
}

function importOf(source: ts.SourceFile, name: string): { module: string; isDefault: boolean } | undefined {
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !statement.importClause || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const c = statement.importClause;
    if (c.name?.text === name) return { module: statement.moduleSpecifier.text, isDefault: true };
    const b = c.namedBindings;
    if (b && ts.isNamedImports(b) && b.elements.some((e) => e.name.text === name && !e.propertyName)) return { module: statement.moduleSpecifier.text, isDefault: false };
  }
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations) {
      const module = d.initializer && requiredModule(d.initializer);
      if (!module) continue;
      if (ts.isIdentifier(d.name) && d.name.text === name) return { module, isDefault: true };
      if (ts.isObjectBindingPattern(d.name) && d.name.elements.some((e) => ts.isIdentifier(e.name) && e.name.text === name && !e.propertyName)) return { module, isDefault: false };
    }
  }
  return undefined;
}

function afterImports(source: ts.SourceFile): number {
  let end = 0;
  for (const statement of source.statements) {
    const isImport = ts.isImportDeclaration(statement) || (ts.isVariableStatement(statement) && /^\s*(const|let|var)\s+[^=]+=\s*require\(/.test(statement.getText()));
    if (!isImport) break;
    end = statement.getEnd();
  }
  if (end === 0) return 0;
  return source.text[end] === '\n' ? end + 1 : source.text.startsWith('\r\n', end) ? end + 2 : end;
}

/** A module path relative to the workspace, written `/src/x` internally. */
function workspaceModule(module: string): string {
  return module.startsWith('.') ? '/' + module.replace(/^\.\//, '').replace(/\.[cm]?[jt]sx?$/, '') : module;
}

/** `../middleware/auth` seen in `src/server/routes/x.ts` -> `/src/server/middleware/auth`. */
function joinModule(fromFile: string, relative: string): string {
  const parts = fromFile.split('/').slice(0, -1);
  for (const segment of relative.split('/')) {
    if (segment === '.' || segment === '') continue;
    if (segment === '..') parts.pop();
    else parts.push(segment);
  }
  return '/' + parts.join('/').replace(/\.[cm]?js$/, '');
}

/** The specifier that imports workspace module `target` from `fromFile`. */
export function relativeModule(fromFile: string, target: string): string {
  const from = fromFile.split('/').slice(0, -1);
  const to = target.split('/');
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  const up = from.length - common;
  const rest = to.slice(common).join('/');
  return (up === 0 ? './' : '../'.repeat(up)) + rest;
}

/** Edits inserted at the same offset are joined in order, so every fix applies as written. */
function mergeSameOffset(edits: TextEdit[]): TextEdit[] {
  const out: TextEdit[] = [];
  for (const edit of edits) {
    const same = out.find((e) => e.start === edit.start && e.end === edit.end && e.start === e.end);
    if (same) same.newText = edit.start === 0 ? edit.newText + same.newText : same.newText + edit.newText;
    else out.push({ ...edit });
  }
  return out;
}

