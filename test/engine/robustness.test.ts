import { describe, expect, it } from 'vitest';
import { ANALYSIS_TIMEOUT, Project, type Detector } from '../../server/src/engine/index.js';
import { testConfig } from '../helpers.js';

const slow: Detector = {
  ruleId: 'select-star-export',
  languages: ['sql'],
  check(ctx) {
    for (let i = 0; i < 1000; i++) ctx.tick();
    ctx.report({ range: { start: 0, end: 1 }, message: 'never reached' });
  },
};
const quick: Detector = {
  ruleId: 'plaintext-health-data',
  languages: ['sql'],
  check: (ctx) => ctx.report({ range: { start: 0, end: 1 }, message: 'quick' }),
};

describe('per-file work budget', () => {
  it('stops a file whose analysis exceeds the budget with a note-level analysis-timeout finding, and goes on', () => {
    const project = new Project(testConfig({ workBudget: 100 }), { detectors: [quick, slow], collectors: [] });
    project.setFile({ path: 'a.sql', text: 'SELECT 1;' });
    project.setFile({ path: 'b.sql', text: 'SELECT 2;' });
    const result = project.analyzeAll();
    for (const file of ['a.sql', 'b.sql']) {
      const mine = result.findings.filter((f) => f.file === file);
      expect(mine.map((f) => f.ruleId)).toEqual([ANALYSIS_TIMEOUT, 'plaintext-health-data']);
      expect(mine[0]).toMatchObject({
        severity: 'note',
        message: expect.stringContaining(`analysis of ${file} stopped after its budget of 100 units of work`),
      });
    }
    expect(result.notes.filter((n) => n.kind === 'timeout')).toHaveLength(2);
  });

  it('reports nothing extra when the budget is not reached, and says how much work the file took', () => {
    const project = new Project(testConfig({ workBudget: 1000 }), { detectors: [quick, slow], collectors: [] });
    project.setFile({ path: 'a.sql', text: 'SELECT 1;' });
    const result = project.analyzeFile('a.sql');
    expect(result.findings.map((f) => f.ruleId)).toEqual(['plaintext-health-data', 'select-star-export']);
    expect(result.work).toBe(1000);
  });

  it('counts work, not time: a slow step that does little work is never stopped', () => {
    const sleepy: Detector = {
      ruleId: 'select-star-export',
      languages: ['sql'],
      check(ctx) {
        const until = Date.now() + 50;
        while (Date.now() < until) ctx.tick(0);
        ctx.report({ range: { start: 0, end: 1 }, message: 'after a slow step' });
      },
    };
    const project = new Project(testConfig({ workBudget: 1000 }), { detectors: [sleepy], collectors: [] });
    project.setFile({ path: 'a.sql', text: 'SELECT 1;' });
    expect(project.analyzeAll().findings.map((f) => f.ruleId)).toEqual(['select-star-export']);
  });
});

describe('hostile TypeScript', () => {
  it('a 10,000-level nested expression is noted as unparsed, never a crash', () => {
    // One parenthesis per line: deep, but not the long lines of a bundle.
    const text = `const x = ${'(\n'.repeat(10_000)}1${')'.repeat(10_000)};\nconst q = 'SELECT * FROM patients';`;
    const project = new Project(testConfig());
    project.setFile({ path: 'deep.ts', text });
    project.setFile({ path: 'ok.ts', text: 'export const a = 1;' });
    const result = project.analyzeAll();
    expect(result.notes).toContainEqual(
      expect.objectContaining({
        file: 'deep.ts',
        kind: 'ts-syntax',
        message: expect.stringContaining('could not be parsed'),
      }),
    );
    expect(() => project.facts.ts.checker()).not.toThrow();
  });
});

describe('hostile valid TypeScript', () => {
  it('a 1.9 MB file of 40,000 SELECT * constants finishes, and says so if its budget stopped it', () => {
    const text = Array.from({ length: 40_000 }, (_, i) => `export const q${i} = 'SELECT * FROM patients';`).join('\n');
    expect(text.length).toBeGreaterThan(1_900_000);
    const project = new Project(testConfig());
    project.setFile({ path: 'src/queries.ts', text });
    project.setFile({
      path: 'src/ok.ts',
      text: 'export function f(r: { diagnosis: string }) { console.log(r.diagnosis); }\n',
    });
    const result = project.analyzeAll();
    // Finishing is the bound (this did not finish in 300 s). Whether the budget stops it depends
    // on how much work its rows' flow takes: if it does, the file says so.
    const stopped = result.notes.filter((n) => n.file === 'src/queries.ts' && n.kind === 'timeout');
    expect(stopped.map((n) => n.message)).toEqual(
      stopped.length > 0 ? [expect.stringContaining('stopped after its budget of 2000000 units of work')] : [],
    );
    expect(result.findings.filter((f) => f.ruleId === ANALYSIS_TIMEOUT).map((f) => f.file)).toEqual(
      stopped.map((n) => n.file),
    );
    expect(result.findings.filter((f) => f.file === 'src/ok.ts').map((f) => f.ruleId)).toEqual(['health-data-in-logs']);
  });

  it('a 3,000-term concatenation is left out with a note, the rest of the project analysed', () => {
    const terms = Array.from({ length: 3000 }, (_, i) => `'part ${i} '`).join(' +\n  ');
    const project = new Project(testConfig());
    project.setFile({
      path: 'src/long.ts',
      text: `export function f(r: { diagnosis: string }) {\n  console.log(${terms} + r.diagnosis);\n}\n`,
    });
    project.setFile({
      path: 'src/ok.ts',
      text: 'export function g(r: { diagnosis: string }) { console.log(r.diagnosis); }\n',
    });
    const result = project.analyzeAll();
    expect(result.notes).toEqual([
      {
        file: 'src/long.ts',
        kind: 'ts-syntax',
        message: 'not analysed: its code nests 3,005 levels deep, more than the 1,000 the analysis follows',
      },
    ]);
    expect(result.findings.map((f) => `${f.file} ${f.ruleId}`)).toEqual(['src/ok.ts health-data-in-logs']);
    // The checker, which other files' rules use, never meets the file either.
    expect(() => project.facts.ts.checker()).not.toThrow();
  });

  it('a 900-term concatenation, under the limit, is analysed', () => {
    const terms = Array.from({ length: 900 }, (_, i) => `'part ${i} '`).join(' +\n  ');
    const project = new Project(testConfig());
    project.setFile({
      path: 'src/long.ts',
      text: `export function f(r: { diagnosis: string }) {\n  console.log(${terms} + r.diagnosis);\n}\n`,
    });
    const result = project.analyzeAll();
    expect(result.notes).toEqual([]);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['health-data-in-logs']);
  });
});
