import ts from 'typescript';
import type { Classifier } from '../vocabulary/classify.js';
import type { HealthEvidence } from './health-value.js';
import { unwrap } from '../syntax/ast.js';

/** Methods of a data-access object that return no records: counts, checks, deletions, iteration. */
const NO_RECORDS =
  /^(count|exists?|has|is[A-Z]|check|delete|remove|destroy|clear|truncate|drop|purge|push|unshift|forEach|size|close|connect|disconnect)/;

/** Array methods: `b.results.map(...)` works on an array held in a property, not on a data-access object (the callbacks say what flows). */
const ARRAY_METHODS = new Set([
  'map',
  'flatMap',
  'filter',
  'reduce',
  'reduceRight',
  'find',
  'findLast',
  'findIndex',
  'some',
  'every',
  'slice',
  'splice',
  'sort',
  'reverse',
  'join',
  'includes',
  'indexOf',
  'concat',
  'at',
  'keys',
  'values',
  'entries',
  'flat',
  'fill',
  'toString',
  'toSorted',
  'toReversed',
]);

/** Names that say the object is a data-access wrapper around the collection (`resultsRepo`, `reportStore`). */
const ACCESS_SUFFIX = /(Repository|Repo|Store|Dao|DAO|Collection|Table|Model)$/;

/**
 * `db.results.amend(id, body)`, `repo.reports.latestFor(id)`, `this.resultRepository.unmatched()`:
 * a call on a data-access object named after a special-category collection returns its records,
 * even when neither the schema nor the types are known (untyped JS, unresolved packages).
 */
export function collectionReadEvidence(call: ts.CallExpression, classifier: Classifier): HealthEvidence | undefined {
  const callee = unwrap(call.expression);
  if (
    !ts.isPropertyAccessExpression(callee) ||
    NO_RECORDS.test(callee.name.text) ||
    ARRAY_METHODS.has(callee.name.text)
  )
    return undefined;
  const receiver = unwrap(callee.expression);
  let name: string | undefined;
  if (ts.isPropertyAccessExpression(receiver)) name = receiver.name.text;
  else if (ts.isIdentifier(receiver) && ACCESS_SUFFIX.test(receiver.text)) name = receiver.text;
  if (!name) return undefined;
  const collection = name.replace(ACCESS_SUFFIX, '');
  if (!collection) return undefined;
  // `db.problems.forPatient(id)`: a method naming the patient makes the collection a part of their record.
  const c = [
    classifier.classify(collection, { kind: 'collection' }),
    classifier.classify(collection, { kind: 'property', container: callee.name.text }),
  ].find((x) => x?.special);
  if (!c) return undefined;
  const path = `${name}.${callee.name.text}()`;
  return { category: c.category, why: `${c.why} via ${path}`, path };
}
