import { routesOf as projectRoutes, type Project, type RouteInfo } from '../engine/index.js';

/** A route as the code lens shows it. */
interface RouteLens {
  range: { start: number; end: number };
  title: string;
}

/** The routes a file registers, with what authenticates them. */
export function routeLenses(project: Project, file: string): RouteLens[] {
  return projectRoutes(project.facts)
    .filter((r) => r.file === file)
    .map((r) => ({ range: r.range, title: `${lensTitle(r)}  ${r.method} ${r.path}` }));
}

function lensTitle(route: RouteInfo): string {
  const authenticating = route.auth.filter((s) => s.verdict === 'auth' && !s.excluded).map((s) => s.label);
  switch (route.status) {
    case 'authenticated':
      return `🔒 ${authenticating.join(', ') || 'authenticated'}${route.ineffectiveOptOut ? ` (${route.ineffectiveOptOut.label} has no effect: ${route.ineffectiveOptOut.why})` : ''}`;
    case 'optional':
      return `🔓 optional authentication${authenticating.length ? ` (${authenticating.join(', ')})` : ''}`;
    case 'opted-out':
      return `🔓 public: opts out of authentication${route.optOut ? ` (${route.optOut.label})` : ''}`;
    case 'unmounted':
      return route.notServed ? `❔ not served: ${route.notServed}` : '❔ not mounted anywhere gdpr-lint can see';
    case 'unverified':
      return `❔ authentication could not be verified (${route.auth
        .filter((s) => s.undecided)
        .map((s) => s.label)
        .join(', ')})`;
    default:
      if (route.publicReason) return `🔓 public by design: ${route.publicReason}`;
      return route.tooLate
        ? `🔓 public: no authentication (${route.tooLate.label} comes too late)`
        : '🔓 public: no authentication';
  }
}

/**
 * What other files' results read of the routes: which routes exist and what protects them.
 * Ranges are left out so that typing above a route does not re-analyse the project.
 */
export function routesSignature(project: Project): string {
  return projectRoutes(project.facts)
    .map((r) => `${r.method} ${r.path} ${r.file} ${r.status} ${r.auth.map((s) => `${s.label}:${s.verdict}`).join(',')}`)
    .sort()
    .join('\n');
}
