import { LineIndex, type AnalysisNote, type Finding, type RuleMeta } from '../../engine/index.js';

/** A finding with 1-based line/column positions, as every output format shows it. */
export interface LocatedFinding extends Finding {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface Report {
  findings: LocatedFinding[];
  notes: AnalysisNote[];
  stats: { files: number; durationMs: number };
  rules: Record<string, RuleMeta>;
  /** Source texts by relative path, for code frames. */
  texts: Map<string, string>;
  toolVersion: string;
}

/** The one place where engine offsets become the 1-based lines and columns of the CLI formats. */
export function locate(findings: Finding[], texts: Map<string, string>): LocatedFinding[] {
  const indexes = new Map<string, LineIndex>();
  const index = (file: string) => {
    let li = indexes.get(file);
    if (!li) {
      li = new LineIndex(texts.get(file) ?? '');
      indexes.set(file, li);
    }
    return li;
  };
  return findings.map((f) => {
    const li = index(f.file);
    const start = li.position(f.range.start);
    const end = li.position(f.range.end);
    return { ...f, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
  });
}

export function positionOf(texts: Map<string, string>, file: string, offset: number): { line: number; column: number } {
  const p = new LineIndex(texts.get(file) ?? '').position(offset);
  return { line: p.line + 1, column: p.character + 1 };
}
