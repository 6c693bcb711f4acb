import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { applyFixes, automaticFix, syntaxErrorCount, type Finding, type FixType } from '../engine/index.js';
import { writeFileAtomically } from './atomic-write.js';
import { fsProblem } from './fs-errors.js';
import { digestOf, encodeSource, type SourceMeta } from './read.js';

/** One file's text once the automatic fixes of its findings are applied. */
interface PlannedFix {
  file: string;
  before: string;
  after: string;
  fixes: number;
}

/** What a fix run did to each file, or why it left a file alone. */
export interface FixRun {
  changed: PlannedFix[];
  problems: { file: string; reason: string }[];
}

/** The automatic fix of each finding (`types`: safe only, or unsafe ones too), applied file by file in memory. */
export function planFixes(
  findings: readonly Finding[],
  texts: ReadonlyMap<string, string>,
  types: readonly FixType[],
): PlannedFix[] {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    if (f.suppressed || !automaticFix(f, types)) continue;
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  const plans: PlannedFix[] = [];
  for (const [file, list] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    const before = texts.get(file);
    if (before === undefined) continue;
    // Whole fixes only; one that overlaps another waits for the next pass.
    const out = applyFixes(
      before,
      list.map((f) => automaticFix(f, types)!.edits),
    );
    if (out.text !== before) plans.push({ file, before, after: out.text, fixes: out.applied.length });
  }
  return plans;
}

/**
 * Writes planned fixes under `base`, each file atomically (host/atomic-write.ts), in its own
 * encoding. A file is left alone, with the reason, when it changed or
 * disappeared since it was read, is a link to outside `base`, is read-only, or cannot hold the
 * new text in its encoding. Nothing else in the file changes.
 */
export function writeFixes(
  plans: readonly PlannedFix[],
  sources: ReadonlyMap<string, SourceMeta>,
  base: string,
  write: (path: string, bytes: Buffer) => void = writeFileAtomically,
): FixRun {
  const run: FixRun = { changed: [], problems: [] };
  const root = realpathSync(base);
  for (const plan of plans) {
    const reason = writeOne(plan, sources.get(plan.file), join(base, plan.file), root, write);
    if (reason) run.problems.push({ file: plan.file, reason });
    else run.changed.push(plan);
  }
  return run;
}

function writeOne(
  plan: PlannedFix,
  source: SourceMeta | undefined,
  path: string,
  root: string,
  write: (path: string, bytes: Buffer) => void,
): string | undefined {
  if (!source) return 'not read by this scan';
  let target: string;
  try {
    lstatSync(path);
    target = realpathSync(path);
  } catch {
    return 'deleted since it was read: not re-created';
  }
  const inside = relative(root, target);
  if (inside.startsWith('..') || isAbsolute(inside)) return 'a link to a file outside the scanned folder: left alone';
  if (digestOf(readFileSync(target)) !== source.digest) return 'changed on disk since it was read: not overwritten';
  if (!source.lossless) return `its bytes are not valid ${source.encoding}: left alone rather than altered`;
  // The last guard: fixes never leave a file that parses worse than before (a bug of gdpr-lint if they would).
  if (syntaxErrorCount(plan.file, plan.after) > syntaxErrorCount(plan.file, plan.before))
    return 'the fixed text would not parse: left alone (please report this bug of gdpr-lint)';
  const bytes = encodeSource(plan.after, source);
  if (!bytes) return `a fix adds characters that ${source.encoding} cannot hold: left alone`;
  try {
    write(target, bytes);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
      ? 'read-only: left alone'
      : `${fsProblem(error, 'write', 'it')}: left alone`;
  }
  return undefined;
}

/** The unified diff of planned fixes, for `--fix-dry-run`. */
export function fixDiff(plans: readonly PlannedFix[]): string {
  return plans
    .map((p) => createTwoFilesPatch(`a/${p.file}`, `b/${p.file}`, p.before, p.after, '', '', { context: 3 }))
    .join('');
}
