import { statSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
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
 * to the scanned directory when one path is given, to the working directory otherwise, or,
 * when a path lies outside the working directory, to the nearest folder holding them all: a
 * `file` never starts with `../`.
 */
export function resolveTargets(
  paths: string[],
  cwd: string,
  options: { ignore?: string[]; include?: string[] } = {},
): ScanTarget {
  const absolutes = (paths.length > 0 ? paths : ['.']).map((p) => resolve(cwd, p));
  const skipped: { path: string; reason: string }[] = [];
  let base = cwd;
  if (absolutes.length === 1) {
    const only = absolutes[0]!;
    base = isDirectory(only) ? only : dirname(only);
  } else if (absolutes.some((p) => !isInside(p, cwd))) {
    base = commonAncestor(absolutes.map((p) => (isDirectory(p) ? p : dirname(p))));
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
      ? discoverFiles(absolute, {
          ...options,
          onSkip: (path, reason) => skipped.push({ path: toPosix(relative(base, path)), reason }),
        })
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

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function commonAncestor(dirs: string[]): string {
  let common = dirs[0]!;
  for (const dir of dirs.slice(1)) while (!isInside(dir, common)) common = dirname(common);
  return common;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
