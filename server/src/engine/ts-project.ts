import ts from 'typescript';
import { MINIMAL_LIB } from './minimal-lib.js';

const ROOT = '/';
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

function scriptKind(path: string): ts.ScriptKind {
  const lower = path.toLowerCase();
  if (lower.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (lower.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.(m|c)?js$/.test(lower)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/** The absolute path the TypeScript program uses for a workspace-relative file. */
export function programPath(path: string): string {
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
  /** Files the parser gave up on (e.g. a 10,000-level nested expression overflows its stack). */
  private readonly failures = new Map<string, string>();
  private program: ts.Program | undefined;
  private libFile: ts.SourceFile | undefined;

  setFile(path: string, text: string): void {
    const key = programPath(path);
    if (this.texts.get(key) === text) return;
    this.texts.set(key, text);
    this.sources.delete(key);
    this.failures.delete(key);
    this.program = undefined;
  }

  removeFile(path: string): void {
    const key = programPath(path);
    this.failures.delete(key);
    if (this.texts.delete(key)) {
      this.sources.delete(key);
      this.program = undefined;
    }
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
    try {
      source = ts.createSourceFile(key, text, ts.ScriptTarget.Latest, true, scriptKind(key));
    } catch (error) {
      // Keep the file out of the program: the checker must not meet it either.
      this.failures.set(key, error instanceof Error ? error.message : String(error));
      this.texts.delete(key);
      this.program = undefined;
      return undefined;
    }
    this.sources.set(key, source);
    return source;
  }

  /** Why the parser gave up on a file, if it did. */
  parseFailure(path: string): string | undefined {
    return this.failures.get(programPath(path));
  }

  /** Workspace-relative paths of every TS/JS file in the project. */
  paths(): string[] {
    return [...this.texts.keys()].map((k) => TsProject.relativePath(k));
  }

  /** The type checker over every TS/JS file of the project; built lazily. */
  checker(): ts.TypeChecker {
    return this.getProgram().getTypeChecker();
  }

  getProgram(): ts.Program {
    if (this.program) return this.program;
    const host: ts.CompilerHost = {
      getSourceFile: (fileName) => {
        if (fileName === LIB_PATH) return (this.libFile ??= ts.createSourceFile(LIB_PATH, MINIMAL_LIB, ts.ScriptTarget.Latest, true));
        return this.sourceByKey(fileName);
      },
      getDefaultLibFileName: () => LIB_PATH,
      writeFile: () => undefined,
      getCurrentDirectory: () => ROOT,
      getCanonicalFileName: (f) => f,
      useCaseSensitiveFileNames: () => true,
      getNewLine: () => '\n',
      fileExists: (f) => this.texts.has(f) || f === LIB_PATH,
      readFile: (f) => (f === LIB_PATH ? MINIMAL_LIB : this.texts.get(f)),
      directoryExists: () => true,
      getDirectories: () => [],
    };
    const roots = [LIB_PATH, ...this.texts.keys()];
    this.program = ts.createProgram({ rootNames: roots, options: compilerOptions, host, oldProgram: undefined });
    return this.program;
  }

  /** Workspace-relative path of a program file name. */
  static relativePath(fileName: string): string {
    return fileName.startsWith(ROOT) ? fileName.slice(ROOT.length) : fileName;
  }
}
