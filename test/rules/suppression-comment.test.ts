import { describe, expect, it } from 'vitest';
import { run, summary } from './suppression-comment-harness.js';

/** The suppression-comment rule: suppressions are accountable (reason, expiry, known rule). */
describe('suppression-comment', () => {
  it('reports a suppression without a justification, and still suppresses', () => {
    const text = '// gdpr-lint-disable-next-line select-star-export\nTODO;\n';
    const findings = run('a.ts', text);
    expect(summary(text, findings)).toEqual([
      'suppression-comment@// gdpr-lint-disable-next-line select-star-export',
      '(select-star-export@TODO)',
    ]);
    expect(findings[0]!.message).toMatch(/^Suppression without a justification/);
  });
  it('does not ask for a justification when the team turns it off', () => {
    const text = '// gdpr-lint-disable-next-line select-star-export\nTODO;\n';
    expect(summary(text, run('a.ts', text, { suppressions: { requireJustification: false } }))).toEqual([
      '(select-star-export@TODO)',
    ]);
  });
  it('reports an expired suppression and the finding comes back', () => {
    const text = '// gdpr-lint-disable-next-line select-star-export until=2026-01-31 -- migration window\nTODO;\n';
    const findings = run('a.ts', text);
    expect(summary(text, findings)).toEqual(['suppression-comment@until=2026-01-31', 'select-star-export@TODO']);
    expect(findings[0]!.message).toContain('expired on 2026-01-31');
  });
  it('reports an unknown rule id with a suggestion and an invalid date', () => {
    const text = '// gdpr-lint-disable-next-line select-star until=2026-02-30 -- x\nTODO;\n';
    const findings = run('a.ts', text);
    expect(summary(text, findings)).toEqual([
      'suppression-comment@select-star',
      'suppression-comment@until=2026-02-30',
      'select-star-export@TODO',
    ]);
    expect(findings[0]!.message).toBe(
      'Unknown rule "select-star" in a suppression comment: it suppresses nothing. Did you mean "select-star-export"?',
    );
  });

  it.each([
    [
      'm.sql',
      '-- gdpr-lint-disable-next-line select-star-export\nSELECT TODO FROM t;\n',
      '-- gdpr-lint-disable-next-line select-star-export',
    ],
    [
      'schema.prisma',
      'model A {\n  // gdpr-lint-disable-next-line select-star-export\n  TODO String\n}\n',
      '// gdpr-lint-disable-next-line select-star-export',
    ],
    ['a.ts', 'TODO; /* gdpr-lint-disable-line select-star-export */\n', '/* gdpr-lint-disable-line select-star-export'],
  ])('no justification in %s', (path, text, directive) => {
    expect(summary(text, run(path, text))).toEqual(
      expect.arrayContaining([`suppression-comment@${directive}`, '(select-star-export@TODO)']),
    );
  });
});
