import ts from 'typescript';
import type { DetectorContext } from '../detector.js';
import { callProtection } from '../orm/protection.js';
import { classifierFor, type Category } from '../vocabulary/classify.js';
import { localDeclarationOf, writesTo } from '../names/locals.js';
import { rethrowTimeout, typeChecker } from '../budget.js';
import { collectionReadEvidence } from './collection-reads.js';
import { modelNameOfRead, modelReadEvidence } from './model-reads.js';
import { resolveName } from '../names/top-level.js';
import { calleeName, enclosingFunctionOrFile, lastSegment, propertyName, unwrap } from '../syntax/ast.js';
import { technicalShapes, typeVerdictAt, type TypeVerdict } from './type-evidence.js';
import { provablyAny } from './any-type.js';
import { isCodeConstant } from './constants.js';
import { ormWriteModelOf } from '../orm/orm-writes.js';
import { isCriteriaName } from './criteria.js';
import { sqlRowsEvidence, sqlRowsVerdict, sqlValueSpans } from './sql-rows.js';
import { TsProject } from '../ts-project.js';
import { isSyntheticGenerator } from './synthetic.js';

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
  'JSON.stringify',
  'String',
  'encodeURIComponent',
  'encodeURI',
  'escape',
  'btoa',
  'Buffer.from',
  'Array.from',
  'Object.values',
  'Object.entries',
  'Object.assign',
  'Object.fromEntries',
  'structuredClone',
  'stringify',
  'unparse',
  'Papa.unparse',
  'json2csv',
  'parse',
  'util.format',
  'util.inspect',
  'format',
  'inspect',
  'yaml.dump',
  'YAML.stringify',
  'toCSV',
  'toCsv',
  'Blob',
  'File',
  'Response',
  'TextEncoder.encode',
]);
/** Methods whose result carries their receiver's data. */
const RECEIVER_METHODS = new Set([
  'filter',
  'slice',
  'sort',
  'reverse',
  'concat',
  'flat',
  'find',
  'findLast',
  'at',
  'toString',
  'join',
  'trim',
  'toUpperCase',
  'toLowerCase',
  'valueOf',
  'toJSON',
  'get',
  'entries',
  'values',
  'toObject',
  'toArray',
  'clone',
  'encode',
  'pipe',
  'padStart',
  'padEnd',
  'replace',
  'replaceAll',
  'substring',
  'json',
]);
/** The parts of a query or client result that hold its rows (`result.rows`, mssql `recordset`, mysql2 `[rows]`). */
const RESULT_PARTS = new Set([
  'rows',
  'recordset',
  'recordsets',
  'records',
  'results',
  'items',
  'hits',
  'docs',
  'documents',
  'entries',
]);

/** Methods whose result is the return of their callback. */
const CALLBACK_METHODS = new Set(['map', 'flatMap', 'reduce', 'then']);

/** Array methods whose callback's parameter is an element of the receiver. */
const ELEMENT_CALLBACKS = new Set([
  'forEach',
  'map',
  'flatMap',
  'filter',
  'find',
  'findLast',
  'some',
  'every',
  'reduce',
  'sort',
]);

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
    if (
      ts.isStringLiteralLike(e) ||
      ts.isNumericLiteral(e) ||
      ts.isBigIntLiteral(e) ||
      ts.isRegularExpressionLiteral(e) ||
      isKeywordValue(e)
    )
      return undefined;
    if (ts.isFunctionLike(e) || ts.isTypeOfExpression(e) || ts.isVoidExpression(e)) return undefined;
    if (ts.isTemplateExpression(e))
      return this.first(sqlValueSpans(e, this.context) ?? e.templateSpans.map((s) => s.expression), depth);
    if (ts.isTaggedTemplateExpression(e))
      return (
        sqlRowsEvidence(e, this.context) ??
        (ts.isTemplateExpression(e.template) ? this.evidence(e.template, depth + 1) : undefined)
      );
    // A table spelled out in the code (routes, error messages, allowed values) is nobody's data.
    if (
      (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) &&
      isCodeConstant(e, this.context)
    )
      return undefined;
    if (ts.isIdentifier(e)) return this.identifier(e, depth);
    if (ts.isPropertyAccessExpression(e)) return this.property(e, e.name.text, e.expression, depth);
    if (ts.isElementAccessExpression(e)) {
      const key = ts.isStringLiteralLike(e.argumentExpression) ? e.argumentExpression.text : undefined;
      return key ? this.property(e, key, e.expression, depth) : this.evidence(e.expression, depth + 1);
    }
    if (ts.isObjectLiteralExpression(e)) return this.object(e, depth);
    if (ts.isArrayLiteralExpression(e))
      return this.first(
        e.elements.map((el) => (ts.isSpreadElement(el) ? el.expression : el)),
        depth,
      );
    if (ts.isSpreadElement(e)) return this.evidence(e.expression, depth + 1);
    if (ts.isBinaryExpression(e)) return this.binary(e, depth);
    if (ts.isConditionalExpression(e)) return this.first([e.whenTrue, e.whenFalse], depth);
    if (ts.isPrefixUnaryExpression(e))
      return e.operator === ts.SyntaxKind.ExclamationToken ? undefined : this.evidence(e.operand, depth + 1);
    if (ts.isCallExpression(e)) return this.call(e, depth);
    if (ts.isNewExpression(e)) {
      const name = calleeName(e.expression) ?? '';
      if (TRANSPARENT.has(name) || ['Set', 'Map', 'Array', 'Blob', 'File', 'Response'].includes(name))
        return this.first([...(e.arguments ?? [])], depth);
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
        if (c?.special && !this.isEncrypted(value) && !this.cleanReference(value))
          return {
            category: c.category,
            why: `${c.why} via ${container ? `${container}.` : ''}${key}`,
            path: container ? `${container}.${key}` : key,
          };
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
    if (
      declaration &&
      (ts.isVariableDeclaration(declaration) || ts.isParameter(declaration) || ts.isBindingElement(declaration))
    ) {
      const annotated =
        ts.isVariableDeclaration(declaration) || ts.isParameter(declaration) ? declaration.type : undefined;
      const typeName = annotated ? annotationName(annotated) : undefined;
      if (this.criteria(e.text) || (typeName && this.criteria(typeName))) return undefined;
      // A declared domain type is more precise than the variable's name: it decides alone.
      if (annotated && this.typeAware && declaresDomainType(annotated)) {
        const verdict = this.verdict(e);
        if (verdict.kind === 'health') return verdict.evidence;
        // The checker cannot see the type (`@prisma/client`, a path alias): its name is the evidence left.
        const named = verdict.kind === 'unknown' ? this.annotationEvidence(annotated, e.text) : undefined;
        if (named) return named;
        if (verdict.kind === 'clean' || namedAnnotation(annotated)) return this.writes(e, depth);
      }
      // `let x = visit; ...; x = visits.length; log(x)`: what was last assigned before the use is what is logged.
      const reaching = reachingAssignment(e, declaration);
      if (reaching) return this.evidence(reaching, depth + 1);
      const origin = this.origin(declaration, depth);
      if (origin) return this.narrowedToClean(e) ? undefined : origin;
      const written = this.writes(e, depth);
      if (written) return written;
      if (this.knownCleanQuery(e)) return undefined;
      if (ts.isBindingElement(declaration)) {
        const key = declaration.propertyName ? propertyName(declaration.propertyName) : e.text;
        const c = key ? this.classifier.classify(key, { kind: 'property' }) : undefined;
        if (c?.special) return { category: c.category, why: `${c.why} via ${key}`, path: key };
      }
      const verdict = this.typeAware && (annotated || !hasInitializer(declaration)) ? this.verdict(e) : undefined;
      if (verdict?.kind === 'health') return verdict.evidence;
      if (verdict?.kind === 'clean') return undefined;
      // An untyped payload (`data`, `body: any`): what its function reads from it says what it carries.
      if (ts.isParameter(declaration) && untypedAnnotation(declaration.type)) {
        const used = this.usage(declaration, depth, 0);
        if (used) return used;
      }
      // `const dx = x2 - x1`, `let cr = '\r'`: a short, ambiguous name holding a literal or arithmetic is not read as a term.
      const init =
        !ts.isBindingElement(declaration) && declaration.initializer ? unwrap(declaration.initializer) : undefined;
      if (
        init &&
        (isInert(init) || ts.isNoSubstitutionTemplateLiteral(init) || (e.text.length <= 3 && isComputedLiteral(init)))
      )
        return undefined;
    }
    return this.byName(e.text);
  }

  /** Where a local's value comes from: its initializer, or the object it was destructured from. */
  private origin(
    declaration: ts.VariableDeclaration | ts.ParameterDeclaration | ts.BindingElement,
    depth: number,
  ): HealthEvidence | undefined {
    if (ts.isBindingElement(declaration)) {
      let pattern: ts.Node = declaration.parent;
      while (ts.isBindingElement(pattern.parent)) pattern = pattern.parent.parent;
      const holder = pattern.parent;
      const init = ts.isVariableDeclaration(holder) ? holder.initializer : undefined;
      if (!init) return undefined;
      // `const { rows } = await query(...)`: the destructured part only carries what the source carries.
      const key = declaration.propertyName
        ? propertyName(declaration.propertyName)
        : ts.isIdentifier(declaration.name)
          ? declaration.name.text
          : undefined;
      if (key && this.typeAware && ts.isIdentifier(declaration.name)) {
        const verdict = this.verdict(declaration.name);
        if (verdict.kind === 'health') return verdict.evidence;
        if (verdict.kind === 'clean') return undefined;
        // `const { page, sortBy } = searchDto`: a number or a string is one field, never the whole record.
        if (verdict.kind === 'primitive') return this.fieldOf(key, init);
      }
      if (key && !declaration.dotDotDotToken && ts.isObjectBindingPattern(declaration.parent)) {
        const named = this.fieldOf(key, init);
        if (named) return named;
      }
      return this.evidence(init, depth + 1);
    }
    const init = declaration.initializer;
    const literal = init && unwrap(init);
    if (literal && ts.isObjectLiteralExpression(literal) && ts.isIdentifier(declaration.name))
      return this.object(literal, depth + 1, declaration.name.text);
    if (init) return this.evidence(init, depth + 1);
    // `for (const r of rows)`, `rows.forEach((r) => ...)`: an element of the collection.
    const list = declaration.parent;
    if (ts.isVariableDeclaration(declaration) && ts.isVariableDeclarationList(list) && ts.isForOfStatement(list.parent))
      return this.evidence(list.parent.expression, depth + 1);
    if (ts.isParameter(declaration) && !declaration.type) {
      const fn = declaration.parent;
      const call = fn.parent;
      const index = fn.parameters.indexOf(declaration);
      if (
        (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) &&
        ts.isCallExpression(call) &&
        ts.isPropertyAccessExpression(call.expression) &&
        ELEMENT_CALLBACKS.has(call.expression.name.text) &&
        index === (call.expression.name.text === 'reduce' ? 1 : 0)
      ) {
        return this.evidence(call.expression.expression, depth + 1);
      }
      if (
        (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) &&
        ts.isCallExpression(call) &&
        call.arguments.includes(fn)
      ) {
        // `read.then((docs) => ...)`: the promise's value; `History.find(q, (err, docs) => ...)`: a Node-style callback's result.
        if (
          ts.isPropertyAccessExpression(call.expression) &&
          call.expression.name.text === 'then' &&
          index === 0 &&
          call.arguments[0] === fn
        ) {
          return this.evidence(call.expression.expression, depth + 1);
        }
        if (index === 1 && call.arguments[call.arguments.length - 1] === fn) {
          const read = modelReadEvidence(call, this.context);
          if (read) return read;
        }
      }
    }
    return undefined;
  }

  /** One field read from a record (`const { diagnosis } = visit`): its name, with the record's names as containers. */
  private fieldOf(key: string, record: ts.Expression): HealthEvidence | undefined {
    const containers = this.containers(record);
    if (containers.some((c) => c !== undefined && this.criteria(c))) return undefined;
    const c = containers
      .map((container) => this.classifier.classify(key, { kind: 'property', ...(container ? { container } : {}) }))
      .find((x) => x?.special);
    return c?.special ? { category: c.category, why: `${c.why} via ${key}`, path: key } : undefined;
  }

  /**
   * `if (isOperationOutcome(result)) throw new OutcomeError(result)`: a type guard narrowed the
   * local to a type that holds no health data, whatever else it could hold.
   */
  private narrowedToClean(e: ts.Identifier): boolean {
    if (!this.typeAware || provablyAny(e, this.context)) return false;
    try {
      const checker = typeChecker(this.context, e);
      const symbol = checker.getSymbolAtLocation(e);
      if (!symbol) return false;
      const declared = checker.getTypeOfSymbol(symbol);
      const here = checker.getTypeAtLocation(e);
      if (here === declared) return false;
      const verdict = this.verdict(e).kind;
      // A guard that picked one member of a union (`OperationOutcome | BotResult`): that member decides, even one the checker cannot see into.
      return verdict === 'clean' || (verdict !== 'health' && declared.isUnion());
    } catch (error) {
      rethrowTimeout(error);
      return false;
    }
  }

  /**
   * A field special only because its container is, the container special only because of the very
   * same generic word (`value` of a `TypedValue`, `result` of a `result`): no clinical word says
   * anything. A table or model of the project's schema is a record by itself and keeps it.
   */
  private circular(field: string, container: string, c: { term: string }): boolean {
    if (this.classifier.classify(field, { kind: 'property' })?.special) return false;
    if (this.context.project.schema.declarations(container).length > 0) return false;
    return this.classifier.classify(container, { kind: 'container' })?.term === c.term;
  }

  /** A local holding the result of a SQL statement of this file that returns no health data. */
  private knownCleanQuery(receiver: ts.Expression): boolean {
    let e = unwrap(receiver);
    while (ts.isElementAccessExpression(e)) e = unwrap(e.expression);
    if (!ts.isIdentifier(e)) return false;
    const d = localDeclarationOf(e);
    let init = d && ts.isVariableDeclaration(d) && d.initializer ? unwrap(d.initializer) : undefined;
    if (!init && d && ts.isBindingElement(d)) {
      const holder = d.parent.parent;
      init = ts.isVariableDeclaration(holder) && holder.initializer ? unwrap(holder.initializer) : undefined;
    }
    return (
      !!init &&
      (ts.isCallExpression(init) || ts.isTaggedTemplateExpression(init)) &&
      sqlRowsVerdict(init, this.context) === 'clean'
    );
  }

  /**
   * Whether the fields read from a local in its function make one of the technical shapes
   * (qualifiers.yaml `technicalShapes`: a process result's `exitCode`, a compiler diagnostic's
   * `message` and `line`): an untyped value is what its fields say it is.
   */
  private technicalShapeRead(receiver: ts.Expression): boolean {
    const e = unwrap(receiver);
    if (!ts.isIdentifier(e)) return false;
    const declaration = localDeclarationOf(e);
    if (!declaration) return false;
    const names = fieldsReadIn(enclosingFunctionOrFile(e), this.context).get(declaration) ?? new Set<string>();
    return technicalShapes(this.context).some((shape) => shape.every((w) => names.has(w)));
  }

  /**
   * A name that says its values are search criteria (`PatientSearchDto`, `queryParams`,
   * `filters`): the diagnosis a doctor types into a search box is not a person's diagnosis.
   */
  private criteria(name: string): boolean {
    return isCriteriaName(name, this.context);
  }

  private writes(e: ts.Identifier, depth: number): HealthEvidence | undefined {
    const scope = enclosingFunctionOrFile(e);
    const criteria = this.criteria(e.text);
    for (const write of writesTo(e.text, scope)) {
      if (write.key && !criteria) {
        const c = this.classifier.classify(write.key, { kind: 'property', container: e.text });
        if (c?.special && !this.isEncrypted(write.value))
          return { category: c.category, why: `${c.why} via ${e.text}.${write.key}`, path: `${e.text}.${write.key}` };
      }
      const found = this.evidence(write.value, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * What an untyped parameter carries, judged from how its function uses it: the fields it reads
   * later (`data.diagnosis`), the model fields those are written to (`prisma.appointment.create({
   * data: { reason: data.reason } })`: `Appointment.reason`), and, one call deep, how a function it
   * is handed to uses it (a controller's `body` passed to a service method).
   */
  private usage(declaration: ts.ParameterDeclaration, depth: number, hops: number): HealthEvidence | undefined {
    if (!ts.isIdentifier(declaration.name) || depth > MAX_DEPTH) return undefined;
    const name = declaration.name.text;
    const fn = declaration.parent;
    const body = 'body' in fn ? (fn.body as ts.Node | undefined) : undefined;
    if (!body) return undefined;
    let found: HealthEvidence | undefined;
    const visit = (n: ts.Node): void => {
      if (found) return;
      this.context.tick();
      if (ts.isIdentifier(n) && n.text === name && n !== declaration.name && localDeclarationOf(n) === declaration) {
        found = this.useOf(n, name, depth, hops);
        return;
      }
      ts.forEachChild(n, visit);
    };
    visit(body);
    return found;
  }

  /** One use of an untyped parameter `name`: a field read, a destructuring, or an argument of another function. */
  private useOf(id: ts.Identifier, name: string, depth: number, hops: number): HealthEvidence | undefined {
    let read: ts.Expression = id;
    while (ts.isNonNullExpression(read.parent) || ts.isParenthesizedExpression(read.parent)) read = read.parent;
    const parent = read.parent;
    const key =
      ts.isPropertyAccessExpression(parent) && parent.expression === read
        ? parent.name.text
        : ts.isElementAccessExpression(parent) &&
            parent.expression === read &&
            ts.isStringLiteralLike(parent.argumentExpression)
          ? parent.argumentExpression.text
          : undefined;
    if (key !== undefined) {
      const c = this.classifier.classify(key, { kind: 'property' });
      if (c?.special)
        return {
          category: c.category,
          why: `${c.why} via ${name}.${key} (read from it later in the function)`,
          path: `${name}.${key}`,
        };
      // `{ reason: data.reason }` written to a model: the model's field says what it is.
      let value: ts.Node = parent;
      while (
        ts.isBinaryExpression(value.parent) &&
        [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(value.parent.operatorToken.kind)
      )
        value = value.parent;
      const assignment = value.parent;
      if (
        assignment &&
        ts.isPropertyAssignment(assignment) &&
        assignment.initializer === value &&
        ts.isObjectLiteralExpression(assignment.parent)
      ) {
        const model = ormWriteModelOf(assignment.parent, this.context);
        const field = propertyName(assignment.name);
        const cc = model && field ? this.classifier.classify(field, { kind: 'column', container: model }) : undefined;
        if (cc?.special)
          return {
            category: cc.category,
            why: `${cc.why} via ${name}.${key}, written to ${model}.${field}`,
            path: `${name}.${key}`,
          };
      }
      return undefined;
    }
    // const { diagnosis } = data
    if (ts.isVariableDeclaration(parent) && parent.initializer === read && ts.isObjectBindingPattern(parent.name)) {
      for (const element of parent.name.elements) {
        const field = element.propertyName
          ? propertyName(element.propertyName)
          : ts.isIdentifier(element.name)
            ? element.name.text
            : undefined;
        const c = field ? this.classifier.classify(field, { kind: 'property' }) : undefined;
        if (c?.special)
          return {
            category: c.category,
            why: `${c.why} via ${name}.${field} (read from it later in the function)`,
            path: `${name}.${field}`,
          };
      }
      return undefined;
    }
    // service.create(data): how the callee uses the parameter it receives.
    if (hops < 1 && (ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(read)) {
      const index = parent.arguments.indexOf(read);
      const param = this.calleeParameter(parent, index);
      if (param && untypedAnnotation(param.type)) {
        const inner = this.usage(param, depth + 1, hops + 1);
        if (inner)
          return {
            ...inner,
            why: `${inner.why}, after ${name} is passed to ${calleeName(parent.expression) ?? 'a function'}`,
            path: name,
          };
      }
    }
    return undefined;
  }

  /** The declared parameter a call's argument binds to: a function of this file, or (with the checker) a method or an imported function. */
  private calleeParameter(
    call: ts.CallExpression | ts.NewExpression,
    index: number,
  ): ts.ParameterDeclaration | undefined {
    const callee = unwrap(call.expression);
    let fn: ts.Node | undefined;
    if (ts.isIdentifier(callee)) {
      const resolved = resolveName(callee.text, call.getSourceFile(), this.context.project);
      if (resolved && resolved.file === call.getSourceFile()) fn = resolved.node;
    }
    if (!fn && this.typeAware && ts.isPropertyAccessExpression(callee)) {
      try {
        const symbol = typeChecker(this.context, callee).getSymbolAtLocation(callee.name);
        fn = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
      } catch (error) {
        rethrowTimeout(error);
        fn = undefined;
      }
    }
    if (!fn || !ts.isFunctionLike(fn)) return undefined;
    const param = fn.parameters[index];
    return param && !param.dotDotDotToken ? param : undefined;
  }

  /** `a.b`: the property's name in the container's type, else the property's own type. */
  private property(e: ts.Expression, name: string, receiver: ts.Expression, depth: number): HealthEvidence | undefined {
    if (name === 'length') return undefined;
    const classify = (container: string | undefined) =>
      this.classifier.classify(name, { kind: 'property', ...(container ? { container } : {}) });
    const containers = this.containers(receiver);
    if (containers.some((x) => x !== undefined && this.criteria(x))) return undefined;
    // `err.outcome` of a caught error: the details of an error, judged where the error was made.
    if (caughtError(receiver)) return undefined;
    // `tablesResult.data` of `SHOW TABLES`: a statement the file spells out says what its result holds, not the variable's name.
    if (this.knownCleanQuery(receiver)) return undefined;
    // Names first (the receiver's name, the model it was read from), the checker only when they say nothing.
    let c: ReturnType<typeof classify> | undefined;
    let matched: string | undefined;
    for (const container of containers) {
      const found = classify(container);
      if (found?.special) {
        c = found;
        matched = container;
        break;
      }
    }
    // A receiver the checker would type `any` (a row of an untyped driver): its answers are known without creating one.
    const untyped = this.typeAware && provablyAny(receiver, this.context);
    // `result.result` of a typed call: the variable's own name is a guess its declared type answers (a sandbox's stdout is no lab result).
    if (c && this.typeAware && !untyped && matched !== undefined && matched === receiverName(receiver)) {
      const typed = this.typeName(receiver);
      if (typed && !this.classifier.classify(typed, { kind: 'type' })?.special) c = undefined;
    }
    // `TypedValue.value`, `result.result`: a generic word does not vouch for itself; a model of the schema would.
    if (c && matched !== undefined && this.circular(name, matched, c)) c = undefined;
    // `result.result` next to `result.exitCode`: the fields the function reads say what the untyped value is (a process's output).
    if (c && matched !== undefined && matched === receiverName(receiver) && this.technicalShapeRead(receiver))
      c = undefined;
    if (!c && this.typeAware && !untyped) {
      const typed = this.typeName(receiver);
      if (typed) c = classify(typed);
      if (!c?.special || (typed && this.circular(name, typed, c))) c = undefined;
    }
    const path = `${textOf(receiver)}.${name}`;
    if (c?.special)
      return { category: c.category, why: `${c.why} via ${path}`, path, ...(untyped ? {} : this.declaredProperty(e)) };
    // `problems.map((p) => p.description)`: the free text of a record that carries health data is that data;
    // `result.rows`, `res.recordset`: the rows of a query result are what the query read.
    if ((this.classifier.isPayload(name) || RESULT_PARTS.has(name)) && ts.isIdentifier(unwrap(receiver))) {
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
    if (TRANSPARENT.has(name) || (TRANSPARENT.has(last) && !ts.isPropertyAccessExpression(e.expression)))
      return this.first(e.arguments, depth);
    const read =
      sqlRowsEvidence(e, this.context) ??
      modelReadEvidence(e, this.context) ??
      collectionReadEvidence(e, this.classifier);
    if (read) return read;
    // `generateDemoPatient()`: values drawn at random are nobody's data, whatever the type says.
    if (isSyntheticGenerator(e, this.context)) return undefined;
    const callee = unwrap(e.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      if (CALLBACK_METHODS.has(method) && e.arguments[0])
        return (
          this.returns(e.arguments[0], depth) ??
          (method === 'then' ? this.evidence(callee.expression, depth + 1) : undefined)
        );
      if (RECEIVER_METHODS.has(method)) return this.evidence(callee.expression, depth + 1);
      if (TRANSPARENT.has(name)) return this.first(e.arguments, depth);
    }
    // A helper of this file (a function, or a method of the same class: `this.loadRecords(id)`): what it returns.
    const local = ts.isIdentifier(callee) ? resolveName(callee.text, sf, this.context.project) : undefined;
    const helper = local && ts.isFunctionLike(local.node) && local.file === sf ? local.node : ownMethod(callee);
    if (helper) {
      {
        const fn = helper;
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
    const f = ts.isExpression(fn) ? unwrap(fn) : fn;
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
    return c?.special
      ? { category: c.category, why: `${c.why} via the type ${name} of ${variable}`, path: variable }
      : undefined;
  }

  private byName(name: string): HealthEvidence | undefined {
    const c = this.classifier.classify(name, { kind: 'variable' });
    return c?.special ? { category: c.category, why: `${c.why} via ${name}`, path: name } : undefined;
  }

  private isEncrypted(value: ts.Expression): boolean {
    const v = unwrap(value);
    return (
      (ts.isCallExpression(v) || ts.isNewExpression(v)) && !!callProtection(v, v.getSourceFile(), this.context.project)
    );
  }

  /**
   * A reference (`{ diagnostics }`) whose declared type the checker shows to hold no health data
   * (a compiler `Diagnostic[]`): its structure decides, not the key it is stored under.
   */
  private cleanReference(value: ts.Expression): boolean {
    const v = unwrap(value);
    return (
      this.typeAware && (ts.isIdentifier(v) || ts.isPropertyAccessExpression(v)) && this.verdict(v).kind === 'clean'
    );
  }

  private verdict(node: ts.Node): TypeVerdict {
    // What the checker would type `any` is known to say nothing, without creating a checker.
    if (ts.isExpression(node) && provablyAny(node, this.context)) return { kind: 'unknown' };
    try {
      return typeVerdictAt(node, this.context);
    } catch (error) {
      rethrowTimeout(error);
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
    while (
      ts.isParenthesizedExpression(e) ||
      ts.isNonNullExpression(e) ||
      ts.isAwaitExpression(e) ||
      ts.isAsExpression(e) ||
      ts.isTypeAssertionExpression(e) ||
      ts.isSatisfiesExpression(e)
    ) {
      if (
        (ts.isAsExpression(e) || ts.isTypeAssertionExpression(e) || ts.isSatisfiesExpression(e)) &&
        declaresDomainType(e.type)
      ) {
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
    while (
      ts.isElementAccessExpression(e) ||
      (ts.isCallExpression(e) &&
        ts.isPropertyAccessExpression(e.expression) &&
        RECEIVER_METHODS.has(e.expression.name.text))
    ) {
      e = unwrap(
        ts.isElementAccessExpression(e) ? e.expression : (e.expression as ts.PropertyAccessExpression).expression,
      );
    }
    if (ts.isIdentifier(e)) {
      const d = localDeclarationOf(e);
      const init = d && ts.isVariableDeclaration(d) && d.initializer ? unwrap(d.initializer) : undefined;
      if (init && ts.isCallExpression(init)) out.push(modelNameOfRead(init, this.context));
      const annotated =
        d && (ts.isVariableDeclaration(d) || ts.isParameter(d)) && d.type ? annotationName(d.type) : undefined;
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
      const checker = typeChecker(this.context, receiver);
      let type = checker.getTypeAtLocation(receiver);
      if (type.flags & ts.TypeFlags.Any) return undefined;
      type = checker.getNonNullableType(type);
      if (checker.isArrayType(type)) type = checker.getTypeArguments(type as ts.TypeReference)[0] ?? type;
      const symbol = type.aliasSymbol ?? type.getSymbol();
      return symbol && !symbol.name.startsWith('__') ? symbol.name : undefined;
    } catch (error) {
      rethrowTimeout(error);
      return undefined;
    }
  }

  private declaredProperty(e: ts.Expression): { declared?: HealthEvidence['declared'] } {
    if (!this.typeAware) return {};
    try {
      const checker = typeChecker(this.context, e);
      const symbol = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(e) ? e.name : e);
      const d = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
      if (!d) return {};
      const sf = d.getSourceFile();
      const nameNode = (d as ts.NamedDeclaration).name ?? d;
      return {
        declared: { file: TsProject.relativePath(sf.fileName), start: nameNode.getStart(sf), end: nameNode.end },
      };
    } catch (error) {
      rethrowTimeout(error);
      return {};
    }
  }
}

/** A catch clause's variable (`catch (err)`), or a property chain on one. */
function caughtError(receiver: ts.Expression): boolean {
  let e = unwrap(receiver);
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) e = unwrap(e.expression);
  if (!ts.isIdentifier(e)) return false;
  const d = localDeclarationOf(e);
  return !!d && ts.isVariableDeclaration(d) && ts.isCatchClause(d.parent);
}

/** `this.method`: the method of the class the call is written in. */
function ownMethod(callee: ts.Expression): ts.MethodDeclaration | undefined {
  if (!ts.isPropertyAccessExpression(callee) || callee.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  let cls: ts.Node | undefined = callee.parent;
  while (cls && !ts.isClassLike(cls)) cls = cls.parent;
  if (!cls) return undefined;
  return cls.members.find(
    (m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && !!m.body && m.name.getText() === callee.name.text,
  );
}

/** Per function (or file): the fields read from each local in it (`r.exitCode`), lower case. */
const fieldsReadByScope = new WeakMap<ts.Node, Map<ts.Node, Set<string>>>();

/** The fields read from each local of a function, walked once per function (each node one unit of work). */
function fieldsReadIn(scope: ts.Node, context: DetectorContext): Map<ts.Node, Set<string>> {
  let fields = fieldsReadByScope.get(scope);
  if (fields) return fields;
  const found = new Map<ts.Node, Set<string>>();
  const visit = (n: ts.Node): void => {
    context.tick();
    if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression)) {
      const declaration = localDeclarationOf(n.expression);
      if (declaration) {
        const names = found.get(declaration) ?? new Set<string>();
        names.add(n.name.text.toLowerCase());
        found.set(declaration, names);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
  fields = found;
  fieldsReadByScope.set(scope, fields);
  return fields;
}

/** The name of a receiver that is a plain variable (`result` of `result.data`). */
function receiverName(receiver: ts.Expression): string | undefined {
  const e = unwrap(receiver);
  return ts.isIdentifier(e) ? e.text : undefined;
}

/**
 * The value last assigned to a local before `use`, when that assignment always runs before it
 * (`x = v;` in the use's block or an enclosing one, not in a branch or a callback that may not run).
 */
function reachingAssignment(use: ts.Identifier, declaration: ts.Node): ts.Expression | undefined {
  const scope = enclosingFunctionOrFile(use);
  const at = use.getStart();
  let found: ts.BinaryExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (n.pos >= at) return;
    if (n !== scope && ts.isFunctionLike(n)) return;
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(n.left) &&
      n.left.text === use.text &&
      n.end <= at &&
      localDeclarationOf(n.left) === declaration &&
      ts.isExpressionStatement(n.parent) &&
      encloses(n.parent.parent, use)
    ) {
      if (!found || n.getStart() > found.getStart()) found = n;
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return found?.right;
}

function encloses(outer: ts.Node, inner: ts.Node): boolean {
  for (let n: ts.Node | undefined = inner; n; n = n.parent) if (n === outer) return true;
  return false;
}

/** The collection a loop variable or an array callback's parameter is an element of. */
function collectionOf(d: ts.Node): ts.Expression | undefined {
  const list = d.parent;
  if (ts.isVariableDeclaration(d) && list && ts.isVariableDeclarationList(list) && ts.isForOfStatement(list.parent))
    return list.parent.expression;
  if (ts.isParameter(d)) {
    const fn = d.parent;
    const call = fn.parent;
    if (
      (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) &&
      call &&
      ts.isCallExpression(call) &&
      ts.isPropertyAccessExpression(call.expression) &&
      ELEMENT_CALLBACKS.has(call.expression.name.text)
    ) {
      return call.expression.expression;
    }
  }
  return undefined;
}

function isKeywordValue(e: ts.Expression): boolean {
  return (
    e.kind === ts.SyntaxKind.TrueKeyword ||
    e.kind === ts.SyntaxKind.FalseKeyword ||
    e.kind === ts.SyntaxKind.NullKeyword ||
    e.kind === ts.SyntaxKind.ThisKeyword
  );
}

function isInert(e: ts.Expression): boolean {
  return (
    ts.isStringLiteralLike(e) ||
    ts.isNumericLiteral(e) ||
    isKeywordValue(e) ||
    (ts.isIdentifier(e) && e.text === 'undefined')
  );
}

/** Literals and arithmetic on them (not a read of anything). */
function isComputedLiteral(e: ts.Expression): boolean {
  if (isInert(e) || ts.isNoSubstitutionTemplateLiteral(e)) return true;
  if (ts.isPrefixUnaryExpression(e)) return isComputedLiteral(unwrap(e.operand));
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    const arithmetic =
      op === ts.SyntaxKind.MinusToken ||
      op === ts.SyntaxKind.AsteriskToken ||
      op === ts.SyntaxKind.SlashToken ||
      op === ts.SyntaxKind.PercentToken ||
      op === ts.SyntaxKind.AsteriskAsteriskToken;
    return arithmetic;
  }
  return (
    (ts.isArrayLiteralExpression(e) && e.elements.length === 0) ||
    (ts.isObjectLiteralExpression(e) && e.properties.length === 0)
  );
}

function hasInitializer(d: ts.VariableDeclaration | ts.ParameterDeclaration | ts.BindingElement): boolean {
  return !!d.initializer;
}

/** No annotation, or one that says nothing about the value's fields (`any`, `unknown`, `object`, `Record<string, any>`). */
function untypedAnnotation(type: ts.TypeNode | undefined): boolean {
  if (!type) return true;
  if (
    type.kind === ts.SyntaxKind.AnyKeyword ||
    type.kind === ts.SyntaxKind.UnknownKeyword ||
    type.kind === ts.SyntaxKind.ObjectKeyword
  )
    return true;
  return (
    ts.isTypeReferenceNode(type) &&
    type.typeName.getText() === 'Record' &&
    type.typeArguments?.[1]?.kind === ts.SyntaxKind.AnyKeyword
  );
}

/** An annotation that names or spells out a structure (`ResultatAnalyse`, `Foo[]`, `{ a: string }`), not `string`/`any`. */
function declaresDomainType(type: ts.TypeNode): boolean {
  if (ts.isArrayTypeNode(type)) return declaresDomainType(type.elementType);
  if (ts.isUnionTypeNode(type)) return type.types.some(declaresDomainType);
  if (ts.isTypeReferenceNode(type))
    return (
      !['Record', 'Partial', 'Promise', 'Array', 'ReadonlyArray', 'Map', 'Set', 'Buffer', 'Date', 'Object'].includes(
        type.typeName.getText(),
      ) ||
      (type.typeArguments?.some(declaresDomainType) ?? false)
    );
  return ts.isTypeLiteralNode(type);
}

/** The declared type's own name (`LabResult` for `LabResult[]`, `Promise<LabResult>`), if it is a plain reference. */
function annotationName(type: ts.TypeNode): string | undefined {
  if (ts.isArrayTypeNode(type)) return annotationName(type.elementType);
  if (!ts.isTypeReferenceNode(type)) return undefined;
  const name = ts.isIdentifier(type.typeName) ? type.typeName.text : type.typeName.right.text;
  if (
    ['Promise', 'Array', 'ReadonlyArray', 'Readonly', 'Partial', 'Required'].includes(name) &&
    type.typeArguments?.length === 1
  )
    return annotationName(type.typeArguments[0]!);
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
  if (!/^[\w$.?![\]()]+$/.test(text) || /\d{4,}/.test(text)) return '…';
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
