import ts from 'typescript';
import type { DetectorContext } from '../detector.js';
import { healthDataIn, type HealthEvidence } from '../flow/health-value.js';
import { sqlValueSpans } from '../flow/sql-rows.js';
import { vocabularyOf } from '../pack.js';
import { classifierFor } from '../vocabulary/classify.js';
import { endsWithTerm, nameMatches, startsWithTerm, termList, type TermList } from './terms.js';
import { splitWords } from '../vocabulary/words.js';
import { accessChain } from '../names/binding.js';
import { propertyName, unwrap } from '../syntax/ast.js';
import { localDeclarationOf } from '../names/locals.js';
import { mayDeclareRoutes, routesOf } from '../routes/index.js';
import { knowledgeOf, knowledgePart } from '../knowledge.js';

/** One place in a sink's arguments that carries health data. */
export interface HealthSlot {
  /** The argument, property value or template span as written: what a finding points at and a fix wraps. */
  expr: ts.Expression;
  /** Object keys from the argument down to the slot (`['resultat']`), for pino `redact` paths. */
  keyPath: string[];
  /** The slot is inside a string (template, concatenation): structured redaction cannot reach it. */
  inString: boolean;
  evidence: HealthEvidence;
}

interface PayloadVocabulary {
  benignTails: TermList;
  aggregatePrefixes: TermList;
  redaction: TermList;
}

interface LoggersData {
  benignTails: string[];
  aggregatePrefixes: string[];
  redaction: string[];
}

const PAYLOAD = knowledgePart('payload', (config): PayloadVocabulary => {
  const data = vocabularyOf<LoggersData>(config.pack, 'loggers');
  return {
    benignTails: termList(data.benignTails),
    aggregatePrefixes: termList(data.aggregatePrefixes),
    redaction: termList([...data.redaction, ...(config.redaction?.functions ?? [])]),
  };
});

function payloadVocabulary(ctx: DetectorContext): PayloadVocabulary {
  return knowledgeOf(ctx.config).get(PAYLOAD);
}

/** Names that are fine to send anywhere: ids, counts, barcodes, statuses, durations, test codes. */
function isBenignName(name: string, ctx: DetectorContext): boolean {
  const v = payloadVocabulary(ctx);
  if (nameMatches(name, v.aggregatePrefixes, 'start')) return true;
  const words = splitWords(name);
  for (let cut = words.length - 1; cut >= 0; cut--) {
    if (!endsWithTerm(words.slice(cut), v.benignTails) || !startsWithTerm(words.slice(cut), v.benignTails)) continue;
    // `resultatId`, `codeBarre` are fine; `hivStatus`, `statut_vih` are not.
    const rest = words.slice(0, cut).join(' ');
    return rest === '' || !classifierFor(ctx.config).classify(rest)?.special;
  }
  return false;
}

/** A call of the team's or a conventional redaction helper (`redact(x)`, `maskNir(x)`). */
function isRedactionCall(expr: ts.Expression, ctx: DetectorContext): boolean {
  const e = unwrap(expr);
  if (!ts.isCallExpression(e)) return false;
  const names = accessChain(e.expression).names;
  const last = names[names.length - 1];
  return last !== undefined && nameMatches(last, payloadVocabulary(ctx).redaction, 'start');
}

/** Every place in `expr` (an argument of a sink) that carries health data. */
export function healthSlots(
  expr: ts.Expression,
  ctx: DetectorContext,
  keyPath: string[] = [],
  inString = false,
): HealthSlot[] {
  const e = unwrap(expr);
  if (ts.isObjectLiteralExpression(e)) {
    return e.properties.flatMap((p) => {
      if (ts.isPropertyAssignment(p))
        return healthSlots(p.initializer, ctx, [...keyPath, propertyName(p.name) ?? '*'], inString);
      if (ts.isShorthandPropertyAssignment(p)) return leafSlot(p.name, ctx, [...keyPath, p.name.text], inString);
      if (ts.isSpreadAssignment(p)) return healthSlots(p.expression, ctx, keyPath, inString);
      return [];
    });
  }
  if (ts.isArrayLiteralExpression(e)) {
    return e.elements.flatMap((el) =>
      healthSlots(ts.isSpreadElement(el) ? el.expression : el, ctx, [...keyPath, '*'], inString),
    );
  }
  // SQL text: only the interpolations in value positions put data in it (`WHERE ${conditions}` is syntax).
  if (ts.isTemplateExpression(e))
    return (sqlValueSpans(e, ctx) ?? e.templateSpans.map((s) => s.expression)).flatMap((x) =>
      healthSlots(x, ctx, keyPath, true),
    );
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.PlusToken)
      return [...healthSlots(e.left, ctx, keyPath, true), ...healthSlots(e.right, ctx, keyPath, true)];
    if (
      op === ts.SyntaxKind.QuestionQuestionToken ||
      op === ts.SyntaxKind.BarBarToken ||
      op === ts.SyntaxKind.AmpersandAmpersandToken
    ) {
      return [
        ...(op === ts.SyntaxKind.AmpersandAmpersandToken ? [] : healthSlots(e.left, ctx, keyPath, inString)),
        ...healthSlots(e.right, ctx, keyPath, inString),
      ];
    }
    return [];
  }
  if (ts.isConditionalExpression(e))
    return [...healthSlots(e.whenTrue, ctx, keyPath, inString), ...healthSlots(e.whenFalse, ctx, keyPath, inString)];
  return leafSlot(expr, ctx, keyPath, inString);
}

function leafSlot(expr: ts.Expression, ctx: DetectorContext, keyPath: string[], inString: boolean): HealthSlot[] {
  const evidence = leafEvidence(expr, ctx, 0);
  return evidence ? [{ expr, keyPath, inString, evidence }] : [];
}

/** Health evidence of one value, looking through JSON.stringify, String(), .join(), .map() callbacks... */
function leafEvidence(expr: ts.Expression, ctx: DetectorContext, depth: number): HealthEvidence | undefined {
  if (depth > 6) return undefined;
  const e = unwrap(expr);
  if (isInert(e)) return undefined;
  if (
    ts.isObjectLiteralExpression(e) ||
    ts.isArrayLiteralExpression(e) ||
    ts.isTemplateExpression(e) ||
    ts.isBinaryExpression(e) ||
    ts.isConditionalExpression(e)
  ) {
    return healthSlots(e, ctx)[0]?.evidence;
  }
  if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    const name = lastName(e);
    if (name !== undefined && isBenignName(name, ctx)) return undefined;
    return (
      healthDataIn(e, ctx) ??
      requestBodyOfHealthRoute(e, ctx) ??
      requestBodyOfHealthRoute(requestPartOrigin(e, ctx), ctx) ??
      bodyParameterOfHealthRoute(e, ctx)
    );
  }
  if (ts.isCallExpression(e)) {
    if (isRedactionCall(e, ctx)) return undefined;
    const chain = accessChain(e.expression).names;
    const callee = chain.join('.');
    const method = chain[chain.length - 1];
    if (TRANSPARENT_FUNCTIONS.has(callee)) return firstEvidence(e.arguments, ctx, depth);
    if (OPAQUE_FUNCTIONS.has(callee)) return undefined;
    if (ts.isPropertyAccessExpression(e.expression) && method !== undefined) {
      const receiver = e.expression.expression;
      if (method === 'map' || method === 'flatMap' || method === 'reduce') {
        const fn = e.arguments[0];
        return fn ? callbackEvidence(fn, ctx, depth) : undefined;
      }
      if (RECEIVER_METHODS.has(method))
        return leafEvidence(receiver, ctx, depth + 1) ?? firstEvidence(e.arguments, ctx, depth);
      if (COUNT_METHODS.has(method)) return undefined;
    }
    // renderReportHtml(report), buildSmsText(result): what a presentation helper makes shows its arguments.
    if (method !== undefined && PRESENTATION.test(method))
      return healthDataIn(e, ctx) ?? firstEvidence(e.arguments, ctx, depth);
    return healthDataIn(e, ctx);
  }
  if (ts.isNewExpression(e)) {
    const name = e.expression.getText();
    if (name === 'Set' || name === 'Map' || name === 'Array') return firstEvidence(e.arguments ?? [], ctx, depth);
    return healthDataIn(e, ctx);
  }
  if (ts.isPrefixUnaryExpression(e))
    return e.operator === ts.SyntaxKind.ExclamationToken ? undefined : leafEvidence(e.operand, ctx, depth + 1);
  return undefined;
}

function firstEvidence(
  args: readonly ts.Expression[],
  ctx: DetectorContext,
  depth: number,
): HealthEvidence | undefined {
  for (const a of args) {
    const ev = leafEvidence(ts.isSpreadElement(a) ? a.expression : a, ctx, depth + 1);
    if (ev) return ev;
  }
  return undefined;
}

function callbackEvidence(fn: ts.Expression, ctx: DetectorContext, depth: number): HealthEvidence | undefined {
  const f = unwrap(fn);
  if (!ts.isArrowFunction(f) && !ts.isFunctionExpression(f)) return leafEvidence(f, ctx, depth + 1);
  if (!ts.isBlock(f.body)) return leafEvidence(f.body, ctx, depth + 1);
  let found: HealthEvidence | undefined;
  const visit = (n: ts.Node): void => {
    if (found || ts.isFunctionLike(n)) return;
    if (ts.isReturnStatement(n) && n.expression) found = leafEvidence(n.expression, ctx, depth + 1);
    else ts.forEachChild(n, visit);
  };
  ts.forEachChild(f.body, visit);
  return found;
}

/** `req.body` (or an uploaded `req.file`) in a handler registered on a path that names health data (`router.post('/resultats', ...)`). */
function requestBodyOfHealthRoute(e: ts.Expression | undefined, ctx: DetectorContext): HealthEvidence | undefined {
  if (!e) return undefined;
  const chain = accessChain(e).names;
  // The whole body or query, or an uploaded file's content (`req.file`, `req.file.buffer`, `req.files`).
  const part =
    ['body', 'query'].includes(chain[chain.length - 1]!) ||
    (['file', 'files'].includes(chain[1]!) &&
      chain.length <= 3 &&
      ['file', 'files', 'buffer', 'path', 'stream'].includes(chain[chain.length - 1]!));
  if (chain.length < 2 || !part || !/^(req|request|ctx)$/.test(chain[0]!)) return undefined;
  for (let n: ts.Node | undefined = e.parent; n; n = n.parent) {
    if (!ts.isFunctionLike(n) || !n.parent || !ts.isCallExpression(n.parent)) continue;
    const literal = n.parent.arguments[0];
    if (!literal || !ts.isStringLiteralLike(literal)) continue;
    // The full path when the router is mounted elsewhere (`router.post('/:id/comments')` under `/results`).
    const handler = n;
    const full = mayDeclareRoutes(ctx.project, ctx.file.path)
      ? routesOf(ctx.project).find((r) => r.handler?.node === handler)?.path
      : undefined;
    for (const path of full && full !== literal.text ? [literal.text, full] : [literal.text]) {
      const c = healthOfPath(path, ctx);
      if (c) return { category: c.category, why: `${c.why} via the route ${path}`, path: chain.join('.') };
    }
    return undefined;
  }
  return undefined;
}

/**
 * `const body = req.body`, `const { comment } = req.body`: the request part a local was taken from.
 * A destructured field counts when it is free text (`comment`, `notes`); `{ page }` says nothing.
 */
function requestPartOrigin(e: ts.Expression, ctx: DetectorContext): ts.Expression | undefined {
  if (!ts.isIdentifier(e)) return undefined;
  let d: ts.Node | undefined = localDeclarationOf(e);
  if (d && ts.isBindingElement(d)) {
    const key =
      d.propertyName && ts.isIdentifier(d.propertyName)
        ? d.propertyName.text
        : ts.isIdentifier(d.name)
          ? d.name.text
          : undefined;
    if (!key || !classifierFor(ctx.config).isPayload(key) || !ts.isVariableDeclaration(d.parent.parent))
      return undefined;
    d = d.parent.parent;
  }
  return d && ts.isVariableDeclaration(d) && d.initializer ? unwrap(d.initializer) : undefined;
}

/** A Nest `@Body() dto` (or its free text, `dto.description`) in a handler whose route names health data. */
function bodyParameterOfHealthRoute(e: ts.Expression, ctx: DetectorContext): HealthEvidence | undefined {
  const root = ts.isPropertyAccessExpression(e) ? unwrap(e.expression) : e;
  if (
    !ts.isIdentifier(root) ||
    (root !== e && !classifierFor(ctx.config).isPayload((e as ts.PropertyAccessExpression).name.text))
  )
    return undefined;
  const d = localDeclarationOf(root);
  if (!d || !ts.isParameter(d) || !ts.getDecorators(d)?.some((x) => /^Body\b/.test(x.expression.getText())))
    return undefined;
  const handler = d.parent;
  if (!mayDeclareRoutes(ctx.project, ctx.file.path)) return undefined;
  const route = routesOf(ctx.project).find((r) => r.handler?.node === handler);
  const found = route ? healthOfPath(route.path, ctx) : undefined;
  return (
    found && {
      category: found.category,
      why: `${found.why} via the route ${route!.path}`,
      path: e.getText().slice(0, 40),
    }
  );
}

/** `/patients/:id/problems`: a segment names health data alone or as a part of the segment before it. */
function healthOfPath(
  path: string,
  ctx: DetectorContext,
): { category: HealthEvidence['category']; why: string } | undefined {
  const classifier = classifierFor(ctx.config);
  const segments = path.split('/').filter((x) => x && !x.startsWith(':') && !x.startsWith('{'));
  for (let i = 0; i < segments.length; i++) {
    const container = segments[i - 1];
    const c = [
      classifier.classify(segments[i]!, { kind: 'collection' }),
      container ? classifier.classify(segments[i]!, { kind: 'property', container }) : undefined,
    ].find((x) => x?.special);
    if (c) return c;
  }
  return undefined;
}

function isInert(e: ts.Expression): boolean {
  return (
    ts.isStringLiteralLike(e) ||
    ts.isNumericLiteral(e) ||
    ts.isBigIntLiteral(e) ||
    ts.isRegularExpressionLiteral(e) ||
    e.kind === ts.SyntaxKind.TrueKeyword ||
    e.kind === ts.SyntaxKind.FalseKeyword ||
    e.kind === ts.SyntaxKind.NullKeyword ||
    e.kind === ts.SyntaxKind.ThisKeyword ||
    ts.isFunctionLike(e) ||
    ts.isTypeOfExpression(e) ||
    ts.isVoidExpression(e) ||
    (ts.isIdentifier(e) && e.text === 'undefined')
  );
}

function lastName(e: ts.Expression): string | undefined {
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression)) return e.argumentExpression.text;
  return undefined;
}

const TRANSPARENT_FUNCTIONS = new Set([
  'JSON.stringify',
  'String',
  'encodeURIComponent',
  'encodeURI',
  'util.inspect',
  'inspect',
  'util.format',
  'format',
  'Object.values',
  'Object.entries',
  'Object.assign',
  'Buffer.from',
  'Array.from',
  'structuredClone',
  'btoa',
  'escape',
]);
const OPAQUE_FUNCTIONS = new Set([
  'Object.keys',
  'Number.isFinite',
  'Number.isNaN',
  'isNaN',
  'Boolean',
  'Array.isArray',
  'Date.now',
  'typeof',
]);
const RECEIVER_METHODS = new Set([
  'join',
  'toString',
  'toUpperCase',
  'toLowerCase',
  'trim',
  'trimStart',
  'trimEnd',
  'slice',
  'substring',
  'substr',
  'concat',
  'filter',
  'sort',
  'reverse',
  'flat',
  'at',
  'find',
  'findLast',
  'pop',
  'shift',
  'toFixed',
  'toPrecision',
  'padStart',
  'padEnd',
  'replace',
  'replaceAll',
  'split',
  'toJSON',
  'toObject',
  'get',
  'values',
  'entries',
  'toLocaleString',
  'normalize',
  'valueOf',
  'toSorted',
  'toReversed',
]);
/** Helpers that turn their arguments into a message, a document or a line (their output shows the arguments). */
const PRESENTATION =
  /^(render|format|build|compose|template|serialize|stringify|print|describe|summari[sz]e|to(Html|Text|String|Csv|Pdf|Markdown|Message|Json))(?![a-z])/;
const COUNT_METHODS = new Set([
  'count',
  'size',
  'keys',
  'has',
  'includes',
  'some',
  'every',
  'indexOf',
  'findIndex',
  'startsWith',
  'endsWith',
  'test',
  'getTime',
  'toISOString',
]);
