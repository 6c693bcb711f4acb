import { readFileSync } from 'node:fs';

export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export type ReadOutcome = { text: string } | { skipped: string };

/** Reads a source file as UTF-8, skipping binary and oversized files with a reason (the engine's file roles recognise bundles). */
export function readSource(absolute: string): ReadOutcome {
  let buffer: Buffer;
  try {
    buffer = readFileSync(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { skipped: code === 'ENOENT' ? 'deleted during the scan' : `unreadable (${code ?? 'error'})` };
  }
  if (buffer.length > MAX_FILE_BYTES) return { skipped: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` };
  const probe = buffer.subarray(0, 8000);
  if (probe.includes(0)) return { skipped: 'binary content' };
  return { text: buffer.toString('utf8') };
}
