import { codeRegex, type LinearRegex } from '../linear-regex.js';
import ts from 'typescript';
import type { AuthClassifier, Verdict } from './auth.js';
import { samplePath } from './auth.js';
import { objectProperty } from './chain.js';
import type { AuthStep, RouteInfo } from './model.js';
import { literalPath, nodeRange } from './paths.js';
import { unwrap } from '../syntax/ast.js';
import { labelOf } from './steps.js';
import { delegatesToGraphql, delegatesToProcedures } from './trpc.js';

const APP_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

export type NextFileKind = { kind: 'pages' | 'app' | 'middleware'; base: string; path: string };

/** Is this file a Next.js API route (pages/api, app router route.ts) or the middleware? */
export function nextFileKind(file: string): NextFileKind | undefined {
  let m = /^(.*?)(?:src\/)?pages\/(api\/.*?)(?:\/index)?\.(?:[cm]?[jt]sx?)$/.exec(file);
  if (m) return { kind: 'pages', base: m[1]!, path: '/' + m[2]! };
  m = /^(.*?)(?:src\/)?app\/((?:.*\/)?)route\.(?:[cm]?[jt]sx?)$/.exec(file);
  if (m) {
    const all = m[2]!.split('/').filter((s) => s);
    // `_folder`: a private folder of the app router, never routable.
    if (all.some((s) => s.startsWith('_'))) return undefined;
    const segments = all.filter((s) => !/^\(.*\)$/.test(s) && !s.startsWith('@'));
    return { kind: 'app', base: m[1]!, path: '/' + segments.join('/') };
  }
  // middleware.ts, renamed proxy.ts in Next.js 16: at the project root or in src/ (one under app/ is never loaded).
  m = /^(.*?)(?:src\/)?(?:middleware|proxy)\.(?:[cm]?[jt]s)$/.exec(file);
  if (m) return { kind: 'middleware', base: m[1]!, path: '' };
  return undefined;
}

interface Middleware {
  file: string;
  base: string;
  verdict: Verdict;
  node: ts.Node;
  matchers?: LinearRegex[];
  /** Paths the middleware's conditional protection applies to (`if (isProtectedRoute(req)) auth.protect()`). */
  protects?: { label: string; test(path: string): boolean };
}

/** The statement of middleware.ts that exports the middleware, for the finding's related range. */
function exportStatement(source: ts.SourceFile): ts.Node {
  for (const statement of source.statements) {
    if (ts.isExportAssignment(statement)) return statement;
    if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      const element = statement.exportClause.elements.find(
        (e) => e.name.text === 'middleware' || e.name.text === 'proxy' || e.name.text === 'default',
      );
      if (element) return element;
    }
  }
  return source.statements[0] ?? source;
}

const PROTECT_CALL = /\b(protect|redirectToSignIn|redirectToLogin)\s*\(/;

/**
 * Clerk-style middleware that protects only some paths: the protect call sits under
 * `if (isProtectedRoute(req))` or `if (!isPublicRoute(req))`, where the predicate is
 * `createRouteMatcher([...patterns])`. Undefined when the protection is unconditional.
 */
function protectedPaths(node: ts.Node, file: string, auth: AuthClassifier): Middleware['protects'] {
  const call = unwrap(node);
  const fn = ts.isFunctionLike(call)
    ? call
    : ts.isCallExpression(call)
      ? call.arguments.map(unwrap).find((a) => ts.isFunctionLike(a))
      : undefined;
  if (!fn) return undefined;
  let guarded: ts.IfStatement | undefined;
  let unconditional = false;
  fn.forEachChild(function visit(n): void {
    if (ts.isCallExpression(n) && PROTECT_CALL.test(n.getText())) {
      let p: ts.Node | undefined = n.parent;
      let inThen: ts.IfStatement | undefined;
      for (; p && p !== fn; p = p.parent) {
        if (ts.isIfStatement(p.parent) && p === p.parent.thenStatement) {
          inThen = p.parent;
          break;
        }
      }
      if (inThen) guarded ??= inThen;
      else unconditional = true;
      return;
    }
    n.forEachChild(visit);
  });
  if (!guarded || unconditional) return undefined;
  let condition = unwrap(guarded.expression);
  let negated = false;
  if (ts.isPrefixUnaryExpression(condition) && condition.operator === ts.SyntaxKind.ExclamationToken) {
    negated = true;
    condition = unwrap(condition.operand);
  }
  if (!ts.isCallExpression(condition)) return undefined;
  const origin = auth.resolver.origin(condition.expression, file);
  const made = origin?.kind === 'node' ? unwrap(origin.node) : undefined;
  if (!made || !ts.isCallExpression(made) || !/createRouteMatcher$/.test(made.expression.getText())) return undefined;
  const list = made.arguments[0] ? unwrap(made.arguments[0]) : undefined;
  const patterns =
    list && ts.isArrayLiteralExpression(list)
      ? list.elements.map((e) => literalPath(e)).filter((p): p is string => p !== undefined)
      : [];
  const regexes = patterns.map(matcherRegex).filter((r): r is LinearRegex => r !== undefined);
  if (regexes.length === 0) return undefined;
  const label = `${negated ? 'paths outside' : 'paths matching'} ${patterns.join(', ')}`;
  return { label, test: (path) => regexes.some((r) => r.test(path)) !== negated };
}

/** Next.js API routes: a session check in the handler, an auth wrapper, or middleware.ts whose matcher covers the path. */
export function nextRoutes(files: Map<string, NextFileKind>, auth: AuthClassifier): RouteInfo[] {
  const middlewares: Middleware[] = [];
  for (const [file, kind] of files) {
    if (kind.kind !== 'middleware') continue;
    const source = auth.resolver.sourceFile(file);
    const exported =
      source &&
      (auth.resolver.exported(file, 'middleware') ??
        auth.resolver.exported(file, 'proxy') ??
        auth.resolver.exported(file, 'default'));
    if (!source || !exported) continue;
    if (exported.kind === 'package') {
      // export { auth as middleware } from './auth' (Auth.js v5), export default authMiddleware()
      const statement = exportStatement(source);
      middlewares.push({
        file,
        base: kind.base,
        verdict: auth.packageExport(exported, statement as ts.Expression),
        node: statement,
        matchers: matchersOf(auth, file),
      });
      continue;
    }
    const node = exported.node;
    const verdict = ts.isFunctionLike(node)
      ? auth.body(node, exported.file, 0, true)
      : wrapperVerdict(node as ts.Expression, exported.file, auth);
    middlewares.push({
      file,
      base: kind.base,
      verdict,
      node,
      matchers: matchersOf(auth, file),
      protects: protectedPaths(node, exported.file, auth),
    });
  }
  const routes: RouteInfo[] = [];
  for (const [file, kind] of files) {
    if (kind.kind === 'middleware') continue;
    const handlers = kind.kind === 'pages' ? pagesHandler(auth, file) : appHandlers(auth, file);
    for (const h of handlers) {
      // `fetchRequestHandler({ router: appRouter })`: the procedures are the routes, judged one by one.
      if ((h.fn && delegatesToProcedures(h.fn.node)) || (h.wrapper && delegatesToProcedures(h.wrapper))) continue;
      const steps: AuthStep[] = [];
      const middleware = middlewares.find((m) => m.base === kind.base);
      if (middleware) {
        const sample = samplePath(kind.path);
        const matched = !middleware.matchers || middleware.matchers.some((r) => r.test(sample));
        const covered = matched && (!middleware.protects || middleware.protects.test(sample));
        steps.push({
          label: middleware.file.split('/').pop() ?? 'middleware.ts',
          verdict: covered ? middleware.verdict.verdict : 'not-auth',
          why: covered
            ? middleware.verdict.why
            : matched
              ? `it only protects ${middleware.protects!.label}`
              : `its matcher does not cover ${kind.path}`,
          level: 'next-middleware',
          file: middleware.file,
          range: nodeRange(middleware.node),
        });
      }
      if (h.wrapper) {
        const { unless: _unless, ...verdict } = wrapperVerdict(h.wrapper, file, auth);
        steps.push({ label: labelOf(h.wrapper), ...verdict, level: 'route', file, range: nodeRange(h.wrapper) });
      }
      // A GraphQL server authenticates per resolver: the route alone says nothing.
      if ((h.wrapper && delegatesToGraphql(h.wrapper)) || (h.fn && delegatesToGraphql(h.fn.node))) {
        steps.push({
          label: 'GraphQL server',
          verdict: 'unknown',
          why: 'authentication is decided per resolver, through the context, which gdpr-lint does not follow',
          level: 'route',
          file,
          range: nodeRange(h.name),
          undecided: true,
        });
      }
      if (h.fn) {
        const verdict = auth.body(h.fn.node, h.fn.file, 0, true);
        steps.push({
          label: 'the handler',
          verdict: verdict.verdict,
          why: verdict.why,
          level: 'handler',
          file: h.fn.file,
          range: nodeRange(h.fn.node),
        });
      }
      routes.push({
        framework: 'next',
        method: h.method,
        path: kind.path,
        file,
        range: nodeRange(h.name),
        status: steps.some((s) => s.verdict === 'auth')
          ? 'authenticated'
          : steps.some((s) => s.undecided && s.level !== 'handler')
            ? 'unverified'
            : 'unauthenticated',
        auth: steps,
        handler: h.fn,
        registration: h.name,
      });
    }
  }
  return routes;
}

function wrapperVerdict(node: ts.Expression, file: string, auth: AuthClassifier): Verdict {
  const n = unwrap(node);
  if (ts.isCallExpression(n)) {
    const byCallee = auth.middleware(n, file);
    if (byCallee.verdict === 'auth') return byCallee;
    const callback = n.arguments.map(unwrap).find((a) => ts.isFunctionLike(a));
    if (callback) return auth.body(callback, file, 0, true);
    return byCallee;
  }
  return auth.middleware(n, file);
}

interface Handler {
  name: ts.Node;
  method: string;
  fn?: { file: string; node: ts.Node };
  wrapper?: ts.Expression;
}

function pagesHandler(auth: AuthClassifier, file: string): Handler[] {
  const source = auth.resolver.sourceFile(file);
  if (!source) return [];
  for (const statement of source.statements) {
    const isDefault =
      ts.canHaveModifiers(statement) &&
      ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if (ts.isFunctionDeclaration(statement) && isDefault) {
      const name = statement.name ?? ts.getModifiers(statement)!.find((m) => m.kind === ts.SyntaxKind.DefaultKeyword)!;
      return [{ name, method: methodsChecked(statement), fn: { file, node: statement } }];
    }
    if (ts.isExportAssignment(statement))
      return [handlerOf(auth, file, statement.expression, statement.expression, undefined)];
  }
  return [];
}

function appHandlers(auth: AuthClassifier, file: string): Handler[] {
  const source = auth.resolver.sourceFile(file);
  if (!source) return [];
  const handlers: Handler[] = [];
  for (const statement of source.statements) {
    const exported =
      ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (ts.isFunctionDeclaration(statement) && exported && statement.name && APP_METHODS.has(statement.name.text)) {
      handlers.push({ name: statement.name, method: statement.name.text, fn: { file, node: statement } });
    } else if (ts.isVariableStatement(statement) && exported) {
      for (const d of statement.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && APP_METHODS.has(d.name.text) && d.initializer)
          handlers.push(handlerOf(auth, file, d.name, d.initializer, d.name.text));
      }
    } else if (
      ts.isExportDeclaration(statement) &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause) &&
      !statement.moduleSpecifier
    ) {
      for (const s of statement.exportClause.elements) {
        if (APP_METHODS.has(s.name.text))
          handlers.push(handlerOf(auth, file, s.name, s.propertyName ?? s.name, s.name.text));
      }
    }
  }
  return handlers;
}

function handlerOf(
  auth: AuthClassifier,
  file: string,
  name: ts.Node,
  value: ts.Expression | ts.ModuleExportName,
  method: string | undefined,
): Handler {
  const n = unwrap(value);
  if (ts.isFunctionLike(n)) return { name, method: method ?? methodsChecked(n), fn: { file, node: n } };
  const origin = auth.resolver.origin(n, file);
  if (origin?.kind === 'node' && ts.isFunctionLike(origin.node))
    return { name, method: method ?? methodsChecked(origin.node), fn: { file: origin.file, node: origin.node } };
  if (origin?.kind === 'node' && ts.isCallExpression(origin.node)) {
    const inner = origin.node.arguments.map(unwrap).find((a) => ts.isFunctionLike(a) || ts.isIdentifier(a));
    const handler = inner ? handlerOf(auth, origin.file, name, inner, method) : { name, method: method ?? 'ANY' };
    return { ...handler, wrapper: origin.node };
  }
  return { name, method: method ?? 'ANY' };
}

/** `if (req.method !== 'GET')` -> GET; otherwise ANY. */
function methodsChecked(fn: ts.Node): string {
  const methods = new Set<string>();
  fn.forEachChild(function visit(node): void {
    if (
      ts.isBinaryExpression(node) &&
      /\.method$/.test(node.left.getText()) &&
      ts.isStringLiteralLike(node.right) &&
      APP_METHODS.has(node.right.text)
    )
      methods.add(node.right.text);
    node.forEachChild(visit);
  });
  return methods.size > 0 ? [...methods].join('|') : 'ANY';
}

/** `export const config = { matcher: [...] }` -> regexes on the path; undefined = every path. */
function matchersOf(auth: AuthClassifier, file: string): LinearRegex[] | undefined {
  const config = auth.resolver.exported(file, 'config');
  if (config?.kind !== 'node' || !ts.isObjectLiteralExpression(config.node)) return undefined;
  const matcher = objectProperty(config.node, 'matcher');
  if (!matcher) return undefined;
  const items = ts.isArrayLiteralExpression(matcher) ? [...matcher.elements] : [matcher];
  const sources = items
    .map(
      (i) => literalPath(i) ?? (ts.isObjectLiteralExpression(i) ? literalPath(objectProperty(i, 'source')) : undefined),
    )
    .filter((s): s is string => s !== undefined);
  return sources.map(matcherRegex).filter((r): r is LinearRegex => r !== undefined);
}

/** Next.js matcher (path-to-regexp): `/api/x/:path*`, `/((?!_next|static).*)`. */
export function matcherRegex(pattern: string): LinearRegex | undefined {
  let out = '';
  for (let i = 0; i < pattern.length;) {
    const rest = pattern.slice(i);
    const param = /^\/:(\w+)([*+?]?)/.exec(rest);
    if (param) {
      out += param[2] === '*' ? '(?:/.*)?' : param[2] === '+' ? '/.+' : param[2] === '?' ? '(?:/[^/]+)?' : '/[^/]+';
      i += param[0].length;
      continue;
    }
    if (pattern[i] === '(') {
      let depth = 0;
      let j = i;
      for (; j < pattern.length; j++) {
        if (pattern[j] === '\\') j++;
        else if (pattern[j] === '(') depth++;
        else if (pattern[j] === ')' && --depth === 0) break;
      }
      out += pattern.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    out += /[.+?^${}|[\]\\]/.test(pattern[i]!) ? '\\' + pattern[i] : pattern[i] === '*' ? '.*' : pattern[i];
    i++;
  }
  // A matcher from the code under analysis: never a backtracking engine (see codeRegex).
  return codeRegex(`^${out}/?$`);
}
