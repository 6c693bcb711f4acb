import { describe, expect, it } from 'vitest';
import { covered, findingsOf } from '../helpers.js';

// Values nobody's record holds: made up at random, a code that matched no expected value, or code
// that never runs. Each silent case has a reported neighbour that differs by the one thing that matters.

const RULE = 'health-data-in-logs';
const APP = '{ "name": "clinic-app", "private": true }';
const LIBRARY = '{ "name": "@clinic/core", "version": "1.0.0", "exports": "./src/index.ts" }';

type Case = { name: string; files: Record<string, string>; main: string };

/** A service that makes up a queue message: names and histories drawn from lists at random. */
const demoData = [
  "const ALLERGIES = ['pollen', 'penicillin', 'none'];",
  "const HISTORIES = ['asthma', 'none'];",
  'function pickOne<T>(list: T[]): T { return list[Math.floor(Math.random() * list.length)]; }',
  'export interface Visit { patientName: string; allergies: string; medicalHistory: string; diagnosis: string }',
  'export class DemoData {',
  '  generateVisit(): Visit { return { patientName: this.generateName(), allergies: pickOne(ALLERGIES), medicalHistory: pickOne(HISTORIES), diagnosis: pickOne(HISTORIES) }; }',
  "  private generateName() { return pickOne(['Ana', 'Ben']); }",
  '}',
].join('\n');

const reported: (Case & { found: string[] })[] = [
  {
    name: 'a record a generate-named method reads from the database',
    files: {
      'visits.ts':
        'export interface Visit { diagnosis: string }\nexport class Visits {\n  constructor(private db: { findVisit(id: string): Promise<Visit> }) {}\n  async generateSummary(id: string): Promise<Visit> { const v = await this.db.findVisit(id); return { diagnosis: `${v.diagnosis} (${Math.random()})` }; }\n}',
      'a.ts':
        "import { Visits } from './visits';\nexport async function show(visits: Visits, logger: { debug(...a: unknown[]): void }) {\n  const summary = await visits.generateSummary('1');\n  logger.debug('summary', JSON.stringify(summary));\n}",
    },
    main: 'a.ts',
    found: ['JSON.stringify(summary)'],
  },
  {
    name: 'a real record given a random id by a generate-named helper',
    files: {
      'a.ts':
        "import { randomUUID } from 'node:crypto';\ninterface Visit { diagnosis: string }\nfunction generateEntry(v: Visit) { return { id: randomUUID(), diagnosis: v.diagnosis }; }\nexport function f(v: Visit, logger: { info(...a: unknown[]): void }) { logger.info('entry', generateEntry(v)); }",
    },
    main: 'a.ts',
    found: ['generateEntry(v)'],
  },
  {
    name: 'a diagnosis in the default of a switch whose cases are not constants',
    files: {
      'a.ts':
        'export function check(r: { diagnosis: string }, expected: string, other: string) {\n  switch (r.diagnosis) {\n    case expected: return 1;\n    case other: return 2;\n    default: throw new Error(`unexpected ${r.diagnosis}`);\n  }\n}',
    },
    main: 'a.ts',
    found: ['r.diagnosis'],
  },
  {
    name: 'another field than the one the switch checked',
    files: {
      'a.ts':
        "const KINDS = { A: 'a', B: 'b' };\nexport function check(r: { kind: string; diagnosis: string }) {\n  switch (r.kind) {\n    case KINDS.A: return 1;\n    default: throw new Error(`kind ${r.kind} for ${r.diagnosis}`);\n  }\n}",
    },
    main: 'a.ts',
    found: ['r.diagnosis'],
  },
  {
    name: 'a value found in the allowed list (the other branch)',
    files: {
      'a.ts':
        "const ALLOWED = ['positive', 'negative'];\nexport function check(r: { diagnosis: string }) { if (ALLOWED.includes(r.diagnosis)) throw new Error(`seen ${r.diagnosis}`); }",
    },
    main: 'a.ts',
    found: ['r.diagnosis'],
  },
  {
    name: 'an exported function of an application that another file calls',
    files: {
      'package.json': APP,
      'src/dose.ts':
        'export function checkDose(item: { dosage: number; diagnosis: string }) { if (item.dosage > 10) throw new Error(`too much for ${item.diagnosis}`); }',
      'src/order.ts':
        "import { checkDose } from './dose';\nexport function order(i: { dosage: number; diagnosis: string }) { checkDose(i); }",
    },
    main: 'src/dose.ts',
    found: ['item.diagnosis'],
  },
  {
    name: 'an export of a library nothing in the repository calls (its users may)',
    files: {
      'package.json': LIBRARY,
      'src/dose.ts':
        'export function checkDose(item: { dosage: number; diagnosis: string }) { if (item.dosage > 10) throw new Error(`too much for ${item.diagnosis}`); }',
      'src/index.ts': "export * from './dose';",
    },
    main: 'src/dose.ts',
    found: ['item.diagnosis'],
  },
  {
    name: 'an export of an application module that others import directly, though none names it',
    files: {
      'package.json': APP,
      'src/visits.ts':
        "export function traceVisit(v: { diagnosis: string }) { console.error('visit', v.diagnosis); }\nexport function count() { return 1; }",
      'src/route.ts': "import { count } from './visits';\nexport const n = count();",
    },
    main: 'src/visits.ts',
    found: ['v.diagnosis'],
  },
  {
    name: 'an export of an application module no file imports (it may be loaded by its path)',
    files: {
      'package.json': APP,
      'src/jobs/nightly.ts':
        "export function traceVisit(v: { diagnosis: string }) { console.error('visit', v.diagnosis); }",
    },
    main: 'src/jobs/nightly.ts',
    found: ['v.diagnosis'],
  },
  {
    name: 'a function of an application called in its own file',
    files: {
      'package.json': APP,
      'src/job.ts':
        "import { db } from './db';\nasync function report(id: string) { const v: { diagnosis: string } = await db.visit(id); console.error('visit', v.diagnosis); }\nexport const run = () => report('1');",
    },
    main: 'src/job.ts',
    found: ['v.diagnosis'],
  },
  {
    name: 'a script (no import, no export): its functions are globals a page may call',
    files: {
      'package.json': APP,
      'server.js': "function show(visit) { throw new Error('bad visit ' + visit.diagnosis); }",
    },
    main: 'server.js',
    found: ['visit.diagnosis'],
  },
];

const silent: Case[] = [
  {
    name: 'a message a service makes up at random, logged by its caller',
    files: {
      'demo.ts': demoData,
      'a.ts':
        "import { DemoData } from './demo';\nexport class Queue {\n  constructor(private demo: DemoData, private logger: { debug(...a: unknown[]): void }) {}\n  send() { const payload = this.demo.generateVisit(); this.logger.debug('payload', JSON.stringify(payload)); }\n}",
    },
    main: 'a.ts',
  },
  {
    name: 'a record made with a faker',
    files: {
      'a.ts':
        "import { faker } from '@faker-js/faker';\ninterface Visit { diagnosis: string }\nfunction mockVisit(): Visit { return { diagnosis: faker.lorem.word() }; }\nexport function f(logger: { info(...a: unknown[]): void }) { logger.info('demo', mockVisit()); }",
    },
    main: 'a.ts',
  },
  {
    name: 'a result that matched none of the constant values of a switch',
    files: {
      'a.ts':
        "const RESULTS = { POSITIVE: 'Positive', NEGATIVE: 'Negative' };\nexport function coding(labTest: { result: string }) {\n  switch (labTest.result) {\n    case RESULTS.POSITIVE: return 'POS';\n    case RESULTS.NEGATIVE: return 'NEG';\n    default: {\n      const values = Object.values(RESULTS).join(', ');\n      throw new Error(`result was not one of [${values}]: ${labTest.result}`);\n    }\n  }\n}",
    },
    main: 'a.ts',
  },
  {
    name: 'a diagnosis code outside a constant list',
    files: {
      'a.ts':
        "const ALLOWED = ['A01', 'B02'];\nexport function check(r: { diagnosis: string }) { if (!ALLOWED.includes(r.diagnosis)) throw new Error(`unknown code ${r.diagnosis}`); }",
    },
    main: 'a.ts',
  },
  {
    name: 'an exported function of an application nothing calls, only re-exported by a folder index',
    files: {
      'package.json': APP,
      'src/utils/dose.ts':
        'export async function checkDoseAgainstGuide(item: { dosage: number; diagnosis: string }) { if (item.dosage > 10) throw new Error(`too much for ${item.diagnosis}`); }',
      'src/utils/index.ts': "export * from './dose';",
    },
    main: 'src/utils/dose.ts',
  },
  {
    name: 'a function of an application module nothing calls',
    files: {
      'package.json': APP,
      'src/job.ts':
        "import { db } from './db';\nasync function oldReport(id: string) { const v: { diagnosis: string } = await db.visit(id); console.error('visit', v.diagnosis); }\nexport const run = () => 1;",
    },
    main: 'src/job.ts',
  },
];

describe(`${RULE}: made-up values, unrecognised codes and code that never runs`, () => {
  it.each(reported)('reports $name', (c) => {
    const findings = findingsOf(RULE, c.files).filter((f) => f.file === c.main);
    expect(findings.map((f) => covered(c.files[c.main]!, f))).toEqual(c.found);
  });

  it.each(silent)('is silent on $name', (c) => {
    expect(findingsOf(RULE, c.files).filter((f) => f.file === c.main)).toEqual([]);
  });
});
