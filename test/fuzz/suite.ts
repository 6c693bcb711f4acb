import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { REPO_ROOT, SMOKE_CORPUS, testConfig } from '../helpers.js';
import { mutation, prismaText, sourceFilesUnder, sqlText, tsText } from './arbitraries.js';
import { analysisHolds } from './property.js';

/**
 * The fuzz suite, run with a number of cases per property: a small seed-fixed sample in
 * `npm test`, at least 10,000 cases in all with `npm run test:fuzz`.
 */
export function fuzzSuite(runsPerProperty: number, seed: number | undefined): void {
  const config = testConfig({ timeBudgetMs: 5000 });
  const params = { numRuns: runsPerProperty, seed, endOnFailure: true };
  const corpora = [join(REPO_ROOT, 'examples'), SMOKE_CORPUS].filter(existsSync).flatMap(sourceFilesUnder);

  describe('analyze never throws and keeps ranges inside the file', () => {
    it('SQL in four dialects', () => {
      fc.assert(fc.property(sqlText, (text) => analysisHolds(config, [{ path: 'db/fuzz.sql', text }])), params);
    });
    it('SQL embedded in TypeScript strings', () => {
      fc.assert(fc.property(sqlText, (sql) => analysisHolds(config, [{ path: 'src/q.ts', text: `const q = \`${sql.replace(/`/g, '')}\`;\npool.query('${sql.replace(/['\n\\]/g, ' ')}');` }])), params);
    });
    it('TypeScript and JavaScript, valid and broken', () => {
      fc.assert(fc.property(tsText, fc.boolean(), (text, js) => analysisHolds(config, [{ path: js ? 'src/a.js' : 'src/a.ts', text }, { path: 'src/b.ts', text: 'export interface R { diagnostic: string; id: number }' }])), params);
    });
    it('Prisma schemas', () => {
      fc.assert(fc.property(prismaText, (text) => analysisHolds(config, [{ path: 'prisma/schema.prisma', text }])), params);
    });
    it('mutations of every file of examples/ and the shared corpus', () => {
      const perFile = Math.max(1, Math.ceil(runsPerProperty / Math.max(1, corpora.length)));
      for (const file of corpora) {
        fc.assert(fc.property(mutation(file.text), (text) => analysisHolds(config, [{ path: file.path, text }])), { ...params, numRuns: perFile });
      }
    });
  });
}
