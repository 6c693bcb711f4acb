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
    const start = m.index! + m[1]!.length;
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
