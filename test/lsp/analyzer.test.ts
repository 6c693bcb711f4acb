import { describe, expect, it } from 'vitest';
import { Project, type Detector } from '../../server/src/engine/index.js';
import { Analyzer, type FileAnalysis } from '../../server/src/lsp/analyzer.js';
import { DEFAULT_SETTINGS } from '../../server/src/lsp/settings.js';
import { LintWorkspace } from '../../server/src/lsp/workspace.js';
import { testConfig, testPack } from '../helpers.js';

const throwing: Detector = {
  ruleId: 'select-star-export',
  languages: ['sql'],
  check() {
    throw new Error('boom');
  },
};
const reporting: Detector = {
  ruleId: 'plaintext-health-data',
  languages: ['sql'],
  check(ctx) {
    const start = ctx.file.text.indexOf('nir');
    if (start >= 0) ctx.report({ range: { start, end: start + 3 }, message: 'plaintext' });
  },
};

/** An Analyzer over an in-memory project; `detectors` replaces the built-in ones (and their collectors). */
function setup(detectors?: Detector[]) {
  const workspace = new LintWorkspace([], testPack());
  workspace.project = new Project(testConfig(), detectors ? { detectors, collectors: [] } : {});
  const logs: string[] = [];
  const results: FileAnalysis[] = [];
  const documents = new Map<string, { uri: string; version: number; text: string }>();
  const analyzer = new Analyzer({
    workspace: () => workspace,
    openDocument: (path) => documents.get(path),
    settingsFor: async () => DEFAULT_SETTINGS,
    convertContext: () => ({ pack: testPack(), uriOf: (p) => `file:///${p}`, linesOf: () => undefined }),
    onResult: (analysis) => results.push(analysis),
    onBusy: () => undefined,
    onFactsChange: () => undefined,
    log: (m) => logs.push(m),
  });
  return { analyzer, logs, results, documents };
}

describe('Analyzer', () => {
  it('keeps the findings of the other detectors when one throws, and logs it once per (rule, file)', async () => {
    const { analyzer, logs, results, documents } = setup([throwing, reporting]);
    documents.set('a.sql', { uri: 'file:///a.sql', version: 1, text: 'CREATE TABLE p (nir TEXT);' });
    analyzer.schedule('a.sql', 0);
    await analyzer.whenIdle();
    documents.set('a.sql', { uri: 'file:///a.sql', version: 2, text: 'CREATE TABLE p (id INT, nir TEXT);' });
    analyzer.schedule('a.sql', 0);
    await analyzer.whenIdle();
    expect(results.map((r) => [r.version, r.findings.map((f) => f.ruleId)])).toEqual([
      [1, ['plaintext-health-data']],
      [2, ['plaintext-health-data']],
    ]);
    expect(logs).toEqual([
      'detector error in a.sql: select-star-export: boom (its findings for this file are skipped)',
    ]);
  });

  it('analyses only the latest version when changes come faster than the debounce', async () => {
    const { analyzer, results, documents } = setup([reporting]);
    for (let version = 1; version <= 5; version++) {
      documents.set('b.sql', {
        uri: 'file:///b.sql',
        version,
        text: `${'\n'.repeat(version)}CREATE TABLE p (nir TEXT);`,
      });
      analyzer.schedule('b.sql', 30);
    }
    const analysis = await analyzer.whenAnalysed('b.sql');
    expect(results.map((r) => r.version)).toEqual([5]);
    expect(analysis?.diagnostics.map((d) => d.range.start.line)).toEqual([5]);
  });

  it('keeps the result id when the diagnostics did not change', async () => {
    const { analyzer, results, documents } = setup([reporting]);
    documents.set('c.sql', { uri: 'file:///c.sql', version: 1, text: 'CREATE TABLE p (nir TEXT);' });
    analyzer.schedule('c.sql', 0);
    await analyzer.whenIdle();
    documents.set('c.sql', { uri: 'file:///c.sql', version: 2, text: 'CREATE TABLE p (nir TEXT); ' });
    analyzer.schedule('c.sql', 0);
    await analyzer.whenIdle();
    documents.set('c.sql', { uri: 'file:///c.sql', version: 3, text: 'CREATE TABLE p (nir TEXT);\n' });
    analyzer.schedule('c.sql', 0);
    await analyzer.whenIdle();
    const [first, second, third] = results;
    expect(second!.resultId).toBe(first!.resultId);
    expect(third!.resultId).toBe(first!.resultId);
    documents.set('c.sql', { uri: 'file:///c.sql', version: 4, text: '\nCREATE TABLE p (nir TEXT);' });
    analyzer.schedule('c.sql', 0);
    await analyzer.whenIdle();
    expect(results[3]!.resultId).not.toBe(first!.resultId);
  });
});

describe('LintWorkspace paths', () => {
  it('maps URIs to project paths and back, one folder or several', () => {
    const single = new LintWorkspace(LintWorkspace.foldersOf([{ uri: 'file:///w/app', name: 'app' }]), testPack());
    expect(single.pathOf('file:///w/app/src/a%20b.ts')).toBe('src/a b.ts');
    expect(single.uriOf('src/a b.ts')).toBe('file:///w/app/src/a%20b.ts');
    expect(single.pathOf('file:///elsewhere/x.sql')).toBe('/elsewhere/x.sql');
    expect(single.pathOf('untitled:Untitled-1', 'sql')).toBe('untitled:/untitled%3AUntitled-1.sql');
    expect(single.pathOf('untitled:Untitled-1', 'plaintext')).toBeUndefined();
    const multi = new LintWorkspace(
      LintWorkspace.foldersOf([
        { uri: 'file:///w/api', name: 'api' },
        { uri: 'file:///w/db', name: 'db' },
      ]),
      testPack(),
    );
    expect(multi.pathOf('file:///w/db/schema.sql')).toBe('db/schema.sql');
    expect(multi.uriOf('api/src/a.ts')).toBe('file:///w/api/src/a.ts');
  });
});

describe('Analyzer route changes', () => {
  const app = [
    "import express from 'express';",
    "import { loadCaller } from './mw';",
    'const app = express();',
    'app.use(loadCaller);',
    "app.get('/api/patients/:id/results', (req, res) => res.json({ diagnostic: req.params.id }));",
    '',
  ].join('\n');
  // Same exports and no routing call: only the body says whether the middleware authenticates.
  const middleware = (check: string) =>
    `import jwt from 'jsonwebtoken';\nexport function loadCaller(req: any, res: any, next: any) {\n  req.user = jwt.${check}(req.headers.authorization, 'k');\n  next();\n}\n`;
  const guarded = middleware('verify');
  const open = middleware('decode');

  function routeSetup() {
    const { analyzer, results, documents } = setup();
    const edit = async (path: string, version: number, text: string) => {
      documents.set(path, { uri: `file:///${path}`, version, text });
      analyzer.schedule(path, 0);
      await analyzer.whenIdle();
    };
    const fresh = (files: Record<string, string>) => {
      const project = new Project(testConfig());
      for (const [path, text] of Object.entries(files)) project.setFile({ path, text });
      return project
        .analyzeFile('src/app.ts')
        .findings.filter((f) => !f.suppressed)
        .map((f) => f.ruleId)
        .sort();
    };
    const shown = (path: string) =>
      analyzer.results
        .get(path)!
        .findings.map((f) => f.ruleId)
        .sort();
    return { analyzer, edit, fresh, shown, results };
  }

  it('re-analyses a router when only the body of its middleware changed in another file (once typing pauses)', async () => {
    const { edit, fresh, shown } = routeSetup();
    await edit('src/mw.ts', 1, guarded);
    await edit('src/app.ts', 1, app);
    const before = shown('src/app.ts');
    expect(before).toEqual(fresh({ 'src/mw.ts': guarded, 'src/app.ts': app }));
    await edit('src/mw.ts', 2, open);
    const after = shown('src/app.ts');
    expect(after).toEqual(fresh({ 'src/mw.ts': open, 'src/app.ts': app }));
    expect(after).not.toEqual(before);
  });

  it('re-analyses a router when another file mounts it without authentication', async () => {
    const { edit, shown, results } = routeSetup();
    const router =
      "import { Router } from 'express';\nexport const router = Router();\nrouter.get('/patients/:id/results', (req, res) => res.json({ diagnostic: req.params.id }));\n";
    const mount = (middleware: string) =>
      `import express from 'express';\nimport { loadCaller } from './mw';\nimport { router } from './router';\nconst app = express();\napp.use('/api', ${middleware}router);\n`;
    await edit('src/mw.ts', 1, guarded);
    await edit('src/router.ts', 1, router);
    await edit('src/app.ts', 1, mount('loadCaller, '));
    const before = shown('src/router.ts');
    results.length = 0;
    await edit('src/app.ts', 2, mount(''));
    const files = { 'src/mw.ts': guarded, 'src/router.ts': router, 'src/app.ts': mount('') };
    const expected = new Project(testConfig());
    for (const [path, text] of Object.entries(files)) expected.setFile({ path, text });
    const after = shown('src/router.ts');
    expect(after).toEqual(
      expected
        .analyzeFile('src/router.ts')
        .findings.filter((f) => !f.suppressed)
        .map((f) => f.ruleId)
        .sort(),
    );
    expect(after).toContain('unauthenticated-route');
    expect(before).not.toContain('unauthenticated-route');
    expect(results.map((r) => r.path)).toContain('src/router.ts');
  });
});

describe('Analyzer erasure changes', () => {
  it('re-analyses the migration that made a copy when another migration starts dropping it', async () => {
    const { analyzer, documents } = setup();
    const edit = async (path: string, version: number, text: string) => {
      documents.set(path, { uri: `file:///${path}`, version, text });
      analyzer.schedule(path, 0);
      await analyzer.whenIdle();
    };
    const erasure = (path: string) =>
      analyzer.results.get(path)!.findings.filter((f) => f.ruleId === 'export-without-erasure').length;
    await edit('db/V1.sql', 1, 'CREATE TABLE patients (id INT, nom TEXT, nir CHAR(15));\n');
    await edit('db/V7.sql', 1, 'CREATE TABLE patients_bak AS SELECT * FROM patients;\n');
    await edit('db/V8.sql', 1, '-- cleanup to come\n');
    expect(erasure('db/V7.sql')).toBe(1);
    await edit('db/V8.sql', 2, 'DROP TABLE patients_bak;\n');
    expect(erasure('db/V7.sql')).toBe(0);
  });
});
