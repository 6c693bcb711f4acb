import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfigFor } from '../../server/src/host/config.js';
import { rebaseGlob } from '../../server/src/host/config-merge.js';
import { REPO_ROOT, testPack } from '../helpers.js';
import { workspace } from './workspace.js';
import { TEAM_RULE } from './broken-configs.js';

const load = (dir: string) => loadConfigFor(dir, { pack: testPack() });

describe('loading the configuration of a folder', () => {
  it('gives the defaults when there is no configuration', () => {
    const root = workspace({});
    const loaded = load(root);
    expect(loaded.errors).toEqual([]);
    expect(loaded.config).toEqual({ pack: testPack(), rules: {} });
  });

  it('reads .gdpr-lint.yaml: severities, options, vocabulary, auth, encryption, suppressions', () => {
    const root = workspace({
      '.gdpr-lint.yaml': [
        'rules:',
        '  select-star-export: off',
        '  health-data-in-logs: { severity: error, options: { typeAware: false } }',
        'vocabulary:',
        '  add: { lab-result: [glycemie_a_jeun, anapath*], genetic: [caryo] }',
        '  remove: [tension]',
        'auth: { middleware: [requireLabAuth], publicPaths: [/status] }',
        'encryption: { functions: [sealPhi] }',
        'suppressions: { requireJustification: false }',
      ].join('\n'),
    });
    const { config, errors } = load(root);
    expect(errors).toEqual([]);
    expect(config.rules).toEqual({
      'select-star-export': { severity: 'off' },
      'health-data-in-logs': { severity: 'error', options: { typeAware: false } },
    });
    expect(config.vocabulary).toEqual({
      add: { 'lab-result': ['glycemie_a_jeun', 'anapath*'], genetic: ['caryo'] },
      remove: ['tension'],
    });
    expect(config.auth).toEqual({ middleware: ['requireLabAuth'], publicPaths: ['/status'] });
    expect(config.encryption).toEqual({ functions: ['sealPhi'] });
    expect(config.suppressions).toEqual({ requireJustification: false });
  });

  it('finds the configuration from the folder upwards and merges a package over the root (monorepo)', () => {
    const root = workspace({
      '.gdpr-lint.yaml':
        'rules: { select-star-export: error, health-data-in-logs: warning }\nauth: { middleware: [rootAuth] }\nignore: [packages/lab/legacy/**, "*.generated.ts"]\n',
      'packages/lab/.gdpr-lint.json':
        '{ "rules": { "select-star-export": "off" }, "auth": { "middleware": ["labAuth"] }, "ignore": ["fixtures/"] }',
      'packages/lab/src/a.ts': '',
    });
    const loaded = load(join(root, 'packages/lab/src'));
    expect(loaded.errors).toEqual([]);
    expect(loaded.files).toEqual([join(root, '.gdpr-lint.yaml'), join(root, 'packages/lab/.gdpr-lint.json')]);
    expect(loaded.config.rules).toEqual({
      'select-star-export': { severity: 'off' },
      'health-data-in-logs': { severity: 'warning' },
    });
    expect(loaded.config.auth).toEqual({ middleware: ['rootAuth', 'labAuth'] });
    // Globs are made relative to the scanned folder: packages/lab/src.
    expect(loaded.ignore).toEqual(['*.generated.ts', 'fixtures/']);
    const fromLab = load(join(root, 'packages/lab'));
    expect(fromLab.ignore).toEqual(['legacy/**', '*.generated.ts', 'fixtures/']);
  });

  it('stops at a config with root: true', () => {
    const root = workspace({
      '.gdpr-lint.yaml': 'rules: { select-star-export: error }\n',
      'app/.gdpr-lint.yaml': 'root: true\nrules: { health-data-in-logs: off }\n',
    });
    expect(load(join(root, 'app')).config.rules).toEqual({ 'health-data-in-logs': { severity: 'off' } });
  });

  it('reads the "gdprLint" property of package.json', () => {
    const root = workspace({
      'package.json':
        '{ "name": "lab", "gdprLint": { "extends": "strict", "rules": { "select-star-export": "warning" } } }',
    });
    const { config, errors } = load(root);
    expect(errors).toEqual([]);
    expect(config.rules!['select-star-export']).toEqual({ severity: 'warning' });
    expect(config.rules!['plaintext-health-data']).toEqual({ severity: 'error' });
  });

  it('extends presets, relative files and npm packages (YAML/JSON), in order', () => {
    const root = workspace({
      '.gdpr-lint.yaml':
        'extends: [strict, ./shared/team.yaml, "@acme/gdpr-config"]\nrules: { health-data-in-logs: note }\n',
      'shared/team.yaml':
        'rules: { health-data-in-logs: warning, select-star-export: warning }\nredaction: { functions: [maskPhi] }\n',
      'node_modules/@acme/gdpr-config/package.json': '{ "name": "@acme/gdpr-config", "main": "config.json" }',
      'node_modules/@acme/gdpr-config/config.json': '{ "thirdParty": { "internalHosts": ["lis.acme.local"] } }',
    });
    const loaded = load(root);
    expect(loaded.errors).toEqual([]);
    expect(loaded.config.rules!['health-data-in-logs']).toEqual({ severity: 'note' });
    expect(loaded.config.rules!['select-star-export']).toEqual({ severity: 'warning' });
    expect(loaded.config.rules!['unauthenticated-route']).toEqual({ severity: 'error' });
    expect(loaded.config.redaction).toEqual({ functions: ['maskPhi'] });
    expect(loaded.config.thirdParty).toEqual({ internalHosts: ['lis.acme.local'] });
  });

  it('loads team rule files into the pack, where severities can be set', () => {
    const root = workspace({
      '.gdpr-lint.yaml': 'ruleFiles: [./gdpr-rules/*.yaml]\nrules: { no-phi-to-kafka: warning }\n',
      'gdpr-rules/kafka.yaml': TEAM_RULE,
    });
    const { config, errors, files } = load(root);
    expect(errors).toEqual([]);
    expect(config.pack.rules['no-phi-to-kafka']).toMatchObject({
      id: 'no-phi-to-kafka',
      kind: 'sink',
      match: { calls: ['kafkaProducer.send'] },
    });
    expect(config.rules!['no-phi-to-kafka']).toEqual({ severity: 'warning' });
    expect(config.pack.rules['no-phi-to-kafka']!.docs).toBe(
      pathToFileURL(join(root, 'gdpr-rules/no-phi-to-kafka.md')).href,
    );
    expect(files).toContain(join(root, 'gdpr-rules/kafka.yaml'));
  });

  it("reads where exports belong and the declared retentions; a package adds its retentions to the root's", () => {
    const root = workspace({
      '.gdpr-lint.yaml':
        'exports: { privateDir: /var/lib/lab/exports }\nretention:\n  - { path: /data/archive/**, basis: "Art. 6(1)(c): reports kept 10 years", period: 10 years }\n',
      'packages/lis/.gdpr-lint.yaml':
        'exports: { privateDir: $LIS_EXPORT_DIR }\nretention:\n  - { path: "archive.*", basis: "Art. 9(2)(h): medical records" }\n',
      'packages/lis/x.sql': '',
    });
    expect(load(root).config).toMatchObject({
      exports: { privateDir: '/var/lib/lab/exports' },
      retention: [{ path: '/data/archive/**', basis: 'Art. 6(1)(c): reports kept 10 years', period: '10 years' }],
    });
    const lis = load(join(root, 'packages/lis'));
    expect(lis.errors).toEqual([]);
    expect(lis.config.exports).toEqual({ privateDir: '$LIS_EXPORT_DIR' });
    expect(lis.config.retention!.map((r) => r.path)).toEqual(['/data/archive/**', 'archive.*']);
  });

  it('an explicit config file replaces discovery', () => {
    const root = workspace({
      '.gdpr-lint.yaml': 'rules: { select-star-export: error }\n',
      'ci/gdpr.json': '{ "rules": { "select-star-export": "note" } }',
    });
    const loaded = loadConfigFor(root, { pack: testPack(), configFile: 'ci/gdpr.json' });
    expect(loaded.config.rules).toEqual({ 'select-star-export': { severity: 'note' } });
  });
});

describe('rebaseGlob', () => {
  it.each([
    ['dist/', '/r', '/r', ['dist/']],
    ['*.gen.ts', '/r', '/r/pkg', ['*.gen.ts']],
    ['pkg/legacy/**', '/r', '/r/pkg', ['legacy/**']],
    ['other/legacy/**', '/r', '/r/pkg', []],
    ['**/fixtures/**', '/r', '/r/pkg', ['**/fixtures/**']],
    ['fixtures/', '/r/pkg', '/r', ['pkg/**/fixtures/']],
    ['src/gen/**', '/r/pkg', '/r', ['pkg/src/gen/**']],
    ['!src/keep.ts', '/r/pkg', '/r', ['!pkg/src/keep.ts']],
  ])('%s from %s scanned at %s', (glob, base, root, expected) => {
    expect(rebaseGlob(glob, base, root)).toEqual(expected);
  });
});

describe('the README example', () => {
  it('is a valid configuration, and its team rule a valid rule', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Team configuration'));
    const [config, teamRule] = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const root = workspace({
      '.gdpr-lint.yaml': config!,
      'shared/gdpr.yaml': 'rules: {}\n',
      'gdpr-rules/kafka.yaml': teamRule!,
    });
    const loaded = load(root);
    expect(loaded.errors).toEqual([]);
    expect(loaded.config.pack.rules['no-phi-to-kafka']?.kind).toBe('sink');
  });
});
