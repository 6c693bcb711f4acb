import type { DetectorContext } from '../detector.js';
import { suppressionFix } from '../suppressions.js';
import type { Fix, Range, RelatedLocation } from '../types.js';
import { carriesSpecialData, type ExportFact } from './facts.js';

/**
 * What an export carries, for a message: `"patients" (statut_vih: health-condition, nir:
 * health-identifier, +4 more)`, `health data (lab-result: result.value)`. Names, never values.
 */
export function describeData(fact: ExportFact): string {
  const ordered = [...fact.personalColumns].sort((a, b) => Number(b.special) - Number(a.special));
  const shown = ordered.slice(0, 4).map((c) => `${c.name}: ${c.category}`);
  const more = ordered.length > 4 ? `, +${ordered.length - 4} more` : '';
  if (fact.origin === 'write') return `health data (${shown.join(', ')})`;
  const tables =
    fact.tables.length > 0
      ? fact.tables
          .slice(0, 3)
          .map((t) => `"${t}"`)
          .join(', ')
      : 'a query';
  if (shown.length > 0) return `${tables} (${shown.join(', ')}${more})`;
  return `${tables} (personal data presumed from the table's name)`;
}

/** `error` for special categories and national health identifiers, `warning` for other personal data. */
export function severityOf(fact: ExportFact): 'error' | 'warning' {
  return carriesSpecialData(fact) ? 'error' : 'warning';
}

/** The query that reads the data, when the finding points elsewhere (at the path of the write). */
export function readRelated(fact: ExportFact, ctx: DetectorContext, anchor: Range): RelatedLocation[] {
  const sql = fact.sql;
  if (!sql || (sql.start <= anchor.start && anchor.end <= sql.end)) return [];
  return [
    {
      file: ctx.file.path,
      range: { start: sql.start, end: sql.end },
      message: `the data is read here (${fact.tables.slice(0, 2).join(', ') || 'query'})`,
    },
  ];
}

/** The write, when the finding points at a path written elsewhere in the statement. */
export function writeRelated(fact: ExportFact, ctx: DetectorContext): RelatedLocation[] {
  const node = fact.node;
  if (!node || !ctx.file.ts || node.getSourceFile() !== ctx.file.ts) return [];
  const range = { start: node.getStart(ctx.file.ts), end: node.end };
  if (range.start <= fact.anchor.start && fact.anchor.end <= range.end) return [];
  return [{ file: ctx.file.path, range, message: `written here (${fact.destination.via})` }];
}

export function suppression(ctx: DetectorContext, range: Range, ruleId: string): Fix {
  return suppressionFix(ctx.file, range.start, ruleId);
}
