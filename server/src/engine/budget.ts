import ts from 'typescript';
import type { DetectorContext } from './detector.js';

/** Thrown by `DetectorContext.tick()` when the file's work budget is spent. */
export class AnalysisTimeout extends Error {}

/**
 * Lets the end of a file's budget through a `catch` that turns a failure into "unknown" (a
 * checker that cannot type a node): the analysis of the file must stop there, not go on.
 */
export function rethrowTimeout(error: unknown): void {
  if (error instanceof AnalysisTimeout) throw error;
}

/**
 * The type checker, for a question about `node`, charged to the file's work: the checker follows
 * the control flow back from the node to the start of its function, so a question asked in the
 * 40,000th statement of a function costs about 40,000 steps (1 unit per 16 statements before it).
 */
export function typeChecker(ctx: DetectorContext, node: ts.Node): ts.TypeChecker {
  ctx.tick(1 + (statementsBefore(node) >> 4));
  return ctx.project.ts.checker();
}

/** The statements before `node` in its blocks, up to its function (or file). */
function statementsBefore(node: ts.Node): number {
  let count = 0;
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    const statements =
      ts.isSourceFile(parent) ||
      ts.isBlock(parent) ||
      ts.isModuleBlock(parent) ||
      ts.isCaseClause(parent) ||
      ts.isDefaultClause(parent)
        ? parent.statements
        : undefined;
    if (statements) count += indexByPosition(statements, child.pos);
    if (ts.isFunctionLike(parent)) break;
  }
  return count;
}

/** How many statements start before `pos` (statements are in document order). */
function indexByPosition(statements: ts.NodeArray<ts.Statement>, pos: number): number {
  let low = 0;
  let high = statements.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (statements[mid]!.pos < pos) low = mid + 1;
    else high = mid;
  }
  return low;
}
