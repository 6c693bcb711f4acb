import ts from 'typescript';
import type { DetectorContext } from '../detector.js';
import { unwrap } from '../syntax/ast.js';
import { isCodeConstant } from './constants.js';

/**
 * Is `value` named in a message because it matched none of the values the code expects? The
 * `default` of a `switch` over that very value whose cases are all constants of the code
 * (`case RESULTS.POSITIVE:`), or the branch of `if (!ALLOWED.includes(value))` over a constant
 * list: the message reports an unrecognised code (a misconfiguration of reference data), the
 * same for whoever the record is about, not what a person's record says.
 */
export function isUnrecognisedValue(value: ts.Expression, ctx: DetectorContext): boolean {
  const text = valueText(value);
  if (text === undefined) return false;
  for (let n: ts.Node = value; n.parent && !ts.isFunctionLike(n); n = n.parent) {
    const parent = n.parent;
    if (ts.isDefaultClause(n) && ts.isCaseBlock(parent) && ts.isSwitchStatement(parent.parent)) {
      const switched = parent.parent;
      const cases = parent.clauses.filter(ts.isCaseClause);
      if (
        valueText(switched.expression) === text &&
        cases.length > 0 &&
        cases.every((c) => isCodeConstant(c.expression, ctx))
      )
        return true;
    }
    if (ts.isIfStatement(parent) && parent.thenStatement === n && notInConstantList(parent.expression, text, ctx))
      return true;
  }
  return false;
}

/** `!LIST.includes(x)`, `LIST.indexOf(x) === -1` (or `< 0`) over a constant list. */
function notInConstantList(condition: ts.Expression, text: string, ctx: DetectorContext): boolean {
  const c = unwrap(condition);
  let call: ts.Expression | undefined;
  if (ts.isPrefixUnaryExpression(c) && c.operator === ts.SyntaxKind.ExclamationToken) call = unwrap(c.operand);
  else if (
    ts.isBinaryExpression(c) &&
    [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.LessThanToken].includes(
      c.operatorToken.kind,
    )
  ) {
    const right = unwrap(c.right);
    const minusOne =
      ts.isPrefixUnaryExpression(right) &&
      right.operator === ts.SyntaxKind.MinusToken &&
      ts.isNumericLiteral(right.operand) &&
      right.operand.text === '1';
    const zero = ts.isNumericLiteral(right) && right.text === '0';
    if (c.operatorToken.kind === ts.SyntaxKind.LessThanToken ? zero : minusOne) call = unwrap(c.left);
  }
  if (
    !call ||
    !ts.isCallExpression(call) ||
    !ts.isPropertyAccessExpression(call.expression) ||
    call.arguments.length !== 1
  )
    return false;
  const method = call.expression.name.text;
  const negated = ts.isPrefixUnaryExpression(c);
  if (negated ? method !== 'includes' && method !== 'has' : method !== 'indexOf') return false;
  return valueText(call.arguments[0]!) === text && isCodeConstant(constantListOf(call.expression.expression), ctx);
}

/** `Object.values(RESULTS)` is the constant object's values. */
function constantListOf(e: ts.Expression): ts.Expression {
  const u = unwrap(e);
  if (ts.isCallExpression(u) && u.arguments.length === 1 && /^Object\.(values|keys)$/.test(u.expression.getText()))
    return u.arguments[0]!;
  return u;
}

/** The value as written (`labTest.result`), looking through `String(x)` and `JSON.stringify(x)`; undefined for anything else. */
function valueText(e: ts.Expression): string | undefined {
  let u = unwrap(e);
  if (ts.isCallExpression(u) && u.arguments.length === 1 && /^(String|JSON\.stringify)$/.test(u.expression.getText()))
    u = unwrap(u.arguments[0]!);
  if (!ts.isIdentifier(u) && !ts.isPropertyAccessExpression(u) && !ts.isElementAccessExpression(u)) return undefined;
  return u.getText().replace(/\s+/g, '').replace(/\?\./g, '.');
}
