import { phoneFormatted, placeholderDigits, type Candidate } from './candidates.js';
import { reservedForTesting, schemesOf, type IdentifierScheme } from './checksums.js';

export type Confidence = 'high' | 'medium' | 'low';

export interface IdentifierMatch {
  scheme: IdentifierScheme;
  confidence: Confidence;
}

export interface LiteralContext {
  /**
   * The schemes a name or a word around the literal names (`nhsNumber`, `NHSNBR` -> nhs; `nir` ->
   * nir; `any` for a national identifier in general); `true` for any scheme.
   */
  positive: boolean | ReadonlySet<IdentifierScheme | 'any'>;
  /** A name says it is something else (phone, barcode, order, invoice, secret, rpps...). */
  negative: boolean;
  /** A numeric literal rather than a string (10-digit numbers are often timestamps). */
  numeric: boolean;
}

interface AssessOptions {
  /** The schemes the rule looks for: its `schemes` option (default in `rules/hardcoded-health-identifier.yaml`). */
  schemes: ReadonlySet<IdentifierScheme>;
}

/** Schemes with a strong check (mod 97 on 15 characters) stand on their own. */
const STRONG: readonly IdentifierScheme[] = ['nir', 'nia'];

/**
 * Decides whether a candidate is reported and how confidently. Placeholders (`0123456789`,
 * `9876543210`, repeated digits), values written in a form the scheme does not use and the
 * values an issuer keeps for tests are never identifiers. A NIR/NIA (15 characters, mod-97 key)
 * stands on its own unless a name says it is something else. The other schemes need evidence:
 * one random number in eleven passes the NHS mod-11 check, so an NHS number is reported only
 * when a name or a word around it says "NHS number"; the schemes with no check at all (NNP,
 * 13-character NIR, Vietnamese CCCD, US SSN) likewise, as warnings.
 */
export function assessCandidate(
  candidate: Candidate,
  context: LiteralContext,
  options: AssessOptions,
): IdentifierMatch | undefined {
  if (placeholderDigits(candidate.compact)) return undefined;
  const enabled = options.schemes;
  const schemes = schemesOf(candidate.compact).filter(
    (s) => enabled.has(s) && writtenAs(s, candidate) && !reservedForTesting(s, candidate.compact),
  );
  if (schemes.length === 0) return undefined;
  const named = (scheme: IdentifierScheme) =>
    context.positive === true ||
    (context.positive !== false && (context.positive.has('any') || context.positive.has(scheme)));
  const negative = context.negative || phoneFormatted(candidate);
  for (const scheme of schemes) {
    if (negative && !named(scheme)) continue;
    if (STRONG.includes(scheme)) return { scheme, confidence: 'high' };
    if (scheme === 'nhs') {
      if (named(scheme)) return { scheme, confidence: 'high' };
      continue;
    }
    if (named(scheme) || typicalFormat(scheme, candidate)) return { scheme, confidence: 'low' };
  }
  return undefined;
}

/**
 * Where each scheme may be split when written (offsets of the group boundaries in the compact
 * form): a NIR `1 85 05 78 006 084 91` or `1850578006084 91`, an NHS number `943 476 5919`, a
 * NISS `85.07.30-033.28`. Any other grouping (`25 7.95 9.5`, an IP address, `0 0 24 24`) is
 * something else that happens to have the digits.
 */
const BOUNDARIES: Record<IdentifierScheme, readonly number[]> = {
  nir: [1, 3, 5, 7, 10, 13],
  nia: [1, 3, 5, 7, 10, 13],
  'nir-13': [1, 3, 5, 7, 10],
  nnp: [1, 3, 5, 7, 10],
  nhs: [3, 6],
  'be-niss': [2, 4, 6, 9],
  'at-svnr': [4],
  'us-ssn': [3, 5],
  'vn-cccd': [],
};

function writtenAs(scheme: IdentifierScheme, c: Candidate): boolean {
  if (c.separators === '') return true;
  if (scheme === 'be-niss') {
    if (!/^[.\- ]+$/.test(c.separators)) return false;
  } else if (!/^[ \-\u00a0]+$/.test(c.separators) || new Set(c.separators).size > 1) return false;
  const allowed = BOUNDARIES[scheme];
  let at = 0;
  for (const g of c.groups.slice(0, -1)) {
    at += g;
    if (!allowed.includes(at)) return false;
  }
  return true;
}

/** The written form of a weak scheme, enough on its own except for the schemes with no check at all. */
function typicalFormat(scheme: IdentifierScheme, c: Candidate): boolean {
  if (scheme === 'be-niss') return /^\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}$/.test(c.raw);
  if (scheme === 'at-svnr') return /^\d{4} \d{6}$/.test(c.raw);
  return false;
}
