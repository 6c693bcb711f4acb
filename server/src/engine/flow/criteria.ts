import type { DetectorContext } from '../detector.js';
import { vocabularyOf } from '../pack.js';
import { containsTerm, termList, type TermList } from '../sinks/terms.js';
import { splitWords } from '../vocabulary/words.js';
import { knowledgeOf, knowledgePart } from '../knowledge.js';

interface CriteriaData {
  criteria: string[];
  criteriaResults: string[];
}

const CRITERIA = knowledgePart('criteria', (config): { criteria: TermList; results: TermList } => {
  const data = vocabularyOf<CriteriaData>(config.pack, 'qualifiers');
  return { criteria: termList(data.criteria), results: termList(data.criteriaResults) };
});

/**
 * Whether a name says its values are search criteria (`PatientSearchDto`, `queryParams`,
 * `filters`, `SearchCriteria`): what a user types into a search form is not a person's record,
 * even when a field is called `diagnosis`. A name that also says results (`searchResults`,
 * `filteredRows`) holds records. Data: `rules/vocabulary/qualifiers.yaml` (`criteria`).
 */
export function isCriteriaName(name: string, ctx: Pick<DetectorContext, 'config'>): boolean {
  const v = knowledgeOf(ctx.config).get(CRITERIA);
  const words = splitWords(name);
  return words.length > 0 && containsTerm(words, v.criteria) && !containsTerm(words, v.results);
}
