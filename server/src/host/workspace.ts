import { statSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { discoverFiles, toPosix, type DiscoveredFile } from './discover.js';

export interface ScanTarget {
  /** Directory that findings' `file` paths are relative to. */
  base: string;
  files: DiscoveredFile[];
  /** Paths that could not be read, with why. */
  skipped: { path: string; reason: string }[];
}

/**
 * Resolves the CLI's path arguments to the files to analyse. Paths of findings are relative
 * to the scanned directory when one path is given, to the working directory otherwise.
 */
export function resolveTargets(paths: string[], cwd: string, options: { ignore?: string[]; include?: string[] } = {}): ScanTarget {
  const absolutes = (paths.length > 0 ? paths : ['.']).map((p) => resolve(cwd, p));
  const skipped: { path: string; reason: string }[] = [];
  let base = cwd;
  if (absolutes.length === 1) {
    const only = absolutes[0]!;
    base = isDirectory(only) ? only : dirname(only);
  }
  const files: DiscoveredFile[] = [];
  const seen = new Set<string>();
  for (const absolute of absolutes) {
    let stat;
    try {
      stat = statSync(absolute);
    } catch {
      throw new UsageError(`no such file or directory: ${relative(cwd, absolute) || absolute}`);
    }
    const found = stat.isDirectory()
      ? discoverFiles(absolute, { ...options, onSkip: (path, reason) => skipped.push({ path: toPosix(relative(base, path)), reason }) })
      : [{ absolute, relative: basename(absolute) }];
    for (const file of found) {
      if (seen.has(file.absolute)) continue;
      seen.add(file.absolute);
      files.push({ absolute: file.absolute, relative: toPosix(relative(base, file.absolute)) });
    }
  }
  return { base, files, skipped };
}

/** A problem with the command line or the configuration: exit code 2. */
export class UsageError extends Error {}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
