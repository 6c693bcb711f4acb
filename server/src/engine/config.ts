import type { RulePack } from './pack.js';
import type { FileRole } from './roles.js';
import type { SeveritySetting } from './types.js';

export interface RuleSetting {
  severity?: SeveritySetting;
  options?: Record<string, unknown>;
}

/**
 * The resolved configuration the engine runs with: the rule pack plus what a team's
 * `.gdpr-lint.yaml` adds. The host finds, parses, validates and merges config files; the
 * engine only reads this object.
 */
export interface EngineConfig {
  pack: RulePack;
  rules?: Record<string, RuleSetting>;
  /** Only these rules run (CLI `--rule`). */
  only?: string[];
  vocabulary?: {
    add?: Record<string, string[]>;
    remove?: string[];
    /** Regular expressions on identifier names by category (checked safe by the host). */
    identifierPatterns?: Record<string, string[]>;
  };
  encryption?: { functions?: string[]; transformers?: string[]; decorators?: string[] };
  auth?: { middleware?: string[]; guards?: string[]; decorators?: string[]; publicPaths?: string[] };
  thirdParty?: { internalHosts?: string[]; approvedProcessors?: string[] };
  redaction?: { functions?: string[] };
  suppressions?: {
    requireJustification?: boolean;
    /** Report suppression comments that suppress nothing (CLI `--report-unused-suppressions`). */
    reportUnused?: boolean;
    /** The date `until=` is compared with (YYYY-MM-DD); default: today. */
    today?: string;
  };
  /** Where exports belong: files written below `privateDir` are never in a public place (and the quick fix moves them there). */
  exports?: { privateDir?: string };
  /**
   * Retention the team declares for export outputs that the code does not delete itself (a cron,
   * a bucket policy outside the repository): a glob on the output's path, bucket or table, and the
   * legal basis of keeping it.
   */
  retention?: RetentionRule[];
  /** Per-file analysis budget in units of work (see DetectorContext.tick). */
  workBudget?: number;
  /** The team's role globs (gitignore-style, relative to the scan root): they win over the conventions. */
  roles?: Partial<Record<FileRole, string[]>>;
  /** Analyse tests, mocks, fixtures, seeds, examples, docs and CI code like production code. */
  includeTests?: boolean;
}

export interface RetentionRule {
  /** Glob on the file path, bucket (`bucket/key`) or table an export writes: `/var/lab/exports/**`, `archive_*`. */
  path: string;
  /** Why it is kept, and under which article: `Art. 6(1)(c): lab reports kept 10 years (SDBIO)`. */
  basis: string;
  /** How long, as the team writes it (`30 days`, `P10Y`): shown, not checked. */
  period?: string;
}

/** The severity a rule runs at, or 'off'. */
export function ruleSeverity(config: EngineConfig, ruleId: string): SeveritySetting {
  if (config.only && config.only.length > 0 && !config.only.includes(ruleId)) return 'off';
  const setting = config.rules?.[ruleId]?.severity;
  if (setting) return setting;
  const meta = config.pack.rules[ruleId];
  return meta ? meta.severity : 'off';
}

/** A rule's options: the `parameters` of its YAML (the defaults), overridden by the team's `options`. */
export function ruleOptions(config: EngineConfig, ruleId: string): Record<string, unknown> {
  return { ...(config.pack.rules[ruleId]?.parameters ?? {}), ...(config.rules?.[ruleId]?.options ?? {}) };
}

/** A list option of a rule, as strings: its default lives in the rule's YAML `parameters`, never in code. */
export function listOption(options: Record<string, unknown>, key: string): string[] {
  const value = options[key];
  return Array.isArray(value) ? value.map(String) : [];
}
