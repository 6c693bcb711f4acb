import ts from 'typescript';
import type { DetectorContext } from '../detector.js';
import type { ProjectFacts } from '../facts.js';
import { routesOf } from '../routes/index.js';
import type { RouteInfo } from '../routes/model.js';
import { logSinkOf } from '../sinks/loggers.js';
import { consoleKept } from '../sinks/runtime.js';
import { nodesOfKind } from '../syntax/node-index.js';
import { enclosingFunction } from '../syntax/ast.js';
import { rowFlowOf, type ExportSink, type ExportSinks } from './result-flow.js';
import type { SqlStatement } from './types.js';

/**
 * Where the rows of a read go. Whole records that leave (an export, a log, an HTTP response, the
 * output of a script someone runs) are what select-star-export is about; rows used inside the
 * application (an existence check, one field for a note, a list in memory) are not.
 */
export type RowDestination =
  | { kind: 'export'; where: string; sink: ExportSink }
  | { kind: 'log'; where: string }
  | { kind: 'response'; where: string }
  | { kind: 'script'; where: string }
  | { kind: 'app' };

/** Where the rows of an embedded query or an ORM read (`start`) go. */
export function rowDestination(start: ts.Node, ctx: DetectorContext, sinks: ExportSinks): RowDestination {
  const source = ctx.file.ts!;
  const flow = rowFlowOf(start, source, sinks, {
    wholeRecords: true,
    tick: ctx.tick,
    logCall: (call) => {
      const log = logSinkOf(call, ctx);
      return log && log.kind !== 'error' && !log.masked && (log.kind !== 'console' || consoleKept(ctx))
        ? log.label
        : undefined;
    },
  });
  if (flow.sink) return { kind: 'export', where: sinkPhrase(flow.sink), sink: flow.sink };
  if (flow.logged) return { kind: 'log', where: `to a log (${flow.logged.label})` };
  if (flow.sent) {
    let route: string | undefined;
    for (let fn = enclosingFunction(flow.sent.node); fn && !route; fn = enclosingFunction(fn))
      route = handlerRoute(fn, ctx.project);
    return { kind: 'response', where: `to the client (${flow.sent.label}${route ? `, ${route}` : ''})` };
  }
  if (flow.returned) {
    const fn = flow.returned.fn;
    const route =
      handlerRoute(fn, ctx.project) ?? (isProcedure(fn) ? `the tRPC procedure ${procedureName(fn)}` : undefined);
    if (route) return { kind: 'response', where: `to the client (returned by ${route})` };
    const caller = callerRoute(fn, ctx.project);
    if (caller) return { kind: 'response', where: `to the client (returned through ${caller})` };
    const local = sameFileCaller(fn, ctx, sinks);
    if (local) return local;
  }
  return { kind: 'app' };
}

/**
 * A helper of the same file whose result a caller sends (`const user = await this.getByName(req);
 * res.json(user)`): where its callers send the rows. One level: the callers' own returns are not followed.
 */
function sameFileCaller(fn: ts.Node, ctx: DetectorContext, sinks: ExportSinks): RowDestination | undefined {
  const name = functionName(fn);
  const source = ctx.file.ts!;
  if (!name || !source.text.includes(`${name}(`)) return undefined;
  for (const call of nodesOfKind<ts.CallExpression>(source, ts.SyntaxKind.CallExpression)) {
    const callee = call.expression;
    const called = ts.isPropertyAccessExpression(callee)
      ? callee.name.text
      : ts.isIdentifier(callee)
        ? callee.text
        : undefined;
    if (called !== name || (call.pos >= fn.pos && call.end <= fn.end)) continue;
    ctx.tick();
    const flow = rowFlowOf(call, source, sinks, { wholeRecords: true, tick: ctx.tick });
    if (flow.sink) return { kind: 'export', where: sinkPhrase(flow.sink), sink: flow.sink };
    if (flow.sent) return { kind: 'response', where: `to the client (${flow.sent.label} after ${name}())` };
  }
  return undefined;
}

/** A statement of a `.sql` file: a top-level SELECT prints its rows to whoever runs the script. */
export function scriptDestination(statement: SqlStatement): RowDestination {
  if (statement.origin !== 'sql-file' || statement.container || statement.kind !== 'select') return { kind: 'app' };
  return { kind: 'script', where: 'to whoever runs this script' };
}

function sinkPhrase(sink: ExportSink): string {
  switch (sink.kind) {
    case 'file':
      return `to a file (${sink.name})`;
    case 'stream':
      return `to a stream (${sink.name})`;
    case 'download':
      return `in a file download (${sink.name})`;
    case 'http':
      return `to another system (${sink.name})`;
    case 'queue':
      return `to a message queue (${sink.name})`;
    case 'mail':
      return `by mail (${sink.name})`;
  }
}

interface HandlerIndex {
  version: number;
  handlers: Map<ts.Node, string>;
  /** Functions whose result a handler sends, by name: `findAll` <- `GET /users` (receiver `usersService`). */
  sent: Map<string, { route: string; receiver?: string }[]>;
}

function handlerIndex(facts: ProjectFacts): HandlerIndex {
  const routes = routesOf(facts);
  const index = facts.index<HandlerIndex & { routes?: RouteInfo[] }>('select-star:handlers', () => ({
    version: -1,
    handlers: new Map(),
    sent: new Map(),
  }));
  if (index.routes === routes) return index;
  index.routes = routes;
  index.handlers = new Map();
  index.sent = new Map();
  for (const route of routes) {
    const fn = route.handler?.node;
    if (!fn || !ts.isFunctionLike(fn)) continue;
    const label = `${route.method} ${route.path}`;
    index.handlers.set(fn, label);
    for (const sent of sentCalls(fn))
      addSent(index, sent.name, { route: label, ...(sent.receiver ? { receiver: sent.receiver } : {}) });
  }
  // One level down: a service method sent by a handler that returns a repository's call.
  const level1 = [...index.sent.entries()].map(([n, list]) => [n, [...list]] as const);
  if (level1.length > 0) {
    const names = new Set(level1.map(([name]) => name));
    for (const path of facts.ts.paths()) {
      // Only a file that declares a function of one of these names can add to them (its names are kept until it changes).
      const declared = facts.memo(path, 'select-star:declared-functions', () => {
        const source = facts.ts.sourceFile(path);
        const out = new Set<string>();
        if (source)
          for (const fn of nodesOfKind(source, ts.SyntaxKind.MethodDeclaration, ts.SyntaxKind.FunctionDeclaration)) {
            const name = functionName(fn);
            if (name) out.add(name);
          }
        return out;
      });
      if (![...declared].some((name) => names.has(name))) continue;
      const sf = facts.ts.sourceFile(path);
      if (!sf || !level1.some(([name]) => sf.text.includes(name))) continue;
      for (const fn of nodesOfKind(sf, ts.SyntaxKind.MethodDeclaration, ts.SyntaxKind.FunctionDeclaration)) {
        const name = functionName(fn);
        const entries = name ? level1.find(([n]) => n === name)?.[1] : undefined;
        if (!entries || !ts.isFunctionLike(fn) || index.handlers.has(fn)) continue;
        for (const inner of returnedCalls(fn)) {
          if (inner.name === name) continue;
          for (const e of [...entries])
            addSent(index, inner.name, {
              route: `${name}() of ${e.route}`,
              ...(inner.receiver ? { receiver: inner.receiver } : {}),
            });
        }
      }
    }
  }
  return index;
}

function addSent(index: HandlerIndex, name: string, entry: { route: string; receiver?: string }): void {
  const list = index.sent.get(name) ?? [];
  if (!list.some((e) => e.route === entry.route && e.receiver === entry.receiver)) list.push(entry);
  index.sent.set(name, list);
}

/** The route a function handles, as `GET /path`. */
function handlerRoute(fn: ts.Node | undefined, facts: ProjectFacts): string | undefined {
  if (!fn) return undefined;
  return handlerIndex(facts).handlers.get(fn);
}

/** A handler sends the result of this function (directly, or through one service method). */
function callerRoute(fn: ts.Node, facts: ProjectFacts): string | undefined {
  const name = functionName(fn);
  if (!name) return undefined;
  const entries = handlerIndex(facts).sent.get(name);
  if (!entries) return undefined;
  const owner = ownerName(fn)?.toLowerCase();
  const entry = entries.find(
    (e) =>
      !e.receiver ||
      !owner ||
      owner.includes(e.receiver.toLowerCase().replace(/(service|repository|repo|dao|model|store)$/i, '')),
  );
  return entry ? `${name}() to ${entry.route}` : undefined;
}

type CalledName = { name: string; receiver?: string };

/** What `sentCalls` and `returnedCalls` found in a function: syntax of its body only, so kept for as long as the node lives. */
const sentCache = new WeakMap<ts.Node, CalledName[]>();
const returnedCache = new WeakMap<ts.Node, CalledName[]>();

function cached(
  cache: WeakMap<ts.Node, CalledName[]>,
  fn: ts.SignatureDeclaration,
  compute: (fn: ts.SignatureDeclaration) => CalledName[],
): CalledName[] {
  let found = cache.get(fn);
  if (!found) cache.set(fn, (found = compute(fn)));
  return found;
}

/** Calls whose result the handler sends: `return svc.list()`, `res.json(await svc.list())`, `const x = await svc.list(); res.json(x)`. */
function sentCalls(fn: ts.SignatureDeclaration): CalledName[] {
  return cached(sentCache, fn, computeSentCalls);
}

function computeSentCalls(fn: ts.SignatureDeclaration): CalledName[] {
  const out: { name: string; receiver?: string }[] = [];
  const sentNames = new Set<string>();
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (!body) return out;
  const sentExpression = (e: ts.Expression): boolean => {
    const p = climb(e);
    const parent = p.parent;
    if (ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === p)) return true;
    if (ts.isCallExpression(parent) && parent.arguments.includes(p as ts.Expression) && isResponseCall(parent))
      return true;
    if (
      (ts.isPropertyAssignment(parent) || ts.isShorthandPropertyAssignment(parent)) &&
      ts.isObjectLiteralExpression(parent.parent)
    )
      return sentExpression(parent.parent);
    return false;
  };
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) {
      const init = unwrapAwait(n.initializer);
      if (ts.isCallExpression(init)) sentNames.add(n.name.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  const used = new Set<string>();
  const visitUse = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && sentNames.has(n.text) && !ts.isVariableDeclaration(n.parent) && sentExpression(n))
      used.add(n.text);
    ts.forEachChild(n, visitUse);
  };
  visitUse(body);
  const visitCalls = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && !isResponseCall(n)) {
      const parent = climb(n).parent;
      const assigned = ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) && used.has(parent.name.text);
      if (assigned || sentExpression(n)) {
        const callee = n.expression;
        if (ts.isPropertyAccessExpression(callee))
          out.push({ name: callee.name.text, receiver: receiverHint(callee.expression) });
        else if (ts.isIdentifier(callee)) out.push({ name: callee.text });
      }
    }
    ts.forEachChild(n, visitCalls);
  };
  visitCalls(body);
  return out;
}

/** Calls a function returns: `return this.repo.find(...)`, `return await Model.findAll()`. */
function returnedCalls(fn: ts.SignatureDeclaration): CalledName[] {
  return cached(returnedCache, fn, computeReturnedCalls);
}

function computeReturnedCalls(fn: ts.SignatureDeclaration): CalledName[] {
  const out: { name: string; receiver?: string }[] = [];
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (!body) return out;
  const take = (e: ts.Expression) => {
    const u = unwrapAwait(e);
    if (!ts.isCallExpression(u)) return;
    const callee = u.expression;
    if (ts.isPropertyAccessExpression(callee))
      out.push({ name: callee.name.text, receiver: receiverHint(callee.expression) });
    else if (ts.isIdentifier(callee)) out.push({ name: callee.text });
  };
  if (!ts.isBlock(body)) take(body);
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (ts.isReturnStatement(n) && n.expression) take(n.expression);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return out;
}

function climb(e: ts.Node): ts.Node {
  let n = e;
  while (
    n.parent &&
    (ts.isAwaitExpression(n.parent) ||
      ts.isParenthesizedExpression(n.parent) ||
      ts.isAsExpression(n.parent) ||
      ts.isNonNullExpression(n.parent))
  )
    n = n.parent;
  return n;
}

function unwrapAwait(e: ts.Expression): ts.Expression {
  let u = e;
  while (
    ts.isAwaitExpression(u) ||
    ts.isParenthesizedExpression(u) ||
    ts.isAsExpression(u) ||
    ts.isNonNullExpression(u)
  )
    u = u.expression;
  return u;
}

function isResponseCall(call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !/^(json|send|jsonp|end|write)$/.test(callee.name.text)) return false;
  return /^(res|response|reply|ctx|h|c|context|resp|NextResponse|Response)\b/.test(callee.expression.getText());
}

/** `this.usersService` -> usersService, `repo` -> repo. */
function receiverHint(e: ts.Expression): string | undefined {
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  if (ts.isIdentifier(e)) return e.text;
  return undefined;
}

/** The name a function is called by: a method, a function declaration, `const list = async () => ...`. */
export function functionName(fn: ts.Node): string | undefined {
  if ((ts.isMethodDeclaration(fn) || ts.isFunctionDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name))
    return fn.name.text;
  const parent = fn.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}

/** The class a method belongs to. */
function ownerName(fn: ts.Node): string | undefined {
  for (let n: ts.Node | undefined = fn.parent; n; n = n.parent) if (ts.isClassLike(n)) return n.name?.text;
  return undefined;
}

/** A tRPC procedure's resolver: `publicProcedure.query(async () => ...)`, `t.procedure.input(x).mutation(...)`. */
function isProcedure(fn: ts.Node): boolean {
  const call = fn.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression)) return false;
  const callee = call.expression;
  return (
    ts.isPropertyAccessExpression(callee) &&
    /^(query|mutation)$/.test(callee.name.text) &&
    /procedure/i.test(callee.expression.getText())
  );
}

function procedureName(fn: ts.Node): string {
  for (let n: ts.Node | undefined = fn.parent; n; n = n.parent) {
    if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name)) return n.name.text;
  }
  return '';
}
