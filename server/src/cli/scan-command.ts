import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyEdits, type EngineConfig, type Finding, type Severity } from '../engine/index.js';
import { loadRulePack } from '../host/rulepack.js';
import { scan } from '../host/scan.js';
import { UsageError } from '../host/workspace.js';
import { formatJson } from './formats/json.js';
import { locate, type Report } from './formats/located.js';
import { formatText } from './formats/text.js';
import { VERSION, type CliIO } from './run.js';

export interface ScanCommandOptions {
  format: 'text' | 'json';
  rule: string[];
  quiet?: boolean;
  fix?: boolean;
  failOn: Severity;
}

const RANK: Record<Severity, number> = { note: 0, warning: 1, error: 2 };

export async function scanCommand(paths: string[], options: ScanCommandOptions, io: CliIO): Promise<number> {
  const pack = loadRulePack();
  for (const id of options.rule) {
    if (!pack.rules[id]) throw new UsageError(`unknown rule "${id}" (known: ${Object.keys(pack.rules).join(', ')})`);
  }
  const config: EngineConfig = { pack, only: options.rule };
  let result = scan({ paths, cwd: io.cwd, config });
  if (options.fix) {
    const fixed = applyPreferredFixes(result.findings, result.texts, result.target.base);
    if (fixed > 0) result = scan({ paths, cwd: io.cwd, config });
  }
  const report: Report = {
    findings: locate(result.findings, result.texts),
    notes: result.notes,
    stats: { files: result.texts.size, durationMs: result.durationMs },
    rules: pack.rules,
    texts: result.texts,
    toolVersion: VERSION,
  };
  const color = Boolean(io.stdout.isTTY) && !process.env.NO_COLOR;
  io.stdout.write(options.format === 'json' ? formatJson(report) : formatText(report, { color, quiet: options.quiet }));
  const failing = result.findings.some((f) => !f.suppressed && RANK[f.severity] >= RANK[options.failOn]);
  return failing ? 1 : 0;
}

/** Applies each finding's preferred fix, file by file (sorted, overlaps dropped). Returns the number of files changed. */
function applyPreferredFixes(findings: Finding[], texts: Map<string, string>, base: string): number {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    if (f.suppressed || !f.fixes?.some((x) => x.isPreferred)) continue;
    byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  }
  let changed = 0;
  for (const [file, list] of byFile) {
    const text = texts.get(file);
    if (text === undefined) continue;
    const edits = list.flatMap((f) => f.fixes!.find((x) => x.isPreferred)!.edits);
    const out = applyEdits(text, edits);
    if (out.text !== text) {
      writeFileSync(join(base, file), out.text);
      changed++;
    }
  }
  return changed;
}
