import ts from 'typescript';
import type { DetectorContext } from '../detector.js';
import { callProtection } from '../orm/protection.js';
import { classifierFor, type Category } from '../vocabulary/classify.js';
import { enclosingFunction, localDeclarationOf, writesTo } from './locals.js';
import { collectionReadEvidence } from './collection-reads.js';
import { modelNameOfRead, modelReadEvidence } from './model-reads.js';
import { calleeName, lastSegment, propertyName, resolveName, unwrap } from './resolve.js';
import { typeVerdictAt, type TypeVerdict } from './type-evidence.js';
import { provablyAny } from './any-type.js';
import { TsProject } from '../ts-project.js';

/** Why an expression is taken to carry health data. */
export interface HealthEvidence {
  category: Category;
  /** e.g. `matched "diagnostic" -> health-condition (fr) via result.diagnostic` */
  why: string;
  /** The access path that carries it, e.g. `result.diagnosis`. */
  path?: string;
  /** Where the sensitive field is declared, when known (for relatedInformation). */
  declared?: { file: string; start: number; end: number };
}

/** Functions whose result is their argument in another form (still readable by anyone). */
const TRANSPARENT = new Set([
  'JSON.stringify', 'String', 'encodeURIComponent', 'encodeURI', 'escape', 'btoa', 'Buffer.from', 'Array.from', 'Object.values',
  'Object.entries', 'Object.assign', 'Object.fromEntries', 'structuredClone', 'stringify', 'unparse', 'Papa.unparse', 'json2csv', 'parse',
  'util.format', 'util.inspect', 'format', 'inspect', 'yaml.dump', 'YAML.stringify', 'toCSV', 'toCsv', 'Blob', 'File', 'Response', 'TextEncoder.encode',
]);
/** Methods whose result carries their receiver's data. */
const RECEIVER_METHODS = new Set([
  'filter', 'slice', 'sort', 'reverse', 'concat', 'flat', 'find', 'findLast', 'at', 'toString', 'join', 'trim', 'toUpperCase', 'toLowerCase',
  'valueOf', 'toJSON', 'get', 'entries', 'values', 'toObject', 'toArray', 'clone', 'encode', 'pipe', 'padStart', 'padEnd', 'replace', 'replaceAll', 'substring',
]);
/** Methods whose result is the return of their callback. */
const CALLBACK_METHODS = new Set(['map', 'flatMap', 'reduce', 'then']);

/** Array methods whose callback's parameter is an element of the receiver. */
const ELEMENT_CALLBACKS = new Set(['forEach', 'map', 'flatMap', 'filter', 'find', 'findLast', 'some', 'every', 'reduce', 'sort']);

const MAX_DEPTH = 8;

/**
 * Does `expression` carry special-category data (health, lab result, genetic... or a national
 * health identifier)? Looks at names (classified with their container), follows the value
 * within its function (assignments, destructuring, spreads, object literals, JSON.stringify,
 * template strings, returns of local helpers, ORM reads) and asks the TypeScript checker for the
 * type of values whose origin says nothing (a parameter typed with a DTO from another file).
 * Encryption on the way (`encryptField(...)`, a helper calling createCipheriv) means no.
 * Rule options `typeAware: false` turn the checker off (syntactic pass only).
 */
export function healthDataIn(expression: ts.Expression, context: DetectorContext): HealthEvidence | undefined {
  return new ValueTracer(context).evidence(expression, 0);
}

class ValueTracer {
  private readonly classifier;
  private readonly typeAware: boolean;
  private readonly visiting = new Set<ts.Node>();
  /** Parameters of a local helper being followed, bound to the call's arguments. */
  private readonly bindings = new Map<ts.ParameterDeclaration, ts.Expression>();

  constructor(private readonly context: DetectorContext) {
    this.classifier = classifierFor(context.config);
    this.typeAware = context.options['typeAware'] !== false;
  }

  evidence(expression: ts.Expression, depth: number): HealthEvidence | undefined {
    if (depth > MAX_DEPTH || this.visiting.has(expression)) return undefined;
    this.context.tick();
    this.visiting.add(expression);
    try {
      return this.asserted(expression) ?? this.compute(unwrap(expression), depth);
    } finally {
      this.visiting.delete(expression);
    }
  }

  private compute(e: ts.Expression, depth: number): HealthEvidence | undefined {
    if (ts.isStringLiteralLike(e) || ts.isNumericLiteral(e) || ts.isBigIntLiteral(e) || ts.isRegularExpressionLiteral(e) || isKeywordValue(e)) return undefined;
    if (ts.isFunctionLike(e) || ts.isTypeOfExpression(e) || ts.isVoidExpression(e)) return undefined;
    if (ts.isTemplateExpression(e)) return this.first(e.templateSpans.map((s) => s.expression), depth);
    if (ts.isTaggedTemplateExpression(e)) return ts.isTemplateExpression(e.template) ? this.evidence(e.template, depth + 1) : undefined;
    if (ts.isIdentifier(e)) return this.identifier(e, depth);
    if (ts.isPropertyAccessExpression(e)) return this.property(e, e.name.text, e.expression, depth);
    if (ts.isElementAccessExpression(e)) {
      const key = ts.isStringLiteralLike(e.argumentExpression) ? e.argumentExpression.text : undefined;
      return key ? this.property(e, key, e.expression, depth) : this.evidence(e.expression, depth + 1);
    }
    if (ts.isObjectLiteralExpression(e)) return this.object(e, depth);
    if (ts.isArrayLiteralExpression(e)) return this.first(e.elements.map((el) => (ts.isSpreadElement(el) ? el.expression : el)), depth);
    if (ts.isSpreadElement(e)) return this.evidence(e.expression, depth + 1);
    if (ts.isBinaryExpression(e)) return this.binary(e, depth);
    if (ts.isConditionalExpression(e)) return this.first([e.whenTrue, e.whenFalse], depth);
    if (ts.isPrefixUnaryExpression(e)) return e.operator === ts.SyntaxKind.ExclamationToken ? undefined : this.evidence(e.operand, depth + 1);
    if (ts.isCallExpression(e)) return this.call(e, depth);
    if (ts.isNewExpression(e)) {
      const name = calleeName(e.expression) ?? '';
      if (TRANSPARENT.has(name) || ['Set', 'Map', 'Array', 'Blob', 'File', 'Response'].includes(name)) return this.first([...(e.arguments ?? [])], depth);
      if (callProtection(e, e.getSourceFile(), this.context.project)) return undefined;
      return this.typed(e);
    }
    return undefined;
  }

  private first(list: readonly ts.Expression[], depth: number): HealthEvidence | undefined {
    for (const item of list) {
      const found = this.evidence(item, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  private binary(e: ts.BinaryExpression, depth: number): HealthEvidence | undefined {
    switch (e.operatorToken.kind) {
      case ts.SyntaxKind.PlusToken:
      case ts.SyntaxKind.BarBarToken:
      case ts.SyntaxKind.QuestionQuestionToken:
        return this.first([e.left, e.right], depth);
      case ts.SyntaxKind.AmpersandAmpersandToken:
      case ts.SyntaxKind.CommaToken:
      case ts.SyntaxKind.EqualsToken:
        return this.evidence(e.right, depth + 1);
      default:
        return undefined;
    }
  }

  /**
   * `{ diagnostic: x }`, `{ conclusion }`, `{ ...resultat }`. `container` names the object when it
   * is a local's initializer: `const observation = { value, units }` holds an observation's value.
   */
  private object(e: ts.ObjectLiteralExpression, depth: number, container?: string): HealthEvidence | undefined {
    for (const p of e.properties) {
      if (ts.isSpreadAssignment(p)) {
        const found = this.evidence(p.expression, depth + 1);
        if (found) return found;
        continue;
      }
      if (!ts.isPropertyAssignment(p) && !ts.isShorthandPropertyAssignment(p)) continue;
      const key = p.name ? propertyName(p.name) : undefined;
      const value = ts.isPropertyAssignment(p) ? p.initializer : p.name;
      if (key && !isInert(unwrap(value))) {
        const c = this.classifier.classify(key, { kind: 'property', ...(container ? { container } : {}) });
        if (c?.special && !this.isEncrypted(value) && !this.cleanReference(value)) return { category: c.category, why: `${c.why} via ${container ? `${container}.` : ''}${key}`, path: container ? `${container}.${key}` : key };
      }
      const found = this.evidence(value, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  private identifier(e: ts.Identifier, depth: number): HealthEvidence | undefined {
    if (e.text === 'undefined') return undefined;
    const declaration = localDeclarationOf(e);
    const bound = declaration && ts.isParameter(declaration) ? this.bindings.get(declaration) : undefined;
    if (bound) return this.evidence(bound, depth + 1);
    if (declaration && (ts.isVariableDeclaration(declaration) || ts.isParameter(declaration) || ts.isBindingElement(declaration))) {
      const annotated = ts.isVariableDeclaration(declaration) || ts.isParameter(declaration) ? declaration.type : undefined;
      // A declared domain type is more precise than the variable's name: it decides alone.
      if (annotated && this.typeAware && declaresDomainType(annotated)) {
        const verdict = this.verdict(e);
        if (verdict.kind === 'health') return verdict.evidence;
        // The checker cannot see the type (`@prisma/client`, a path alias): its name is the evidence left.
        const named = verdict.kind === 'unknown' ? this.annotationEvidence(annotated, e.text) : undefined;
        if (named) return named;
        if (verdict.kind === 'clean' || namedAnnotation(annotated)) return this.writes(e, depth);
      }
      const origin = this.origin(declaration, depth);
      if (origin) return origin;
      const written = this.writes(e, depth);
      if (written) return written;
      if (ts.isBindingElement(declaration)) {
        const key = declaration.propertyName ? propertyName(declaration.propertyName) : e.text;
        const c = key ? this.classifier.classify(key, { kind: 'property' }) : undefined;
        if (c?.special) return { category: c.category, why: `${c.why} via ${key}`, path: key };
      }
      const verdict = this.typeAware && (annotated || !hasInitializer(declaration)) ? this.verdict(e) : undefined;
      if (verdict?.kind === 'health') return verdict.evidence;
      if (verdict?.kind === 'clean') return undefined;
      // `const dx = x2 - x1`, `let cr = '\r'`: a short, ambiguous name holding a literal or arithmetic is not read as a term.
      const init = !ts.isBindingElement(declaration) && declaration.initializer ? unwrap(declaration.initializer) : undefined;
      if (init && (isInert(init) || ts.isNoSubstitutionTemplateLiteral(init) || (e.text.length <= 3 && isComputedLiteral(init)))) return undefined;
    }
    return this.byName(e.text);
  }

  /** Where a local's value comes from: its initializer, or the object it was destructured from. */
  private origin(declaration: ts.VariableDeclaration | ts.ParameterDeclaration | ts.BindingElement, depth: number): HealthEvidence | undefined {
    if (ts.isBindingElement(declaration)) {
      let pattern: ts.Node = declaration.parent;
      while (ts.isBindingElement(pattern.parent)) pattern = pattern.parent.parent;
      const holder = pattern.parent;
      const init = ts.isVariableDeclaration(holder) ? holder.initializer : undefined;
      if (!init) return undefined;
      // `const { rows } = await query(...)`: the destructured part only carries what the source carries.
      const key = declaration.propertyName ? propertyName(declaration.propertyName) : ts.isIdentifier(declaration.name) ? declaration.name.text : undefined;
      if (key && this.typeAware && ts.isIdentifier(declaration.name)) {
        const verdict = this.verdict(declaration.name);
        if (verdict.kind === 'health') return verdict.evidence;
        if (verdict.kind === 'clean') return undefined;
      }
      return this.evidence(init, depth + 1);
    }
    const init = declaration.initializer;
    const literal = init && unwrap(init);
    if (literal && ts.isObjectLiteralExpression(literal) && ts.isIdentifier(declaration.name)) return this.object(literal, depth + 1, declaration.name.text);
    if (init) return this.evidence(init, depth + 1);
    // `for (const r of rows)`, `rows.forEach((r) => ...)`: an element of the collection.
    const list = declaration.parent;
    if (ts.isVariableDeclaration(declaration) && ts.isVariableDeclarationList(list) && ts.isForOfStatement(list.parent)) return this.evidence(list.parent.expression, depth + 1);
    if (ts.isParameter(declaration) && !declaration.type) {
      const fn = declaration.parent;
      const call = fn.parent;
      if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression)
        && ELEMENT_CALLBACKS.has(call.expression.name.text) && fn.parameters.indexOf(declaration) === (call.expression.name.text === 'reduce' ? 1 : 0)) {
        return this.evidence(call.expression.expression, depth + 1);
      }
    }
    return undefined;
  }

  private writes(e: ts.Identifier, depth: number): HealthEvidence | undefined {
    const scope = enclosingFunction(e);
    for (const write of writesTo(e.text, scope)) {
      if (write.key) {
        const c = this.classifier.classify(write.key, { kind: 'property', container: e.text });
        if (c?.special && !this.isEncrypted(write.value)) return { category: c.category, why: `${c.why} via ${e.text}.${write.key}`, path: `${e.text}.${write.key}` };
      }
      const found = this.evidence(write.value, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  /** `a.b`: the property's name in the container's type, else the property's own type. */
  private property(e: ts.Expression, name: string, receiver: ts.Expression, depth: number): HealthEvidence | undefined {
    if (name === 'length') return undefined;
    const classify = (container: string | undefined) => this.classifier.classify(name, { kind: 'property', ...(container ? { container } : {}) });
    // Names first (the receiver's name, the model it was read from), the checker only when they say nothing.
    let c = this.containers(receiver).map(classify).find((found) => found?.special);
    // A receiver the checker would type `any` (a row of an untyped driver): its answers are known without creating one.
    const untyped = this.typeAware && provablyAny(receiver, this.context);
    if (!c && this.typeAware && !untyped) {
      const typed = this.typeName(receiver);
      if (typed) c = classify(typed);
      if (!c?.special) c = undefined;
    }
    const path = `${textOf(receiver)}.${name}`;
    if (c?.special) return { category: c.category, why: `${c.why} via ${path}`, path, ...(untyped ? {} : this.declaredProperty(e)) };
    // `problems.map((p) => p.description)`: the free text of a record that carries health data is that data.
    if (this.classifier.isPayload(name) && ts.isIdentifier(unwrap(receiver))) {
      const held = this.evidence(receiver, depth + 1);
      if (held) return { ...held, why: `${held.why}, its ${name}`, path };
    }
    if (this.typeAware && !untyped) {
      const verdict = this.verdict(e);
      if (verdict.kind === 'health') return verdict.evidence;
      if (verdict.kind !== 'unknown') return undefined;
    }
    // `req.body.x`, `row.x` on untyped values: the name decides; the receiver's data is not all here.
    return undefined;
  }

  private call(e: ts.CallExpression, depth: number): HealthEvidence | undefined {
    const sf = e.getSourceFile();
    const name = calleeName(e.expression) ?? '';
    const last = lastSegment(name);
    if (callProtection(e, sf, this.context.project)) return undefined;
    if (TRANSPARENT.has(name) || TRANSPARENT.has(last) && !ts.isPropertyAccessExpression(e.expression)) return this.first(e.arguments, depth);
    const read = modelReadEvidence(e, this.context) ?? collectionReadEvidence(e, this.classifier);
    if (read) return read;
    const callee = unwrap(e.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      if (CALLBACK_METHODS.has(method) && e.arguments[0]) return this.returns(e.arguments[0], depth) ?? (method === 'then' ? this.evidence(callee.expression, depth + 1) : undefined);
      if (RECEIVER_METHODS.has(method)) return this.evidence(callee.expression, depth + 1);
      if (TRANSPARENT.has(name)) return this.first(e.arguments, depth);
    }
    // A helper of this file or an imported project module: what it returns.
    if (ts.isIdentifier(callee)) {
      const resolved = resolveName(callee.text, sf, this.context.project);
      if (resolved && ts.isFunctionLike(resolved.node) && resolved.file === sf) {
        const fn = resolved.node as ts.SignatureDeclaration;
        const bound: ts.ParameterDeclaration[] = [];
        fn.parameters.forEach((p, i) => {
          const arg = e.arguments[i];
          if (arg && !this.bindings.has(p)) {
            this.bindings.set(p, arg);
            bound.push(p);
          }
        });
        try {
          const found = this.returns(fn, depth);
          if (found) return found;
        } finally {
          for (const p of bound) this.bindings.delete(p);
        }
      }
    }
    const verdict = this.typeAware ? this.verdict(e) : undefined;
    return verdict?.kind === 'health' ? verdict.evidence : undefined;
  }

  /** What a function returns (arrow body or `return` statements, not nested functions). */
  private returns(fn: ts.Node, depth: number): HealthEvidence | undefined {
    const f = ts.isExpression(fn as ts.Expression) ? unwrap(fn as ts.Expression) : fn;
    if (ts.isIdentifier(f)) return undefined;
    if (!ts.isFunctionLike(f)) return undefined;
    const body = (f as ts.FunctionLikeDeclaration).body;
    if (!body) return undefined;
    if (!ts.isBlock(body)) return this.evidence(body, depth + 1);
    let found: HealthEvidence | undefined;
    const visit = (n: ts.Node): void => {
      if (found || (ts.isFunctionLike(n) && n !== f)) return;
      if (ts.isReturnStatement(n) && n.expression) found = this.evidence(n.expression, depth + 1);
      else ts.forEachChild(n, visit);
    };
    ts.forEachChild(body, visit);
    return found;
  }

  /** `r: LabResult`, `notes: ClinicalNote[]` whose type the checker cannot resolve: the type's name, as a container, decides. */
  private annotationEvidence(type: ts.TypeNode, variable: string): HealthEvidence | undefined {
    const name = annotationName(type);
    // Strong terms only (`LabResult`, `ClinicalNote`): a bare `Result<T, E>` or `Reading` says too little.
    const c = name ? this.classifier.classify(name, { kind: 'variable' }) : undefined;
    return c?.special ? { category: c.category, why: `${c.why} via the type ${name} of ${variable}`, path: variable } : undefined;
  }

  private byName(name: string): HealthEvidence | undefined {
    const c = this.classifier.classify(name, { kind: 'variable' });
    return c?.special ? { category: c.category, why: `${c.why} via ${name}`, path: name } : undefined;
  }

  private isEncrypted(value: ts.Expression): boolean {
    const v = unwrap(value);
    return (ts.isCallExpression(v) || ts.isNewExpression(v)) && !!callProtection(v, v.getSourceFile(), this.context.project);
  }

  /**
   * A reference (`{ diagnostics }`) whose declared type the checker shows to hold no health data
   * (a compiler `Diagnostic[]`): its structure decides, not the key it is stored under.
   */
  private cleanReference(value: ts.Expression): boolean {
    const v = unwrap(value);
    return this.typeAware && (ts.isIdentifier(v) || ts.isPropertyAccessExpression(v)) && this.verdict(v).kind === 'clean';
  }

  private verdict(node: ts.Node): TypeVerdict {
    // What the checker would type `any` is known to say nothing, without creating a checker.
    if (ts.isExpression(node) && provablyAny(node, this.context)) return { kind: 'unknown' };
    try {
      return typeVerdictAt(node, this.context);
    } catch {
      return { kind: 'unknown' };
    }
  }

  /**
   * A value typed by assertion (`payload as LabResult`, `<LabResult>payload`, `x satisfies LabResult`):
   * the asserted domain type is what the code says the value is, whatever its origin.
   */
  private asserted(expression: ts.Expression): HealthEvidence | undefined {
    if (!this.typeAware) return undefined;
    let e = expression;
    while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAwaitExpression(e) || ts.isAsExpression(e) || ts.isTypeAssertionExpression(e) || ts.isSatisfiesExpression(e)) {
      if ((ts.isAsExpression(e) || ts.isTypeAssertionExpression(e) || ts.isSatisfiesExpression(e)) && declaresDomainType(e.type)) {
        const verdict = this.verdict(e.type);
        if (verdict.kind === 'health') return verdict.evidence;
        const named = verdict.kind === 'unknown' ? this.annotationEvidence(e.type, textOf(e.expression)) : undefined;
        if (named) return named;
        if (verdict.kind === 'clean') return undefined;
      }
      e = e.expression;
    }
    return undefined;
  }

  private typed(node: ts.Node): HealthEvidence | undefined {
    if (!this.typeAware) return undefined;
    const v = this.verdict(node);
    return v.kind === 'health' ? v.evidence : undefined;
  }

  /**
   * What a receiver is, as containers for its properties' names: its declared type
   * (`ResultatAnalyse`), the model an ORM read returned, its own name (`resultat.valeur`).
   */
  private containers(receiver: ts.Expression, depth = 0): (string | undefined)[] {
    const out: (string | undefined)[] = [];
    let e = unwrap(receiver);
    while (ts.isElementAccessExpression(e) || ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && RECEIVER_METHODS.has(e.expression.name.text)) {
      e = unwrap(ts.isElementAccessExpression(e) ? e.expression : (e.expression as ts.PropertyAccessExpression).expression);
    }
    if (ts.isIdentifier(e)) {
      const d = localDeclarationOf(e);
      const init = d && ts.isVariableDeclaration(d) && d.initializer ? unwrap(d.initializer) : undefined;
      if (init && ts.isCallExpression(init)) out.push(modelNameOfRead(init, this.context));
      const annotated = d && (ts.isVariableDeclaration(d) || ts.isParameter(d)) && d.type ? annotationName(d.type) : undefined;
      if (annotated) out.push(annotated);
      out.push(e.text);
      // An element of a collection (`for (const x of rep.results)`, `rep.results.map((x) => x.value)`): the collection names it.
      const collection = d && depth < 3 ? collectionOf(d) : undefined;
      if (collection) out.push(...this.containers(collection, depth + 1));
    } else if (ts.isPropertyAccessExpression(e)) out.push(e.name.text);
    out.push(undefined);
    return [...new Set(out)];
  }

  /** The name of the receiver's declared type (`ResultatAnalyse`), used as the container of its properties. */
  private typeName(receiver: ts.Expression): string | undefined {
    try {
      const checker = this.context.project.ts.checker();
      let type = checker.getTypeAtLocation(receiver);
      if (type.flags & ts.TypeFlags.Any) return undefined;
      type = checker.getNonNullableType(type);
      if (checker.isArrayType(type)) type = checker.getTypeArguments(type as ts.TypeReference)[0] ?? type;
      const symbol = type.aliasSymbol ?? type.getSymbol();
      return symbol && !symbol.name.startsWith('__') ? symbol.name : undefined;
    } catch {
      return undefined;
    }
  }

  private declaredProperty(e: ts.Expression): { declared?: HealthEvidence['declared'] } {
    if (!this.typeAware) return {};
    try {
      const checker = this.context.project.ts.checker();
      const symbol = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(e) ? e.name : e);
      const d = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
      if (!d) return {};
      const sf = d.getSourceFile();
      const nameNode = (d as ts.NamedDeclaration).name ?? d;
      return { declared: { file: TsProject.relativePath(sf.fileName), start: nameNode.getStart(sf), end: nameNode.end } };
    } catch {
      return {};
    }
  }
}

/** The collection a loop variable or an array callback's parameter is an element of. */
function collectionOf(d: ts.Node): ts.Expression | undefined {
  const list = d.parent;
  if (ts.isVariableDeclaration(d) && list && ts.isVariableDeclarationList(list) && ts.isForOfStatement(list.parent)) return list.parent.expression;
  if (ts.isParameter(d)) {
    const fn = d.parent;
    const call = fn.parent;
    if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && call && ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && ELEMENT_CALLBACKS.has(call.expression.name.text)) {
      return call.expression.expression;
    }
  }
  return undefined;
}

function isKeywordValue(e: ts.Expression): boolean {
  return e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword || e.kind === ts.SyntaxKind.ThisKeyword;
}

function isInert(e: ts.Expression): boolean {
  return ts.isStringLiteralLike(e) || ts.isNumericLiteral(e) || isKeywordValue(e) || (ts.isIdentifier(e) && e.text === 'undefined');
}

/** Literals and arithmetic on them (not a read of anything). */
function isComputedLiteral(e: ts.Expression): boolean {
  if (isInert(e) || ts.isNoSubstitutionTemplateLiteral(e)) return true;
  if (ts.isPrefixUnaryExpression(e)) return isComputedLiteral(unwrap(e.operand));
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    const arithmetic = op === ts.SyntaxKind.MinusToken || op === ts.SyntaxKind.AsteriskToken || op === ts.SyntaxKind.SlashToken || op === ts.SyntaxKind.PercentToken || op === ts.SyntaxKind.AsteriskAsteriskToken;
    return arithmetic;
  }
  return ts.isArrayLiteralExpression(e) && e.elements.length === 0 || ts.isObjectLiteralExpression(e) && e.properties.length === 0;
}

function hasInitializer(d: ts.VariableDeclaration | ts.ParameterDeclaration | ts.BindingElement): boolean {
  return !!d.initializer;
}

/** An annotation that names or spells out a structure (`ResultatAnalyse`, `Foo[]`, `{ a: string }`), not `string`/`any`. */
function declaresDomainType(type: ts.TypeNode): boolean {
  if (ts.isArrayTypeNode(type)) return declaresDomainType(type.elementType);
  if (ts.isUnionTypeNode(type)) return type.types.some(declaresDomainType);
  if (ts.isTypeReferenceNode(type)) return !['Record', 'Partial', 'Promise', 'Array', 'ReadonlyArray', 'Map', 'Set', 'Buffer', 'Date', 'Object'].includes(type.typeName.getText()) || (type.typeArguments?.some(declaresDomainType) ?? false);
  return ts.isTypeLiteralNode(type);
}

/** The declared type's own name (`LabResult` for `LabResult[]`, `Promise<LabResult>`), if it is a plain reference. */
function annotationName(type: ts.TypeNode): string | undefined {
  if (ts.isArrayTypeNode(type)) return annotationName(type.elementType);
  if (!ts.isTypeReferenceNode(type)) return undefined;
  const name = ts.isIdentifier(type.typeName) ? type.typeName.text : type.typeName.right.text;
  if (['Promise', 'Array', 'ReadonlyArray', 'Readonly', 'Partial', 'Required'].includes(name) && type.typeArguments?.length === 1) return annotationName(type.typeArguments[0]!);
  return name;
}

/** An annotation naming a declared type (alias, interface, class): authoritative even when it resolves to literals. */
function namedAnnotation(type: ts.TypeNode): boolean {
  if (ts.isArrayTypeNode(type)) return namedAnnotation(type.elementType);
  return ts.isTypeReferenceNode(type) || ts.isTypeLiteralNode(type);
}

/** The receiver as written, for messages; never a literal (it could be a real identifier or value). */
function textOf(e: ts.Expression): string {
  const text = e.getText();
  if (!/^[\w$.?!\[\]()]+$/.test(text) || /\d{4,}/.test(text)) return '…';
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
