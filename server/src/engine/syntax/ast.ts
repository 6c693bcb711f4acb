import ts from 'typescript';

/**
 * The syntax toolkit: small questions every analysis asks of a TypeScript/JavaScript AST, each
 * answered once. Purely syntactic (no type checker, no project).
 */

/** Strips `await`, parentheses, `as`, `!`, `satisfies` and type assertions: `(await x as T)!` -> `x`. */
export function unwrap<T extends ts.Node>(node: T): T extends ts.Expression ? ts.Expression : ts.Node {
  let e: ts.Node = node;
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isAwaitExpression(e) || ts.isTypeAssertionExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
    else return e as T extends ts.Expression ? ts.Expression : ts.Node;
  }
}
