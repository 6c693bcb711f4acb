import { closeSync, fsyncSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** `.name.gdpr-lint-PID.tmp`: hidden, ours by name, and telling which process wrote it. */
const TEMP = /^\.(.+)\.gdpr-lint-(\d+)\.tmp$/;

/**
 * Replaces a file's content atomically: the bytes go to a temporary file in the same folder
 * (flushed to disk, with the file's mode), renamed over the file. Killed at any moment, the run
 * leaves the file either old or new; a temporary file left by a killed run is removed by the next
 * write in that folder.
 */
export function writeFileAtomically(path: string, bytes: Buffer): void {
  const folder = dirname(path);
  removeStaleTemporaries(folder);
  const mode = statSync(path).mode & 0o7777;
  const temp = join(folder, `.${basename(path)}.gdpr-lint-${process.pid}.tmp`);
  const fd = openTemporary(temp, mode);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temp);
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, path);
  } catch (error) {
    unlinkSync(temp);
    throw error;
  }
}

/**
 * Creates the temporary file, never through a link planted at its name (`wx`); one left by an
 * earlier process that had this same id is ours to replace.
 */
function openTemporary(temp: string, mode: number): number {
  try {
    return openSync(temp, 'wx', mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    unlinkSync(temp);
    return openSync(temp, 'wx', mode);
  }
}

const cleaned = new Set<string>();

/** Temporary files of runs that no longer exist (each folder once per process). */
function removeStaleTemporaries(folder: string): void {
  if (cleaned.has(folder)) return;
  cleaned.add(folder);
  for (const name of readdirSync(folder)) {
    const match = TEMP.exec(name);
    if (!match || isRunning(Number(match[2]))) continue;
    try {
      unlinkSync(join(folder, name));
    } catch {
      // gone already, or not ours to remove
    }
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
