/**
 * The package manifests (`package.json`) of the project: which folder is which application, and
 * which folder is an older copy of another. Two manifests that declare the same package `name`
 * are two copies of one application (workspaces forbid duplicate names); the one with the lower
 * `version` is an archived copy that nothing serves. Equal or unreadable versions decide nothing.
 */
export class Manifests {
  private readonly byDir = new Map<string, { name?: string; version?: number[]; dependencies: Set<string>; library: boolean }>();
  version = 0;

  set(path: string, text: string): void {
    const dir = dirOf(path);
    let parsed: { name?: unknown; version?: unknown } & Record<string, unknown> = {};
    try {
      const value = JSON.parse(text) as unknown;
      if (value && typeof value === 'object') parsed = value as Record<string, unknown>;
    } catch {
      // a broken manifest names nothing
    }
    const dependencies = new Set<string>();
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
      const list = parsed[field];
      if (list && typeof list === 'object') for (const name of Object.keys(list)) dependencies.add(name);
    }
    // Entry points for other packages: a published API (`exports`, `types`, `module`), or a `main` of a package not marked private.
    const library = ['exports', 'module', 'types', 'typings'].some((f) => parsed[f] !== undefined) || (parsed.main !== undefined && parsed.private !== true);
    const entry = { name: typeof parsed.name === 'string' ? parsed.name : undefined, version: semver(parsed.version), dependencies, library };
    const prior = this.byDir.get(dir);
    if (prior && prior.name === entry.name && String(prior.version) === String(entry.version) && prior.library === library && [...prior.dependencies].join() === [...dependencies].join()) return;
    this.byDir.set(dir, entry);
    this.version++;
  }

  remove(path: string): void {
    if (this.byDir.delete(dirOf(path))) this.version++;
  }

  /**
   * Whether a manifest of the folders holding `file` (its package's, a workspace root's) declares
   * the package `name` as a dependency; undefined when no manifest holds the file.
   */
  declaresDependency(file: string, name: string): boolean | undefined {
    let any = false;
    for (const [dir, entry] of this.byDir) {
      if (!inside(file, dir)) continue;
      any = true;
      if (entry.dependencies.has(name) || entry.name === name) return true;
    }
    return any ? false : undefined;
  }

  /**
   * Whether the package `file` belongs to (its nearest manifest) offers entry points to other
   * packages, so that its exports may be called from outside the project; undefined when no
   * manifest holds the file (nothing says what it is).
   */
  publishesApi(file: string): boolean | undefined {
    let own: string | undefined;
    for (const dir of this.byDir.keys()) if (inside(file, dir) && (own === undefined || dir.length > own.length)) own = dir;
    return own === undefined ? undefined : this.byDir.get(own)!.library;
  }

  /** The folder of the newer copy of the application `file` belongs to, when `file` is in an older copy. */
  newerCopyOf(file: string): string | undefined {
    let own: string | undefined;
    for (const dir of this.byDir.keys()) if (inside(file, dir) && (own === undefined || dir.length > own.length)) own = dir;
    if (own === undefined) return undefined;
    const mine = this.byDir.get(own)!;
    if (!mine.name || !mine.version) return undefined;
    for (const [dir, other] of this.byDir) {
      if (dir === own || other.name !== mine.name || !other.version || inside(dir, own) || inside(own, dir)) continue;
      if (compare(other.version, mine.version) > 0) return dir === '' ? '.' : dir;
    }
    return undefined;
  }
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function inside(file: string, dir: string): boolean {
  return dir === '' || file.startsWith(dir + '/');
}

function semver(value: unknown): number[] | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^\s*v?(\d+)\.(\d+)\.(\d+)/.exec(value);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
