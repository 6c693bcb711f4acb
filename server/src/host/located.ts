import { LineIndex, type AnalysisNote, type Finding, type RuleMeta } from '../engine/index.js';
import { fingerprintFindings } from './baseline.js';
import type { PrivacyDelta } from './review/privacy-delta.js';

/** A finding with 1-based line/column positions, as every output format shows it. */
export interface LocatedFinding extends Finding {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Stable across line shifts (see host/baseline.ts): SARIF partialFingerprints, GitLab, baselines. */
  fingerprint: string;
  /** With --changed-since: on a line the change touched, or elsewhere but new (made reachable by the change). */
  introduced?: 'changed-line' | 'reachable';
}

export interface Report {
  findings: LocatedFinding[];
  notes: AnalysisNote[];
  stats: { files: number; durationMs: number; roles?: Record<string, number> };
  /** Tests and the other non-production roles were analysed like production code (--include-tests). */
  includeTests?: boolean;
  rules: Record<string, RuleMeta>;
  /** Source texts by relative path, for code frames. */
  texts: Map<string, string>;
  toolVersion: string;
  /** Prefix that turns a finding's `file` into a path relative to the repository/working directory (`examples/lab-app/`). */
  pathPrefix?: string;
  /** Absolute directory of `pathPrefix`'s root, as a file URI ending in `/` (SARIF originalUriBaseIds). */
  rootUri?: string;
  /** Rule documentation pages (markdown) by rule id, read by the host. */
  ruleDocs?: Record<string, string>;
  /** What a diff-aware scan compared against, and what the change adds to the privacy picture. */
  change?: { ref: string; base: string; delta: PrivacyDelta };
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
  const fingerprints = fingerprintFindings(findings, texts);
  return findings.map((f, i) => {
    const li = index(f.file);
    const start = li.position(f.range.start);
    const end = li.position(f.range.end);
    return {
      ...f,
      line: start.line + 1,
      column: start.character + 1,
      endLine: end.line + 1,
      endColumn: end.character + 1,
      fingerprint: fingerprints[i]!,
    };
  });
}

export function positionOf(texts: Map<string, string>, file: string, offset: number): { line: number; column: number } {
  const p = new LineIndex(texts.get(file) ?? '').position(offset);
  return { line: p.line + 1, column: p.character + 1 };
}
