import { Project } from '../../server/src/engine/index.js';
import { routesOf } from '../../server/src/engine/routes/index.js';
import { testConfig } from '../helpers.js';

export interface RouteRow {
  method: string;
  path: string;
  status: string;
  file: string;
  /** The text the route's range covers. */
  token: string;
}

/** Every route of in-memory files, as rows (sorted by file and position). */
export function routeRows(files: Record<string, string>, extra: Parameters<typeof testConfig>[0] = {}): RouteRow[] {
  const project = new Project(testConfig(extra));
  for (const [path, text] of Object.entries(files)) project.setFile({ path, text });
  return routesOf(project.facts)
    .sort((a, b) => a.file.localeCompare(b.file) || a.range.start - b.range.start || a.method.localeCompare(b.method))
    .map((r) => ({
      method: r.method,
      path: r.path,
      status: r.status,
      file: r.file,
      token: files[r.file]!.slice(r.range.start, r.range.end),
    }));
}

/** `METHOD path status` lines, the compact form tables compare. */
export function routeLines(files: Record<string, string>, extra: Parameters<typeof testConfig>[0] = {}): string[] {
  return routeRows(files, extra).map((r) => `${r.method} ${r.path} ${r.status}`);
}
