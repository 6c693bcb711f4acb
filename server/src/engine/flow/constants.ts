import ts from 'typescript';
import { rethrowTimeout } from '../budget.js';
import type { DetectorContext } from '../detector.js';
import { bindingOf } from '../names/binding.js';
import { localDeclarationOf } from '../names/locals.js';
import { propertyName, unwrap } from '../syntax/ast.js';

/**
 * Whether an expression is a constant written in the code: a literal, or a `const` (of this file
 * or imported) whose initializer is made of literals only (strings, numbers, arrays and objects
 * of them), or a property of one: a route table (`API_ROUTES.CLINICAL`), an error catalogue
 * (`ERROR_403.TREATMENT_NOT_FOUND`), a fixed list of file names or allowed values. What the code
 * spells out is the same for every person: it is not anybody's health data, whatever its keys say.
 */
export function isCodeConstant(expr: ts.Expression, ctx: DetectorContext, depth = 0): boolean {
  if (depth > 4) return false;
  const e = unwrap(expr);
  if (literalOnly(e)) return true;
  if (ts.isIdentifier(e)) {
    const init = constInitializer(e, ctx);
    return init !== undefined && (literalOnly(init) || isCodeConstant(init, ctx, depth + 1));
  }
  if (
    ts.isPropertyAccessExpression(e) ||
    (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression))
  ) {
    const key = ts.isPropertyAccessExpression(e) ? e.name.text : (e.argumentExpression as ts.StringLiteralLike).text;
    const owner = constantObject(e.expression, ctx, depth + 1);
    if (!owner) return false;
    const value = owner.properties.find(
      (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && propertyName(p.name) === key,
    );
    return value !== undefined && literalOnly(unwrap(value.initializer));
  }
  return false;
}

/** The object literal a constant reference stands for (`ERRORS` -> `{ ... }`, `ERRORS.FORBIDDEN` -> its nested object). */
function constantObject(
  expr: ts.Expression,
  ctx: DetectorContext,
  depth: number,
): ts.ObjectLiteralExpression | undefined {
  if (depth > 4) return undefined;
  const e = unwrap(expr);
  if (ts.isObjectLiteralExpression(e)) return literalOnly(e) ? e : undefined;
  if (ts.isIdentifier(e)) {
    const init = constInitializer(e, ctx);
    return init ? constantObject(init, ctx, depth + 1) : undefined;
  }
  if (ts.isPropertyAccessExpression(e)) {
    const owner = constantObject(e.expression, ctx, depth + 1);
    const value = owner?.properties.find(
      (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && propertyName(p.name) === e.name.text,
    );
    return value ? constantObject(value.initializer, ctx, depth + 1) : undefined;
  }
  return undefined;
}

/** The initializer of the `const` an identifier is bound to (followed across imports), if it is one. */
function constInitializer(id: ts.Identifier, ctx: DetectorContext): ts.Expression | undefined {
  const local = localDeclarationOf(id);
  let init: ts.Expression | undefined;
  if (local && ts.isVariableDeclaration(local)) init = local.initializer;
  else if (local && (ts.isImportSpecifier(local) || ts.isImportClause(local))) {
    try {
      init = bindingOf(id, ctx)?.initializer;
    } catch (error) {
      rethrowTimeout(error);
      return undefined;
    }
  }
  if (!init) return undefined;
  let declaration: ts.Node | undefined = init.parent;
  while (
    declaration &&
    !ts.isVariableDeclaration(declaration) &&
    (ts.isAsExpression(declaration) ||
      ts.isSatisfiesExpression(declaration) ||
      ts.isParenthesizedExpression(declaration))
  )
    declaration = declaration.parent;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !ts.isVariableDeclarationList(declaration.parent))
    return undefined;
  return (declaration.parent.flags & ts.NodeFlags.Const) !== 0 ? unwrap(init) : undefined;
}

/** Literals, and non-empty arrays and objects made of nothing else. */
function literalOnly(e: ts.Expression): boolean {
  if (ts.isStringLiteralLike(e) || ts.isNumericLiteral(e) || ts.isBigIntLiteral(e) || ts.isRegularExpressionLiteral(e))
    return true;
  if (
    e.kind === ts.SyntaxKind.TrueKeyword ||
    e.kind === ts.SyntaxKind.FalseKeyword ||
    e.kind === ts.SyntaxKind.NullKeyword
  )
    return true;
  if (ts.isPrefixUnaryExpression(e)) return ts.isNumericLiteral(e.operand);
  if (ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isParenthesizedExpression(e))
    return literalOnly(e.expression);
  if (ts.isArrayLiteralExpression(e))
    return e.elements.length > 0 && e.elements.every((x) => !ts.isSpreadElement(x) && literalOnly(x));
  if (ts.isObjectLiteralExpression(e)) {
    return (
      e.properties.length > 0 &&
      e.properties.every(
        (p) => ts.isPropertyAssignment(p) && !ts.isComputedPropertyName(p.name) && literalOnly(p.initializer),
      )
    );
  }
  return false;
}
