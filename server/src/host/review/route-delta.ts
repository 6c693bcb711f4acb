import { LineIndex, routesOf, type Project, type RouteInfo } from '../../engine/index.js';

/** An HTTP route that the change adds (or that loses its authentication), with whether anything authenticates it. */
export interface DeltaRoute {
  method: string;
  path: string;
  auth: 'none' | 'authenticated' | 'unknown';
  change: 'added' | 'lost-auth';
  /** Public by design (health check, login...), as the route index says. */
  publicReason?: string;
  file: string;
  line: number;
}

const AUTH: Record<RouteInfo['status'], DeltaRoute['auth']> = {
  authenticated: 'authenticated',
  unauthenticated: 'none',
  'opted-out': 'none',
  optional: 'none',
  unmounted: 'unknown',
  unverified: 'unknown',
};

/** Routes of the head project that the base did not have, and routes that were authenticated at the base and are not any more. */
export function routesAdded(head: Project, base: Project): DeltaRoute[] {
  const before = new Map(safeRoutes(base).map((r) => [routeKey(r), r]));
  const out: DeltaRoute[] = [];
  for (const route of safeRoutes(head)) {
    const prior = before.get(routeKey(route));
    const auth = AUTH[route.status];
    const change = !prior ? 'added' : prior.status === 'authenticated' && auth === 'none' ? 'lost-auth' : undefined;
    if (!change) continue;
    const text = head.file(route.file)?.text ?? '';
    out.push({
      method: route.method,
      path: route.path,
      auth,
      change,
      ...(route.publicReason ? { publicReason: route.publicReason } : {}),
      file: route.file,
      line: new LineIndex(text).position(route.range.start).line + 1,
    });
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

function routeKey(route: RouteInfo): string {
  return `${route.method} ${route.path}`;
}

/** The route index is best effort: a failure there must not cost the review its other sections. */
function safeRoutes(project: Project): RouteInfo[] {
  try {
    project.refreshFacts();
    return routesOf(project.facts);
  } catch {
    return [];
  }
}
