import { linearRegexProblem } from '../engine/index.js';

/**
 * Why a team's regular expression cannot be used, or undefined. Patterns run on RE2 (linear
 * time): no pattern can hang a scan, and the few constructs RE2 lacks (lookarounds,
 * backreferences) are refused here, located, rather than silently ignored.
 */
export function regexProblem(pattern: string): string | undefined {
  const problem = linearRegexProblem(pattern);
  return problem
    ? `unusable regular expression /${pattern}/: ${problem} (expected a regular expression without lookarounds or backreferences)`
    : undefined;
}
