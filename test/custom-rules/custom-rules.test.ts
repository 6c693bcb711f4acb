import { describe, expect, it } from 'vitest';
import { Project, type Finding, type RuleMeta } from '../../server/src/engine/index.js';
import { customRuleDetectors } from '../../server/src/engine/custom/index.js';
import { covered, testConfig, testPack } from '../helpers.js';

const BASE = {
  title: 'Team rule',
  severity: 'error',
  gdpr: ['Art. 32'],
  message: 'Team rule broken.',
  docs: './docs/team.md',
} as const;

function rule(id: string, kind: string, match: Record<string, unknown>): RuleMeta {
  return { ...BASE, id, kind, match };
}

/** Runs one team rule over in-memory files; returns `file:covered-text` of its findings. */
function run(meta: RuleMeta, files: Record<string, string>): string[] {
  const pack = testPack();
  const config = testConfig({ pack: { ...pack, rules: { ...pack.rules, [meta.id]: meta } }, only: [meta.id] });
  const project = new Project(config);
  for (const [path, text] of Object.entries(files)) project.setFile({ path, text });
  return project.analyzeAll().findings.map((f: Finding) => `${f.file}:${covered(files[f.file]!, f)}`);
}

describe('team rules are detectors built from data', () => {
  it('builds one detector per team rule and none for built-ins', () => {
    const pack = testPack();
    const config = testConfig({
      pack: {
        ...pack,
        rules: {
          ...pack.rules,
          a: rule('a', 'sink', { calls: ['x.send'] }),
          b: rule('b', 'sql', { require: ['where'] }),
        },
      },
    });
    expect(customRuleDetectors(config).map((d) => d.ruleId)).toEqual(['a', 'b']);
    expect(customRuleDetectors(testConfig())).toEqual([]);
  });
});

describe('sink rule', () => {
  const kafka = rule('no-phi-to-kafka', 'sink', {
    calls: ['kafkaProducer.send', 'auditTrail.push', '*.sendORU'],
    sanitizers: ['redactPhi'],
  });
  it.each([
    [
      'a value carrying health data',
      'await this.kafkaProducer.send({ topic: "t", messages: [{ value: result.diagnostic }] });',
      ['result.diagnostic'],
    ],
    ['a shorthand property', 'auditTrail.push({ user, diagnostic });', ['diagnostic']],
    ['any receiver with *.sendORU', 'hl7Client.sendORU(serologieVih);', ['serologieVih']],
    [
      'through JSON.stringify',
      'kafkaProducer.send(JSON.stringify(patient.diagnostic));',
      ['JSON.stringify(patient.diagnostic)'],
    ],
    ['wrapped by the sanitizer', 'kafkaProducer.send(redactPhi(result.diagnostic));', []],
    ['sanitized inside a template', 'kafkaProducer.send(`${redactPhi(result.diagnostic)}`);', []],
    [
      'sanitized part and a raw part',
      'kafkaProducer.send(fmt(redactPhi(a.diagnostic), b.diagnostic));',
      ['fmt(redactPhi(a.diagnostic), b.diagnostic)'],
    ],
    ['no health data', 'kafkaProducer.send({ topic: "orders", value: order.id });', []],
    ['another producer method', 'kafkaProducer.connect(result.diagnostic);', []],
  ])('%s', (_name, code, expected) => {
    expect(run(kafka, { 'src/a.ts': code })).toEqual(expected.map((e) => `src/a.ts:${e}`));
  });

  it('only checks the argument positions given', () => {
    const second = rule('second-only', 'sink', { calls: ['bus.emit'], arguments: [1] });
    expect(run(second, { 'a.ts': 'bus.emit(diagnostic, diagnostic);' })).toEqual(['a.ts:diagnostic']);
  });

  it('accepts the team redaction functions as sanitizers', () => {
    const pack = testPack();
    const meta = rule('k', 'sink', { calls: ['kafkaProducer.send'] });
    const config = testConfig({
      pack: { ...pack, rules: { ...pack.rules, k: meta } },
      only: ['k'],
      redaction: { functions: ['maskPhi'] },
    });
    const project = new Project(config);
    project.setFile({ path: 'a.ts', text: 'kafkaProducer.send(maskPhi(r.diagnostic));' });
    expect(project.analyzeAll().findings).toEqual([]);
  });
});

describe('SQL rule', () => {
  it.each([
    [
      'SELECT from resultats without WHERE',
      { tables: ['resultats'], statements: ['select'], require: ['where'] },
      'SELECT id, valeur FROM resultats;\nSELECT id FROM resultats WHERE patient_id = $1;\nSELECT * FROM app_settings;',
      ['resultats'],
    ],
    [
      'a WHERE in a subquery does not count',
      { tables: ['resultats'], require: ['where'] },
      'SELECT id FROM resultats r JOIN (SELECT id FROM x WHERE a = 1) s ON s.id = r.id;',
      ['resultats'],
    ],
    [
      'DELETE without WHERE on any table',
      { statements: ['delete'], require: ['where'] },
      'DELETE FROM patients;\nDELETE FROM patients WHERE id = 1;',
      ['patients'],
    ],
    [
      'SELECT * over a named table',
      { tables: ['patients'], forbid: ['star'] },
      'SELECT * FROM patients;\nSELECT p.* FROM patients p;\nSELECT * FROM logs;',
      ['*', '*'],
    ],
    [
      'schema-qualified table names',
      { tables: ['resultats'], require: ['limit'] },
      'SELECT id FROM public.resultats;\nSELECT id FROM public.resultats LIMIT 10;',
      ['public.resultats'],
    ],
  ])('%s', (_name, match, sql, expected) => {
    expect(run(rule('team-sql', 'sql', match), { 'db/q.sql': sql })).toEqual(expected.map((e) => `db/q.sql:${e}`));
  });

  it('access to patients outside src/dal/**, in SQL embedded in TypeScript', () => {
    const meta = rule('patients-in-dal', 'sql', { tables: ['patients'], allowedIn: ['src/dal/**'] });
    const code = 'export const q = () => db.query("SELECT nom FROM patients WHERE id = $1", [id]);';
    expect(run(meta, { 'src/dal/patients.ts': code, 'src/api/report.ts': code })).toEqual([
      'src/api/report.ts:patients',
    ]);
  });
});

describe('field rule', () => {
  const ddl =
    'CREATE TABLE compte_rendu (\n  id SERIAL PRIMARY KEY,\n  anapath_conclusion TEXT,\n  caryotype TEXT,\n  anapath_code TEXT\n);';
  it.each([
    ['names matching a glob', { names: ['anapath_*'] }, ['anapath_conclusion', 'anapath_code']],
    ['a regular expression', { namePatterns: ['^anapath_c.*n$'] }, ['anapath_conclusion']],
    ['a vocabulary category', { categories: ['genetic'] }, ['caryotype']],
    ['limited to other tables', { names: ['anapath_*'], tables: ['patients'] }, []],
  ])('%s', (_name, match, expected) => {
    expect(run(rule('anapath-encrypted', 'field', match), { 'db/schema.sql': ddl })).toEqual(
      expected.map((e) => `db/schema.sql:${e}`),
    );
  });
});

describe('route rule', () => {
  const internal = rule('internal-needs-token', 'route', {
    paths: ['/api/internal/**'],
    middleware: ['requireInternalToken'],
  });
  const app = [
    "import express from 'express';",
    "import { requireInternalToken } from './auth';",
    'const app = express();',
    "app.get('/api/internal/stats', (req, res) => res.json({}));",
    "app.post('/api/internal/reindex', requireInternalToken, (req, res) => res.end());",
    "app.get('/api/internal/export/:id', requireInternalToken(), (req, res) => res.end());",
    "app.get('/api/public/ping', (req, res) => res.end());",
    '',
  ].join('\n');

  it('reports internal routes without the named middleware', () => {
    expect(
      run(internal, {
        'src/app.ts': app,
        'src/auth.ts': 'export function requireInternalToken(req: any, res: any, next: any) { next(); }\n',
      }),
    ).toEqual(["src/app.ts:'/api/internal/stats'"]);
  });

  it('a router mounted under the prefix', () => {
    const router = [
      "import { Router } from 'express';",
      'export const internal = Router();',
      "internal.get('/stats', (req, res) => res.json({}));",
      '',
    ].join('\n');
    const main =
      "import express from 'express';\nimport { internal } from './internal';\nconst app = express();\napp.use('/api/internal', internal);\n";
    expect(run(internal, { 'src/main.ts': main, 'src/internal.ts': router })).toEqual(["src/internal.ts:'/stats'"]);
  });

  it('only the methods given', () => {
    const writes = rule('internal-writes', 'route', {
      paths: ['/api/internal/**'],
      methods: ['post'],
      middleware: ['requireInternalToken'],
    });
    expect(run(writes, { 'src/app.ts': app.replace('requireInternalToken, (req', '(req') })).toEqual([
      "src/app.ts:'/api/internal/reindex'",
    ]);
  });
});
