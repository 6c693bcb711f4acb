import { describe, expect, it } from 'vitest';
import { covered, findingsOf } from '../helpers.js';

const RULE = 'health-data-in-logs';

/** Shapes met on code the rule was not written against (holdout corpus test/holdout/flows). */
const invalid: { name: string; files: Record<string, string>; found: string[] }[] = [
  {
    name: 'a value typed with a domain type the checker cannot resolve (path alias, unbuilt package)',
    files: { 'a.ts': "import type { LabResult } from '@acme/domain';\nexport function f(results: LabResult[]) { console.table(results); }" },
    found: ['results'],
  },
  {
    name: 'a field of a parameter typed with an unresolved domain type',
    files: { 'a.ts': "import type { PathologyReport } from '@acme/domain';\nimport signale from 'signale';\nexport function f(report: PathologyReport) { signale.note(`Report: ${report.text}`); }" },
    found: ['report.text'],
  },
  {
    name: 'a record read from a data-access object named after a special-category collection',
    files: { 'a.js': "const logger = require('pino')();\nasync function f(db, id) { const before = await db.results.findById(id); logger.warn({ before }, 'amended'); }" },
    found: ['before'],
  },
  {
    name: 'pino redact on another field does not mask the whole record',
    files: {
      'lib/logger.js': "const pino = require('pino');\nmodule.exports = pino({ redact: ['*.nhsNumber'] });",
      'a.js': "const log = require('./lib/logger').child({ m: 'results' });\nasync function f(repo) { const unmatched = await repo.observations.unmatched(); log.info({ unmatched }); }",
    },
    found: ['unmatched'],
  },
  {
    name: 'a winston custom level',
    files: { 'a.ts': "import winston from 'winston';\nconst hl7 = winston.createLogger({ levels: { audit: 3 } });\nexport function f(r: { diagnosis: string }) { hl7.audit(`dx ${r.diagnosis}`); }" },
    found: ['r.diagnosis'],
  },
  {
    name: 'the comment of a lab result',
    files: { 'a.ts': "interface LabResult { id: string; comment?: string }\nexport function f(results: LabResult[]) { for (const r of results) console.warn(`note on ${r.id}: ${r.comment}`); }" },
    found: ['r.comment'],
  },
];

const valid: { name: string; files: Record<string, string> }[] = [
  {
    name: 'a CommonJS logger from a project file whose pino redact covers the fields',
    files: {
      'lib/logger.js': "const pino = require('pino');\nmodule.exports = pino({ redact: { paths: ['*.nhsNumber', '*.dateOfBirth'] } });",
      'a.js': "const base = require('./lib/logger');\nconst log = base.child({ module: 'match' });\nfunction f(p) { log.info({ patient: { nhsNumber: p.nhsNumber, dateOfBirth: p.dateOfBirth } }, 'matched'); }",
    },
  },
  {
    name: 'counts and deletions on a special-category collection',
    files: { 'a.js': "const logger = require('pino')();\nasync function f(db) { const n = await db.results.count(); const gone = await db.results.deleteExpired(); logger.info({ n, gone }); }" },
  },
  {
    name: 'an unresolved type whose name says nothing special',
    files: { 'a.ts': "import type { SpecimenStatus } from '@acme/domain';\nexport function f(status: SpecimenStatus) { console.log('received', status); }" },
  },
];

describe(`${RULE} on code in other styles`, () => {
  it.each(invalid)('reports $name', ({ files, found }) => {
    const findings = findingsOf(RULE, files).filter((f) => f.file === 'a.ts' || f.file === 'a.js');
    expect(findings.map((f) => covered(files[f.file]!, f))).toEqual(found);
  });

  it.each(valid)('accepts $name', ({ files }) => {
    expect(findingsOf(RULE, files)).toEqual([]);
  });

  it('starts the range of a multi-line call at the call, so the finding and its suppression sit on the statement line', () => {
    const code = "export function f(r: { conclusion: string }) {\n  logger.info(\n    'saved',\n    { conclusion: r.conclusion },\n  );\n}";
    const [f] = findingsOf(RULE, { 'a.ts': code });
    expect(covered(code, f!)).toBe("logger.info(\n    'saved',\n    { conclusion: r.conclusion");
    const suppress = f!.fixes!.at(-1)!;
    expect(suppress.edits[0]!.start).toBe(code.indexOf('  logger.info('));
    const suppressed = code.replace('  logger.info(', '  // gdpr-lint-disable-next-line health-data-in-logs -- reviewed\n  logger.info(');
    expect(findingsOf(RULE, { 'a.ts': suppressed }).filter((x) => !x.suppressed)).toEqual([]);
  });
});

describe(`${RULE}: request bodies of routes mounted in another file`, () => {
  const files = (mount: string): Record<string, string> => ({
    'src/routes/notes.js': "const express = require('express');\nconst logger = require('pino')();\nconst router = express.Router();\nrouter.post('/:id/comments', (req, res) => { logger.info('received', req.body); res.sendStatus(201); });\nmodule.exports = router;",
    'src/app.js': `const express = require('express');\nconst app = express();\napp.use('${mount}', require('./routes/notes'));`,
  });

  it('reports req.body when the mount path names health data', () => {
    const f = findingsOf(RULE, files('/results'));
    expect(f.map((x) => [x.file, covered(files('/results')[x.file]!, x)])).toEqual([['src/routes/notes.js', 'req.body']]);
    expect(f[0]!.data).toMatchObject({ category: 'lab-result', path: 'req.body' });
  });

  it('accepts it when neither the route nor its mount does', () => {
    expect(findingsOf(RULE, files('/tickets'))).toEqual([]);
  });
});

describe(`${RULE}: types imported through aliases the engine cannot read from tsconfig`, () => {
  const types = 'export interface Reading { id: string; hba1c: number }';
  const use = (specifier: string) => `import type { Reading } from '${specifier}';\nexport function f(x: Reading) { console.log('reading', x); }`;

  it.each([
    ['`@/` from the app folder', 'web/lib/types.ts', 'web/app/a.ts', '@/lib/types'],
    ['`~/` from its src folder', 'web/src/lib/types.ts', 'web/src/app/a.ts', '~/lib/types'],
    ['a scoped workspace package', 'packages/domain/src/index.ts', 'apps/api/src/a.ts', '@acme/domain'],
  ])('resolves %s', (_name, typesFile, useFile, specifier) => {
    const findings = findingsOf(RULE, { [typesFile]: types, [useFile]: use(specifier) });
    expect(findings.map((f) => [f.file, covered(use(specifier), f)])).toEqual([[useFile, 'x']]);
  });

  it('leaves an unresolvable alias without evidence when the type name says nothing', () => {
    expect(findingsOf(RULE, { 'web/app/a.ts': use('@/lib/missing') })).toEqual([]);
  });
});
