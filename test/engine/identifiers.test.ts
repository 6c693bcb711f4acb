import { describe, expect, it } from 'vitest';
import {
  assessCandidate,
  identifierCandidates,
  maskIdentifier,
  maskSensitiveDigits,
  nirKey,
  schemesOf,
  sqlColumnOf,
  sqlTokens,
  validNhs,
  validNiss,
  validSsn,
  validSvnr,
  type IdentifierScheme,
} from '../../server/src/engine/identifiers/index.js';
import { testPack } from '../helpers.js';

const compact = (s: string) => s.replace(/[ .\-]/g, '').toUpperCase();

describe('identifier checks', () => {
  it.each([
    // domain.md §4 test vectors, Corsica with 2A -> 19 and 2B -> 18
    ['295109912611193', ['nir']],
    ['253072B07300470', ['nir']],
    ['253072A07300443', ['nir']],
    ['255081416802538', ['nir']],
    // month 30 (unknown month, INSEE incomplete civil status) is still a NIR
    ['1 55 30 99 135 105 25', ['nir']],
    // temporary NIA (sex digit 7/8) with a valid key
    ['7 83 01 99 350 042 38', ['nia']],
    // wrong key, month 13 (never assigned) with a matching key, Corsica key computed with 2A -> 20
    ['185057800608492', []],
    ['1 89 13 69 123 045 93', []],
    ['2 84 12 2A 004 012 57', []],
    ['9434765870', ['nhs']],
    ['943 476 5918', []],
    // NHS check digit 10 is invalid
    ['999 000 0001', []],
    ['0000000000', []],
  ])('%s -> %j', (value, schemes) => {
    expect(schemesOf(compact(value))).toEqual(schemes);
  });

  it('computes the NIR key on the Corsica-substituted number', () => {
    expect(nirKey('253072B073004')).toBe(70);
    expect(nirKey('253072A073004')).toBe(43);
  });

  it('checks the low-confidence schemes', () => {
    expect(validNiss('85073003328')).toBe(true);
    expect(validNiss('85073003329')).toBe(false);
    expect(validNiss('17073003384')).toBe(true); // born in 2017: "2" prefix
    expect(validSvnr('1237010180')).toBe(true);
    expect(validSvnr('1238010180')).toBe(false);
    expect(validSsn('536904399')).toBe(true);
    expect(validSsn('666123456')).toBe(false);
    expect(validSsn('900123456')).toBe(false);
    expect(validSsn('123004567')).toBe(false);
    expect(validNhs('4010232137')).toBe(true);
  });
});

describe('candidates', () => {
  it('finds spaced and compact runs, not UUIDs, dates or decimals', () => {
    const text =
      "a '2 84 12 2A 004 012 84' b 9434765870 c 3f0c5a4e-8d1b-4f7e-9a60-1c2d3e4f5a6b 1985-05-17 12 3.14159265358979";
    expect(identifierCandidates(text).map((c) => c.raw)).toEqual(['2 84 12 2A 004 012 84', '9434765870']);
  });

  it('records the grouping (phone numbers are 2-digit groups)', () => {
    const [c] = identifierCandidates('06 49 08 19 35');
    expect(c!.groups).toEqual([2, 2, 2, 2, 2]);
  });
});

describe('assessCandidate', () => {
  const none = { positive: false, negative: false, numeric: false };
  const one = (text: string) => identifierCandidates(text)[0]!;
  it.each([
    ['1 85 05 78 006 084 91', none, 'high'],
    // an NHS number needs a name or a word that says so, however it is written
    ['943 476 5919', none, undefined],
    ['943 476 5919', { ...none, positive: true }, 'high'],
    ['4010232137', none, undefined],
    ['4010232137', { ...none, numeric: true }, undefined],
    ['4010232137', { ...none, numeric: true, positive: true }, 'high'],
    // placeholders and the NHS test range, even when named
    ['0123456789', { ...none, positive: true }, undefined],
    ['987 654 3210', { ...none, positive: true }, undefined],
    ['999 000 0115', { ...none, positive: true }, undefined],
    // a grouping the scheme never uses
    ['4010 232 137', { ...none, positive: true }, undefined],
    ['401.023.2137', { ...none, positive: true }, undefined],
    // a French mobile number and a tube barcode that pass mod 11
    ['06 49 08 19 35', none, undefined],
    ['2403150029', { ...none, negative: true }, undefined],
    // the US SSN is off unless enabled (see below)
    ['536-90-4399', { ...none, positive: true }, undefined],
    ['85.07.30-033.28', none, 'low'],
  ] as const)('%s %j -> %s', (text, context, confidence) => {
    // The rule's default schemes, as its YAML sets them.
    const schemes = new Set(
      testPack().rules['hardcoded-health-identifier']!.parameters!['schemes'] as IdentifierScheme[],
    );
    expect(assessCandidate(one(text), context, { schemes })?.confidence).toBe(confidence);
  });

  it('looks for a US SSN only when the scheme is enabled, and then only with a context word', () => {
    const schemes = new Set(['us-ssn'] as const);
    expect(assessCandidate(one('536-90-4399'), none, { schemes })).toBeUndefined();
    expect(assessCandidate(one('536-90-4399'), { ...none, positive: true }, { schemes })?.confidence).toBe('low');
  });
});

describe('masking', () => {
  it('keeps the first third of the characters and the separators', () => {
    expect(maskIdentifier('2 84 05 78 006 084 91')).toBe('2 84 05 •• ••• ••• ••');
    expect(maskIdentifier('284057800608491')).toBe('28405••••••••••');
    expect(maskIdentifier('943 476 5919')).toBe('943 ••• ••••');
  });

  it('masks every identifier-shaped run of a line, keeping its length', () => {
    const line = "  nir: '2 84 12 2A 004 012 84', nhs: 9434765870, id: 42,";
    const masked = maskSensitiveDigits(line);
    expect(masked).toBe("  nir: '2 84 12 •• ••• ••• ••', nhs: 943•••••••, id: 42,");
    expect(masked).toHaveLength(line.length);
  });
});

describe('SQL literal columns', () => {
  const columnOf = (sql: string, literal: string) => {
    const tokens = sqlTokens(sql);
    return sqlColumnOf(
      tokens,
      tokens.findIndex((t) => t.text === literal),
    );
  };
  it.each([
    ["INSERT INTO patients (id, nom, nir) VALUES ('1', 'X', '185057800608491');", '185057800608491', 'nir'],
    [
      "INSERT INTO p (id, ins) VALUES ('1', pgp_sym_encrypt('293127505612349', current_setting('k')));",
      '293127505612349',
      'ins',
    ],
    ["INSERT INTO p (a, b) VALUES ('x', 'y'), ('z', '4010232137');", '4010232137', 'b'],
    ["UPDATE patients SET telephone = '0649081935' WHERE id = 1;", '0649081935', 'telephone'],
    ["SELECT * FROM p WHERE nir IN ('1', '185057800608491')", '185057800608491', 'nir'],
    ["-- '185057800608491'\nSELECT 1", '185057800608491', undefined],
  ])('%s', (sql, literal, column) => {
    expect(columnOf(sql, literal)).toBe(column);
  });
});
