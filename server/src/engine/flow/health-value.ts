import ts from 'typescript';
import type { DetectorContext } from '../detector.js';
import { classifierFor, type Category } from '../vocabulary/classify.js';

/** Why an expression is taken to carry health data. */
export interface HealthEvidence {
  category: Category;
  /** e.g. `matched "diagnostic" -> health-condition (fr) via result.diagnostic` */
  why: string;
  /** The access path that carries it, e.g. `result.diagnosis`. */
  path?: string;
  /** Where the sensitive field is declared, when known (for relatedInformation). */
  declared?: { file: string; start: number; end: number };
}

/**
 * Does `expression` carry special-category data (health, lab result, genetic... or a national
 * health identifier)? Initial, name-based version: identifiers and property names inside the
 * expression are classified. To be replaced by the type-aware, flow-aware version.
 */
export function healthDataIn(expression: ts.Expression, context: DetectorContext): HealthEvidence | undefined {
  const classifier = classifierFor(context.config);
  let found: HealthEvidence | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) {
      const c = classifier.classify(node.text);
      if (c?.special) found = { category: c.category, why: `${c.why} via ${node.text}`, path: node.text };
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return found;
}
