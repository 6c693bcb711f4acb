import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RulePack } from '../engine/index.js';

/**
 * The built-in rule pack, parsed and validated once at build time (`npm run build` writes
 * `rules/.pack-cache.json`). Parsing its YAML and compiling the rule schema costs ~0.15 s of every
 * start; the cache is used only when it was made from exactly the files on disk.
 */
const CACHE = join('rules', '.pack-cache.json');

interface PackCache {
  fingerprint: string;
  pack: RulePack;
}

/** A digest of every file the pack is made of: its YAML, the rule schema and the package version. */
export function packFingerprint(root: string): string {
  const hash = createHash('sha256');
  const files = [
    ...yamlFiles(join(root, 'rules')).map((n) => join('rules', n)),
    ...yamlFiles(join(root, 'rules', 'vocabulary')).map((n) => join('rules', 'vocabulary', n)),
    join('schemas', 'rule.schema.json'),
    'package.json',
  ];
  for (const file of files)
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(root, file)))
      .update('\0');
  return hash.digest('hex');
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.yaml'))
    .sort();
}

/** The cached pack when it matches the files on disk; undefined otherwise (missing, stale, unreadable). */
export function readPackCache(root: string): RulePack | undefined {
  try {
    const cache = JSON.parse(readFileSync(join(root, CACHE), 'utf8')) as PackCache;
    return cache.fingerprint === packFingerprint(root) ? cache.pack : undefined;
  } catch {
    // Missing or unreadable cache, or a pack file missing: parsing the pack reports what is wrong.
    return undefined;
  }
}

export function writePackCache(root: string, pack: RulePack): void {
  const cache: PackCache = { fingerprint: packFingerprint(root), pack };
  writeFileSync(join(root, CACHE), `${JSON.stringify(cache)}\n`);
}
