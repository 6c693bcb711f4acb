import { readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { globMatcher, globProblem, isGlob, type RuleMeta } from '../engine/index.js';
import type { ConfigBoundary } from './config-boundary.js';
import type { ConfigError } from './config-errors.js';
import { readConfigSource, type ConfigSource } from './config-source.js';
import { regexProblem } from './config-regex.js';
import { validateAgainst } from './config-validate.js';
import { DEFAULT_EXCLUDED_DIRS, toPosix } from './discover.js';

export interface CustomRule {
  meta: RuleMeta;
  file: string;
}

const RULE_FILE = /\.(ya?ml|json)$/i;

/** Expands a layer's `ruleFiles` (relative to its file) and loads each team rule, collecting errors. */
export function loadRuleFiles(
  source: ConfigSource,
  patterns: readonly string[],
  builtIn: Record<string, RuleMeta>,
  errors: ConfigError[],
  boundary?: ConfigBoundary,
): CustomRule[] {
  const rules: CustomRule[] = [];
  patterns.forEach((pattern, i) => {
    const at = ['ruleFiles', i];
    const problem =
      globProblem(pattern) ??
      (RULE_FILE.test(pattern) || /\*$/.test(pattern)
        ? undefined
        : 'not a YAML or JSON file (expected e.g. ./gdpr-rules/*.yaml)');
    if (problem) {
      errors.push(source.error(at, `bad pattern "${pattern}": ${problem}`));
      return;
    }
    const base = dirname(source.file);
    const fixedPart = resolve(base, pattern.split(/[*?[{]/)[0]!.replace(/[^/]*$/, '') || '.');
    if (boundary && !boundary.walkable(fixedPart)) {
      errors.push(
        source.error(at, `"${pattern}" is outside the repository (a configuration only reads files of its repository)`),
      );
      return;
    }
    const expanded = expand(pattern, base);
    const files = expanded.filter((file) => {
      const outside = boundary?.problem(file);
      if (outside) errors.push(source.error(at, `${toPosix(relative(base, file))} is ${outside}`));
      return !outside;
    });
    if (expanded.length === 0) {
      errors.push(
        source.error(
          at,
          isGlob(pattern)
            ? `"${pattern}" matches no rule file (expected at least one .yaml or .json file)`
            : `rule file not found: ${pattern}`,
        ),
      );
      return;
    }
    for (const file of files) {
      const rule = loadTeamRule(file, builtIn, errors);
      if (rule) rules.push(rule);
    }
  });
  return rules;
}

/** Reads and checks one team rule file: the rule schema, a kind, a new id, safe regexes, valid globs. */
function loadTeamRule(file: string, builtIn: Record<string, RuleMeta>, errors: ConfigError[]): CustomRule | undefined {
  const outcome = readConfigSource(file);
  if (!outcome) return undefined;
  if ('error' in outcome) {
    errors.push(outcome.error);
    return undefined;
  }
  const { source } = outcome;
  const schemaErrors = validateAgainst('rule', source);
  if (schemaErrors.length > 0) {
    errors.push(...schemaErrors);
    return undefined;
  }
  const meta = source.value as RuleMeta;
  const before = errors.length;
  if (!meta.kind)
    errors.push(
      source.error(['id'], 'a team rule needs a kind and a match (expected kind: field, sink, sql or route)', 'key'),
    );
  if (builtIn[meta.id] && !builtIn[meta.id]!.kind)
    errors.push(
      source.error(['id'], `"${meta.id}" is a built-in rule (expected a new id; configure built-ins under rules:)`),
    );
  const match = (meta.match ?? {}) as Record<string, unknown>;
  for (const [i, pattern] of list(match.namePatterns).entries()) {
    const problem = regexProblem(pattern);
    if (problem) errors.push(source.error(['match', 'namePatterns', i], problem));
  }
  for (const key of ['names', 'tables', 'calls', 'allowedIn', 'paths', 'sanitizers', 'middleware']) {
    for (const [i, pattern] of list(match[key]).entries()) {
      const problem = globProblem(pattern);
      if (problem) errors.push(source.error(['match', key, i], `bad pattern "${pattern}": ${problem}`));
    }
  }
  // Relative doc paths become file URLs: editors and SARIF need absolute links.
  const docs = /^[a-z][a-z0-9+.-]*:/i.test(meta.docs)
    ? meta.docs
    : pathToFileURL(resolve(dirname(file), meta.docs)).href;
  return errors.length === before ? { meta: { ...meta, docs, source: file }, file } : undefined;
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Files matching a glob relative to `base` (or a literal path), sorted. */
function expand(pattern: string, base: string): string[] {
  if (!isGlob(pattern)) {
    const file = resolve(base, pattern);
    return isFile(file) ? [file] : [];
  }
  const absolute = isAbsolute(pattern) ? pattern : join(base, pattern);
  const segments = toPosix(absolute).split('/');
  const firstGlob = segments.findIndex(isGlob);
  const root = segments.slice(0, firstGlob).join('/') || '/';
  const matcher = globMatcher(segments.slice(firstGlob).join('/'));
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 8) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && !DEFAULT_EXCLUDED_DIRS.has(entry.name)) walk(path, depth + 1);
      else if (entry.isFile() && RULE_FILE.test(entry.name) && matcher.test(toPosix(relative(root, path))))
        found.push(path);
    }
  };
  walk(root, 0);
  return found.sort();
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
