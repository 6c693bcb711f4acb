import { describe, expect, it } from 'vitest';
import { ANALYSIS_TIMEOUT, Project, type Detector } from '../../server/src/engine/index.js';
import { testConfig } from '../helpers.js';

function clock(step: number) {
  let t = 0;
  return () => (t += step);
}

const slow: Detector = {
  ruleId: 'select-star-export',
  languages: ['sql'],
  check(ctx) {
    for (let i = 0; i < 1000; i++) ctx.checkDeadline();
    ctx.report({ range: { start: 0, end: 1 }, message: 'never reached' });
  },
};
const quick: Detector = { ruleId: 'plaintext-health-data', languages: ['sql'], check: (ctx) => ctx.report({ range: { start: 0, end: 1 }, message: 'quick' }) };

describe('per-file time budget', () => {
  it('stops a file whose analysis exceeds the budget with a note-level analysis-timeout finding, and goes on', () => {
    const project = new Project(testConfig({ timeBudgetMs: 100 }), { detectors: [quick, slow], collectors: [], now: clock(10) });
    project.setFile({ path: 'a.sql', text: 'SELECT 1;' });
    project.setFile({ path: 'b.sql', text: 'SELECT 2;' });
    const result = project.analyzeAll();
    for (const file of ['a.sql', 'b.sql']) {
      const mine = result.findings.filter((f) => f.file === file);
      expect(mine.map((f) => f.ruleId)).toEqual([ANALYSIS_TIMEOUT, 'plaintext-health-data']);
      expect(mine[0]).toMatchObject({ severity: 'note', message: expect.stringContaining(`analysis of ${file} stopped after the 100 ms budget`) });
    }
    expect(result.notes.filter((n) => n.kind === 'timeout')).toHaveLength(2);
  });

  it('reports nothing extra when the budget is not reached', () => {
    const project = new Project(testConfig({ timeBudgetMs: 1_000_000 }), { detectors: [quick], collectors: [], now: clock(1) });
    project.setFile({ path: 'a.sql', text: 'SELECT 1;' });
    expect(project.analyzeAll().findings.map((f) => f.ruleId)).toEqual(['plaintext-health-data']);
  });
});

describe('project-wide builds and the per-file budget', () => {
  // A manual clock: only the detectors below move it.
  let t = 0;
  const now = () => t;
  const building = (shared: boolean): Detector => ({
    ruleId: 'select-star-export',
    languages: ['sql'],
    check(ctx) {
      const build = () => void (t += 5_000); // e.g. the checker, built by the first file that needs it
      if (shared) ctx.project.shared(build);
      else build();
      ctx.checkDeadline();
      ctx.report({ range: { start: 0, end: 1 }, message: 'after the build' });
    },
  });

  it('does not charge a shared build to the file that triggered it', () => {
    const project = new Project(testConfig({ timeBudgetMs: 100 }), { detectors: [building(true), quick], collectors: [], now });
    project.setFile({ path: 'a.sql', text: 'SELECT 1;' });
    expect(project.analyzeAll().findings.map((f) => f.ruleId)).toEqual(['plaintext-health-data', 'select-star-export']);
    expect(project.facts.sharedMs).toBe(5_000);
  });

  it('still stops a file whose own work exceeds the budget', () => {
    const project = new Project(testConfig({ timeBudgetMs: 100 }), { detectors: [building(false), quick], collectors: [], now });
    project.setFile({ path: 'a.sql', text: 'SELECT 1;' });
    expect(project.analyzeAll().findings.map((f) => f.ruleId)).toEqual([ANALYSIS_TIMEOUT]);
  });
});

describe('hostile TypeScript', () => {
  it('a 10,000-level nested expression is noted as unparsed, never a crash', () => {
    const text = `const x = ${'('.repeat(10_000)}1${')'.repeat(10_000)};\nconst q = 'SELECT * FROM patients';`;
    const project = new Project(testConfig());
    project.setFile({ path: 'deep.ts', text });
    project.setFile({ path: 'ok.ts', text: 'export const a = 1;' });
    const result = project.analyzeAll();
    expect(result.notes).toContainEqual(expect.objectContaining({ file: 'deep.ts', kind: 'ts-syntax', message: expect.stringContaining('could not be parsed') }));
    expect(() => project.facts.ts.checker()).not.toThrow();
  });
});
