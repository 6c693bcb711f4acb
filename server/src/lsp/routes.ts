import ts from 'typescript';
import { routeIndex, routesOf as projectRoutes, type FileRouteFacts, type Project, type ProjectFacts, type RouteInfo } from '../engine/index.js';

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
      return `❔ authentication could not be verified (${route.auth.filter((s) => s.undecided).map((s) => s.label).join(', ')})`;
    default:
      if (route.publicReason) return `🔓 public by design: ${route.publicReason}`;
      return route.tooLate ? `🔓 public: no authentication (${route.tooLate.label} comes too late)` : '🔓 public: no authentication';
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

/**
 * What the edited file gives the route resolution directly: its routing calls, route objects,
 * controllers, Next.js kind, imports and exports (names only for exported declarations, so that
 * typing in an exported function's body keeps the key). Same key = the routes can only have
 * changed through a function body the resolution reads (a middleware's), which the caller checks
 * once typing pauses.
 */
export function routeFactsKey(project: Project, file: string): string {
  const own = routeFactsOf(project.facts, file);
  const source = project.facts.ts.sourceFile(file);
  if (!own || !source) return '';
  const parts: string[] = [JSON.stringify(own.next ?? null)];
  const texts = (nodes: readonly ts.Node[]) => {
    for (const node of nodes) parts.push(node.getText(source));
  };
  texts(own.chain.calls);
  parts.push('|');
  texts(own.chain.invocations);
  parts.push('|');
  texts(own.hapi.routes);
  texts(own.hapi.defaults);
  parts.push('|');
  texts(own.nest.controllers);
  texts(own.nest.modules);
  texts(own.nest.factories);
  parts.push('|');
  texts(own.trpc.routers);
  texts(own.trpc.adapters);
  parts.push('|');
  for (const statement of source.statements) parts.push(moduleShape(statement, source));
  return parts.join('\u0000');
}

/** A top-level statement as imports/exports see it: declarations by kind and name, the rest in full. */
function moduleShape(statement: ts.Statement, source: ts.SourceFile): string {
  const named = ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement)
    || ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement);
  if (named) {
    const modifiers = ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []).map((m) => m.getText(source)).join(' ') : '';
    return `${statement.kind} ${modifiers} ${statement.name?.getText(source) ?? ''}`;
  }
  return statement.getText(source);
}

function routeFactsOf(facts: ProjectFacts, file: string): FileRouteFacts | undefined {
  return routeIndex(facts).factsOf(file);
}
