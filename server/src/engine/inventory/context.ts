import { ruleOptions } from '../config.js';
import type { DetectorContext } from '../detector.js';
import type { Project } from '../project.js';
import { SPECIAL_CATEGORIES, type Category } from '../vocabulary/classify.js';
import type { Location } from './model.js';
import type { ColumnFact, SchemaIndex } from '../schema.js';

/** What every section builder reads: the project and a way to place offsets. */
export interface InventoryInput {
  project: Project;
  locate(file: string, offset: number): Location;
}

export function inputOf(project: Project): InventoryInput {
  return {
    project,
    locate(file, offset) {
      const lines = project.file(file)?.lines;
      const p = lines ? lines.position(offset) : { line: 0, character: 0 };
      return { file, line: p.line + 1, column: p.character + 1 };
    },
  };
}

/**
 * A detector context for one file, so that the engine's own helpers (route exposure, sink and
 * host resolution) answer the inventory exactly as they answer the detectors. Reports are dropped.
 */
export function contextFor(input: InventoryInput, path: string, ruleId: string): DetectorContext | undefined {
  const file = input.project.file(path);
  if (!file) return undefined;
  const config = input.project.config;
  return {
    file,
    config,
    project: input.project.facts,
    options: ruleOptions(config, ruleId),
    report: () => undefined,
    tick: () => undefined,
    note: () => undefined,
  };
}

const ORDER: readonly Category[] = [...SPECIAL_CATEGORIES, 'identity', 'contact', 'professional'];

/** Distinct categories, special ones first, in a stable order. */
export function sortCategories(list: Iterable<Category>): Category[] {
  return [...new Set(list)].sort((a, b) => rank(a) - rank(b));
}

function rank(c: Category): number {
  const i = ORDER.indexOf(c);
  return i < 0 ? ORDER.length : i;
}

/** A stable anchor: `store-patients`, `route-get-api-patients-id`. Uniqueness is ensured by `ids`. */
export function slug(prefix: string, text: string): string {
  const body = text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${prefix}-${body || 'item'}`;
}

/** Hands out unique ids: a second `store-patients` becomes `store-patients-2`. */
export class Ids {
  private readonly used = new Map<string, number>();

  next(prefix: string, text: string): string {
    const base = slug(prefix, text);
    const n = (this.used.get(base) ?? 0) + 1;
    this.used.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  }
}

export function byLocation<T extends { location: Location }>(a: T, b: T): number {
  return (
    a.location.file.localeCompare(b.location.file) ||
    a.location.line - b.location.line ||
    a.location.column - b.location.column
  );
}

/**
 * The columns a query on `table` returns: those of its SQL DDL when the project has it (a
 * model's fields are the same columns under other names), else those of its models.
 */
export function storedColumns(schema: SchemaIndex, table: string): ColumnFact[] {
  const declarations = schema.declarations(table);
  const sql = declarations.filter((d) => d.source === 'sql');
  if (sql.length === 0) return schema.columns(table);
  const seen = new Map<string, ColumnFact>();
  for (const d of sql)
    for (const c of d.columns) if (!seen.has(c.name.toLowerCase())) seen.set(c.name.toLowerCase(), c);
  return [...seen.values()];
}
