import { describe, expect, it } from 'vitest';
import { covered, findingsOf } from '../helpers.js';

const RULE = 'health-data-in-logs';

/** Shapes met on code the rule was not written against (holdout corpus test/holdout/flows). */
const invalid: { name: string; files: Record<string, string>; found: string[] }[] = [
  {
    name: 'a value typed with a domain type the checker cannot resolve (path alias, unbuilt package)',
    files: {
      'a.ts':
        "import type { LabResult } from '@acme/domain';\nexport function f(results: LabResult[]) { console.table(results); }",
    },
    found: ['results'],
  },
  {
    name: 'a field of a parameter typed with an unresolved domain type',
    files: {
      'a.ts':
        "import type { PathologyReport } from '@acme/domain';\nimport signale from 'signale';\nexport function f(report: PathologyReport) { signale.note(`Report: ${report.text}`); }",
    },
    found: ['report.text'],
  },
  {
    name: 'a record read from a data-access object named after a special-category collection',
    files: {
      'a.js':
        "const logger = require('pino')();\nasync function f(db, id) { const before = await db.results.findById(id); logger.warn({ before }, 'amended'); }",
    },
    found: ['before'],
  },
  {
    name: 'pino redact on another field does not mask the whole record',
    files: {
      'lib/logger.js': "const pino = require('pino');\nmodule.exports = pino({ redact: ['*.nhsNumber'] });",
      'a.js':
        "const log = require('./lib/logger').child({ m: 'results' });\nasync function f(repo) { const unmatched = await repo.observations.unmatched(); log.info({ unmatched }); }",
    },
    found: ['unmatched'],
  },
  {
    name: 'a winston custom level',
    files: {
      'a.ts':
        "import winston from 'winston';\nconst hl7 = winston.createLogger({ levels: { audit: 3 } });\nexport function f(r: { diagnosis: string }) { hl7.audit(`dx ${r.diagnosis}`); }",
    },
    found: ['r.diagnosis'],
  },
  {
    name: 'the comment of a lab result',
    files: {
      'a.ts':
        'interface LabResult { id: string; comment?: string }\nexport function f(results: LabResult[]) { for (const r of results) console.warn(`note on ${r.id}: ${r.comment}`); }',
    },
    found: ['r.comment'],
  },
];

const valid: { name: string; files: Record<string, string> }[] = [
  {
    name: 'a CommonJS logger from a project file whose pino redact covers the fields',
    files: {
      'lib/logger.js':
        "const pino = require('pino');\nmodule.exports = pino({ redact: { paths: ['*.nhsNumber', '*.dateOfBirth'] } });",
      'a.js':
        "const base = require('./lib/logger');\nconst log = base.child({ module: 'match' });\nfunction f(p) { log.info({ patient: { nhsNumber: p.nhsNumber, dateOfBirth: p.dateOfBirth } }, 'matched'); }",
    },
  },
  {
    name: 'counts and deletions on a special-category collection',
    files: {
      'a.js':
        "const logger = require('pino')();\nasync function f(db) { const n = await db.results.count(); const gone = await db.results.deleteExpired(); logger.info({ n, gone }); }",
    },
  },
  {
    name: 'an unresolved type whose name says nothing special',
    files: {
      'a.ts':
        "import type { SpecimenStatus } from '@acme/domain';\nexport function f(status: SpecimenStatus) { console.log('received', status); }",
    },
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
    const code =
      "export function f(r: { conclusion: string }) {\n  logger.info(\n    'saved',\n    { conclusion: r.conclusion },\n  );\n}";
    const [f] = findingsOf(RULE, { 'a.ts': code });
    expect(covered(code, f!)).toBe("logger.info(\n    'saved',\n    { conclusion: r.conclusion");
    const suppress = f!.fixes!.at(-1)!;
    expect(suppress.edits[0]!.start).toBe(code.indexOf('  logger.info('));
    const suppressed = code.replace(
      '  logger.info(',
      '  // gdpr-lint-disable-next-line health-data-in-logs -- reviewed\n  logger.info(',
    );
    expect(findingsOf(RULE, { 'a.ts': suppressed }).filter((x) => !x.suppressed)).toEqual([]);
  });
});

describe(`${RULE}: request bodies of routes mounted in another file`, () => {
  const files = (mount: string): Record<string, string> => ({
    'src/routes/notes.js':
      "const express = require('express');\nconst logger = require('pino')();\nconst router = express.Router();\nrouter.post('/:id/comments', (req, res) => { logger.info('received', req.body); res.sendStatus(201); });\nmodule.exports = router;",
    'src/app.js': `const express = require('express');\nconst app = express();\napp.use('${mount}', require('./routes/notes'));`,
  });

  it('reports req.body when the mount path names health data', () => {
    const f = findingsOf(RULE, files('/results'));
    expect(f.map((x) => [x.file, covered(files('/results')[x.file]!, x)])).toEqual([
      ['src/routes/notes.js', 'req.body'],
    ]);
    expect(f[0]!.data).toMatchObject({ category: 'lab-result', path: 'req.body' });
  });

  it('accepts it when neither the route nor its mount does', () => {
    expect(findingsOf(RULE, files('/tickets'))).toEqual([]);
  });
});

describe(`${RULE}: types imported through aliases the engine cannot read from tsconfig`, () => {
  const types = 'export interface Reading { id: string; hba1c: number }';
  const use = (specifier: string) =>
    `import type { Reading } from '${specifier}';\nexport function f(x: Reading) { console.log('reading', x); }`;

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

/**
 * Cases written before the fixes of the holdout misses (problem lists, OBX built field by field,
 * destructured request bodies, Prisma includes without a schema), in other loggers and names.
 */
describe(`${RULE}: clinical data named by its container`, () => {
  const cases: { name: string; code: string; found: string[] }[] = [
    {
      name: 'the conditions of an encounter, logged by log4js',
      code: "const log4js = require('log4js');\nconst logger = log4js.getLogger('ehr');\nfunction f(encounter) { logger.info('encounter', JSON.stringify(encounter.conditions)); }",
      found: ['JSON.stringify(encounter.conditions)'],
    },
    {
      name: 'the problems of a patient record in a Nest logger template',
      code: "import { Logger } from '@nestjs/common';\nconst logger = new Logger('chart');\nexport function f(patientRecord: { id: string; problems: string[] }) { logger.verbose(`chart ${patientRecord.id}: ${patientRecord.problems.join(', ')}`); }",
      found: ["patientRecord.problems.join(', ')"],
    },
    {
      name: 'a measurement built field by field from weak names, logged by bunyan',
      code: "const bunyan = require('bunyan');\nconst log = bunyan.createLogger({ name: 'poct' });\nfunction f(msg) { const measurement = { analyte: msg.a, value: msg.v, units: msg.u }; log.info({ measurement }, 'poct reading'); }",
      found: ['measurement'],
    },
    {
      name: 'a result panel filled after its declaration, in an Error message',
      code: "function f(row) { const panel = {}; panel.value = row[4]; panel.flag = row[7]; throw new Error('unfiled ' + JSON.stringify(panel)); }",
      found: ['JSON.stringify(panel)'],
    },
    {
      name: 'a field destructured from the body of a fastify lab-results route',
      code: "const fastify = require('fastify')();\nfastify.post('/lab-results/:id/notes', async (request) => { const { note } = request.body; request.log.warn(`note rejected: ${note}`); });",
      found: ['note'],
    },
    {
      name: "a Prisma read including a patient's conditions, without a schema in the project",
      code: "import { prisma } from './db';\nexport async function f(id: string) { const p = await prisma.patient.findUnique({ where: { id }, include: { conditions: true } }); console.debug('loaded', p); }",
      found: ['p'],
    },
  ];

  it.each(cases)('reports $name', ({ code, found }) => {
    const file = code.includes('import ') ? 'a.ts' : 'a.js';
    const findings = findingsOf(RULE, { [file]: code });
    expect(findings.map((f) => covered(code, f))).toEqual(found);
  });

  const clean: { name: string; code: string }[] = [
    {
      name: 'an API problem document (RFC 7807)',
      code: "function f(err) { const problem = { title: 'Bad request', detail: err.message, status: 400 }; console.warn({ problem }); }",
    },
    {
      name: 'the problem of an API error',
      code: "function f(apiErrors) { console.error('failed', apiErrors.problem); }",
    },
    {
      name: 'a setting built field by field',
      code: 'function f(v) { const setting = { value: v, flag: true }; console.info({ setting }); }',
    },
    {
      name: 'how many problems a patient has',
      code: 'function f(patient) { console.info(`patient ${patient.id}: ${patient.problems.length} problems`); }',
    },
    {
      name: 'a field destructured from the body of a route that names no health data',
      code: "const fastify = require('fastify')();\nfastify.post('/tickets/:id/notes', async (request) => { const { note } = request.body; request.log.warn(`note rejected: ${note}`); });",
    },
    {
      name: "a Prisma read including a user's sessions, without a schema",
      code: "import { prisma } from './db';\nexport async function f(id: string) { const u = await prisma.user.findUnique({ where: { id }, include: { sessions: true } }); console.debug('loaded', u); }",
    },
  ];

  it.each(clean)('accepts $name', ({ code }) => {
    expect(findingsOf(RULE, { [code.includes('import ') ? 'a.ts' : 'a.js']: code })).toEqual([]);
  });
});

describe(`${RULE}: records read for a patient`, () => {
  it('reports the free text of records a data-access method reads for a patient', () => {
    const code =
      "const log = require('pino')();\nasync function f(db, id) { const list = await db.problems.byPatient(id); log.debug(`list: ${list.map((p) => p.notes).join('; ')}`); }";
    expect(findingsOf(RULE, { 'a.js': code }).map((f) => covered(code, f))).toEqual([
      "list.map((p) => p.notes).join('; ')",
    ]);
  });

  it('accepts the ids of those records and the free text of records read for a ticket', () => {
    const ids =
      "const log = require('pino')();\nasync function f(db, id) { const conditions = await db.conditions.forPatient(id); log.debug(`conditions: ${conditions.map((c) => c.id).join('; ')}`); }";
    const tickets =
      "const log = require('pino')();\nasync function f(db, id) { const problems = await db.problems.forTicket(id); log.debug(`problems: ${problems.map((p) => p.description).join('; ')}`); }";
    expect(findingsOf(RULE, { 'a.js': ids })).toEqual([]);
    expect(findingsOf(RULE, { 'a.js': tickets })).toEqual([]);
  });
});

describe(`${RULE}: request bodies of routes that name a patient's record`, () => {
  const nest = (path: string, field: string) =>
    `import { Body, Controller, Logger, Post } from '@nestjs/common';\nclass NoteDto { text: string; page?: number }\n@Controller('patients')\nexport class C {\n  private readonly logger = new Logger('c');\n  @Post('${path}')\n  add(@Body() dto: NoteDto) { this.logger.warn(\`rejected: \${${field}}\`); }\n}`;

  it('reports the free text of a Nest @Body() on a route under a patient', () => {
    const code = nest(':id/problems', 'dto.text');
    expect(findingsOf(RULE, { 'a.ts': code }).map((f) => covered(code, f))).toEqual(['dto.text']);
  });

  it.each([
    ['another field of that body', nest(':id/problems', 'dto.page')],
    ['the free text of a body on a route naming nothing special', nest(':id/appointments', 'dto.text')],
  ])('accepts %s', (_name, code) => {
    expect(findingsOf(RULE, { 'a.ts': code })).toEqual([]);
  });

  it('accepts a destructured field that is not free text, on a lab-results route', () => {
    const code =
      "const fastify = require('fastify')();\nfastify.get('/lab-results', async (request) => { const { page } = request.query; request.log.info(`page ${page}`); });";
    expect(findingsOf(RULE, { 'a.js': code })).toEqual([]);
  });
});
