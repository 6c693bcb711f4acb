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

/**
 * A regular expression written in the code under analysis (an express-jwt `unless` path, a
 * `use(/^\/api/, ...)` mount, a Next.js matcher), compiled so that no pattern can hang the scan:
 * RE2 when it supports the pattern; else the one lookaround real code uses, a negative lookahead
 * of literal alternatives after a literal prefix (`/((?!api|_next/static).*)`), decided by
 * reading it rather than by backtracking. Anything else cannot be decided: undefined.
 */
export function codeRegex(source: string, flags = ''): LinearRegex | undefined {
  const ignoreCase = flags.includes('i');
  try {
    return linearRegex(source, { ignoreCase });
  } catch {
    return lookaheadRegex(source, ignoreCase);
  }
}

function lookaheadRegex(source: string, ignoreCase: boolean): LinearRegex | undefined {
  // `prefix(?!a|b)rest`, the prefix literal but for `^` and group openings (`^/((?!api|_next).*)/?$`).
  const at = source.indexOf('(?!');
  if (at < 0) return undefined;
  const prefix = source.slice(0, at);
  if (!/^\^?(?:\\.|[^\\()[\]{}|*+?.$^]|\((?!\?))*$/.test(prefix)) return undefined;
  const close = source.indexOf(')', at);
  const body = source.slice(at + 3, close);
  if (close < 0 || !/^(?:[^()\\*+?{}[\]]|\\.)+$/.test(body)) return undefined;
  let rest: LinearRegex;
  try {
    rest = linearRegex(prefix + source.slice(close + 1), { ignoreCase });
  } catch {
    return undefined;
  }
  const unescape = (t: string) => t.replace(/\\(.)/g, '$1');
  const literal = unescape(prefix.replace(/^\^/, '').replace(/\(/g, ''));
  const anchored = prefix.startsWith('^');
  const fold = (t: string) => (ignoreCase ? t.toLowerCase() : t);
  const banned = body.split('|').map(unescape).map(fold);
  return {
    source,
    test: (text) => {
      if (!rest.test(text)) return false;
      // Where the lookahead stands: right after the literal prefix.
      const start = anchored ? (text.startsWith(literal) ? 0 : -1) : text.indexOf(literal);
      if (start < 0) return false;
      const after = fold(text.slice(start + literal.length));
      return !banned.some((b) => after.startsWith(b));
    },
  };
}
