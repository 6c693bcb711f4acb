import ts from 'typescript';
import type { DetectorContext } from '../detector.js';
import { resolveName } from '../names/top-level.js';
import { lexicalDeclaration } from '../names/lexical.js';
import { bindingOf } from '../names/binding.js';
import { unwrap } from '../syntax/ast.js';

const JOINS = new Set(['join', 'resolve', 'posix.join', 'path.join', 'path.resolve', 'path.posix.join']);

/**
 * The text an expression evaluates to as far as the code shows it: literals, constants (also
 * imported), templates, `+`, `path.join`. What is computed at run time stays as `{expression}`;
 * `process.env.X` becomes `$X`.
 */
export function staticText(expr: ts.Expression, ctx: DetectorContext, depth = 0, syntactic = false): string {
  const e = unwrap(expr);
  if (depth > 5) return placeholder(e);
  const text = (x: ts.Expression) => staticText(x, ctx, depth + 1, syntactic);
  if (ts.isStringLiteralLike(e)) return e.text;
  if (ts.isNumericLiteral(e)) return e.text;
  if (ts.isTemplateExpression(e)) {
    return e.head.text + e.templateSpans.map((s) => text(s.expression) + s.literal.text).join('');
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return text(e.left) + text(e.right);
  }
  if (
    ts.isBinaryExpression(e) &&
    [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(e.operatorToken.kind)
  ) {
    const right = text(e.right);
    return right.startsWith('{') ? text(e.left) : right;
  }
  const env = /^(?:process\.env|import\.meta\.env)\.([A-Za-z_]\w*)$/.exec(e.getText().replace(/\s+/g, ''));
  if (env) return `$${env[1]}`;
  if (ts.isCallExpression(e)) {
    const callee = e.expression.getText().replace(/\s+/g, '');
    const last = callee.split('.').slice(-2).join('.');
    if (JOINS.has(callee) || JOINS.has(last))
      return e.arguments
        .map(text)
        .join('/')
        .replace(/\/{2,}/g, '/');
    return placeholder(e);
  }
  if (syntactic) {
    const init = ts.isIdentifier(e) ? syntacticInitializer(e, ctx) : undefined;
    return init ? text(init) : placeholder(e);
  }
  if (ts.isIdentifier(e) || (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.name))) {
    const id = ts.isIdentifier(e) ? e : (e.name as ts.Identifier);
    const binding = bindingOf(id, ctx);
    const init = binding?.initializer;
    if (init && isConstant(init)) return staticText(init, ctx, depth + 1);
    // `CONFIG.API_URL` of a constant object (`export const CONFIG = { API_URL: 'http://...' } as const`).
    const member = ts.isPropertyAccessExpression(e) ? constantMember(e, ctx) : undefined;
    if (member) return staticText(member, ctx, depth + 1);
  }
  return placeholder(e);
}

/**
 * The initializer of a constant, found without the type checker: a `const` of an enclosing scope,
 * or a top-level one of this file or of a project file it imports (relative imports). For the
 * project indexes, which are built for every file and must not create a Program.
 */
function syntacticInitializer(id: ts.Identifier, ctx: DetectorContext): ts.Expression | undefined {
  const declaration = lexicalDeclaration(id, ctx, true);
  if (declaration && ts.isVariableDeclaration(declaration))
    return declaration.initializer && isConstant(declaration.initializer) ? declaration.initializer : undefined;
  if (declaration === null || (declaration && !ts.isImportSpecifier(declaration) && !ts.isImportClause(declaration)))
    return undefined;
  const found = resolveName(id.text, id.getSourceFile(), ctx.project);
  const node = found?.node;
  return node && ts.isExpression(node) && isConstant(node) ? node : undefined;
}

/** The value of `OBJ.KEY` when `OBJ` is a constant object literal (in this file or a project file it imports). */
function constantMember(e: ts.PropertyAccessExpression, ctx: DetectorContext): ts.Expression | undefined {
  const holder = unwrap(e.expression);
  if (!ts.isIdentifier(holder)) return undefined;
  const init = bindingOf(holder, ctx)?.initializer;
  const object = init && isConstant(init) ? unwrap(init) : undefined;
  if (!object || !ts.isObjectLiteralExpression(object)) return undefined;
  for (const p of object.properties) {
    if (
      ts.isPropertyAssignment(p) &&
      (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
      p.name.text === e.name.text
    )
      return p.initializer;
  }
  return undefined;
}

/** Only constants are worth following: a `let` reassigned later, a parameter, a call are run-time values. */
function isConstant(init: ts.Expression): boolean {
  let declaration = init.parent;
  // `{ ... } as const`, `(x)`, `x satisfies T`: the declaration is above the wrappers.
  while (
    ts.isAsExpression(declaration) ||
    ts.isParenthesizedExpression(declaration) ||
    ts.isSatisfiesExpression(declaration) ||
    ts.isTypeAssertionExpression(declaration)
  )
    declaration = declaration.parent;
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
