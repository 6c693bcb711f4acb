import { displayPaths, type FindingLink, type Inventory } from '../../engine/index.js';
import { AUTH_TEXT, PROTECTION_TEXT, type InventoryMeta } from './labels.js';

const HEADER = [
  'section',
  'id',
  'name',
  'kind',
  'categories',
  'protection',
  'auth',
  'destination',
  'public',
  'deleted',
  'file',
  'line',
  'detail',
] as const;
type Row = Partial<Record<(typeof HEADER)[number], string | number | boolean>>;

/** One row per item (store, field, route, export, third party, log, retention, risk), a `section` column first. */
export function formatInventoryCsv(raw: Inventory, _meta: InventoryMeta): string {
  // File paths are shown, not opened, here: control characters in them come out escaped.
  const inventory = displayPaths(raw);
  const rows: Row[] = [];
  for (const s of inventory.stores) {
    rows.push({
      section: 'store',
      id: s.id,
      name: s.name,
      kind: `${s.kind} (${s.sources.join('+')})`,
      categories: s.categories.join(' '),
      protection: PROTECTION_TEXT[s.protection],
      file: s.declared[0]?.file,
      line: s.declared[0]?.line,
      detail: `${s.columnCount} columns`,
    });
    for (const f of s.fields) {
      rows.push({
        section: 'field',
        id: s.id,
        name: `${s.name}.${f.name}`,
        kind: f.type,
        categories: f.category,
        protection: f.protection ?? (f.special ? 'in clear' : ''),
        file: f.location.file,
        line: f.location.line,
        detail: f.why,
      });
    }
  }
  for (const r of inventory.routes) {
    rows.push({
      section: 'route',
      id: r.id,
      name: `${r.method} ${r.path}`,
      kind: r.framework,
      categories: r.categories.join(' '),
      auth: `${AUTH_TEXT[r.auth]}${r.authBy.length > 0 ? ` (${r.authBy.join(', ')})` : ''}`,
      file: r.location.file,
      line: r.location.line,
      detail: r.publicReason ? `public by design: ${r.publicReason}` : r.reads.join('; '),
    });
  }
  for (const e of inventory.exports) {
    rows.push({
      section: 'export',
      id: e.id,
      name: e.job,
      kind: e.kind,
      categories: e.categories.join(' '),
      destination: `${e.destination.kind}: ${e.destination.target ?? '?'} (${e.destination.via})`,
      public: e.destination.public,
      file: e.location.file,
      line: e.location.line,
      detail: `${e.selectStar ? 'SELECT * ' : ''}${e.tables.join(' ')}: ${e.columns.join(' ')}${e.destination.exposure ? `; public: ${e.destination.exposure}` : ''}${rulesOf(e.findings)}`,
    });
  }
  for (const t of inventory.thirdParties) {
    for (const f of t.flows)
      rows.push({
        section: 'third-party',
        id: t.id,
        name: t.name,
        kind: t.kind,
        categories: f.categories.join(' '),
        destination: f.via,
        file: f.location.file,
        line: f.location.line,
        detail: `${f.accepted ? `accepted: ${f.accepted}` : f.health ? 'health data' : 'personal data'}${rulesOf(f.findings)}`,
      });
  }
  for (const l of inventory.logs)
    rows.push({
      section: 'log',
      id: l.id,
      name: l.sink,
      categories: l.category,
      file: l.location.file,
      line: l.location.line,
      detail: l.accepted ? `accepted: ${l.accepted}` : (l.path ?? ''),
    });
  for (const r of inventory.retention) {
    rows.push({
      section: 'retention',
      id: r.id,
      name: r.target,
      kind: r.kind,
      categories: r.categories.join(' '),
      public: r.public,
      deleted: r.deleted,
      file: r.location.file,
      line: r.location.line,
      detail: `${r.deletion ? `${r.deletion.how} (${r.deletion.scope}${r.deletion.location ? `, ${r.deletion.location.file}:${r.deletion.location.line}` : ''})` : 'no deletion found'}${rulesOf(r.findings)}`,
    });
  }
  for (const k of inventory.summary.risks)
    rows.push({
      section: 'risk',
      id: k.target,
      name: k.title,
      kind: k.level,
      file: k.location.file,
      line: k.location.line,
    });
  return [HEADER.join(','), ...rows.map((row) => HEADER.map((h) => cell(row[h])).join(','))].join('\r\n') + '\r\n';
}

/** `; findings: export-without-erasure (error)`: the rules that report the row. */
function rulesOf(findings: readonly FindingLink[] | undefined): string {
  return findings && findings.length > 0
    ? `; findings: ${findings.map((f) => `${f.ruleId} (${f.accepted ? `accepted: ${f.accepted}` : f.severity})`).join(', ')}`
    : '';
}

/** RFC 4180 quoting; a leading = + - @ is defused so that a spreadsheet never runs a scanned name as a formula. */
export function cell(value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
