import ts from 'typescript';
import type { DetectorContext } from '../detector.js';
import { bindingOf, unwrap } from '../sinks/resolve.js';

const JOINS = new Set(['join', 'resolve', 'posix.join', 'path.join', 'path.resolve', 'path.posix.join']);

/**
 * The text an expression evaluates to as far as the code shows it: literals, constants (also
 * imported), templates, `+`, `path.join`. What is computed at run time stays as `{expression}`;
 * `process.env.X` becomes `$X`.
 */
export function staticText(expr: ts.Expression, ctx: DetectorContext, depth = 0): string {
  const e = unwrap(expr);
  if (depth > 5) return placeholder(e);
  if (ts.isStringLiteralLike(e)) return e.text;
  if (ts.isNumericLiteral(e)) return e.text;
  if (ts.isTemplateExpression(e)) {
    return e.head.text + e.templateSpans.map((s) => staticText(s.expression, ctx, depth + 1) + s.literal.text).join('');
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return staticText(e.left, ctx, depth + 1) + staticText(e.right, ctx, depth + 1);
  }
  if (ts.isBinaryExpression(e) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(e.operatorToken.kind)) {
    const right = staticText(e.right, ctx, depth + 1);
    return right.startsWith('{') ? staticText(e.left, ctx, depth + 1) : right;
  }
  const env = /^(?:process\.env|import\.meta\.env)\.([A-Za-z_]\w*)$/.exec(e.getText().replace(/\s+/g, ''));
  if (env) return `$${env[1]}`;
  if (ts.isCallExpression(e)) {
    const callee = e.expression.getText().replace(/\s+/g, '');
    const last = callee.split('.').slice(-2).join('.');
    if (JOINS.has(callee) || JOINS.has(last)) return e.arguments.map((a) => staticText(a, ctx, depth + 1)).join('/').replace(/\/{2,}/g, '/');
    return placeholder(e);
  }
  if (ts.isIdentifier(e) || (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.name))) {
    const id = ts.isIdentifier(e) ? e : (e.name as ts.Identifier);
    const binding = bindingOf(id, ctx);
    const init = binding?.initializer;
    if (init && isConstant(init)) return staticText(init, ctx, depth + 1);
  }
  return placeholder(e);
}

/** Only constants are worth following: a `let` reassigned later, a parameter, a call are run-time values. */
function isConstant(init: ts.Expression): boolean {
  const declaration = init.parent;
  if (ts.isVariableDeclaration(declaration)) {
    const list = declaration.parent;
    return ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0;
  }
  return ts.isPropertyDeclaration(declaration) || ts.isPropertyAssignment(declaration);
}

function placeholder(e: ts.Node): string {
  const text = e.getText().replace(/\s+/g, ' ');
  return `{${text.length > 30 ? text.slice(0, 27) + '...' : text}}`;
}
