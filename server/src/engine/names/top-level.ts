import ts from 'typescript';
import type { ProjectFacts } from '../facts.js';
import { MODULE_SUFFIXES, relativeModulePath } from '../syntax/modules.js';

/** A declaration found by name, in this file or followed through relative imports. */
export interface Resolved {
  node: ts.Node;
  file: ts.SourceFile;
}

/** The specifier as written first, then the shared suffixes. */
const STEM_SUFFIXES = ['', ...MODULE_SUFFIXES];

/** Workspace-relative path of a relative import, or undefined for packages / files not in the project. */
export function resolveModule(specifier: string, fromPath: string, facts: ProjectFacts): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = relativeModulePath(fromPath, specifier);
  const stems = [base, base.replace(/\.(m|c)?js$/, '')];
  for (const stem of stems) {
    for (const ext of STEM_SUFFIXES) {
      const candidate = stem + ext;
      if (facts.ts.sourceFile(candidate)) return candidate;
    }
  }
  return undefined;
}

/** The module a local name was imported from, as written (`mongoose-encryption`, `../crypto/fieldEncryption`). */
export function importSource(name: string, file: ts.SourceFile): { module: string; imported: string } | undefined {
  return importsOf(file).get(name);
}

type ImportedName = { module: string; imported: string };

const importsByFile = new WeakMap<ts.SourceFile, Map<string, ImportedName>>();

/** The names a file imports (`import`, `require`), the first binding of each: listed once per file, not once per question. */
function importsOf(file: ts.SourceFile): Map<string, ImportedName> {
  const known = importsByFile.get(file);
  if (known) return known;
  const names = new Map<string, ImportedName>();
  const add = (name: string, value: ImportedName) => {
    if (!names.has(name)) names.set(name, value);
  };
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const clause = statement.importClause;
      const module = statement.moduleSpecifier.text;
      if (!clause) continue;
      if (clause.name) add(clause.name.text, { module, imported: 'default' });
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) add(bindings.name.text, { module, imported: '*' });
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements)
          add(element.name.text, { module, imported: (element.propertyName ?? element.name).text });
      }
    }
    if (ts.isVariableStatement(statement)) {
      // const x = require('m') / const { x } = require('m')
      for (const d of statement.declarationList.declarations) {
        const init = d.initializer;
        if (
          !init ||
          !ts.isCallExpression(init) ||
          !ts.isIdentifier(init.expression) ||
          init.expression.text !== 'require'
        )
          continue;
        const arg = init.arguments[0];
        if (!arg || !ts.isStringLiteral(arg)) continue;
        if (ts.isIdentifier(d.name)) add(d.name.text, { module: arg.text, imported: 'default' });
        if (ts.isObjectBindingPattern(d.name)) {
          for (const el of d.name.elements) {
            if (ts.isIdentifier(el.name))
              add(el.name.text, {
                module: arg.text,
                imported: el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text,
              });
          }
        }
      }
    }
  }
  importsByFile.set(file, names);
  return names;
}

/**
 * The declaration of a top-level `name` (variable initializer, function, class) in `file`,
 * following relative imports and re-exports up to a few hops. Syntactic: no type checker.
 */
export function resolveName(name: string, file: ts.SourceFile, facts: ProjectFacts, hops = 0): Resolved | undefined {
  if (hops > 4) return undefined;
  const local = localDeclaration(name, file);
  if (local) return { node: local, file };
  const imported = importSource(name, file);
  if (imported) {
    const target = resolveModule(imported.module, relativePath(file), facts);
    const sf = target ? facts.ts.sourceFile(target) : undefined;
    if (!sf || imported.imported === '*') return undefined;
    return resolveExport(imported.imported, sf, facts, hops + 1);
  }
  return undefined;
}

function resolveExport(name: string, file: ts.SourceFile, facts: ProjectFacts, hops: number): Resolved | undefined {
  const local = localDeclaration(name, file);
  if (local) return { node: local, file };
  for (const statement of file.statements) {
    if (
      !ts.isExportDeclaration(statement) ||
      !statement.moduleSpecifier ||
      !ts.isStringLiteral(statement.moduleSpecifier)
    )
      continue;
    const clause = statement.exportClause;
    let imported: string | undefined;
    if (!clause) imported = name;
    else if (ts.isNamedExports(clause)) {
      const element = clause.elements.find((e) => e.name.text === name);
      if (element) imported = (element.propertyName ?? element.name).text;
    }
    if (!imported) continue;
    const target = resolveModule(statement.moduleSpecifier.text, relativePath(file), facts);
    const sf = target ? facts.ts.sourceFile(target) : undefined;
    const found = sf ? resolveExport(imported, sf, facts, hops + 1) : undefined;
    if (found) return found;
  }
  const imported = importSource(name, file);
  if (imported && hops <= 4) return resolveName(name, file, facts, hops + 1);
  return undefined;
}

/** A top-level declaration of `name` in this file: the variable's initializer, the function or the class. */
export function localDeclaration(name: string, file: ts.SourceFile): ts.Node | undefined {
  for (const statement of file.statements) {
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name?.text === name)
      return statement;
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.name.text === name) return d.initializer ?? d;
      }
    }
    if (ts.isExportAssignment(statement) && name === 'default') return statement.expression;
  }
  return undefined;
}

export function relativePath(file: ts.SourceFile): string {
  return file.fileName.replace(/^\/+/, '');
}
