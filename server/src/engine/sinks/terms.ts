import { splitWords } from '../vocabulary/words.js';

/** A list of name terms (`code barre`, `status*`) matched on split words. */
export interface TermList {
  terms: { words: string[]; prefix: boolean }[];
}

export function termList(list: readonly string[] = []): TermList {
  return {
    terms: list
      .map((source) => {
        const prefix = source.endsWith('*');
        return { words: splitWords(prefix ? source.slice(0, -1) : source), prefix };
      })
      .filter((t) => t.words.length > 0),
  };
}

function matchAt(words: readonly string[], at: number, term: TermList['terms'][number]): boolean {
  const n = term.words.length;
  if (at < 0 || at + n > words.length) return false;
  for (let j = 0; j < n; j++) {
    const w = words[at + j]!;
    const t = term.words[j]!;
    if (!(w === t || (j === n - 1 && term.prefix && w.startsWith(t)))) return false;
  }
  return true;
}

/** Some term occurs anywhere in the words. */
export function containsTerm(words: readonly string[], list: TermList): boolean {
  return list.terms.some((t) => {
    for (let i = 0; i + t.words.length <= words.length; i++) if (matchAt(words, i, t)) return true;
    return false;
  });
}

/** The words end with some term (`resultatId` ends with `id`). */
export function endsWithTerm(words: readonly string[], list: TermList): boolean {
  return list.terms.some((t) => matchAt(words, words.length - t.words.length, t));
}

/** The words start with some term (`nbResultats` starts with `nb`). */
export function startsWithTerm(words: readonly string[], list: TermList): boolean {
  return list.terms.some((t) => matchAt(words, 0, t));
}

export function nameMatches(name: string, list: TermList, where: 'any' | 'end' | 'start' = 'any'): boolean {
  const words = splitWords(name);
  if (words.length === 0) return false;
  return where === 'end'
    ? endsWithTerm(words, list)
    : where === 'start'
      ? startsWithTerm(words, list)
      : containsTerm(words, list);
}
