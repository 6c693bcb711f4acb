import { InvalidArgumentError, Option, type Command } from 'commander';
import type { FixType } from '../engine/index.js';
import { collect, type RegisterCommand } from './run.js';
import { scanCommand, type ScanCommandOptions } from './scan-command.js';
import { addConfigOptions } from './scan-config.js';
import { FORMAT_NAMES } from './outputs.js';

/** The options that select what is analysed and how (shared by `scan` and `baseline`). */
export function addAnalysisOptions(command: Command): Command {
  return addConfigOptions(command)
    .option('-r, --rule <id>', 'only run this rule (repeatable)', collect, [])
    .option('--cache', 'reuse per-file results of earlier scans (content hash + rule pack + config + project facts)')
    .option('--cache-location <dir>', 'cache directory', 'node_modules/.cache/gdpr-lint')
    .option('-j, --jobs <n>', 'worker threads for the per-file pass', positiveInt)
    .option('--shard <i/n>', 'analyse only shard i of n (stable partition by path, for CI matrices)');
}

export const registerScan: RegisterCommand = (program, io, exit) => {
  const scan = program
    .command('scan')
    .description('analyse files and directories, print findings')
    .argument('[paths...]', 'files or directories to scan', [])
    .addOption(
      new Option(
        '-f, --format <format>',
        `output format, repeatable, optionally to a file: ${FORMAT_NAMES.join('|')}[=FILE]`,
      )
        .argParser(collect)
        .default([], 'text'),
    )
    .option('-o, --output <file>', 'write the (single) format given without =FILE to this file')
    .option('-q, --quiet', 'report errors only: warnings and notes are neither shown nor counted for the exit code')
    .option('--max-warnings <n>', 'exit 1 when more than n warnings are reported (errors always count)', nonNegativeInt)
    .option('--color', 'colour the text output even when not on a terminal')
    .option('--no-color', 'never colour the text output (as does NO_COLOR)')
    .option('--print-config <file>', 'print the configuration that applies to this file (JSON) and exit')
    .option('--no-error-on-unmatched-pattern', 'exit 0 rather than 2 when a path has no file to analyse')
    .option('--fix', 'apply the safe quick fixes in place (again until nothing changes, 10 passes at most)')
    .option(
      '--fix-type <types>',
      'kinds of fixes --fix applies: safe (default), unsafe (encryption changes that need a data migration), comma-separated',
      fixTypes,
    )
    .option('--fix-dry-run', 'print the diff --fix would make, write nothing')
    .addOption(
      new Option('--fail-on <severity>', 'lowest severity that makes the exit code 1')
        .choices(['error', 'warning', 'note'])
        .default('warning'),
    )
    .option('--max-findings <n>', 'exit 1 only when more than n findings are at or above --fail-on', nonNegativeInt)
    .option('--strict', 'also exit 1 when a file was skipped, could not be parsed, or ran out of its time budget')
    .option('--changed-since <ref>', 'report only findings introduced since the merge base with this git ref')
    .option('--baseline <file>', 'report only findings whose fingerprint is not in this baseline')
    .option('--baseline-update', 'rewrite --baseline with the current findings');
  addAnalysisOptions(scan).action(async (paths: string[], options: ScanCommandOptions) => {
    exit(await scanCommand(paths, options, io));
  });
};

function fixTypes(value: string): FixType[] {
  const types = value
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  for (const t of types)
    if (t !== 'safe' && t !== 'unsafe')
      throw new InvalidArgumentError(`unknown fix type "${t}" (expected safe, unsafe)`);
  return types as FixType[];
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}
