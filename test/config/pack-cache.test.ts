import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packFingerprint, readPackCache, writePackCache } from '../../server/src/host/pack-cache.js';
import { parseRulePack } from '../../server/src/host/rulepack.js';
import { REPO_ROOT } from '../helpers.js';

describe('build-time rule pack cache', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'gdpr-pack-cache-'));
    for (const part of ['rules', 'schemas', 'package.json'])
      cpSync(join(REPO_ROOT, part), join(root, part), { recursive: true });
    rmSync(join(root, 'rules', '.pack-cache.json'), { force: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('gives back exactly the parsed pack while the files are unchanged', () => {
    expect(readPackCache(root)).toBeUndefined();
    const parsed = parseRulePack(root);
    writePackCache(root, parsed);
    expect(readPackCache(root)).toEqual(parsed);
  });

  it('is ignored as soon as a YAML file, the schema or the version changes', () => {
    writePackCache(root, parseRulePack(root));
    const before = packFingerprint(root);
    const vocab = join(root, 'rules', 'vocabulary', 'health-condition.yaml');
    writeFileSync(vocab, `${readFileSync(vocab, 'utf8')}\n# edited\n`);
    expect(packFingerprint(root)).not.toBe(before);
    expect(readPackCache(root)).toBeUndefined();
  });

  it('is ignored when unreadable', () => {
    writeFileSync(join(root, 'rules', '.pack-cache.json'), '{ not json');
    expect(readPackCache(root)).toBeUndefined();
  });
});
