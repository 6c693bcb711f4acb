import safeRegex from 'safe-regex2';

/** Why a team's regular expression cannot be used (invalid, or catastrophic backtracking), or undefined. */
export function regexProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'u');
  } catch (error) {
    return `invalid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')} (expected a JavaScript regular expression)`;
  }
  if (!safeRegex(pattern)) {
    return `regular expression /${pattern}/ can backtrack catastrophically (nested quantifiers such as (a+)+); rejected (expected a pattern without nested repetition)`;
  }
  return undefined;
}
