import ts from 'typescript';
import type { AuthClassifier } from './auth.js';
import { objectProperty } from './chain.js';
import type { AuthStep, RouteInfo } from './model.js';
import { literalPath, nodeRange } from './paths.js';
import { dottedName, propertyName, unwrap } from '../syntax/ast.js';
import { labelOf } from './steps.js';
import { nodesOfKind } from '../syntax/node-index.js';

/** The calls of a procedure chain that declare what it answers (`publicProcedure.input(...).query(fn)`). */
const PROCEDURE_KINDS: Record<string, string> = { query: 'GET', mutation: 'POST', subscription: 'GET' };
/** tRPC adapters: they serve a router under an endpoint; the HTTP route that calls one is not a route of its own. */
const ADAPTERS = new Set([
  'fetchRequestHandler',
  'createNextApiHandler',
  'createExpressMiddleware',
  'createHTTPHandler',
  'createHTTPServer',
  'nodeHTTPRequestHandler',
  'createOpenApiNextHandler',
  'createOpenApiExpressMiddleware',
  'createOpenApiFetchHandler',
]);

/** tRPC facts of one file: router objects and adapters. */
export interface TrpcFileFacts {
  /** `createTRPCRouter({...})`, `t.router({...})`, `router({...})`, `mergeRouters(a, b)`. */
  routers: ts.CallExpression[];
  adapters: ts.CallExpression[];
}

export function collectTrpc(source: ts.SourceFile): TrpcFileFacts {
  const facts: TrpcFileFacts = { routers: [], adapters: [] };
  for (const node of nodesOfKind(source, ts.SyntaxKind.CallExpression)) {
    if (!ts.isCallExpression(node)) continue;
    const name = dottedName(node.expression).split('.').pop() ?? '';
    if (ADAPTERS.has(name)) facts.adapters.push(node);
    else if (isRouterCall(node, name)) facts.routers.push(node);
  }
  return facts;
}

/** A router call: named like one with an object of entries, or an object holding a procedure chain. */
function isRouterCall(call: ts.CallExpression, name: string): boolean {
  if (/^mergeRouters$/.test(name)) return call.arguments.length > 0;
  const arg = call.arguments[0] && unwrap(call.arguments[0]);
  if (call.arguments.length !== 1 || !arg || !ts.isObjectLiteralExpression(arg)) return false;
  if (/router$/i.test(name)) return true;
  return arg.properties.some((p) => ts.isPropertyAssignment(p) && procedureKind(p.initializer) !== undefined);
}

/** `....query(fn)` -> { kind: 'query', fn }. */
function procedureKind(
  expression: ts.Expression,
): { kind: string; fn?: ts.Expression; call: ts.CallExpression } | undefined {
  const n = unwrap(expression);
  if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression)) return undefined;
  const kind = n.expression.name.text;
  if (!Object.prototype.hasOwnProperty.call(PROCEDURE_KINDS, kind)) return undefined;
  // `cache.query(sql)` on a plain object is not a procedure: the chain must start from a name.
  let root: ts.Expression = n.expression.expression;
  while (ts.isCallExpression(root) && ts.isPropertyAccessExpression(root.expression)) root = root.expression.expression;
  if (!ts.isIdentifier(root) && !ts.isPropertyAccessExpression(root)) return undefined;
  return { kind, fn: n.arguments[0], call: n };
}

/** GraphQL servers: authentication is decided per resolver (through the context), out of gdpr-lint's view. */
const GRAPHQL_ADAPTERS = new Set([
  'startServerAndCreateNextHandler',
  'createYoga',
  'graphqlHTTP',
  'createHandler',
  'expressMiddleware',
  'handleRequest',
  'startServerAndCreateLambdaHandler',
  'createServer',
]);

/** `delegatesToGraphql` per node, with the tree it was asked in (its answer reads the file's first lines too). */
const graphqlAnswers = new WeakMap<ts.Node, { source: ts.SourceFile; value: boolean }>();

/** Does a node run a GraphQL server (Apollo, Yoga, express-graphql, graphql-http)? */
export function delegatesToGraphql(node: ts.Node): boolean {
  // Asked of every route handler at every resolution of the routes: walked once per tree.
  const source = node.getSourceFile();
  const known = graphqlAnswers.get(node);
  if (known && known.source === source) return known.value;
  const value = runsGraphql(node);
  graphqlAnswers.set(node, { source, value });
  return value;
}

function runsGraphql(node: ts.Node): boolean {
  const direct = (n: ts.Node) =>
    ts.isCallExpression(n) &&
    GRAPHQL_ADAPTERS.has(dottedName(n.expression).split('.').pop() ?? '') &&
    /graphql|yoga|apollo|schema|resolvers|typeDefs/i.test(
      n.getText().slice(0, 400) + (n.getSourceFile()?.text.slice(0, 2000) ?? ''),
    );
  if (direct(node)) return true;
  let found = false;
  node.forEachChild(function visit(n): void {
    if (found) return;
    if (direct(n)) found = true;
    else n.forEachChild(visit);
  });
  return found;
}

/** Does a handler delegate to a tRPC adapter (its procedures are the routes)? */
export function delegatesToProcedures(node: ts.Node): boolean {
  let found = false;
  node.forEachChild(function visit(n): void {
    if (found) return;
    if (ts.isCallExpression(n) && ADAPTERS.has(dottedName(n.expression).split('.').pop() ?? '')) found = true;
    else n.forEachChild(visit);
  });
  return found;
}

interface RouterNode {
  call: ts.CallExpression;
  file: string;
  /** Sub-routers by key (`''` for merged routers). */
  children: Array<{ key: string; router: ts.CallExpression }>;
}

/**
 * tRPC procedures as routes, judged one by one: the base procedure (`protectedProcedure`) is
 * followed to its definition and every `.use(middleware)` on the way is classified like a
 * middleware (`if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED' })` authenticates).
 */
export function trpcRoutes(files: Map<string, TrpcFileFacts>, auth: AuthClassifier): RouteInfo[] {
  const resolver = auth.resolver;
  const routers = new Map<ts.CallExpression, RouterNode>();
  for (const [file, facts] of files) for (const call of facts.routers) routers.set(call, { call, file, children: [] });
  const routerOf = (expression: ts.Expression, file: string): ts.CallExpression | undefined => {
    const n = unwrap(expression);
    if (ts.isCallExpression(n) && routers.has(n)) return n;
    const origin = resolver.origin(n, file);
    return origin?.kind === 'node' && ts.isCallExpression(origin.node) && routers.has(origin.node)
      ? origin.node
      : undefined;
  };
  const nested = new Set<ts.CallExpression>();
  for (const router of routers.values()) {
    const object = router.call.arguments[0] && unwrap(router.call.arguments[0]);
    const entries: Array<{ key: string; value: ts.Expression }> = [];
    if (object && ts.isObjectLiteralExpression(object)) {
      for (const p of object.properties) {
        if (ts.isPropertyAssignment(p)) entries.push({ key: propertyName(p.name) ?? '', value: p.initializer });
        else if (ts.isShorthandPropertyAssignment(p)) entries.push({ key: p.name.text, value: p.name });
      }
    } else for (const a of router.call.arguments) entries.push({ key: '', value: a });
    for (const { key, value } of entries) {
      if (procedureKind(value)) continue;
      const child = routerOf(value, router.file);
      if (child && child !== router.call) {
        router.children.push({ key, router: child });
        nested.add(child);
      }
    }
  }
  // Served: routers an adapter serves (under its endpoint), and what they nest. Without any adapter
  // in view, the top routers are taken as served.
  const roots: Array<{ router: ts.CallExpression; endpoint: string }> = [];
  for (const [file, facts] of files) {
    for (const adapter of facts.adapters) {
      const options = adapter.arguments
        .map(unwrap)
        .find((a): a is ts.ObjectLiteralExpression => ts.isObjectLiteralExpression(a));
      const routerExpr = objectProperty(options, 'router');
      const router = routerExpr && routerOf(routerExpr, file);
      if (router)
        roots.push({
          router,
          endpoint: literalPath(objectProperty(options, 'endpoint')) ?? mountPath(adapter) ?? '/trpc',
        });
    }
  }
  const anyAdapter = roots.length > 0;
  if (!anyAdapter)
    for (const r of routers.values()) if (!nested.has(r.call)) roots.push({ router: r.call, endpoint: '/trpc' });

  const routes: RouteInfo[] = [];
  const seen = new Set<string>();
  const walk = (
    call: ts.CallExpression,
    prefix: string[],
    endpoint: string,
    served: boolean,
    stack: Set<ts.CallExpression>,
  ) => {
    const router = routers.get(call);
    if (!router || stack.has(call)) return;
    const inner = new Set(stack).add(call);
    const object = call.arguments[0] && unwrap(call.arguments[0]);
    if (object && ts.isObjectLiteralExpression(object)) {
      for (const p of object.properties) {
        if (!ts.isPropertyAssignment(p)) continue;
        const procedure = procedureKind(p.initializer);
        if (!procedure) continue;
        const key = [...prefix, propertyName(p.name) ?? '?'].join('.');
        const id = `${router.file}:${p.pos}:${endpoint}:${key}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const steps = procedureSteps(procedure.call, router.file, auth);
        const authenticated = steps.some((s) => s.verdict === 'auth');
        routes.push({
          framework: 'trpc',
          method: PROCEDURE_KINDS[procedure.kind]!,
          path: `${endpoint.replace(/\/+$/, '')}/${key}`,
          file: router.file,
          range: nodeRange(p.name),
          status: !served
            ? 'unmounted'
            : authenticated
              ? 'authenticated'
              : steps.some((s) => s.undecided)
                ? 'unverified'
                : 'unauthenticated',
          auth: steps,
          handler: procedure.fn ? { file: router.file, node: procedure.fn } : undefined,
          registration: p,
        });
      }
    }
    for (const child of router.children)
      walk(child.router, child.key ? [...prefix, child.key] : prefix, endpoint, served, inner);
  };
  for (const root of roots) walk(root.router, [], root.endpoint, true, new Set());
  // Routers nothing serves: their procedures are listed, not reported.
  const reached = new Set(routes.map((r) => r.registration));
  for (const r of routers.values())
    if (!nested.has(r.call) && !roots.some((x) => x.router === r.call)) walk(r.call, [], '/trpc', false, new Set());
  return routes.filter((r, i, all) => r.status !== 'unmounted' || !reached.has(r.registration) || all.indexOf(r) === i);
}

/** `app.use('/trpc', createExpressMiddleware({...}))`: the mount path is the endpoint. */
function mountPath(adapter: ts.CallExpression): string | undefined {
  const parent = adapter.parent;
  if (
    parent &&
    ts.isCallExpression(parent) &&
    ts.isPropertyAccessExpression(parent.expression) &&
    parent.expression.name.text === 'use' &&
    parent.arguments[1] === adapter
  )
    return literalPath(parent.arguments[0]);
  return undefined;
}

/** The middleware a procedure passes, from its base procedure's definition to its own `.use(...)` calls. */
function procedureSteps(call: ts.CallExpression, file: string, auth: AuthClassifier, depth = 0): AuthStep[] {
  const steps: AuthStep[] = [];
  let node: ts.Expression = call;
  const uses: Array<{ mw: ts.Expression; file: string }> = [];
  while (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    if (node.expression.name.text === 'use' && node.arguments[0]) uses.unshift({ mw: node.arguments[0], file });
    node = unwrap(node.expression.expression);
  }
  // The base: `t.procedure` (nothing), or a name defined as another chain (`protectedProcedure`).
  if (ts.isIdentifier(node) && depth < 6) {
    const origin = auth.resolver.definition(node, file);
    const made = origin?.kind === 'node' ? unwrap(origin.node) : undefined;
    if (made && ts.isCallExpression(made) && origin?.kind === 'node')
      steps.push(...procedureSteps(made, origin.file, auth, depth + 1));
    else if (!made || (!ts.isPropertyAccessExpression(made) && !ts.isCallExpression(made))) {
      // A base procedure out of view: its name is all there is (`protectedProcedure`, `publicProcedure`).
      const byName = auth.byName(node.text);
      steps.push({
        label: node.text,
        verdict: byName?.verdict ?? 'unknown',
        why: byName?.why ?? `${node.text} could not be followed to its definition`,
        level: 'route',
        file,
        range: nodeRange(node),
        ...(byName ? {} : { undecided: true }),
      });
    }
  }
  for (const { mw, file: at } of uses) {
    const verdict = auth.middleware(mw, at);
    steps.push({
      label: labelOf(mw),
      verdict: verdict.verdict,
      why: verdict.why,
      level: 'route',
      file: at,
      range: nodeRange(mw),
      ...(verdict.undecided ? { undecided: true } : {}),
    });
  }
  return steps;
}
