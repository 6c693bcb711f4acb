import ts from 'typescript';
import type { ProjectFacts } from '../facts.js';
import { AuthClassifier } from './auth.js';
import { ChainModel, collectChainCalls, HTTP_METHODS, type ChainFileFacts } from './chain.js';
import { chainRoutes } from './chain-routes.js';
import { collectHapi, hapiRoutes, type HapiFileFacts } from './hapi.js';
import { arguableReason, authKnowledge, publicReason, type AuthKnowledge } from './knowledge.js';
import { remember } from '../vocabulary/terms.js';
import type { RouteInfo } from './model.js';
import { collectNest, nestRoutes, type NestFileFacts } from './nest.js';
import { nextFileKind, nextRoutes, type NextFileKind } from './next.js';
import { collectTrpc, trpcRoutes, type TrpcFileFacts } from './trpc.js';
import { Resolver } from '../names/resolver.js';
import { unwrap } from '../syntax/ast.js';
import { notRunInProduction } from '../production.js';

export type { AuthStep, Framework, RouteInfo, RouteStatus, Place } from './model.js';

/** One file's route facts: the calls, classes and exports that may declare routes. */
export interface FileRouteFacts {
  chain: ChainFileFacts;
  hapi: HapiFileFacts;
  nest: NestFileFacts;
  trpc: TrpcFileFacts;
  next?: NextFileKind;
}

function collectRouteFacts(path: string, source: ts.SourceFile): FileRouteFacts {
  return {
    chain: collectChainCalls(source),
    hapi: collectHapi(source),
    nest: collectNest(source),
    trpc: collectTrpc(source),
    next: nextFileKind(path),
  };
}

/**
 * The routes of the project: per-file facts, replaced when a file changes, resolved across
 * files (imports, mounts, modules) into `RouteInfo`s on demand and cached until a file changes.
 */
class RouteIndex {
  private readonly byFile = new Map<string, FileRouteFacts>();
  private resolved: { version: number; manifests: number; routes: RouteInfo[]; resolver: Resolver } | undefined;
  version = 0;
  /** The TsProject version this index was last brought up to date with. */
  syncedWith = -1;

  replaceFile(path: string, facts: FileRouteFacts): void {
    this.byFile.set(path, facts);
    this.version++;
  }

  removeFile(path: string): void {
    if (this.byFile.delete(path)) this.version++;
  }

  files(): string[] {
    return [...this.byFile.keys()];
  }

  factsOf(path: string): FileRouteFacts | undefined {
    return this.byFile.get(path);
  }

  routes(project: ProjectFacts): RouteInfo[] {
    if (this.resolved?.version === this.version && this.resolved.manifests === project.manifests.version)
      return this.resolved.routes;
    return this.resolve(project);
  }

  private resolve(project: ProjectFacts): RouteInfo[] {
    const knowledge = authKnowledge(project.config);
    const resolver = new Resolver(project.ts, new Set(this.byFile.keys()));
    const auth = new AuthClassifier(resolver, knowledge);
    const model = new ChainModel(resolver);
    model.build(new Map([...this.byFile].map(([f, facts]) => [f, facts.chain])));
    const routes = [
      ...chainRoutes(model, auth),
      ...hapiRoutes(new Map([...this.byFile].map(([f, facts]) => [f, facts.hapi])), auth),
      ...nestRoutes(new Map([...this.byFile].map(([f, facts]) => [f, facts.nest])), auth),
      ...nextRoutes(
        new Map([...this.byFile].flatMap(([f, facts]) => (facts.next ? [[f, facts.next] as const] : []))),
        auth,
      ),
      ...trpcRoutes(new Map([...this.byFile].map(([f, facts]) => [f, facts.trpc])), auth),
    ];
    for (const route of routes) {
      [route.publicReason, route.arguableReason] = reasonsOf(route, knowledge);
      // An older copy of an application (same package name, lower version) is served by nothing.
      const newer = project.manifests.newerCopyOf(route.file);
      if (newer) {
        route.status = 'unmounted';
        route.notServed = `an older copy of the application in ${newer}/ (same package name, lower version)`;
        continue;
      }
      // Registered in, or served only by, a file production never runs (an alternative app, a test server, a stray copy).
      const where = [route.file, route.servedBy].find(
        (f) => f !== undefined && notRunInProduction(project, f) !== undefined,
      );
      if (where) {
        route.status = 'unmounted';
        route.notServed = `${where} is not run in production: ${notRunInProduction(project, where)}`;
      }
    }
    this.resolved = { version: this.version, manifests: project.manifests.version, routes, resolver };
    return routes;
  }

  /** The resolver of the last resolution (names across files), for what the detector follows from a handler. */
  resolverOf(project: ProjectFacts): Resolver {
    this.routes(project);
    return this.resolved!.resolver;
  }
}

type Reasons = [publicReason: string | undefined, arguableReason: string | undefined];

/** Why a path is public by design or arguable, per knowledge: the same paths come back at every resolution. */
const reasons = new WeakMap<AuthKnowledge, Map<string, Reasons>>();

function reasonsOf(route: RouteInfo, knowledge: AuthKnowledge): Reasons {
  let known = reasons.get(knowledge);
  if (!known) reasons.set(knowledge, (known = new Map<string, Reasons>()));
  const key = `${route.framework === 'trpc' ? 't' : ''}\u0000${route.method}\u0000${route.path}`;
  const cached = known.get(key);
  if (cached) return cached;
  // A tRPC procedure's key is dotted (`health.check`): its segments are the path's.
  const path = route.framework === 'trpc' ? route.path.replace(/\./g, '/') : route.path;
  return remember(known, key, [publicReason(path, knowledge, route.method), arguableReason(route.path, knowledge)]);
}

/** The project's route index, brought up to date with every TS/JS file (each file collected once per version). */
export function routeIndex(facts: ProjectFacts): RouteIndex {
  const index = facts.index('routes', () => new RouteIndex());
  // Called once per analysed file: without this check every call walks every path (O(n²) per scan).
  if (index.syncedWith === facts.ts.version) return index;
  return syncRouteIndex(index, facts);
}

function syncRouteIndex(index: RouteIndex, facts: ProjectFacts): RouteIndex {
  // Routes of tests and mocks (a supertest app, a mock server) are not the application's.
  const paths = facts.ts.paths().filter((p) => facts.inScope(p));
  const present = new Set(paths);
  for (const path of index.files()) if (!present.has(path)) index.removeFile(path);
  for (const path of paths) {
    facts.memo(path, 'routes', () => {
      const source = facts.ts.sourceFile(path);
      if (source) index.replaceFile(path, collectRouteFacts(path, source));
      else index.removeFile(path);
      return true;
    });
  }
  index.syncedWith = facts.ts.version;
  return index;
}

/**
 * Whether a file may declare a route: a cheap syntactic superset (a route is declared by a call,
 * route object, controller or route file of that file). Lets a per-file check skip resolving the
 * whole project's routes for the many files that declare none, e.g. on every edit of a service.
 */
export function mayDeclareRoutes(facts: ProjectFacts, path: string): boolean {
  const own = routeIndex(facts).factsOf(path);
  if (!own) return false;
  const { hapi, nest } = own;
  if (
    own.next ||
    hapi.routes.length +
      hapi.defaults.length +
      nest.controllers.length +
      nest.modules.length +
      nest.factories.length +
      own.trpc.routers.length >
      0
  )
    return true;
  return own.chain.calls.some((call) => {
    const callee = call.expression as ts.PropertyAccessExpression;
    const method = callee.name.text;
    if (method === 'route') return true;
    // app.get(path, handler) has two arguments at least; app.route('/x').get(handler) is chained.
    return HTTP_METHODS.has(method) && (call.arguments.length >= 2 || ts.isCallExpression(unwrap(callee.expression)));
  });
}

/** Follows names across the project's files, as the route resolution did. */
export function routeResolverOf(facts: ProjectFacts): Resolver {
  return routeIndex(facts).resolverOf(facts);
}

/** Every route of the project with the authentication that applies to it (inventory, PR delta, code lenses). */
export function routesOf(facts: ProjectFacts): RouteInfo[] {
  return routeIndex(facts).routes(facts);
}
