import { Command, CommanderError } from 'commander';
import { UsageError } from '../host/workspace.js';
import { PackError } from '../host/rulepack.js';
import { fsProblem, isFsError } from '../host/fs-errors.js';
import { registerBaseline } from './baseline-command.js';
import { registerLsp } from './lsp-command.js';
import { registerMerge } from './merge-command.js';
import { registerScan } from './scan-options.js';
import { registerClassify } from './commands/classify.js';
import { registerInventory } from './commands/inventory.js';
import { registerExplain } from './commands/explain.js';
import { registerInit } from './commands/init.js';
import { registerRules } from './commands/rules.js';

export interface CliIO {
  cwd: string;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

declare const GDPR_LINT_VERSION: string | undefined;
export const VERSION = typeof GDPR_LINT_VERSION === 'string' ? GDPR_LINT_VERSION : '0.1.0';

/** Adds one subcommand; its action reports the exit code through `exit`. */
export type RegisterCommand = (program: Command, io: CliIO, exit: (code: number) => void) => void;

/** Every subcommand, one module each: adding one is one import and one entry here. */
const COMMANDS: RegisterCommand[] = [
  registerScan,
  registerBaseline,
  registerMerge,
  registerLsp,
  registerInit,
  registerRules,
  registerExplain,
  registerClassify,
  registerInventory,
];

/** Parses argv and runs a command; resolves to the process exit code. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  let exitCode = 0;
  const program = new Command('gdpr-lint')
    .description('Finds GDPR risks in the code of medical-laboratory software.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  for (const register of COMMANDS) register(program, io, (code) => (exitCode = code));

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return 0;
      return 2;
    }
    if (error instanceof UsageError || error instanceof PackError) {
      io.stderr.write(`gdpr-lint: ${error.message}\n`);
      return 2;
    }
    if (isFsError(error)) {
      io.stderr.write(
        `gdpr-lint: ${fsProblem(error, error.syscall === 'open' || error.syscall === 'write' ? 'use' : (error.syscall ?? 'use'), error.path ?? 'a file')}\n`,
      );
      return 2;
    }
    throw error;
  }
  return exitCode;
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
