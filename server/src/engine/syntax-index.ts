import ts from 'typescript';

/**
 * One walk per parsed file, shared by every detector and collector: the nodes of each kind, in
 * document (pre-)order. A dozen separate `forEachChild` walks per file cost more than the parse.
 * Keyed by the SourceFile object, so a re-parse gets a fresh index and the old one is collected.
 */
interface SyntaxIndex {
  /** Every node in pre-order (what a recursive `forEachChild` walk visits, in its order). */
  nodes: ts.Node[];
  /** Positions in `nodes` of the nodes of each kind, ascending. */
  byKind: Map<ts.SyntaxKind, number[]>;
}

const indexes = new WeakMap<ts.SourceFile, SyntaxIndex>();

function indexOf(sf: ts.SourceFile): SyntaxIndex {
  let index = indexes.get(sf);
  if (index) return index;
  const nodes: ts.Node[] = [];
  const byKind = new Map<ts.SyntaxKind, number[]>();
  const visit = (node: ts.Node): void => {
    let positions = byKind.get(node.kind);
    if (!positions) byKind.set(node.kind, (positions = []));
    positions.push(nodes.length);
    nodes.push(node);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sf, visit);
  index = { nodes, byKind };
  indexes.set(sf, index);
  return index;
}

/** The nodes of the given kinds in `sf` (the file itself excluded), in the order a recursive walk meets them. */
export function nodesOfKind<T extends ts.Node = ts.Node>(sf: ts.SourceFile, ...kinds: ts.SyntaxKind[]): T[] {
  const { nodes, byKind } = indexOf(sf);
  const lists = kinds.map((k) => byKind.get(k)).filter((l): l is number[] => l !== undefined);
  if (lists.length === 0) return [];
  const positions = lists.length === 1 ? lists[0]! : lists.flat().sort((a, b) => a - b);
  return positions.map((i) => nodes[i] as T);
}

/** The call and `new` expressions of a file, outermost first. */
export function callsOf(sf: ts.SourceFile): Array<ts.CallExpression | ts.NewExpression> {
  return nodesOfKind(sf, ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression);
}
