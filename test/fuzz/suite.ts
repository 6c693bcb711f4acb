import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { REPO_ROOT, SMOKE_CORPUS, testConfig } from '../helpers.js';
import { deepText, mutation, prismaText, regexRouteText, sourceFilesUnder, sqlText, tsText } from './arbitraries.js';
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
      fc.assert(
        fc.property(sqlText, (text) => analysisHolds(config, [{ path: 'db/fuzz.sql', text }])),
        params,
      );
    });
    it('SQL embedded in TypeScript strings', () => {
      fc.assert(
        fc.property(sqlText, (sql) =>
          analysisHolds(config, [
            {
              path: 'src/q.ts',
              text: `const q = \`${sql.replace(/`/g, '')}\`;\npool.query('${sql.replace(/['\n\\]/g, ' ')}');`,
            },
          ]),
        ),
        params,
      );
    });
    it('TypeScript and JavaScript, valid and broken', () => {
      fc.assert(
        fc.property(tsText, fc.boolean(), (text, js) =>
          analysisHolds(config, [
            { path: js ? 'src/a.js' : 'src/a.ts', text },
            { path: 'src/b.ts', text: 'export interface R { diagnostic: string; id: number }' },
          ]),
        ),
        params,
      );
    });
    it('route code whose paths, mounts and exceptions are regular expressions', () => {
      fc.assert(
        fc.property(regexRouteText, fc.boolean(), (text, js) =>
          analysisHolds(config, [{ path: js ? 'src/app.js' : 'src/app.ts', text }]),
        ),
        params,
      );
    });
    it('code nested up to 3,000 levels deep', () => {
      fc.assert(
        fc.property(deepText, (text) =>
          analysisHolds(config, [
            { path: 'src/deep.ts', text },
            { path: 'src/ok.ts', text: 'export const ok = 1;\n' },
          ]),
        ),
        { ...params, numRuns: Math.max(1, Math.ceil(runsPerProperty / 10)) },
      );
    });
    it('Prisma schemas', () => {
      fc.assert(
        fc.property(prismaText, (text) => analysisHolds(config, [{ path: 'prisma/schema.prisma', text }])),
        params,
      );
    });
    it('mutations of every file of examples/ and the shared corpus', () => {
      const perFile = Math.max(1, Math.ceil(runsPerProperty / Math.max(1, corpora.length)));
      for (const file of corpora) {
        fc.assert(
          fc.property(mutation(file.text), (text) => analysisHolds(config, [{ path: file.path, text }])),
          { ...params, numRuns: perFile },
        );
      }
    });
  });
}
