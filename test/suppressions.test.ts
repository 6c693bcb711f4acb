import { describe, expect, it } from 'vitest';
import { applyEdits } from '../server/src/engine/fixes.js';
import { run, summary } from './rules/suppression-comment-harness.js';

describe('suppression comments', () => {
  it.each([
    ['next line with a reason', 'a.ts', '// gdpr-lint-disable-next-line select-star-export -- synthetic data\nTODO;\nTODO;\n', ['(select-star-export@TODO)', 'select-star-export@TODO']],
    ['same line', 'a.ts', 'TODO; // gdpr-lint-disable-line select-star-export -- test fixture\nTODO;\n', ['(select-star-export@TODO)', 'select-star-export@TODO']],
    ['block disable/enable', 'a.ts', 'TODO;\n/* gdpr-lint-disable select-star-export -- legacy import, ticket 12 */\nTODO;\nTODO;\n/* gdpr-lint-enable select-star-export */\nTODO;\n', ['select-star-export@TODO', '(select-star-export@TODO)', '(select-star-export@TODO)', 'select-star-export@TODO']],
    ['SQL -- comment', 'm.sql', '-- gdpr-lint-disable-next-line select-star-export -- DPO accepted\nSELECT TODO FROM t;\n', ['(select-star-export@TODO)']],
    ['Prisma // comment', 'schema.prisma', 'model A {\n  // gdpr-lint-disable-next-line select-star-export -- pseudonymised upstream\n  TODO String\n}\n', ['(select-star-export@TODO)']],
    ['other rule named', 'a.ts', '// gdpr-lint-disable-next-line health-data-in-logs -- not this one\nTODO;\n', ['select-star-export@TODO']],
    ['directive inside a string is not one', 'a.ts', 'const s = "// gdpr-lint-disable-next-line select-star-export -- x";\nTODO;\n', ['select-star-export@TODO']],
  ])('%s', (_name, path, text, expected) => {
    expect(summary(text, run(path, text))).toEqual(expected);
  });

  it('keeps the justification, until and legal basis on the suppressed finding', () => {
    const text = '// gdpr-lint-disable-next-line select-star-export until=2027-01-01 basis="Art. 9(2)(h)" -- DPO ticket 42\nTODO;\n';
    const [finding] = run('a.ts', text);
    expect(finding!.suppressed).toEqual({ kind: 'inline', justification: 'DPO ticket 42', until: '2027-01-01', basis: 'Art. 9(2)(h)' });
  });





  it('reports unused suppressions only when asked, with a fix that removes the line', () => {
    const text = 'const a = 1;\n// gdpr-lint-disable-next-line select-star-export -- was needed once\nconst b = 2;\n';
    expect(run('a.ts', text)).toEqual([]);
    const findings = run('a.ts', text, { suppressions: { reportUnused: true } });
    expect(summary(text, findings)).toEqual(['suppression-comment@// gdpr-lint-disable-next-line select-star-export -- was needed once']);
    expect(applyEdits(text, findings[0]!.fixes![0]!.edits).text).toBe('const a = 1;\nconst b = 2;\n');
  });

  it('does not call a used suppression unused, nor one for a rule that is off', () => {
    const used = '// gdpr-lint-disable-next-line select-star-export -- ok\nTODO;\n';
    expect(summary(used, run('a.ts', used, { suppressions: { reportUnused: true } }))).toEqual(['(select-star-export@TODO)']);
    const off = '// gdpr-lint-disable-next-line health-data-in-logs -- ok\nconst b = 2;\n';
    expect(run('a.ts', off, { suppressions: { reportUnused: true }, only: ['select-star-export', 'suppression-comment'] })).toEqual([]);
  });

  it('a block disable of every rule does not hide its own missing justification', () => {
    const text = '/* gdpr-lint-disable */\nTODO;\n';
    expect(summary(text, run('a.ts', text))).toEqual(['suppression-comment@/* gdpr-lint-disable', '(select-star-export@TODO)']);
  });
});
