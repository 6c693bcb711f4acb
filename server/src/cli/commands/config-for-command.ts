import type { EngineConfig } from '../../engine/index.js';
import { formatConfigError, loadConfigFor } from '../../host/config.js';
import { UsageError } from '../../host/workspace.js';
import type { CliIO } from '../run.js';

/** The configuration of the working directory (or `--config`) for the helper commands; invalid = exit 2. */
export function configForCommand(io: Pick<CliIO, 'cwd'>, configFile?: string): EngineConfig {
  const loaded = loadConfigFor(io.cwd, configFile ? { configFile } : {});
  if (loaded.errors.length > 0)
    throw new UsageError(
      `invalid configuration:\n${loaded.errors.map((e) => formatConfigError(e, io.cwd)).join('\n')}`,
    );
  return loaded.config;
}
