import type { DetectorContext } from '../detector.js';
import { vocabularyOf } from '../pack.js';
import { containsTerm, termList, type TermList } from '../sinks/terms.js';
import { splitWords } from '../vocabulary/words.js';

interface CriteriaData {
  criteria: string[];
  criteriaResults: string[];
}

const lists = new WeakMap<object, { criteria: TermList; results: TermList }>();

/**
 * Whether a name says its values are search criteria (`PatientSearchDto`, `queryParams`,
 * `filters`, `SearchCriteria`): what a user types into a search form is not a person's record,
 * even when a field is called `diagnosis`. A name that also says results (`searchResults`,
 * `filteredRows`) holds records. Data: `rules/vocabulary/qualifiers.yaml` (`criteria`).
 */
export function isCriteriaName(name: string, ctx: Pick<DetectorContext, 'config'>): boolean {
  let v = lists.get(ctx.config);
  if (!v) {
    const data = vocabularyOf<CriteriaData>(ctx.config.pack, 'qualifiers');
    v = { criteria: termList(data.criteria), results: termList(data.criteriaResults) };
    lists.set(ctx.config, v);
  }
  const words = splitWords(name);
  return words.length > 0 && containsTerm(words, v.criteria) && !containsTerm(words, v.results);
}
