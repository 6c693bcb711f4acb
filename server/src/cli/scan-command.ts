import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  FILE_ROLES,
  ruleOptions,
  ruleSeverity,
  type EngineConfig,
  type FileRole,
  type Finding,
  type FixType,
  type Severity,
} from '../engine/index.js';

import type { FixRun } from '../host/apply-fixes.js';
import { readBaseline, writeBaseline } from '../host/baseline.js';
import { toPosix } from '../host/discover.js';
import { readRuleDocs } from '../host/rule-docs.js';
import { runScan, type PipelineResult } from '../host/scan-pipeline.js';
import { parseShard } from '../host/shard.js';
import { UsageError } from '../host/workspace.js';
import { review } from '../host/review/review.js';
import type { LocatedFinding, Report } from '../host/located.js';
import { wantsColor } from './formats/text.js';
import { parseOutputs, writeOutputs } from './outputs.js';
import { progressBar } from './progress.js';
import { discoveryOf, packagesOf, scanConfig } from './scan-config.js';
import { VERSION, type CliIO } from './run.js';

export interface ScanCommandOptions {
  /** `text`, `json`, `sarif`, `github`, `gitlab`, `markdown`, each optionally `=FILE`. */
  format: string[];
  output?: string;
  rule: string[];
  quiet?: boolean;
  fix?: boolean;
  /** `--fix-type safe,unsafe`: unsafe fixes (an encryption that needs a data migration) only when asked. */
  fixType?: FixType[];
  /** `--fix-dry-run`: print the diff of the fixes, write nothing. */
  fixDryRun?: boolean;
  failOn: Severity;
  maxFindings?: number;
  maxWarnings?: number;
  /** `--color` true, `--no-color` false, absent: decided by the terminal and NO_COLOR/FORCE_COLOR. */
  color?: boolean;
  printConfig?: string;
  /** Commander's negation of --no-error-on-unmatched-pattern: false when given. */
  errorOnUnmatchedPattern?: boolean;
  strict?: boolean;
  changedSince?: string;
  baseline?: string;
  baselineUpdate?: boolean;
  cache?: boolean;
  cacheLocation?: string;
  jobs?: number;
  shard?: string;
}

const RANK: Record<Severity, number> = { note: 0, warning: 1, error: 2 };

export async function scanCommand(paths: string[], options: ScanCommandOptions, io: CliIO): Promise<number> {
  if (options.printConfig) return printConfig(options.printConfig, options, io);
  const outputs = parseOutputs(options.format, options.output);
  if (options.baselineUpdate && !options.baseline) throw new UsageError('--baseline-update needs --baseline FILE');
  if (options.changedSince !== undefined && options.changedSince.trim() === '')
    throw new UsageError('--changed-since needs a git ref (a branch, a tag or a commit, e.g. origin/main)');
  const { report, all, fixed } = await reviewScan(paths, options, io);
  if (options.baseline && options.baselineUpdate) saveBaseline(resolve(io.cwd, options.baseline), all);
  if (fixed) reportFixes(fixed, options, io);
  // A dry run's diff is what goes to stdout; reports still go to their files.
  const shown = options.fixDryRun ? outputs.filter((o) => o.file) : outputs;
  if (report.stats.files === 0 && options.errorOnUnmatchedPattern !== false) {
    const include = configInclude(paths, options, io);
    const why =
      include.length > 0
        ? `the configuration's include (${include.join(', ')}) matches no file`
        : `gdpr-lint reads ${SOURCE_EXTENSIONS}`;
    throw new UsageError(
      `no file to analyse in ${paths.length > 0 ? paths.join(', ') : '.'} (${why}); --no-error-on-unmatched-pattern makes this exit 0`,
    );
  }
  const color = options.color ?? wantsColor(io.stdout);
  writeOutputs(shown, report, { color, quiet: options.quiet, link: lineLink(process.env) }, io);
  // A statement only the token level understood was still analysed; anything else left a file incomplete.
  const incomplete = options.strict && report.notes.some((n) => n.kind !== 'sql-unparsed');
  return Math.max(exitCode(report.findings, options), incomplete ? 1 : 0);
}

function configInclude(paths: string[], options: ScanCommandOptions, io: CliIO): string[] {
  return discoveryOf(scanConfig(paths, options, io).config).include ?? [];
}

const SOURCE_EXTENSIONS = '.ts .tsx .js .jsx .mjs .cjs .mts .cts .sql .prisma';

/** `--print-config FILE`: the configuration that applies to that file, as the engine receives it (the rule pack's knowledge left out). */
function printConfig(file: string, options: ScanCommandOptions, io: CliIO): number {
  const { config } = scanConfig([file], options, io);
  const { pack, ...team } = config;
  const rules = Object.fromEntries(
    Object.keys(pack.rules)
      .sort()
      .map((id) => [id, { severity: ruleSeverity(config, id), options: ruleOptions(config, id) }]),
  );
  io.stdout.write(`${JSON.stringify({ ...team, rules, packVersion: pack.version }, null, 2)}\n`);
  return 0;
}

/**
 * Scans and keeps what the review asks for (--changed-since, --baseline), fixing with --fix
 * (`host/review/review.ts`); `all` is every finding before those filters, `fixed` says what --fix changed.
 */
export async function reviewScan(
  paths: string[],
  options: ScanCommandOptions,
  io: CliIO,
): Promise<{ report: Report; all: LocatedFinding[]; fixed?: FixRun & { diff?: string } }> {
  const { pack, config } = scanConfig(paths, options, io);
  const baselinePath = options.baseline ? resolve(io.cwd, options.baseline) : undefined;
  // --baseline-update may create the baseline; a plain --baseline needs it to exist.
  const known =
    baselinePath && !(options.baselineUpdate && !existsSync(baselinePath)) ? readBaseline(baselinePath) : undefined;
  const fixing = options.fix || options.fixDryRun;
  const { result, all, findings, change, fixed } = await review({
    config,
    scan: () => analyse(paths, config, options, io),
    ...(known ? { known } : {}),
    ...(options.changedSince !== undefined ? { changedSince: options.changedSince } : {}),
    ...(fixing ? { fix: { types: options.fixType ?? ['safe'], dryRun: !!options.fixDryRun } } : {}),
    onNoMergeBase: (ref) =>
      io.stderr.write(`gdpr-lint: no common history with ${ref} (shallow clone?): comparing with ${ref} itself\n`),
  });
  const root = isInside(result.target.base, io.cwd) ? io.cwd : result.target.base;
  const prefix = toPosix(relative(root, result.target.base));
  const wantsDocs = options.format.some((f) => f.startsWith('sarif'));
  const report: Report = {
    // --quiet: errors only, in every format (ESLint's meaning).
    findings: options.quiet ? findings.filter((f) => f.severity === 'error') : findings,
    notes: result.notes,
    stats: { files: result.analysed.length, durationMs: result.durationMs, ...rolesOf(result) },
    rules: pack.rules,
    texts: result.texts,
    toolVersion: VERSION,
    pathPrefix: prefix ? `${prefix}/` : '',
    rootUri: pathToFileURL(root).href.replace(/\/?$/, '/'),
    ...(wantsDocs ? { ruleDocs: readRuleDocs(Object.keys(pack.rules)) } : {}),
    ...(change ? { change } : {}),
    ...(config.includeTests ? { includeTests: true } : {}),
  };
  return { report, all, ...(fixed ? { fixed } : {}) };
}

/** What --fix changed, file by file, and what it left alone and why (stderr); --fix-dry-run prints the diff. */
function reportFixes(fixed: FixRun & { diff?: string }, options: ScanCommandOptions, io: CliIO): void {
  if (options.fixDryRun) {
    io.stdout.write(fixed.diff ?? '');
    io.stderr.write(
      `gdpr-lint: --fix-dry-run: ${fixed.changed.length} file${fixed.changed.length === 1 ? '' : 's'} would change, nothing written\n`,
    );
    return;
  }
  for (const c of fixed.changed)
    io.stderr.write(`gdpr-lint: fixed ${c.file} (${c.fixes} fix${c.fixes === 1 ? '' : 'es'})\n`);
  for (const p of fixed.problems) io.stderr.write(`gdpr-lint: not fixed ${p.file}: ${p.reason}\n`);
  if (fixed.changed.length === 0 && fixed.problems.length === 0) io.stderr.write('gdpr-lint: --fix: nothing to fix\n');
}

/** How many analysed files have each non-production role (tests, fixtures, generated bundles...). */
function rolesOf(result: PipelineResult): { roles?: Record<string, number> } {
  const counts = new Map<FileRole, number>();
  for (const path of result.analysed) {
    const role = result.project.roleOf(path);
    if (role !== 'production') counts.set(role, (counts.get(role) ?? 0) + 1);
  }
  // In the order of FILE_ROLES, so outputs do not depend on the order files were found in.
  const roles = Object.fromEntries(FILE_ROLES.filter((r) => counts.has(r)).map((r) => [r, counts.get(r)!]));
  return counts.size > 0 ? { roles } : {};
}

async function analyse(
  paths: string[],
  config: EngineConfig,
  options: ScanCommandOptions,
  io: CliIO,
): Promise<PipelineResult> {
  const progress = progressBar(io.stderr);
  try {
    return await runScan({
      paths,
      cwd: io.cwd,
      config,
      ...discoveryOf(config),
      packages: packagesOf(config, options, io),
      ...(options.shard ? { shard: parseShard(options.shard) } : {}),
      ...(options.cache
        ? {
            cache: {
              directory: resolve(io.cwd, options.cacheLocation ?? 'node_modules/.cache/gdpr-lint'),
              toolVersion: VERSION,
            },
          }
        : {}),
      ...(options.jobs && options.jobs > 1 ? { jobs: options.jobs, workerScript: workerScript() } : {}),
      onPhase: (phase, done, total) => progress.update(phase, done, total),
    });
  } finally {
    progress.stop();
  }
}

/**
 * Exit 1 when more than `--max-findings` (default 0) reported findings are at or above `--fail-on`.
 * With `--max-warnings N`, warnings fail only past N (errors always count); with `--quiet`, only
 * errors are reported and counted (ESLint's meanings).
 */
export function exitCode(
  findings: readonly Finding[],
  options: Pick<ScanCommandOptions, 'failOn' | 'maxFindings' | 'maxWarnings' | 'quiet'>,
): number {
  const reported = findings.filter((f) => !f.suppressed && (!options.quiet || f.severity === 'error'));
  const counted = options.maxWarnings === undefined ? reported : reported.filter((f) => f.severity !== 'warning');
  const failing = counted.filter((f) => RANK[f.severity] >= RANK[options.failOn]).length;
  if (failing > (options.maxFindings ?? 0)) return 1;
  const warnings = reported.filter((f) => f.severity === 'warning').length;
  return options.maxWarnings !== undefined && warnings > options.maxWarnings ? 1 : 0;
}

export function saveBaseline(path: string, findings: readonly LocatedFinding[]): number {
  const entries = findings
    .filter((f) => !f.suppressed)
    .map((f) => ({ fingerprint: f.fingerprint, ruleId: f.ruleId, file: f.file }));
  writeBaseline(path, entries);
  return entries.length;
}

/** Links for the markdown comment: GDPR_LINT_LINK_BASE, else GitHub Actions or GitLab CI variables, else relative links. */
export function lineLink(env: NodeJS.ProcessEnv): ((path: string, line: number) => string) | undefined {
  const base =
    env.GDPR_LINT_LINK_BASE ??
    (env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_SHA
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/blob/${env.GITHUB_SHA}/`
      : undefined) ??
    (env.CI_PROJECT_URL && env.CI_COMMIT_SHA ? `${env.CI_PROJECT_URL}/-/blob/${env.CI_COMMIT_SHA}/` : undefined);
  if (!base) return undefined;
  const prefix = base.endsWith('/') ? base : `${base}/`;
  return (path, line) => `${prefix}${path.split('/').map(encodeURIComponent).join('/')}#L${line}`;
}

/** The CLI bundle, which doubles as the analysis worker; undefined when running from sources (tests). */
function workerScript(): string | undefined {
  const main = (typeof require !== 'undefined' ? require.main?.filename : undefined) ?? process.argv[1];
  return main && /\.c?js$/.test(main) && !/vitest|node_modules/.test(main) ? main : undefined;
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
