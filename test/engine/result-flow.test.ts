import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { vocabularyOf } from '../../server/src/engine/pack.js';
import { exportSinkOf, rowFlowOf, type ExportSinks } from '../../server/src/engine/sql/result-flow.js';
import { testPack } from '../helpers.js';

const SINKS = vocabularyOf<ExportSinks>(testPack(), 'export-sinks');

/**
 * The row flow reads a per-scope index of names (built once, shared by every flow of the scope)
 * instead of walking the scope once per tainted name. These cases check that many flows sharing
 * one scope reach the same sinks as each flow alone, and that a file of thousands of queries has
 * the findings its shape says.
 */

/** Flows written with the suffix `i`, so that flows of one file do not share names. */
const FLOWS: { name: string; code: (i: number) => string; sink?: string }[] = [
  {
    name: 'a file write',
    code: (i) =>
      `const rows${i} = db.query('SELECT * FROM patients');\nwriteFile('/tmp/p${i}.csv', JSON.stringify(rows${i}));`,
    sink: 'file writeFile',
  },
  { name: 'rows only counted', code: (i) => `const r${i} = db.query('SELECT * FROM patients');\ncount(r${i}.length);` },
  {
    name: 'a carrier (workbook)',
    code: (i) =>
      `const wb${i} = new Workbook();\nconst sheet${i} = wb${i}.addWorksheet('p');\nconst list${i} = db.query('SELECT * FROM patients');\nsheet${i}.addRows(list${i});\nwb${i}.xlsx.writeFile('/tmp/p${i}.xlsx');`,
    sink: 'file wb${i}.xlsx.writeFile',
  },
  {
    name: 'a callback to a partner',
    code: (i) =>
      `db.query('SELECT * FROM patients', (err, data${i}) => {\n  axios.post('https://partner.example/${i}', data${i});\n});`,
    sink: 'http axios.post',
  },
  {
    name: 'a stream',
    code: (i) => `const s${i} = client.query(new QueryStream('SELECT * FROM patients'));\ns${i}.pipe(out${i});`,
    sink: 'stream s${i}.pipe',
  },
  {
    name: 'a returned value',
    code: (i) => `function read${i}() {\n  const v${i} = db.query('SELECT * FROM patients');\n  return v${i};\n}`,
  },
];

function parse(text: string): ts.SourceFile {
  return ts.createSourceFile('a.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

/** The string literals of the queries, in source order. */
function queries(source: ts.SourceFile): ts.StringLiteral[] {
  const out: ts.StringLiteral[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isStringLiteral(n) && n.text.startsWith('SELECT')) out.push(n);
    ts.forEachChild(n, visit);
  };
  visit(source);
  return out;
}

function sinkOf(start: ts.Node, source: ts.SourceFile): string | undefined {
  const sink = exportSinkOf(start, source, SINKS);
  return sink ? `${sink.kind} ${sink.name}` : undefined;
}

describe('row flows that share a scope', () => {
  it('finds for each flow of a shared scope the sink it finds alone', () => {
    const pieces: string[] = [];
    const expected: (string | undefined)[] = [];
    for (let i = 0; i < 40; i++) {
      const flow = FLOWS[i % FLOWS.length]!;
      pieces.push(flow.code(i));
      const alone = parse(flow.code(i));
      const [start] = queries(alone);
      expected.push(sinkOf(start!, alone));
      expect(expected.at(-1), `${flow.name} alone`).toBe(flow.sink?.replace('${i}', String(i)));
    }
    // The same flows at the top of one file (one scope), then inside one function.
    for (const text of [pieces.join('\n'), `export async function job() {\n${pieces.join('\n')}\n}`]) {
      const source = parse(text);
      expect(queries(source).map((q) => sinkOf(q, source))).toEqual(expected);
    }
  });

  it('keeps what the flow learns outside the sink (log, response, return) per flow', () => {
    const text = [
      "const a = db.query('SELECT * FROM patients');",
      'logger.info(a);',
      "const b = db.query('SELECT * FROM patients');",
      'res.json(b);',
      "const c = db.query('SELECT * FROM patients');",
      'export const d = () => c;',
    ].join('\n');
    const source = parse(text);
    const logCall = (call: ts.CallExpression) =>
      call.expression.getText(source) === 'logger.info' ? 'logger.info' : undefined;
    const flows = queries(source).map((q) => rowFlowOf(q, source, SINKS, { logCall, wholeRecords: true }));
    expect(flows.map((f) => [f.logged?.label, f.sent?.label, f.returned ? 'returned' : undefined])).toEqual([
      ['logger.info', undefined, undefined],
      [undefined, 'res.json', undefined],
      [undefined, undefined, 'returned'],
    ]);
  });

  it('follows every query of a file of thousands of constants, one sink among them', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `export const q${i} = 'SELECT * FROM patients';`);
    lines.push("writeFile('/tmp/all.csv', db.query(q4321));");
    const source = parse(lines.join('\n'));
    const sinks = queries(source)
      .map((q, i) => [i, sinkOf(q, source)] as const)
      .filter(([, s]) => s !== undefined);
    expect(sinks).toEqual([[4321, 'file writeFile']]);
  });
});
