import { exposureOf } from '../routes/exposure.js';
import { routesOf, type RouteInfo } from '../routes/index.js';
import { unwrap } from '../syntax/ast.js';
import { sqlStatementsOf, structureOf } from '../sql/index.js';
import { classifierFor, type Category } from '../vocabulary/classify.js';
import { contextFor, sortCategories, storedColumns, type Ids, type InventoryInput } from './context.js';
import type { RouteAuth, RouteEntry } from './model.js';

const AUTH: Record<RouteInfo['status'], RouteAuth> = {
  authenticated: 'authenticated',
  unauthenticated: 'none',
  'opted-out': 'opted-out',
  optional: 'optional',
  unmounted: 'unmounted',
  unverified: 'unverified',
};

/** Every route of the route index, with the authentication that applies and what its handler reads or returns. */
export function routeEntriesOf(input: InventoryInput, ids: Ids): RouteEntry[] {
  const out: RouteEntry[] = [];
  for (const route of routesOf(input.project.facts)) {
    const reads = new Map<string, Category>();
    const context = contextFor(input, route.file, 'unauthenticated-route');
    const exposure = context ? exposureOf(route, context, { path: true }) : undefined;
    if (exposure) reads.set(exposure.kind === 'path' ? `its path (${exposure.via})` : exposure.via, exposure.category);
    for (const [what, category] of queryReads(input, route)) reads.set(what, category);
    out.push({
      id: ids.next('route', `${route.method} ${route.path}`),
      method: route.method,
      path: route.path,
      framework: route.framework,
      auth: AUTH[route.status],
      authBy: [...new Set(route.auth.filter((s) => s.verdict === 'auth' && !s.excluded).map((s) => s.label))],
      ...(route.publicReason ? { publicReason: route.publicReason } : {}),
      categories: sortCategories(reads.values()),
      reads: [...reads.keys()],
      location: input.locate(route.file, route.range.start),
    });
  }
  return out;
}

/** Columns read by the SQL inside the handler: `results.value` -> lab-result; a star reads every known column. */
function queryReads(input: InventoryInput, route: RouteInfo): Map<string, Category> {
  const found = new Map<string, Category>();
  const handler = route.handler ? unwrap(route.handler.node) : undefined;
  const view = route.handler ? input.project.file(route.handler.file) : undefined;
  if (!handler || !view || !view.ts) return found;
  const start = handler.getStart(view.ts);
  const classifier = classifierFor(input.project.config);
  const schema = input.project.facts.schema;
  for (const statement of sqlStatementsOf(view, input.project.facts)) {
    if (statement.start < start || statement.end > handler.end) continue;
    for (const scope of structureOf(statement).scopes) {
      if (scope.role !== 'output') continue;
      const tables = scope.from.filter((r) => !r.derived).map((r) => r.name);
      const container = tables[0];
      for (const item of scope.items) {
        if (item.star) {
          for (const table of tables) {
            for (const column of storedColumns(schema, table)) {
              const c = classifier.classify(column.name, { kind: 'column', container: table });
              if (c) found.set(`${table}.${column.name}`, c.category);
            }
          }
          continue;
        }
        if (!item.name) continue;
        const c = classifier.classify(item.name, { kind: 'column', ...(container ? { container } : {}) });
        if (c) found.set(container ? `${container}.${item.name}` : item.name, c.category);
      }
    }
  }
  return found;
}
