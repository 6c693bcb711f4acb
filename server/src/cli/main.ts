import { isAnalysisWorker, runAnalysisWorker } from '../host/workers.js';
import { runCli } from './run.js';

// The bundle is also the script of the `--jobs` analysis workers.
if (isAnalysisWorker()) {
  runAnalysisWorker();
} else {
  runCli(process.argv.slice(2), { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr })
    .then((code) => {
      process.exitCode = code;
    })
    .catch((error: unknown) => {
      process.stderr.write(
        `gdpr-lint: internal error, a bug of gdpr-lint: please report it with the command line and this message: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = 2;
    });
}
