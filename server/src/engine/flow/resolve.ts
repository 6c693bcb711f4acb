import ts from 'typescript';
import type { ProjectFacts } from '../facts.js';

/** A declaration found by name, in this file or followed through relative imports. */
export interface Resolved {
  node: ts.Node;
  file: ts.SourceFile;
}

const EXTENSIONS = ['', '.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '/index.ts', '/index.tsx', '/index.js'];

/** Workspace-relative path of a relative import, or undefined for packages / files not in the project. */
export function resolveModule(specifier: string, fromPath: string, facts: ProjectFacts): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const dir = fromPath.includes('/') ? fromPath.slice(0, fromPath.lastIndexOf('/')) : '';
  const base = normalize(`${dir}/${specifier}`);
  const stems = [base, base.replace(/\.(m|c)?js$/, '')];
  for (const stem of stems) {
    for (const ext of EXTENSIONS) {
      const candidate = stem + ext;
      if (facts.ts.sourceFile(candidate)) return candidate;
    }
  }
  return undefined;
}

function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
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
        for (const element of bindings.elements) add(element.name.text, { module, imported: (element.propertyName ?? element.name).text });
      }
    }
    if (ts.isVariableStatement(statement)) {
      // const x = require('m') / const { x } = require('m')
      for (const d of statement.declarationList.declarations) {
        const init = d.initializer;
        if (!init || !ts.isCallExpression(init) || !ts.isIdentifier(init.expression) || init.expression.text !== 'require') continue;
        const arg = init.arguments[0];
        if (!arg || !ts.isStringLiteral(arg)) continue;
        if (ts.isIdentifier(d.name)) add(d.name.text, { module: arg.text, imported: 'default' });
        if (ts.isObjectBindingPattern(d.name)) {
          for (const el of d.name.elements) {
            if (ts.isIdentifier(el.name)) add(el.name.text, { module: arg.text, imported: el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text });
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
    if (!ts.isExportDeclaration(statement) || !statement.moduleSpecifier || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
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
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name?.text === name) return statement;
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

/** The name a callee is called by: `encryptField`, `subtle.encrypt`, `crypto.subtle.encrypt` -> last segments. */
export function calleeName(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) {
    const left = calleeName(expression.expression);
    return left ? `${left}.${expression.name.text}` : expression.name.text;
  }
  if (ts.isCallExpression(expression)) return calleeName(expression.expression);
  if (ts.isParenthesizedExpression(expression) || ts.isNonNullExpression(expression)) return calleeName(expression.expression);
  if (ts.isNewExpression(expression)) return calleeName(expression.expression);
  return undefined;
}

/** The last segment of a callee: `crypto.subtle.encrypt` -> `encrypt`. */
export function lastSegment(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot >= 0 ? name.slice(dot + 1) : name;
}

/** Strips `await`, parentheses, `as`, `!`, `satisfies` and type assertions. */
export function unwrap(expression: ts.Expression): ts.Expression {
  let e = expression;
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isAwaitExpression(e) || ts.isTypeAssertionExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
    else return e;
  }
}

/** The text of a string literal or a no-substitution template. */
export function stringValue(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  return undefined;
}

/** A property of an object literal by name. */
export function property(object: ts.ObjectLiteralExpression | undefined, name: string): ts.ObjectLiteralElementLike | undefined {
  if (!object) return undefined;
  return object.properties.find((p) => p.name && propertyName(p.name) === name);
}

export function propertyValue(object: ts.ObjectLiteralExpression | undefined, name: string): ts.Expression | undefined {
  const p = property(object, name);
  if (!p) return undefined;
  if (ts.isPropertyAssignment(p)) return p.initializer;
  if (ts.isShorthandPropertyAssignment(p)) return p.name;
  return undefined;
}

export function propertyName(name: ts.PropertyName | ts.BindingName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  return undefined;
}

/** String elements of an array literal (`['vih', 'hepatiteB']`). */
export function stringList(node: ts.Expression | undefined): { value: string; node: ts.Expression }[] | undefined {
  if (!node) return undefined;
  const e = unwrap(node);
  if (!ts.isArrayLiteralExpression(e)) return undefined;
  return e.elements.flatMap((el) => {
    const v = stringValue(el);
    return v === undefined ? [] : [{ value: v, node: el }];
  });
}
