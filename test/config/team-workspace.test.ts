import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Project } from '../../server/src/engine/index.js';
import { loadConfigFor } from '../../server/src/host/config.js';
import { cli, workspace } from './workspace.js';

/** A lab app whose team config changes the findings, one key at a time. */
const FILES: Record<string, string> = {
  'src/report.ts': [
    "import pino from 'pino';",
    '',
    'const logger = pino();',
    '',
    'export function logReport(report: { anapath: string; caryo: string; diagnostic: string; id: string }) {',
    '  logger.info(`report ${report.id} ready`);',
    "  logger.info({ anapath: report.anapath }, 'anatomopathology');",
    "  console.log('karyotype', report.caryo);",
    "  console.error('diagnostic', report.diagnostic);",
    '}',
    '',
    "export const DEMO_NIR = '295109912611193';",
    '',
  ].join('\n'),
  'src/app.ts': [
    "import express from 'express';",
    "import { labGate } from '@acme/lab-sso';",
    '',
    'const app = express();',
    "app.get('/api/results/:id', labGate(), async (req, res) => res.json(await db.query('SELECT valeur FROM resultats WHERE id = $1', [req.params.id])));",
    "app.get('/api/patients', async (req, res) => res.json(await staff.list()));",
    'export default app;',
    '',
  ].join('\n'),
  'src/bus.ts': [
    "import { pseudonymise } from './privacy';",
    '',
    'declare const kafkaProducer: { send(message: unknown): Promise<void> };',
    '',
    'export async function publish(result: { id: string; diagnostic: string }) {',
    "  await kafkaProducer.send({ topic: 'results', messages: [{ key: result.id, value: result.diagnostic }] });",
    "  await kafkaProducer.send({ topic: 'results', messages: [{ key: result.id, value: pseudonymise(result.diagnostic) }] });",
    '}',
    '',
  ].join('\n'),
  'src/privacy.ts': 'export const pseudonymise = (v: string) => v;\n',
  'gdpr-rules/no-phi-to-kafka.yaml': [
    'id: no-phi-to-kafka',
    'title: No health data on the Kafka bus',
    'severity: error',
    'gdpr: ["Art. 5(1)(f)", "Art. 32"]',
    'message: Health data must not be published on Kafka; pseudonymise it first.',
    'docs: ./no-phi-to-kafka.md',
    'kind: sink',
    'match:',
    '  calls: [kafkaProducer.send]',
    '  sanitizers: [pseudonymise]',
    '',
  ].join('\n'),
};

const VOCABULARY = 'vocabulary:\n  add:\n    health-condition: [anapath*]\n    genetic: [caryo]\n';
const RULE_OFF = 'rules:\n  hardcoded-health-identifier: off\n';
const RAISED = 'rules:\n  health-data-in-logs: error\n';
const AUTH = 'auth:\n  middleware: [labGate]\n';
const SINK_RULE = 'ruleFiles: [./gdpr-rules/*.yaml]\n';
const FULL = [
  VOCABULARY,
  'rules:\n  hardcoded-health-identifier: off\n  health-data-in-logs: error\n',
  AUTH,
  SINK_RULE,
].join('');

/** Without any configuration. */
const BASELINE = [
  'unauthenticated-route error src/app.ts:5:9',
  'unauthenticated-route warning src/app.ts:6:9',
  'health-data-in-logs warning src/report.ts:9:31',
  'hardcoded-health-identifier error src/report.ts:12:26',
];

const VARIANTS: [string, string, string[]][] = [
  [
    'vocabulary.add finds the team terms',
    VOCABULARY,
    [
      ...BASELINE.slice(0, 2),
      'health-data-in-logs warning src/report.ts:7:26',
      'health-data-in-logs warning src/report.ts:8:28',
      ...BASELINE.slice(2),
    ],
  ],
  ['a rule turned off', RULE_OFF, BASELINE.slice(0, 3)],
  [
    'a rule raised to error',
    RAISED,
    [...BASELINE.slice(0, 2), 'health-data-in-logs error src/report.ts:9:31', BASELINE[3]!],
  ],
  ['a custom auth middleware', AUTH, BASELINE.slice(1)],
  [
    'a custom sink rule',
    SINK_RULE,
    [...BASELINE.slice(0, 2), 'no-phi-to-kafka error src/bus.ts:6:84', ...BASELINE.slice(2)],
  ],
  [
    'all of it',
    FULL,
    [
      'unauthenticated-route warning src/app.ts:6:9',
      'no-phi-to-kafka error src/bus.ts:6:84',
      'health-data-in-logs error src/report.ts:7:26',
      'health-data-in-logs error src/report.ts:8:28',
      'health-data-in-logs error src/report.ts:9:31',
    ],
  ],
];

interface JsonFinding {
  ruleId: string;
  severity: string;
  file: string;
  line: number;
  column: number;
  suppressed?: unknown;
}

async function scanned(config: string | undefined): Promise<string[]> {
  const root = workspace({ ...FILES, ...(config !== undefined ? { '.gdpr-lint.yaml': config } : {}) });
  const { code, stdout, stderr } = await cli(['scan', '.', '--format', 'json'], root);
  expect(stderr).toBe('');
  expect(code).toBe(1);
  return (JSON.parse(stdout) as { findings: JsonFinding[] }).findings.map(
    (f) => `${f.ruleId} ${f.severity} ${f.file}:${f.line}:${f.column}`,
  );
}

describe('a team configuration changes the findings exactly as expected', () => {
  it('baseline without configuration', async () => {
    expect(await scanned(undefined)).toEqual(BASELINE);
  });

  it.each(VARIANTS)('CLI: %s', async (_name, config, expected) => {
    expect(await scanned(config)).toEqual(expected);
  });

  it('the language server path (loadConfigFor + Project) gives the same findings as the CLI', async () => {
    const root = workspace({ ...FILES, '.gdpr-lint.yaml': FULL });
    const { config, errors } = loadConfigFor(join(root, 'src'));
    expect(errors).toEqual([]);
    const project = new Project(config);
    for (const [path, text] of Object.entries(FILES)) project.setFile({ path, text });
    const found = project.analyzeAll().findings.map((f) => `${f.ruleId} ${f.severity} ${f.file}`);
    expect(found.sort()).toEqual(
      VARIANTS.at(-1)![2]
        .map((l) => l.replace(/:\d+:\d+$/, ''))
        .sort(),
    );
  });

  it('a broken config: the editor gets a located error and works on defaults', () => {
    const root = workspace({
      ...FILES,
      '.gdpr-lint.yaml': FULL.replace('health-data-in-logs: error', 'health-data-in-logs: eror'),
    });
    const { config, errors } = loadConfigFor(root);
    expect(errors).toEqual([
      {
        file: join(root, '.gdpr-lint.yaml'),
        line: 7,
        column: 24,
        key: 'rules.health-data-in-logs',
        message: '"eror" is not allowed, did you mean "error"? (expected one of off, note, warning, error)',
      },
    ]);
    expect(config.rules).toBeUndefined();
    expect(Object.keys(config.pack.rules)).not.toContain('no-phi-to-kafka');
  });
});
