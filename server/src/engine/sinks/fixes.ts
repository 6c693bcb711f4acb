import ts from 'typescript';
import { rethrowTimeout, typeChecker } from '../budget.js';
import type { DetectorContext } from '../detector.js';
import type { HealthEvidence } from '../flow/health-value.js';
import type { Category } from '../vocabulary/classify.js';
import type { HealthSlot } from './payload.js';
import { unwrap } from '../syntax/ast.js';
import type { EngineConfig } from '../config.js';
import { suppressionFix } from '../suppressions.js';
import type { Fix, Range } from '../types.js';
import { provablyAny } from '../flow/any-type.js';
import { importFor } from '../edits/import-sources.js';

/** The team's redaction helper that quick fixes wrap values in (`config.redaction.functions[0]`). */
function redactionHelper(config: EngineConfig): string {
  return config.redaction?.functions?.[0] ?? 'redact';
}

/** What a finding says about the data: `lab result (r.valeur)`. */
export function describeEvidence(evidence: HealthEvidence): string {
  const label = CATEGORY_LABELS[evidence.category] ?? evidence.category;
  return evidence.path ? `${label} (\`${evidence.path}\`)` : label;
}

const CATEGORY_LABELS: Partial<Record<Category, string>> = {
  'health-condition': 'health condition',
  treatment: 'treatment',
  'lab-result': 'lab result',
  genetic: 'genetic data',
  biometric: 'biometric data',
  'art9-other': 'special-category data',
  'health-identifier': 'national health identifier',
};

/**
 * Fixes for one slot of a sink: log/send the object's id instead (when its type has an `id`),
 * wrap it in the team's redaction helper, or suppress with a justification.
 */
export function slotFixes(slot: HealthSlot, ctx: DetectorContext, ruleId: string, findingRange?: Range): Fix[] {
  const fixes: Fix[] = [];
  const source = ctx.file.ts!;
  const expr = slot.expr;
  const text = expr.getText(source);
  const shorthand = ts.isShorthandPropertyAssignment(expr.parent) ? expr.parent : undefined;
  const start = (shorthand ?? expr).getStart(source);
  const end = (shorthand ?? expr).end;
  const replace = (value: string) => (shorthand ? `${text}: ${value}` : value);
  const idAccess = idOf(expr, ctx);
  if (idAccess) {
    fixes.push({
      title: `Replace \`${text}\` by its id`,
      edits: [{ start, end, newText: replace(`{ id: ${text}${idAccess} }`) }],
      isPreferred: true,
    });
  }
  const helper = redactionHelper(ctx.config);
  // The helper comes with its import (where the project gets it), or the fix is not offered.
  // (`security.mask`: the object it hangs on; a glob names no function to call.)
  const imported = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(helper)
    ? importFor(ctx.project, ctx.file.path, helper.split('.')[0]!)
    : undefined;
  if (imported) {
    fixes.push({
      title: `Wrap \`${text}\` in ${helper}()`,
      edits: [{ start, end, newText: replace(`${helper}(${text})`) }, ...imported],
      ...(idAccess ? {} : { isPreferred: true }),
    });
  }
  fixes.push(suppressionFix(ctx.file, (findingRange ?? { start, end }).start, ruleId));
  return fixes;
}

/** `.id` or `?.id` when the value is a single object whose type has an `id`. */
function idOf(expr: ts.Expression, ctx: DetectorContext): string | undefined {
  const e = unwrap(expr);
  if (!ts.isIdentifier(e) && !ts.isPropertyAccessExpression(e) && !ts.isElementAccessExpression(e)) return undefined;
  // `any` has no `id` the checker could show: no need to create one.
  if (provablyAny(e, ctx)) return undefined;
  try {
    const checker = typeChecker(ctx, e);
    const type = checker.getTypeAtLocation(e);
    const nonNull = checker.getNonNullableType(type);
    if (checker.isArrayType(nonNull) || checker.isTupleType(nonNull)) return undefined;
    if (!nonNull.getProperty('id')) return undefined;
    return nonNull === type ? '.id' : '?.id';
  } catch (error) {
    rethrowTimeout(error);
    return undefined;
  }
}
