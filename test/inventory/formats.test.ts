import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Project } from '../../server/src/engine/index.js';
import { buildInventory } from '../../server/src/engine/inventory/index.js';
import { cell, formatInventoryCsv } from '../../server/src/host/inventory-formats/csv.js';
import { formatInventoryHtml } from '../../server/src/host/inventory-formats/html.js';
import { formatInventoryJson } from '../../server/src/host/inventory-formats/json.js';
import { formatInventoryMarkdown } from '../../server/src/host/inventory-formats/markdown.js';
import { testConfig } from '../helpers.js';
import { runInProcess } from '../cli/run-cli.js';

/** Names from scanned code that try to break out of the report: markup, quotes, pipes, formulas. */
const HOSTILE = {
  'db/<img src=x onerror=alert(1)>.sql':
    'CREATE TABLE "<script>alert(1)</script>" (diagnostic TEXT, "a|b" TEXT);\nCREATE TABLE "=HYPERLINK(""http://evil"")" (nir CHAR(15));\n',
  'export.sql': `COPY (SELECT * FROM "<script>alert(1)</script>") TO '/var/www/"><svg onload=alert(2)>.csv';\n`,
};

function hostileInventory() {
  const project = new Project(testConfig());
  for (const [path, text] of Object.entries(HOSTILE)) project.setFile({ path, text });
  return buildInventory(project);
}

const META = { title: 'demo <b>app</b>', toolVersion: '0.1.0' };

describe('inventory formats', () => {
  const inv = hostileInventory();

  it('the hostile names are really in the inventory (so the escaping below is tested)', () => {
    expect(inv.stores.map((s) => s.name)).toEqual(['<script>alert(1)</script>', '=HYPERLINK("http://evil")']);
    expect(inv.exports[0]!.destination).toMatchObject({ target: '/var/www/"><svg onload=alert(2)>.csv', public: true });
  });

  it('HTML: one self-contained file, every value escaped, printable, with contents and filters', () => {
    const html = formatInventoryHtml(inv, META);
    for (const raw of ['<script>alert(1)', '<img src=x', '<svg onload', '<b>app</b>']) expect(html).not.toContain(raw);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('db/&lt;img src=x onerror=alert(1)&gt;.sql');
    expect(html).toContain('/var/www/&quot;&gt;&lt;svg onload=alert(2)&gt;.csv');
    // Exactly one script: the report's own filters.
    expect(html.match(/<script\b/g)).toHaveLength(1);
    // Nothing is fetched: no external URL in src/href, no @import, a CSP forbidding requests.
    expect(html).not.toMatch(/\s(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/@import|url\(/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
    expect(html).toContain('@media print');
    for (const id of ['summary', 'stores', 'fields', 'routes', 'exports', 'third-parties', 'logs', 'retention']) {
      expect(html).toContain(`<a href="#${id}">`);
      expect(html).toContain(`id="${id}"`);
    }
    for (const control of ['filter-category', 'filter-protection', 'filter-text'])
      expect(html).toContain(`id="${control}"`);
  });

  it('HTML links to a line only with an http(s) link', () => {
    const linked = formatInventoryHtml(inv, {
      ...META,
      link: (f, l) => `https://git.example/blob/main/${encodeURIComponent(f)}#L${l}`,
    });
    expect(linked).toContain('href="https://git.example/blob/main/export.sql#L1"');
    const hostile = formatInventoryHtml(inv, { ...META, link: () => 'javascript:alert(1)' });
    expect(hostile).not.toContain('javascript:');
  });

  it('markdown: a wiki page whose table cells cannot be broken or turned into HTML', () => {
    const md = formatInventoryMarkdown(inv, META);
    expect(md.startsWith('# Privacy inventory: demo \\<b\\>app\\</b\\>\n')).toBe(true);
    expect(md).not.toContain('<script>');
    expect(md).toContain('\\<script\\>alert(1)\\</script\\>');
    for (const heading of [
      '## Summary',
      '### Top risks',
      '## Data stores',
      '## Routes',
      '## Exports and migrations',
      '## Third parties',
      '## Logs',
      '## Retention',
    ])
      expect(md).toContain(`\n${heading}\n`);
    // Every table row has the same number of unescaped pipes as its header.
    for (const table of md.split('\n\n').filter((b) => b.startsWith('|'))) {
      const widths = table
        .split('\n')
        .filter(Boolean)
        .map((row) => row.replace(/\\\|/g, '').split('|').length);
      expect(new Set(widths).size, table).toBe(1);
    }
  });

  it('CSV: one row per item with a section column, quoted, formulas defused', () => {
    const csv = formatInventoryCsv(inv, META);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'section,id,name,kind,categories,protection,auth,destination,public,deleted,file,line,detail',
    );
    expect(lines.map((l) => l.split(',')[0])).toEqual(
      expect.arrayContaining(['store', 'field', 'export', 'retention', 'risk']),
    );
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(cell('a,b')).toBe('"a,b"');
    expect(cell('say "hi"')).toBe('"say ""hi"""');
    expect(cell('+33 6 00')).toBe("'+33 6 00");
    expect(cell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(cell(12)).toBe('12');
  });

  it('JSON: the inventory with the tool and project, parseable', () => {
    const json = JSON.parse(formatInventoryJson(inv, META));
    expect(json.tool).toEqual({ name: 'gdpr-lint', version: '0.1.0' });
    expect(json.project).toBe('demo <b>app</b>');
    expect(json.stores[0].name).toBe('<script>alert(1)</script>');
  });
});

describe('gdpr-lint inventory (CLI)', () => {
  function workspace(files: Record<string, string>): string {
    const root = mkdtempSync(join(tmpdir(), 'gdpr-inventory-cli-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  }

  it('writes the report with -o and says so on stderr', async () => {
    const root = workspace({ 'schema.sql': 'CREATE TABLE resultats (id INT, valeur TEXT);\n' });
    const run = await runInProcess(['inventory', '.', '--format', 'csv', '-o', 'out/inventory.csv'], root);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('inventory written to');
    expect(readFileSync(join(root, 'out/inventory.csv'), 'utf8')).toContain(
      'field,store-resultats,resultats.valeur,TEXT,lab-result,in clear',
    );
  });

  it('prints markdown by default and exits 2 on an unknown format', async () => {
    const root = workspace({ 'schema.sql': 'CREATE TABLE resultats (id INT, valeur TEXT);\n' });
    const md = await runInProcess(['inventory'], root);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('## Data stores');
    const bad = await runInProcess(['inventory', '.', '--format', 'pdf'], root);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown inventory format "pdf" (known: markdown, html, json, csv)');
  });
});
