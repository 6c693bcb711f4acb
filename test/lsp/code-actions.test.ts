import { describe, expect, it } from 'vitest';
import type { CodeActionParams, Diagnostic } from 'vscode-languageserver';
import { applyEdits, LineIndex, Project, type Finding } from '../../server/src/engine/index.js';
import type { FileAnalysis } from '../../server/src/lsp/analyzer.js';
import { codeActions, FIX_ALL_KIND } from '../../server/src/lsp/code-actions.js';
import { findingKey, toDiagnostic, toOffset } from '../../server/src/lsp/convert.js';
import { findingsOf, testConfig, testPack } from '../helpers.js';
import { applyWorkspaceEdit } from './harness.js';

const URI = 'file:///ws/file';

/** A file's analysis with the given findings, as the server stores it. */
function analysed(path: string, text: string, findings: Finding[]) {
  const project = new Project(testConfig({ only: ['none'] }));
  project.setFile({ path, text });
  const view = project.file(path)!;
  const context = { pack: testPack(), uriOf: () => URI, linesOf: () => undefined };
  const analysis: FileAnalysis = {
    path,
    version: 3,
    text,
    lines: view.lines,
    findings,
    byKey: new Map(findings.map((f) => [findingKey(f), f])),
    diagnostics: findings.map((f) => toDiagnostic(f, view.lines, context)),
    resultId: '1',
  };
  return { view, analysis };
}

function finding(
  path: string,
  text: string,
  token: string,
  fix?: { newText: string; safe?: boolean; isPreferred?: boolean },
): Finding {
  const start = text.indexOf(token);
  const end = start + token.length;
  return {
    ruleId: 'select-star-export',
    severity: 'warning',
    message: 'm',
    file: path,
    range: { start, end },
    ...(fix
      ? {
          fixes: [
            {
              title: `use ${fix.newText}`,
              edits: [{ start, end, newText: fix.newText }],
              safe: fix.safe,
              isPreferred: fix.isPreferred,
            },
          ],
        }
      : {}),
  };
}

function actionsFor(path: string, text: string, findings: Finding[], only?: string[], snippets = false) {
  const { view, analysis } = analysed(path, text, findings);
  const diagnostics: Diagnostic[] = analysis.diagnostics;
  const params: CodeActionParams = {
    textDocument: { uri: URI },
    range: diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics, ...(only ? { only } : {}) },
  };
  return codeActions(params, { uri: URI, version: 3, analysis, view, snippets });
}

describe('code actions', () => {
  it('source.fixAll.gdpr-lint applies every safe (else preferred) fix at once, overlaps dropped, with the engine applyEdits', () => {
    const path = 'x.sql';
    const text = 'SELECT * FROM a;\nSELECT * FROM b;\nSELECT * FROM c;\n';
    const second = text.indexOf('*', 10);
    const findings: Finding[] = [
      finding(path, text, '*', { newText: 'id', safe: true, isPreferred: true }),
      {
        ...finding(path, text, '*'),
        range: { start: second, end: second + 1 },
        fixes: [
          { title: 'preferred', edits: [{ start: second, end: second + 1, newText: 'everything' }], isPreferred: true },
          { title: 'safe', edits: [{ start: second, end: second + 1, newText: 'code' }], safe: true },
        ],
      },
      // Overlaps the first fix and starts before it: it wins and the `*` edit is dropped, as in `scan --fix`.
      {
        ...finding(path, text, 'SELECT *'),
        fixes: [{ title: 'overlap', edits: [{ start: 0, end: 8, newText: 'SELECT 1' }], safe: true }],
      },
      // Preferred but marked unsafe: never applied without review.
      {
        ...finding(path, text, 'c'),
        fixes: [
          {
            title: 'unsafe',
            edits: [{ start: text.indexOf('c;'), end: text.indexOf('c;') + 1, newText: 'x' }],
            isPreferred: true,
            safe: false,
          },
        ],
      },
    ];
    const [fixAll, ...rest] = actionsFor(path, text, findings, [FIX_ALL_KIND]);
    expect(rest).toEqual([]);
    expect(fixAll!.kind).toBe('source.fixAll.gdpr-lint');
    const expected = 'SELECT 1 FROM a;\nSELECT code FROM b;\nSELECT * FROM c;\n';
    expect(applyWorkspaceEdit(text, URI, fixAll!.edit!)).toBe(expected);
    const safeEdits = [
      findings[0]!.fixes![0]!.edits[0]!,
      findings[1]!.fixes![1]!.edits[0]!,
      findings[2]!.fixes![0]!.edits[0]!,
    ];
    expect(applyEdits(text, safeEdits).text).toBe(expected);
  });

  it('offers no fix when the analysis is of another version', () => {
    const path = 'x.sql';
    const text = 'SELECT * FROM a;\n';
    const { view, analysis } = analysed(path, text, [
      finding(path, text, '*', { newText: 'id', safe: true, isPreferred: true }),
    ]);
    const params: CodeActionParams = {
      textDocument: { uri: URI },
      range: analysis.diagnostics[0]!.range,
      context: { diagnostics: analysis.diagnostics },
    };
    const titles = codeActions(params, { uri: URI, version: 4, analysis, view, snippets: false }).map((a) => a.title);
    expect(titles).toEqual([
      'Suppress select-star-export with a justification',
      'Disable select-star-export for this file (with a justification)',
    ]);
  });

  const suppressions: [string, string, string, string][] = [
    [
      'SQL: a -- comment',
      'q.sql',
      'SELECT id\n  FROM a;\nSELECT * FROM patients;\n',
      '-- gdpr-lint-disable-next-line select-star-export -- TODO: justify',
    ],
    [
      'Prisma: a // comment',
      's.prisma',
      'model P {\n  nir String\n}\n',
      '  // gdpr-lint-disable-next-line select-star-export -- TODO: justify',
    ],
    [
      'TS: a // comment above the statement',
      'a.ts',
      "function f() {\n  db.query('SELECT * FROM patients');\n}\n",
      '  // gdpr-lint-disable-next-line select-star-export -- TODO: justify',
    ],
    [
      'TS, inside a multi-line SQL template: an SQL comment',
      'b.ts',
      'const q = `\n  SELECT *\n  FROM patients`;\n',
      '  -- gdpr-lint-disable-next-line select-star-export -- TODO: justify',
    ],
  ];
  it.each(suppressions)('suppression comment style, %s', (_name, path, text, comment) => {
    const token = text.includes('*') ? '*' : 'nir';
    const f = finding(path, text, token);
    const suppress = actionsFor(path, text, [f]).find((a) => a.title.startsWith('Suppress'))!;
    const out = applyWorkspaceEdit(text, URI, suppress.edit!).split('\n');
    const line = new LineIndex(text).position(f.range.start).line;
    expect(out[line]).toBe(comment);
    expect(out.slice(line + 1).join('\n')).toBe(text.split('\n').slice(line).join('\n'));
  });

  it("keeps a CRLF file CRLF, and offers the rule's own suppression fix only as the editor's (a snippet)", () => {
    const text = "a();\r\ndb.query('SELECT * FROM patients');\r\n";
    const own = {
      title: 'Suppress (rule)',
      edits: [{ start: 6, end: 6, newText: '// gdpr-lint-disable-next-line select-star-export -- TODO: justify\r\n' }],
    };
    const f = { ...finding('a.ts', text, '*'), fixes: [own] };
    const actions = actionsFor('a.ts', text, [f], undefined, true);
    expect(actions.map((a) => a.title)).toEqual([
      'Suppress select-star-export with a justification',
      'Disable select-star-export for this file (with a justification)',
    ]);
    const change = actions[0]!.edit!.documentChanges![0] as { edits: { snippet: { value: string } }[] };
    expect(change.edits[0]!.snippet.value).toBe(
      '// gdpr-lint-disable-next-line select-star-export -- ${1:TODO: justify}\r\n',
    );
  });

  it('disables the rule for the file with a comment at the top, after a shebang', () => {
    const text = "#!/usr/bin/env node\ndb.query('SELECT * FROM patients');\n";
    const disable = actionsFor('run.js', text, [finding('run.js', text, '*')]).find((a) =>
      a.title.startsWith('Disable'),
    )!;
    expect(applyWorkspaceEdit(text, URI, disable.edit!)).toBe(
      "#!/usr/bin/env node\n/* gdpr-lint-disable select-star-export -- TODO: justify */\ndb.query('SELECT * FROM patients');\n",
    );
    const prisma = 'model P {\n  nir String\n}\n';
    const forPrisma = actionsFor('s.prisma', prisma, [finding('s.prisma', prisma, 'nir')]).find((a) =>
      a.title.startsWith('Disable'),
    )!;
    expect(applyWorkspaceEdit(prisma, URI, forPrisma.edit!).split('\n')[0]).toBe(
      '// gdpr-lint-disable select-star-export -- TODO: justify',
    );
  });

  it('the placeholder it writes is not a justification, a real one is accepted without a warning', () => {
    const text = "db.query('SELECT * FROM patients');\n";
    const disable = actionsFor('run.js', text, [finding('run.js', text, '*')]).find((a) =>
      a.title.startsWith('Disable'),
    )!;
    const placeholder = applyWorkspaceEdit(text, URI, disable.edit!);
    expect(findingsOf('suppression-comment', { 'run.js': placeholder }).map((f) => f.message)).toEqual([
      expect.stringContaining('only a placeholder ("TODO: justify")'),
    ]);
    const justified = placeholder.replace('TODO: justify', 'fixture of synthetic patients, DPO ticket 42');
    expect(findingsOf('suppression-comment', { 'run.js': justified })).toEqual([]);
  });
});

describe('offset <-> position conversion', () => {
  it('round-trips UTF-16 offsets, CRLF and astral characters included', () => {
    const text = 'a\r\n🧬 b\nc';
    const lines = new LineIndex(text);
    for (let offset = 0; offset <= text.length; offset++) {
      if (text[offset - 1] === '\r' && text[offset] === '\n') continue;
      expect(toOffset(lines, lines.position(offset))).toBe(offset);
    }
    expect(lines.position(text.indexOf('b'))).toEqual({ line: 1, character: 3 });
  });
});

describe('the export rules in the editor', () => {
  it('a public export is a diagnostic linked to the folder the app serves, with its quick fixes as code actions', () => {
    const app =
      "import express from 'express';\nimport path from 'node:path';\nexport const app = express();\napp.use('/downloads', express.static(path.join(__dirname, 'outbox')));\n";
    const job =
      "import { writeFile } from 'node:fs/promises';\nimport { Pool } from 'pg';\nconst pool = new Pool();\nexport async function run() {\n  const { rows } = await pool.query('SELECT nom, nir FROM patients');\n  await writeFile('outbox/patients.json', JSON.stringify(rows));\n}\n";
    const files = {
      'db/schema.sql': 'CREATE TABLE patients (id INT, nom TEXT, nir CHAR(15));',
      'src/app.ts': app,
      'src/job.ts': job,
    };
    const findings = findingsOf('export-to-public-location', files, {
      exports: { privateDir: '/var/lib/lab/exports' },
    });
    expect(findings).toHaveLength(1);
    const { view, analysis } = analysed('src/job.ts', job, findings);
    const diagnostic = toDiagnostic(findings[0]!, view.lines, {
      pack: testPack(),
      uriOf: (p) => `file:///ws/${p}`,
      linesOf: (p) => (p === 'src/app.ts' ? new LineIndex(app) : undefined),
    });
    expect(diagnostic.code).toBe('export-to-public-location');
    expect(diagnostic.codeDescription?.href).toMatch(/rules\/export-to-public-location\.md$/);
    expect(diagnostic.relatedInformation).toEqual([
      expect.objectContaining({
        message: 'the data is read here (patients)',
        location: expect.objectContaining({ uri: 'file:///ws/src/job.ts' }),
      }),
      {
        message: 'served as static content by express.static',
        location: {
          uri: 'file:///ws/src/app.ts',
          range: { start: { line: 3, character: 22 }, end: { line: 3, character: 68 } },
        },
      },
    ]);
    const params: CodeActionParams = {
      textDocument: { uri: URI },
      range: diagnostic.range,
      context: { diagnostics: [{ ...diagnostic }] },
    };
    const titles = codeActions(params, { uri: URI, version: 3, analysis, view, snippets: false }).map((a) => a.title);
    expect(titles).toEqual([
      'Write it under the private export directory /var/lib/lab/exports',
      'Suppress export-to-public-location with a justification',
      'Disable export-to-public-location for this file (with a justification)',
    ]);
  });
});
