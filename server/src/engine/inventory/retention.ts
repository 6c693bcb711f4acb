import { erasureOf } from '../exports/erasure.js';
import { isExportOutput } from '../exports/facts.js';
import type { Finding } from '../types.js';
import { contextFor, sortCategories, type Ids, type InventoryInput } from './context.js';
import { linksOf, type ExportRecord } from './exports.js';
import type { RetentionEntry } from './model.js';

/**
 * What exports leave behind (files, bucket objects, copies of tables) and whether anything
 * deletes them: the engine's answer (engine/exports/erasure.ts), the one `export-without-erasure`
 * reports on, each row linked to its finding.
 */
export function retentionOf(
  input: InventoryInput,
  exports: readonly ExportRecord[],
  findings: readonly Finding[],
  ids: Ids,
): RetentionEntry[] {
  const out: RetentionEntry[] = [];
  for (const record of exports) {
    const { fact } = record;
    const { destination } = fact;
    if (destination.kind !== 'file' && destination.kind !== 'bucket' && destination.kind !== 'table') continue;
    const ctx = contextFor(input, record.file, 'export-without-erasure');
    if (!ctx || !isExportOutput(fact, ctx.config)) continue;
    const target = destination.target ?? '(computed at run time)';
    const erasure = erasureOf(fact, ctx);
    const links = linksOf(findings, 'export-without-erasure', fact);
    out.push({
      id: ids.next('retention', target.split('/').pop() ?? target),
      exportId: record.entry.id,
      kind: destination.kind,
      target,
      public: destination.public,
      categories: sortCategories(fact.personalColumns.filter((c) => c.special).map((c) => c.category)),
      deleted: erasure !== undefined,
      ...(erasure
        ? {
            deletion: {
              how: erasure.how,
              scope: erasure.scope,
              ...(erasure.file && erasure.range ? { location: input.locate(erasure.file, erasure.range.start) } : {}),
            },
          }
        : {}),
      location: record.entry.location,
      ...(links.length > 0 ? { findings: links } : {}),
    });
  }
  return out;
}
