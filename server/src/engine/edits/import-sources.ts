import ts from 'typescript';
import type { ProjectFacts } from '../facts.js';
import { importEdits, sourceKey, type ImportSource } from './imports.js';
import type { TextEdit } from '../types.js';

/** One file's top-level imports (raw specifiers) and exports, by name. */
interface FileBindings {
  imports: Map<string, { specifier: string; isDefault: boolean }[]>;
  exports: Map<string, { isDefault: boolean }>;
}

/**
 * Where the project gets `name`: the source its files import it from most often (a package, or
 * a project file), else the one project file that exports it. Undefined when the project neither
 * imports nor exports it: a fix that would insert the name is then not offered.
 */
export function projectImportSource(project: ProjectFacts, name: string): ImportSource | undefined {
  const cache = project.index('edits:import-sources', () => ({
    version: -1,
    byName: new Map<string, ImportSource | undefined>(),
  }));
  if (cache.version !== project.ts.version) {
    cache.version = project.ts.version;
    cache.byName.clear();
  }
  if (cache.byName.has(name)) return cache.byName.get(name);
  const found = lookUp(project, name);
  cache.byName.set(name, found);
  return found;
}

function lookUp(project: ProjectFacts, name: string): ImportSource | undefined {
  const counts = new Map<string, { source: ImportSource; count: number }>();
  const exporters: { file: string; isDefault: boolean; production: boolean }[] = [];
  for (const path of project.ts.paths().sort()) {
    if (/(^|\/)node_modules\//.test(path)) continue;
    const sf = project.ts.sourceFile(path);
    if (!sf) continue;
    const bindings = project.memo(path, 'edits:bindings', () => bindingsOf(sf));
    for (const imported of bindings.imports.get(name) ?? []) {
      const source = resolveSource(project, imported.specifier, imported.isDefault, path);
      if (!source) continue;
      const key = sourceKey(source);
      const entry = counts.get(key) ?? { source, count: 0 };
      entry.count++;
      counts.set(key, entry);
    }
    const exported = bindings.exports.get(name);
    if (exported)
      exporters.push({ file: path, isDefault: exported.isDefault, production: project.roleOf(path) === 'production' });
  }
  const best = [...counts.values()].sort((a, b) => b.count - a.count)[0];
  if (best) return best.source;
  const production = exporters.filter((e) => e.production);
  const only = production.length === 1 ? production[0] : exporters.length === 1 ? exporters[0] : undefined;
  return only ? { kind: 'file', file: only.file, isDefault: only.isDefault } : undefined;
}

/** Whether the project file exports its top-level `name` (ESM or CommonJS). */
export function exportedBy(project: ProjectFacts, file: string, name: string): boolean {
  const sf = project.ts.sourceFile(file);
  return !!sf && project.memo(file, 'edits:bindings', () => bindingsOf(sf)).exports.has(name);
}

function resolveSource(
  project: ProjectFacts,
  specifier: string,
  isDefault: boolean,
  from: string,
): ImportSource | undefined {
  const file = project.ts.resolveImport(specifier, from);
  if (file && !/(^|\/)node_modules\//.test(file))
    return { kind: 'file', file, isDefault, withExtension: /\.[cm]?js$/.test(specifier) };
  if (specifier.startsWith('.') || specifier.startsWith('/')) return undefined;
  return { kind: 'package', module: specifier, isDefault };
}

function bindingsOf(sf: ts.SourceFile): FileBindings {
  const imports = new Map<string, { specifier: string; isDefault: boolean }[]>();
  const exports = new Map<string, { isDefault: boolean }>();
  const addImport = (name: string, specifier: string, isDefault: boolean) =>
    imports.set(name, [...(imports.get(name) ?? []), { specifier, isDefault }]);
  const exported = (node: ts.Node) =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const isDefaultExport = (node: ts.Node) =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
  for (const statement of sf.statements) {
    if (
      ts.isImportDeclaration(statement) &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      statement.importClause &&
      !statement.importClause.isTypeOnly
    ) {
      const specifier = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (clause.name) addImport(clause.name.text, specifier, true);
      const named = clause.namedBindings;
      if (named && ts.isNamedImports(named)) {
        for (const e of named.elements)
          if (!e.isTypeOnly && (!e.propertyName || e.propertyName.getText(sf) === e.name.text))
            addImport(e.name.text, specifier, false);
      }
      continue;
    }
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) {
        const required = d.initializer && requireOf(d.initializer);
        if (required && ts.isIdentifier(d.name)) addImport(d.name.text, required, true);
        else if (required && ts.isObjectBindingPattern(d.name)) {
          for (const e of d.name.elements)
            if (ts.isIdentifier(e.name) && !e.propertyName) addImport(e.name.text, required, false);
        } else if (exported(statement) && ts.isIdentifier(d.name)) exports.set(d.name.text, { isDefault: false });
      }
      continue;
    }
    if (
      (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) &&
      statement.name &&
      exported(statement)
    ) {
      exports.set(statement.name.text, { isDefault: isDefaultExport(statement) });
      continue;
    }
    if (
      ts.isExportDeclaration(statement) &&
      !statement.moduleSpecifier &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause) &&
      !statement.isTypeOnly
    ) {
      for (const e of statement.exportClause.elements) exports.set(e.name.text, { isDefault: false });
      continue;
    }
    // CommonJS: `exports.redact = ...`, `module.exports.redact = ...`, `module.exports = { redact }`.
    if (
      ts.isExpressionStatement(statement) &&
      ts.isBinaryExpression(statement.expression) &&
      statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken
    ) {
      const target = statement.expression.left.getText(sf).replace(/\s+/g, '');
      const member = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(target);
      if (member) exports.set(member[1]!, { isDefault: false });
      const value = statement.expression.right;
      if (target === 'module.exports' && ts.isObjectLiteralExpression(value)) {
        for (const p of value.properties)
          if ((ts.isShorthandPropertyAssignment(p) || ts.isPropertyAssignment(p)) && ts.isIdentifier(p.name))
            exports.set(p.name.text, { isDefault: false });
      }
    }
  }
  return { imports, exports };
}

function requireOf(expr: ts.Expression): string | undefined {
  let e = expr;
  while (ts.isParenthesizedExpression(e) || ts.isAwaitExpression(e)) e = e.expression;
  if (
    ts.isCallExpression(e) &&
    ts.isIdentifier(e.expression) &&
    e.expression.text === 'require' &&
    e.arguments.length === 1 &&
    ts.isStringLiteral(e.arguments[0]!)
  )
    return e.arguments[0].text;
  return undefined;
}

const NODE_BUILTIN =
  /^node:|^(assert|buffer|child_process|crypto|events|fs|fs\/promises|http|https|net|os|path|stream|url|util|zlib)$/;

/** The package a module specifier names: `@nestjs/passport` for `@nestjs/passport/x`, `next-auth` for `next-auth/jwt`. */
function packageOf(module: string): string {
  const parts = module.split('/');
  return module.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Whether the file's package can import `module`: a Node built-in, or a dependency its manifests declare (or no manifest to tell). */
export function packageAvailable(project: ProjectFacts, file: string, module: string): boolean {
  if (NODE_BUILTIN.test(module)) return true;
  return project.manifests.declaresDependency(file, packageOf(module)) !== false;
}

/**
 * The import edits of a name a fix inserts into `file`, written by TypeScript (edits/imports.ts):
 * `[]` when the file binds it already, undefined when the name has no source the project knows
 * (or its package is not a dependency): the fix is then not offered. One language-service run per
 * file version, name and source.
 */
export function importFor(
  project: ProjectFacts,
  file: string,
  name: string,
  source: ImportSource | undefined = projectImportSource(project, name),
): TextEdit[] | undefined {
  const text = project.ts.sourceFile(file)?.text;
  if (text === undefined) return undefined;
  if (source?.kind === 'package' && !packageAvailable(project, file, source.module)) source = undefined;
  const edits = project.memo(
    file,
    `edits:import:${name}:${sourceKey(source)}`,
    () => importEdits(file, text, name, source) ?? null,
  );
  return edits === null ? undefined : edits.map((e) => ({ ...e }));
}
