import { linearRegex, type LinearRegex } from '../linear-regex.js';
import type { EngineConfig } from '../config.js';
import { packData } from '../pack.js';
import { matchPositions, parseTerm, remember, STOP_WORDS, TermList, type WordPattern } from './terms.js';
import { segmentCompound, splitWords } from './words.js';
import { knowledgeOf, knowledgePart } from '../knowledge.js';

export type Category =
  | 'health-condition'
  | 'treatment'
  | 'lab-result'
  | 'genetic'
  | 'biometric'
  | 'art9-other'
  | 'health-identifier'
  | 'identity'
  | 'contact'
  | 'professional';

/** Special categories of Art. 9 plus national health identifiers: what `plaintext-health-data` protects. */
export const SPECIAL_CATEGORIES: readonly Category[] = [
  'health-condition',
  'treatment',
  'lab-result',
  'genetic',
  'biometric',
  'art9-other',
  'health-identifier',
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
  /** e.g. 'column', 'field', 'property', 'variable', 'table', 'model', 'type', 'route' */
  kind?: string;
  /** The enclosing table/entity/type name, when known. */
  container?: string;
}

/**
 * The vocabulary file format of `rules/vocabulary/<category>.yaml`. `terms` match anywhere;
 * `weak` terms (`valeur`, `result`) count only inside a special-category container or as a
 * container name; `contextual` terms (`gabarit`, `variant`) only inside a container of the same category.
 */
interface VocabularyFile {
  category: Category;
  terms: Record<string, string[]>;
  weak?: Record<string, string[]>;
  contextual?: Record<string, string[]>;
}

/** `rules/vocabulary/qualifiers.yaml`: the context rules as data. */
export interface ContextRules {
  reference?: string[];
  describing?: string[];
  /** Describing words that make a flag (`is`, `has`): a flag on a verdict (`isAbnormal`) is the verdict. */
  flags?: string[];
  /** Terms that say what a test found (`abnormal`, `positive`): a flag does not neutralise them. */
  verdicts?: string[];
  /** Time words that make a weak term a timestamp (`onset_date`), whatever its category. */
  temporal?: string[];
  process?: string[];
  settingsContainers?: string[];
  technical?: string[];
  payload?: string[];
  /** Containers that are a patient's clinical record (`patient`, `encounter`): a condition's weak or contextual term counts there. */
  subjects?: string[];
  /** Words of an error-message key (`TREATMENT_NOT_FOUND`): such a constant names a message, not data. */
  messageKeys?: string[];
  /** Weak terms too generic to make a table special by its name (`patient_field_values`). */
  genericContainerWords?: string[];
  /** Containers that are a patient's lab test (`LabTest`, `lab_orders`): a lab-result weak term counts there. */
  labRecords?: string[];
  /** A bare name term (`name`, `nom`): after other words it names what they say (`testName`), unless they say a person. */
  thingNames?: string[];
  /** Who a name after them is the name of (`patientName`, `guardianName`, `middleName`): people, roles, kin, name parts. */
  people?: string[];
  handlers?: string[];
  careActors?: string[];
  nameHolders?: string[];
}

type Tier = 'strong' | 'weak' | 'contextual';

interface Term {
  words: WordPattern[];
  /** `=ins`: only the whole identifier (`ins`, not `insCompany`): for short, ambiguous acronyms. */
  exact?: boolean;
  tier: Tier;
  category: Category;
  lang: string;
  source: string;
}

interface Candidate {
  term: Term;
  start: number;
  /** The abbreviation that was expanded to reach the term, if any. */
  via?: string;
}

const CONTAINER_KINDS = new Set([
  'container',
  'table',
  'model',
  'collection',
  'entity',
  'type',
  'interface',
  'class',
  'view',
]);
const TIER_RANK: Record<Tier, number> = { strong: 0, weak: 1, contextual: 2 };

/**
 * Classifies identifiers (column, field, variable, table names) against the vocabularies of the
 * rule pack plus the team's additions, with context rules against the classic false positives.
 */
export class Classifier {
  private readonly terms: Term[] = [];
  /** Terms by the first three letters of their first word (or the whole word when shorter). */
  private readonly byHead = new Map<string, Term[]>();
  private readonly byIdentity = new Map<string, Term>();
  private readonly removed: Set<string>;
  private readonly cache = new Map<string, Classification | null>();
  /** By identifier, and by word list: the same names recur under thousands of containers. */
  private readonly wordCache = new Map<string, string[]>();
  private readonly candidateCache = new Map<string, Candidate[]>();
  private readonly abbreviations: Map<string, string[]>;
  private readonly reference: TermList;
  private readonly describing: TermList;
  private readonly flags: TermList;
  private readonly verdicts: TermList;
  private readonly temporal: TermList;
  private readonly process: Set<string>;
  private readonly settings: TermList;
  private readonly technical: TermList;
  private readonly payload: TermList;
  private readonly subjects: TermList;
  private readonly messageKeys: TermList;
  private readonly genericContainerWords: TermList;
  private readonly labRecords: TermList;
  private readonly thingNames: TermList;
  private readonly nameHolders: TermList;
  private readonly dictionary = new Set<string>();
  private readonly patterns: { category: Category; regex: LinearRegex; source: string }[] = [];

  constructor(
    vocabularies: VocabularyFile[],
    extra: Record<string, string[]> = {},
    removed: string[] = [],
    knowledge: {
      rules?: ContextRules;
      abbreviations?: Record<string, string>;
      patterns?: Record<string, string[]>;
    } = {},
  ) {
    this.removed = new Set(
      removed.map((t) =>
        parseTerm(t)
          .map((w) => w.text)
          .join(' '),
      ),
    );
    for (const vocab of vocabularies) {
      this.addAll(vocab.category, vocab.terms, 'strong');
      this.addAll(vocab.category, vocab.weak ?? {}, 'weak');
      this.addAll(vocab.category, vocab.contextual ?? {}, 'contextual');
    }
    for (const [category, list] of Object.entries(extra)) this.addTerms(category as Category, 'team', list, 'strong');
    this.abbreviations = new Map(
      Object.entries(knowledge.abbreviations ?? {}).map(([k, v]) => [k.toLowerCase(), splitWords(v)]),
    );
    const rules = knowledge.rules ?? {};
    this.reference = new TermList(rules.reference);
    this.describing = new TermList(rules.describing);
    this.flags = new TermList(rules.flags);
    this.verdicts = new TermList(rules.verdicts);
    this.temporal = new TermList(rules.temporal);
    this.process = new Set(rules.process);
    this.settings = new TermList(rules.settingsContainers);
    this.technical = new TermList(rules.technical);
    this.payload = new TermList(rules.payload);
    this.subjects = new TermList(rules.subjects);
    this.messageKeys = new TermList(rules.messageKeys);
    this.genericContainerWords = new TermList(rules.genericContainerWords);
    this.labRecords = new TermList(rules.labRecords);
    this.thingNames = new TermList(rules.thingNames);
    this.nameHolders = new TermList([
      ...(rules.people ?? []),
      ...(rules.handlers ?? []),
      ...(rules.careActors ?? []),
      ...(rules.nameHolders ?? []),
    ]);
    for (const list of [this.reference, this.describing, this.technical, this.settings])
      for (const w of list.words()) this.dictionary.add(w);
    for (const w of this.abbreviations.keys()) this.dictionary.add(w);
    for (const [category, list] of Object.entries(knowledge.patterns ?? {})) {
      for (const source of list) {
        try {
          this.patterns.push({
            category: category as Category,
            regex: linearRegex(source, { ignoreCase: true }),
            source,
          });
        } catch {
          // An invalid team pattern is reported by config validation; here it is ignored.
        }
      }
    }
  }

  private addAll(category: Category, byLang: Record<string, string[]>, tier: Tier): void {
    for (const [lang, list] of Object.entries(byLang)) this.addTerms(category, lang, list, tier);
  }

  private addTerms(category: Category, lang: string, list: string[], tier: Tier): void {
    for (const raw of list) {
      const exact = String(raw).startsWith('=');
      const source = exact ? String(raw).slice(1) : String(raw);
      const words = parseTerm(source);
      const identity = `${category}|${tier}|${exact ? '=' : ''}${words.map((w) => w.text + (w.prefix ? '*' : '')).join(' ')}`;
      if (words.length === 0 || this.removed.has(words.map((w) => w.text).join(' '))) continue;
      // The same term in several languages (`diagnostic*` en and fr) is one term: `(en, fr)`.
      const same = this.byIdentity.get(identity);
      if (same) {
        if (!same.lang.split(', ').includes(lang)) same.lang = `${same.lang}, ${lang}`;
        continue;
      }
      const term: Term = { words, tier, category, lang, source, ...(exact ? { exact } : {}) };
      this.byIdentity.set(identity, term);
      this.terms.push(term);
      const key = headKey(words[0]!.text);
      const bucket = this.byHead.get(key);
      if (bucket) bucket.push(term);
      else this.byHead.set(key, [term]);
      for (const w of words) this.dictionary.add(w.text);
    }
  }

  classify(identifier: string, context: ClassifyContext = {}): Classification | undefined {
    const key = `${identifier}\u0000${context.kind ?? ''}\u0000${context.container ?? ''}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const result = this.compute(identifier, context);
    remember(this.cache, key, result ?? null);
    return result;
  }

  /** True when `name` (a table, entity or type) holds special-category data by its own name. */
  isSpecialContainer(name: string): boolean {
    return this.classify(name, { kind: 'container' })?.special === true;
  }

  private compute(identifier: string, context: ClassifyContext): Classification | undefined {
    const words = this.wordsOf(identifier);
    if (words.length === 0) return undefined;
    const technical =
      this.isTechnical(identifier) ||
      (context.container !== undefined && this.isTechnical(context.container)) ||
      this.isMessageKey(identifier, words);
    const asContainer = CONTAINER_KINDS.has(context.kind ?? '');
    let best: { found: Classification; rank: number } | undefined;
    for (const list of this.variants(words)) {
      for (const candidate of this.candidates(list.words)) {
        const { term } = candidate;
        if (term.exact && (candidate.start !== 0 || term.words.length !== list.words.length)) continue;
        if (this.namesAThing(list.words, candidate)) continue;
        let special = isSpecial(term.category);
        let why = `matched "${term.source}"${list.via ? ` (from "${list.via}")` : ''} -> ${term.category} (${term.lang})`;
        if (special) {
          const blocked = this.blocked(list.words, candidate, technical);
          if (blocked) continue;
          if (term.tier === 'contextual' && asContainer) continue;
          if (
            term.tier === 'weak' &&
            asContainer &&
            this.genericContainerWords.covered(term.words.map((w) => w.text)).size === term.words.length
          )
            continue;
          if (term.tier !== 'strong' && !asContainer) {
            const support = this.containerSupport(context.container, term);
            if (!support) continue;
            why += ` in ${support}`;
          }
        } else if (technical) {
          special = false;
        }
        const found: Classification = { category: term.category, term: term.source, lang: term.lang, special, why };
        const rank = (special ? 0 : 100) + TIER_RANK[term.tier] * 10 - term.words.length;
        if (!best || rank < best.rank) best = { found, rank };
      }
    }
    if (!best?.found.special && !technical && !asContainer && context.container) {
      const payload = this.payloadIn(words, context.container);
      if (payload) return payload;
    }
    if (!best?.found.special) {
      const pattern = this.patterns.find((p) => p.regex.test(identifier));
      if (pattern) {
        return {
          category: pattern.category,
          term: pattern.source,
          lang: 'team',
          special: isSpecial(pattern.category),
          why: `matched /${pattern.source}/ -> ${pattern.category} (team)`,
        };
      }
    }
    return best?.found;
  }

  /**
   * `testName`, `itemName`, `hospital_name`: a bare name term after words that say no person or
   * role names a thing. (`patientName`, `guardianName`, `middleName` stay a person's name.)
   */
  private namesAThing(words: string[], candidate: Candidate): boolean {
    const { term } = candidate;
    if (term.category !== 'identity' || candidate.start === 0) return false;
    const termWords = term.words.map((w) => w.text);
    if (this.thingNames.covered(termWords).size !== termWords.length) return false;
    return !this.nameHolders.matchesAny(words.slice(0, candidate.start));
  }

  /** True when `name` has a technical word (a compiler's `Diagnostic`, FHIR's `OperationOutcome`): nothing under it is about a person. */
  isTechnicalName(name: string): boolean {
    return this.isTechnical(name);
  }

  /** True when `name` names settings (`notificationPreferences`, `config`): what it holds are choices, not data about a person. */
  isSettingsName(name: string): boolean {
    return this.settings.matchesAny(this.wordsOf(name));
  }

  /** True when `name` is a generic payload field (`description`, `notes`): as sensitive as the record holding it. */
  isPayload(name: string): boolean {
    const words = this.wordsOf(name);
    return words.length > 0 && this.payload.covered(words).size === words.length;
  }

  /** A generic payload column (`content`, `notes`) takes the category of its special container. */
  private payloadIn(words: string[], container: string): Classification | undefined {
    const covered = this.payload.covered(words);
    if (covered.size !== words.length) return undefined;
    if (this.settings.matchesAny(this.wordsOf(container))) return undefined;
    const c = this.classify(container, { kind: 'container' });
    if (!c?.special) return undefined;
    const term = words.join(' ');
    return {
      category: c.category,
      term,
      lang: c.lang,
      special: true,
      why: `"${term}" holds the data of "${container}" (${c.why.replace(/^matched /, 'container matched ')})`,
    };
  }

  /** `TREATMENT_NOT_FOUND`, `INVALID_DIAGNOSIS_CODE`: an upper-case constant made of a message key's words. */
  private isMessageKey(identifier: string, words: string[]): boolean {
    return /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(identifier) && this.messageKeys.matchesAny(words);
  }

  private readonly technicalCache = new Map<string, boolean>();

  /** Does the name have a technical word (`error`, `schema`...)? */
  private isTechnical(name: string): boolean {
    let technical = this.technicalCache.get(name);
    if (technical === undefined)
      technical = remember(this.technicalCache, name, this.technical.matchesAny(this.wordsOf(name)));
    return technical;
  }

  /** The identifier's words, split further when it is one long lower-case word (`groupesanguin`). */
  private wordsOf(identifier: string): string[] {
    let words = this.wordCache.get(identifier);
    if (!words) words = remember(this.wordCache, identifier, this.computeWords(identifier));
    return words;
  }

  private computeWords(identifier: string): string[] {
    const all = splitWords(identifier);
    const kept = all.filter((w) => !STOP_WORDS.has(w));
    const words = kept.length > 0 ? kept : all;
    if (words.length !== 1 || words[0]!.length < 6) return words;
    return segmentCompound(words[0]!, this.dictionary, 2) ?? words;
  }

  /** The words as written and, when an abbreviation is present, with it expanded. */
  private variants(words: string[]): { words: string[]; via?: string }[] {
    const out: { words: string[]; via?: string }[] = [{ words }];
    if (!words.some((w) => this.abbreviations.has(w))) return out;
    const expanded: string[] = [];
    const via: string[] = [];
    for (const w of words) {
      const expansion = this.abbreviations.get(w);
      if (expansion) {
        expanded.push(...expansion);
        via.push(w);
      } else expanded.push(w);
    }
    out.push({ words: expanded, via: via.join(', ') });
    return out;
  }

  private candidates(words: string[]): Candidate[] {
    const key = words.join(' ');
    let found = this.candidateCache.get(key);
    if (!found) found = remember(this.candidateCache, key, this.computeCandidates(words));
    return found;
  }

  private computeCandidates(words: string[]): Candidate[] {
    const out: Candidate[] = [];
    const seen = new Set<Term>();
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      for (const key of new Set([headKey(word), word])) {
        for (const term of this.byHead.get(key) ?? []) {
          if (seen.has(term)) continue;
          for (const start of matchPositions(words, term.words)) {
            out.push({ term, start });
            seen.add(term);
            break;
          }
        }
      }
    }
    return out;
  }

  /** Context rules that turn a special match into metadata: technical contexts, ids and counts, dates and codes of a test. */
  private blocked(words: string[], candidate: Candidate, technical: boolean): boolean {
    if (technical) return true;
    const inside = (i: number) => i >= candidate.start && i < candidate.start + candidate.term.words.length;
    const outside = (set: ReadonlySet<number>) => [...set].some((i) => !inside(i));
    if (outside(this.reference.covered(words))) return true;
    if (
      this.process.has(candidate.term.category) &&
      outside(this.describing.covered(words)) &&
      !this.flagsAVerdict(words, candidate)
    )
      return true;
    if (candidate.term.tier !== 'strong' && outside(this.temporal.covered(words))) return true;
    return false;
  }

  /** `isAbnormal`: the only describing words are flags, on a term that says what a test found. */
  private flagsAVerdict(words: string[], candidate: Candidate): boolean {
    const matched = words.slice(candidate.start, candidate.start + candidate.term.words.length);
    if (!this.verdicts.matchesAny(matched)) return false;
    const flags = this.flags.covered(words);
    return [...this.describing.covered(words)].every(
      (i) => flags.has(i) || (i >= candidate.start && i < candidate.start + matched.length),
    );
  }

  /** Why a weak or contextual term counts here: its container is special (of the same category for contextual terms). */
  private containerSupport(container: string | undefined, term: Term): string | undefined {
    if (!container) return undefined;
    const words = this.wordsOf(container);
    if (this.settings.matchesAny(words)) return undefined;
    const c = this.classify(container, { kind: 'container' });
    // `patient.problems`, `encounter.conditions`: what a patient's record holds under a condition word is a condition.
    if (!c?.special) {
      if (term.category === 'health-condition' && this.subjects.matchesAny(words))
        return `"${container}" (a patient's record)`;
      if (term.category === 'lab-result' && this.labRecords.matchesAny(words))
        return `"${container}" (a patient's lab test)`;
      return undefined;
    }
    if (term.tier === 'contextual' && c.category !== term.category) return undefined;
    return `"${container}" (${c.category})`;
  }
}

function headKey(word: string): string {
  return word.length <= 3 ? word : word.slice(0, 3);
}

const CLASSIFIER = knowledgePart('classifier', (config): Classifier => {
  const vocabularies = Object.values(config.pack.data).filter(isVocabularyFile);
  const vocabulary = config.vocabulary;
  return new Classifier(vocabularies, vocabulary?.add ?? {}, vocabulary?.remove ?? [], {
    rules: packData<ContextRules>(config.pack, 'qualifiers', {}),
    abbreviations:
      packData<{ abbreviations?: Record<string, string> }>(config.pack, 'abbreviations', {}).abbreviations ?? {},
    patterns: vocabulary?.identifierPatterns ?? {},
  });
});

/** The classifier of a configuration (part of its knowledge: built once). */
export function classifierFor(config: EngineConfig): Classifier {
  return knowledgeOf(config).get(CLASSIFIER);
}

function isVocabularyFile(value: unknown): value is VocabularyFile {
  return typeof value === 'object' && value !== null && 'category' in value && 'terms' in value;
}
