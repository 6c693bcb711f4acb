import ts from 'typescript';
import type { TextEdit } from '../types.js';

/**
 * Where a name a fix inserts comes from: a package (`next-auth/jwt`, `node:fs/promises`) or a
 * file of the project (workspace-relative path, with its extension).
 */
export type ImportSource =
  | { kind: 'package'; module: string; isDefault?: boolean }
  | {
      kind: 'file';
      file: string;
      isDefault?: boolean;
      /** the project writes relative imports with `.js` */ withExtension?: boolean;
    };

/** A stable key of a source, for memos. */
export function sourceKey(source: ImportSource | undefined): string {
  if (!source) return '-';
  return `${source.kind}:${source.kind === 'package' ? source.module : source.file}:${source.isDefault ? 'default' : 'named'}${source.kind === 'file' && source.withExtension ? ':js' : ''}`;
}

const ROOT = '/';
const STUB_DIR = '/__gdpr_lint_import__';
const CANNOT_FIND_NAME = 2304;

/**
 * The edits that make `name` usable in a file, written by TypeScript's own import fix (the one
 * behind the editor's "Add import from ..."): merged into an existing import of the same module,
 * `require` in a CommonJS file, the file's quotes, semicolons, line endings and specifier endings.
 * `[]` when the file already binds the name at its top level; `undefined` when the file does not
 * bind it and TypeScript cannot write the import (no source known, a file it cannot parse): a fix
 * that needs the name is then not offered.
 */
export function importEdits(
  path: string,
  text: string,
  name: string,
  source: ImportSource | undefined,
): TextEdit[] | undefined {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const fileName = ROOT + path.replace(/^\/+/, '');
  // A probe use of the name at the end of the file: TypeScript fixes the unresolved name there
  // (no semicolon of its own: TypeScript reads from the file whether it writes them).
  const probeStart = text.length + eol.length;
  const files = new Map<string, string>([[fileName, `${text}${eol}${name}${eol}`]]);
  const stub = source && stubFile(name, source);
  // A source that is the file itself binds the name there already (or nowhere).
  if (stub && stub.fileName !== fileName) files.set(stub.fileName, stub.text);
  const service = languageService(files);
  try {
    const program = service.getProgram();
    const sf = program?.getSourceFile(fileName);
    if (!program || !sf) return undefined;
    const probe = identifierAt(sf, probeStart);
    if (!probe || probe.text !== name) return undefined;
    if (program.getTypeChecker().getSymbolAtLocation(probe)) return [];
    if (!source || !stub || stub.fileName === fileName) return undefined;
    const fixes = service.getCodeFixesAtPosition(
      fileName,
      probeStart,
      probeStart + name.length,
      [CANNOT_FIND_NAME],
      formatOptions(text, eol),
      preferences(sf, source),
    );
    // The stub is the only module that exports the name: any import fix imports it from there.
    const fix = fixes.find((f) => f.fixName === 'import');
    if (!fix) return undefined;
    const edits: TextEdit[] = [];
    for (const change of fix.changes) {
      if (change.fileName !== fileName) return undefined;
      for (const t of change.textChanges) {
        // An edit that reaches the probe is not an import: refuse rather than guess.
        if (t.span.start + t.span.length > text.length) return undefined;
        edits.push({ start: t.span.start, end: t.span.start + t.span.length, newText: t.newText });
      }
    }
    return edits.length > 0 ? edits : undefined;
  } catch {
    return undefined;
  } finally {
    service.dispose();
  }
}

/** A declaration of the name at its source: an ambient module for a package, a module file for a project file. */
function stubFile(name: string, source: ImportSource): { fileName: string; text: string } {
  const exported = source.isDefault
    ? `declare const ${name}: any;\nexport default ${name};\n`
    : `export declare const ${name}: any;\n`;
  if (source.kind === 'package') {
    return {
      fileName: `${STUB_DIR}/${encodeURIComponent(source.module)}.d.ts`,
      text: `declare module ${JSON.stringify(source.module)} {\n${exported}}\n`,
    };
  }
  const file = ROOT + source.file.replace(/^\/+/, '');
  // A declaration file beside where the module is: the specifier TypeScript writes is the module's.
  const stem = file.replace(/(\.d)?\.[cm]?[jt]sx?$/, '');
  const fileName = /\.[cm]?[jt]sx?$/.test(file) && !/\.d\.[cm]?ts$/.test(file) ? file : `${stem}.ts`;
  const text = /\.[cm]?jsx?$/.test(fileName)
    ? source.isDefault
      ? `export default function ${name}() {}\n`
      : `export function ${name}() {}\n`
    : exported;
  return { fileName, text };
}

function languageService(files: Map<string, string>): ts.LanguageService {
  const options: ts.CompilerOptions = {
    noLib: true,
    allowJs: true,
    checkJs: false,
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    esModuleInterop: true,
    jsx: ts.JsxEmit.Preserve,
    experimentalDecorators: true,
    allowArbitraryExtensions: true,
  };
  const folders = new Set<string>([ROOT]);
  for (const f of files.keys())
    for (let d = f.slice(0, f.lastIndexOf('/')); d; d = d.slice(0, d.lastIndexOf('/'))) folders.add(d);
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => options,
    getScriptFileNames: () => [...files.keys()],
    getScriptVersion: () => '1',
    getScriptSnapshot: (f) => (files.has(f) ? ts.ScriptSnapshot.fromString(files.get(f)!) : undefined),
    getCurrentDirectory: () => ROOT,
    getDefaultLibFileName: () => `${STUB_DIR}/lib.d.ts`,
    fileExists: (f) => files.has(f),
    readFile: (f) => files.get(f),
    directoryExists: (d) => folders.has(d.replace(/\/+$/, '') || ROOT),
    getDirectories: () => [],
    useCaseSensitiveFileNames: () => true,
  };
  return ts.createLanguageService(host, ts.createDocumentRegistry(true, ROOT));
}

function identifierAt(sf: ts.SourceFile, position: number): ts.Identifier | undefined {
  let found: ts.Identifier | undefined;
  const visit = (node: ts.Node): void => {
    if (found || position < node.pos || position >= node.end) return;
    if (ts.isIdentifier(node) && node.getStart(sf) === position) {
      found = node;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** The file's indentation (for an import TypeScript breaks over lines); semicolons are detected by TypeScript itself. */
function formatOptions(text: string, eol: string): ts.FormatCodeSettings {
  const indent = /^([ \t]+)\S/m.exec(text)?.[1] ?? '  ';
  const tabs = indent.startsWith('\t');
  const size = tabs ? 4 : Math.min(indent.length, 8);
  return {
    ...ts.getDefaultFormatCodeSettings(eol),
    convertTabsToSpaces: !tabs,
    indentSize: size,
    tabSize: size,
    semicolons: ts.SemicolonPreference.Ignore,
  };
}

/** Quotes as the file writes its imports (or, without imports, its strings); specifier endings as the project writes them. */
function preferences(sf: ts.SourceFile, source: ImportSource): ts.UserPreferences {
  const hasModuleSpecifier =
    sf.statements.some((s) => ts.isImportDeclaration(s)) || /\brequire\s*\(\s*['"]/.test(sf.text);
  return {
    quotePreference: hasModuleSpecifier ? 'auto' : stringQuotes(sf),
    importModuleSpecifierPreference: 'relative',
    importModuleSpecifierEnding: source.kind === 'file' && source.withExtension ? 'js' : 'auto',
    includePackageJsonAutoImports: 'off',
    preferTypeOnlyAutoImports: false,
  };
}

function stringQuotes(sf: ts.SourceFile): 'single' | 'double' {
  let single = 0;
  let double = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node)) {
      if (sf.text[node.getStart(sf)] === "'") single++;
      else double++;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return single > double ? 'single' : 'double';
}
