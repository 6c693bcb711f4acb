import { exportFactsOf, type ExportFact } from '../exports/facts.js';
import type { Finding } from '../types.js';
import { contextFor, type Ids, type InventoryInput } from './context.js';
import type { ExportEntry, FindingLink } from './model.js';

/** An export with what the other sections need: its file and the engine's fact. */
export interface ExportRecord {
  entry: ExportEntry;
  file: string;
  fact: ExportFact;
}

/**
 * Every statement or job that takes data out of the database, and every write of health data to
 * a public place: the export facts `export-to-public-location` and `export-without-erasure`
 * report on (engine/exports), each row linked to that rule's finding when there is one.
 */
export function exportsOf(input: InventoryInput, findings: readonly Finding[], ids: Ids): ExportRecord[] {
  const out: ExportRecord[] = [];
  for (const path of input.project.analysedPaths().sort()) {
    const ctx = contextFor(input, path, 'export-to-public-location');
    if (!ctx) continue;
    for (const fact of exportFactsOf(ctx)) {
      const links = [
        ...linksOf(findings, 'export-to-public-location', fact),
        ...sentLinks(findings, fact.file, fact.node?.getStart()),
      ];
      out.push({
        entry: {
          id: ids.next(
            'export',
            `${fact.tables[0] ?? (fact.origin === 'write' ? 'write' : 'query')} ${fact.destination.target ?? fact.destination.kind}`,
          ),
          kind: fact.kind,
          job: fact.job,
          statement: fact.statement,
          tables: fact.tables,
          columns: fact.columns,
          personalColumns: fact.personalColumns,
          categories: fact.categories,
          selectStar: fact.selectStar,
          destination: fact.destination,
          location: input.locate(path, fact.at),
          ...(links.length > 0 ? { findings: links } : {}),
        },
        file: path,
        fact,
      });
    }
  }
  return out;
}

/** `health-data-in-clear-transit` findings about the call at `at` (an export or a flow sent over a clear channel). */
export function sentLinks(findings: readonly Finding[], file: string, at: number | undefined): FindingLink[] {
  if (at === undefined) return [];
  return findings
    .filter((f) => f.ruleId === 'health-data-in-clear-transit' && f.file === file && f.data?.['sentAt'] === at)
    .map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      ...(f.suppressed ? { accepted: f.suppressed.justification ?? 'suppressed' } : {}),
    }));
}

/** The findings of `ruleId` about an export fact: reported at its anchor, in its file. */
export function linksOf(findings: readonly Finding[], ruleId: string, fact: ExportFact): FindingLink[] {
  return findings
    .filter((f) => f.ruleId === ruleId && f.file === fact.file && f.range.start === fact.anchor.start)
    .map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      ...(f.suppressed ? { accepted: f.suppressed.justification ?? 'suppressed' } : {}),
    }));
}
