export { embeddedIn, identifierCandidates, phoneFormatted, placeholderDigits, type Candidate } from './candidates.js';
export {
  ALL_SCHEMES,
  reservedForTesting,
  schemesOf,
  vnPersonalIdLayout,
  validNir,
  validNhs,
  validNiss,
  validSvnr,
  validSsn,
  nirKey,
  SCHEME_LABELS,
  type IdentifierScheme,
} from './checksums.js';
export { maskIdentifier, maskSensitiveDigits } from './mask.js';
export { assessCandidate, type Confidence, type IdentifierMatch, type LiteralContext } from './assess.js';
export { adjacentWords, judgeContext, surroundingWords, tsContextNames, contextVocabulary } from './context.js';
export { sqlTokens, sqlColumnOf, type SqlToken } from './sql-literals.js';
