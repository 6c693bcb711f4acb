import ts from 'typescript';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Project } from '../../server/src/engine/index.js';
import { isModuleFile } from '../../server/src/engine/names/lexical.js';
import { TsProject } from '../../server/src/engine/ts-project.js';
import { covered, testConfig } from '../helpers.js';

const LOGGER = "import pino from 'pino';\nexport const logger = pino();\n";
const POOL = "import { Pool } from 'pg';\nexport const pool = new Pool();\n";
const SERVICE = [
  "import { pool } from '../db/pool';",
  "import { logger } from '../config/logger';",
  'export async function lire(site: string) {',
  '  const { rows } = await pool.query(`SELECT glycemie FROM resultat WHERE site = $1`, [site]);',
  '  for (const row of rows) {',
  "    logger.info({ glycemie: row.glycemie }, 'lu');",
  '  }',
  '}',
  '',
].join('\n');

/** Analyses `files`, then re-analyses `edited` after an edit; counts the checkers asked for during the re-analysis. */
function editAndCount(files: Record<string, string>, edited: string, text: string) {
  const project = new Project(testConfig({ only: ['health-data-in-logs'] }));
  for (const [path, t] of Object.entries(files)) project.setFile({ path, text: t });
  project.analyzeAll();
  const spy = vi.spyOn(TsProject.prototype, 'checker');
  project.setFile({ path: edited, text });
  const findings = project.analyzeFile(edited).findings;
  const calls = spy.mock.calls.length;
  spy.mockRestore();
  return { findings, calls };
}

/** Analyses every file of a fresh project; counts the checkers asked for. */
function analyzeAndCount(files: Record<string, string>, only: string[]) {
  const project = new Project(testConfig({ only }));
  for (const [path, t] of Object.entries(files)) project.setFile({ path, text: t });
  const spy = vi.spyOn(TsProject.prototype, 'checker');
  const findings = project.analyzeAll().findings;
  const calls = spy.mock.calls.length;
  spy.mockRestore();
  return { findings: findings.map((f) => `${f.file}: ${covered(files[f.file]!, f)}`), calls };
}

const ROUTE = [
  "import express from 'express';",
  "import { pool } from '../../db/pool';",
  "import { logger } from '@/config/logger';",
  'export const app = express();',
  "app.get('/resultats/:id', async (req, res) => {",
  "  const { rows } = await pool.query('SELECT glycemie FROM resultat WHERE id = $1', [req.params.id]);",
  '  logger.info({ glycemie: rows[0].glycemie });',
  '  res.json(rows);',
  '});',
  '',
].join('\n');

describe('bindings and types answered without the checker', () => {
  afterEach(() => vi.restoreAllMocks());

  it('an imported logger and a row of an untyped driver need no checker after an edit', () => {
    const files = { 'src/config/logger.ts': LOGGER, 'src/db/pool.ts': POOL, 'src/services/lire.ts': SERVICE };
    const edited = SERVICE.replace("'lu'", "'lu!'");
    const { findings, calls } = editAndCount(files, 'src/services/lire.ts', edited);
    expect(calls).toBe(0);
    expect(findings.map((f) => covered(edited, f))).toEqual(['row.glycemie']);
  });

  it('a logger held in a typed field still asks the checker, with the same finding', () => {
    const service = [
      "import { Logger } from './logger';",
      'export class Lecture {',
      '  constructor(private readonly logger: Logger) {}',
      '  lire(r: { glycemie: number }) {',
      "    this.logger.info({ glycemie: r.glycemie }, 'lu');",
      '  }',
      '}',
      '',
    ].join('\n');
    const files = {
      'src/logger.ts': 'export interface Logger { info(o: object, m: string): void }\n',
      'src/lecture.ts': service,
    };
    const { findings, calls } = editAndCount(files, 'src/lecture.ts', `${service}\n`);
    expect(calls).toBeGreaterThan(0);
    expect(findings.map((f) => covered(service, f))).toEqual(['r.glycemie']);
  });

  it('a scan needs no checker for values of untyped packages, unresolved imports, aliases and their callbacks', () => {
    // `../../db/pool` resolves to no file (any); `@/config/logger` resolves through the alias; `res` is a callback parameter of an untyped `app.get`.
    const files = { 'src/config/logger.ts': LOGGER, 'src/api/routes/resultats.ts': ROUTE };
    const { findings, calls } = analyzeAndCount(files, ['health-data-in-logs']);
    expect(calls).toBe(0);
    expect(findings).toEqual(['src/api/routes/resultats.ts: rows[0].glycemie']);
  });

  it('a value passed to a real type guard is narrowed: the checker is asked, the finding is the same', () => {
    const guarded = ROUTE.replace('  res.json(rows);', '  if (isRows(rows)) res.json(rows);').concat(
      'function isRows(x: unknown): x is { glycemie: number }[] { return Array.isArray(x); }\n',
    );
    const files = { 'src/config/logger.ts': LOGGER, 'src/api/routes/resultats.ts': guarded };
    const { findings, calls } = analyzeAndCount(files, ['health-data-in-logs']);
    expect(calls).toBeGreaterThan(0);
    expect(findings).toEqual(['src/api/routes/resultats.ts: rows[0].glycemie']);
  });

  it('a JavaScript file is a module when the binder would make it a CommonJS one', () => {
    const js = (text: string, name = 'm.js') =>
      ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
    expect(isModuleFile(js("const pg = require('pg');\nfunction helper() {}"))).toBe(true);
    expect(isModuleFile(js('function helper() {}\nmodule.exports = helper;'))).toBe(true);
    expect(isModuleFile(js('exports.helper = function () {};'))).toBe(true);
    expect(isModuleFile(js('function f() { module.exports.helper = 1; }'))).toBe(true);
    expect(isModuleFile(js('function helper() {}\nwindow.helper = helper;'))).toBe(false);
    expect(isModuleFile(js('helper.exports = 1;'))).toBe(false);
    // A TypeScript file without import/export is a script whatever it calls.
    expect(isModuleFile(ts.createSourceFile('m.ts', "const x = require('pg');", ts.ScriptTarget.Latest, true))).toBe(
      false,
    );
  });

  it('a CommonJS file keeps its top-level names: its logger is found, the finding is the same', () => {
    const model = [
      "const { DataTypes } = require('sequelize');",
      "const logger = require('pino')();",
      'function lire(dossier) {',
      '  logger.info(`diagnostic ${dossier.diagnostic}`);',
      '}',
      "module.exports = { lire, modele: (s) => s.define('Dossier', { diagnostic: DataTypes.TEXT }) };",
      '',
    ].join('\n');
    // JavaScript values still go to the checker (their JSDoc types); the bindings do not need it.
    const { findings } = analyzeAndCount({ 'src/models/dossier.model.js': model }, ['health-data-in-logs']);
    expect(findings).toEqual(['src/models/dossier.model.js: dossier.diagnostic']);
  });
});
