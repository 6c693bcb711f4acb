import { splitWords } from './words.js';

/** One word of a vocabulary term: `clinique*` matches `cliniques`, `clinique` also `cliniques` (plural). */
export interface WordPattern {
  text: string;
  prefix: boolean;
}

/** Words that join a term's words and are ignored on both sides: `numero de securite sociale` = `numeroSecuriteSociale`. */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  'de',
  'du',
  'des',
  'd',
  'of',
  'the',
  'la',
  'der',
  'die',
  'del',
  'di',
  'della',
]);

/** Parses `renseignement* clinique*`, `icd10`, `blood group` into word patterns (a `*` may end any word). */
export function parseTerm(source: string): WordPattern[] {
  const patterns: WordPattern[] = [];
  for (const token of source.trim().split(/\s+/)) {
    const prefix = token.endsWith('*');
    const words = splitWords(prefix ? token.slice(0, -1) : token).filter((w) => !STOP_WORDS.has(w));
    words.forEach((text, i) => patterns.push({ text, prefix: prefix && i === words.length - 1 }));
  }
  return patterns;
}

function wordMatches(word: string, pattern: WordPattern): boolean {
  if (word === pattern.text) return true;
  if (pattern.prefix) return word.startsWith(pattern.text);
  if (pattern.text.length < 3) return false;
  return word === `${pattern.text}s` || word === `${pattern.text}x` || word === `${pattern.text}es`;
}

/** Start indexes where `patterns` matches consecutive words of `words`. */
export function matchPositions(words: readonly string[], patterns: readonly WordPattern[]): number[] {
  const found: number[] = [];
  const n = patterns.length;
  for (let i = 0; i + n <= words.length; i++) {
    let ok = true;
    for (let j = 0; j < n && ok; j++) ok = wordMatches(words[i + j]!, patterns[j]!);
    if (ok) found.push(i);
  }
  return found;
}

/**
 * Caches of answers by name: an editing session meets an open-ended set of names (every prefix
 * typed), so a cache starts afresh once it holds this many.
 */
export const MAX_CACHED_NAMES = 50_000;

export function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  if (cache.size >= MAX_CACHED_NAMES) cache.clear();
  cache.set(key, value);
  return value;
}

/** A list of terms matched against word lists (qualifiers, technical contexts, settings containers). */
export class TermList {
  private readonly patterns: WordPattern[][];

  constructor(sources: readonly string[] = []) {
    this.patterns = sources.map(parseTerm).filter((p) => p.length > 0);
  }

  /** By word list: the same identifiers are asked about again and again. */
  private readonly coveredCache = new Map<string, ReadonlySet<number>>();

  /** Word indexes covered by any term of the list. */
  covered(words: readonly string[]): ReadonlySet<number> {
    const key = words.join(' ');
    let indexes = this.coveredCache.get(key);
    if (!indexes) {
      const found = new Set<number>();
      for (const p of this.patterns) {
        for (const start of matchPositions(words, p)) for (let k = 0; k < p.length; k++) found.add(start + k);
      }
      indexes = remember(this.coveredCache, key, found);
    }
    return indexes;
  }

  matchesAny(words: readonly string[]): boolean {
    return this.covered(words).size > 0;
  }

  /** Every plain word of the list (for compound splitting). */
  words(): string[] {
    return this.patterns.flat().map((w) => w.text);
  }
}
