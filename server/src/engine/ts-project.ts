import ts from 'typescript';
import { MINIMAL_LIB } from './minimal-lib.js';
import { nestingDepth, parseIndexed } from './syntax/node-index.js';
import { MODULE_SUFFIXES } from './syntax/modules.js';
import { wordOccurrences } from './text.js';

const ROOT = '/';
/**
 * How deeply a file's syntax may nest for the analysis to walk it. The deepest file of the
 * real-world set nests 152 levels; the detectors' recursive walks overflow the stack from about
 * 2,500 (a 2,500-term string concatenation). A deeper file is left out, said in a note.
 */
export const MAX_NESTING = 1000;
const NODE_MODULES = /\/node_modules\//;
const LIB_PATH = '/__gdpr_lint__/lib.d.ts';

const compilerOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowJs: true,
  checkJs: false,
  jsx: ts.JsxEmit.Preserve,
  experimentalDecorators: true,
  noLib: true,
  types: [],
  skipLibCheck: true,
  noEmit: true,
  strict: true,
  allowArbitraryExtensions: true,
  resolveJsonModule: false,
};

function extensionOf(file: string): ts.Extension {
  if (file.endsWith('.d.ts')) return ts.Extension.Dts;
  const ext = file.slice(file.lastIndexOf('.'));
  const known: Record<string, ts.Extension> = {
    '.ts': ts.Extension.Ts,
    '.tsx': ts.Extension.Tsx,
    '.mts': ts.Extension.Mts,
    '.cts': ts.Extension.Cts,
    '.js': ts.Extension.Js,
    '.jsx': ts.Extension.Jsx,
    '.mjs': ts.Extension.Mjs,
    '.cjs': ts.Extension.Cjs,
  };
  return known[ext] ?? ts.Extension.Ts;
}

function scriptKind(path: string): ts.ScriptKind {
  const lower = path.toLowerCase();
  if (lower.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (lower.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.(m|c)?js$/.test(lower)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

class TooDeep extends Error {}

function failureMessage(error: unknown): string {
  if (error instanceof TooDeep) return error.message;
  // The parser recurses on nested blocks, calls and parentheses: about 1,000 levels at most.
  if (error instanceof RangeError && /call stack/i.test(error.message))
    return 'could not be parsed: it nests too deeply for the TypeScript parser';
  return `could not be parsed: ${error instanceof Error ? error.message : String(error)}`;
}

/** An incremental re-parse of `previous` (parents set, like createSourceFile) for its new text; `previous` must not be used after. */
function reparse(previous: ts.SourceFile, text: string): ts.SourceFile {
  const old = previous.text;
  const max = Math.min(old.length, text.length);
  let start = 0;
  while (start < max && old.charCodeAt(start) === text.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < max - start && old.charCodeAt(old.length - 1 - tail) === text.charCodeAt(text.length - 1 - tail))
    tail++;
  const change = ts.createTextChangeRange(
    ts.createTextSpan(start, old.length - start - tail),
    text.length - start - tail,
  );
  return ts.updateSourceFile(previous, text, change);
}

/** The absolute path the TypeScript program uses for a workspace-relative file. */
function programPath(path: string): string {
  return ROOT + path.replace(/^\/+/, '');
}

/**
 * TypeScript/JavaScript sources of the project: one parse per file version, shared by every
 * detector; a Program (and its checker) built only when a detector needs types, and rebuilt
 * incrementally from the previous one when a file changes.
 */
export class TsProject {
  private readonly texts = new Map<string, string>();
  private readonly sources = new Map<string, ts.SourceFile>();
  /** The last parse of a file whose text changed since: the next parse updates it incrementally (an edit re-parses a few nodes, not the file). */
  private readonly outdated = new Map<string, ts.SourceFile>();
  /** Files the parser gave up on (e.g. a 10,000-level nested expression overflows its stack). */
  private readonly failures = new Map<string, string>();
  /** Workspace packages resolved by name (`@acme/domain`), per project version. */
  private readonly packages = new Map<string, { version: number; resolved: ts.ResolvedModuleFull | undefined }>();
  private program: ts.Program | undefined;
  /** The last program built, kept after a change so the next build reuses its structure and bound files. */
  private previous: ts.Program | undefined;
  private libFile: ts.SourceFile | undefined;
  /** Project files under a `node_modules` folder: without any, a package name cannot resolve the standard way. */
  private nodeModulesFiles = 0;
  /** Folders that hold a project file, and module resolutions, for the current project version (a Program build asks both thousands of times). */
  private resolution: { version: number; folders: Set<string>; cache: ts.ModuleResolutionCache } | undefined;
  /** `packageFolders()` for a project version. */
  private folderIndex: { version: number; roots: Map<string, string[]> } | undefined;
  /** The program whose checker was already built. */
  private checked: ts.Program | undefined;
  /** Changes whenever the set of files or a file's text changes (lets project indexes skip a resync). */
  version = 0;
  /** Changes only when the set of files changes (a file added, removed, or dropped by the parser). */
  filesVersion = 0;

  setFile(path: string, text: string): void {
    const key = programPath(path);
    const known = this.texts.get(key);
    if (known === text) return;
    if (known === undefined) {
      this.filesVersion++;
      if (NODE_MODULES.test(key)) this.nodeModulesFiles++;
    }
    this.texts.set(key, text);
    const parsed = this.sources.get(key);
    if (parsed) this.outdated.set(key, parsed);
    this.sources.delete(key);
    this.failures.delete(key);
    this.invalidate();
    this.version++;
  }

  removeFile(path: string): void {
    const key = programPath(path);
    this.failures.delete(key);
    this.outdated.delete(key);
    if (this.texts.delete(key)) {
      if (NODE_MODULES.test(key)) this.nodeModulesFiles--;
      this.sources.delete(key);
      this.invalidate();
      this.version++;
      this.filesVersion++;
    }
  }

  private invalidate(): void {
    this.previous = this.program ?? this.previous;
    this.program = undefined;
  }

  /** The parsed file (parents set), or undefined when the project has no such TS/JS file. */
  sourceFile(path: string): ts.SourceFile | undefined {
    return this.sourceByKey(programPath(path));
  }

  private sourceByKey(key: string): ts.SourceFile | undefined {
    let source = this.sources.get(key);
    if (source) return source;
    const text = this.texts.get(key);
    if (text === undefined) return undefined;
    const previous = this.outdated.get(key);
    this.outdated.delete(key);
    try {
      source = previous ? reparse(previous, text) : parseIndexed(key, text, scriptKind(key));
      const depth = nestingDepth(source);
      if (depth > MAX_NESTING)
        throw new TooDeep(
          `not analysed: its code nests ${depth.toLocaleString('en-US')} levels deep, more than the ${MAX_NESTING.toLocaleString('en-US')} the analysis follows`,
        );
    } catch (error) {
      // Keep the file out of the program: the checker must not meet it either.
      this.failures.set(key, failureMessage(error));
      if (this.texts.delete(key) && NODE_MODULES.test(key)) this.nodeModulesFiles--;
      this.invalidate();
      this.version++;
      this.filesVersion++;
      return undefined;
    }
    this.sources.set(key, source);
    return source;
  }

  /** Why a file is left out (the parser gave up, or it nests too deeply), as a sentence, if it is. */
  parseFailure(path: string): string | undefined {
    return this.failures.get(programPath(path));
  }

  /** Workspace-relative paths of every TS/JS file in the project. */
  paths(): string[] {
    return [...this.texts.keys()].map((k) => TsProject.relativePath(k));
  }

  /** Workspace-relative paths of the TS/JS files whose text contains `word` as a whole word (no parse). */
  filesMentioning(word: string): string[] {
    const out: string[] = [];
    for (const [key, text] of this.texts) if (wordOccurrences(text, word, 1) > 0) out.push(TsProject.relativePath(key));
    return out;
  }

  /** The type checker over every TS/JS file of the project; built lazily. */
  checker(): ts.TypeChecker {
    if (this.program && this.checked === this.program) return this.program.getTypeChecker();
    const program = this.getProgram();
    // Creating the checker binds every file of the program: the costly part of the first call.
    const checker = program.getTypeChecker();
    this.checked = program;
    return checker;
  }

  getProgram(): ts.Program {
    if (this.program) return this.program;
    return this.buildProgram();
  }

  /**
   * The project file an import resolves to, exactly as the Program's resolution would find it
   * (standard, then the alias and workspace-package fallbacks); undefined when it resolves to none.
   */
  resolveImport(specifier: string, fromPath: string): string | undefined {
    const resolved = this.resolveModule(specifier, programPath(fromPath), this.moduleHost);
    return resolved ? TsProject.relativePath(resolved.resolvedFileName) : undefined;
  }

  /** The in-memory file system module resolution sees, for the Program and for `resolveImport`. */
  private readonly moduleHost: Required<
    Pick<ts.ModuleResolutionHost, 'fileExists' | 'readFile' | 'directoryExists' | 'getDirectories'>
  > = {
    fileExists: (f) => this.texts.has(f) || f === LIB_PATH,
    readFile: (f) => (f === LIB_PATH ? MINIMAL_LIB : this.texts.get(f)),
    // Only folders that hold a project file exist: the resolver then skips absent `node_modules` folders at once.
    directoryExists: (d) => this.resolutionState().folders.has(d.replace(/\/+$/, '') || ROOT),
    getDirectories: () => [],
  };

  private buildProgram(): ts.Program {
    const host: ts.CompilerHost = {
      getSourceFile: (fileName) => {
        if (fileName === LIB_PATH)
          return (this.libFile ??= ts.createSourceFile(LIB_PATH, MINIMAL_LIB, ts.ScriptTarget.Latest, true));
        return this.sourceByKey(fileName);
      },
      getDefaultLibFileName: () => LIB_PATH,
      writeFile: () => undefined,
      getCurrentDirectory: () => ROOT,
      getCanonicalFileName: (f) => f,
      useCaseSensitiveFileNames: () => true,
      getNewLine: () => '\n',
      ...this.moduleHost,
      resolveModuleNames: (names, containingFile) =>
        names.map((name) => this.resolveModule(name, containingFile, host)),
    };
    const roots = [LIB_PATH, ...this.texts.keys()];
    // Unchanged files keep their SourceFile (already bound), so an edit does not re-bind the project.
    this.program = ts.createProgram({ rootNames: roots, options: compilerOptions, host, oldProgram: this.previous });
    this.previous = undefined;
    return this.program;
  }

  /**
   * Standard resolution first; then what the project's bundler or tsconfig `paths` would do, which
   * the engine cannot read: `@/x`, `~/x`, `#/x` from the nearest folder (or its `src/`) that has
   * `x`, and a scoped workspace package `@scope/name` from a `name/src/index` or `name/index` folder.
   */
  private resolveModule(
    name: string,
    containingFile: string,
    host: ts.ModuleResolutionHost,
  ): ts.ResolvedModuleFull | undefined {
    // A package name resolves only through a `node_modules` folder (no tsconfig `paths` here): skip the costly walk when there is none.
    const bare = !/^\.\.?(\/|$)/.test(name) && !name.startsWith('/');
    const standard =
      bare && this.nodeModulesFiles === 0
        ? undefined
        : ts.resolveModuleName(name, containingFile, compilerOptions, host, this.resolutionState().cache)
            .resolvedModule;
    if (standard) return standard;
    const candidates: string[] = [];
    const alias = /^[@~#]\/(.+)$/.exec(name);
    if (alias) {
      const dirs = containingFile.split('/').slice(0, -1);
      for (let i = dirs.length; i >= 1; i--) {
        const dir = dirs.slice(0, i).join('/') || '';
        candidates.push(`${dir}/${alias[1]}`, `${dir}/src/${alias[1]}`);
      }
    } else if (name.startsWith('@')) {
      // A scoped workspace package; same answer from every importing file: computed once per project version.
      const cached = this.packages.get(name);
      if (cached && cached.version === this.version) return cached.resolved;
      const resolved = this.workspacePackage(name);
      this.packages.set(name, { version: this.version, resolved });
      return resolved;
    }
    return this.firstExisting(candidates);
  }

  private resolutionState(): { folders: Set<string>; cache: ts.ModuleResolutionCache } {
    if (this.resolution?.version === this.version) return this.resolution;
    const folders = new Set<string>([ROOT, LIB_PATH.slice(0, LIB_PATH.lastIndexOf('/'))]);
    for (const key of this.texts.keys()) {
      for (let at = key.lastIndexOf('/'); at > 0; at = key.lastIndexOf('/', at - 1)) {
        const folder = key.slice(0, at);
        if (folders.has(folder)) break;
        folders.add(folder);
      }
    }
    const cache = ts.createModuleResolutionCache(ROOT, (f) => f, compilerOptions);
    this.resolution = { version: this.version, folders, cache };
    return this.resolution;
  }

  private workspacePackage(name: string): ts.ResolvedModuleFull | undefined {
    const candidates: string[] = [];
    {
      const pkg = /^@[^/]+\/([^/]+)(?:\/(.+))?$/.exec(name);
      if (pkg) {
        const suffix = pkg[2] ? `/src/${pkg[2]}` : '/src/index';
        // The folders named like the package, up to their first occurrence in each path, in path order.
        for (const root of this.packageFolders().get(pkg[1]!) ?? [])
          candidates.push(root + suffix, root + (pkg[2] ? `/${pkg[2]}` : '/index'));
      }
    }
    return this.firstExisting(candidates);
  }

  /**
   * For each folder name, the path up to its first occurrence in each project path outside
   * `node_modules` (one entry per path, in path order, repeats kept): where a workspace package of
   * that name may be. Built once per project version instead of a scan of every path per package.
   */
  private packageFolders(): Map<string, string[]> {
    if (this.folderIndex?.version === this.version) return this.folderIndex.roots;
    const roots = new Map<string, string[]>();
    for (const key of this.texts.keys()) {
      if (key.includes('node_modules')) continue;
      const seen = new Set<string>();
      // A segment between two slashes (the last one, the file name, is not a folder).
      for (let start = key.indexOf('/'); start >= 0;) {
        const end = key.indexOf('/', start + 1);
        if (end < 0) break;
        const segment = key.slice(start + 1, end);
        if (!seen.has(segment)) {
          seen.add(segment);
          const list = roots.get(segment);
          if (list) list.push(key.slice(0, end));
          else roots.set(segment, [key.slice(0, end)]);
        }
        start = end;
      }
    }
    this.folderIndex = { version: this.version, roots };
    return roots;
  }

  private firstExisting(candidates: string[]): ts.ResolvedModuleFull | undefined {
    for (const stem of [...new Set(candidates)]) {
      for (const ext of MODULE_SUFFIXES) {
        const file = stem + ext;
        if (this.texts.has(file))
          return { resolvedFileName: file, extension: extensionOf(file), isExternalLibraryImport: false };
      }
    }
    return undefined;
  }

  /** Workspace-relative path of a program file name. */
  static relativePath(fileName: string): string {
    return fileName.startsWith(ROOT) ? fileName.slice(ROOT.length) : fileName;
  }
}
