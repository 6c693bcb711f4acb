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

const LOOKAHEAD = /^((?:\^)?(?:\\\/|[^\\()[\]{}|*+?.$^])*)\((\?!)((?:[^()\\*+?{}[\]]|\\.)+)\)(.*)$/s;

function lookaheadRegex(source: string, ignoreCase: boolean): LinearRegex | undefined {
  // `prefix(?!a|b)rest`, possibly with the lookahead opening a group: `^/((?!a|b).*)$`.
  const grouped = /^(\^?(?:\\\/|[^\\()[\]{}|*+?.$^])*)\(\(\?!((?:[^()\\*+?{}[\]]|\\.)+)\)(.*)\)(\$?)$/s.exec(source);
  const parts = grouped ? { prefix: grouped[1]!, alternatives: grouped[2]!, rest: `(${grouped[3]!})${grouped[4]!}` } : (() => {
    const m = LOOKAHEAD.exec(source);
    return m ? { prefix: m[1]!, alternatives: m[3]!, rest: m[4]! } : undefined;
  })();
  if (!parts) return undefined;
  let whole: LinearRegex;
  try {
    whole = linearRegex(`${parts.prefix}${parts.rest}`, { ignoreCase });
  } catch {
    return undefined;
  }
  const literal = (s: string) => s.replace(/\\(.)/g, '$1');
  const prefix = literal(parts.prefix.replace(/^\^/, ''));
  const anchored = parts.prefix.startsWith('^');
  const banned = parts.alternatives.split('|').map(literal).map((a) => (ignoreCase ? a.toLowerCase() : a));
  return {
    source,
    test: (text) => {
      if (!whole.test(text)) return false;
      // Where the lookahead stands: after the literal prefix (at the start when anchored, else at its first occurrence).
      const at = anchored ? (text.startsWith(prefix) ? prefix.length : -1) : text.indexOf(prefix) + prefix.length;
      if (at < 0 || (!anchored && text.indexOf(prefix) < 0)) return false;
      const after = ignoreCase ? text.slice(at).toLowerCase() : text.slice(at);
      return !banned.some((b) => after.startsWith(b));
    },
  };
}
