import ts from 'typescript';
import type { DetectorContext } from '../detector.js';
import { importTarget, lexicalDeclaration, importMayResolve } from '../names/lexical.js';
import { TsProject } from '../ts-project.js';
import { nodesOfKind } from '../syntax/node-index.js';

/**
 * Whether the checker would type `expr` as `any`, decided from syntax alone: a value reached from
 * an import of an unresolvable package (`pg`, `node:fs` without their types) through calls,
 * property reads, `await`, unannotated `const`s, destructuring and `for...of`. `false` means "not
 * proven", never "not any". Lets the type questions about such values skip creating a checker.
 */
export function provablyAny(expr: ts.Expression, ctx: DetectorContext, depth = 0): boolean {
  if (depth > 12) return false;
  const e = expr;
  if (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAwaitExpression(e))
    return provablyAny(e.expression, ctx, depth + 1);
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e))
    return !narrowed(e, ctx, depth) && provablyAny(e.expression, ctx, depth + 1);
  if (ts.isCallExpression(e) || ts.isNewExpression(e)) return provablyAny(e.expression, ctx, depth + 1);
  if (!ts.isIdentifier(e) || narrowed(e, ctx, depth)) return false;
  const declaration = lexicalDeclaration(e, ctx, true);
  return !!declaration && declaredAny(declaration, ctx, depth + 1);
}

function declaredAny(d: ts.Declaration, ctx: DetectorContext, depth: number): boolean {
  // A JavaScript file's JSDoc (`@type`) gives types the syntax walk does not see.
  if (/\.[cm]?jsx?$/i.test(d.getSourceFile().fileName)) return false;
  if (ts.isImportSpecifier(d) || ts.isImportClause(d) || ts.isNamespaceImport(d)) {
    const statement = ts.isImportSpecifier(d)
      ? d.parent.parent.parent
      : ts.isImportClause(d)
        ? d.parent
        : d.parent.parent;
    const specifier = ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
    if (!specifier) return false;
    if (!importMayResolve(specifier, d.getSourceFile(), ctx)) return true;
    if (!ts.isImportSpecifier(d)) return false;
    const target = importTarget(specifier, (d.propertyName ?? d.name).text, d.getSourceFile(), ctx);
    return !!target && ts.isVariableDeclaration(target) && declaredAny(target, ctx, depth + 1);
  }
  if (ts.isVariableDeclaration(d)) {
    if (d.type || !isConst(d.parent)) return false;
    const list = d.parent;
    if (ts.isForOfStatement(list.parent))
      return !d.initializer && !list.parent.awaitModifier && provablyAny(list.parent.expression, ctx, depth + 1);
    return !!d.initializer && ts.isIdentifier(d.name) && provablyAny(d.initializer, ctx, depth + 1);
  }
  if (ts.isParameter(d)) {
    // `app.get(path, (req, res) => ...)` with an `any` app: a callback of an untyped call is not contextually typed.
    if (d.type || d.initializer || d.dotDotDotToken || !ts.isIdentifier(d.name)) return false;
    const fn = d.parent;
    if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false;
    let arg: ts.Node = fn;
    while (ts.isParenthesizedExpression(arg.parent)) arg = arg.parent;
    const call = arg.parent;
    return (
      (ts.isCallExpression(call) || ts.isNewExpression(call)) &&
      !!call.arguments?.some((a) => a === arg) &&
      provablyAny(call.expression, ctx, depth + 1)
    );
  }
  if (ts.isBindingElement(d)) {
    if (d.initializer || d.dotDotDotToken) return false;
    const pattern = d.parent;
    if (!ts.isObjectBindingPattern(pattern)) return false;
    const owner = pattern.parent;
    if (!ts.isVariableDeclaration(owner) || owner.type || !isConst(owner.parent)) return false;
    const list = owner.parent;
    if (ts.isForOfStatement(list.parent))
      return !list.parent.awaitModifier && provablyAny(list.parent.expression, ctx, depth + 1);
    return !!owner.initializer && provablyAny(owner.initializer, ctx, depth + 1);
  }
  return false;
}

function isConst(node: ts.Node): boolean {
  return ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.Const) !== 0;
}

/**
 * Whether a reference could be narrowed (which turns an `any` into a type): its root name is
 * somewhere in its file the operand of `typeof`, `instanceof`, `in`, an assignment, or the
 * argument of a call (a type guard or an assertion function: not when the callee is itself an
 * `any`, which has no type predicate). Equality never narrows an `any`.
 */
function narrowed(e: ts.Expression, ctx: DetectorContext, depth: number): boolean {
  let root: ts.Expression = e;
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = root.expression;
  if (!ts.isIdentifier(root)) return true;
  const sf = root.getSourceFile();
  const names = ctx.project.memo(TsProject.relativePath(sf.fileName), 'flow:narrowed', () => narrowedNames(sf));
  if (names.always.has(root.text)) return true;
  return names.asArgument.get(root.text)?.some((callee) => !provablyAny(callee, ctx, depth + 1)) ?? false;
}

interface NarrowedNames {
  always: Set<string>;
  /** Names passed to calls, with the callees they were passed to. */
  asArgument: Map<string, ts.Expression[]>;
}

function narrowedNames(sf: ts.SourceFile): NarrowedNames {
  const out = new Set<string>();
  const asArgument = new Map<string, ts.Expression[]>();
  for (const node of nodesOfKind(sf, ts.SyntaxKind.Identifier)) {
    if (ts.isIdentifier(node)) {
      let top: ts.Node = node;
      while (
        (ts.isPropertyAccessExpression(top.parent) ||
          ts.isElementAccessExpression(top.parent) ||
          ts.isParenthesizedExpression(top.parent) ||
          ts.isNonNullExpression(top.parent)) &&
        (top.parent as { expression: ts.Node }).expression === top
      )
        top = top.parent;
      const p = top.parent;
      if (p && (ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.some((a) => a === top)) {
        const callees = asArgument.get(node.text);
        if (callees) callees.push(p.expression);
        else asArgument.set(node.text, [p.expression]);
      } else if (
        p &&
        (ts.isTypeOfExpression(p) ||
          (ts.isBinaryExpression(p) && NARROWING.has(p.operatorToken.kind)) ||
          (ts.isPrefixUnaryExpression(p) && p.operator !== ts.SyntaxKind.ExclamationToken) ||
          ts.isPostfixUnaryExpression(p) ||
          ts.isCaseClause(p) ||
          ts.isSwitchStatement(p))
      )
        out.add(node.text);
    }
  }
  return { always: out, asArgument };
}

const NARROWING = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.InstanceOfKeyword,
  ts.SyntaxKind.InKeyword,
  ts.SyntaxKind.EqualsToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
  ts.SyntaxKind.PlusEqualsToken,
  ts.SyntaxKind.MinusEqualsToken,
]);
