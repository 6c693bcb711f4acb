import ts from 'typescript';
import { rethrowTimeout, typeChecker } from '../budget.js';
import type { DetectorContext } from '../detector.js';
import { localDeclaration, relativePath, resolveModule } from './top-level.js';
import { importTarget, lexicalDeclaration, importMayResolve } from './lexical.js';
import { unwrap } from '../syntax/ast.js';

/** What a name in code is bound to: an import, a `require`, a variable's initializer, a typed field. */
export interface Binding {
  /** The module it comes from (`pino`, `@sentry/node`, `../config/logger`). */
  module?: string;
  /** `default`, `*` or the imported name. */
  imported?: string;
  /** The initializer of the variable or field (in whichever project file declares it). */
  initializer?: ts.Expression;
  /** The name of a declared type (`private readonly logger: PinoLogger`). */
  typeName?: string;
}

/**
 * Resolves an identifier (or the name of `this.x`) with the type checker: imports are followed
 * to the exporting project file, so a logger created in `config/logger.ts` is recognised where
 * it is imported. Only called at candidate sinks.
 */
export function bindingOf(node: ts.Identifier | ts.PrivateIdentifier, ctx: DetectorContext): Binding | undefined {
  // Kept with the analysed file (dropped when it changes); keyed by node, as initializers followed into other files bring their nodes along.
  const known = ctx.project.memo(ctx.file.path, 'sinks:bindings', () => new Map<ts.Node, Binding | undefined>());
  if (known.has(node)) return known.get(node);
  const binding = resolve(node, ctx);
  known.set(node, binding);
  return binding;
}

function resolve(node: ts.Identifier | ts.PrivateIdentifier, ctx: DetectorContext): Binding | undefined {
  const syntactic = ts.isIdentifier(node) ? syntacticBinding(node, ctx) : undefined;
  return syntactic ? syntactic.binding : resolveWithChecker(node, ctx);
}

/**
 * The checker's answer when the syntax alone decides it (a local, a global of the lib, an import
 * of a plain export or of an unresolvable package), without creating a checker; else undefined.
 */
function syntacticBinding(node: ts.Identifier, ctx: DetectorContext): { binding: Binding | undefined } | undefined {
  const declaration = lexicalDeclaration(node, ctx);
  if (declaration === undefined) return undefined;
  if (declaration === null) return { binding: undefined };
  const imported = importOf(declaration);
  if (!imported) return { binding: ownBinding(declaration, ctx) };
  if (ts.isImportEqualsDeclaration(declaration) || !imported.module || !imported.imported) return undefined;
  if (!importMayResolve(imported.module, declaration.getSourceFile(), ctx)) return { binding: { ...imported } };
  const target = importTarget(imported.module, imported.imported, declaration.getSourceFile(), ctx);
  if (target === undefined) return undefined;
  return { binding: target ? { ...imported, ...fromDeclaration(target) } : { ...imported } };
}

function resolveWithChecker(node: ts.Identifier | ts.PrivateIdentifier, ctx: DetectorContext): Binding | undefined {
  let checker: ts.TypeChecker;
  try {
    checker = typeChecker(ctx, node);
  } catch (error) {
    rethrowTimeout(error);
    return undefined;
  }
  const symbol = checker.getSymbolAtLocation(node);
  const declaration = symbol?.declarations?.[0];
  if (!symbol || !declaration) return undefined;
  const binding: Binding = {};
  const imported = importOf(declaration);
  if (imported) {
    Object.assign(binding, imported);
    if (symbol.flags & ts.SymbolFlags.Alias) {
      try {
        const target = checker.getAliasedSymbol(symbol).declarations?.[0];
        if (target) Object.assign(binding, fromDeclaration(target));
      } catch {
        // unresolved module: the import alone is what we know
      }
    }
    return binding;
  }
  return ownBinding(declaration, ctx);
}

function ownBinding(declaration: ts.Declaration, ctx: DetectorContext): Binding {
  const own = fromDeclaration(declaration);
  // `const logger = require('../lib/logger')`: what that project file puts in `module.exports`.
  if (own.module?.startsWith('.') && !own.initializer) {
    const exported = commonJsExport(own.module, own.imported ?? 'default', declaration.getSourceFile(), ctx);
    if (exported) own.initializer = exported;
  }
  return own;
}

/** `module.exports = x`, `module.exports = { a }`, `exports.a = x` of a project file, as an expression of that file. */
function commonJsExport(
  specifier: string,
  imported: string,
  from: ts.SourceFile,
  ctx: DetectorContext,
): ts.Expression | undefined {
  const target = resolveModule(specifier, relativePath(from), ctx.project);
  const sf = target ? ctx.project.ts.sourceFile(target) : undefined;
  if (!sf) return undefined;
  const local = (e: ts.Expression): ts.Expression => {
    const u = unwrap(e);
    const d = ts.isIdentifier(u) ? localDeclaration(u.text, sf) : undefined;
    return d && ts.isExpression(d) ? d : u;
  };
  for (const statement of sf.statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) continue;
    const { left, right, operatorToken } = statement.expression;
    if (operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
    const target = left.getText(sf).replace(/\s+/g, '');
    if (target === 'module.exports') {
      const value = unwrap(right);
      if (imported === 'default' || imported === '*') return local(value);
      if (ts.isObjectLiteralExpression(value)) {
        for (const p of value.properties) {
          if (ts.isShorthandPropertyAssignment(p) && p.name.text === imported) return local(p.name);
          if (ts.isPropertyAssignment(p) && p.name.getText(sf) === imported) return local(p.initializer);
        }
      }
    } else if (target === `module.exports.${imported}` || target === `exports.${imported}`) return local(right);
  }
  return undefined;
}

function importOf(declaration: ts.Declaration): Pick<Binding, 'module' | 'imported'> | undefined {
  if (ts.isImportSpecifier(declaration)) {
    return {
      module: moduleText(declaration.parent.parent.parent.moduleSpecifier),
      imported: (declaration.propertyName ?? declaration.name).text,
    };
  }
  if (ts.isImportClause(declaration))
    return { module: moduleText(declaration.parent.moduleSpecifier), imported: 'default' };
  if (ts.isNamespaceImport(declaration))
    return { module: moduleText(declaration.parent.parent.moduleSpecifier), imported: '*' };
  if (ts.isImportEqualsDeclaration(declaration) && ts.isExternalModuleReference(declaration.moduleReference)) {
    return { module: moduleText(declaration.moduleReference.expression), imported: '*' };
  }
  return undefined;
}

function moduleText(node: ts.Node): string | undefined {
  return ts.isStringLiteralLike(node) ? node.text : undefined;
}

function fromDeclaration(declaration: ts.Declaration): Binding {
  if (ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration) || ts.isParameter(declaration)) {
    const out: Binding = {};
    if (declaration.type && ts.isTypeReferenceNode(declaration.type))
      out.typeName = entityName(declaration.type.typeName);
    const init = declaration.initializer ? unwrap(declaration.initializer) : undefined;
    const required = init ? requireOf(init) : undefined;
    if (required)
      return {
        ...out,
        module: required,
        imported: ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name) ? 'default' : '*',
      };
    if (init) out.initializer = init;
    return out;
  }
  if (ts.isBindingElement(declaration)) {
    // const { createLogger } = require('winston')
    const pattern = declaration.parent;
    const decl = pattern.parent;
    if (ts.isVariableDeclaration(decl) && decl.initializer) {
      const required = requireOf(unwrap(decl.initializer));
      const name = declaration.propertyName ?? declaration.name;
      if (required && ts.isIdentifier(name)) return { module: required, imported: name.text };
    }
  }
  return {};
}

/** `require('m')` -> `m`. */
export function requireOf(expr: ts.Expression): string | undefined {
  if (ts.isCallExpression(expr) && ts.isIdentifier(expr.expression) && expr.expression.text === 'require') {
    const arg = expr.arguments[0];
    if (arg && ts.isStringLiteralLike(arg)) return arg.text;
  }
  return undefined;
}

function entityName(name: ts.EntityName): string {
  return ts.isIdentifier(name) ? name.text : name.right.text;
}

/** Names along a property chain: `this.analytics.track` -> ['this', 'analytics', 'track']; calls in the chain keep their names. */
export function accessChain(expr: ts.Expression): { names: string[]; root: ts.Expression } {
  const names: string[] = [];
  let e = unwrap(expr);
  for (;;) {
    if (ts.isPropertyAccessExpression(e)) {
      names.unshift(e.name.text);
      e = unwrap(e.expression);
    } else if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression)) {
      names.unshift(e.argumentExpression.text);
      e = unwrap(e.expression);
    } else break;
  }
  if (ts.isIdentifier(e)) names.unshift(e.text);
  else if (e.kind === ts.SyntaxKind.ThisKeyword) names.unshift('this');
  return { names, root: e };
}

/** The identifier that names a receiver (`logger`, `this.logger` -> `logger`), for resolution. */
export function namingIdentifier(expr: ts.Expression): ts.Identifier | ts.PrivateIdentifier | undefined {
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) return e;
  if (ts.isPropertyAccessExpression(e)) return e.name;
  return undefined;
}
