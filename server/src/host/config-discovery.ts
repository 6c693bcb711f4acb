import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** A place a configuration is written: a file, or a property of package.json. */
export interface ConfigRef {
  file: string;
  property?: string;
}

export const CONFIG_FILE_NAMES = ['.gdpr-lint.yaml', '.gdpr-lint.yml', '.gdpr-lint.json'] as const;
export const PACKAGE_PROPERTY = 'gdprLint';

/** The configuration written in `dir` itself, if any (first of .gdpr-lint.yaml, .yml, .json, package.json "gdprLint"). */
export function configIn(dir: string): ConfigRef | undefined {
  for (const name of CONFIG_FILE_NAMES) {
    const file = join(dir, name);
    if (existsSync(file)) return { file };
  }
  const pkg = join(dir, 'package.json');
  if (existsSync(pkg)) {
    try {
      if (readFileSync(pkg, 'utf8').includes(`"${PACKAGE_PROPERTY}"`)) return { file: pkg, property: PACKAGE_PROPERTY };
    } catch {
      // an unreadable package.json holds no configuration
    }
  }
  return undefined;
}

/**
 * The configurations that apply to `dir`, nearest first: `dir` and its parents up to the
 * repository root (the directory holding `.git`) or the file system root. `isRoot` lets a
 * config with `root: true` stop the search.
 */
export function findConfigs(dir: string, isRoot: (ref: ConfigRef) => boolean = () => false): ConfigRef[] {
  const found: ConfigRef[] = [];
  let current = resolve(dir);
  for (;;) {
    const ref = configIn(current);
    if (ref) {
      found.push(ref);
      if (isRoot(ref)) break;
    }
    if (existsSync(join(current, '.git'))) break;
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return found;
}
