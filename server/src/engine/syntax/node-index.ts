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
  const sf = ts.createSourceFile(fileName, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeInfo }, false, kind);
  buildIndex(sf, true);
  return sf;
}

type WithParent = { parent: ts.Node };

function buildIndex(sf: ts.SourceFile, setParents: boolean): SyntaxIndex {
  const nodes: ts.Node[] = [];
  const byKind = new Map<ts.SyntaxKind, ts.Node[]>();
  let parent: ts.Node = sf;
  const visit = (node: ts.Node): void => {
    if (setParents) {
      (node as unknown as WithParent).parent = parent;
      const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc;
      if (docs) for (const doc of docs) setParentsBelow(doc, node);
    }
    let ofKind = byKind.get(node.kind);
    if (!ofKind) byKind.set(node.kind, (ofKind = []));
    ofKind.push(node);
    nodes.push(node);
    const outer = parent;
    parent = node;
    ts.forEachChild(node, visit);
    parent = outer;
  };
  ts.forEachChild(sf, visit);
  const index: SyntaxIndex = { nodes, byKind, lists: new Map() };
  indexes.set(sf, index);
  return index;
}

/** Parent pointers inside a JSDoc comment (not indexed: no detector walks comments). */
function setParentsBelow(node: ts.Node, parent: ts.Node): void {
  (node as unknown as WithParent).parent = parent;
  ts.forEachChild(node, (child) => setParentsBelow(child, node));
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
