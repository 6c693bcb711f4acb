import type ts from 'typescript';
import type { Range } from '../types.js';

export type Framework = 'express' | 'koa' | 'fastify' | 'hapi' | 'nest' | 'next' | 'trpc';

/** What a middleware, hook, guard or check does for authentication. */
export type AuthVerdict = 'auth' | 'not-auth' | 'unknown';

/** A location in a project file. */
export interface Place {
  file: string;
  range: Range;
}

/** One middleware / hook / guard / check seen on the way to a route, in execution order. */
export interface AuthStep extends Place {
  /** As written, shortened: `requireAuth`, `helmet()`, `AuthGuard('jwt')`. */
  label: string;
  verdict: AuthVerdict;
  /** Why it does or does not authenticate. */
  why: string;
  /** Where it applies from. */
  level: 'global' | 'router' | 'mount' | 'route' | 'hook' | 'guard' | 'strategy' | 'next-middleware' | 'handler';
  /** An authenticating step that skips this route (`.unless`, `@Public()`, `auth: false`). */
  excluded?: Place & { label: string };
  /** `unknown` that may authenticate: it could not be followed (see `Verdict.undecided`). */
  undecided?: boolean;
}

export type RouteStatus =
  /** An authenticating step applies. */
  | 'authenticated'
  /** Nothing authenticates it. */
  | 'unauthenticated'
  /** It opts out of the authentication that applies elsewhere. */
  | 'opted-out'
  /** Authentication is attempted but not required (Hapi `mode: 'try'`/`'optional'`). */
  | 'optional'
  /** Where it is mounted is not visible (a router never mounted, a plugin never registered). */
  | 'unmounted'
  /** Nothing known authenticates it, but a middleware or guard in its way could not be followed. */
  | 'unverified';

/** One HTTP route of the project with the authentication that applies to it. */
export interface RouteInfo {
  framework: Framework;
  /** Upper-case method(s): `GET`, `POST`, `ALL`, `GET|POST`. */
  method: string;
  /** The full path: prefixes from routers, mounts, plugins, controllers and the global prefix. */
  path: string;
  /** The file and range that registers it: the path literal, the `path:` value, the method decorator, the exported handler name. */
  file: string;
  range: Range;
  status: RouteStatus;
  /** Every middleware / hook / guard / check seen, in execution order. */
  auth: AuthStep[];
  /** The authenticating `use` that comes after the route (too late for it). */
  tooLate?: Place & { label: string };
  /** The mount that places the route's router before `tooLate`. */
  mountedBy?: Place & { label: string };
  /** The opt-out that removes authentication (`@Public()`, `auth: false`, `.unless`). */
  optOut?: Place & { label: string };
  /** The file of the application that serves it, when the route is mounted through a chain of routers. */
  servedBy?: string;
  /** Why an `unmounted` route is known not to be served (an archived copy of the app, an app production never starts). */
  notServed?: string;
  /** An opt-out (`@Public()`) that the guard in force never reads: it has no effect. */
  ineffectiveOptOut?: Place & { label: string; why: string };
  /** Public by design (health check, login...): the reason. */
  publicReason?: string;
  /** Arguable path (metrics): the reason. */
  arguableReason?: string;
  /** Internal: what the detector needs for severity and fixes. */
  handler?: { file: string; node: ts.Node };
  registration: ts.Node;
}
