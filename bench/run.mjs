#!/usr/bin/env node
// `npm run bench`: speed and memory of gdpr-lint next to the parse floor and a peer linter, on the
// same files, at several corpus sizes, plus the latency of an edit in the language server.
//   npm run bench [-- --json] [--sizes 500,2000,8000] [--runs 3] [--corpus DIR]... [--edits 200]
//                 [--cli BUNDLE] [--no-peer] [--no-lsp] [--out FILE] [--keep] [--from SAVED.json]
// The CLI is bundled into a private temp dir (like scripts/score.mjs): never races another build.
import { execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, freemem, loadavg, totalmem, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { bundleOptions } from '../scripts/esbuild-options.mjs';
import { BIG_FILE, generateCorpus } from './generate.mjs';
import { lspEdit } from './lsp-edit.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const require = createRequire(join(root, 'package.json'));

const TARGETS = [
  { name: 'coldScan/parseFloor', max: 3.0 },
  { name: 'coldScan/peer', max: 0.3 },
  { name: 'warmScan/parseFloor', max: 1.0 },
  { name: 'lspEdit p95 (ms)', max: 50 },
  { name: 'coldScan peak RSS (MB)', max: 1024 },
  { name: 'jobs2/coldScan', max: 0.65 },
  { name: 'jobs2 peak RSS (MB)', max: 1024 },
];
const CHILD_TIMEOUT_MS = 300_000;
const JS_TS = /\.(c|m)?[jt]sx?$/i;

const args = parseArgs(process.argv.slice(2));
const started = performance.now();
const log = (line) => process.stderr.write(`${line}\n`);
if (args.from) {
  // Re-print the table of a saved `--json` run.
  process.stdout.write(table(JSON.parse(readFileSync(args.from, 'utf8'))));
  process.exit(0);
}
const work = mkdtempSync(join(tmpdir(), 'gdpr-bench-'));

try {
  const result = await main();
  const text = args.json ? `${JSON.stringify(result, null, 2)}\n` : table(result);
  if (args.out) writeFileSync(args.out, text);
  process.stdout.write(text);
} finally {
  if (!args.keep) rmSync(work, { recursive: true, force: true });
  else log(`kept ${work}`);
}

async function main() {
  const machine = machineFacts();
  log(
    `gdpr-lint bench: ${machine.cpus} CPUs, ${machine.memoryGb} GB, node ${machine.node}, load ${machine.loadAtStart.join(' ')}`,
  );
  const cli = args.cli ? resolve(args.cli) : await bundle();
  const discover = await bundleDiscovery();
  const env = { ...process.env, GDPR_LINT_HOME: snapshotRulePack(), NO_COLOR: '1' };
  delete env.NODE_OPTIONS;
  const support = cliSupport(cli, env);
  const eslintConfig = writeEslintConfig();

  const corpora =
    args.corpus.length > 0
      ? args.corpus.map((dir) => ({ label: basename(dir), dir, planted: null }))
      : args.sizes.map((size) => {
          const dir = join(work, `corpus-${size}`);
          const { planted } = generateCorpus(dir, size);
          return { label: String(size), dir, planted };
        });

  const sizes = [];
  for (const corpus of corpora) {
    log(`-- ${corpus.label}: ${corpus.dir}`);
    sizes.push(await measureCorpus(corpus, { cli, env, support, discover, eslintConfig }));
  }

  // One LSP session on the generated corpus nearest 2,000 files, or one per real repository.
  const lspRuns = [];
  if (args.lsp) {
    if (!support.lsp) lspRuns.push({ status: 'n/a (not implemented)' });
    else {
      for (const target of lspTargets(corpora, sizes, discover, env)) {
        log(`-- lspEdit: ${target.file} in ${target.root} (${args.edits} edits, debounce 0)`);
        const load = loadavg().map((l) => round(l, 2));
        try {
          lspRuns.push({
            status: 'ok',
            workspace: target.label,
            file: target.relative,
            loadAtStart: load,
            ...(await lspEdit({ cli, env, root: target.root, file: target.file, edits: args.edits })),
            loadAtEnd: loadavg().map((l) => round(l, 2)),
          });
        } catch (error) {
          lspRuns.push({ status: `failed: ${error.message}`, workspace: target.label, file: target.relative });
        }
      }
    }
  }
  const lsp = lspRuns[0] ?? { status: 'skipped' };

  // The targets on the largest generated corpus, or on each real repository.
  const judged = args.corpus.length > 0 ? sizes : sizes.slice(-1);
  const targets = judged.flatMap((size) =>
    TARGETS.map((t) => {
      const session = args.corpus.length > 0 ? lspRuns.find((l) => l.workspace === size.label) : lsp;
      const value =
        t.name === 'lspEdit p95 (ms)'
          ? (session?.p95Ms ?? null)
          : t.name === 'coldScan peak RSS (MB)'
            ? (size?.measures.coldScan?.peakRssMb ?? null)
            : t.name === 'jobs2 peak RSS (MB)'
              ? (size?.measures.jobs2?.peakRssMb ?? null)
              : (size?.ratios[t.name] ?? null);
      return {
        ...t,
        on: t.name.startsWith('lspEdit') ? (session?.workspace ?? null) : (size?.label ?? null),
        value,
        met: value === null ? null : value <= t.max,
      };
    }),
  );
  return {
    tool: 'gdpr-lint',
    date: new Date().toISOString(),
    machine: { ...machine, loadAtEnd: loadavg().map((l) => round(l, 2)) },
    settings: {
      runs: args.runs,
      sizes: corpora.map((c) => c.label),
      edits: args.edits,
      cli: args.cli ? cli : 'bundled from server/src/cli/main.ts',
    },
    support,
    sizes,
    lspEdit: lsp,
    ...(lspRuns.length > 1 ? { lspEdits: lspRuns } : {}),
    targets,
    growth: args.corpus.length > 0 ? null : growth(sizes),
    durationS: round((performance.now() - started) / 1000, 1),
  };
}

async function measureCorpus(corpus, { cli, env, support, discover, eslintConfig }) {
  const all = discover.discoverFiles(corpus.dir).map((f) => f.absolute);
  const jsTs = all.filter((f) => JS_TS.test(f));
  const list = join(work, `files-${corpus.label}.txt`);
  writeFileSync(list, `${jsTs.join('\n')}\n`);
  const cacheDir = join(work, `cache-${corpus.label}`);
  const scan = (extra) => [cli, 'scan', corpus.dir, '--format', 'json', ...extra];
  log(
    `   load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const loadAtStart = loadavg().map((l) => round(l, 2));
  const measures = {
    parseFloor: { argv: [join(here, 'parse-floor.mjs'), list] },
    coldScan: { argv: scan([]) },
    warmScan: support.cache ? { argv: scan(['--cache', '--cache-location', cacheDir]) } : null,
    jobs2: support.jobs ? { argv: scan(['--jobs', '2']) } : null,
    peer: args.peer
      ? { argv: [join(here, 'peer-eslint.mjs'), eslintConfig, list, corpus.dir], cwd: corpus.dir }
      : undefined,
  };
  if (measures.warmScan) {
    rmSync(cacheDir, { recursive: true, force: true });
    await runChild('warmScan (priming)', measures.warmScan.argv, env);
  }
  const runs = Object.fromEntries(Object.keys(measures).map((k) => [k, []]));
  // Rounds interleave the measures, so that a change of machine load touches them all alike.
  for (let round = 0; round < args.runs; round++) {
    for (const [name, spec] of Object.entries(measures)) {
      if (!spec) continue;
      runs[name].push(await runChild(`${name} #${round + 1}`, spec.argv, env, spec.cwd));
    }
  }
  const summary = {};
  for (const [name, spec] of Object.entries(measures)) {
    summary[name] =
      spec === null
        ? { status: 'n/a (not implemented)' }
        : spec === undefined
          ? { status: 'skipped' }
          : summarise(runs[name]);
  }
  const report = runs.coldScan.find((r) => r.output)?.output;
  const found = countFindings(report);
  const ratio = (a, b) =>
    summary[a]?.medianMs && summary[b]?.medianMs ? round(summary[a].medianMs / summary[b].medianMs, 2) : null;
  return {
    label: corpus.label,
    files: all.length,
    jsTsFiles: jsTs.length,
    planted: corpus.planted,
    found,
    loadAtStart,
    loadAtEnd: loadavg().map((l) => round(l, 2)),
    // Lines of each JS/TS file with findings (the LSP measure edits the longest of a real repository).
    findingFiles: filesWithFindings(report, corpus.dir),
    measures: summary,
    ratios: {
      'coldScan/parseFloor': ratio('coldScan', 'parseFloor'),
      'coldScan/peer': ratio('coldScan', 'peer'),
      'warmScan/parseFloor': ratio('warmScan', 'parseFloor'),
      'jobs2/coldScan': ratio('jobs2', 'coldScan'),
    },
  };
}

/** Runs `node -r rss-preload ARGV` and returns wall time, CPU time, peak RSS and the parsed stdout. */
function runChild(label, argv, env, cwd = work) {
  const usageFile = join(work, 'usage.json');
  const outFile = join(work, 'stdout.txt');
  rmSync(usageFile, { force: true });
  const out = openSync(outFile, 'w');
  return new Promise((resolvePromise) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['-r', join(here, 'rss-preload.cjs'), ...argv], {
      cwd,
      env: { ...env, GDPR_BENCH_USAGE_FILE: usageFile },
      stdio: ['ignore', out, 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr = (stderr + d).slice(-2000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - t0;
      clearTimeout(timer);
      closeSync(out);
      const usage = existsSync(usageFile) ? JSON.parse(readFileSync(usageFile, 'utf8')) : {};
      // gdpr-lint exits 1 when it reports findings.
      const ok = signal === null && (code === 0 || code === 1);
      let output;
      try {
        output = ok ? JSON.parse(readFileSync(outFile, 'utf8')) : undefined;
      } catch {
        output = undefined;
      }
      const run = {
        ok: ok && output !== undefined,
        wallMs: Math.round(wallMs),
        cpuMs: usage.cpuMs ? Math.round(usage.cpuMs) : null,
        peakRssMb: usage.maxRssKb ? Math.round(usage.maxRssKb / 1024) : null,
        output,
      };
      if (!run.ok)
        run.error = signal ? `killed (${signal})` : `exit ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`;
      // A file stopped by the per-file time budget is not cached: the next warm scan analyses it (and builds the facts) again.
      const timeouts = countFindings(output)?.timeouts;
      log(
        `   ${label.padEnd(22)} ${run.ok ? `${(run.wallMs / 1000).toFixed(2)} s wall, ${((run.cpuMs ?? 0) / 1000).toFixed(2)} s cpu, ${run.peakRssMb} MB${timeouts ? `, ${timeouts} analysis timeouts` : ''}` : run.error}`,
      );
      resolvePromise(run);
    });
  });
}

function summarise(runs) {
  const good = runs.filter((r) => r.ok);
  if (good.length === 0) return { status: `failed: ${runs[0]?.error ?? 'no run'}` };
  return {
    status: 'ok',
    runs: good.length,
    medianMs: median(good.map((r) => r.wallMs)),
    cpuMedianMs: median(good.map((r) => r.cpuMs).filter((x) => x !== null)),
    peakRssMb: Math.max(...good.map((r) => r.peakRssMb ?? 0)) || null,
    wallMs: good.map((r) => r.wallMs),
  };
}

/** Findings of a gdpr-lint JSON report; analysis timeouts counted apart (they mean the budget was hit). */
function countFindings(report) {
  if (!report || !Array.isArray(report.findings)) return null;
  const timeouts = report.findings.filter((f) => f.ruleId === 'analysis-timeout').length;
  const byRule = {};
  for (const f of report.findings) if (f.ruleId !== 'analysis-timeout') byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  return { total: report.findings.length - timeouts, timeouts, byRule };
}

/** How each measure grows from the smallest to the largest corpus: time per file and the exponent of t ~ n^k. */
function growth(sizes) {
  if (sizes.length < 2) return null;
  const first = sizes[0];
  const last = sizes[sizes.length - 1];
  const out = {};
  for (const name of ['parseFloor', 'coldScan', 'warmScan', 'jobs2', 'peer']) {
    const a = first.measures[name];
    const b = last.measures[name];
    if (!a?.medianMs || !b?.medianMs) continue;
    const fileRatio = last.files / first.files;
    out[name] = {
      filesRatio: round(fileRatio, 2),
      timeRatio: round(b.medianMs / a.medianMs, 2),
      exponent: round(Math.log(b.medianMs / a.medianMs) / Math.log(fileRatio), 2),
      msPerFile: sizes.map((s) => (s.measures[name]?.medianMs ? round(s.measures[name].medianMs / s.files, 2) : null)),
      cpuMsPerFile: sizes.map((s) =>
        s.measures[name]?.cpuMedianMs ? round(s.measures[name].cpuMedianMs / s.files, 2) : null,
      ),
      // The cost of each added file between consecutive sizes (fixed costs such as start-up cancel out): flat = linear.
      marginalMsPerFile: sizes.slice(1).map((s, i) => marginal(sizes[i], s, name, 'medianMs')),
      marginalCpuMsPerFile: sizes.slice(1).map((s, i) => marginal(sizes[i], s, name, 'cpuMedianMs')),
    };
  }
  return out;
}

function marginal(a, b, name, key) {
  const x = a.measures[name]?.[key];
  const y = b.measures[name]?.[key];
  return x && y && b.files > a.files ? round((y - x) / (b.files - a.files), 2) : null;
}

function lspTargets(corpora, sizes, discover, env) {
  if (args.corpus.length === 0) {
    const best = corpora.reduce((a, b) =>
      Math.abs(Number(b.label) - 2000) < Math.abs(Number(a.label) - 2000) ? b : a,
    );
    return [{ label: best.label, root: best.dir, file: join(best.dir, BIG_FILE), relative: BIG_FILE }];
  }
  // A real repository: edit (in memory only) its longest JS/TS source file with findings (the
  // cold scan's), else its longest JS/TS file; by lines, so that a one-line data file is not picked.
  return corpora.map((corpus, i) => {
    const withFindings = sizes[i]?.findingFiles ?? [];
    // With no findings anywhere: the longest production file (not a test, a generated bundle...).
    const roles =
      withFindings.length > 0
        ? undefined
        : new discover.RoleConventions({ pack: discover.loadRulePack(env.GDPR_LINT_HOME) });
    const pick =
      withFindings[0] ??
      discover
        .discoverFiles(corpus.dir)
        .filter((f) => JS_TS.test(f.absolute))
        .map((f) => ({ relative: f.relative, text: readFileSync(f.absolute, 'utf8') }))
        .filter((f) => roles.roleOf(f.relative, f.text) === 'production')
        .map((f) => ({ relative: f.relative, lines: lineCount(f.text) }))
        .sort((a, b) => b.lines - a.lines || a.relative.localeCompare(b.relative))[0];
    if (!pick) throw new Error(`no JS/TS file in ${corpus.dir}`);
    return { label: corpus.label, root: corpus.dir, file: join(corpus.dir, pick.relative), relative: pick.relative };
  });
}

/** The JS/TS files of a report that have findings, longest first: `{ relative, lines, findings }`. */
function filesWithFindings(report, dir) {
  if (!report || !Array.isArray(report.findings)) return [];
  const counts = new Map();
  for (const f of report.findings)
    if (JS_TS.test(f.file) && f.ruleId !== 'analysis-timeout') counts.set(f.file, (counts.get(f.file) ?? 0) + 1);
  return [...counts]
    .map(([relative, findings]) => ({
      relative,
      findings,
      lines: lineCount(readFileSync(join(dir, relative), 'utf8')),
    }))
    .sort((a, b) => b.lines - a.lines || a.relative.localeCompare(b.relative))
    .slice(0, 5);
}

function lineCount(text) {
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** Which of the measured features this CLI has (a missing one is reported as not implemented). */
function cliSupport(cli, env) {
  const help = (argv) => {
    try {
      return execFileSync(process.execPath, [cli, ...argv], {
        env,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      return String(error.stdout ?? '');
    }
  };
  const scanHelp = help(['scan', '--help']);
  const topHelp = help(['--help']);
  return {
    cache: scanHelp.includes('--cache-location') && scanHelp.includes('--cache '),
    jobs: scanHelp.includes('--jobs'),
    lsp: /^\s+lsp\b/m.test(topHelp),
  };
}

/**
 * A copy of the rule pack (rules/, schemas/, package.json) for the whole run: every measure sees the same pack
 * even while the tree is being edited (a changed pack would also void the warm scan's cache).
 */
function snapshotRulePack() {
  const home = join(work, 'home');
  for (const entry of ['rules', 'schemas', 'package.json'])
    cpSync(join(root, entry), join(home, entry), { recursive: true });
  return home;
}

async function bundle() {
  const cli = join(work, 'cli.js');
  await build({
    ...bundleOptions,
    entryPoints: [join(root, 'server/src/cli/main.ts')],
    outfile: cli,
    minify: true,
    logLevel: 'error',
  });
  return cli;
}

/** gdpr-lint's own file discovery, so that every measure sees the files the scan sees. */
async function bundleDiscovery() {
  const out = join(work, 'discover.cjs');
  // Discovery, and the file roles (to edit a production file in the LSP measure), from the sources.
  const contents = [
    "export { discoverFiles } from './server/src/host/discover.ts';",
    "export { RoleConventions } from './server/src/engine/roles.ts';",
    "export { loadRulePack } from './server/src/host/rulepack.ts';",
  ].join('\n');
  await build({
    ...bundleOptions,
    stdin: { contents, resolveDir: root, loader: 'ts' },
    outfile: out,
    logLevel: 'error',
  });
  return require(out);
}

/** The peer's flat config: eslint-plugin-security's recommended rules, typescript-eslint's parser, every JS/TS file. */
function writeEslintConfig() {
  const dir = join(work, 'eslint');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'eslint.config.mjs');
  const url = (name) => pathToFileURL(require.resolve(name)).href;
  writeFileSync(
    file,
    `import security from ${JSON.stringify(url('eslint-plugin-security'))};
import tsParser from ${JSON.stringify(url('@typescript-eslint/parser'))};

export default [
  {
    ...security.configs.recommended,
    files: ['**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}'],
    languageOptions: { parser: tsParser, ecmaVersion: 'latest', sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } },
  },
];
`,
  );
  return file;
}

function machineFacts() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: round(totalmem() / 2 ** 30, 1),
    freeMemoryGb: round(freemem() / 2 ** 30, 1),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAtStart: loadavg().map((l) => round(l, 2)),
  };
}

function table(r) {
  const s = (ms) => (ms ? `${(ms / 1000).toFixed(2)} s` : '');
  const cell = (m, withRss = false) => {
    if (!m) return '-';
    if (m.status !== 'ok') return m.status.startsWith('failed') ? 'failed (see --json)' : m.status;
    return `${s(m.medianMs)}${withRss && m.peakRssMb ? ` (${m.peakRssMb} MB)` : ''}`;
  };
  const x = (v) => (v === null || v === undefined ? '-' : `${v.toFixed(2)}`);
  const rows = [
    [
      'files',
      'JS/TS',
      'planted/found',
      'parseFloor',
      'coldScan (peak RSS)',
      'warmScan',
      'jobs2 (peak RSS)',
      'peer ESLint (peak RSS)',
      'cold/floor',
      'cold/peer',
      'warm/floor',
      'jobs2/cold',
    ],
  ];
  for (const z of r.sizes) {
    rows.push([
      `${z.label !== String(z.files) ? `${z.label}: ` : ''}${z.files}`,
      String(z.jsTsFiles),
      `${z.planted ?? '?'}/${z.found ? z.found.total : '?'}${z.found?.timeouts ? ` (+${z.found.timeouts} timeouts)` : ''}`,
      cell(z.measures.parseFloor),
      cell(z.measures.coldScan, true),
      cell(z.measures.warmScan),
      cell(z.measures.jobs2, true),
      cell(z.measures.peer, true),
      x(z.ratios['coldScan/parseFloor']),
      x(z.ratios['coldScan/peer']),
      x(z.ratios['warmScan/parseFloor']),
      x(z.ratios['jobs2/coldScan']),
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const line = (row) => `| ${row.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const m = r.machine;
  const out = [
    `gdpr-lint benchmark: ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGb} GB, node ${m.node}; load ${m.loadAtStart.join(' ')} -> ${m.loadAtEnd.join(' ')}; wall-time medians of ${r.settings.runs} runs`,
    '',
    line(rows[0]),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.slice(1).map(line),
    '',
  ];
  for (const l of r.lspEdits ?? [r.lspEdit]) {
    const where = /^\d+$/.test(l.workspace ?? '')
      ? `${l.workspace}-file workspace`
      : `${l.workspace ?? '?'}: ${l.file ?? '?'}`;
    out.push(
      l.status === 'ok'
        ? `lspEdit (${where}, ${l.lines}-line file, ${l.edits} edits, debounce 0): p50 ${l.p50Ms} ms, p95 ${l.p95Ms} ms, max ${l.maxMs} ms (initial scan ${s(l.initialScanMs)})${l.loadAtStart ? `; load ${l.loadAtStart[0]} -> ${l.loadAtEnd?.[0]}` : ''}`
        : `lspEdit${l.workspace ? ` (${l.workspace})` : ''}: ${l.status}`,
    );
  }
  out.push('', 'Targets:');
  for (const t of r.targets) {
    out.push(
      `  ${t.name.padEnd(24)} ${t.value === null ? 'n/a' : String(t.value).padStart(7)}  <= ${t.max}  ${t.met === null ? '' : t.met ? 'met' : 'MISSED'}${t.on ? `  (${t.on})` : ''}`,
    );
  }
  if (r.growth) {
    out.push(
      '',
      `Growth from ${r.sizes[0].files} to ${r.sizes[r.sizes.length - 1].files} files (time ~ files^k; 1 = linear):`,
    );
    for (const [name, g] of Object.entries(r.growth)) {
      out.push(
        `  ${name.padEnd(11)} x${g.timeRatio} time for x${g.filesRatio} files, k = ${g.exponent}; ms/file ${g.msPerFile.join(' / ')}; ms per added file ${(g.marginalMsPerFile ?? []).join(' / ')} (cpu ${(g.marginalCpuMsPerFile ?? []).join(' / ')})`,
      );
    }
  }
  out.push('', `${r.durationS} s in all.`, '');
  return out.join('\n');
}

function parseArgs(argv) {
  const opts = {
    json: false,
    sizes: [500, 2000, 8000],
    runs: 3,
    edits: 200,
    peer: true,
    lsp: true,
    keep: false,
    corpus: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--json') opts.json = true;
    else if (a === '--sizes')
      opts.sizes = value()
        .split(',')
        .map((n) => positive(n, a));
    else if (a === '--runs') opts.runs = positive(value(), a);
    else if (a === '--edits') opts.edits = positive(value(), a);
    else if (a === '--corpus') opts.corpus.push(resolve(value()));
    else if (a === '--cli') opts.cli = value();
    else if (a === '--out') opts.out = resolve(value());
    else if (a === '--from') opts.from = resolve(value());
    else if (a === '--no-peer') opts.peer = false;
    else if (a === '--no-lsp') opts.lsp = false;
    else if (a === '--keep') opts.keep = true;
    else throw new Error(`unknown option ${a} (see the header of bench/run.mjs)`);
  }
  for (const dir of opts.corpus) if (!existsSync(dir)) throw new Error(`no such directory: ${dir}`);
  opts.sizes.sort((a, b) => a - b);
  return opts;
}

function positive(text, flag) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag}: expected a positive integer, got ${text}`);
  return n;
}

function median(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return Math.round(sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2);
}

function round(n, digits) {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
