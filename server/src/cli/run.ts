import { Command, CommanderError, Option } from 'commander';
import { scanCommand } from './scan-command.js';
import { UsageError } from '../host/workspace.js';
import { PackError } from '../host/rulepack.js';

export interface CliIO {
  cwd: string;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

declare const GDPR_LINT_VERSION: string | undefined;
export const VERSION = typeof GDPR_LINT_VERSION === 'string' ? GDPR_LINT_VERSION : '0.1.0';

/** Parses argv and runs a command; resolves to the process exit code. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  let exitCode = 0;
  const program = new Command('gdpr-lint')
    .description('Finds GDPR risks in the code of medical-laboratory software.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  program
    .command('scan')
    .description('analyse files and directories, print findings')
    .argument('[paths...]', 'files or directories to scan', [])
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-r, --rule <id>', 'only run this rule (repeatable)', collect, [])
    .option('-q, --quiet', 'report errors only, no notes')
    .option('--fix', 'apply the preferred quick fixes in place')
    .addOption(new Option('--fail-on <severity>', 'lowest severity that makes the exit code 1').choices(['error', 'warning', 'note']).default('warning'))
    .action(async (paths: string[], options) => {
      exitCode = await scanCommand(paths, options, io);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return 2;
    }
    if (error instanceof UsageError || error instanceof PackError) {
      io.stderr.write(`gdpr-lint: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  return exitCode;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
