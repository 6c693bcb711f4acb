export { identifierCandidates, phoneFormatted, type Candidate } from './candidates.js';
export { schemesOf, validNir, validNhs, validNiss, validSvnr, validSsn, nirKey, SCHEME_LABELS, type IdentifierScheme } from './checksums.js';
export { maskIdentifier, maskSensitiveDigits } from './mask.js';
export { assessCandidate, type Confidence, type IdentifierMatch, type LiteralContext } from './assess.js';
export { adjacentWords, judgeContext, tsContextNames, contextVocabulary } from './context.js';
export { sqlTokens, sqlColumnOf, type SqlToken } from './sql-literals.js';
