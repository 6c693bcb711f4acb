import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { callsOf, nodesOfKind, parseIndexed } from '../../server/src/engine/syntax/node-index.js';

const K = ts.SyntaxKind;

/** What the detectors did before the index: a recursive walk keeping the nodes of some kinds. */
function walk(sf: ts.SourceFile, kinds: ts.SyntaxKind[]): ts.Node[] {
  const out: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (kinds.includes(node.kind)) out.push(node);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sf, visit);
  return out;
}

const parse = (text: string, name = 'f.tsx') => ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);

describe('syntax index', () => {
  const source = parse(`
    import { logger } from './log';
    const q = 'SELECT * FROM patients';
    export async function load(db: Db, id: string) {
      const rows = await db.query(q, [id]);
      logger.info(rows.map((r) => r.diagnostic).filter(Boolean));
      if (!rows.length) throw new Error(\`none for \${id}\`);
      return new Response(JSON.stringify(f()()), { status: 200 });
    }
    class A { m() { return [1, 2n, 'x'].map(String); } }
    const el = <Panel onClick={() => track('click', { id })}>{'text'}</Panel>;
  `);

  it('gives the nodes of several kinds in the order a recursive walk meets them', () => {
    const kinds = [K.CallExpression, K.NewExpression, K.ThrowStatement];
    const indexed = nodesOfKind(source, ...kinds);
    expect(indexed).toEqual(walk(source, kinds));
    expect(indexed.length).toBeGreaterThan(8);
    // Nested calls with the same start (`f()()`): the outer one comes first, as in a walk.
    const outer = indexed.findIndex((n) => n.getText(source) === 'f()()');
    expect(indexed[outer + 1]!.getText(source)).toBe('f()');
  });

  it("matches the walk for every kind on the engine's own sources", () => {
    const file = new URL('../../server/src/engine/sinks/third-party.ts', import.meta.url);
    const sf = parse(readFileSync(file, 'utf8'), 'third-party.ts');
    for (const kinds of [
      [
        K.StringLiteral,
        K.NoSubstitutionTemplateLiteral,
        K.TemplateHead,
        K.TemplateMiddle,
        K.TemplateTail,
        K.NumericLiteral,
      ],
      [K.Identifier],
      [K.ClassDeclaration, K.CallExpression],
      [K.VariableDeclarationList, K.FunctionDeclaration],
    ]) {
      expect(nodesOfKind(sf, ...kinds)).toEqual(walk(sf, kinds));
    }
  });

  it('is built per parse: a new SourceFile for new text is indexed afresh', () => {
    const before = parse('a(); b();');
    const after = ts.updateSourceFile(before, 'a(); b(); c();', ts.createTextChangeRange(ts.createTextSpan(9, 0), 5));
    expect(callsOf(before).map((n) => n.getText(before))).toEqual(['a()', 'b()']);
    expect(callsOf(after).map((n) => n.getText(after))).toEqual(['a()', 'b()', 'c()']);
  });

  it('returns nothing for kinds the file lacks', () => {
    expect(nodesOfKind(parse('const a = 1;'), K.TaggedTemplateExpression)).toEqual([]);
  });

  const sameTree = (name: string, text: string, kind: ts.ScriptKind): number => {
    const ours = parseIndexed(name, text, kind);
    const theirs = ts.createSourceFile(
      name,
      text,
      { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeInfo },
      true,
      kind,
    );
    let compared = 0;
    const same = (a: ts.Node, b: ts.Node): void => {
      expect([a.kind, a.pos, a.parent?.kind, a.parent?.pos]).toEqual([b.kind, b.pos, b.parent?.kind, b.parent?.pos]);
      compared++;
      const docsA = (a as { jsDoc?: ts.Node[] }).jsDoc ?? [];
      const docsB = (b as { jsDoc?: ts.Node[] }).jsDoc ?? [];
      docsA.forEach((d, i) => same(d, docsB[i]!));
      const kidsA: ts.Node[] = [];
      const kidsB: ts.Node[] = [];
      ts.forEachChild(a, (c) => void kidsA.push(c));
      ts.forEachChild(b, (c) => void kidsB.push(c));
      expect(kidsA.length).toBe(kidsB.length);
      kidsA.forEach((c, i) => same(c, kidsB[i]!));
    };
    same(ours, theirs);
    return compared;
  };

  it('parses with the parent pointers the parser would set, in the indexing walk', () => {
    const text = readFileSync(new URL('../../server/src/engine/names/lexical.ts', import.meta.url), 'utf8');
    expect(sameTree('lexical.ts', text, ts.ScriptKind.TS)).toBeGreaterThan(2000);
    // The index is ready: no second walk.
    expect(
      nodesOfKind(parseIndexed('lexical.ts', text, ts.ScriptKind.TS), K.FunctionDeclaration).length,
    ).toBeGreaterThan(5);
  });

  it('keeps JSDoc in JavaScript files (the checker reads types there), with its parents, and skips it in TypeScript', () => {
    const js =
      '/** @param {{ diagnostic: string }} r @returns {string} */\nfunction lire(r) { return r.diagnostic; }\n';
    expect(sameTree('lire.js', js, ts.ScriptKind.JS)).toBeGreaterThan(10);
    const fn = parseIndexed('lire.js', js, ts.ScriptKind.JS).statements[0]!;
    const doc = (fn as { jsDoc?: ts.JSDoc[] }).jsDoc?.[0];
    expect(doc?.parent).toBe(fn);
    expect(doc?.tags?.[0]?.parent).toBe(doc);
    expect(
      (parseIndexed('lire.ts', js, ts.ScriptKind.TS).statements[0] as { jsDoc?: ts.JSDoc[] }).jsDoc,
    ).toBeUndefined();
  });
});
