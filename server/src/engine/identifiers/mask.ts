import { identifierCandidates } from './candidates.js';

const MASK = '\u2022';

/**
 * Masks an identifier for display: the first third of its significant characters stays (a NIR
 * keeps sex, year and month), every other digit or letter becomes `•`, separators stay.
 * `2 84 05 78 006 084 91` -> `2 84 05 •• ••• ••• ••`. Same length as the input, so code frames
 * keep their columns.
 */
export function maskIdentifier(value: string): string {
  const significant = value.replace(/[^0-9A-Za-z]/g, '').length;
  let keep = Math.floor(significant / 3);
  let out = '';
  for (const ch of value) {
    if (/[0-9A-Za-z]/.test(ch)) {
      out += keep > 0 ? ch : MASK;
      keep--;
    } else out += ch;
  }
  return out;
}

/**
 * Masks every identifier-shaped run of digits in a text (9 to 15 digits, with or without
 * separators), valid or not: used on code frames and any other text that quotes scanned code.
 */
export function maskSensitiveDigits(text: string): string {
  const candidates = identifierCandidates(text);
  if (candidates.length === 0) return text;
  let out = '';
  let cursor = 0;
  for (const c of candidates) {
    out += text.slice(cursor, c.start) + maskIdentifier(c.raw);
    cursor = c.end;
  }
  return out + text.slice(cursor);
}
