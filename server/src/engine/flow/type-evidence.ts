import ts from 'typescript';
import { rethrowTimeout, typeChecker } from '../budget.js';
import type { DetectorContext } from '../detector.js';
import { vocabularyOf } from '../pack.js';
import { TsProject } from '../ts-project.js';
import { classifierFor, type Classifier } from '../vocabulary/classify.js';
import type { HealthEvidence } from './health-value.js';
import { isCriteriaName } from './criteria.js';

/** What a value's TypeScript type says: it carries health data, it provably does not, or nothing (any, string). */
export type TypeVerdict =
  { kind: 'health'; evidence: HealthEvidence } | { kind: 'clean' } | { kind: 'primitive' } | { kind: 'unknown' };

const UNKNOWN: TypeVerdict = { kind: 'unknown' };
const CLEAN: TypeVerdict = { kind: 'clean' };
const PRIMITIVE: TypeVerdict = { kind: 'primitive' };
const LIB_FILE = /__gdpr_lint__|node_modules|lib\.[\w.]*d\.ts$/;
const caches = new WeakMap<ts.TypeChecker, Map<ts.Type, TypeVerdict>>();

/**
 * The verdict of the type checker on the value at `node`: its object type (a `ResultatAnalyse`
 * declared in another file, an inline `{ traitements: string }`) is walked property by property,
 * and each property name is classified with the type's name as its container.
 */
export function typeVerdictAt(node: ts.Node, context: DetectorContext): TypeVerdict {
  let checker: ts.TypeChecker;
  try {
    checker = typeChecker(context, node);
  } catch (error) {
    rethrowTimeout(error);
    return UNKNOWN;
  }
  const type = checker.getTypeAtLocation(node);
  return verdictOf(
    type,
    checker,
    classifierFor(context.config),
    undefined,
    0,
    new Set(),
    technicalShapes(context),
    criteriaOf(context),
  );
}

function criteriaOf(context: DetectorContext): (name: string) => boolean {
  return (name) => isCriteriaName(name, context);
}

/** qualifiers.yaml `technicalShapes`: sets of member names that make a value technical (a process result's `exitCode`). */
export function technicalShapes(context: DetectorContext): string[][] {
  return vocabularyOf<{ technicalShapes: string[][] }>(context.config.pack, 'qualifiers').technicalShapes;
}

function verdictOf(
  type: ts.Type,
  checker: ts.TypeChecker,
  classifier: Classifier,
  hint: string | undefined,
  depth: number,
  seen: Set<ts.Type>,
  shapes: string[][],
  criteria: (name: string) => boolean,
): TypeVerdict {
  let cache = caches.get(checker);
  if (!cache) {
    cache = new Map();
    caches.set(checker, cache);
  }
  if (depth === 0) {
    const cached = cache.get(type);
    if (cached) return cached;
  }
  const verdict = compute(type, checker, classifier, hint, depth, seen, shapes, criteria);
  if (depth === 0) cache.set(type, verdict);
  return verdict;
}

function compute(
  type: ts.Type,
  checker: ts.TypeChecker,
  classifier: Classifier,
  hint: string | undefined,
  depth: number,
  seen: Set<ts.Type>,
  shapes: string[][],
  criteria: (name: string) => boolean,
): TypeVerdict {
  const flags = type.flags;
  if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never)) return UNKNOWN;
  if (
    flags &
    (ts.TypeFlags.StringLike |
      ts.TypeFlags.NumberLike |
      ts.TypeFlags.BooleanLike |
      ts.TypeFlags.BigIntLike |
      ts.TypeFlags.EnumLike |
      ts.TypeFlags.Null |
      ts.TypeFlags.Undefined |
      ts.TypeFlags.Void |
      ts.TypeFlags.ESSymbolLike)
  )
    return PRIMITIVE;
  if (seen.has(type) || depth > 3) return UNKNOWN;
  seen.add(type);
  try {
    if (type.isUnion() || type.isIntersection()) {
      let sawClean = false;
      let sawUnknown = false;
      for (const member of type.types) {
        const v = verdictOf(member, checker, classifier, hint, depth, seen, shapes, criteria);
        if (v.kind === 'health') return v;
        if (v.kind === 'clean') sawClean = true;
        if (v.kind === 'unknown') sawUnknown = true;
      }
      return sawUnknown ? UNKNOWN : sawClean ? CLEAN : PRIMITIVE;
    }
    if (checker.isArrayType(type) || checker.isTupleType(type)) {
      const args = checker.getTypeArguments(type as ts.TypeReference);
      let result: TypeVerdict = PRIMITIVE;
      for (const arg of args) {
        const v = verdictOf(arg, checker, classifier, hint, depth, seen, shapes, criteria);
        if (v.kind === 'health') return v;
        if (v.kind === 'clean' || (v.kind === 'unknown' && result.kind === 'primitive')) result = v;
      }
      return result;
    }
    const awaited = checker.getAwaitedType(type);
    if (awaited && awaited !== type)
      return verdictOf(awaited, checker, classifier, hint, depth, seen, shapes, criteria);
    if (!(flags & ts.TypeFlags.Object)) return UNKNOWN;
    const symbol = type.aliasSymbol ?? type.getSymbol();
    if (symbol && isLibrary(symbol)) return CLEAN;
    if (type.getCallSignatures().length > 0 && checker.getPropertiesOfType(type).length === 0) return CLEAN;
    const named = symbol && !symbol.name.startsWith('__') ? symbol.name : undefined;
    const container = named ?? hint;
    // A search form's criteria (`PatientSearchDto`): what a user searches for, nobody's record.
    if (container && criteria(container)) return CLEAN;
    // A technical type (FHIR's `OperationOutcome`, a compiler's `Diagnostic`): its nested parts are technical too.
    if (named && classifier.isTechnicalName(named)) return CLEAN;
    const properties = checker.getPropertiesOfType(type);
    const names = new Set(properties.map((p) => p.name.toLowerCase()));
    if (shapes.some((shape) => shape.every((w) => names.has(w)))) return CLEAN;
    for (const property of properties) {
      const declaration = property.valueDeclaration ?? property.declarations?.[0];
      if (declaration && (ts.isMethodDeclaration(declaration) || ts.isMethodSignature(declaration))) continue;
      const propertyType = checker.getTypeOfSymbol(property);
      if (
        propertyType.flags & ts.TypeFlags.Object &&
        !checker.isArrayType(propertyType) &&
        propertyType.getCallSignatures().length > 0
      )
        continue;
      const inner = structured(propertyType, checker)
        ? verdictOf(propertyType, checker, classifier, property.name, depth + 1, seen, shapes, criteria)
        : PRIMITIVE;
      if (inner.kind === 'health') return inner;
      if (inner.kind === 'clean') continue; // the property's own structure decides, not its name (`diagnostics: Diagnostic[]`)
      const c = classifier.classify(property.name, { kind: 'property', ...(container ? { container } : {}) });
      if (c?.special && container && circular(property.name, container, c.term, classifier, criteria)) continue;
      if (c?.special) {
        const path = container ? `${container}.${property.name}` : property.name;
        return {
          kind: 'health',
          evidence: { category: c.category, why: `${c.why} via ${path}`, path, ...declaredAt(declaration) },
        };
      }
    }
    return CLEAN;
  } finally {
    seen.delete(type);
  }
}

/**
 * `TypedValue.value`: a generic field special only through a container that is special only by
 * the same generic word. The type says nothing clinical (a model of the schema is not asked here:
 * types are TS declarations, a schema model's columns are judged by the schema).
 */
function circular(
  field: string,
  container: string,
  term: string,
  classifier: Classifier,
  _criteria: (name: string) => boolean,
): boolean {
  if (classifier.classify(field, { kind: 'property' })?.special) return false;
  return classifier.classify(container, { kind: 'container' })?.term === term;
}

/** A type made of properties (an object, or an array/union of them), as opposed to a primitive. */
function structured(type: ts.Type, checker: ts.TypeChecker): boolean {
  if (type.isUnion()) return type.types.some((t) => structured(t, checker));
  if (checker.isArrayType(type))
    return checker.getTypeArguments(type as ts.TypeReference).some((t) => structured(t, checker));
  return (type.flags & ts.TypeFlags.Object) !== 0;
}

function isLibrary(symbol: ts.Symbol): boolean {
  const declarations = symbol.declarations ?? [];
  return declarations.length > 0 && declarations.every((d) => LIB_FILE.test(d.getSourceFile().fileName));
}

function declaredAt(declaration: ts.Declaration | undefined): { declared?: HealthEvidence['declared'] } {
  if (!declaration) return {};
  const sf = declaration.getSourceFile();
  const name = (declaration as ts.NamedDeclaration).name ?? declaration;
  return { declared: { file: TsProject.relativePath(sf.fileName), start: name.getStart(sf), end: name.end } };
}
