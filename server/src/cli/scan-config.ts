import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { EngineConfig } from '../engine/index.js';
import { formatConfigError, loadConfigFor } from '../host/config.js';
import { didYouMean } from '../host/config-validate.js';
import { packageConfigs, type PackageConfig } from '../host/package-configs.js';
import { loadRulePack } from '../host/rulepack.js';
import { UsageError } from '../host/workspace.js';
import type { CliIO } from './run.js';

interface ConfigOptions {
  rule: string[];
  /** `--config FILE`: this file instead of the one found from the scanned directory upwards. */
  config?: string;
  reportUnusedSuppressions?: boolean;
  /** `--include-tests`: analyse tests, mocks, fixtures, seeds... like production code. */
  includeTests?: boolean;
}

/** `--config` and `--report-unused-suppressions`, for every command that analyses. */
export function addConfigOptions(command: Command): Command {
  return command
    .option(
      '-c, --config <file>',
      'configuration file (default: .gdpr-lint.yaml/.json or package.json "gdprLint", from the scanned directory upwards)',
    )
    .option('--report-unused-suppressions', 'report gdpr-lint-disable comments that suppress nothing')
    .option('--include-tests', 'analyse tests, mocks, fixtures, seeds, examples and docs like production code');
}

const discovery = new WeakMap<EngineConfig, { ignore: string[]; include: string[] }>();

/**
 * The configuration of a scan: found from the scanned directory upwards (or `--config`),
 * validated; an invalid one is a usage error (exit 2) listing `file:line:column: key: problem`.
 */
export function scanConfig(
  paths: string[],
  options: ConfigOptions,
  io: Pick<CliIO, 'cwd'>,
): { pack: EngineConfig['pack']; config: EngineConfig } {
  const pack = loadRulePack();
  const loaded = loadConfigFor(scannedDirectory(paths, io.cwd), {
    pack,
    ...(options.config ? { configFile: resolve(io.cwd, options.config) } : {}),
  });
  if (loaded.errors.length > 0) {
    const lines = loaded.errors.map((e) => formatConfigError(e, io.cwd));
    throw new UsageError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const rules = loaded.config.pack.rules;
  for (const id of options.rule) {
    if (!rules[id])
      throw new UsageError(
        `unknown rule "${id}"${didYouMean(id, Object.keys(rules))} (known: ${Object.keys(rules).join(', ')})`,
      );
  }
  const config = withCommandLine(loaded.config, options);
  discovery.set(config, { ignore: loaded.ignore, include: loaded.include });
  return { pack: config.pack, config };
}

/** What the command line adds to any configuration of the scan (the root's and each package's). */
function withCommandLine(config: EngineConfig, options: ConfigOptions): EngineConfig {
  return {
    ...config,
    only: options.rule,
    ...(options.includeTests ? { includeTests: true } : {}),
    suppressions: {
      ...config.suppressions,
      today: new Date().toISOString().slice(0, 10),
      ...(options.reportUnusedSuppressions ? { reportUnused: true } : {}),
    },
  };
}

/**
 * The configurations of monorepo packages below the scan root (their own `.gdpr-lint.yaml`
 * applies to their files), as the scan pipeline asks for them once the files are found. None with
 * `--config FILE`, which is one file for everything. An invalid one is a usage error.
 */
export function packagesOf(
  config: EngineConfig,
  options: ConfigOptions,
  io: Pick<CliIO, 'cwd'>,
): ((base: string, files: string[]) => PackageConfig[]) | undefined {
  if (options.config) return undefined;
  return (base, files) => {
    const { packages, errors } = packageConfigs(base, files, config.pack, (c) => withCommandLine(c, options));
    if (errors.length > 0)
      throw new UsageError(`invalid configuration:\n${errors.map((e) => formatConfigError(e, io.cwd)).join('\n')}`);
    return packages;
  };
}

/** The `ignore`/`include` globs of the configuration a scan runs with (relative to the scanned directory). */
export function discoveryOf(config: EngineConfig): { ignore?: string[]; include?: string[] } {
  const found = discovery.get(config);
  return found ? { ignore: found.ignore, include: found.include } : {};
}

/** The directory the configuration is looked up from: the one path given (or its folder), else the working directory. */
function scannedDirectory(paths: string[], cwd: string): string {
  if (paths.length !== 1) return cwd;
  const only = resolve(cwd, paths[0]!);
  try {
    return statSync(only).isDirectory() ? only : dirname(only);
  } catch {
    return cwd;
  }
}
