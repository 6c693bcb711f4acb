import ts from 'typescript';
import { samplePath, type AuthClassifier } from './auth.js';
import { delegatesToGraphql } from './trpc.js';
import {
  before,
  FASTIFY_HOOKS,
  objectProperty,
  type Attachment,
  type ChainEvent,
  type ChainModel,
  type Container,
  type Order,
} from './chain.js';
import type { Framework, Place, RouteInfo } from './model.js';
import { joinPaths, nodeRange, underPrefix } from './paths.js';
import { propertyName, unwrap } from '../syntax/ast.js';
import { decideStatus, stepOf, type ModelStep } from './steps.js';

interface Chain {
  /** The path of the container's mount point. */
  above: string;
  steps: ModelStep[];
  tooLate?: Place & { label: string };
  /** The mount that puts the container before `tooLate`, when the late auth is in a parent. */
  mount?: Place & { label: string };
  mounted: boolean;
  framework?: Framework;
  /** The file of the application at the top of the chain. */
  app: string;
}

/** Routes of Express, Koa and Fastify with the middleware / hooks that run before each. */
export function chainRoutes(model: ChainModel, auth: AuthClassifier): RouteInfo[] {
  const routes: RouteInfo[] = [];
  for (const container of model.containers.values()) {
    for (const event of container.events) {
      if (event.kind !== 'route') continue;
      const pathInContainer = joinPaths(container.prefix, event.path);
      const own = routeSteps(event, auth);
      for (const chain of chainsOf(model, container, event.order, pathInContainer, auth, new Set())) {
        const framework = chain.framework ?? frameworkOf(container) ?? 'express';
        const path = joinPaths(chain.above, pathInContainer);
        const decided = decideStatus([...chain.steps, ...own.steps], path);
        let status = decided.status;
        let optOut = decided.optOut;
        const routeLevelAuth = own.steps.some((st) => st.verdict === 'auth');
        if (own.optOut && status === 'authenticated' && !routeLevelAuth) {
          status = 'opted-out';
          optOut = own.optOut;
        }
        if (!chain.mounted) status = 'unmounted';
        routes.push({
          framework,
          method: event.method.toUpperCase().replace(/^DEL$/, 'DELETE'),
          path,
          file: event.file,
          range: nodeRange(event.pathNode),
          status,
          auth: decided.steps,
          tooLate: chain.tooLate,
          mountedBy: chain.mount,
          optOut,
          servedBy: chain.app,
          handler: event.handler
            ? (handlerFunction(event.handler, event.file, auth) ?? { file: event.file, node: event.handler })
            : undefined,
          registration: event.call,
        });
      }
    }
  }
  return routes;
}

function frameworkOf(container: Container, seen = new Set<Container>()): Framework | undefined {
  if (container.framework !== 'unknown') return container.framework;
  seen.add(container);
  for (const a of container.attachments) if (!seen.has(a.parent)) return frameworkOf(a.parent, seen);
  return undefined;
}

/** The ways a request reaches a container, each with the steps it passes through. */
function chainsOf(
  model: ChainModel,
  container: Container,
  order: Order,
  pathInContainer: string,
  auth: AuthClassifier,
  visiting: Set<string>,
): Chain[] {
  const fastify = frameworkOf(container) === 'fastify';
  const own = fastify
    ? hookSteps(container, auth, new Set())
    : useSteps(model, container, order, pathInContainer, auth);
  const tooLate = fastify ? undefined : firstAuthAfter(model, container, order, pathInContainer, auth);
  if (container.attachments.length === 0 || visiting.has(container.key)) {
    return [
      {
        above: '',
        steps: own,
        tooLate,
        mounted: container.role === 'app' && !visiting.has(container.key),
        framework: frameworkOf(container),
        app: container.file,
      },
    ];
  }
  const chains: Chain[] = [];
  const next = new Set(visiting).add(container.key);
  for (const attachment of container.attachments) {
    const pathInParent = joinPaths(attachment.parent.prefix, attachment.prefix, pathInContainer);
    for (const parent of chainsOf(model, attachment.parent, attachment.order, pathInParent, auth, next)) {
      chains.push({
        above: joinPaths(parent.above, attachment.parent.prefix, attachment.prefix),
        steps: [...parent.steps, ...mountSteps(attachment, auth), ...own],
        tooLate: tooLate ?? parent.tooLate,
        mount: tooLate
          ? undefined
          : (parent.mount ??
            (parent.tooLate
              ? { file: attachment.file, range: nodeRange(attachment.via), label: shortText(attachment.via) }
              : undefined)),
        mounted: parent.mounted,
        framework: frameworkOf(container) ?? parent.framework,
        app: parent.app,
      });
    }
  }
  return chains;
}

const END: Order = [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];

function useSteps(
  model: ChainModel,
  container: Container,
  order: Order,
  path: string,
  auth: AuthClassifier,
): ModelStep[] {
  const steps: ModelStep[] = [];
  for (const event of usesOf(container)) {
    if (!before(event.order, order) || !covers(event, path)) continue;
    for (const m of event.middleware)
      steps.push(stepOf(m, event.file, auth.middleware(m, event.file), container.role === 'app' ? 'global' : 'router'));
  }
  steps.push(...leakedSteps(model, container, order, path, auth, new Set([container])));
  return steps;
}

/**
 * Express: the authentication a request meets inside the routers mounted in `container` before
 * `order`. A router's `router.use(auth)`, and the middleware of its mount, run for every request
 * that enters the router and matches no route there, so they also guard what the parent serves
 * after the mount (an auth router mounted on `/api` ahead of the feature routers).
 * Koa and Fastify scope middleware to their own routes and plugins: nothing leaks there.
 */
function leakedSteps(
  model: ChainModel,
  container: Container,
  order: Order,
  path: string,
  auth: AuthClassifier,
  seen: Set<Container>,
): ModelStep[] {
  if (!leaks(container)) return [];
  const steps: ModelStep[] = [];
  for (const mount of model.mountedIn(container)) {
    if (before(mount.attachment.order, order)) steps.push(...throughMount(model, mount, path, auth, seen));
  }
  return steps;
}

/** The authenticating middleware a request for `path` meets by entering one mounted router. */
function throughMount(
  model: ChainModel,
  { child, attachment }: { child: Container; attachment: Attachment },
  path: string,
  auth: AuthClassifier,
  seen: Set<Container>,
): ModelStep[] {
  if (seen.has(child) || !leaks(child) || !underPrefix(path, attachment.prefix)) return [];
  const steps: ModelStep[] = [];
  const rest = stripPrefix(path, attachment.prefix);
  const authenticating = (m: ts.Expression, file: string) => {
    const verdict = auth.middleware(m, file);
    if (verdict.verdict === 'auth') steps.push(stepOf(m, file, verdict, 'router'));
  };
  for (const m of attachment.middleware) authenticating(m, attachment.file);
  for (const event of usesOf(child))
    if (covers(event, rest)) for (const m of event.middleware) authenticating(m, event.file);
  steps.push(...leakedSteps(model, child, END, rest, auth, new Set(seen).add(child)));
  return steps;
}

function leaks(container: Container): boolean {
  const framework = frameworkOf(container);
  return framework === undefined || framework === 'express';
}

function stripPrefix(path: string, prefix: string): string {
  const p = prefix.replace(/\/+$/, '');
  if (p === '' || p === '*' || p === '/*') return path;
  return path.slice(p.length) || '/';
}

function firstAuthAfter(
  model: ChainModel,
  container: Container,
  order: Order,
  path: string,
  auth: AuthClassifier,
): (Place & { label: string }) | undefined {
  const candidates: Array<{ order: Order; call: ts.CallExpression; file: string }> = [];
  for (const e of usesOf(container)) {
    if (
      before(order, e.order) &&
      covers(e, path) &&
      e.middleware.some((m) => auth.middleware(m, e.file).verdict === 'auth')
    )
      candidates.push(e);
  }
  if (leaks(container)) {
    for (const { child, attachment } of model.mountedIn(container)) {
      if (!before(order, attachment.order)) continue;
      if (throughMount(model, { child, attachment }, path, auth, new Set([container])).length > 0)
        candidates.push({ order: attachment.order, call: attachment.via, file: attachment.file });
    }
  }
  candidates.sort((a, b) => (before(a.order, b.order) ? -1 : 1));
  const first = candidates[0];
  return first ? { file: first.file, range: nodeRange(first.call), label: shortText(first.call) } : undefined;
}

type UseEvent = Extract<ChainEvent, { kind: 'use' }>;

const usesByEvents = new WeakMap<ChainEvent[], { length: number; uses: UseEvent[] }>();

/** The `use` events of a container, in order: what every one of its routes passes through (listed once, not once per route). */
function usesOf(container: Container): UseEvent[] {
  const known = usesByEvents.get(container.events);
  if (known && known.length === container.events.length) return known.uses;
  const uses = container.events.filter((e): e is UseEvent => e.kind === 'use');
  usesByEvents.set(container.events, { length: container.events.length, uses });
  return uses;
}

function covers(event: UseEvent, path: string): boolean {
  if (event.patterns) return event.patterns.some((r) => r.test(path) || r.test(samplePath(path)));
  return !event.paths || event.paths.some((p) => underPrefix(path, p));
}

/** Fastify: the hooks of the container, of the fastify-plugin children it shares scope with. */
function hookSteps(container: Container, auth: AuthClassifier, seen: Set<Container>): ModelStep[] {
  seen.add(container);
  const steps: ModelStep[] = [];
  for (const event of container.events) {
    if (event.kind === 'hook') steps.push(stepOf(event.fn, event.file, auth.middleware(event.fn, event.file), 'hook'));
    else if (event.kind === 'shared' && !seen.has(event.child)) steps.push(...hookSteps(event.child, auth, seen));
    else if (event.kind === 'use')
      for (const m of event.middleware) steps.push(stepOf(m, event.file, auth.middleware(m, event.file), 'global'));
  }
  return steps;
}

function mountSteps(attachment: Attachment, auth: AuthClassifier): ModelStep[] {
  return attachment.middleware.map((m) => stepOf(m, attachment.file, auth.middleware(m, attachment.file), 'mount'));
}

/** Route-level middleware, Fastify route hooks, and a check inside the handler. */
function routeSteps(
  event: Extract<ChainEvent, { kind: 'route' }>,
  auth: AuthClassifier,
): { steps: ModelStep[]; optOut?: Place & { label: string } } {
  const steps = event.middleware.map((m) => stepOf(m, event.file, auth.middleware(m, event.file), 'route'));
  let optOut: (Place & { label: string }) | undefined;
  if (event.options) {
    for (const p of event.options.properties) {
      if (!ts.isPropertyAssignment(p) || !FASTIFY_HOOKS.has(propertyName(p.name) ?? '')) continue;
      const value = unwrap(p.initializer);
      const items = ts.isArrayLiteralExpression(value) ? [...value.elements] : [value];
      for (const item of items) steps.push(stepOf(item, event.file, auth.middleware(item, event.file), 'route'));
    }
    const config = objectProperty(event.options, 'config');
    if (config && ts.isObjectLiteralExpression(config)) {
      for (const p of config.properties) {
        if (
          ts.isPropertyAssignment(p) &&
          auth.knowledge.optOutConfigKeys.has(propertyName(p.name) ?? '') &&
          p.initializer.kind === ts.SyntaxKind.TrueKeyword
        ) {
          optOut = { file: event.file, range: nodeRange(p), label: p.getText() };
        }
      }
    }
  }
  // app.post('/graphql', graphqlHTTP({ schema })): the resolvers decide, out of view.
  if (event.handler && delegatesToGraphql(unwrap(event.handler))) {
    steps.push({
      label: 'GraphQL server',
      verdict: 'unknown',
      why: 'authentication is decided per resolver, through the context, which gdpr-lint does not follow',
      level: 'route',
      file: event.file,
      range: nodeRange(event.handler),
      undecided: true,
    });
  }
  const handler = event.handler && handlerFunction(event.handler, event.file, auth);
  if (handler) {
    const verdict = auth.body(handler.node, handler.file, 0, true);
    if (verdict.verdict === 'auth')
      steps.push({
        label: 'the handler',
        verdict: 'auth',
        why: verdict.why,
        level: 'handler',
        file: event.file,
        range: nodeRange(event.handler!),
      });
  }
  return { steps, optOut };
}

/**
 * The function that handles a route: inline, named elsewhere (`controller.list`), or wrapped
 * (`asyncHandler(async (req, res) => ...)`, `catchErrors(list)`).
 */
function handlerFunction(
  handler: ts.Expression,
  file: string,
  auth: AuthClassifier,
  depth = 0,
): { node: ts.Node; file: string } | undefined {
  const node = unwrap(handler);
  if (ts.isFunctionLike(node)) return { node, file };
  if (ts.isCallExpression(node) && depth < 3) {
    const inner =
      node.arguments.map(unwrap).find((a) => ts.isFunctionLike(a)) ??
      node.arguments.find((a) => ts.isIdentifier(unwrap(a)) || ts.isPropertyAccessExpression(unwrap(a)));
    if (inner) return handlerFunction(inner, file, auth, depth + 1);
  }
  const origin = auth.resolver.origin(node, file);
  if (origin?.kind === 'node' && ts.isFunctionLike(origin.node)) return { node: origin.node, file: origin.file };
  if (origin?.kind === 'node' && ts.isCallExpression(origin.node) && origin.node !== node && depth < 3)
    return handlerFunction(origin.node, origin.file, auth, depth + 1);
  return undefined;
}

function shortText(node: ts.Node): string {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length > 60 ? text.slice(0, 57) + '...' : text;
}
