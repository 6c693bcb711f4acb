import ts from 'typescript';
import type { Detector, DetectorContext } from '../detector.js';
import { healthDataIn } from '../flow/health-value.js';
import type { RuleMeta } from '../pack.js';
import { calleeMatcher, matchList, ruleMessage } from './match.js';
import { dottedName, unwrap } from '../syntax/ast.js';
import { nodesOfKind } from '../syntax/node-index.js';

/**
 * A sink rule: calls matching `kafkaProducer.send`, `auditTrail.push`, `*.sendORU` must not
 * receive health data (the engine's health-value analysis decides) unless the value goes
 * through one of the named sanitizers (or the team's `redaction.functions`).
 */
export function sinkRule(rule: RuleMeta): Detector {
  const isSink = calleeMatcher(matchList(rule, 'calls'));
  const sanitizers = matchList(rule, 'sanitizers');
  const positions = ((rule.match as { arguments?: number[] } | undefined)?.arguments ?? []).filter((n) =>
    Number.isInteger(n),
  );
  return {
    ruleId: rule.id,
    languages: ['typescript', 'javascript'],
    check(ctx) {
      const source = ctx.file.ts;
      if (!source) return;
      const isSanitizer = calleeMatcher([...sanitizers, ...(ctx.config.redaction?.functions ?? [])]);
      for (const node of nodesOfKind(source, ts.SyntaxKind.CallExpression)) {
        ctx.tick();
        if (ts.isCallExpression(node)) {
          const callee = dottedName(node.expression);
          if (isSink(callee)) {
            node.arguments.forEach((arg, i) => {
              if (positions.length === 0 || positions.includes(i)) checkValue(arg, callee, ctx, rule, isSanitizer);
            });
          }
        }
      }
    },
  };
}

/** Reports the parts of a value that carry health data and are not sanitised: object properties and array items one by one. */
function checkValue(
  value: ts.Expression,
  callee: string,
  ctx: DetectorContext,
  rule: RuleMeta,
  isSanitizer: (name: string) => boolean,
): void {
  const node = unwrap(value);
  if (ts.isCallExpression(node) && isSanitizer(dottedName(node.expression))) return;
  if (ts.isObjectLiteralExpression(node)) {
    for (const property of node.properties) {
      if (ts.isPropertyAssignment(property)) checkValue(property.initializer, callee, ctx, rule, isSanitizer);
      else if (ts.isShorthandPropertyAssignment(property)) checkValue(property.name, callee, ctx, rule, isSanitizer);
      else if (ts.isSpreadAssignment(property)) checkValue(property.expression, callee, ctx, rule, isSanitizer);
    }
    return;
  }
  if (ts.isArrayLiteralExpression(node)) {
    for (const element of node.elements)
      checkValue(ts.isSpreadElement(element) ? element.expression : element, callee, ctx, rule, isSanitizer);
    return;
  }
  if (ts.isSpreadElement(node)) return checkValue(node.expression, callee, ctx, rule, isSanitizer);
  const parts = containsSanitizedCall(node, isSanitizer) ? unsanitizedValues(node, isSanitizer) : [node];
  const evidence = parts.map((part) => healthDataIn(part, ctx)).find((e) => e !== undefined);
  if (!evidence) return;
  ctx.report({
    range: { start: value.getStart(ctx.file.ts), end: value.getEnd() },
    message: ruleMessage(rule, `${callee} receives ${evidence.path ?? 'a value'}: ${evidence.why}`),
    ...(evidence.declared
      ? {
          related: [
            {
              file: evidence.declared.file,
              range: { start: evidence.declared.start, end: evidence.declared.end },
              message: 'declared as health data here',
            },
          ],
        }
      : {}),
    data: { sink: callee, category: evidence.category },
  });
}

/** `JSON.stringify(redactPhi(result))`: the health data only reaches the sink through a sanitizer. */
function containsSanitizedCall(node: ts.Node, isSanitizer: (name: string) => boolean): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && isSanitizer(dottedName(n.expression))) {
      found = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/** The values read outside sanitizer calls: `fmt(redact(r), r.diagnosis)` -> `r.diagnosis` (and `fmt`). */
function unsanitizedValues(node: ts.Node, isSanitizer: (name: string) => boolean): ts.Expression[] {
  const values: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && isSanitizer(dottedName(n.expression))) return;
    if (ts.isIdentifier(n) || ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) {
      values.push(n);
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return values;
}
