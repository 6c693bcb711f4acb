import { afterEach, describe, expect, it, vi } from 'vitest';
import { Project } from '../../server/src/engine/index.js';
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
    const files = { 'src/logger.ts': "export interface Logger { info(o: object, m: string): void }\n", 'src/lecture.ts': service };
    const { findings, calls } = editAndCount(files, 'src/lecture.ts', `${service}\n`);
    expect(calls).toBeGreaterThan(0);
    expect(findings.map((f) => covered(service, f))).toEqual(['r.glycemie']);
  });
});
