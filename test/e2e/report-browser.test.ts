import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers.js';
import { runInProcess } from '../cli/run-cli.js';

// Run by `npm run test:e2e`, which installs Debian's chromium first.
const CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('the HTML inventory of examples/lab-app in a browser (headless Chromium)', () => {
  let browser: Browser;
  const report = join(mkdtempSync(join(tmpdir(), 'gdpr-inventory-')), 'report.html');

  beforeAll(async () => {
    const run = await runInProcess(['inventory', 'examples/lab-app', '--format', 'html', '-o', report], REPO_ROOT);
    expect(run.code).toBe(0);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('renders every planted store, route, export and third party, makes no request, and is saved as docs/inventory-report.png', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(report).href);
    expect(await page.title()).toBe('Privacy inventory: lab-app');
    const text = await page.locator('main').innerText();
    for (const store of [
      'patients',
      'prelevements',
      'resultats',
      'comptes_rendus',
      'dbo.ArchiveReport',
      'PortalPatient',
      'LabResult',
      'Sample',
    ])
      expect(text).toContain(store);
    for (const route of [
      'GET /api/patients/:id/results',
      'GET /api/patients/:id',
      'GET /api/reports/:id',
      'GET /healthz',
    ])
      expect(text).toContain(route);
    for (const destination of [
      '/srv/www/public/exports/patients.csv',
      '/srv/www/public/exports/activite.csv',
      'patients_backup_v004',
      'partner-lab.example.org',
    ])
      expect(text).toContain(destination);
    for (const host of ['api.sms-provider.example.com', 'hooks.chat.example.com', 'partner-lab.example.org'])
      await expect(page.locator('#third-parties').innerText()).resolves.toContain(host);
    expect(await page.locator('#retention').innerText()).toContain('no automatic deletion');
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    mkdirSync(join(REPO_ROOT, 'docs'), { recursive: true });
    await page.screenshot({ path: join(REPO_ROOT, 'docs', 'inventory-report.png'), fullPage: false });
    await page.close();
  }, 60_000);

  it('filters rows by text, category and protection, and shows them all again when cleared', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(report).href);
    const visibleStores = () => page.locator('#stores tbody tr:not([hidden])').count();
    const all = await visibleStores();
    await page.fill('#filter-text', 'prelev');
    expect(await visibleStores()).toBe(1);
    await page.fill('#filter-text', '');
    await page.selectOption('#filter-protection', 'encrypted');
    const encrypted = await page.locator('#stores tbody tr:not([hidden]) strong').allInnerTexts();
    expect(encrypted).toEqual(['comptes_rendus', 'dbo.ArchiveReport', 'PortalPatient']);
    await page.selectOption('#filter-protection', '');
    await page.selectOption('#filter-category', 'treatment');
    expect(await page.locator('#stores tbody tr:not([hidden]) strong').allInnerTexts()).toEqual(['Sample']);
    await page.selectOption('#filter-category', '');
    expect(await visibleStores()).toBe(all);
    // Printing shows every row, filtered or not, and hides the filters.
    await page.fill('#filter-text', 'zzz-nothing');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#stores tbody tr').first().isVisible()).toBe(true);
    expect(await page.locator('form.filters').isVisible()).toBe(false);
    await page.close();
  }, 60_000);
});
