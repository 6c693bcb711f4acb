#!/usr/bin/env node
// npm run eval:realworld -- --corpus DIR [--sample N --seed S] [--merge FILE] [--markdown] [--list N]
// Scans each checkout of the manifest under DIR with the built CLI, matches findings with the judged
// ledger and the known instances, prints precision and recall per rule, and lists unjudged findings
// (new since the last run first). See eval/realworld/README.md.
import { spawnSync, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  KNOWN_COLUMNS,
  LEDGER_COLUMNS,
  MANIFEST_COLUMNS,
  checkoutName,
  formatTsv,
  lineHash,
  matchRows,
  parseTsv,
  sample,
  seededRandom,
  summarise,
  validateRows,
} from './ledger.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const files = {
  manifest: join(here, 'manifest.tsv'),
  ledger: join(here, 'ledger.tsv'),
  known: join(here, 'known.tsv'),
};

const { values: args } = parseArgs({
  options: {
    corpus: { type: 'string' },
    cli: { type: 'string', default: join(root, 'server/dist/cli.js') },
    sample: { type: 'string' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string' },
    rule: { type: 'string', multiple: true },
    repo: { type: 'string', multiple: true },
    merge: { type: 'string' },
    markdown: { type: 'boolean', default: false },
    list: { type: 'string', default: '10' },
    'include-tests': { type: 'boolean', default: false },
  },
});

const ruleIds = readdirSync(join(root, 'rules'))
  .filter((f) => f.endsWith('.yaml') && !f.startsWith('.'))
  .map((f) => f.replace(/\.yaml$/, ''))
  .filter((id) => id !== 'suppression-comment')
  .sort();
const manifest = parseTsv(readFileSync(files.manifest, 'utf8'), MANIFEST_COLUMNS, 'manifest.tsv');
const repos = new Set(manifest.map((m) => m.repo));
const load = (path, columns, kind) => {
  const rows = parseTsv(readFileSync(path, 'utf8'), columns, path.slice(root.length + 1));
  const problems = validateRows(rows, { rules: new Set([...ruleIds, 'suppression-comment']), repos, kind });
  if (problems.length > 0) fail(problems.join('\n'));
  return rows;
};

if (args.merge) {
  mergeJudgements(args.merge);
  process.exit(0);
}
if (!args.corpus)
  fail('usage: npm run eval:realworld -- --corpus DIR [--sample N --seed S --out FILE] [--merge FILE] [--markdown]');
const corpus = resolve(args.corpus);
const ledger = load(files.ledger, LEDGER_COLUMNS, 'ledger');
const known = load(files.known, KNOWN_COLUMNS, 'known');

const findings = [];
const scanned = [];
for (const entry of manifest) {
  if (args.repo && !args.repo.includes(entry.repo)) continue;
  const dir = join(corpus, checkoutName(entry.repo));
  if (!existsSync(dir)) {
    console.error(`${entry.repo}: no checkout at ${dir} (fetch it and run shared/realworld/extract.sh)`);
    continue;
  }
  const commit = existsSync(join(dir, '.corpus_commit'))
    ? readFileSync(join(dir, '.corpus_commit'), 'utf8').trim()
    : '';
  if (commit && commit !== entry.commit)
    console.error(
      `${entry.repo}: checkout is at ${commit.slice(0, 10)}, the manifest measures ${entry.commit.slice(0, 10)}`,
    );
  const cliArgs = [args.cli, 'scan', dir, '--format', 'json'];
  if (args['include-tests']) cliArgs.push('--include-tests');
  const run = spawnSync(process.execPath, cliArgs, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.status !== 0 && run.status !== 1) fail(`${entry.repo}: gdpr-lint exited ${run.status}\n${run.stderr}`);
  const report = JSON.parse(run.stdout);
  const texts = new Map();
  const lineOf = (file, line) => {
    if (!texts.has(file)) texts.set(file, readFileSync(join(dir, file), 'utf8').split(/\r?\n/));
    return texts.get(file)[line - 1] ?? '';
  };
  for (const f of report.findings) {
    if (!ruleIds.includes(f.ruleId) || f.suppressed) continue;
    if (args.rule && !args.rule.includes(f.ruleId)) continue;
    findings.push({
      rule: f.ruleId,
      repo: entry.repo,
      file: f.file,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      severity: f.severity,
      message: f.message,
      role: f.role,
      hash: lineHash(lineOf(f.file, f.line)),
      dir,
    });
  }
  scanned.push({ repo: entry.repo, files: report.stats?.files ?? 0, findings: report.findings.length });
}

const rules = args.rule ?? ruleIds;
const summary = summarise(findings, ledger, known, rules, (row) => lineWithHash(row));
printSummary(summary);

/** The line of a known instance in its checkout today: the line with its hash nearest to where it was. */
function lineWithHash(row) {
  const path = join(corpus, checkoutName(row.repo), row.file);
  if (!existsSync(path)) return undefined;
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  let best;
  lines.forEach((text, i) => {
    if (lineHash(text) === row.hash && (best === undefined || Math.abs(i + 1 - row.line) < Math.abs(best - row.line)))
      best = i + 1;
  });
  return best;
}

const judged = matchRows(findings, ledger);
const unjudged = findings.filter((f) => !judged.has(f));
// One state folder per clone of the project, so two clones evaluating the same corpus keep their own history.
const stateDir = join(corpus, '.gdpr-lint-eval', createHash('sha256').update(root).digest('hex').slice(0, 8));
mkdirSync(stateDir, { recursive: true });
const lastPath = join(stateDir, 'last-run.json');
const previous = new Set(existsSync(lastPath) ? JSON.parse(readFileSync(lastPath, 'utf8')) : []);
const keyOf = (f) => `${f.rule}\0${f.repo}\0${f.file}\0${f.hash}`;
writeFileSync(lastPath, JSON.stringify(findings.map(keyOf)));
const newest = (a, b) => Number(previous.has(keyOf(a))) - Number(previous.has(keyOf(b))) || order(a, b);
const listed = Number(args.list);
if (unjudged.length > 0 && listed > 0) {
  console.log(`\nUnjudged findings (new since the last run first; ${listed} per rule):`);
  for (const rule of rules) {
    const mine = unjudged.filter((f) => f.rule === rule).sort(newest);
    if (mine.length === 0) continue;
    console.log(`  ${rule}: ${mine.length} unjudged`);
    for (const f of mine.slice(0, listed)) {
      const tag = previous.size > 0 && !previous.has(keyOf(f)) ? 'new ' : '';
      console.log(`    ${tag}${f.repo} ${f.file}:${f.line}:${f.column}  ${f.message.slice(0, 110)}`);
    }
  }
}

// Findings judged true that the scan no longer reports: a regression, or code that moved.
const judgedRows = new Set(judged.values());
const lost = ledger.filter(
  (r) => r.verdict === 'TP' && rules.includes(r.rule) && repos.has(r.repo) && !judgedRows.has(r),
);
if (lost.length > 0 && listed > 0) {
  console.log(`\nJudged TP no longer reported (${listed} per rule):`);
  for (const rule of rules) {
    const mine = lost.filter((r) => r.rule === rule);
    if (mine.length === 0) continue;
    console.log(`  ${rule}: ${mine.length} lost`);
    for (const r of mine.slice(0, listed)) console.log(`    ${r.repo} ${r.file}:${r.line}  ${r.reason.slice(0, 110)}`);
  }
}

if (args.sample) {
  const n = Number(args.sample);
  const seed = Number(args.seed);
  const random = seededRandom(seed);
  const out = resolve(args.out ?? join(stateDir, `sample-seed${seed}.md`));
  const chunks = [`# Findings to judge (sample of ${n} per rule, seed ${seed})\n`, judgingHint()];
  for (const rule of rules) {
    const pool = unjudged.filter((f) => f.rule === rule).sort(order);
    const drawn = sample(pool, n, random);
    chunks.push(`\n## ${rule} (${drawn.length} of ${pool.length} unjudged)\n`);
    drawn.forEach((f, i) => chunks.push(describe(f, i + 1)));
  }
  writeFileSync(out, chunks.join('\n'));
  console.log(`\nSample written to ${out}`);
}

if (args.markdown) console.log('\n' + markdownTable(summary));

function order(a, b) {
  return (
    a.repo.localeCompare(b.repo) ||
    a.file.localeCompare(b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    a.rule.localeCompare(b.rule)
  );
}

function describe(f, index) {
  const lines = readFileSync(join(f.dir, f.file), 'utf8').split(/\r?\n/);
  const from = Math.max(1, f.line - 8);
  const to = Math.min(lines.length, f.line + 8);
  const code = [];
  for (let n = from; n <= to; n++)
    code.push(`${n === f.line ? '>' : ' '}${String(n).padStart(5)}  ${lines[n - 1].slice(0, 200)}`);
  const row = formatTsv([{ ...f, verdict: '??', reason: '' }], LEDGER_COLUMNS).split('\n')[1];
  return [
    `### ${index}. ${f.repo} ${f.file}:${f.line}:${f.column} (${f.severity}${f.role ? `, role ${f.role}` : ''})`,
    '',
    `> ${f.message}`,
    '',
    '```',
    ...code,
    '```',
    '',
    'ledger row (set the verdict and a reason):',
    '```',
    row,
    '```',
    '',
  ].join('\n');
}

function judgingHint() {
  return 'Judge as a GDPR-aware senior reviewer who must act on each finding: TP only when the message is right about this code and worth fixing. Read the surrounding file when the context shown is not enough. See eval/realworld/README.md.\n';
}

function printSummary(rows) {
  const total = scanned.reduce((n, s) => n + s.files, 0);
  console.log(`Scanned ${scanned.length} repositories, ${total} files.\n`);
  const header = ['rule', 'findings', 'judged', 'TP', 'FP', 'precision', 'known found', 'judged TP lost'];
  const body = rows.map((r) => [
    r.rule,
    r.findings,
    r.judged,
    r.tp,
    r.fp,
    fmt(r.precision),
    `${r.knownFound}/${r.known}`,
    r.lostTp,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => String(b[i]).length)));
  for (const line of [header, ...body]) console.log(line.map((c, i) => String(c).padEnd(widths[i])).join('  '));
}

function markdownTable(rows) {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  const date = new Date().toISOString().slice(0, 10);
  return [
    `Measured ${date} at commit ${commit} on ${scanned.length} repositories (${scanned.reduce((n, s) => n + s.files, 0)} files):`,
    '',
    '| rule | findings | judged | TP | FP | precision (judged) | known instances found |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| \`${r.rule}\` | ${r.findings} | ${r.judged} | ${r.tp} | ${r.fp} | ${fmt(r.precision)} | ${r.knownFound}/${r.known} |`,
    ),
  ].join('\n');
}

function fmt(value) {
  return value === undefined ? '-' : value.toFixed(2);
}

/**
 * Adds rows to the ledger (a TSV with the ledger's header) or to the known instances (with theirs);
 * a location already there keeps its row.
 */
function mergeJudgements(path) {
  const text = readFileSync(path, 'utf8');
  const known = text.startsWith(KNOWN_COLUMNS.join('\t'));
  const [columns, target, kind] = known
    ? [KNOWN_COLUMNS, files.known, 'known']
    : [LEDGER_COLUMNS, files.ledger, 'ledger'];
  const incoming = parseTsv(text, columns, path);
  const rules = new Set([...ruleIds, 'suppression-comment']);
  const problems = validateRows(incoming, { rules, repos, kind });
  if (problems.length > 0) fail(problems.join('\n'));
  const current = parseTsv(readFileSync(target, 'utf8'), columns, target);
  const key = (r) => `${r.rule}\0${r.repo}\0${r.file}\0${r.hash}\0${r.line}\0${r.column ?? ''}`;
  const have = new Set(current.map(key));
  const added = incoming.filter((r) => !have.has(key(r)));
  const all = [...current, ...added].sort(
    (a, b) =>
      a.rule.localeCompare(b.rule) ||
      a.repo.localeCompare(b.repo) ||
      a.file.localeCompare(b.file) ||
      Number(a.line) - Number(b.line) ||
      Number(a.column ?? 0) - Number(b.column ?? 0),
  );
  writeFileSync(target, formatTsv(all, columns));
  console.log(
    `${kind}: ${added.length} rows added, ${incoming.length - added.length} already there, ${all.length} in all`,
  );
}

function fail(message) {
  console.error(message);
  process.exit(2);
}
