import { linearRegex, type LinearRegex } from '../linear-regex.js';

/**
 * Globs of team rules and config (`src/dal/**`, `/api/internal/**`, `anapath_*`, `*.sendORU`):
 * `**` any number of segments, `*` anything but the separator, `?` one character, `{a,b}`
 * alternatives, `[abc]` classes. The regular expressions built here have no nested quantifiers.
 */
export function globToRegExp(glob: string, separator = '/', flags = ''): RegExp {
  const sep = escape(separator);
  const tail = `${separator}**`;
  // `/api/internal/**` also matches `/api/internal` itself.
  if (glob.length > tail.length && glob.endsWith(tail)) {
    const head = globToRegExp(glob.slice(0, -tail.length), separator, flags).source.slice(1, -1);
    return new RegExp(`^${head}(?:${sep}.*)?$`, flags);
  }
  let out = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const atSegmentStart = i === 0 || glob[i - 1] === separator;
        i++;
        if (atSegmentStart && glob[i + 1] === separator) {
          i++;
          out += `(?:.*${sep})?`;
        } else out += '.*';
      } else out += `[^${sep}]*`;
    } else if (c === '?') out += `[^${sep}]`;
    else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) out += '|';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      const body = glob
        .slice(i + 1, close)
        .replace(/^!/, '^')
        .replace(/\\/g, '\\\\');
      out += `[${body}]`;
      i = close;
    } else out += escape(c);
  }
  return new RegExp(`^${out}$`, flags);
}

/** More wildcards than any useful glob has: matching cost grows with them. */
const MAX_STARS = 8;

/** Why a glob cannot be used, or undefined. */
export function globProblem(glob: string): string | undefined {
  if (glob.trim() === '') return 'empty pattern';
  if (glob.includes('\0')) return 'contains a NUL character';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) return `unclosed "[" at character ${i + 1}`;
      i = close;
    } else if (c === '{') braces++;
    else if (c === '}') {
      if (braces === 0) return `unmatched "}" at character ${i + 1}`;
      braces--;
    }
  }
  if (braces > 0) return 'unclosed "{"';
  if (/\*{3,}/.test(glob)) return '"***" is not a glob (expected * or **)';
  if (/\\[\w*?.]/.test(glob)) return 'a backslash is not a folder separator in a glob (expected / between folders)';
  if ((glob.match(/\*/g) ?? []).length > MAX_STARS) return `more than ${MAX_STARS} wildcards (expected a simpler glob)`;
  return undefined;
}

export function isGlob(pattern: string): boolean {
  return /[*?[{]/.test(pattern);
}

/**
 * A glob compiled for matching: the regular expression of globToRegExp run by the linear engine,
 * so that `*a*a*a*a*b` against a long name costs microseconds, not minutes.
 */
export function globMatcher(glob: string, separator = '/', ignoreCase = false): LinearRegex {
  return linearRegex(globToRegExp(glob, separator).source, { ignoreCase });
}

/** Matches a name against glob patterns (case-insensitive, no separators: `anapath_*`, `kafkaProducer.send`). */
export function nameMatcher(patterns: readonly string[]): (name: string) => boolean {
  const res = patterns.map((p) => globMatcher(p, '\u0000', true));
  return (name) => res.some((re) => re.test(name));
}

/** Matches a workspace-relative path (forward slashes) against path globs. */
export function pathMatcher(patterns: readonly string[]): (path: string) => boolean {
  const res = patterns.map((p) => globMatcher(p.replace(/^\.\//, '').replace(/^\//, '')));
  return (path) => res.some((re) => re.test(path.replace(/^\.?\//, '')));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
