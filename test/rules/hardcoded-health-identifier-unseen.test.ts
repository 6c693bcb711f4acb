import { describe, expect, it } from 'vitest';
import { covered, findingsOf } from '../helpers.js';

const RULE = 'hardcoded-health-identifier';

// Every value is generated with test/holdout/tools/identifiers.mjs: 2350478815, 5556123438 pass the NHS
// mod-11 check; 5200318858 and 2406110079 pass it too but are a ticket and a barcode.
const invalid: { name: string; file: string; code: string; found: string[] }[] = [
  {
    name: 'an NHS number inside an HL7 PID segment held by a variable named pid',
    file: 'a.ts',
    code: "const pid = 'PID|1||NGH0042^^^NGH^MR~2350478815^^^NHS^NH||HARTLEY^OLIVIA';",
    found: ['2350478815'],
  },
  {
    name: 'a value typed into the field labelled NHS number',
    file: 'a.ts',
    code: "await page.getByLabel('NHS number').fill('555 612 3438');",
    found: ['555 612 3438'],
  },
];

const valid: { name: string; file: string; code: string }[] = [
  { name: 'a ticket number in a query string', file: 'a.ts', code: "await page.goto('/kiosk?ticket=5200318858');" },
  {
    name: 'a value typed into the field labelled Barcode',
    file: 'a.ts',
    code: "await page.getByLabel('Barcode').fill('2406110079');",
  },
  {
    name: 'a key/value settings row whose key names an order number',
    file: 'a.sql',
    code: "UPDATE lab_settings SET value = '5200318858' WHERE key = 'next_order_number';",
  },
];

describe(`${RULE} on code in other styles`, () => {
  it.each(invalid)('reports $name', ({ file, code, found }) => {
    expect(findingsOf(RULE, { [file]: code }).map((f) => covered(code, f))).toEqual(found);
  });

  it.each(valid)('accepts $name', ({ file, code }) => {
    expect(findingsOf(RULE, { [file]: code })).toEqual([]);
  });

  it('reports a valid NHS number in a settings row whose key names one, not in a row whose key says nothing', () => {
    const named = "UPDATE lab_settings SET value = '2350478815' WHERE key = 'demo_patient_nhs_number';";
    expect(findingsOf(RULE, { 'a.sql': named }).map((f) => covered(named, f))).toEqual(['2350478815']);
    expect(
      findingsOf(RULE, { 'a.sql': "UPDATE lab_settings SET value = '2350478815' WHERE key = 'demo_patient';" }),
    ).toEqual([]);
  });
});
