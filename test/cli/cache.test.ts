import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Project, type Detector } from '../../server/src/engine/index.js';
import type { SchemaCollector } from '../../server/src/engine/facts.js';
import { ResultCache } from '../../server/src/host/cache.js';
import { testConfig } from '../helpers.js';
import { runInProcess } from './run-cli.js';

// A cross-file rule: a TS file's finding depends on a table declared in a SQL file.
const tables: SchemaCollector = {
  name: 'test-ddl',
  languages: ['sql'],
  collect: (file) =>
    [...file.text.matchAll(/CREATE TABLE (\w+)/g)].map((m) => ({
      name: m[1]!,
      kind: 'table' as const,
      source: 'sql' as const,
      file: file.path,
      range: { start: m.index!, end: m.index! + m[0].length },
      columns: [],
    })),
};
const queriesOfKnownTables: Detector = {
  ruleId: 'select-star-export',
  languages: ['typescript'],
  check(ctx) {
    for (const m of ctx.file.text.matchAll(/FROM (\w+)/g)) {
      if (ctx.project.schema.has(m[1]!))
        ctx.report({ range: { start: m.index!, end: m.index! + m[0].length }, message: `query on ${m[1]}` });
    }
  },
};

function scanWithCache(file: string, files: Record<string, string>) {
  const config = testConfig();
  const project = new Project(config, { detectors: [queriesOfKnownTables], collectors: [tables] });
  for (const [path, text] of Object.entries(files)) project.setFile({ path, text });
  const cache = new ResultCache(file, ResultCache.runKey(config, 'test'), new Map(Object.entries(files)));
  const messages: string[] = [];
  for (const path of Object.keys(files).sort()) {
    const hit = cache.get(path, project);
    const result = hit ?? project.analyzeFile(path);
    if (!hit) cache.set(path, project, result);
    messages.push(...result.findings.map((f) => `${f.file}: ${f.message}`));
  }
  cache.save();
  return { messages, hits: cache.hits, misses: cache.misses };
}

describe('result cache', () => {
  const files = {
    'db/schema.sql': 'CREATE TABLE analyses (id INT);\n',
    'src/a.ts': 'const q = `SELECT id FROM analyses`;\n',
    'src/b.ts': 'const r = `SELECT id FROM settings`;\n',
  };

  it('a warm scan of an unchanged project reuses every file and gives the same findings', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gdpr-cache-')), 'results.json');
    const cold = scanWithCache(file, files);
    expect(cold).toMatchObject({ hits: 0, misses: 3 });
    const warm = scanWithCache(file, files);
    expect(warm).toEqual({ messages: cold.messages, hits: 3, misses: 0 });
  });

  it('is never stale: a schema change in one file re-analyses the files that depend on it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gdpr-cache-')), 'results.json');
    expect(scanWithCache(file, files).messages).toEqual(['src/a.ts: query on analyses']);
    const moreTables = {
      ...files,
      'db/schema.sql': 'CREATE TABLE analyses (id INT);\nCREATE TABLE settings (id INT);\n',
    };
    const after = scanWithCache(file, moreTables);
    expect(after.messages).toEqual(['src/a.ts: query on analyses', 'src/b.ts: query on settings']);
    expect(after.hits).toBe(0);
  });

  it('is never stale: a DROP TABLE in a later migration re-analyses the file that made the copy', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gdpr-cache-')), 'results.json');
    const scan = (project: Record<string, string>) => {
      const config = testConfig({ only: ['export-without-erasure'] });
      const engine = new Project(config);
      for (const [path, text] of Object.entries(project)) engine.setFile({ path, text });
      const cache = new ResultCache(file, ResultCache.runKey(config, 'test'), new Map(Object.entries(project)));
      const found: string[] = [];
      for (const path of Object.keys(project).sort()) {
        const result = cache.get(path, engine) ?? engine.analyzeFile(path);
        cache.set(path, engine, result);
        found.push(...result.findings.map((f) => `${f.ruleId} ${f.file}`));
      }
      cache.save();
      return found;
    };
    const migrations = {
      'db/V1.sql': 'CREATE TABLE patients (id INT, nom TEXT, nir CHAR(15));\n',
      'db/V7.sql': 'CREATE TABLE patients_bak AS SELECT * FROM patients;\n',
    };
    expect(scan(migrations)).toEqual(['export-without-erasure db/V7.sql']);
    expect(scan({ ...migrations, 'db/V8.sql': 'DROP TABLE patients_bak;\n' })).toEqual([]);
  });

  it('re-analyses only the edited file when the edit changes no project fact', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gdpr-cache-')), 'results.json');
    scanWithCache(file, files);
    const edited = { ...files, 'db/schema.sql': '-- a comment\nCREATE TABLE analyses (id INT);\n' };
    // The table moved (its range is a fact), so facts changed: everything is recomputed, correctly.
    expect(scanWithCache(file, edited).hits).toBe(0);
    const sqlQuery = { ...edited, 'db/q.sql': 'SELECT 1;\n' };
    scanWithCache(file, sqlQuery);
    const queryEdited = scanWithCache(file, { ...sqlQuery, 'db/q.sql': 'SELECT 2;\n' });
    expect(queryEdited).toMatchObject({ hits: 3, misses: 1 });
  });

  it('a new rule pack or config invalidates everything', () => {
    expect(ResultCache.runKey(testConfig(), '1')).not.toBe(
      ResultCache.runKey(testConfig({ only: ['select-star-export'] }), '1'),
    );
    expect(ResultCache.runKey(testConfig(), '1')).not.toBe(ResultCache.runKey(testConfig(), '2'));
  });

  it('--cache gives the same output cold and warm', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdpr-cache-cli-'));
    writeFileSync(join(dir, 'a.ts'), "export const nir = '185057800608491';\n");
    const run = () => runInProcess(['scan', '.', '--format', 'json', '--cache', '--cache-location', '.cache/gl'], dir);
    const strip = (s: string) => s.replace(/"durationMs": \d+/, '');
    const cold = await run();
    const warm = await run();
    expect(strip(warm.stdout)).toBe(strip(cold.stdout));
    expect(JSON.parse(cold.stdout).findings).toHaveLength(1);
  });
});
