import type { EngineConfig, FixType } from '../../engine/index.js';
import { fixDiff, planFixes, writeFixes, type FixRun } from '../apply-fixes.js';
import { locate, type LocatedFinding, type Report } from '../located.js';
import type { PipelineResult } from '../scan-pipeline.js';
import { reviewChange } from './changed-since.js';

/** Fix passes at most, like ESLint: a fix can uncover another. */
const MAX_FIX_PASSES = 10;

export interface ReviewRequest {
  config: EngineConfig;
  /** Scans the files once (the adapter's choice of cache, workers, shard, progress); called again after each fix pass. */
  scan: () => Promise<PipelineResult>;
  /** Fingerprints of known findings (a baseline): those are not reported. */
  known?: ReadonlySet<string>;
  /** A git ref: keep only the findings the change since it introduces, and compute its privacy delta. */
  changedSince?: string;
  /** Apply the automatic fixes of the kept findings of these kinds (`dryRun`: plan them and write nothing). */
  fix?: { types: readonly FixType[]; dryRun: boolean };
  /** Told when `changedSince` shares no history with the head (a shallow clone): the ref itself is the base. */
  onNoMergeBase?: (ref: string) => void;
}

export interface ReviewResult {
  /** The last scan. */
  result: PipelineResult;
  /** Every finding, before the baseline and the change filter. */
  all: LocatedFinding[];
  /** What the review keeps. */
  findings: LocatedFinding[];
  change?: Report['change'];
  /** With `fix`: what was changed (or, in a dry run, would be, with its diff), and what was left alone. */
  fixed?: FixRun & { diff?: string };
}

/**
 * A review of a scan: drops the known findings (baseline), keeps what a change introduces
 * (`changedSince`), and with `fix` applies the fixes of the findings kept (and only those), then
 * scans again, until nothing changes or after 10 passes. What both adapters could ask for; the CLI
 * parses the options and formats the result.
 */
export async function review(request: ReviewRequest): Promise<ReviewResult> {
  const { known, changedSince, fix } = request;
  const fixed: FixRun & { diff?: string } = { changed: [], problems: [] };
  for (let pass = 1; ; pass++) {
    const result = await request.scan();
    const all = locate(result.findings, result.texts);
    let findings = known ? all.filter((f) => !known.has(f.fingerprint)) : all;
    let change: Report['change'];
    if (changedSince !== undefined) {
      const delta = reviewChange(
        changedSince,
        { project: result.project, texts: result.texts, base: result.target.base },
        findings,
        request.config,
      );
      if (!delta.mergeBase && pass === 1) request.onNoMergeBase?.(changedSince);
      findings = delta.introduced;
      change = { ref: changedSince, base: delta.base, delta: delta.delta };
    }
    const done = (): ReviewResult => ({
      result,
      all,
      findings,
      ...(change ? { change } : {}),
      ...(fix ? { fixed } : {}),
    });
    if (!fix || pass > MAX_FIX_PASSES) return done();
    const plans = planFixes(findings, result.texts, fix.types);
    if (fix.dryRun) {
      fixed.changed = plans;
      fixed.diff = fixDiff(plans);
      return done();
    }
    const run = writeFixes(plans, result.sources, result.target.base);
    for (const p of run.problems) if (!fixed.problems.some((q) => q.file === p.file)) fixed.problems.push(p);
    for (const c of run.changed) {
      const earlier = fixed.changed.find((d) => d.file === c.file);
      if (earlier) {
        earlier.after = c.after;
        earlier.fixes += c.fixes;
      } else fixed.changed.push({ ...c });
    }
    if (run.changed.length === 0) return done();
  }
}
