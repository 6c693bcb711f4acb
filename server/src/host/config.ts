import { basename, resolve } from 'node:path';
import { globProblem, type EngineConfig, type RuleMeta, type RulePack } from '../engine/index.js';
import type { ConfigError } from './config-errors.js';
import { findConfigs, PACKAGE_PROPERTY, type ConfigRef } from './config-discovery.js';
import { resolveExtends } from './config-extends.js';
import { emptyMerged, mergeLayer, type MergedConfig, type TeamConfig } from './config-merge.js';
import { regexProblem } from './config-regex.js';
import { ConfigBoundary } from './config-boundary.js';
import { loadRuleFiles, type CustomRule } from './config-rules.js';
import { readConfigSource, type ConfigSource } from './config-source.js';
import { didYouMean, validateAgainst, validateWithSchema } from './config-validate.js';
import { loadRulePack, packageRoot } from './rulepack.js';

export type { ConfigError } from './config-errors.js';
export { formatConfigError } from './config-errors.js';

/** The configuration for one folder, resolved from files: what the CLI and the language server run with. */
export interface LoadedConfig {
  /** Defaults (the built-in pack alone) when `errors` is not empty. */
  config: EngineConfig;
  errors: ConfigError[];
  /** Every configuration and rule file read, for watching. */
  files: string[];
  /** Discovery globs from the config, relative to the folder. */
  ignore: string[];
  include: string[];
}

interface LoadOptions {
  pack?: RulePack;
  /** Use this file (and what it extends) instead of looking for one. */
  configFile?: string;
}

interface Layer {
  source: ConfigSource;
  value: TeamConfig;
  rules: CustomRule[];
}

/**
 * Finds the configuration that applies to `dir` (from `dir` upwards: monorepo packages over the
 * root), follows `extends`, loads team rule files, validates everything and merges it.
 * Never throws for a bad file: problems come back located in `errors`.
 */
export function loadConfigFor(dir: string, options: LoadOptions = {}): LoadedConfig {
  const pack = options.pack ?? loadRulePack();
  const folder = resolve(dir);
  const errors: ConfigError[] = [];
  const files = new Set<string>();
  const loader = new LayerLoader(pack, errors, files);
  const refs = options.configFile
    ? [refFor(resolve(folder, options.configFile))]
    : findConfigs(folder, (ref) => loader.isRoot(ref)).reverse();
  loader.boundary = new ConfigBoundary(
    folder,
    packageRoot(),
    refs.filter((r): r is ConfigRef => r !== undefined).map((r) => r.file),
  );
  if (options.configFile && !refs[0])
    errors.push({
      file: resolve(folder, options.configFile),
      line: 1,
      column: 1,
      key: '(file)',
      message: 'no "gdprLint" property in this package.json',
    });
  const layers = refs.filter((r): r is ConfigRef => r !== undefined).flatMap((ref) => loader.load(ref, []));
  const merged = emptyMerged();
  const custom = new Map<string, RuleMeta>();
  for (const layer of layers) {
    mergeLayer(merged, layer.value, layer.source.file, folder);
    for (const rule of layer.rules) custom.set(rule.meta.id, rule.meta);
  }
  const known = [...Object.keys(pack.rules), ...custom.keys()];
  for (const layer of layers) {
    for (const [id, setting] of Object.entries(layer.value.rules ?? {})) {
      if (!known.includes(id)) {
        errors.push(
          layer.source.error(
            ['rules', id],
            `unknown rule${didYouMean(id, known)} (expected one of ${known.join(', ')})`,
            'key',
          ),
        );
        continue;
      }
      // A mistyped or wrong-typed option is an error naming the key, never silently ignored.
      const schema = (pack.rules[id] ?? custom.get(id))?.options;
      if (schema && typeof setting === 'object' && setting.options !== undefined)
        errors.push(...validateWithSchema(schema, layer.source, setting.options, ['rules', id, 'options']));
    }
  }
  const fileList = [...files];
  errors.sort((a, b) =>
    a.file === b.file ? a.line - b.line || a.column - b.column : fileList.indexOf(a.file) - fileList.indexOf(b.file),
  );
  if (errors.length > 0) return { config: { pack }, errors, files: fileList, ignore: [], include: [] };
  return {
    config: toEngineConfig(pack, merged, custom),
    errors,
    files: fileList,
    ignore: merged.ignore ?? [],
    include: merged.include ?? [],
  };
}

function refFor(file: string): ConfigRef | undefined {
  if (basename(file) !== 'package.json') return { file };
  const outcome = readConfigSource(file, PACKAGE_PROPERTY);
  return outcome ? { file, property: PACKAGE_PROPERTY } : undefined;
}

/** Reads configuration files and what they extend, depth first, with cycle detection. */
class LayerLoader {
  private readonly rootFlags = new Map<string, boolean>();
  /** What `extends` and `ruleFiles` may read. */
  boundary: ConfigBoundary | undefined;

  constructor(
    private readonly pack: RulePack,
    private readonly errors: ConfigError[],
    private readonly files: Set<string>,
  ) {}

  isRoot(ref: ConfigRef): boolean {
    const key = refKey(ref);
    if (!this.rootFlags.has(key)) {
      const outcome = readConfigSource(ref.file, ref.property);
      const value = outcome && 'source' in outcome ? (outcome.source.value as TeamConfig | null) : undefined;
      this.rootFlags.set(key, value?.root === true);
    }
    return this.rootFlags.get(key)!;
  }

  load(ref: ConfigRef, chain: string[]): Layer[] {
    this.files.add(ref.file);
    const outcome = readConfigSource(ref.file, ref.property);
    if (!outcome) return [];
    if ('error' in outcome) {
      this.errors.push(outcome.error);
      return [];
    }
    const { source } = outcome;
    const schemaErrors = validateAgainst('config', source);
    if (schemaErrors.length > 0) {
      this.errors.push(...schemaErrors);
      return [];
    }
    const value = source.value as TeamConfig;
    this.checkPatterns(source, value);
    const here = [...chain, refKey(ref)];
    const layers: Layer[] = [];
    const specs = value.extends === undefined ? [] : Array.isArray(value.extends) ? value.extends : [value.extends];
    specs.forEach((spec, i) => {
      const at = Array.isArray(value.extends) ? ['extends', i] : ['extends'];
      const target = resolveExtends(spec, ref.file);
      if ('problem' in target) {
        this.errors.push(source.error(at, target.problem));
        return;
      }
      const outside = this.boundary?.problem(target.file);
      if (outside) {
        this.errors.push(source.error(at, `"${spec}" is ${outside}`));
        return;
      }
      if (here.includes(refKey(target))) {
        const cycle = [...here.slice(here.indexOf(refKey(target))), refKey(target)].map((k) =>
          basename(k.split('#')[0]!),
        );
        this.errors.push(
          source.error(at, `circular extends: ${cycle.join(' -> ')} (expected extends without a cycle)`),
        );
        return;
      }
      layers.push(...this.load(target, here));
    });
    const rules = loadRuleFiles(source, value.ruleFiles ?? [], this.pack.rules, this.errors, this.boundary);
    for (const rule of rules) this.files.add(rule.file);
    layers.push({ source, value, rules });
    return layers;
  }

  /** What the schema cannot say: safe regular expressions and usable globs. */
  private checkPatterns(source: ConfigSource, value: TeamConfig): void {
    for (const [category, patterns] of Object.entries(value.vocabulary?.identifierPatterns ?? {})) {
      patterns.forEach((pattern, i) => {
        const problem = regexProblem(pattern);
        if (problem) this.errors.push(source.error(['vocabulary', 'identifierPatterns', category, i], problem));
      });
    }
    for (const key of ['ignore', 'include'] as const) {
      (value[key] ?? []).forEach((glob, i) => {
        const problem = globProblem(glob);
        if (problem) this.errors.push(source.error([key, i], `bad glob "${glob}": ${problem}`));
      });
    }
    for (const [role, globs] of Object.entries(value.roles ?? {})) {
      (globs ?? []).forEach((glob, i) => {
        const problem = globProblem(glob);
        if (problem) this.errors.push(source.error(['roles', role, i], `bad glob "${glob}": ${problem}`));
      });
    }
  }
}

function refKey(ref: ConfigRef): string {
  return ref.property ? `${ref.file}#${ref.property}` : ref.file;
}

/** The engine's view of a merged configuration: team rules join the pack as data. */
function toEngineConfig(pack: RulePack, merged: MergedConfig, custom: Map<string, RuleMeta>): EngineConfig {
  const config: EngineConfig = {
    pack: custom.size > 0 ? { ...pack, rules: { ...pack.rules, ...Object.fromEntries(custom) } } : pack,
    rules: merged.rules,
  };
  if (merged.vocabulary) config.vocabulary = merged.vocabulary;
  if (merged.encryption) config.encryption = merged.encryption;
  if (merged.auth) config.auth = merged.auth;
  if (merged.thirdParty) config.thirdParty = merged.thirdParty;
  if (merged.redaction) config.redaction = merged.redaction;
  if (merged.exports) config.exports = merged.exports;
  if (merged.retention) config.retention = merged.retention;
  if (merged.suppressions) config.suppressions = merged.suppressions;
  if (merged.workBudget !== undefined) config.workBudget = merged.workBudget;
  if (merged.roles) config.roles = merged.roles;
  if (merged.includeTests !== undefined) config.includeTests = merged.includeTests;
  return config;
}
