import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { EngineConfig, RulePack } from '../engine/index.js';
import { loadConfigFor, type ConfigError } from './config.js';
import { configIn } from './config-discovery.js';

/** A monorepo package below the scan root with its own configuration (merged over the root's). */
export interface PackageConfig {
  /** The package folder, relative to the scan root, forward slashes. */
  dir: string;
  config: EngineConfig;
  /** The package's `ignore`/`include` globs, relative to its folder. */
  ignore: string[];
  include: string[];
  /** Configuration files read for it (for watching). */
  files: string[];
}

/**
 * The configurations of the packages that hold the scanned files: every folder between a file and
 * the scan root that has a `.gdpr-lint.yaml` (or `.json`, or a `gdprLint` property in its
 * package.json). Each is loaded like the root's (from its folder upwards, so the root's applies
 * underneath), then `adapt` adds what the command line sets. Problems come back located.
 */
export function packageConfigs(
  root: string,
  files: readonly string[],
  pack: RulePack,
  adapt: (config: EngineConfig) => EngineConfig,
): { packages: PackageConfig[]; errors: ConfigError[] } {
  const dirs = new Set<string>();
  for (const file of files) {
    const parts = file.split('/').slice(0, -1);
    for (let n = 1; n <= parts.length; n++) dirs.add(parts.slice(0, n).join('/'));
  }
  const packages: PackageConfig[] = [];
  const errors: ConfigError[] = [];
  for (const dir of [...dirs].sort()) {
    const folder = join(root, dir);
    if (!configIn(folder)) continue;
    const loaded = loadConfigFor(folder, { pack });
    errors.push(...loaded.errors);
    if (loaded.errors.length === 0)
      packages.push({
        dir,
        config: adapt(loaded.config),
        ignore: loaded.ignore,
        include: loaded.include,
        files: loaded.files,
      });
  }
  return { packages, errors };
}

/** The package that holds a file (the deepest one), if any. */
export function packageOf(packages: readonly PackageConfig[], path: string): PackageConfig | undefined {
  let best: PackageConfig | undefined;
  for (const p of packages) if (path.startsWith(`${p.dir}/`) && (!best || p.dir.length > best.dir.length)) best = p;
  return best;
}

const matchers = new WeakMap<PackageConfig, { ignore: Ignore; include: Ignore | undefined }>();

/** Whether a package's own `ignore`/`include` leaves the file out. */
export function excludedByPackage(packages: readonly PackageConfig[], path: string): boolean {
  const pkg = packageOf(packages, path);
  if (!pkg) return false;
  let m = matchers.get(pkg);
  if (!m)
    matchers.set(
      pkg,
      (m = {
        ignore: ignore().add(pkg.ignore),
        include: pkg.include.length > 0 ? ignore().add(pkg.include) : undefined,
      }),
    );
  const inner = path.slice(pkg.dir.length + 1);
  return m.ignore.ignores(inner) || (m.include !== undefined && !m.include.ignores(inner));
}
