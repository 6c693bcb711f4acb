import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * Where the files a configuration names may live: inside the repository it configures (the
 * nearest folder holding `.git` above the scanned folder; without one, the highest folder among
 * the scanned one and those of the configurations found above it), inside an
 * installed npm package (`node_modules/...`), or gdpr-lint's own presets. A path that leaves it,
 * directly or through a symbolic link, is refused before it is read, so that a pull request cannot
 * make the tool read (and quote in an error) /etc/passwd or the process environment.
 */
export class ConfigBoundary {
  private readonly root: string;

  constructor(
    scanned: string,
    private readonly toolRoot: string,
    configFiles: readonly string[] = [],
  ) {
    const repository = repositoryRoot(resolve(scanned));
    const highest = [
      repository ?? resolve(scanned),
      ...(repository ? [] : configFiles.map((f) => dirname(resolve(f)))),
    ].sort((a, b) => a.length - b.length)[0]!;
    this.root = real(highest);
  }

  /** Why `file` may not be read, or undefined when it is inside the boundary. */
  problem(file: string): string | undefined {
    const target = real(file);
    if (inside(target, this.root) || inside(target, real(this.toolRoot)) || target.split(sep).includes('node_modules'))
      return undefined;
    return 'outside the repository (a configuration only reads files of its repository or of an installed npm package)';
  }

  /** The folder a glob may walk: undefined when its fixed part leaves the repository. */
  walkable(dir: string): boolean {
    return inside(real(dir), this.root);
  }
}

function repositoryRoot(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    if (existsSync(join(current, '.git'))) return current;
    if (dirname(current) === current) return undefined;
  }
}

function inside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The real path (symbolic links followed) of an existing path, or of its nearest existing parent. */
function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(real(parent), path.slice(parent.length + 1));
  }
}
