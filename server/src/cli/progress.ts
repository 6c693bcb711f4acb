import { Presets, SingleBar } from 'cli-progress';
import type { ScanPhase } from '../host/scan-pipeline.js';

interface Progress {
  update(phase: ScanPhase, done: number, total: number): void;
  stop(): void;
}

const SILENT: Progress = { update: () => undefined, stop: () => undefined };
/** Scans shorter than this never show a bar. */
const DELAY_MS = 1000;

/** A progress bar on stderr (files done/total, current phase), only on a terminal and only once a scan has run for a second. */
export function progressBar(
  stderr: NodeJS.WritableStream & { isTTY?: boolean },
  env: NodeJS.ProcessEnv = process.env,
  now: () => number = Date.now,
): Progress {
  if (!stderr.isTTY || env.CI || env.TERM === 'dumb') return SILENT;
  const started = now();
  let bar: SingleBar | undefined;
  return {
    update(phase, done, total) {
      if (!bar) {
        if (now() - started < DELAY_MS || total === 0) return;
        bar = new SingleBar(
          {
            stream: stderr,
            format: 'gdpr-lint {phase} [{bar}] {value}/{total} files',
            hideCursor: true,
            clearOnComplete: true,
            barsize: 30,
          },
          Presets.shades_classic,
        );
        bar.start(total, done, { phase: phase.padEnd(9) });
      }
      bar.setTotal(total);
      bar.update(done, { phase: phase.padEnd(9) });
    },
    stop() {
      bar?.stop();
    },
  };
}
