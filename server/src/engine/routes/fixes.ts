import ts from 'typescript';
import type { EngineConfig } from '../config.js';
import { exportedBy, importFor, projectImportSource } from '../edits/import-sources.js';
import type { ImportSource } from '../edits/imports.js';
import type { ProjectFacts } from '../facts.js';
import { TsProject } from '../ts-project.js';
import type { FileView } from '../detector.js';
import { suppressionFix } from '../suppressions.js';
import type { Fix, TextEdit } from '../types.js';
import { teamEntry } from './knowledge.js';
import type { RouteInfo } from './model.js';
import { requiredModule } from '../names/resolver.js';
import { unwrap } from '../syntax/ast.js';

const RULE = 'unauthenticated-route';

/** What the project authenticates with, to propose the same thing: a middleware or a Nest guard, and where it comes from when known. */
export interface AuthUsage {
  middleware?: { name: string; source?: ImportSource };
  guard?: { name: string; source?: ImportSource };
}

/**
 * Guesses the project's usual auth middleware / guard from the routes that are authenticated
 * (team config first), with the import that brings it where a route uses it. Without one, the
 * fix asks the project where the name comes from (edits/import-sources.ts).
 */
export function authUsage(routes: RouteInfo[], config: EngineConfig, project: ProjectFacts): AuthUsage {
  const usage: AuthUsage = {};
  const team = config.auth?.middleware?.[0];
  if (team) {
    const entry = teamEntry(team);
    usage.middleware = { name: entry.name, source: entry.module ? teamSource(entry.module, project) : undefined };
  }
  const teamGuard = config.auth?.guards?.[0];
  if (teamGuard) usage.guard = { name: teamGuard };
  const counts = new Map<string, { count: number; file: string; kind: 'middleware' | 'guard' }>();
  for (const route of routes) {
    for (const step of route.auth) {
      if (step.verdict !== 'auth' || !/^[A-Za-z_$][\w$]*$/.test(step.label)) continue;
      const kind =
        route.framework === 'nest'
          ? 'guard'
          : route.framework === 'express' || route.framework === 'koa'
            ? 'middleware'
            : undefined;
      if (!kind) continue;
      const key = `${kind}:${step.label}`;
      const entry = counts.get(key) ?? { count: 0, file: step.file, kind };
      entry.count++;
      counts.set(key, entry);
    }
  }
  const best = (kind: 'middleware' | 'guard') =>
    [...counts.entries()].filter(([, v]) => v.kind === kind).sort((a, b) => b[1].count - a[1].count)[0];
  for (const kind of ['middleware', 'guard'] as const) {
    if (usage[kind]) continue;
    const found = best(kind);
    if (!found) continue;
    const name = found[0].slice(kind.length + 1);
    const source = project.ts.sourceFile(found[1].file);
    const imported = source && importOf(source, name);
    usage[kind] = imported
      ? { name, source: sourceOfImport(imported, found[1].file, project) }
      : {
          name,
          ...(source && declares(source, name) && exportedBy(project, found[1].file, name)
            ? { source: { kind: 'file', file: found[1].file } as ImportSource }
            : {}),
        };
  }
  return usage;
}

/** `./src/auth` (relative to the configuration) or a package, as the team's `auth.middleware` says `name from module`. */
function teamSource(module: string, project: ProjectFacts): ImportSource | undefined {
  if (!module.startsWith('.') && !module.startsWith('/')) return { kind: 'package', module };
  const file = project.ts.resolveImport(module.startsWith('/') ? `.${module}` : module, '.gdpr-lint.yaml');
  if (file) return { kind: 'file', file };
  // Outside what is scanned: the module the team names, where it says it is.
  const path = module
    .replace(/^\.?\/+/, '')
    .split('/')
    .filter((s) => s !== '.')
    .join('/');
  if (path.startsWith('..') || path === '') return undefined;
  return /\.[cm]?[jt]sx?$/.test(path)
    ? { kind: 'file', file: path, withExtension: /\.[cm]?js$/.test(path) }
    : { kind: 'file', file: `${path}.ts` };
}

function sourceOfImport(
  imported: { module: string; isDefault: boolean },
  fromFile: string,
  project: ProjectFacts,
): ImportSource | undefined {
  const file = project.ts.resolveImport(imported.module, fromFile);
  if (file)
    return { kind: 'file', file, isDefault: imported.isDefault, withExtension: /\.[cm]?js$/.test(imported.module) };
  return imported.module.startsWith('.')
    ? undefined
    : { kind: 'package', module: imported.module, isDefault: imported.isDefault };
}

/** The fixes for an unauthenticated route in `source` (its registration file). */
export function routeFixes(route: RouteInfo, file: FileView, usage: AuthUsage, project: ProjectFacts): Fix[] {
  const source = file.ts!;
  const importOfName = (name: string, from?: ImportSource) =>
    importFor(project, route.file, name, from ?? projectImportSource(project, name));
  const fixes: Fix[] = [];
  const add = (title: string, edits: TextEdit[] | undefined) => {
    if (edits && edits.length > 0) fixes.push({ title, edits, ...(fixes.length === 0 ? { isPreferred: true } : {}) });
  };
  if (route.framework === 'nest' && route.optOut && route.optOut.file === route.file)
    add(`Remove ${route.optOut.label}`, removeDecorator(source, route.optOut.range));
  if ((route.framework === 'express' || route.framework === 'koa') && usage.middleware)
    add(`Require authentication: add ${usage.middleware.name}`, expressFix(route, usage.middleware, importOfName));
  if (route.framework === 'fastify') add('Require authentication: add onRequest: [authenticate]', fastifyFix(route));
  if (route.framework === 'nest' && !route.optOut)
    add(
      `Require authentication: add @UseGuards(${usage.guard?.name ?? "AuthGuard('jwt')"})`,
      nestFix(route, source, usage.guard, importOfName),
    );
  if (route.framework === 'next')
    add('Require a session: check the token at the top of the handler', nextFix(route, source, importOfName));
  fixes.push(
    suppressionFix(file, route.range.start, RULE, {
      title: `Suppress ${RULE} for this route (public by design)`,
      justification: 'public by design: say why',
    }),
  );
  return fixes;
}

type ImportOf = (name: string, from?: ImportSource) => TextEdit[] | undefined;

function expressFix(
  route: RouteInfo,
  mw: NonNullable<AuthUsage['middleware']>,
  importOfName: ImportOf,
): TextEdit[] | undefined {
  const call = route.registration;
  if (!ts.isCallExpression(call) || TsProject.relativePath(call.getSourceFile().fileName) !== route.file)
    return undefined;
  const pathArg = call.arguments.find((a) => a.getStart() === route.range.start);
  let edit: TextEdit;
  if (pathArg) edit = { start: pathArg.getEnd(), end: pathArg.getEnd(), newText: `, ${mw.name}` };
  else {
    // app.route('/x').get(handler): the middleware goes first in the method's arguments.
    const first = pathOfChain(call) && call.arguments[0];
    if (!first) return undefined;
    edit = { start: first.getStart(), end: first.getStart(), newText: `${mw.name}, ` };
  }
  // The middleware comes with its import, or the fix is not offered.
  const imp = importOfName(mw.name, mw.source);
  return imp ? [edit, ...imp] : undefined;
}

function pathOfChain(call: ts.CallExpression): ts.Node | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const base = unwrap(callee.expression);
  return ts.isCallExpression(base) &&
    ts.isPropertyAccessExpression(base.expression) &&
    base.expression.name.text === 'route'
    ? base.arguments[0]
    : undefined;
}

function fastifyFix(route: RouteInfo): TextEdit[] | undefined {
  const call = route.registration;
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) return undefined;
  const receiver = call.expression.expression.getText();
  const hook = `onRequest: [${receiver}.authenticate]`;
  const options = call.arguments
    .map(unwrap)
    .find((a): a is ts.ObjectLiteralExpression => ts.isObjectLiteralExpression(a));
  if (options) {
    const at = options.getStart() + 1;
    return [{ start: at, end: at, newText: options.properties.length > 0 ? ` ${hook},` : ` ${hook} ` }];
  }
  const path = call.arguments[0];
  if (!path) return undefined;
  return [{ start: path.getEnd(), end: path.getEnd(), newText: `, { ${hook} }` }];
}

function nestFix(
  route: RouteInfo,
  source: ts.SourceFile,
  guard: AuthUsage['guard'],
  importOfName: ImportOf,
): TextEdit[] | undefined {
  const method = route.registration;
  if (!ts.isMethodDeclaration(method)) return undefined;
  const first = (ts.getDecorators(method) ?? [])[0];
  if (!first) return undefined;
  const lineStart = source.getLineStarts()[source.getLineAndCharacterOfPosition(first.getStart()).line]!;
  const indent = source.text.slice(lineStart, first.getStart());
  const expression = guard ? guard.name : "AuthGuard('jwt')";
  const edits: TextEdit[] = [{ start: lineStart, end: lineStart, newText: `${indent}@UseGuards(${expression})\n` }];
  const common = importOfName('UseGuards', { kind: 'package', module: '@nestjs/common' });
  const guardName = guard ? /^[A-Za-z_$][\w$]*/.exec(guard.name)?.[0] : 'AuthGuard';
  const guardImport =
    guardName && importOfName(guardName, guard ? guard.source : { kind: 'package', module: '@nestjs/passport' });
  if (!common || !guardImport) return undefined;
  return mergeSameOffset([...edits, ...common, ...guardImport]);
}

function nextFix(route: RouteInfo, source: ts.SourceFile, importOfName: ImportOf): TextEdit[] | undefined {
  const fn = route.handler?.node;
  if (
    !fn ||
    route.handler!.file !== route.file ||
    !(ts.isFunctionDeclaration(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))
  )
    return undefined;
  const body = fn.body;
  const req = fn.parameters[0]?.name;
  if (!body || !ts.isBlock(body) || !req || !ts.isIdentifier(req)) return undefined;
  const pages = /(^|\/)pages\//.test(route.file);
  const res = fn.parameters[1]?.name;
  if (pages && (!res || !ts.isIdentifier(res))) return undefined;
  const firstStatement = body.statements[0];
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line;
  const indent = firstStatement
    ? source.text.slice(source.getLineStarts()[lineOf(firstStatement.getStart())], firstStatement.getStart())
    : '  ';
  const reject = pages
    ? `${(res as ts.Identifier).text}.status(401).json({ error: 'Unauthorized' })`
    : `new Response(null, { status: 401 })`;
  const at = body.getStart() + 1;
  const edits: TextEdit[] = [
    {
      start: at,
      end: at,
      newText: `\n${indent}const token = await getToken({ req: ${req.text} });\n${indent}if (!token) return ${reject};`,
    },
  ];
  const isAsync = ts.getModifiers(fn)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  if (!isAsync) {
    const start =
      ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)
        ? fn
            .getChildren()
            .find((c) => c.kind === ts.SyntaxKind.FunctionKeyword)!
            .getStart()
        : fn.getStart();
    edits.push({ start, end: start, newText: 'async ' });
  }
  const imp = importOfName('getToken', { kind: 'package', module: 'next-auth/jwt' });
  if (!imp) return undefined;
  return mergeSameOffset([...edits, ...imp]);
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

function declares(source: ts.SourceFile, name: string): boolean {
  return source.statements.some(
    (s) =>
      ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name?.text === name) ||
      (ts.isVariableStatement(s) &&
        s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)),
  );
}

function importOf(source: ts.SourceFile, name: string): { module: string; isDefault: boolean } | undefined {
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !statement.importClause || !ts.isStringLiteral(statement.moduleSpecifier))
      continue;
    const c = statement.importClause;
    if (c.name?.text === name) return { module: statement.moduleSpecifier.text, isDefault: true };
    const b = c.namedBindings;
    if (b && ts.isNamedImports(b) && b.elements.some((e) => e.name.text === name && !e.propertyName))
      return { module: statement.moduleSpecifier.text, isDefault: false };
  }
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations) {
      const module = d.initializer && requiredModule(d.initializer);
      if (!module) continue;
      if (ts.isIdentifier(d.name) && d.name.text === name) return { module, isDefault: true };
      if (
        ts.isObjectBindingPattern(d.name) &&
        d.name.elements.some((e) => ts.isIdentifier(e.name) && e.name.text === name && !e.propertyName)
      )
        return { module, isDefault: false };
    }
  }
  return undefined;
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
