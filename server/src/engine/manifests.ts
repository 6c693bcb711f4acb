/**
 * The package manifests (`package.json`) of the project: which folder is which application, and
 * which folder is an older copy of another. Two manifests that declare the same package `name`
 * are two copies of one application (workspaces forbid duplicate names); the one with the lower
 * `version` is an archived copy that nothing serves. Equal or unreadable versions decide nothing.
 */
export class Manifests {
  private readonly byDir = new Map<
    string,
    { name?: string; version?: number[]; dependencies: Set<string>; library: boolean; launches: Launch[] }
  >();
  /** What the deploy files (Dockerfile, Procfile, compose, render, serverless...) run, by file. */
  private readonly deploys = new Map<string, Launch[]>();
  version = 0;

  set(path: string, text: string): void {
    if (!isPackageJson(path)) {
      const launches = deployLaunches(path, text);
      if (JSON.stringify(this.deploys.get(path)) === JSON.stringify(launches)) return;
      this.deploys.set(path, launches);
      this.version++;
      return;
    }
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
    const library =
      ['exports', 'module', 'types', 'typings'].some((f) => parsed[f] !== undefined) ||
      (parsed.main !== undefined && parsed.private !== true);
    const launches = packageLaunches(dir, parsed, library);
    const entry = {
      name: typeof parsed.name === 'string' ? parsed.name : undefined,
      version: semver(parsed.version),
      dependencies,
      library,
      launches,
    };
    const prior = this.byDir.get(dir);
    if (
      prior &&
      prior.name === entry.name &&
      String(prior.version) === String(entry.version) &&
      prior.library === library &&
      [...prior.dependencies].join() === [...dependencies].join() &&
      JSON.stringify(prior.launches) === JSON.stringify(launches)
    )
      return;
    this.byDir.set(dir, entry);
    this.version++;
  }

  remove(path: string): void {
    if (!isPackageJson(path)) {
      if (this.deploys.delete(path)) this.version++;
      return;
    }
    if (this.byDir.delete(dirOf(path))) this.version++;
  }

  /** The folders of the packages (`''` for the root), each with the dependencies its manifest declares. */
  packages(): { dir: string; dependencies: ReadonlySet<string> }[] {
    return [...this.byDir].map(([dir, entry]) => ({ dir, dependencies: entry.dependencies }));
  }

  /** The folder of the package `file` belongs to (its nearest manifest); undefined when none holds it. */
  packageOf(file: string): string | undefined {
    let own: string | undefined;
    for (const dir of this.byDir.keys())
      if (inside(file, dir) && (own === undefined || dir.length > own.length)) own = dir;
    return own;
  }

  /** Every command or file the manifests and deploy files say to run. */
  launches(): Launch[] {
    return [...[...this.byDir.values()].flatMap((e) => e.launches), ...[...this.deploys.values()].flat()];
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
    for (const dir of this.byDir.keys())
      if (inside(file, dir) && (own === undefined || dir.length > own.length)) own = dir;
    return own === undefined ? undefined : this.byDir.get(own)!.library;
  }

  /** The folder of the newer copy of the application `file` belongs to, when `file` is in an older copy. */
  newerCopyOf(file: string): string | undefined {
    let own: string | undefined;
    for (const dir of this.byDir.keys())
      if (inside(file, dir) && (own === undefined || dir.length > own.length)) own = dir;
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

/**
 * Something a manifest or a deploy file says to run: a shell `command` (a script, a Dockerfile
 * CMD, a Procfile line) or a `file` (package.json `main`, `exports`), from the folder `dir`.
 * `start`: it is how production starts the application (`start`, `main`, CMD, Procfile,
 * render `startCommand`, compose `command`), not a development or maintenance script.
 * `convention`: the folder's application is started by a framework's convention (serverless
 * handlers, a NestJS CLI project, Vercel functions), so what its files run is not for us to decide.
 */
export interface Launch {
  source: string;
  dir: string;
  command?: string;
  file?: string;
  start: boolean;
  convention?: boolean;
  /** A compose service's command: the service may run another image, so a command naming no project file says nothing about the folder. */
  loose?: boolean;
}

/** The scripts whose name says production starts with them. */
const START_SCRIPTS = /^(start|serve|server|prod|production|start[:_-](prod|production|server))$/;

function packageLaunches(dir: string, parsed: Record<string, unknown>, library: boolean): Launch[] {
  const source = dir === '' ? 'package.json' : `${dir}/package.json`;
  const out: Launch[] = [];
  const scripts = parsed.scripts;
  if (scripts && typeof scripts === 'object') {
    for (const [name, command] of Object.entries(scripts as Record<string, unknown>)) {
      if (typeof command === 'string')
        out.push({ source: `${source} scripts.${name}`, dir, command, start: START_SCRIPTS.test(name) });
    }
  }
  // A library's `main` and `exports` are entries for other packages, which may import any of its files: they name files, they decide nothing.
  if (typeof parsed.main === 'string') out.push({ source: `${source} main`, dir, file: parsed.main, start: !library });
  const exported = (value: unknown): void => {
    if (typeof value === 'string') out.push({ source: `${source} exports`, dir, file: value, start: false });
    else if (value && typeof value === 'object') for (const v of Object.values(value)) exported(v);
  };
  exported(parsed.exports);
  const bins =
    typeof parsed.bin === 'string'
      ? [parsed.bin]
      : parsed.bin && typeof parsed.bin === 'object'
        ? Object.values(parsed.bin)
        : [];
  for (const file of bins) if (typeof file === 'string') out.push({ source: `${source} bin`, dir, file, start: false });
  return out;
}

/** The deploy files the engine reads for what they run (see `languageOf`). */
export function isDeployFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  return /^dockerfile(\..+)?$|\.dockerfile$|^procfile$|^render\.ya?ml$|^(docker-)?compose([.-].+)?\.ya?ml$|^serverless\.ya?ml$|^nest-cli\.json$|^vercel\.json$|^netlify\.toml$/.test(
    name,
  );
}

function isPackageJson(path: string): boolean {
  return path === 'package.json' || path.endsWith('/package.json');
}

function deployLaunches(path: string, text: string): Launch[] {
  const dir = dirOf(path);
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  // Frameworks that route by convention: their handlers and modules are run by the platform.
  if (/^serverless\.ya?ml$|^nest-cli\.json$|^vercel\.json$|^netlify\.toml$/.test(name))
    return [{ source: path, dir, start: true, convention: true }];
  const out: Launch[] = [];
  const compose = /compose/.test(name);
  const add = (command: string, at = dir) => {
    if (command.trim())
      out.push({ source: path, dir: at, command: command.trim(), start: true, ...(compose ? { loose: true } : {}) });
  };
  if (name === 'procfile') {
    for (const line of text.split('\n')) {
      const m = /^\s*[\w-]+\s*:\s*(.+)$/.exec(line);
      if (m) add(m[1]!);
    }
    return out;
  }
  if (name.startsWith('dockerfile') || name.endsWith('.dockerfile')) {
    for (const line of text.replace(/\\\r?\n/g, ' ').split('\n')) {
      const m = /^\s*(?:CMD|ENTRYPOINT)\s+(.+)$/i.exec(line);
      if (!m) continue;
      let command = m[1]!.trim();
      // The exec form: a JSON array of words.
      if (command.startsWith('[')) {
        try {
          const words = JSON.parse(command) as unknown;
          if (Array.isArray(words)) command = words.filter((w) => typeof w === 'string').join(' ');
        } catch {
          // not JSON: read it as a shell command
        }
      }
      add(command);
    }
    return out;
  }
  // YAML (render, compose): `startCommand:`, `command:` (a string or a list of words), `rootDir:`.
  let root = dir;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const rootDir = /^\s*-?\s*rootDir\s*:\s*['"]?([^'"#]+?)['"]?\s*(?:#.*)?$/.exec(line);
    if (rootDir) root = joinDir(dir, rootDir[1]!.trim());
    const m = /^\s*-?\s*(startCommand|command|entrypoint)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2]!.replace(/\s+#.*$/, '').trim();
    if (value === '' || value === '>' || value === '|' || value === '>-' || value === '|-') {
      // A block list or folded text on the next lines.
      const words: string[] = [];
      const indent = /^\s*/.exec(line)![0].length;
      while (i + 1 < lines.length && (/^\s*$/.test(lines[i + 1]!) || /^\s*/.exec(lines[i + 1]!)![0].length > indent))
        words.push(
          lines[++i]!.trim()
            .replace(/^-\s*/, '')
            .replace(/^['"]|['"]$/g, ''),
        );
      value = words.join(' ');
    } else if (value.startsWith('[')) {
      value = value
        .slice(1, value.lastIndexOf(']') > 0 ? value.lastIndexOf(']') : undefined)
        .split(',')
        .map((w) => w.trim().replace(/^['"]|['"]$/g, ''))
        .join(' ');
    } else value = value.replace(/^['"]|['"]$/g, '');
    add(value, m[1] === 'startCommand' ? root : dir);
  }
  return out;
}

function joinDir(dir: string, rel: string): string {
  const parts = dir === '' ? [] : dir.split('/');
  for (const part of rel.replace(/\/+$/, '').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}
