import ts from 'typescript';
import { rethrowTimeout, typeChecker } from '../budget.js';
import type { Detector, DetectorContext } from '../detector.js';
import { describeEvidence, slotFixes } from '../sinks/fixes.js';
import { logSinkOf, redactCovers, type LogSink } from '../sinks/loggers.js';
import { healthSlots, type HealthSlot } from '../sinks/payload.js';
import { sinkRange } from '../sinks/range.js';
import { unwrap } from '../syntax/ast.js';
import { localDeclarationOf } from '../names/locals.js';
import { nodesOfKind } from '../syntax/node-index.js';
import { consoleKept } from '../sinks/runtime.js';
import { isUnrecognisedValue } from '../flow/unrecognised-value.js';
import { inFunctionNeverCalled } from '../names/references.js';
import { notRunInProduction } from '../production.js';

const RULE = 'health-data-in-logs';

/**
 * Health data reaching console.*, logging libraries (pino, winston, bunyan, log4js, debug,
 * NestJS Logger, any conventionally named logger) or error messages. pino `redact` paths,
 * masking formats and redaction helpers are honoured; ids, counts, barcodes and statuses are fine.
 */
export const healthDataInLogs: Detector = {
  ruleId: RULE,
  languages: ['typescript', 'javascript'],
  check(ctx) {
    const source = ctx.file.ts;
    if (!source || notRunInProduction(ctx.project, ctx.file.path)) return;
    for (const node of nodesOfKind(
      source,
      ts.SyntaxKind.CallExpression,
      ts.SyntaxKind.NewExpression,
      ts.SyntaxKind.ThrowStatement,
    )) {
      ctx.tick();
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        const sink = logSinkOf(node, ctx);
        if (sink && !sink.masked) checkSink(ctx, sink, sink.args, node);
      } else if (
        ts.isThrowStatement(node) &&
        node.expression &&
        !ts.isNewExpression(unwrap(node.expression)) &&
        !isErrorObject(node.expression, ctx)
      ) {
        checkSink(ctx, { kind: 'error', label: 'throw', args: [node.expression] }, [node.expression], node);
      }
    }
  },
};

function checkSink(ctx: DetectorContext, sink: LogSink, args: readonly ts.Expression[], call: ts.Node): void {
  const slots = args
    .flatMap((arg) => {
      const isObject = ts.isObjectLiteralExpression(unwrap(arg));
      return healthSlots(arg, ctx).filter(
        (slot) => !(sink.redactPaths && isObject && !slot.inString && redacted(sink.redactPaths, slot)),
      );
    })
    .filter((slot) => !isErrorConstruction(slot.expr) && !isUnrecognisedValue(slot.expr, ctx));
  const first = slots[0];
  if (!first) return;
  // Asked only here: knowing where a file runs reads the project's imports.
  if (sink.kind === 'console' && !consoleKept(ctx)) return;
  // Code that never runs writes no log (asked last: it reads the project's texts).
  if (inFunctionNeverCalled(call, ctx)) return;
  const more = slots.length > 1 ? ` (and ${slots.length - 1} more value${slots.length > 2 ? 's' : ''})` : '';
  const range = sinkRange(call, first.expr, ctx.file.ts!);
  ctx.report({
    range,
    messageId: sink.kind === 'error' ? 'error-message' : 'log',
    args: { sink: sink.label, evidence: describeEvidence(first.evidence), more },
    fixes: slotFixes(first, ctx, RULE, range),
    data: {
      sink: sink.label,
      category: first.evidence.category,
      ...(first.evidence.path ? { path: first.evidence.path } : {}),
    },
    ...(first.evidence.declared
      ? {
          related: [
            {
              file: first.evidence.declared.file,
              range: { start: first.evidence.declared.start, end: first.evidence.declared.end },
              message: 'declared here',
            },
          ],
        }
      : {}),
  });
}

function isWholeValue(slot: HealthSlot): boolean {
  const e = unwrap(slot.expr);
  return ts.isIdentifier(e) || ts.isElementAccessExpression(e) || ts.isCallExpression(e);
}

/**
 * Does `redact` mask this slot? A whole object is masked when the paths reach the field that
 * makes it health data (`*.valeur` for a result whose `valeur` was found), not any field:
 * `*.nhsNumber` leaves a result's value in clear.
 */
function redacted(paths: readonly string[][], slot: HealthSlot): boolean {
  if (!isWholeValue(slot)) return redactCovers(paths, slot.keyPath, false);
  if (redactCovers(paths, slot.keyPath, false)) return true;
  const field = slot.evidence.path?.split('.').pop();
  return field !== undefined && /^[\w$]+$/.test(field) && redactCovers(paths, [...slot.keyPath, field], false);
}

/**
 * `throw err` in a catch block, `throw normalizeError(err)`: an error object made elsewhere is
 * rethrown; its message was judged where it was built (`new OperationOutcomeError(...)`).
 */
function isErrorObject(expr: ts.Expression, ctx: DetectorContext): boolean {
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) {
    const d = localDeclarationOf(e);
    if (d && ts.isVariableDeclaration(d) && ts.isCatchClause(d.parent)) return true;
  }
  if (ctx.options['typeAware'] === false) return false;
  try {
    const checker = typeChecker(ctx, e);
    return errorType(checker.getTypeAtLocation(e), checker, 0);
  } catch (error) {
    rethrowTimeout(error);
    return false;
  }
}

function errorType(type: ts.Type, checker: ts.TypeChecker, depth: number): boolean {
  if (depth > 5) return false;
  if (type.isUnion()) {
    const values = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
    return values.length > 0 && values.every((t) => errorType(t, checker, depth + 1));
  }
  const symbol = type.getSymbol();
  if (!symbol) return false;
  if (/(Error|Exception)$/.test(symbol.name)) return true;
  return (type.isClassOrInterface() ? checker.getBaseTypes(type) : []).some((b) => errorType(b, checker, depth + 1));
}

/** `logger.error(new Error(...))`: the error's own message is reported once, at the `new`. */
function isErrorConstruction(expr: ts.Expression): boolean {
  const e = unwrap(expr);
  return ts.isNewExpression(e) && /(Error|Exception)$/.test(e.expression.getText());
}
