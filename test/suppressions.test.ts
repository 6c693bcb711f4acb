import { describe, expect, it } from 'vitest';
import { applyEdits } from '../server/src/engine/fixes.js';
import { Project } from '../server/src/engine/project.js';
import { fileSuppressionFix, isSuppressionFix, suppressionFix } from '../server/src/engine/suppressions.js';
import { testConfig } from './helpers.js';
import { run, summary } from './rules/suppression-comment-harness.js';

describe('suppression comments', () => {
  it.each([
    [
      'next line with a reason',
      'a.ts',
      '// gdpr-lint-disable-next-line select-star-export -- synthetic data\nTODO;\nTODO;\n',
      ['(select-star-export@TODO)', 'select-star-export@TODO'],
    ],
    [
      'same line',
      'a.ts',
      'TODO; // gdpr-lint-disable-line select-star-export -- test fixture\nTODO;\n',
      ['(select-star-export@TODO)', 'select-star-export@TODO'],
    ],
    [
      'block disable/enable',
      'a.ts',
      'TODO;\n/* gdpr-lint-disable select-star-export -- legacy import, ticket 12 */\nTODO;\nTODO;\n/* gdpr-lint-enable select-star-export */\nTODO;\n',
      ['select-star-export@TODO', '(select-star-export@TODO)', '(select-star-export@TODO)', 'select-star-export@TODO'],
    ],
    [
      'SQL -- comment',
      'm.sql',
      '-- gdpr-lint-disable-next-line select-star-export -- DPO accepted\nSELECT TODO FROM t;\n',
      ['(select-star-export@TODO)'],
    ],
    [
      'Prisma // comment',
      'schema.prisma',
      'model A {\n  // gdpr-lint-disable-next-line select-star-export -- pseudonymised upstream\n  TODO String\n}\n',
      ['(select-star-export@TODO)'],
    ],
    [
      'other rule named',
      'a.ts',
      '// gdpr-lint-disable-next-line health-data-in-logs -- not this one\nTODO;\n',
      ['select-star-export@TODO'],
    ],
    [
      'directive inside a string is not one',
      'a.ts',
      'const s = "// gdpr-lint-disable-next-line select-star-export -- x";\nTODO;\n',
      ['select-star-export@TODO'],
    ],
  ])('%s', (_name, path, text, expected) => {
    expect(summary(text, run(path, text))).toEqual(expected);
  });

  it('keeps the justification, until and legal basis on the suppressed finding', () => {
    const text =
      '// gdpr-lint-disable-next-line select-star-export until=2027-01-01 basis="Art. 9(2)(h)" -- DPO ticket 42\nTODO;\n';
    const [finding] = run('a.ts', text);
    expect(finding!.suppressed).toEqual({
      kind: 'inline',
      justification: 'DPO ticket 42',
      until: '2027-01-01',
      basis: 'Art. 9(2)(h)',
    });
  });

  it('reports unused suppressions only when asked, with a fix that removes the line', () => {
    const text = 'const a = 1;\n// gdpr-lint-disable-next-line select-star-export -- was needed once\nconst b = 2;\n';
    expect(run('a.ts', text)).toEqual([]);
    const findings = run('a.ts', text, { suppressions: { reportUnused: true } });
    expect(summary(text, findings)).toEqual([
      'suppression-comment@// gdpr-lint-disable-next-line select-star-export -- was needed once',
    ]);
    expect(applyEdits(text, findings[0]!.fixes![0]!.edits).text).toBe('const a = 1;\nconst b = 2;\n');
  });

  it('does not call a used suppression unused, nor one for a rule that is off', () => {
    const used = '// gdpr-lint-disable-next-line select-star-export -- ok\nTODO;\n';
    expect(summary(used, run('a.ts', used, { suppressions: { reportUnused: true } }))).toEqual([
      '(select-star-export@TODO)',
    ]);
    const off = '// gdpr-lint-disable-next-line health-data-in-logs -- ok\nconst b = 2;\n';
    expect(
      run('a.ts', off, { suppressions: { reportUnused: true }, only: ['select-star-export', 'suppression-comment'] }),
    ).toEqual([]);
  });

  it('a block disable of every rule does not hide its own missing justification', () => {
    const text = '/* gdpr-lint-disable */\nTODO;\n';
    expect(summary(text, run('a.ts', text))).toEqual([
      'suppression-comment@/* gdpr-lint-disable',
      '(select-star-export@TODO)',
    ]);
  });
});

describe('the suppression-fix builder (rules, CLI and editor alike)', () => {
  const viewOf = (path: string, text: string) => {
    const project = new Project(testConfig({ only: ['none'] }));
    project.setFile({ path, text });
    return project.file(path)!;
  };
  const insert = (path: string, text: string, at: string) => {
    const fix = suppressionFix(viewOf(path, text), text.indexOf(at), 'select-star-export');
    return applyEdits(text, fix.edits).text;
  };

  it("writes the comment the line needs, indented, in the file's line ending", () => {
    expect(insert('a.ts', 'function f() {\n  db.query(x);\n}\n', 'db')).toBe(
      'function f() {\n  // gdpr-lint-disable-next-line select-star-export -- TODO: justify\n  db.query(x);\n}\n',
    );
    expect(insert('m.sql', 'SELECT 1;\nSELECT * FROM t;\n', 'SELECT *')).toBe(
      'SELECT 1;\n-- gdpr-lint-disable-next-line select-star-export -- TODO: justify\nSELECT * FROM t;\n',
    );
    // Inside a multi-line SQL template a `//` line would become part of the SQL: an SQL comment instead.
    expect(insert('a.ts', 'db.query(`\n  SELECT *\n  FROM t`);\n', '*')).toBe(
      'db.query(`\n  -- gdpr-lint-disable-next-line select-star-export -- TODO: justify\n  SELECT *\n  FROM t`);\n',
    );
    expect(insert('a.ts', 'a();\r\nb();\r\n', 'b')).toBe(
      'a();\r\n// gdpr-lint-disable-next-line select-star-export -- TODO: justify\r\nb();\r\n',
    );
    expect(insert('s.prisma', 'model P {\n  nir String\n}\n', 'nir')).toBe(
      'model P {\n  // gdpr-lint-disable-next-line select-star-export -- TODO: justify\n  nir String\n}\n',
    );
  });

  it('disables a rule for a file after its shebang, and tells its fixes from the others', () => {
    const view = viewOf('run.js', '#!/usr/bin/env node\nrun();\n');
    const fix = fileSuppressionFix(view, 'select-star-export', { justification: 'fixture' });
    expect(applyEdits(view.text, fix.edits).text).toBe(
      '#!/usr/bin/env node\n/* gdpr-lint-disable select-star-export -- fixture */\nrun();\n',
    );
    expect(isSuppressionFix(fix)).toBe(true);
    expect(isSuppressionFix(suppressionFix(view, 25, 'select-star-export'))).toBe(true);
    expect(isSuppressionFix({ title: 'Replace * by columns', edits: [{ start: 3, end: 4, newText: 'id, nom' }] })).toBe(
      false,
    );
    // An edit that writes code and a suppression is not only a suppression.
    expect(
      isSuppressionFix({
        title: 'x',
        edits: [{ start: 0, end: 0, newText: 'a();\n// gdpr-lint-disable-next-line select-star-export -- r\n' }],
      }),
    ).toBe(false);
  });
});
