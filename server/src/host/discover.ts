import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { languageOf } from '../engine/index.js';

/** Directories never scanned: dependencies, build output, caches, VCS. */
export const DEFAULT_EXCLUDED_DIRS = new Set([
  'node_modules',
  'dist',
  'build',
  'out',
  '.next',
  '.nuxt',
  '.output',
  'coverage',
  '.git',
  '.hg',
  '.svn',
  'vendor',
  'bower_components',
  '.turbo',
  '.cache',
  '.parcel-cache',
  '.vercel',
  '.serverless',
  'tmp',
  '.yarn',
]);

const MINIFIED = /[.-]min\.(js|mjs|cjs)$|\.bundle\.js$|\.chunk\.js$/i;

export interface DiscoveredFile {
  /** Absolute path on disk. */
  absolute: string;
  /** Path relative to the scan root, forward slashes. */
  relative: string;
}

interface DiscoverOptions {
  /** Extra ignore patterns (gitignore syntax), e.g. from the team config. */
  ignore?: string[];
  /** When set, only files matching one of these gitignore-style patterns are kept. */
  include?: string[];
  /** Called once for each path that could not be read. */
  onSkip?: (path: string, reason: string) => void;
}

/**
 * Finds the files to analyse under `root`: languages the engine knows, respecting
 * `.gitignore` and `.gdpr-lintignore` files at every level, and the default excludes.
 */
export function discoverFiles(root: string, options: DiscoverOptions = {}): DiscoveredFile[] {
  const found: DiscoveredFile[] = [];
  const extra = ignore().add(options.ignore ?? []);
  const include = options.include && options.include.length > 0 ? ignore().add(options.include) : undefined;
  const visited = new Set<string>();

  const walk = (dir: string, rules: { base: string; ig: Ignore }[]) => {
    let realKey: string;
    try {
      const st = statSync(dir);
      realKey = `${st.dev}:${st.ino}`;
    } catch (error) {
      options.onSkip?.(dir, (error as Error).message);
      return;
    }
    if (visited.has(realKey)) return;
    visited.add(realKey);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      options.onSkip?.(dir, (error as NodeJS.ErrnoException).code ?? 'unreadable');
      return;
    }
    const local = [...rules];
    for (const name of ['.gitignore', '.gdpr-lintignore']) {
      if (entries.some((e) => e.name === name)) {
        try {
          local.push({ base: dir, ig: ignore().add(readFileSync(join(dir, name), 'utf8')) });
        } catch (error) {
          options.onSkip?.(
            join(dir, name),
            `unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'}): its patterns are not applied`,
          );
        }
      }
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const absolute = join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const st = statSync(absolute);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          options.onSkip?.(absolute, 'broken symbolic link');
          continue;
        }
      }
      if (isDir && DEFAULT_EXCLUDED_DIRS.has(entry.name)) continue;
      const rel = toPosix(relative(root, absolute));
      if (rel === '') continue;
      const test = isDir ? `${rel}/` : rel;
      if (extra.ignores(test)) continue;
      if (
        local.some((r) => {
          const sub = toPosix(relative(r.base, absolute));
          return sub !== '' && !sub.startsWith('..') && r.ig.ignores(isDir ? `${sub}/` : sub);
        })
      )
        continue;
      if (isDir) walk(absolute, local);
      else if (isFile && languageOf(entry.name) && !MINIFIED.test(entry.name)) {
        if (include && !include.ignores(rel)) continue;
        found.push({ absolute, relative: rel });
      }
    }
  };

  walk(root, []);
  return found;
}

export function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}
