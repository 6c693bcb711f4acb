import { resolve } from 'node:path';
import type { RegisterCommand } from './run.js';
import { addAnalysisOptions } from './scan-options.js';
import { reviewScan, saveBaseline, type ScanCommandOptions } from './scan-command.js';

/** `gdpr-lint baseline FILE [paths...]`: records today's findings so that later scans with `--baseline FILE` report only new ones. */
export const registerBaseline: RegisterCommand = (program, io, exit) => {
  const command = program
    .command('baseline')
    .description('write the fingerprints of the current findings to FILE (for scan --baseline FILE)')
    .argument('<file>', 'baseline file to write (JSON)')
    .argument('[paths...]', 'files or directories to scan', []);
  addAnalysisOptions(command).action(
    async (file: string, paths: string[], options: Omit<ScanCommandOptions, 'format' | 'failOn'>) => {
      const { all } = await reviewScan(paths, { ...options, format: [], failOn: 'warning' }, io);
      const count = saveBaseline(resolve(io.cwd, file), all);
      io.stderr.write(`gdpr-lint: ${count} finding${count === 1 ? '' : 's'} recorded in ${file}\n`);
      exit(0);
    },
  );
};
