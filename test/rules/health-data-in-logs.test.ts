import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../server/src/engine/index.js';
import { covered, findingsOf } from '../helpers.js';

const RULE = 'health-data-in-logs';

/** Each case: the files, and the exact text of each finding in `a.ts`. */
const invalid: { name: string; code: string; found: string[]; other?: Record<string, string> }[] = [
  {
    name: 'console.log of a field',
    code: "function f(r) { console.log('result', r.diagnosis); }",
    found: ['r.diagnosis'],
  },
  {
    name: 'console.error in a template',
    code: 'function f(p) { console.error(`patient ${p.id}: ${p.hivStatus}`); }',
    found: ['p.hivStatus'],
  },
  {
    name: 'one finding per call, at the first value',
    code: 'function f(r) { console.warn(`${r.conclusion} / ${r.diagnosis}`); }',
    found: ['r.conclusion'],
  },
  {
    name: 'winston logger created here',
    code: "import winston from 'winston';\nconst audit = winston.createLogger({});\nfunction f(r) { audit.info('x', { conclusion: r.conclusion }); }",
    found: ['r.conclusion'],
  },
  {
    name: 'pino logger imported from another file',
    code: "import { journal } from './log';\nfunction f(r) { journal.warn({ dx: r.diagnosis }, 'x'); }",
    other: { 'log.ts': "import pino from 'pino';\nexport const journal = pino();" },
    found: ['r.diagnosis'],
  },
  {
    name: 'bunyan',
    code: "const bunyan = require('bunyan');\nconst out = bunyan.createLogger({ name: 'a' });\nfunction f(r) { out.error({ interpretation: r.interpretation }); }",
    found: ['r.interpretation'],
  },
  {
    name: 'log4js',
    code: "import log4js from 'log4js';\nconst l4 = log4js.getLogger('lab');\nfunction f(r) { l4.debug(r.interpretation); }",
    found: ['r.interpretation'],
  },
  {
    name: 'debug instance',
    code: "import createDebug from 'debug';\nconst trace = createDebug('lab:hl7');\nfunction f(obx) { trace('OBX %s', obx.interpretation); }",
    found: ['obx.interpretation'],
  },
  {
    name: 'NestJS Logger field',
    code: "import { Logger } from '@nestjs/common';\nclass S { private readonly logger = new Logger(S.name);\n  f(r) { this.logger.log(`dx ${r.diagnosis}`); } }",
    found: ['r.diagnosis'],
  },
  {
    name: 'conventional name (req.log)',
    code: 'function h(req, r) { req.log.info({ diagnosis: r.diagnosis }); }',
    found: ['r.diagnosis'],
  },
  {
    name: 'child logger',
    code: "import pino from 'pino';\nconst base = pino();\nconst child = base.child({ m: 1 });\nfunction f(r) { child.info(r.conclusion); }",
    found: ['r.conclusion'],
  },
  {
    name: 'fastify request.log',
    code: 'async function h(request, r) { request.log.warn({ conclusion: r.conclusion }, "saved"); }',
    found: ['r.conclusion'],
  },
  {
    name: 'pino from require()()',
    code: "const log = require('pino')();\nfunction f(r) { log.info(r.diagnosis); }",
    found: ['r.diagnosis'],
  },
  {
    name: 'winston named createLogger and log(level, msg)',
    code: "import { createLogger } from 'winston';\nconst w = createLogger({});\nfunction f(r) { w.log('info', `dx ${r.diagnosis}`); }",
    found: ['r.diagnosis'],
  },
  {
    name: 'injected logger (NestJS / pino-nestjs)',
    code: 'class S { constructor(private readonly logger: PinoLogger) {}\n  f(r) { this.logger.info({ interpretation: r.interpretation }); } }',
    found: ['r.interpretation'],
  },
  {
    name: 'console.table of results',
    code: 'function f(r) { console.table([{ dx: r.diagnosis }]); }',
    found: ['r.diagnosis'],
  },
  {
    name: 'new Error message',
    code: 'function f(r) { throw new Error(`bad unit for ${r.diagnosis}`); }',
    found: ['r.diagnosis'],
  },
  {
    name: 'custom exception',
    code: 'function f(r) { return new BadRequestException(`invalid ${r.conclusion}`); }',
    found: ['r.conclusion'],
  },
  { name: 'throw of a string', code: 'function f(r) { throw `bad ${r.diagnosis}`; }', found: ['r.diagnosis'] },
  {
    name: 'JSON.stringify of a list',
    code: "function f(results) { console.log('batch', JSON.stringify(results.map((r) => r.conclusion))); }",
    found: ['JSON.stringify(results.map((r) => r.conclusion))'],
  },
  {
    name: 'pino redact does not cover the message string',
    code: "import pino from 'pino';\nconst log = pino({ redact: ['*.diagnosis'] });\nfunction f(r) { log.error(`dx ${r.diagnosis}`); }",
    found: ['r.diagnosis'],
  },
  {
    name: 'pino redact path that misses the field',
    code: "import pino from 'pino';\nconst log = pino({ redact: { paths: ['patient.nir'] } });\nfunction f(r) { log.info({ diagnosis: r.diagnosis }); }",
    found: ['r.diagnosis'],
  },
  {
    name: 'req.body of a results route',
    code: "router.post('/resultats/:id', (req, res) => { logger.info('received', req.body); });",
    found: ['req.body'],
  },
];

const valid: { name: string; code: string; other?: Record<string, string> }[] = [
  {
    name: 'ids, barcodes, statuses, counts',
    code: 'function f(r, rows) { console.info(`result ${r.id} tube ${r.codeBarre} ${r.statut} (${rows.length} rows)`, { resultatId: r.id, nb: rows.length }); }',
  },
  {
    name: 'aggregate names',
    code: "function f(s) { logger.info('stats', { totalDiagnoses: s.total, countPositive: s.count, durationMs: 12 }); }",
  },
  {
    name: 'a redaction helper',
    code: "function f(r) { logger.info('x', { diagnosis: redact(r.diagnosis), dx: maskValue(r.conclusion) }); }",
  },
  { name: "the team's redaction helper", code: "function f(r) { logger.info('x', hideIt(r.diagnosis)); }" },
  {
    name: 'pino redact covering the field',
    code: "import pino from 'pino';\nconst log = pino({ redact: ['*.diagnosis', 'conclusion'] });\nfunction f(r) { log.info({ result: { diagnosis: r.diagnosis }, conclusion: r.conclusion }, 'saved'); }",
  },
  {
    name: 'winston masking format',
    code: "import winston from 'winston';\nconst log = winston.createLogger({ format: winston.format.combine(redactSensitive(), winston.format.json()) });\nfunction f(r) { log.info(`dx ${r.diagnosis}`); }",
  },
  { name: 'not a logger', code: 'function f(r) { store.info(r.diagnosis); catalog.log(r.diagnosis); }' },
  {
    name: 'error without health data',
    code: "function f(err) { logger.error('Unhandled', { message: err.message, stack: err.stack }); throw new Error('failed'); }",
  },
  { name: 'logging the error object only once', code: 'function f(r) { logger.error(new Error(`x`)); }' },
  { name: 'a status of a sample', code: "function f(p) { console.info('sample', p.codeBarre, p.statut, p.recuLe); }" },
];

describe(RULE, () => {
  it.each(invalid)('reports $name', ({ code, found, other = {} }) => {
    const findings = findingsOf(RULE, { 'a.ts': code, ...other }).filter((f) => f.file === 'a.ts');
    expect(findings.map((f) => covered(code, f))).toEqual(found);
  });

  it.each(valid)('accepts $name', ({ code, other = {} }) => {
    expect(findingsOf(RULE, { 'a.ts': code, ...other }, { redaction: { functions: ['hideIt'] } })).toEqual([]);
  });

  it('names the sink and the category', () => {
    const [f] = findingsOf(RULE, { 'a.ts': "function f(r) { console.log('result', r.diagnosis); }" });
    expect(f!.message).toMatch(/^Health data reaches the log \(console\.log\): health condition \(`.*`\)/);
    expect(f!.data).toMatchObject({ sink: 'console.log', category: 'health-condition' });
  });

  it('offers the id of a typed object, the redact() wrap and the suppression comment', () => {
    const code = [
      'interface Report { id: string; conclusion: string }',
      'function f(report: Report) {',
      "  console.log('sent', report.conclusion, { report });",
      '}',
    ].join('\n');
    const [f] = findingsOf(RULE, {
      'a.ts': code,
      'lib/redact.ts': "export function redact(value: unknown): string { return '***'; }\n",
    });
    expect(f!.fixes!.map((x) => x.title)).toEqual([
      'Wrap `report.conclusion` in redact()',
      'Suppress health-data-in-logs on this line (with a justification)',
    ]);
    const fixed = applyEdits(code, f!.fixes![0]!.edits).text;
    expect(fixed).toContain("console.log('sent', redact(report.conclusion), { report });");
    // The helper comes with its import, from where the project declares it.
    expect(fixed.startsWith("import { redact } from './lib/redact';\n")).toBe(true);
  });

  it('offers no redact() wrap when the project has no such helper to import', () => {
    const code = "function f(report: { conclusion: string }) {\n  console.log('sent', report.conclusion);\n}\n";
    const [f] = findingsOf(RULE, { 'a.ts': code });
    expect(f!.fixes!.map((x) => x.title)).toEqual(['Suppress health-data-in-logs on this line (with a justification)']);
  });

  it('replaces a logged object by its id when its type has one', () => {
    const code =
      "interface Dx { id: string; diagnosis: string }\nfunction f(dx: Dx) {\n  console.log('sent', { diagnosis: dx });\n}";
    const [f] = findingsOf(RULE, { 'a.ts': code });
    expect(f!.fixes![0]!.title).toBe('Replace `dx` by its id');
    expect(f!.fixes![0]!.isPreferred).toBe(true);
    expect(applyEdits(code, f!.fixes![0]!.edits).text).toContain("console.log('sent', { diagnosis: { id: dx.id } });");
  });

  it('uses the configured redaction helper and handles shorthand properties', () => {
    const code = 'function f(diagnosis) { logger.info({ diagnosis }); }';
    const lib = "const maskPhi = (v) => '***';\nmodule.exports = { maskPhi };\n";
    const [f] = findingsOf(
      RULE,
      { 'a.ts': code, 'lib/phi.js': lib, 'b.ts': "import { maskPhi } from './lib/phi';\nexport const m = maskPhi;\n" },
      { redaction: { functions: ['maskPhi'] } },
    );
    expect(applyEdits(code, f!.fixes![0]!.edits).text).toBe(
      'import { maskPhi } from "./lib/phi";\n\nfunction f(diagnosis) { logger.info({ diagnosis: maskPhi(diagnosis) }); }',
    );
  });
});
