#!/usr/bin/env node
// Generates the fictional identifiers used in test/holdout/flows (checksums per shared/docs/domain.md §4).
// Deterministic: run it again to re-check every value that the corpus uses.
//   node test/holdout/tools/identifiers.mjs

/** NHS mod-11 check digit of 9 digits; 10 means "no valid number with this stem". */
export function nhsCheck(stem) {
  const sum = [...stem].reduce((s, d, i) => s + Number(d) * (10 - i), 0);
  const c = 11 - (sum % 11);
  return c === 11 ? 0 : c;
}
export const nhsValid = (n) => /^\d{10}$/.test(n) && nhsCheck(n.slice(0, 9)) === Number(n[9]);

/** NIR key with Corsica substitution (2A -> 19, 2B -> 18). */
export function nirKey(first13) {
  const n = BigInt(first13.replace(/^(.{5})2A/, '$119').replace(/^(.{5})2B/, '$118'));
  return String(97n - (n % 97n)).padStart(2, '0');
}
export const nirValid = (n) => /^[1-478]\d{4}(\d{2}|2[AB])\d{6}\d{2}$/.test(n) && nirKey(n.slice(0, 13)) === n.slice(13);

const luhnValid = (s) => [...s].reverse().reduce((sum, ch, i) => { let d = Number(ch); if (i % 2) { d *= 2; if (d > 9) d -= 9; } return sum + d; }, 0) % 10 === 0;

/** Every identifier literal of the corpus, digits only, with what it must be. */
export const CORPUS = {
  nhsValid: ['4857773457', '6541238901', '7216504380', '3378162449', '5029716343', '8834179021', '4401196589', '6093317838', '2350478815', '9120365535', '5556123438', '7048830123'],
  nhsInvalid: ['4857773456', '6541238900', '7216504388', '1234567890'],
  // Mod-11 valid on purpose: a reviewer must still see them as not NHS numbers from their context.
  mod11Traps: {
    ukMobile: '7700900469', itMobile: '3471250085', deTelefon: '1517304407', specimenBarcode: '2406110079',
    epochSeconds: '1718200102', isbn10: '0198568258', orderNumber: '5200318858', esTelefono: '6123450980',
  },
  nirValid: ['185057800608491', '290032A01512378', '177129912345626', '282117510812379', '195064209001281', '260022B00421749', '181033012412309'],
  nirInvalid: ['185057800608492', '290032A01512390', '282117510812300'],
  cardLike: ['4539148803436467'],
};

if (import.meta.url === `file://${process.argv[1]}`) {
  let bad = 0;
  const expect = (ok, what) => { if (!ok) { bad++; console.log('MISMATCH', what); } };
  for (const n of CORPUS.nhsValid) expect(nhsValid(n), `nhs valid ${n.slice(0, 3)}…`);
  for (const n of CORPUS.nhsInvalid) expect(!nhsValid(n), `nhs invalid ${n.slice(0, 3)}…`);
  for (const [k, n] of Object.entries(CORPUS.mod11Traps)) expect(nhsValid(n), `trap ${k}`);
  for (const n of CORPUS.nirValid) expect(nirValid(n), `nir valid ${n.slice(0, 5)}…`);
  for (const n of CORPUS.nirInvalid) expect(!nirValid(n), `nir invalid ${n.slice(0, 5)}…`);
  for (const n of CORPUS.cardLike) expect(luhnValid(n), 'card luhn');
  // Helpers to pick values: print the right check digit / key for candidate stems given on the command line.
  for (const stem of process.argv.slice(2)) {
    if (stem.length === 9) console.log(stem, '->', nhsCheck(stem));
    if (stem.length === 13) console.log(stem, '->', nirKey(stem));
  }
  console.log(bad ? `${bad} mismatches` : 'all identifiers check out');
  process.exit(bad ? 1 : 0);
}
