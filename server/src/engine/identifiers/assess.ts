import { phoneFormatted, type Candidate } from './candidates.js';
import { schemesOf, type IdentifierScheme } from './checksums.js';

export type Confidence = 'high' | 'medium' | 'low';

export interface IdentifierMatch {
  scheme: IdentifierScheme;
  confidence: Confidence;
}

export interface LiteralContext {
  /** A name around the literal says "national identifier" (nir, nhsNumber, ssn...). */
  positive: boolean;
  /** A name says it is something else (phone, barcode, order, invoice, rpps...). */
  negative: boolean;
  /** A numeric literal rather than a string (10-digit numbers are often timestamps). */
  numeric: boolean;
}

/** Schemes with a strong check (mod 97 on 15 characters) stand on their own. */
const STRONG: readonly IdentifierScheme[] = ['nir', 'nia'];
/** A mod-11 check digit: one random number in eleven passes, so it needs the literal's look or name. */
const MEDIUM: readonly IdentifierScheme[] = ['nhs'];

/**
 * Decides whether a candidate is reported and how confidently. Context only lowers or raises:
 * a phone-formatted value or a name like `telephone`/`codeBarre` is not an identifier even when
 * its digits pass a check; the weak schemes (no or short check) are reported only when a name
 * says they are identifiers.
 */
export function assessCandidate(candidate: Candidate, context: LiteralContext): IdentifierMatch | undefined {
  const schemes = schemesOf(candidate.compact);
  if (schemes.length === 0) return undefined;
  const negative = context.negative || phoneFormatted(candidate);
  if (negative && !context.positive) return undefined;
  for (const scheme of schemes) {
    if (STRONG.includes(scheme)) return { scheme, confidence: 'high' };
    if (MEDIUM.includes(scheme)) {
      if (context.positive || nhsFormatted(candidate)) return { scheme, confidence: 'high' };
      if (!context.numeric) return { scheme, confidence: 'medium' };
      continue;
    }
    if (context.positive || typicalFormat(scheme, candidate)) return { scheme, confidence: 'low' };
  }
  return undefined;
}

/** `943 476 5919`, `943-476-5919`. */
function nhsFormatted(c: Candidate): boolean {
  return c.groups.length === 3 && c.groups[0] === 3 && c.groups[1] === 3 && c.groups[2] === 4;
}

/** The written form of a weak scheme, enough on its own except for the SSN (no check at all). */
function typicalFormat(scheme: IdentifierScheme, c: Candidate): boolean {
  if (scheme === 'be-niss') return /^\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}$/.test(c.raw);
  if (scheme === 'at-svnr') return /^\d{4} \d{6}$/.test(c.raw);
  return false;
}
