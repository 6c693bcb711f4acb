import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyEdits, type Finding } from '../engine/index.js';

/** Applies each finding's preferred fix, file by file (sorted, overlaps dropped). Returns the number of files changed. */
export function applyPreferredFixes(findings: Finding[], texts: Map<string, string>, base: string): number {
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
