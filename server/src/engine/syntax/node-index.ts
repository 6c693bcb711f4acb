import ts from 'typescript';

/**
 * One walk per parsed file, shared by every detector and collector: the nodes of each kind, in
 * document (pre-)order. A dozen separate `forEachChild` walks per file cost more than the parse.
 * Keyed by the SourceFile object, so a re-parse gets a fresh index and the old one is collected.
 */
interface SyntaxIndex {
  /** Every node in pre-order (what a recursive `forEachChild` walk visits, in its order). */
  nodes: ts.Node[];
  /** The nodes of each kind, in that order. */
  byKind: Map<ts.SyntaxKind, ts.Node[]>;
  /** Lists of several kinds already asked for, by their kinds. */
  lists: Map<string, ts.Node[]>;
  /** How deeply the file's nodes nest (a top-level statement is 1). */
  depth: number;
}

const indexes = new WeakMap<ts.SourceFile, SyntaxIndex>();

function indexOf(sf: ts.SourceFile): SyntaxIndex {
  return indexes.get(sf) ?? buildIndex(sf, false);
}

/**
 * Parses a file and sets its parent pointers in the same walk that indexes it: the parser's own
 * `setParentNodes` pass would be a second walk of every node. JSDoc is parsed in JavaScript files
 * only (where the checker reads types from it): no detector reads a TypeScript file's JSDoc.
 */
export function parseIndexed(fileName: string, text: string, kind: ts.ScriptKind): ts.SourceFile {
  const sf = ts.createSourceFile(
    fileName,
    text,
    { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeInfo },
    false,
    kind,
  );
  buildIndex(sf, true);
  return sf;
}

type WithParent = { parent: ts.Node };

function buildIndex(sf: ts.SourceFile, setParents: boolean): SyntaxIndex {
  const nodes: ts.Node[] = [];
  const byKind = new Map<ts.SyntaxKind, ts.Node[]>();
  // An explicit stack, not recursion: a 3,000-term concatenation is 3,000 levels deep.
  const stack: ts.Node[] = [];
  const children: ts.Node[] = [];
  const collect = (child: ts.Node): void => {
    children.push(child);
  };
  const push = (parent: ts.Node): void => {
    ts.forEachChild(parent, collect);
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i]!;
      if (setParents) (child as unknown as WithParent).parent = parent;
      stack.push(child);
    }
    children.length = 0;
  };
  let depth = 0;
  const depths: number[] = [];
  push(sf);
  for (let i = 0; i < stack.length; i++) depths.push(1);
  while (stack.length > 0) {
    const node = stack.pop()!;
    const level = depths.pop()!;
    if (level > depth) depth = level;
    if (setParents) {
      const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc;
      if (docs) for (const doc of docs) setParentsBelow(doc, node);
    }
    let ofKind = byKind.get(node.kind);
    if (!ofKind) byKind.set(node.kind, (ofKind = []));
    ofKind.push(node);
    nodes.push(node);
    const before = stack.length;
    push(node);
    for (let i = before; i < stack.length; i++) depths.push(level + 1);
  }
  const index: SyntaxIndex = { nodes, byKind, lists: new Map(), depth };
  indexes.set(sf, index);
  return index;
}

/** Parent pointers inside a JSDoc comment (not indexed: no detector walks comments). */
function setParentsBelow(node: ts.Node, parent: ts.Node): void {
  (node as unknown as WithParent).parent = parent;
  ts.forEachChild(node, (child) => setParentsBelow(child, node));
}

/** How deeply the nodes of `sf` nest (a top-level statement is 1). */
export function nestingDepth(sf: ts.SourceFile): number {
  return indexOf(sf).depth;
}

/** The nodes of the given kinds in `sf` (the file itself excluded), in the order a recursive walk meets them. Shared: do not modify. */
export function nodesOfKind<T extends ts.Node = ts.Node>(sf: ts.SourceFile, ...kinds: ts.SyntaxKind[]): readonly T[] {
  const { nodes, byKind, lists } = indexOf(sf);
  if (kinds.length === 1) return (byKind.get(kinds[0]!) ?? NONE) as T[];
  const key = kinds.join(',');
  let list = lists.get(key);
  if (!list) {
    // One pass over the walk keeps its order without sorting.
    const wanted = new Set(kinds);
    lists.set(key, (list = nodes.filter((n) => wanted.has(n.kind))));
  }
  return list as T[];
}

const NONE: readonly ts.Node[] = [];

/** The call and `new` expressions of a file, outermost first. */
export function callsOf(sf: ts.SourceFile): ReadonlyArray<ts.CallExpression | ts.NewExpression> {
  return nodesOfKind(sf, ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression);
}
