/** Finding identifier-shaped digit runs in text (string literals, SQL strings, code frames). */

export interface Candidate {
  /** Offsets of the run inside the scanned text. */
  start: number;
  end: number;
  raw: string;
  /** Separators removed, letters upper-cased. */
  compact: string;
  /** Lengths of the groups between separators, e.g. [1, 2, 2, 2, 3, 3, 2]. */
  groups: number[];
  separators: string;
  /** Preceded by `+` (international phone). */
  plus: boolean;
}

/**
 * Runs of 9 to 15 significant characters: digits, plus Corsica's 2A/2B, with at most one
 * separator (space, dot, dash, underscore, no-break space) between characters. Bounded by
 * anything that is not a letter or digit, so UUIDs and hashes are not candidates.
 */
const RUN = /(?<![A-Za-z0-9])(\+?)([0-9](?:[ .\-_\u00a0]?[0-9AB]){6,})(?![A-Za-z0-9])/g;

export function identifierCandidates(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(RUN)) {
    let raw = m[2]!;
    // A trailing letter belongs to a word (`...12 A`); a trailing separator is not part of the run.
    raw = raw.replace(/[ .\-_\u00a0]?[AB]$/, '');
    const start = m.index + m[1]!.length;
    const compact = raw.replace(/[ .\-_\u00a0]/g, '').toUpperCase();
    if (compact.length < 9 || compact.length > 15) continue;
    // Letters only as Corsica's department (positions 6-7 of a NIR).
    if (/[AB]/.test(compact) && !(compact.length >= 13 && /^\d{5}2[AB]\d+$/.test(compact))) continue;
    const separators = raw.replace(/[0-9AB]/g, '');
    if (isDateOrDecimal(raw, separators)) continue;
    out.push({
      start,
      end: start + raw.length,
      raw,
      compact,
      groups: raw.split(/[ .\-_\u00a0]/).map((g) => g.length),
      separators,
      plus: m[1] === '+',
    });
  }
  return out;
}

/** `1985-05-17 12`, `3.14159265358979`: dates and decimals are never identifiers. */
function isDateOrDecimal(raw: string, separators: string): boolean {
  if (separators === '.') return true;
  return /^\d{4}[-./]\d{2}[-./]\d{2}/.test(raw) || /^\d{2}[-./]\d{2}[-./]\d{4}/.test(raw);
}

/** A telephone number's look: `+` prefix, or only two-digit groups (`06 49 08 19 35`). */
export function phoneFormatted(candidate: Candidate): boolean {
  if (candidate.plus) return true;
  return candidate.groups.length >= 4 && candidate.groups.every((g) => g === 2);
}

/**
 * Digits nobody is given: one digit repeated (`1111111111`), a run up or down the digits
 * (`0123456789`, `9876543210`, `1234567890`), a short pattern repeated (`1212121212`, `123123123`).
 * Placeholders of forms, docs and tests, and the alphabets of random-string generators.
 */
export function placeholderDigits(compact: string): boolean {
  if (!/^\d+$/.test(compact)) return false;
  const d = [...compact].map(Number);
  const steps = new Set(d.slice(1).map((x, i) => (x - d[i]! + 10) % 10));
  if (steps.size === 1 && (steps.has(0) || steps.has(1) || steps.has(9))) return true;
  for (let period = 2; period <= 4; period++) {
    if (compact.length >= period * 2 && [...compact].every((ch, i) => ch === compact[i % period])) return true;
  }
  return false;
}

/**
 * Why the text around a candidate says it is part of something else, if it does: a decimal,
 * a version, an IP address or a coordinate (`.` next to a digit), the host or path of a URL,
 * a hash, UUID or token (a long run of letters and digits the candidate is a piece of).
 */
export function embeddedIn(text: string, c: Candidate): 'number with dots' | 'URL' | 'hash or token' | undefined {
  const before = text[c.start - 1];
  const after = text[c.end];
  if ((before === '.' && /\d/.test(text[c.start - 2] ?? '')) || (after === '.' && /\d/.test(text[c.end + 1] ?? '')))
    return 'number with dots';
  if (before === ',' && /\d/.test(text[c.start - 2] ?? '') && /[.\d]/.test(text[c.start - 3] ?? ''))
    return 'number with dots';
  let from = c.start;
  while (from > 0 && !TOKEN_END.test(text[from - 1]!)) from--;
  let to = c.end;
  while (to < text.length && !TOKEN_END.test(text[to]!)) to++;
  const token = text.slice(from, to);
  const at = c.start - from;
  if (/^[a-z][a-z0-9+.-]*:\/\/|^www\.|^\/[^/\s]/i.test(token)) {
    const query = token.search(/[?#]/);
    if (query < 0 || at < query) return 'URL';
  }
  // Letters and other digits around it, in one unbroken run: a hash, a UUID, a key (not `patient_nir_...`).
  const rest = token.slice(0, at) + token.slice(at + c.end - c.start);
  if (rest.length >= 8 && /[A-Za-z]/.test(rest) && /\d/.test(rest) && /^[A-Za-z0-9+/_-]+=*$/.test(token))
    return 'hash or token';
  return undefined;
}

/** What ends the token a candidate is read in: spaces, quotes, and the separators of HL7, CSV, JSON and query strings. */
const TOKEN_END = /[\s"'`,;|^~&=<>(){}[\]]/;
