import { fsProblem } from '../host/fs-errors.js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../host/workspace.js';
import type { RegisterCommand } from './run.js';

/** `gdpr-lint merge a.sarif b.sarif ... [-o out]`: joins the outputs of `--shard` jobs (SARIF or JSON). */
export const registerMerge: RegisterCommand = (program, io, exit) => {
  program
    .command('merge')
    .description('merge the SARIF or JSON outputs of several shards into one')
    .argument('<files...>', 'SARIF or JSON reports of gdpr-lint scan')
    .option('-o, --output <file>', 'write the merged report here instead of stdout')
    .action((files: string[], options: { output?: string }) => {
      const logs = files.map((file) => readReport(resolve(io.cwd, file)));
      const merged = JSON.stringify(mergeReports(logs, files), null, 2) + '\n';
      if (options.output) {
        const out = resolve(io.cwd, options.output);
        mkdirSync(dirname(out), { recursive: true });
        writeFileSync(out, merged);
      } else io.stdout.write(merged);
      exit(0);
    });
};

type Json = Record<string, unknown>;

function readReport(path: string): Json {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(fsProblem(error, 'read the report', path));
  }
  try {
    return JSON.parse(text) as Json;
  } catch (error) {
    throw new UsageError(`${path}: cannot read a gdpr-lint report (${(error as Error).message})`);
  }
}

/** Merges reports of one kind: SARIF logs (one run, rules united, results re-indexed) or JSON reports. */
function mergeReports(reports: Json[], names: string[] = []): Json {
  const sarif = reports.map((r) => Array.isArray(r.runs));
  if (sarif.every(Boolean)) return mergeSarif(reports);
  if (sarif.some(Boolean) || !reports.every((r) => Array.isArray(r.findings))) {
    throw new UsageError(`cannot merge SARIF with JSON reports (${names.join(', ')}): merge one kind at a time`);
  }
  return mergeJson(reports);
}

function mergeJson(reports: Json[]): Json {
  const findings = reports.flatMap((r) => r.findings as Json[]);
  const key = (f: Json) => [f.file, f.line, f.column, f.endLine, f.endColumn, f.ruleId].map(String).join(':');
  const unique = [...new Map(findings.map((f) => [key(f), f])).values()];
  unique.sort(
    (a, b) =>
      String(a.file).localeCompare(String(b.file)) ||
      Number(a.line) - Number(b.line) ||
      Number(a.column) - Number(b.column),
  );
  const stats = reports.map((r) => (r.stats ?? {}) as { files?: number; durationMs?: number });
  const notes = [
    ...new Map(
      reports.flatMap((r) => (r.notes as Json[] | undefined) ?? []).map((n) => [JSON.stringify(n), n]),
    ).values(),
  ];
  return {
    findings: unique,
    stats: {
      files: stats.reduce((s, x) => s + (x.files ?? 0), 0),
      durationMs: Math.max(0, ...stats.map((x) => x.durationMs ?? 0)),
    },
    notes,
  };
}

interface SarifRun {
  tool: { driver: { rules?: Json[] } & Json };
  results?: (Json & { ruleId?: string; ruleIndex?: number; partialFingerprints?: Record<string, string> })[];
  invocations?: Json[];
  originalUriBaseIds?: Json;
  [key: string]: unknown;
}

function mergeSarif(logs: Json[]): Json {
  const runs = logs.flatMap((log) => log.runs as SarifRun[]);
  const first = runs[0];
  if (!first) throw new UsageError('no SARIF run to merge');
  const rules = new Map<string, Json>();
  for (const run of runs)
    for (const rule of run.tool.driver.rules ?? []) if (!rules.has(String(rule.id))) rules.set(String(rule.id), rule);
  const ids = [...rules.keys()].sort();
  const index = new Map(ids.map((id, i) => [id, i]));
  const seen = new Set<string>();
  const results = runs
    .flatMap((run) => run.results ?? [])
    .filter((r) => {
      const key = JSON.stringify([r.ruleId, r.partialFingerprints ?? r.locations]);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((r) => (r.ruleId !== undefined && index.has(r.ruleId) ? { ...r, ruleIndex: index.get(r.ruleId) } : r));
  const notifications = runs
    .flatMap((run) => run.invocations ?? [])
    .flatMap((inv) => (inv.toolExecutionNotifications as Json[] | undefined) ?? []);
  return {
    $schema: logs[0]!.$schema,
    version: '2.1.0',
    runs: [
      {
        ...first,
        tool: { ...first.tool, driver: { ...first.tool.driver, rules: ids.map((id) => rules.get(id)!) } },
        invocations: [
          {
            executionSuccessful: runs.every((run) =>
              (run.invocations ?? []).every((inv) => inv.executionSuccessful !== false),
            ),
            ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        results,
      },
    ],
  };
}
