import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  KNOWN_COLUMNS,
  LEDGER_COLUMNS,
  MANIFEST_COLUMNS,
  lineHash,
  matchKnown,
  matchRows,
  parseTsv,
  sample,
  seededRandom,
  summarise,
  validateRows,
} from '../eval/realworld/ledger.mjs';
import { REPO_ROOT } from './helpers.js';

const DIR = join(REPO_ROOT, 'eval', 'realworld');
const read = (name: string) => readFileSync(join(DIR, name), 'utf8');
const RULES = new Set(
  readdirSync(join(REPO_ROOT, 'rules'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, '')),
);

describe('the real-world evaluation data', () => {
  const manifest = parseTsv(read('manifest.tsv'), MANIFEST_COLUMNS, 'manifest.tsv');
  const repos = new Set(manifest.map((m) => m.repo));
  const judged = parseTsv(read('ledger.tsv'), LEDGER_COLUMNS, 'ledger.tsv');
  const known = parseTsv(read('known.tsv'), KNOWN_COLUMNS, 'known.tsv');

  it('the manifest names each repository once, at a full commit', () => {
    expect(repos.size).toBe(manifest.length);
    for (const m of manifest) {
      expect(m.repo).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(m.commit).toMatch(/^[0-9a-f]{40}$/);
    }
  });

  it('every ledger row and known instance is well formed, of a known rule and repository, and unique', () => {
    expect(validateRows(judged, { rules: RULES, repos, kind: 'ledger' })).toEqual([]);
    expect(validateRows(known, { rules: RULES, repos, kind: 'known' })).toEqual([]);
  });

  it('judges at least 40 findings of each rule that has them', () => {
    const perRule = new Map<string, number>();
    for (const row of judged) perRule.set(row.rule, (perRule.get(row.rule) ?? 0) + 1);
    for (const rule of [
      'plaintext-health-data',
      'select-star-export',
      'unauthenticated-route',
      'health-data-in-logs',
      'hardcoded-health-identifier',
    ]) {
      expect(perRule.get(rule) ?? 0, rule).toBeGreaterThanOrEqual(40);
    }
  });

  it('never holds the digits of an identifier in a reason', () => {
    for (const row of [...judged, ...known])
      expect(`${row.reason ?? ''}${row.what ?? ''}`, row.source).not.toMatch(/\d{9,}/);
  });
});

describe('matching findings with the ledger', () => {
  const row = (line: number, column: number, verdict = 'TP') => ({
    rule: 'r',
    repo: 'o/n',
    file: 'a.ts',
    line: String(line),
    column: String(column),
    hash: lineHash('x = 1'),
    verdict,
    reason: 'why it is so',
  });
  const finding = (line: number, column: number, text = 'x = 1') => ({
    rule: 'r',
    repo: 'o/n',
    file: 'a.ts',
    line,
    column,
    hash: lineHash(text),
  });

  it('survives line shifts and whitespace changes, and pairs the nearest one to one', () => {
    expect(lineHash('  x   =  1 ')).toBe(lineHash('x = 1'));
    const rows = [row(10, 3), row(40, 3, 'FP')];
    const moved = [finding(12, 3), finding(45, 3)];
    const pairs = matchRows(moved, rows);
    expect(pairs.get(moved[0])).toBe(rows[0]);
    expect(pairs.get(moved[1])).toBe(rows[1]);
    expect(matchRows([finding(10, 3, 'x = 2')], rows).size).toBe(0);
  });

  it('summarises precision on judged findings, known instances found and judged TPs lost', () => {
    const rows = [row(1, 1), row(2, 1, 'FP'), row(3, 1)];
    const [summary] = summarise(
      [finding(1, 1), finding(2, 1), finding(9, 9, 'y')],
      rows,
      [{ rule: 'r', repo: 'o/n', file: 'a.ts', line: '1', hash: lineHash('x = 1'), what: 'a real one' }],
      ['r'],
    );
    expect(summary).toMatchObject({
      findings: 3,
      judged: 2,
      tp: 1,
      fp: 1,
      precision: 0.5,
      knownFound: 1,
      known: 1,
      lostTp: 1,
    });
    const [lost] = summarise([finding(1, 1)], rows, [], ['r']);
    expect(lost).toMatchObject({ judged: 1, tp: 1, lostTp: 1 });
  });

  it("finds a known instance named inside a finding's range, not one outside it or far below its start", () => {
    const instance = {
      rule: 'r',
      repo: 'o/n',
      file: 'a.ts',
      line: '12',
      hash: lineHash('body: text'),
      what: 'the message body',
    };
    const call = (line: number, endLine: number) => ({ ...finding(line, 3, 'send({'), endLine });
    expect(matchKnown([call(11, 14)], [instance]).has(instance)).toBe(true);
    expect(matchKnown([call(13, 14)], [instance]).has(instance)).toBe(false);
    expect(matchKnown([call(1, 40)], [instance]).has(instance)).toBe(false);
    expect(matchKnown([call(10, 300)], [instance]).has(instance)).toBe(true);
    expect(matchKnown([{ ...call(11, 14), rule: 'other' }], [instance]).has(instance)).toBe(false);
    // The instance's line moved: where its hash is now.
    expect(matchKnown([call(20, 23)], [instance], () => 21).has(instance)).toBe(true);
    expect(matchKnown([call(20, 23)], [instance], () => undefined).has(instance)).toBe(false);
  });

  it('samples uniformly and reproducibly (seeded Fisher-Yates)', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const a = sample(items, 10, seededRandom(7));
    expect(sample(items, 10, seededRandom(7))).toEqual(a);
    expect(new Set(a).size).toBe(10);
    expect(sample(items, 10, seededRandom(8))).not.toEqual(a);
    const counts = new Array(5).fill(0);
    const random = seededRandom(1);
    for (let i = 0; i < 5000; i++) counts[sample([0, 1, 2, 3, 4], 1, random)[0]!]++;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(120);
  });
});
