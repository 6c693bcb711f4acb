import type { EngineConfig } from '../config.js';
import { splitWords } from './words.js';

export type Category =
  | 'health-condition' | 'treatment' | 'lab-result' | 'genetic' | 'biometric' | 'art9-other'
  | 'health-identifier' | 'identity' | 'contact' | 'professional';

/** Special categories of Art. 9 plus national health identifiers: what `plaintext-health-data` protects. */
export const SPECIAL_CATEGORIES: readonly Category[] = [
  'health-condition', 'treatment', 'lab-result', 'genetic', 'biometric', 'art9-other', 'health-identifier',
];

export function isSpecial(category: Category): boolean {
  return SPECIAL_CATEGORIES.includes(category);
}

export interface Classification {
  category: Category;
  /** The vocabulary term that matched, as written in the vocabulary. */
  term: string;
  /** The language of the term (`fr`, `en`, `de`...), or `team` for config additions. */
  lang: string;
  special: boolean;
  /** Human explanation: `matched "diagnostic" -> health-condition (fr)`. */
  why: string;
}

/** Where the identifier was seen: context rules use it to avoid the classic false positives. */
export interface ClassifyContext {
  /** e.g. 'column', 'field', 'property', 'variable', 'table', 'route', 'type' */
  kind?: string;
  /** The enclosing table/entity/type name, when known. */
  container?: string;
}

/** The vocabulary file format of `rules/vocabulary/<category>.yaml`. */
export interface VocabularyFile {
  category: Category;
  terms: Record<string, string[]>;
}

interface Term {
  words: string[];
  prefix: boolean;
  category: Category;
  lang: string;
  source: string;
}

/**
 * Classifies identifiers (column, field, variable, table names) against the vocabularies of the
 * rule pack plus the team's additions.
 */
export class Classifier {
  private readonly terms: Term[] = [];
  private readonly removed: Set<string>;
  private readonly cache = new Map<string, Classification | null>();

  constructor(vocabularies: VocabularyFile[], extra: Record<string, string[]> = {}, removed: string[] = []) {
    this.removed = new Set(removed.map((t) => splitWords(t).join(' ')));
    for (const vocab of vocabularies) {
      for (const [lang, list] of Object.entries(vocab.terms)) this.addTerms(vocab.category, lang, list);
    }
    for (const [category, list] of Object.entries(extra)) this.addTerms(category as Category, 'team', list);
    // Longer terms first: `groupe sanguin` wins over `groupe`.
    this.terms.sort((a, b) => b.words.length - a.words.length);
  }

  private addTerms(category: Category, lang: string, list: string[]): void {
    for (const source of list) {
      const prefix = source.endsWith('*');
      const words = splitWords(prefix ? source.slice(0, -1) : source);
      if (words.length === 0 || this.removed.has(words.join(' '))) continue;
      this.terms.push({ words, prefix, category, lang, source });
    }
  }

  classify(identifier: string, _context: ClassifyContext = {}): Classification | undefined {
    const cached = this.cache.get(identifier);
    if (cached !== undefined) return cached ?? undefined;
    const result = this.match(splitWords(identifier));
    this.cache.set(identifier, result ?? null);
    return result;
  }

  private match(words: string[]): Classification | undefined {
    let best: Classification | undefined;
    for (const term of this.terms) {
      if (!matchesAt(words, term)) continue;
      const found: Classification = {
        category: term.category,
        term: term.source,
        lang: term.lang,
        special: isSpecial(term.category),
        why: `matched "${term.source}" -> ${term.category} (${term.lang})`,
      };
      if (!best || (found.special && !best.special)) best = found;
      if (best.special) break;
    }
    return best;
  }
}

function matchesAt(words: string[], term: Term): boolean {
  const n = term.words.length;
  for (let i = 0; i + n <= words.length; i++) {
    let ok = true;
    for (let j = 0; j < n; j++) {
      const w = words[i + j]!;
      const t = term.words[j]!;
      const last = j === n - 1;
      if (!(w === t || (last && term.prefix && w.startsWith(t)))) {
        ok = false;
        break;
      }
    }
    if (ok) return true;
  }
  return false;
}

const classifiers = new WeakMap<EngineConfig, Classifier>();

/** The classifier for a configuration (built once per config object). */
export function classifierFor(config: EngineConfig): Classifier {
  let classifier = classifiers.get(config);
  if (!classifier) {
    const vocabularies = Object.values(config.pack.data).filter(isVocabularyFile);
    classifier = new Classifier(vocabularies, config.vocabulary?.add ?? {}, config.vocabulary?.remove ?? []);
    classifiers.set(config, classifier);
  }
  return classifier;
}

function isVocabularyFile(value: unknown): value is VocabularyFile {
  return typeof value === 'object' && value !== null && 'category' in value && 'terms' in value;
}
