import {
  displayPaths,
  isSpecial,
  type Category,
  type FindingLink,
  type Inventory,
  type Location,
} from '../../engine/index.js';
import { AUTH_TEXT, categoryText, PROTECTION_TEXT, type InventoryMeta } from './labels.js';
import { REPORT_CSS, REPORT_SCRIPT } from './html-assets.js';

/** Escapes text and attribute values: every name in the report comes from scanned code. */
function esc(value: string | number): string {
  return String(value).replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );
}

interface Row {
  id?: string;
  cells: string[];
  categories: readonly Category[];
  /** Stores and fields only: `clear`, `encrypted` or `none`. */
  protection?: 'clear' | 'encrypted' | 'none';
  /** Raw text the search box matches. */
  text: string;
  level?: 'high' | 'medium' | 'low';
}

/**
 * One self-contained HTML file: inline CSS and script, no fonts, images or requests (a CSP
 * forbids them), a table of contents, filters by category, protection and text, printable.
 */
export function formatInventoryHtml(raw: Inventory, meta: InventoryMeta): string {
  // File paths are shown, not opened, here: control characters in them come out escaped.
  const inv = displayPaths(raw);
  const at = (l: Location) => {
    const text = `<code>${esc(l.file)}:${l.line}</code>`;
    const href = meta.link?.(l.file, l.line);
    return href && /^https?:\/\//.test(href) ? `<a href="${esc(href)}">${text}</a>` : text;
  };
  const chips = (categories: readonly Category[]) =>
    categories.length === 0
      ? '<span class="muted">none</span>'
      : categories
          .map(
            (c) =>
              `<span class="chip${isSpecial(c) ? ' special' : ''}" title="${esc(categoryText(c))}">${esc(c)}</span>`,
          )
          .join(' ');
  const rules = (findings: readonly FindingLink[] | undefined) =>
    findings && findings.length > 0
      ? `<div class="muted">${findings.map((f) => `<code>${esc(f.ruleId)}</code> ${esc(f.accepted ? `accepted: ${f.accepted}` : f.severity)}`).join(', ')}</div>`
      : '';
  const c = inv.summary.counts;
  const sections: string[] = [];

  sections.push(
    section(
      'stores',
      'Data stores',
      `Tables, models and collections declared in SQL, Prisma and ORM code, with their personal-data fields.`,
      ['Store', 'Kind', 'Categories', 'Protection', 'Declared'],
      inv.stores.map((s) => ({
        id: s.id,
        categories: s.categories,
        protection: s.protection === 'no-special-data' ? 'none' : s.protection === 'encrypted' ? 'encrypted' : 'clear',
        text: [s.name, ...s.aliases, ...s.fields.map((f) => f.name)].join(' '),
        cells: [
          `<strong>${esc(s.name)}</strong>${s.aliases.length > 0 ? `<div class="muted">also ${esc(s.aliases.join(', '))}</div>` : ''}<div class="muted">${s.columnCount} columns, ${s.fields.length} personal</div>`,
          `${esc(s.kind)} <span class="muted">(${esc(s.sources.join(', '))})</span>`,
          chips(s.categories),
          state(
            s.protection === 'no-special-data' ? 'none' : s.protection === 'encrypted' ? 'encrypted' : 'clear',
            PROTECTION_TEXT[s.protection],
          ),
          s.declared.map(at).join('<br>'),
        ],
      })),
    ),
  );
  sections.push(
    section(
      'fields',
      'Personal-data fields',
      'Every field of a store that holds personal data; special categories (Art. 9) and health identifiers must be encrypted.',
      ['Store', 'Field', 'Category', 'Protection', 'Declared'],
      inv.stores.flatMap((s) =>
        s.fields.map(
          (f) =>
            ({
              categories: [f.category],
              protection: !f.special ? 'none' : f.protection ? 'encrypted' : 'clear',
              text: `${s.name} ${f.name} ${f.column ?? ''} ${f.protection ?? ''}`,
              cells: [
                `<a href="#${esc(s.id)}">${esc(s.name)}</a>`,
                `<code>${esc(f.name)}</code>${f.column ? ` <span class="muted">(${esc(f.column)})</span>` : ''}${f.type ? `<div class="muted">${esc(f.type)}</div>` : ''}`,
                chips([f.category]),
                f.protection
                  ? state('encrypted', `encrypted: ${f.protection}`)
                  : f.special
                    ? state('clear', 'in clear')
                    : '<span class="muted">in clear (not special)</span>',
                at(f.location),
              ],
            }) satisfies Row,
        ),
      ),
    ),
  );
  sections.push(
    section(
      'routes',
      'Routes',
      'HTTP routes with the authentication that applies to them and the personal data their handler reads or returns.',
      ['Route', 'Authentication', 'Reads or returns', 'Declared'],
      inv.routes.map((r) => ({
        id: r.id,
        categories: r.categories,
        text: `${r.method} ${r.path} ${r.authBy.join(' ')} ${r.reads.join(' ')} ${r.auth}`,
        cells: [
          `<code>${esc(r.method)} ${esc(r.path)}</code><div class="muted">${esc(r.framework)}</div>`,
          `${state(r.auth === 'authenticated' ? 'encrypted' : r.publicReason ? 'none' : 'clear', AUTH_TEXT[r.auth])}${r.authBy.length > 0 ? `<div class="muted">${esc(r.authBy.join(', '))}</div>` : ''}${r.publicReason ? `<div class="muted">public by design: ${esc(r.publicReason)}</div>` : ''}`,
          `${chips(r.categories)}${r.reads.length > 0 ? `<div class="muted">${esc(r.reads.join('; '))}</div>` : ''}`,
          at(r.location),
        ],
      })),
    ),
  );
  sections.push(
    section(
      'exports',
      'Exports and migrations',
      'Statements and jobs that take data out of the database, with what they take and where it goes.',
      ['Job', 'Takes', 'Destination', 'Statement'],
      inv.exports.map((e) => ({
        id: e.id,
        categories: e.categories,
        text: `${e.job} ${e.tables.join(' ')} ${e.columns.join(' ')} ${e.destination.target ?? ''} ${e.destination.via} ${e.kind}`,
        cells: [
          `<code>${esc(e.job)}</code><div class="muted">${esc(e.kind)}</div>`,
          `${esc(e.tables.join(', ') || '-')}${e.selectStar ? ' <span class="flag">SELECT *</span>' : ''}<div>${chips(e.categories)}</div>${e.personalColumns.length > 0 ? `<div class="muted">${esc(e.personalColumns.map((p) => p.name).join(', '))}</div>` : ''}`,
          `${esc(e.destination.kind)}: <code>${esc(e.destination.target ?? '?')}</code>${e.destination.public ? ' <span class="flag">public</span>' : ''}<div class="muted">${esc(e.destination.via)}${e.destination.exposure ? `: ${esc(e.destination.exposure)}` : ''}</div>${rules(e.findings)}`,
          `<code class="sql">${esc(e.statement)}</code><div>${at(e.location)}</div>`,
        ],
      })),
    ),
  );
  sections.push(
    section(
      'third-parties',
      'Third parties',
      'External hosts and SDKs that receive personal data: each needs a contract (Art. 28) and, for health data, certified hosting.',
      ['Recipient', 'Categories sent', 'Flows'],
      inv.thirdParties.map((t) => ({
        id: t.id,
        categories: t.categories,
        text: `${t.name} ${t.flows.map((f) => f.via).join(' ')}`,
        cells: [
          `<code>${esc(t.name)}</code><div class="muted">${esc(t.kind)}${t.health ? ', health data' : ''}</div>`,
          chips(t.categories),
          t.flows
            .map(
              (f) =>
                `${esc(f.via)} ${at(f.location)}${f.accepted ? ` <span class="muted">(accepted: ${esc(f.accepted)})</span>` : ''}${rules(f.findings)}`,
            )
            .join('<br>'),
        ],
      })),
    ),
  );
  sections.push(
    section(
      'logs',
      'Logs',
      'Where health data reaches logs or error messages.',
      ['Sink', 'Category', 'Value', 'Where'],
      inv.logs.map((l) => ({
        id: l.id,
        categories: [l.category],
        text: `${l.sink} ${l.path ?? ''}`,
        cells: [
          `<code>${esc(l.sink)}</code>`,
          chips([l.category]),
          `${l.path ? `<code>${esc(l.path)}</code>` : '-'}${l.accepted ? ` <span class="muted">(accepted: ${esc(l.accepted)})</span>` : ''}`,
          at(l.location),
        ],
      })),
    ),
  );
  sections.push(
    section(
      'retention',
      'Retention',
      'What exports leave behind and whether the code ever deletes it (unlink/rm, a TTL, a purge).',
      ['Written', 'Special categories', 'Deleted by the code', 'Export'],
      inv.retention.map((r) => ({
        id: r.id,
        categories: r.categories,
        text: `${r.target} ${r.kind} ${r.deleted ? 'deleted' : 'never deleted'}`,
        cells: [
          `<code>${esc(r.target)}</code>${r.public ? ' <span class="flag">public</span>' : ''}<div class="muted">${esc(r.kind)}</div>`,
          chips(r.categories),
          `${r.deletion ? `${state('encrypted', 'yes')} <code>${esc(r.deletion.how)}</code><div class="muted">${esc(r.deletion.scope)}${r.deletion.location ? `, ${at(r.deletion.location)}` : ''}</div>` : state('clear', 'no automatic deletion')}${rules(r.findings)}`,
          `<a href="#${esc(r.exportId)}">export</a> ${at(r.location)}`,
        ],
      })),
    ),
  );

  const risks =
    inv.summary.risks.length > 0
      ? `<ol class="risks">${inv.summary.risks.map((r) => `<li><span class="level ${r.level}">${r.level}</span> <a href="#${esc(r.target)}">${esc(r.title)}</a> ${at(r.location)}</li>`).join('')}</ol>`
      : '<p>No risk found.</p>';
  const cards: [string, number, string][] = [
    ['Stores', c.stores, `${c.storesWithSpecialData} with special data`],
    ['Special fields', c.specialFields, `${inv.summary.protection.fields.plaintext} in clear`],
    ['Routes', c.routes, `${c.routesWithoutAuth} without authentication`],
    ['Exports', c.exports, `${c.publicExports} to public places`],
    ['Third parties', c.thirdParties, 'receiving personal data'],
    ['Logs', c.logs, 'with health data'],
    ['Never deleted', c.filesNeverDeleted, 'export outputs'],
  ];
  const categoryOptions = inv.summary.categories
    .map((r) => `<option value="${esc(r.category)}">${esc(r.category)}</option>`)
    .join('');
  const toc = [
    ['summary', 'Summary'],
    ['stores', 'Data stores'],
    ['fields', 'Fields'],
    ['routes', 'Routes'],
    ['exports', 'Exports and migrations'],
    ['third-parties', 'Third parties'],
    ['logs', 'Logs'],
    ['retention', 'Retention'],
    ...(inv.notes.length > 0 ? [['notes', 'Notes']] : []),
  ];

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Privacy inventory: ${esc(meta.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>Privacy inventory: ${esc(meta.title)}</h1>
<p class="muted">Generated by gdpr-lint ${esc(meta.toolVersion)} from the code: the data map for the record of processing activities (GDPR Art. 30) and the DPIA (Art. 35). Names only, never values.</p>
<nav aria-label="Contents"><strong>Contents</strong> ${toc.map(([id, label]) => `<a href="#${id}">${esc(label!)}</a>`).join(' ')}</nav>
<form class="filters" onsubmit="return false">
<label>Category <select id="filter-category"><option value="">all</option><option value="special">any special category</option>${categoryOptions}</select></label>
<label>Protection <select id="filter-protection"><option value="">all</option><option value="clear">in clear</option><option value="encrypted">encrypted</option><option value="none">no special data</option></select></label>
<label>Search <input id="filter-text" type="search" placeholder="name, path, host..."></label>
<span class="muted">Protection filters stores and fields.</span>
</form>
</header>
<main>
<section id="summary">
<h2>Summary</h2>
<div class="cards">${cards.map(([label, n, sub]) => `<div class="card"><div class="n">${n}</div><div>${esc(label)}</div><div class="muted">${esc(sub)}</div></div>`).join('')}</div>
<h3>Top risks</h3>
${risks}
<h3>Categories</h3>
<table><thead><tr><th>Category</th><th>Fields</th><th>Routes</th><th>Exports</th><th>Third parties</th><th>Logs</th></tr></thead><tbody>
${inv.summary.categories.map((r) => `<tr><td>${chips([r.category])} <span class="muted">${esc(categoryText(r.category))}</span></td><td>${r.fields}</td><td>${r.routes}</td><td>${r.exports}</td><td>${r.thirdParties}</td><td>${r.logs}</td></tr>`).join('\n')}
</tbody></table>
<p>Stores: ${Object.entries(inv.summary.protection.stores)
    .map(([k, v]) => `${v} ${esc(PROTECTION_TEXT[k as keyof typeof PROTECTION_TEXT])}`)
    .join(
      ', ',
    )}. Special-category fields: ${inv.summary.protection.fields.encrypted} encrypted, ${inv.summary.protection.fields.plaintext} in clear.</p>
</section>
${sections.join('\n')}
${inv.notes.length > 0 ? `<section id="notes"><h2>Notes</h2><ul>${inv.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></section>` : ''}
</main>
<script>${REPORT_SCRIPT}</script>
</body>
</html>
`;

  function section(id: string, title: string, intro: string, headers: string[], rows: Row[]): string {
    const body =
      rows.length === 0
        ? `<tr><td colspan="${headers.length}" class="muted">None found.</td></tr>`
        : rows
            .map((r) => {
              const cats = [...r.categories, ...(r.categories.some(isSpecial) ? ['special'] : [])].join(' ');
              return `<tr${r.id ? ` id="${esc(r.id)}"` : ''} data-text="${esc(r.text.toLowerCase())}" data-cat="${esc(cats)}"${r.protection ? ` data-prot="${r.protection}"` : ''}>${r.cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`;
            })
            .join('\n');
    return `<section id="${id}" data-section>
<h2>${esc(title)} <span class="count">${rows.length}</span> <span class="shown muted"></span></h2>
<p class="muted">${esc(intro)}</p>
<table><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>
${body}
</tbody></table>
</section>`;
  }
}

function state(kind: 'clear' | 'encrypted' | 'none', text: string): string {
  return `<span class="state ${kind}">${esc(text)}</span>`;
}
