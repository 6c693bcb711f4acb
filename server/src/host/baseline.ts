import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fsProblem } from './fs-errors.js';
import { dirname } from 'node:path';
import { LineIndex, type Finding } from '../engine/index.js';
import { UsageError } from './workspace.js';

export const FINGERPRINT_KEY = 'gdprLint/v1';

/**
 * Fingerprints that survive line shifts, moved lines and unrelated edits: rule + file + the
 * flagged text + the line it sits on, whitespace-normalised, never line numbers. Identical
 * findings in one file get an ordinal in source order. Hashed, so no source text leaks.
 */
export function fingerprintFindings(findings: readonly Finding[], texts: ReadonlyMap<string, string>): string[] {
  const indexes = new Map<string, LineIndex>();
  const seen = new Map<string, number>();
  const order = findings.map((_, i) => i).sort((a, b) => compareFindings(findings[a]!, findings[b]!));
  const out = new Array<string>(findings.length);
  for (const i of order) {
    const f = findings[i]!;
    const text = texts.get(f.file) ?? '';
    let lines = indexes.get(f.file);
    if (!lines) indexes.set(f.file, (lines = new LineIndex(text)));
    const snippet = normalise(text.slice(f.range.start, f.range.end));
    const context = normalise(lines.lineText(lines.position(f.range.start).line));
    const key = `${f.ruleId}\0${f.file}\0${snippet}\0${context}`;
    const ordinal = seen.get(key) ?? 0;
    seen.set(key, ordinal + 1);
    out[i] = createHash('sha256').update(`${key}\0${ordinal}`).digest('hex').slice(0, 32);
  }
  return out;
}

function compareFindings(a: Finding, b: Finding): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start - b.range.start || a.ruleId.localeCompare(b.ruleId);
}

function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  file: string;
}

interface BaselineFile {
  tool: 'gdpr-lint';
  version: 1;
  findings: BaselineEntry[];
}

/** Reads a baseline written by `gdpr-lint baseline`; a missing or malformed file is a usage error. */
export function readBaseline(path: string): Set<string> {
  if (!existsSync(path))
    throw new UsageError(`baseline file not found: ${path} (create it with: gdpr-lint baseline ${path})`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(fsProblem(error, 'read the baseline', path));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path}: not a gdpr-lint baseline (${(error as Error).message})`);
  }
  const findings = (parsed as Partial<BaselineFile>)?.findings;
  if (!Array.isArray(findings)) throw new UsageError(`${path}: not a gdpr-lint baseline (no "findings" array)`);
  return new Set(findings.map((f) => String(f.fingerprint)));
}

/** Writes the baseline: fingerprints with rule and file only (no source text, no line numbers), sorted for stable diffs. */
export function writeBaseline(path: string, entries: BaselineEntry[]): void {
  const sorted = [...entries].sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.ruleId.localeCompare(b.ruleId) || a.fingerprint.localeCompare(b.fingerprint),
  );
  const file: BaselineFile = { tool: 'gdpr-lint', version: 1, findings: sorted };
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(file, null, 2) + '\n');
  } catch (error) {
    throw new UsageError(fsProblem(error, 'write the baseline', path));
  }
}
