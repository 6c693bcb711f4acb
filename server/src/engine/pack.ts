import type { Severity } from './types.js';

/** One rule's metadata, as written in `rules/<id>.yaml` (built-in and team rule files alike). */
export interface RuleMeta {
  id: string;
  title: string;
  severity: Severity;
  /** GDPR articles, e.g. "Art. 9", "Art. 32(1)(a)". */
  gdpr: string[];
  /** What the rule reports, in one sentence (SARIF's rule description, `explain`, a team rule's findings). */
  message: string;
  /**
   * The texts of the rule's findings by messageId, with `{{placeholders}}` (ESLint's
   * `meta.messages`): a built-in detector reports a messageId and the placeholders' values.
   */
  messages?: Record<string, string>;
  /** URL of the rule's documentation page. */
  docs: string;
  description?: string;
  fixable?: boolean;
  tags?: string[];
  parameters?: Record<string, unknown>;
  /** JSON Schema of the options a team may set (validated by the host); `parameters` are their defaults. */
  options?: Record<string, unknown>;
  /** Roles other than production where the rule also runs (e.g. `fixture` for hard-coded identifiers). */
  roles?: string[];
  /** Custom (team) rules: the building block and its pattern. Absent for built-ins. */
  kind?: string;
  [extra: string]: unknown;
}

/**
 * The rule pack as data, loaded from `rules/` by the host (the engine never reads files).
 * `data` holds the knowledge files of `rules/vocabulary/` by base name (vocabulary terms,
 * sinks, sanitisers, auth middleware, SQL embedding tags...); each engine module reads its own.
 */
export interface RulePack {
  version: string;
  rules: Record<string, RuleMeta>;
  data: Record<string, unknown>;
}

/**
 * One knowledge file of the pack (`rules/vocabulary/<name>.yaml`), validated against its schema
 * when the pack was loaded: the single source of that data, with no copy in code to fall back on.
 */
export function vocabularyOf<T>(pack: RulePack, name: string): T {
  const value = pack.data[name];
  if (value === undefined) throw new Error(`the rule pack has no rules/vocabulary/${name}.yaml`);
  return value as T;
}

/** Reads one knowledge file of the pack, or `fallback` when the pack does not have it. */
export function packData<T>(pack: RulePack, name: string, fallback: T): T {
  const value = pack.data[name];
  return (value ?? fallback) as T;
}
