import { describe, expect, it } from 'vitest';
import { covered, findingsOf } from '../helpers.js';

const RULE = 'hardcoded-health-identifier';

// Values made for these tests: 6123451189, 7310025849, 4802177364, 5520198349 and 8146622070 pass
// the NHS mod-11 check; 9990000115 passes it too but is in the NHS test range; 287037512345687 and
// 261069935004288 are NIRs whose key matches; 079188402617 has the layout of a Vietnamese personal
// identification number (Ho Chi Minh City, a woman born in 1988). None is known to be a person's.
const reported: { name: string; file?: string; code: string; found: string[] }[] = [
  {
    name: 'an NHS number beside its FHIR identifier system',
    code: "const id = { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '6123451189' };",
    found: ['6123451189'],
  },
  {
    name: 'an NHS number typed NHSNBR in a production HL7 message',
    code: "const adt = 'MSH|^~\\\\&|PAS|RGT|LIMS|RGT|20240101||ADT^A01|77|P|2.4\\rPID|1||7310025849^^^NHSNBR^NHSNMBR||DOE^JANE';",
    found: ['7310025849'],
  },
  {
    name: 'an NHS number held by a variable that names it',
    code: "const nhsNo = '480 217 7364';",
    found: ['480 217 7364'],
  },
  {
    name: 'an NHS number as the default of a parameter that names it',
    code: "function lookup(nhsNumber = '4802177364') { return nhsNumber; }",
    found: ['4802177364'],
  },
  {
    name: 'an NHS number written after its label in a string',
    code: 'const line = `NHS No: 552 019 8349`;',
    found: ['552 019 8349'],
  },
  {
    name: 'NHS numbers under a comment that says what they are',
    code: "// NHS numbers of the ward's patients\nconst ward = ['5520198349', '8146622070'];",
    found: ['5520198349', '8146622070'],
  },
  {
    name: 'an NHS number in a SQL column that names it',
    file: 'seed.sql',
    code: "INSERT INTO patients (id, nhs_number) VALUES (1, '5520198349');",
    found: ['5520198349'],
  },
  {
    name: 'a NIR with no name at all (its key is strong evidence)',
    code: "const x = '2 87 03 75 123 456 87';",
    found: ['2 87 03 75 123 456 87'],
  },
  {
    name: 'an INS declared with the OID of real NIRs',
    code: "const ins = { system: 'urn:oid:1.2.250.1.213.1.4.8', value: '261069935004288' };",
    found: ['261069935004288'],
  },
  {
    name: 'a Vietnamese CCCD in a constant that names it',
    code: "export const GATEWAY = { OFFICER_CCCD: '079188402617' };",
    found: ['079188402617'],
  },
  {
    name: 'a Vietnamese CCCD as the Swagger example of a field described as one',
    code: "class RelativeDto {\n  @ApiProperty({ description: 'Số CCCD/định danh của người thân', example: '079188402617' })\n  identityNumber: string;\n}",
    found: ['079188402617'],
  },
];

const silent: { name: string; file?: string; code: string }[] = [
  // placeholders and synthetic ranges, even under a name that says NHS number
  { name: 'an ascending digit run', code: "const p = { nhsNumber: '0123456789' };" },
  { name: 'a descending digit run written like a phone', code: "const p = { nhsNumber: '987-654-3210' };" },
  { name: 'a number of the NHS test range', code: "const p = { nhsNumber: '9990000115' };" },
  // an NHS checksum alone proves nothing
  { name: 'a digit string with no name', code: "const pool = '6123451189';" },
  { name: 'a lock key', code: 'const REPORT_LOCK_KEY = 6123451189;' },
  { name: 'a webhook secret', code: "const sub = { secret: '6123451189' };" },
  { name: 'a claim pre-authorisation reference', code: "const claim = { preAuthRef: '6123451189' };" },
  { name: 'a contact number', code: "const kin = { primaryContactNumber: '6123451189' };" },
  { name: 'a FHIR contact point whose system is phone', code: "const t = { system: 'phone', value: '6123451189' };" },
  {
    name: 'the Swagger example of a phone field',
    code: "class UserDto {\n  @ApiProperty({ example: '6123451189' })\n  phone: string;\n}",
  },
  // evidence is for a scheme: a NIR name does not make ten digits an NHS number
  { name: 'a 10-digit value under a name that says NIR', code: "const p = { nir: '6123451189' };" },
  {
    name: 'a company tax code under a comment about the company identifier',
    code: "// Cấu hình định danh doanh nghiệp\nconst doanhnghiep_mst = '6123451189';",
  },
  // digits that belong to something else
  { name: 'an IP address in a URL', code: "const SMS_URL = 'http://61.234.51.189:8888/sms';" },
  {
    name: 'a number in the path of a URL',
    code: "const nhsSummary = 'https://api.example.org/nhs/6123451189/summary';",
  },
  { name: 'coordinates of an SVG path', code: "const icons = { nhsLogo: 'M 612 345 1189.5 L 2 2' };" },
  { name: 'a piece of a UUID-like key', code: "const p = { nhsNumber: 'a3f9-6123451189-b7c2e4d5' };" },
  // values declared as test identities
  {
    name: 'an HL7 message from a simulator (processing id T)',
    code: "const adt = 'MSH|^~\\\\&|SIM|SFAC|RAPP|RFAC|20240101||ADT^A01|12|T|2.3\\rPID|1||7310025849^^^NHSNBR^NHSNMBR||DOE^JANE';",
  },
  {
    name: 'an INS with the test OID after it in the same field',
    code: "const pid = 'PID|1||261069935004288^^^ASIP-SANTE-INS-NIR&1.2.250.1.213.1.4.10&ISO^INS';",
  },
  {
    name: 'an INS whose test OID is a constant the object names',
    code: "const INS_TEST = '1.2.250.1.213.1.4.10';\nconst p = { identifier: [{ system: `urn:oid:${INS_TEST}`, value: '261069935004288' }] };",
  },
  {
    name: 'an INS whose test OID stands earlier in the enclosing object',
    code: "const lot = { oid: '1.2.250.1.213.1.4.10', patients: [{ nom: 'X', matricule: '261069935004288' }] };",
  },
  {
    name: 'a SQL row carrying the test OID after the value',
    file: 'seed.sql',
    code: "INSERT INTO ins (matricule, oid) VALUES ('261069935004288', '1.2.250.1.213.1.4.10');",
  },
  // Vietnamese numbers whose layout is not issued
  { name: 'a CCCD with a province code that does not exist', code: "const p = { cccd: '003188402617' };" },
  { name: 'a CCCD with a century digit not issued yet', code: "const p = { cccd: '079588402617' };" },
];

describe(`${RULE}: identifier evidence and context`, () => {
  it.each(reported)('reports $name', ({ file = 'a.ts', code, found }) => {
    expect(findingsOf(RULE, { [file]: code }).map((f) => covered(code, f))).toEqual(found);
  });

  it.each(silent)('is silent on $name', ({ file = 'a.ts', code }) => {
    expect(findingsOf(RULE, { [file]: code })).toEqual([]);
  });

  it('names the scheme and the evidence, masked, and a scheme without a check is a warning', () => {
    const [f] = findingsOf(RULE, { 'a.ts': "export const GATEWAY = { OFFICER_CCCD: '079188402617' };" });
    expect(f!.message).toContain('Vietnamese personal identification number');
    expect(f!.message).toContain('`OFFICER_CCCD`');
    expect(f!.message).not.toContain('402617');
    expect(f!.severity).toBe('warning');
  });

  it('advises configuration for production code and synthetic values for tests, by scheme', () => {
    const code = "export const GATEWAY = { nhsNumber: '6123451189' };";
    const [prod] = findingsOf(RULE, { 'src/gateway.ts': code });
    expect(prod!.message).toContain('Keep real identifiers out of the code');
    const [fixture] = findingsOf(RULE, { 'test/fixtures/patients.ts': code });
    expect(fixture!.message).toContain('Use synthetic test data (a number of the NHS 999 test range');
  });

  it('names the member a Swagger example documents, not the option', () => {
    const code = reported.find((r) => r.name.includes('Swagger'))!.code;
    expect(findingsOf(RULE, { 'a.ts': code })[0]!.message).toContain('`identityNumber`');
  });
});
