import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import iconv from 'iconv-lite';

const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** How a file was read, so that a fix writes it back the same way, and only if nothing changed it since. */
export interface SourceMeta {
  /** UTF-8 (a BOM stays in the text), or Windows-1252 for a file that is not valid UTF-8 (Latin-1 SQL of French labs). */
  encoding: 'utf-8' | 'windows-1252';
  /** SHA-256 of the bytes read. */
  digest: string;
  /** Decoding then encoding gives the same bytes: a fix can be written back without changing other bytes. */
  lossless: boolean;
}

type ReadOutcome = { text: string; source: SourceMeta } | { skipped: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads a source file, skipping binary and oversized files with a reason (the engine's file roles
 * recognise bundles). The size is checked before reading, and only regular files are read: a 2 GB
 * dump costs nothing, a FIFO or a device (`/dev/zero`) is never read.
 */
export function readSource(absolute: string): ReadOutcome {
  let buffer: Buffer;
  let fd: number | undefined;
  try {
    // Non-blocking open: opening a FIFO that nobody writes must not hang.
    fd = openSync(absolute, constants.O_RDONLY | constants.O_NONBLOCK);
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { skipped: 'not a regular file (a FIFO, socket or device)' };
    if (stat.size > MAX_FILE_BYTES) return { skipped: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` };
    buffer = readFileSync(fd);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { skipped: code === 'ENOENT' ? 'deleted during the scan' : `unreadable (${code ?? 'error'})` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  // A file that grew between the check and the read is skipped too.
  if (buffer.length > MAX_FILE_BYTES) return { skipped: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` };
  const probe = buffer.subarray(0, 8000);
  if (probe.includes(0)) return { skipped: 'binary content' };
  return decodeSource(buffer);
}

/** The text of a file's bytes and how to write it back. */
export function decodeSource(buffer: Buffer): { text: string; source: SourceMeta } {
  const digest = digestOf(buffer);
  try {
    return { text: utf8.decode(buffer), source: { encoding: 'utf-8', digest, lossless: true } };
  } catch {
    const text = iconv.decode(buffer, 'windows-1252');
    return {
      text,
      source: { encoding: 'windows-1252', digest, lossless: iconv.encode(text, 'windows-1252').equals(buffer) },
    };
  }
}

/** The bytes of `text` in the file's encoding, or undefined when a character has no byte there. */
export function encodeSource(text: string, source: SourceMeta): Buffer | undefined {
  if (source.encoding === 'utf-8') return Buffer.from(text, 'utf8');
  const bytes = iconv.encode(text, 'windows-1252');
  return iconv.decode(bytes, 'windows-1252') === text ? bytes : undefined;
}

export function digestOf(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
