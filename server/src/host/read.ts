import { readFileSync } from 'node:fs';

export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export type ReadOutcome = { text: string } | { skipped: string };

/** Reads a source file as UTF-8, skipping binary, oversized and minified-looking files with a reason. */
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
  const text = buffer.toString('utf8');
  if (looksMinified(text)) return { skipped: 'minified or generated (very long lines)' };
  return { text };
}

function looksMinified(text: string): boolean {
  if (text.length < 20_000) return false;
  let lines = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lines++;
  return text.length / lines > 1000;
}
