import { dirname, isAbsolute, relative } from 'node:path';
import type { FileRole, RetentionRule, RuleSetting, SeveritySetting } from '../engine/index.js';
import { toPosix } from './discover.js';

/** A configuration file as written (validated by schemas/config.schema.json). */
export interface TeamConfig {
  root?: boolean;
  extends?: string | string[];
  rules?: Record<string, SeveritySetting | RuleSetting>;
  vocabulary?: { add?: Record<string, string[]>; remove?: string[]; identifierPatterns?: Record<string, string[]> };
  encryption?: { functions?: string[]; transformers?: string[]; decorators?: string[] };
  auth?: { middleware?: string[]; guards?: string[]; decorators?: string[]; publicPaths?: string[] };
  thirdParty?: { internalHosts?: string[]; approvedProcessors?: string[] };
  redaction?: { functions?: string[] };
  exports?: { privateDir?: string };
  retention?: RetentionRule[];
  suppressions?: { requireJustification?: boolean };
  ignore?: string[];
  include?: string[];
  ruleFiles?: string[];
  workBudget?: number;
  roles?: Partial<Record<FileRole, string[]>>;
  includeTests?: boolean;
}

/** The merge of every layer, globs already relative to the scan root. */
export interface MergedConfig extends Omit<TeamConfig, 'rules' | 'extends' | 'root' | 'ruleFiles'> {
  rules: Record<string, RuleSetting>;
}

const LISTS = ['encryption', 'auth', 'thirdParty', 'redaction'] as const;

/** Merges `layer` (written in `file`) over `into`: later layers win for severities, lists are joined. */
export function mergeLayer(into: MergedConfig, layer: TeamConfig, file: string, scanRoot: string): void {
  for (const [id, setting] of Object.entries(layer.rules ?? {})) {
    const next = typeof setting === 'string' ? { severity: setting } : setting;
    const prior = into.rules[id] ?? {};
    into.rules[id] = {
      ...((next.severity ?? prior.severity) ? { severity: next.severity ?? prior.severity } : {}),
      ...(prior.options || next.options ? { options: { ...prior.options, ...next.options } } : {}),
    };
  }
  if (layer.vocabulary) {
    const vocabulary = (into.vocabulary ??= {});
    for (const key of ['add', 'identifierPatterns'] as const) {
      for (const [category, terms] of Object.entries(layer.vocabulary[key] ?? {})) {
        const target = (vocabulary[key] ??= {});
        target[category] = union(target[category], terms);
      }
    }
    if (layer.vocabulary.remove) vocabulary.remove = union(vocabulary.remove, layer.vocabulary.remove);
  }
  for (const section of LISTS) {
    const values = layer[section] as Record<string, string[]> | undefined;
    if (!values) continue;
    const target = ((into as unknown as Record<string, unknown>)[section] ??= {}) as Record<string, string[]>;
    for (const [key, list] of Object.entries(values)) target[key] = union(target[key], list);
  }
  if (layer.exports) into.exports = { ...into.exports, ...layer.exports };
  if (layer.retention) {
    const seen = new Set((into.retention ?? []).map((r) => `${r.path}\0${r.basis}`));
    into.retention = [...(into.retention ?? []), ...layer.retention.filter((r) => !seen.has(`${r.path}\0${r.basis}`))];
  }
  if (layer.suppressions) into.suppressions = { ...into.suppressions, ...layer.suppressions };
  if (layer.workBudget !== undefined) into.workBudget = layer.workBudget;
  if (layer.includeTests !== undefined) into.includeTests = layer.includeTests;
  const base = dirname(file);
  for (const key of ['ignore', 'include'] as const) {
    const globs = (layer[key] ?? []).flatMap((g) => rebaseGlob(g, base, scanRoot));
    if (globs.length > 0) into[key] = union(into[key], globs);
  }
  for (const [role, list] of Object.entries(layer.roles ?? {}) as [FileRole, string[]][]) {
    const globs = list.flatMap((g) => rebaseGlob(g, base, scanRoot));
    if (globs.length > 0) (into.roles ??= {})[role] = union(into.roles?.[role], globs);
  }
}

function union(a: string[] | undefined, b: string[]): string[] {
  return [...new Set([...(a ?? []), ...b])];
}

/**
 * A gitignore-style glob written relative to `base`, made relative to `scanRoot`. Globs without
 * a slash match at any depth; anchored globs of a config above the scan root keep only the part
 * under it; an anchored glob that cannot match under the scan root is dropped.
 */
export function rebaseGlob(glob: string, base: string, scanRoot: string): string[] {
  const negated = glob.startsWith('!');
  const body = negated ? glob.slice(1) : glob;
  const bang = negated ? '!' : '';
  const trimmed = body.replace(/^\.\//, '');
  const anchored = trimmed.replace(/\/$/, '').includes('/');
  const fromRoot = toPosix(relative(scanRoot, base));
  if (fromRoot === '') return [glob];
  if (!fromRoot.startsWith('..') && !isAbsolute(fromRoot)) {
    // The config is below the scan root: its globs apply under its own directory.
    return [`${bang}${fromRoot}/${anchored ? trimmed.replace(/^\//, '') : `**/${trimmed}`}`];
  }
  if (!anchored) return [`${bang}${trimmed}`];
  const prefix = toPosix(relative(base, scanRoot));
  const path = trimmed.replace(/^\//, '');
  if (path.startsWith('**/')) return [`${bang}${path}`];
  if (path.startsWith(`${prefix}/`)) return [`${bang}${path.slice(prefix.length + 1)}`];
  return [];
}

export function emptyMerged(): MergedConfig {
  return { rules: {} };
}
