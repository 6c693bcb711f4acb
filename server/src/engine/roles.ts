import type { EngineConfig } from './config.js';
import { globMatcher } from './custom/glob.js';
import { packData } from './pack.js';

/**
 * What a file is for. Only `production` code is analysed by every rule; the other roles by the
 * rules that matter there (a rule's `roles` in rules/<id>.yaml), unless the team includes tests;
 * `generated` and `vendored` files are never analysed.
 */
export const FILE_ROLES = [
  'production',
  'test',
  'mock',
  'fixture',
  'seed',
  'example',
  'docs',
  'ci',
  'generated',
  'vendored',
] as const;
export type FileRole = (typeof FILE_ROLES)[number];

const NEVER_ANALYSED: ReadonlySet<FileRole> = new Set(['generated', 'vendored']);

export function isNeverAnalysed(role: FileRole): boolean {
  return NEVER_ANALYSED.has(role);
}

interface RoleData {
  order: FileRole[];
  directories: Partial<Record<FileRole, string[]>>;
  ambiguousDirectories: Partial<Record<FileRole, string[]>>;
  sourceTrees: string[];
  files: Partial<Record<FileRole, string[]>>;
  testImports: string[];
  mockImports: string[];
  migrationDirectories: string[];
  generatedBanners: string[];
  bundleMarkers: string[];
}

/** How far into a file content conventions look: imports and banners sit at the top. */
const HEAD = 20_000;

/** Decides the role of each file from the team's `roles:` globs, then path and content conventions (rules/vocabulary/roles.yaml). */
export class RoleConventions {
  private readonly team: { role: FileRole; matches: (path: string) => boolean }[];
  private readonly directories = new Map<string, FileRole>();
  private readonly ambiguous = new Map<string, FileRole>();
  private readonly sourceTrees: Set<string>;
  private readonly files: { role: FileRole; pattern: RegExp }[] = [];
  private readonly testImport: RegExp | undefined;
  private readonly mockImport: RegExp | undefined;
  private readonly banners: RegExp[];
  private readonly migrations: Set<string>;
  private readonly markers: string[];

  constructor(private readonly config: EngineConfig) {
    const data = packData<RoleData>(config.pack, 'roles', emptyData());
    this.team = Object.entries(config.roles ?? {}).flatMap(([role, globs]) =>
      isRole(role) && globs.length > 0 ? [{ role, matches: teamGlobMatcher(globs) }] : [],
    );
    // `production` globs of the team come first: they take a file back from any convention.
    this.team.sort((a, b) => Number(b.role === 'production') - Number(a.role === 'production'));
    for (const role of data.order) {
      for (const name of data.directories[role] ?? [])
        if (!this.directories.has(name)) this.directories.set(name.toLowerCase(), role);
      for (const name of data.ambiguousDirectories[role] ?? []) this.ambiguous.set(name.toLowerCase(), role);
      for (const source of data.files[role] ?? []) this.files.push({ role, pattern: new RegExp(source) });
    }
    this.sourceTrees = new Set(data.sourceTrees.map((s) => s.toLowerCase()));
    this.testImport = importPattern(data.testImports);
    this.mockImport = importPattern(data.mockImports);
    this.banners = data.generatedBanners.map((b) => new RegExp(b, 'i'));
    this.migrations = new Set(data.migrationDirectories.map((d) => d.toLowerCase()));
    this.markers = data.bundleMarkers;
  }

  /** Whether files of this role are analysed by every rule (production, or any role when tests are included). */
  analysedFully(role: FileRole): boolean {
    return role === 'production' || (this.config.includeTests === true && !isNeverAnalysed(role));
  }

  roleOf(path: string, text: string): FileRole {
    for (const { role, matches } of this.team) if (matches(path)) return role;
    const byPath = this.byPath(path);
    if (byPath && isNeverAnalysed(byPath)) return byPath;
    // A bundle is generated wherever it sits (an ncc-compiled action under .github/).
    if (this.generated(path, text)) return 'generated';
    return byPath ?? this.testByContent(text) ?? 'production';
  }

  private byPath(path: string): FileRole | undefined {
    const segments = path.split('/');
    const name = segments.pop() ?? '';
    let best: FileRole | undefined;
    let inSourceTree = false;
    for (const segment of segments) {
      const lower = segment.toLowerCase();
      const role = this.directories.get(lower) ?? (inSourceTree ? undefined : this.ambiguous.get(lower));
      if (role && (!best || this.rank(role) < this.rank(best))) best = role;
      if (this.sourceTrees.has(lower)) inSourceTree = true;
    }
    for (const { role, pattern } of this.files) {
      if (pattern.test(name) && (!best || this.rank(role) < this.rank(best))) best = role;
    }
    return best;
  }

  private generated(path: string, text: string): boolean {
    // Bundles are JavaScript: a SQL dump of long INSERT lines is data, and a hard-coded identifier there is a leak.
    return (SCRIPT.test(path) && this.bundled(text)) || (this.generatorBanner(text) && !this.inMigrations(path));
  }

  private testByContent(text: string): FileRole | undefined {
    const head = text.length > HEAD ? text.slice(0, HEAD) : text;
    if (
      this.testImport?.test(head) ||
      (/^\s*describe(?:\.\w+)*\(/m.test(head) && /^\s*(?:it|test)(?:\.\w+)*\(/m.test(text))
    )
      return 'test';
    if (this.mockImport?.test(head)) return 'mock';
    return undefined;
  }

  /** A generator's banner in the leading comments. */
  private generatorBanner(text: string): boolean {
    for (const line of text.slice(0, 2000).split('\n', 15)) {
      const trimmed = line.trim();
      if (!/^(\/\/|\/\*|\*|#|--)/.test(trimmed)) continue;
      if (this.banners.some((b) => b.test(trimmed))) return true;
    }
    return false;
  }

  /** Whether the file sits in a migrations folder (run by a migration tool, whatever imports it). */
  inMigrations(path: string): boolean {
    return path
      .split('/')
      .slice(0, -1)
      .some((segment) => this.migrations.has(segment.toLowerCase()));
  }

  /** Compiled output: a source map reference at the end, a bundler's runtime, or very long lines. */
  private bundled(text: string): boolean {
    if (/\/\/[#@] sourceMappingURL=\S+\s*$/.test(text.slice(-600))) return true;
    const head = text.length > HEAD ? text.slice(0, HEAD) : text;
    if (this.markers.some((m) => head.includes(m))) return true;
    return mostlyLongLines(text);
  }

  private rank(role: FileRole): number {
    return FILE_ROLES.indexOf(role) === -1 ? 99 : ORDER.indexOf(role);
  }
}

const SCRIPT = /\.[cm]?[jt]sx?$/i;

const ORDER: FileRole[] = [
  'generated',
  'vendored',
  'test',
  'mock',
  'fixture',
  'seed',
  'example',
  'docs',
  'ci',
  'production',
];

/** Minified code: a large text whose lines average over 1,000 characters. */
function mostlyLongLines(text: string): boolean {
  if (text.length < 20_000) return false;
  let lines = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lines++;
  return text.length / lines > 1000;
}

function isRole(value: string): value is FileRole {
  return (FILE_ROLES as readonly string[]).includes(value);
}

/** An `import ... from 'x'`, `require('x')` or `import('x')` of one of the packages (globs allowed: `@testing-library/*`). */
function importPattern(packages: string[]): RegExp | undefined {
  if (packages.length === 0) return undefined;
  const names = packages.map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, (c) => (c === '*' ? `[^'"]+` : `\\${c}`)));
  return new RegExp(
    `(?:\\bfrom\\s*|\\brequire\\s*\\(\\s*|\\bimport\\s*\\(?\\s*)['"](?:${names.join('|')})(?:/[^'"]*)?['"]`,
  );
}

/**
 * The team's globs, gitignore-style like `ignore:`: a name without a slash matches at any depth,
 * a directory matches everything under it, and a later `!glob` takes files back.
 */
export function teamGlobMatcher(globs: readonly string[]): (path: string) => boolean {
  const patterns = globs.map((glob) => {
    const negated = glob.startsWith('!');
    const body = (negated ? glob.slice(1) : glob).replace(/^\.\//, '').replace(/\/$/, '');
    const anchored = body.includes('/');
    const rooted = body.replace(/^\//, '');
    return { negated, re: globMatcher(`${anchored || rooted.startsWith('**') ? '' : '**/'}${rooted}/**`) };
  });
  return (path) => patterns.reduce((matched, { negated, re }) => (re.test(path) ? !negated : matched), false);
}

function emptyData(): RoleData {
  return {
    order: [],
    directories: {},
    ambiguousDirectories: {},
    sourceTrees: [],
    files: {},
    testImports: [],
    mockImports: [],
    migrationDirectories: [],
    generatedBanners: [],
    bundleMarkers: [],
  };
}
