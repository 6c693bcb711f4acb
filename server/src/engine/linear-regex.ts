import { RE2JS } from 're2js';

/** A compiled pattern that matches in time linear in the input: safe on text a pull request controls. */
export interface LinearRegex {
  /** Whether the pattern matches somewhere in `text` (as RegExp.prototype.test). */
  test(text: string): boolean;
  readonly source: string;
}

/**
 * Compiles a regular expression with RE2 (re2js): no backtracking, so no pattern can take
 * exponential time, whoever wrote it (a team's config, a glob, the code under analysis). RE2 has
 * no lookarounds and no backreferences: such a pattern throws, like an invalid one.
 */
export function linearRegex(source: string, flags: { ignoreCase?: boolean } = {}): LinearRegex {
  const compiled = RE2JS.compile(source, flags.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  return { source, test: (text) => compiled.matcher(text).find() };
}

/** Why a pattern cannot be compiled by the linear engine, or undefined. */
export function linearRegexProblem(source: string): string | undefined {
  try {
    RE2JS.compile(source);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
