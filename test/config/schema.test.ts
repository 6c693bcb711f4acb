import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { schemaValidator } from '../../server/src/host/config-validate.js';
import { REPO_ROOT } from '../helpers.js';

describe('schemas', () => {
  it('the presets are valid configurations', () => {
    const validate = schemaValidator('config');
    for (const name of readdirSync(join(REPO_ROOT, 'rules', 'presets'))) {
      expect(
        validate(parse(readFileSync(join(REPO_ROOT, 'rules', 'presets', name), 'utf8'))),
        `${name}: ${JSON.stringify(validate.errors)}`,
      ).toBe(true);
    }
  });

  it('the built-in rules are valid rules and are not team rules', () => {
    const validate = schemaValidator('rule');
    for (const name of readdirSync(join(REPO_ROOT, 'rules')).filter((n) => n.endsWith('.yaml'))) {
      const rule = parse(readFileSync(join(REPO_ROOT, 'rules', name), 'utf8')) as { kind?: string };
      expect(validate(rule), name).toBe(true);
      expect(rule.kind, name).toBeUndefined();
    }
  });

  it('a team rule needs the match shape of its kind', () => {
    const validate = schemaValidator('rule');
    const base = {
      id: 'x',
      title: 'Team',
      severity: 'error',
      gdpr: ['Art. 32'],
      message: 'Team rule.',
      docs: './x.md',
    };
    expect(
      validate({ ...base, kind: 'route', match: { paths: ['/api/internal/**'], middleware: ['requireToken'] } }),
    ).toBe(true);
    expect(validate({ ...base, kind: 'route', match: { paths: ['/api/internal/**'] } })).toBe(false);
    expect(validate({ ...base, kind: 'sql', match: { tables: ['patients'] } })).toBe(false);
    expect(validate({ ...base, kind: 'sql', match: { tables: ['patients'], allowedIn: ['src/dal/**'] } })).toBe(true);
    expect(validate({ ...base, kind: 'field', match: { calls: ['x'] } })).toBe(false);
    expect(validate({ ...base, kind: 'sink' })).toBe(false);
  });

  it('the extension contributes the config schema to YAML and JSON validation', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      contributes: Record<string, { fileMatch: string | string[]; url: string }[]>;
    };
    const entries = [...manifest.contributes.yamlValidation!, ...manifest.contributes.jsonValidation!];
    expect(entries.flatMap((e) => e.fileMatch)).toEqual([
      '.gdpr-lint.yaml',
      '.gdpr-lint.yml',
      '.gdpr-lint.json',
      'package.json',
    ]);
    for (const entry of entries) expect(existsSync(join(REPO_ROOT, entry.url)), entry.url).toBe(true);
    const pkgSchema = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', 'package-json.schema.json'), 'utf8')) as {
      properties: { gdprLint: { $ref: string } };
    };
    expect(existsSync(join(REPO_ROOT, 'schemas', pkgSchema.properties.gdprLint.$ref))).toBe(true);
  });
});
