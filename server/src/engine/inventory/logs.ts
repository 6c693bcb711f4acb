import type { Category } from '../vocabulary/classify.js';
import type { Finding } from '../types.js';
import { byLocation, type Ids, type InventoryInput } from './context.js';
import type { LogEntry } from './model.js';

/** Where health data reaches logs and error messages: the findings of `health-data-in-logs`. */
export function logsOf(input: InventoryInput, findings: readonly Finding[], ids: Ids): LogEntry[] {
  return findings
    .filter((f) => f.ruleId === 'health-data-in-logs')
    .map((f) => {
      const path = typeof f.data?.['path'] === 'string' ? f.data['path'] : undefined;
      const sink = typeof f.data?.['sink'] === 'string' ? f.data['sink'] : 'log';
      const location = input.locate(f.file, f.range.start);
      return {
        id: ids.next('log', `${f.file.split('/').pop()} ${location.line}`),
        sink,
        category: (f.data?.['category'] as Category | undefined) ?? 'health-condition',
        ...(path ? { path } : {}),
        ...(f.suppressed ? { accepted: f.suppressed.justification ?? 'suppressed' } : {}),
        location,
      };
    })
    .sort(byLocation);
}
