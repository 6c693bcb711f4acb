/** The same names are split again and again (every route resolution, every classification): five regexes each time. */
const splitCache = new Map<string, string[]>();

/** Splits an identifier into lower-case, accent-folded words: camelCase, PascalCase, snake_case, kebab-case, digits. */
export function splitWords(identifier: string): string[] {
  let words = splitCache.get(identifier);
  if (!words) {
    const folded = foldAccents(identifier)
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
      .replace(/([a-zA-Z])([0-9])/g, '$1 $2')
      .replace(/([0-9])([a-zA-Z])/g, '$1 $2');
    words = folded
      .split(/[^A-Za-z0-9]+/)
      .filter((w) => w.length > 0)
      .map((w) => w.toLowerCase());
    if (splitCache.size >= 50_000) splitCache.clear();
    splitCache.set(identifier, words);
  }
  return words.slice();
}

function foldAccents(text: string): string {
  // NFD leaves a few letters whole: œ, æ, and the Vietnamese đ (`định danh`).
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[œ]/g, 'oe')
    .replace(/[æ]/g, 'ae')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}

/**
 * Splits a word written without boundaries (`groupesanguin`, `statutvih`, as PostgreSQL folds
 * unquoted names) into known words, or returns undefined when it does not split entirely into
 * words of `dictionary` (a trailing plural `s`/`x` is allowed on each part).
 */
export function segmentCompound(word: string, dictionary: ReadonlySet<string>, minPart = 2): string[] | undefined {
  const n = word.length;
  // best[i]: a segmentation of word[0..i) with the fewest parts.
  const best: (string[] | undefined)[] = new Array<string[] | undefined>(n + 1).fill(undefined);
  best[0] = [];
  for (let i = 0; i < n; i++) {
    const prefix = best[i];
    if (!prefix) continue;
    for (let j = i + minPart; j <= n; j++) {
      const part = word.slice(i, j);
      const known = dictionary.has(part) || (/[sx]$/.test(part) && dictionary.has(part.slice(0, -1)));
      if (!known) continue;
      const candidate = [...prefix, part];
      const current = best[j];
      if (!current || candidate.length < current.length) best[j] = candidate;
    }
  }
  const result = best[n];
  return result && result.length > 1 ? result : undefined;
}
