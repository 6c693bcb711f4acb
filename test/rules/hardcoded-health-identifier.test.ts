import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../server/src/engine/index.js';
import { covered, findingsOf } from '../helpers.js';

const RULE = 'hardcoded-health-identifier';

/** Each case: code, then the exact text of each finding (the identifier inside its literal). */
const invalid: { name: string; path?: string; code: string; found: string[] }[] = [
  { name: 'compact NIR in a constant', code: "const NIR_TEST = '169063306301775';", found: ['169063306301775'] },
  {
    name: 'spaced NIR in a fixture',
    code: "export const p = { nom: 'X', nir: '2 76 05 92 050 437 80' };",
    found: ['2 76 05 92 050 437 80'],
  },
  { name: 'Corsica 2A', code: "const p = { nir: '2 84 12 2A 004 012 84' };", found: ['2 84 12 2A 004 012 84'] },
  { name: 'unknown month 30', code: "const p = { nir: '1 55 30 99 135 105 25' };", found: ['1 55 30 99 135 105 25'] },
  {
    name: 'temporary NIA',
    code: "const p = { matricule: '7 83 01 99 350 042 38' };",
    found: ['7 83 01 99 350 042 38'],
  },
  {
    name: 'NHS numbers',
    code: "const uk = [{ nhsNumber: '943 476 5919' }, { nhsNumber: '4010232137' }];",
    found: ['943 476 5919', '4010232137'],
  },
  { name: 'NHS number as a number with a context name', code: 'const nhs_no = 4010232137;', found: ['4010232137'] },
  { name: 'inside a template', code: 'const msg = `patient ${name} NIR 295109912611193`;', found: ['295109912611193'] },
  {
    name: 'inside SQL in a string',
    code: "await pool.query('INSERT INTO patients (id, nir) VALUES (1, \\'185057800608491\\')');",
    found: ['185057800608491'],
  },
  {
    name: 'compared in a test',
    code: "expect(validateNir('253072B07300470')).toBe(true);",
    found: ['253072B07300470'],
  },
  {
    name: 'SQL file INSERT',
    path: 'seed.sql',
    code: "INSERT INTO patients (id, nir) VALUES (1, '284122B03104544');",
    found: ['284122B03104544'],
  },
  {
    name: 'SQL file, value passed to pgcrypto',
    path: 'seed.sql',
    code: "INSERT INTO p (id, ins) VALUES (1, pgp_sym_encrypt('293127505612349', 'k'));",
    found: ['293127505612349'],
  },
];

const valid: { name: string; path?: string; code: string }[] = [
  { name: 'wrong key', code: "const p = { nir: '185057800608492' };" },
  { name: 'month 13 with a matching key', code: "const p = { nir: '1 89 13 69 123 045 93' };" },
  { name: 'Corsica key computed with 2A -> 20', code: "const p = { nir: '2 84 12 2A 004 012 57' };" },
  { name: 'too short', code: "const p = { nir: '1 85 05 78 006 08' };" },
  { name: 'French mobile (passes mod 11)', code: "const p = { telephone: '06 49 08 19 35' };" },
  { name: 'phone grouping without a name', code: "call('06 49 08 19 35');" },
  { name: 'tube barcode (passes mod 11)', code: "const refs = { codeBarreTube: '2403150029' };" },
  { name: 'order number', code: "const refs = { numeroCommande: 'CMD-2024-000123' };" },
  { name: 'RPPS number', code: "const refs = { rppsPrescripteur: '10101234567' };" },
  { name: 'NHS check digit 10', code: "const p = { nhsNumber: '999 000 0001' };" },
  { name: 'timestamp-like number without a name', code: 'const t = 4010232137;' },
  { name: 'SSN without a context word', code: "const code = '536-90-4399';" },
  { name: 'SSN with a context word, the scheme being off by default', code: "const ssn = '536-90-4399';" },
  { name: 'in a comment', code: '// 169063306301775\nconst a = 1;' },
  { name: 'INS test OID next to it', code: "const ins = { oid: '1.2.250.1.213.1.4.10', value: '169063306301775' };" },
  {
    name: 'SQL file, phone column',
    path: 'seed.sql',
    code: "UPDATE patients SET telephone = '2403150029' WHERE id = 1;",
  },
  { name: 'SQL comment', path: 'seed.sql', code: '-- 169063306301775\nSELECT 1;' },
];

describe(RULE, () => {
  it.each(invalid)('reports $name', ({ path = 'fixture.ts', code, found }) => {
    const findings = findingsOf(RULE, { [path]: code });
    expect(findings.map((f) => covered(code, f))).toEqual(found);
  });

  it.each(valid)('accepts $name', ({ path = 'fixture.ts', code }) => {
    expect(findingsOf(RULE, { [path]: code })).toEqual([]);
  });

  it('never prints the value: message and data show it masked', () => {
    const code = "const p = { nir: '1 85 05 78 006 084 91' };";
    const [f] = findingsOf(RULE, { 'a.ts': code });
    expect(f!.message).toContain('1 85 05 •• ••• ••• ••');
    expect(f!.data).toEqual({ scheme: 'nir', masked: '1 85 05 •• ••• ••• ••', confidence: 'high' });
    const json = JSON.stringify(f);
    expect(json).not.toMatch(/78 006 084 91|185057800608491/);
  });

  it('reports a US SSN, as a warning, when the team enables the scheme', () => {
    const rules = { [RULE]: { options: { schemes: ['nir', 'nhs', 'us-ssn'] } } };
    const [f] = findingsOf(RULE, { 'a.ts': "const ssn = '536-90-4399';" }, { rules });
    expect(f!.severity).toBe('warning');
    expect(f!.data).toMatchObject({ scheme: 'us-ssn' });
  });

  it('offers a suppression comment with the line indentation (-- in SQL)', () => {
    const code = "const p = {\n  nir: '169063306301775',\n};";
    const [f] = findingsOf(RULE, { 'a.ts': code });
    expect(applyEdits(code, f!.fixes![0]!.edits).text).toBe(
      "const p = {\n  // gdpr-lint-disable-next-line hardcoded-health-identifier -- TODO: justify\n  nir: '169063306301775',\n};",
    );
    const sql = "INSERT INTO p (nir) VALUES ('169063306301775');";
    const [g] = findingsOf(RULE, { 'a.sql': sql });
    expect(applyEdits(sql, g!.fixes![0]!.edits).text.split('\n')[0]).toBe(
      '-- gdpr-lint-disable-next-line hardcoded-health-identifier -- TODO: justify',
    );
  });

  it('honours the suppression comment', () => {
    const code =
      "// gdpr-lint-disable-next-line hardcoded-health-identifier -- CNAM test identity\nconst NIR = '169063306301775';";
    const [f] = findingsOf(RULE, { 'a.ts': code });
    expect(f!.suppressed?.justification).toBe('CNAM test identity');
  });
});
