import ts from 'typescript';
import type { DetectorContext } from '../detector.js';
import { wordOccurrences } from '../text.js';
import { isModuleFile } from './lexical.js';

/**
 * Names a framework or a runtime calls by convention, without any code of the project naming them:
 * route handlers (`export async function GET`), Next.js data functions, Remix/SvelteKit loaders and
 * actions, serverless and CLI entry points, extension hooks. A function so named may run although
 * nothing in the project refers to it.
 */
const CONVENTIONAL_ENTRY_POINTS = new Set([
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'HEAD',
  'OPTIONS',
  'ALL',
  'handler',
  'main',
  'default',
  'middleware',
  'loader',
  'action',
  'load',
  'actions',
  'getServerSideProps',
  'getStaticProps',
  'getStaticPaths',
  'getInitialProps',
  'generateMetadata',
  'generateStaticParams',
  'setup',
  'run',
  'start',
  'bootstrap',
  'init',
  'activate',
  'deactivate',
  'register',
  'plugin',
  'config',
  'up',
  'down',
  'seed',
]);

/**
 * Is `node` inside a top-level function that never runs? A function of the file (a declaration, or
 * a `const` bound to a function) that nothing calls or names: not its own file beyond its
 * declaration and, when exported, no other file of the project, under a name no framework calls
 * by convention, in a module other files reach only through a folder index that re-exports it
 * (`export * from './dose'`); in a package whose manifest says it is an application (it offers no
 * entry points to other packages). Code that never runs logs nothing and sends nothing.
 */
export function inFunctionNeverCalled(node: ts.Node, ctx: DetectorContext): boolean {
  const fn = topLevelFunction(node);
  if (!fn) return false;
  const { name, exported, isDefault } = fn;
  const sf = node.getSourceFile();
  if (wordOccurrences(sf.text, name, 2) > 1) return false;
  // Only in a package known to be an application: an export of a library may be called by the
  // packages that depend on it, and a file no manifest holds may be a fragment of something larger.
  const library = ctx.project.manifests.publishesApi(ctx.file.path);
  if (library !== false) return false;
  // A script's top-level function is a global other scripts or a page may call.
  if (!exported) return isModuleFile(sf);
  if (isDefault || CONVENTIONAL_ENTRY_POINTS.has(name) || /Handler$/.test(name)) return false;
  if (ctx.project.ts.filesMentioning(name).some((p) => p !== ctx.file.path)) return false;
  return reachedOnlyThroughIndexes(ctx);
}

/**
 * Whether other files reach this module only by re-exporting it (`export * from './dose'` in a
 * folder index), never by importing it themselves: the application imports what it uses from the
 * index, by name. A module no file imports may be loaded by its path (a framework's file
 * convention, a config, a script run by hand), and one imported directly may be used in ways a
 * name search does not see: their exports are given the benefit of the doubt.
 */
function reachedOnlyThroughIndexes(ctx: DetectorContext): boolean {
  const path = ctx.file.path;
  const stem = path.replace(/^.*\//, '').replace(/\.[cm]?[jt]sx?$/, '');
  if (stem === 'index') return false;
  let reExported = false;
  for (const other of ctx.project.ts.filesMentioning(stem)) {
    ctx.tick();
    if (other === path) continue;
    const source = ctx.project.ts.sourceFile(other);
    if (!source) continue;
    for (const { specifier, reExport } of moduleReferences(source)) {
      if (ctx.project.ts.resolveImport(specifier, other) !== path) continue;
      if (!reExport) return false;
      reExported = true;
    }
  }
  return reExported;
}

/** The modules a file imports or re-exports, as written (`require` and `import()` are imports). */
function moduleReferences(source: ts.SourceFile): { specifier: string; reExport: boolean }[] {
  const out: { specifier: string; reExport: boolean }[] = [];
  for (const statement of source.statements) {
    if (
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier)
    ) {
      out.push({ specifier: statement.moduleSpecifier.text, reExport: ts.isExportDeclaration(statement) });
    }
  }
  if (!source.text.includes('require(') && !source.text.includes('import(')) return out;
  const visit = (n: ts.Node): void => {
    if (
      ts.isCallExpression(n) &&
      n.arguments.length === 1 &&
      ts.isStringLiteralLike(n.arguments[0]!) &&
      (n.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(n.expression) && n.expression.text === 'require'))
    ) {
      out.push({ specifier: n.arguments[0].text, reExport: false });
    }
    ts.forEachChild(n, visit);
  };
  visit(source);
  return out;
}

interface TopLevelFunction {
  name: string;
  exported: boolean;
  isDefault: boolean;
}

/** The outermost function around `node`, when it is a named function of the file's top level. */
function topLevelFunction(node: ts.Node): TopLevelFunction | undefined {
  let outer: ts.Node | undefined;
  for (let n: ts.Node | undefined = node.parent; n && !ts.isSourceFile(n); n = n.parent)
    if (ts.isFunctionLike(n)) outer = n;
  if (!outer) return undefined;
  if (ts.isFunctionDeclaration(outer) && outer.name && ts.isSourceFile(outer.parent)) {
    const modifiers = ts.getModifiers(outer) ?? [];
    return {
      name: outer.name.text,
      exported: modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword),
      isDefault: modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword),
    };
  }
  const declaration = outer.parent;
  if (
    (ts.isArrowFunction(outer) || ts.isFunctionExpression(outer)) &&
    ts.isVariableDeclaration(declaration) &&
    declaration.initializer === outer &&
    ts.isIdentifier(declaration.name) &&
    ts.isVariableDeclarationList(declaration.parent) &&
    ts.isVariableStatement(declaration.parent.parent) &&
    ts.isSourceFile(declaration.parent.parent.parent)
  ) {
    const modifiers = ts.getModifiers(declaration.parent.parent) ?? [];
    return {
      name: declaration.name.text,
      exported: modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword),
      isDefault: false,
    };
  }
  return undefined;
}
