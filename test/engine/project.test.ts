import { describe, expect, it } from 'vitest';
import {
  applyEdits,
  LineIndex,
  parseSuppressions,
  Project,
  SchemaIndex,
  type Detector,
} from '../../server/src/engine/index.js';
import { testConfig } from '../helpers.js';

const flagTodo: Detector = {
  ruleId: 'select-star-export',
  languages: ['typescript', 'sql'],
  check(ctx) {
    for (const m of ctx.file.text.matchAll(/TODO/g))
      ctx.report({ range: { start: m.index!, end: m.index! + 4 }, message: 'todo' });
  },
};
const throwing: Detector = {
  ruleId: 'plaintext-health-data',
  languages: ['typescript'],
  check: () => {
    throw new Error('boom');
  },
};

describe('Project', () => {
  it('re-analyses one changed file and keeps the others', () => {
    const project = new Project(testConfig(), { detectors: [flagTodo], collectors: [] });
    project.setFile({ path: 'a.ts', text: 'const a = 1; // TODO' });
    project.setFile({ path: 'b.sql', text: '-- TODO\nSELECT 1;' });
    expect(project.analyzeAll().findings.map((f) => f.file)).toEqual(['a.ts', 'b.sql']);
    project.setFile({ path: 'a.ts', text: 'const a = 1;' });
    expect(project.analyzeFile('a.ts').findings).toEqual([]);
    expect(project.analyzeFile('b.sql').findings).toHaveLength(1);
  });

  it('ignores unknown languages and removes files', () => {
    const project = new Project(testConfig(), { detectors: [flagTodo], collectors: [] });
    expect(project.setFile({ path: 'README.md', text: 'TODO' })).toBe(false);
    project.setFile({ path: 'a.ts', text: 'TODO' });
    project.removeFile('a.ts');
    expect(project.analyzeAll().findings).toEqual([]);
  });

  it('loses only the throwing detector findings, with a note', () => {
    const project = new Project(testConfig(), { detectors: [throwing, flagTodo], collectors: [] });
    project.setFile({ path: 'a.ts', text: 'TODO' });
    const result = project.analyzeFile('a.ts');
    expect(result.findings.map((f) => f.ruleId)).toEqual(['select-star-export']);
    expect(result.notes).toEqual([{ file: 'a.ts', kind: 'detector-error', message: 'plaintext-health-data: boom' }]);
  });

  it('applies config severities and off', () => {
    const project = new Project(testConfig({ rules: { 'select-star-export': { severity: 'error' } } }), {
      detectors: [flagTodo],
      collectors: [],
    });
    project.setFile({ path: 'a.ts', text: 'TODO' });
    expect(project.analyzeFile('a.ts').findings[0]!.severity).toBe('error');
    const off = new Project(testConfig({ rules: { 'select-star-export': { severity: 'off' } } }), {
      detectors: [flagTodo],
      collectors: [],
    });
    off.setFile({ path: 'a.ts', text: 'TODO' });
    expect(off.analyzeFile('a.ts').findings).toEqual([]);
  });

  it('marks findings covered by a suppression comment, with the justification', () => {
    const project = new Project(testConfig(), { detectors: [flagTodo], collectors: [] });
    project.setFile({
      path: 'a.ts',
      text: '// gdpr-lint-disable-next-line select-star-export -- synthetic data\nTODO\nTODO',
    });
    const [first, second] = project.analyzeFile('a.ts').findings;
    expect(first!.suppressed).toEqual({
      kind: 'inline',
      justification: 'synthetic data',
      until: undefined,
      basis: undefined,
    });
    expect(second!.suppressed).toBeUndefined();
  });
});

describe('suppressions', () => {
  it('reads SQL comments, until and basis', () => {
    const [d] = parseSuppressions(
      '-- gdpr-lint-disable-next-line plaintext-health-data until=2027-01-01 basis="Art. 9(2)(h)" -- DPO ok\n',
    );
    expect(d).toMatchObject({
      kind: 'disable-next-line',
      rules: ['plaintext-health-data'],
      until: '2027-01-01',
      basis: 'Art. 9(2)(h)',
      justification: 'DPO ok',
    });
  });
});

describe('applyEdits', () => {
  it('sorts edits and drops overlaps', () => {
    const out = applyEdits('SELECT * FROM t', [
      { start: 14, end: 15, newText: 'patients' },
      { start: 7, end: 8, newText: 'id, nom' },
      { start: 7, end: 9, newText: 'x' },
    ]);
    expect(out.text).toBe('SELECT id, nom FROM patients');
    expect(out.dropped).toHaveLength(1);
  });
});

describe('LineIndex', () => {
  it('converts offsets both ways with CRLF', () => {
    const li = new LineIndex('ab\r\ncd\nef');
    expect(li.position(5)).toEqual({ line: 1, character: 1 });
    expect(li.offset(2, 1)).toBe(8);
    expect(li.lineText(0)).toBe('ab');
  });
});

describe('SchemaIndex', () => {
  it('merges per-file contributions and updates one file', () => {
    const index = new SchemaIndex();
    const col = (name: string, protection?: string) => ({
      name,
      file: 'a.sql',
      range: { start: 0, end: 1 },
      protection,
    });
    index.replaceFile('a.sql', [
      {
        name: 'public.Patients',
        kind: 'table',
        source: 'sql',
        file: 'a.sql',
        range: { start: 0, end: 1 },
        columns: [col('nom')],
      },
    ]);
    index.replaceFile('b.sql', [
      {
        name: '"patients"',
        kind: 'table',
        source: 'sql',
        file: 'b.sql',
        range: { start: 0, end: 1 },
        columns: [col('nir', 'pgp_sym_encrypt')],
      },
    ]);
    expect(index.columns('PATIENTS').map((c) => c.name)).toEqual(['nom', 'nir']);
    const v = index.version;
    index.removeFile('b.sql');
    expect(index.version).toBeGreaterThan(v);
    expect(index.columns('patients').map((c) => c.name)).toEqual(['nom']);
  });
});
