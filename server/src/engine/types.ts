/** The engine's contract: files in, findings out. Offsets are UTF-16 code unit offsets into `text`. */

export type Severity = 'error' | 'warning' | 'note';
export type SeveritySetting = Severity | 'off';
/** `json`: package manifests and deploy files (Dockerfile, Procfile, compose, render...): which folder is which application, what production starts; no rule runs on them. */
export type Language = 'typescript' | 'javascript' | 'sql' | 'prisma' | 'json';

/** A file handed to the engine: `path` is workspace-relative with forward slashes. */
export interface SourceInput {
  path: string;
  text: string;
}

export interface Range {
  start: number;
  end: number;
}

export interface TextEdit extends Range {
  newText: string;
}

export interface Fix {
  title: string;
  /** Edits in the finding's file. */
  edits: TextEdit[];
  /** The fix an editor offers first and `--fix` applies. */
  isPreferred?: boolean;
  /** Safe to apply without review (used by fix-all and `--fix`). */
  safe?: boolean;
}

/** Evidence elsewhere: the entity field that makes a value health data, the `app.use` that comes too late. */
export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
}

export interface Suppression {
  kind: 'inline';
  justification?: string;
  until?: string;
  basis?: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  file: string;
  range: Range;
  fixes?: Fix[];
  related?: RelatedLocation[];
  /** Set when a suppression comment covers the finding; suppressed findings are kept, marked. */
  suppressed?: Suppression;
  /** Rule-specific facts for formatters (e.g. the table, the category). Never raw identifier values. */
  data?: Record<string, unknown>;
  /** The file's role when it is not production code (the finding was reported because the rule runs there). */
  role?: string;
}

/** A note about the analysis itself (unparsed statement, skipped file), said once per file. */
export interface AnalysisNote {
  file: string;
  kind: 'sql-unparsed' | 'ts-syntax' | 'skipped' | 'detector-error' | 'timeout';
  message: string;
  range?: Range;
}

export interface FileResult {
  file: string;
  findings: Finding[];
  notes: AnalysisNote[];
  /** Units of work the analysis used (DetectorContext.tick): what the per-file budget counts. */
  work?: number;
}

export interface AnalysisResult {
  findings: Finding[];
  notes: AnalysisNote[];
}
