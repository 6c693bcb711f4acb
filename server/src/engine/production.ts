import ts from 'typescript';
import type { ProjectFacts } from './facts.js';
import type { Launch } from './manifests.js';

/**
 * Does production run this file? When a package DECLARES how production starts it (package.json
 * `start`/`main`, a Dockerfile CMD, a Procfile, render `startCommand`, compose `command`), the
 * files reachable by imports from those entries, or named by any script or deploy file, run in
 * production. A file of such a package that is not reached and either starts its own server (an
 * alternative app), is imported by nothing (a stray backup copy), or is imported only by files
 * production does not run (a router mounted only by a test server) is not run in production.
 * A package that declares no entry, whose entry cannot be resolved to a project file, or whose
 * framework routes by convention (Next.js, NestJS, serverless, Vercel...) is left alone: every
 * file of it may run. Only JavaScript/TypeScript files are decided; migrations always run.
 */
export function notRunInProduction(facts: ProjectFacts, path: string): string | undefined {
  if (!SCRIPT.test(path)) return undefined;
  return productionIndex(facts).notRun.get(path);
}

const SCRIPT = /\.[cm]?[jt]sx?$/i;

/** What one file contributes: its imports, whether it loads modules by computed names, whether it starts a server. */
interface FilePart {
  imports: string[];
  /** String literals naming a script file (`fork('./worker.js')`, a pm2 ecosystem's `script: 'server.js'`). */
  named: string[];
  /** `require(x)`, `import(x)` of a computed name, or a folder read: it may load any file under its folder. */
  dynamic: boolean;
  serves: boolean;
  /** Code for the user's side (a UI framework, JSX): not a server's file to decide. */
  client: boolean;
}

/** Frameworks whose applications are run by convention, not by an entry file the package names. */
const CONVENTION_DEPENDENCIES = new Set([
  'next',
  '@nestjs/core',
  'serverless',
  'nuxt',
  '@remix-run/node',
  '@remix-run/serve',
  '@sveltejs/kit',
  'gatsby',
  'astro',
  'firebase-functions',
  '@azure/functions',
  '@vercel/node',
  'expo',
  'react-native',
  'electron',
  '@angular/core',
  'meteor-node-stubs',
  '@medusajs/medusa',
  'strapi',
  '@strapi/strapi',
  'sails',
  'loopback',
  '@loopback/core',
  '@adonisjs/core',
  'feathers',
  '@feathersjs/feathers',
  'moleculer',
]);

/** Programs that run the file named after them. */
const RUNNERS = new Set([
  'node',
  'nodemon',
  'ts-node',
  'ts-node-dev',
  'tsnd',
  'tsx',
  'babel-node',
  'node-dev',
  'supervisor',
  'forever',
  'pm2',
  'pm2-runtime',
  'bun',
  'deno',
  'esno',
  'esr',
  'vite-node',
  'electron',
]);
/** Words of a runner that are not the file (`pm2 start x`, `deno run x`, `forever start x`, `tsx watch x`). */
const RUNNER_VERBS = new Set(['start', 'run', 'watch', 'restart', 'exec']);
/** Commands that hand over to another script of a manifest: they name no file themselves. */
const DELEGATES = new Set([
  'npm',
  'yarn',
  'pnpm',
  'npx',
  'bunx',
  'lerna',
  'nx',
  'turbo',
  'concurrently',
  'cross-env',
  'env',
  'dotenv',
  'exec',
  'sh',
  'bash',
  'wait-on',
  'echo',
  'true',
  'cd',
]);
const SERVES = /\.listen\s*\(|\bcreateServer\s*\(/;
const CLIENT_IMPORT =
  /(?:\bfrom\s*|\brequire\s*\(\s*)['"](?:react|react-dom|react-dom\/client|vue|svelte|preact|solid-js|@angular\/core)['"]/;

interface ProductionIndex {
  tsVersion: number;
  manifests: number;
  notRun: Map<string, string>;
}

function productionIndex(facts: ProjectFacts): ProductionIndex {
  const holder = facts.index<{
    value?: ProductionIndex;
    resolutions?: { filesVersion: number; map: Map<string, string | undefined> };
  }>('production', () => ({}));
  const known = holder.value;
  if (known && known.tsVersion === facts.ts.version && known.manifests === facts.manifests.version) return known;
  // Import resolutions only change when files are added or removed.
  if (holder.resolutions?.filesVersion !== facts.ts.filesVersion)
    holder.resolutions = { filesVersion: facts.ts.filesVersion, map: new Map() };
  holder.value = {
    tsVersion: facts.ts.version,
    manifests: facts.manifests.version,
    notRun: decide(facts, holder.resolutions.map),
  };
  return holder.value;
}

function partOf(sf: ts.SourceFile, path: string): FilePart {
  const imports: string[] = [];
  const named: string[] = [];
  let dynamic = false;
  const visit = (n: ts.Node): void => {
    if (
      (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) &&
      n.moduleSpecifier &&
      ts.isStringLiteral(n.moduleSpecifier)
    )
      imports.push(n.moduleSpecifier.text);
    else if (
      ts.isImportEqualsDeclaration(n) &&
      ts.isExternalModuleReference(n.moduleReference) &&
      ts.isStringLiteral(n.moduleReference.expression)
    )
      imports.push(n.moduleReference.expression.text);
    else if (
      ts.isCallExpression(n) &&
      (n.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(n.expression) && n.expression.text === 'require'))
    ) {
      const arg = n.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) imports.push(arg.text);
      else if (arg) dynamic = true;
    } else if (ts.isStringLiteralLike(n) && SCRIPT.test(n.text) && !/\s/.test(n.text)) named.push(n.text);
    else if (ts.isPropertyAccessExpression(n) && /^readdir(Sync)?$/.test(n.name.text)) dynamic = true;
    ts.forEachChild(n, visit);
  };
  visit(sf);
  const head = sf.text.slice(0, 20_000);
  return {
    imports,
    named,
    dynamic,
    serves: SERVES.test(sf.text),
    client: /x$/i.test(path) || CLIENT_IMPORT.test(head),
  };
}

function decide(facts: ProjectFacts, resolutions: Map<string, string | undefined>): Map<string, string> {
  const notRun = new Map<string, string>();
  const manifests = facts.manifests;
  const packages = manifests.packages();
  if (packages.length === 0) return notRun;
  const files = facts.ts.paths().filter((p) => SCRIPT.test(p));
  const fileSet = new Set(files);
  const resolve = (dir: string, word: string): string | undefined => resolveFile(dir, word, fileSet, files, true);
  const near = (dir: string, word: string): string | undefined => resolveFile(dir, word, fileSet, files, false);

  // Entries and named files, and the packages that cannot be decided.
  const roots = new Set<string>();
  const startRoots = new Map<string, string[]>();
  const undecided = new Set<string>();
  for (const pkg of packages)
    if ([...pkg.dependencies].some((d) => CONVENTION_DEPENDENCIES.has(d))) undecided.add(pkg.dir);
  for (const launch of manifests.launches()) {
    const own = manifests.packageOf(`${launch.dir}/_`.replace(/^\//, '')) ?? '';
    if (launch.convention) {
      undecided.add(own);
      continue;
    }
    const { found, unresolved, names } = launchFiles(launch, resolve);
    for (const file of found) {
      roots.add(file);
      if (!launch.start) continue;
      const pkg = manifests.packageOf(file) ?? '';
      const list = startRoots.get(pkg) ?? [];
      if (!list.includes(file)) list.push(file);
      startRoots.set(pkg, list);
    }
    // A start that runs something else (`next start`, `react-scripts start`) or a file we cannot find: the package is not ours to decide.
    if (launch.start && !launch.loose && (unresolved || (!names && found.length === 0))) undecided.add(own);
  }

  const parts = new Map<string, FilePart>();
  const part = (path: string): FilePart | undefined => {
    if (parts.has(path)) return parts.get(path);
    const sf = facts.ts.sourceFile(path);
    const value = sf ? facts.memo(path, 'production:part', () => partOf(sf, path)) : undefined;
    if (value) parts.set(path, value);
    return value;
  };
  const edges = new Map<string, string[]>();
  const importers = new Map<string, string[]>();
  for (const path of files) {
    const p = part(path);
    if (!p) continue;
    const targets = new Set<string>();
    for (const specifier of p.imports) {
      const key = `${path}\0${specifier}`;
      if (!resolutions.has(key)) resolutions.set(key, facts.ts.resolveImport(specifier, path));
      const target = resolutions.get(key);
      if (target && fileSet.has(target)) targets.add(target);
    }
    for (const name of p.named) {
      const target = near(dirOf(path), name) ?? near(manifests.packageOf(path) ?? '', name);
      if (target) targets.add(target);
    }
    edges.set(path, [...targets]);
    for (const target of targets) importers.set(target, [...(importers.get(target) ?? []), path]);
  }

  // Reachable from any entry or named file; a computed import reaches every file under its folder.
  const reached = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const path = queue.pop()!;
    if (reached.has(path)) continue;
    reached.add(path);
    queue.push(...(edges.get(path) ?? []));
    if (part(path)?.dynamic) {
      const dir = dirOf(path);
      for (const other of files) if (!reached.has(other) && inside(other, dir)) queue.push(other);
    }
  }

  const decided = (path: string): string | undefined => {
    const pkg = manifests.packageOf(path);
    if (pkg === undefined || undecided.has(pkg) || !startRoots.has(pkg)) return undefined;
    return pkg;
  };
  const candidates = files.filter((path) => {
    if (reached.has(path) || !facts.inScope(path) || decided(path) === undefined) return false;
    const p = part(path);
    return !!p && !p.client && !facts.roleConventions.inMigrations(path);
  });
  const entriesOf = (path: string) => (startRoots.get(decided(path)!) ?? []).join(', ');
  for (const path of candidates) {
    const by = (importers.get(path) ?? []).filter((p) => facts.inScope(p));
    if (part(path)!.serves)
      notRun.set(path, `it starts its own server, and production starts ${entriesOf(path)}, which never reaches it`);
    else if (by.length === 0)
      notRun.set(
        path,
        `no production file imports it, and production starts ${entriesOf(path)}, which never reaches it`,
      );
  }
  // Imported only by files production does not run (a router mounted only by a test or alternative server).
  for (let changed = true; changed;) {
    changed = false;
    for (const path of candidates) {
      if (notRun.has(path)) continue;
      const by = (importers.get(path) ?? []).filter((p) => facts.inScope(p));
      if (by.length > 0 && by.every((p) => notRun.has(p))) {
        notRun.set(
          path,
          `it is only imported by ${by.slice(0, 2).join(', ')}${by.length > 2 ? ', ...' : ''}, which production does not run (production starts ${entriesOf(path)})`,
        );
        changed = true;
      }
    }
  }
  return notRun;
}

/**
 * The project files a launch runs or names. `unresolved`: a file it runs that is not in the
 * project (a build output with no source found). `names`: it only hands over to other scripts
 * (`npm start`, `cd api && yarn dev`), which decide for themselves.
 */
function launchFiles(
  launch: Launch,
  resolve: (dir: string, word: string) => string | undefined,
): { found: string[]; unresolved: boolean; names: boolean } {
  const found: string[] = [];
  let unresolved = false;
  let delegates = true;
  if (launch.file !== undefined) {
    // A `main` naming a missing file is often npm's default (`index.js`), left there: it decides nothing.
    const file = resolve(launch.dir, launch.file);
    return { found: file ? [file] : [], unresolved: false, names: true };
  }
  const command = launch.command ?? '';
  // Quoted parts are commands of their own (`concurrently "cd api && node server.js" "..."`), each from the launch's folder.
  const groups: string[] = [];
  const rest = command.replace(/"([^"]*)"|'([^']*)'/g, (_, a: string | undefined, b: string | undefined) => {
    groups.push(a ?? b ?? '');
    return ' ';
  });
  groups.push(rest);
  for (const group of groups) {
    let cwd = launch.dir;
    for (const segment of group.split(/&&|\|\||;|\|/)) {
      const words = segment
        .trim()
        .split(/\s+/)
        .filter((w) => w !== '' && !/^[A-Za-z_]\w*=/.test(w));
      if (words.length === 0) continue;
      if (words[0] === 'cd' && words[1]) {
        cwd = joinDir(cwd, words[1]);
        continue;
      }
      const runner = words.findIndex((w) => RUNNERS.has(w.replace(/^.*\//, '')));
      const program = words[0]!.replace(/^.*\//, '');
      if (runner < 0 && !DELEGATES.has(program) && !words.some((w) => SCRIPT.test(w))) delegates = false;
      for (let i = 0; i < words.length; i++) {
        const word = words[i]!;
        if (word.startsWith('-')) continue;
        const afterRunner =
          runner >= 0 &&
          i > runner &&
          !RUNNER_VERBS.has(word) &&
          words.slice(runner + 1, i).every((w) => w.startsWith('-') || RUNNER_VERBS.has(w));
        if (!afterRunner && !SCRIPT.test(word)) continue;
        const file = resolve(cwd, word);
        if (file) found.push(file);
        else if (afterRunner || SCRIPT.test(word)) unresolved = true;
      }
    }
  }
  return { found, unresolved, names: delegates };
}

/**
 * The project file a word of a command names, from the folder `dir`: the path itself, with a
 * script extension or an `index`, a build output (`dist/x.js`, `build/x.js`) mapped to its source
 * (`src/x.ts`, `x.ts`), or, for a path written from elsewhere (a container's `/app/src/x.js`),
 * the one project file ending with it.
 */
function resolveFile(
  dir: string,
  word: string,
  fileSet: ReadonlySet<string>,
  files: readonly string[],
  anywhere: boolean,
): string | undefined {
  const clean = word.replace(/^['"]|['"]$/g, '');
  const probe = (base: string): string | undefined => {
    const stem = base.replace(/\.[cm]?[jt]sx?$/i, '');
    for (const candidate of [
      base,
      ...['.js', '.ts', '.mjs', '.cjs', '.mts', '.cts', '.jsx', '.tsx'].map((e) => stem + e),
      ...['/index.js', '/index.ts', '/index.mjs', '/index.cjs'].map((e) => base + e),
    ]) {
      if (fileSet.has(candidate)) return candidate;
    }
    return undefined;
  };
  const absolute = clean.startsWith('/');
  const path = absolute ? clean.slice(1) : joinDir(dir, clean);
  const direct = probe(path);
  if (direct) return direct;
  const segments = path.split('/');
  const built = segments.findIndex((s) => /^(dist|build|lib|out|bin)$/.test(s));
  if (built >= 0) {
    for (const source of [['src'], []]) {
      const mapped = probe([...segments.slice(0, built), ...source, ...segments.slice(built + 1)].join('/'));
      if (mapped) return mapped;
    }
  }
  // A path written from another root (a container's WORKDIR): the file ending with it, when there is exactly one.
  if (anywhere) {
    const tail = clean.replace(/^\/+/, '').split('/');
    for (let k = 0; k < tail.length; k++) {
      const suffix = `/${tail.slice(k).join('/')}`;
      const matches = files.filter((f) => `/${f}`.endsWith(suffix));
      if (matches.length === 1) return matches[0];
      if (matches.length > 1) return undefined;
    }
  }
  return undefined;
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function inside(file: string, dir: string): boolean {
  return dir === '' || file.startsWith(dir + '/');
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
