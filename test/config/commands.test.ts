import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFor } from '../../server/src/host/config.js';
import { cli, workspace } from './workspace.js';
import { TEAM_RULE } from './broken-configs.js';

describe('gdpr-lint init', () => {
  it('writes a valid, commented starter config tuned to package.json', async () => {
    const root = workspace({
      'package.json': JSON.stringify({
        dependencies: { express: '4', typeorm: '0.3', pino: '9' },
        devDependencies: { '@nestjs/core': '10' },
      }),
    });
    const { code, stdout } = await cli(['init'], root);
    expect(code).toBe(0);
    expect(stdout).toBe('wrote .gdpr-lint.yaml (detected: express, nestjs, typeorm, pino)\n');
    const text = readFileSync(join(root, '.gdpr-lint.yaml'), 'utf8');
    expect(text).toContain('# Detected: express, nestjs, typeorm, pino.');
    expect(text).toContain('  transformers: []       # e.g. [EncryptionTransformer]');
    expect(text).toContain('  guards: []             # e.g. [LabAuthGuard]');
    expect(loadConfigFor(root).errors).toEqual([]);
  });

  it('does not overwrite an existing config without --force', async () => {
    const root = workspace({ '.gdpr-lint.yaml': 'rules: {}\n' });
    const { code, stderr } = await cli(['init'], root);
    expect(code).toBe(2);
    expect(stderr).toBe('gdpr-lint: .gdpr-lint.yaml already exists (use --force to overwrite it)\n');
    expect((await cli(['init', '--force'], root)).code).toBe(0);
    expect(loadConfigFor(root).errors).toEqual([]);
  });
});

describe('gdpr-lint rules', () => {
  it('lists rules with the configured severity and GDPR articles, team rules last', async () => {
    const root = workspace({
      '.gdpr-lint.yaml': 'ruleFiles: [rules/*.yaml]\nrules: { select-star-export: off }\n',
      'rules/kafka.yaml': TEAM_RULE,
    });
    const { code, stdout } = await cli(['rules'], root);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RULE\s+SEVERITY\s+GDPR\s+TITLE$/);
    expect(lines.find((l) => l.startsWith('select-star-export '))).toMatch(
      /^select-star-export\s+off\s+Art\. 5\(1\)\(c\)/,
    );
    expect(lines.at(-1)).toMatch(/^no-phi-to-kafka \(team\)\s+error\s+Art\. 32\s+No health data to Kafka$/);
  });

  it('--json', async () => {
    const root = workspace({});
    const rows = JSON.parse((await cli(['rules', '--json'], root)).stdout) as { id: string; severity: string }[];
    expect(rows.find((r) => r.id === 'plaintext-health-data')).toMatchObject({ severity: 'error', team: false });
  });
});

describe('gdpr-lint explain', () => {
  it('prints the rule doc', async () => {
    const { code, stdout } = await cli(['explain', 'suppression-comment'], workspace({}));
    expect(code).toBe(0);
    expect(stdout).toBe(readFileSync(join(__dirname, '..', '..', 'rules', 'suppression-comment.md'), 'utf8'));
  });

  it('explains a team rule with its own doc file', async () => {
    const root = workspace({
      '.gdpr-lint.yaml': 'ruleFiles: [rules/*.yaml]\n',
      'rules/kafka.yaml': TEAM_RULE,
      'rules/no-phi-to-kafka.md': '# Why\nThe bus is read by analytics.\n',
    });
    const { stdout } = await cli(['explain', 'no-phi-to-kafka'], root);
    expect(stdout).toContain('no-phi-to-kafka: No health data to Kafka\nseverity: error   GDPR: Art. 32');
    expect(stdout).toContain('Team rule (sink) from ');
    expect(stdout).toContain('# Why\nThe bus is read by analytics.');
  });

  it('an unknown rule is exit 2 with a suggestion', async () => {
    const { code, stderr } = await cli(['explain', 'select-star'], workspace({}));
    expect(code).toBe(2);
    expect(stderr).toBe(
      'gdpr-lint: unknown rule "select-star", did you mean "select-star-export"? (see gdpr-lint rules)\n',
    );
  });
});

describe('gdpr-lint classify', () => {
  it('shows the category and why, with the team vocabulary', async () => {
    const root = workspace({
      '.gdpr-lint.yaml': 'vocabulary:\n  add:\n    lab-result: [glycemie_a_jeun]\n    genetic: [caryo]\n',
    });
    const { code, stdout } = await cli(['classify', 'glycemieAJeun', 'caryoResult', 'invoiceTotal', '--json'], root);
    expect(code).toBe(0);
    const [glycemie, caryo, invoice] = JSON.parse(stdout) as {
      category?: string;
      special: boolean;
      why: string;
      words: string[];
    }[];
    expect(glycemie).toMatchObject({ category: 'lab-result', special: true, words: ['glycemie', 'a', 'jeun'] });
    expect(glycemie!.why).toContain('glycemie');
    expect(caryo).toMatchObject({ category: 'genetic', special: true });
    expect(caryo!.why).toContain('(team)');
    expect(invoice).toMatchObject({ special: false });
    expect(invoice!.category).toBeUndefined();
  });

  it('with --project and --in, names whom the rows are about (the link used) and where the column is decided', async () => {
    const root = workspace({
      'db/schema.sql':
        'CREATE TABLE patients (id UUID PRIMARY KEY, family_name TEXT);\nCREATE TABLE visits (id UUID, patient_id UUID REFERENCES patients (id), diagnosis TEXT);\nCREATE TABLE pathology (id INT, name TEXT, description TEXT);\n',
    });
    const linked = await cli(['classify', 'diagnosis', '--in', 'visits', '--project', '.'], root);
    expect(linked.stdout).toContain(
      '  rows of visits: each row is about the person in patient_id\n  storage: defined here now',
    );
    const catalogue = await cli(['classify', 'description', '--in', 'pathology', '--project', '.', '--json'], root);
    const [result] = JSON.parse(catalogue.stdout) as { storage: { linked: boolean; link: string } }[];
    expect(result!.storage.linked).toBe(false);
    expect(result!.storage.link).toContain('no link to a person');
  });

  it('text output', async () => {
    const { stdout } = await cli(
      ['classify', 'anapath'],
      workspace({ '.gdpr-lint.json': '{ "vocabulary": { "add": { "health-condition": ["anapath*"] } } }' }),
    );
    expect(stdout).toMatch(
      /^anapath: health-condition \(special category: Art\. 9 \/ health identifier\)\n  words: anapath\n  why: .*anapath\*.*\(team\)\n$/,
    );
  });
});
