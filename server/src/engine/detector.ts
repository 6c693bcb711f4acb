import type ts from 'typescript';
import type { EngineConfig } from './config.js';
import type { ProjectFacts } from './facts.js';
import type { FileRole } from './roles.js';
import type { Fix, Language, Range, RelatedLocation, Severity } from './types.js';
import type { LineIndex } from './text.js';
import type { MessageArgs } from './messages.js';

/** A file as detectors see it: text, language, and its parse (shared by every detector). */
export interface FileView {
  path: string;
  text: string;
  language: Language;
  lines: LineIndex;
  /** The TypeScript parse of a TS/JS file (parents set). */
  ts?: ts.SourceFile;
  /** What the file is for (production, test, fixture...). */
  role: FileRole;
}

/**
 * A finding as a detector reports it. Built-in rules name one of their `messages` in
 * `rules/<id>.yaml` and give its placeholders' values in `args` (ESLint calls them `data`; here
 * `data` is the finding's structured output); team rules, whose text is the team's, give a `message`.
 */
export type Report = ReportBody &
  ({ messageId: string; args?: MessageArgs; message?: never } | { message: string; messageId?: never; args?: never });

interface ReportBody {
  range: Range;
  /** Overrides the configured severity (e.g. `error` when a route returns health data); the config's `off` still wins. */
  severity?: Severity;
  fixes?: Fix[];
  related?: RelatedLocation[];
  data?: Record<string, unknown>;
}

export interface DetectorContext {
  file: FileView;
  config: EngineConfig;
  /** Project-wide facts: schema, routes, the TS program for type queries. */
  project: ProjectFacts;
  /** Options of this rule (pack parameters merged with the team's). */
  options: Record<string, unknown>;
  report(report: Report): void;
  /**
   * Counts work done on this file (a candidate examined, a flow step, a statement parsed) and
   * throws when the file's work budget is spent: call it in loops over the file's content. Work,
   * not time, so that the same input gives the same findings on a busy machine.
   */
  tick: (units?: number) => void;
  /** A note about the analysis itself (e.g. a statement that could not be parsed). */
  note(kind: 'sql-unparsed' | 'ts-syntax', message: string, range?: Range): void;
}

/** One rule's detector: runs per file, reading project facts. */
export interface Detector {
  ruleId: string;
  languages: readonly Language[];
  check(context: DetectorContext): void;
}
