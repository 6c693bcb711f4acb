import ts from 'typescript';
import type { DetectorContext } from '../detector.js';
import { vocabularyOf } from '../pack.js';
import { accessChain, bindingOf, namingIdentifier, requireOf } from '../names/binding.js';
import { unwrap } from '../syntax/ast.js';
import { localDeclarationOf } from '../names/locals.js';
import { nameMatches, termList, type TermList } from './terms.js';
import { knowledgeOf, knowledgePart } from '../knowledge.js';

/** A call that writes a log entry or builds an error message. */
export interface LogSink {
  kind: 'console' | 'logger' | 'error';
  /** How the message names it: `console.log`, `logger.warn`, `new Error`. */
  label: string;
  args: readonly ts.Expression[];
  /** pino `redact` paths of the logger, split on dots. */
  redactPaths?: string[][];
  /** A masking format/serializer is configured: nothing this logger writes is reported. */
  masked?: boolean;
}

interface LoggersData {
  modules: string[];
  factories: string[];
  conventionalNames: string[];
  methods: string[];
  console: string[];
  errorClassSuffixes: string[];
  maskingFormats: string[];
}

interface LoggerVocabulary {
  modules: Set<string>;
  factories: Set<string>;
  conventional: TermList;
  methods: Set<string>;
  console: Set<string>;
  errorSuffixes: string[];
  masking: TermList;
}

const LOGGERS = knowledgePart('loggers', (config): LoggerVocabulary => {
  const d = vocabularyOf<LoggersData>(config.pack, 'loggers');
  return {
    modules: new Set(d.modules),
    factories: new Set(d.factories),
    conventional: termList(d.conventionalNames),
    methods: new Set(d.methods),
    console: new Set(d.console),
    errorSuffixes: d.errorClassSuffixes,
    masking: termList(d.maskingFormats),
  };
});

function vocabulary(ctx: DetectorContext): LoggerVocabulary {
  return knowledgeOf(ctx.config).get(LOGGERS);
}

interface LoggerFacts {
  redactPaths?: string[][];
  masked?: boolean;
}

/** The log sink a call or `new` writes to, if any. */
export function logSinkOf(node: ts.CallExpression | ts.NewExpression, ctx: DetectorContext): LogSink | undefined {
  const v = vocabulary(ctx);
  const args = node.arguments ?? [];
  if (ts.isNewExpression(node)) {
    const name = accessChain(node.expression).names.pop();
    if (name && (name === 'Error' || v.errorSuffixes.some((s) => name.endsWith(s))))
      return { kind: 'error', label: `new ${name}`, args };
    return undefined;
  }
  const chain = accessChain(node.expression).names;
  const callee = unwrap(node.expression);
  if (ts.isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    const receiverNames = chain.slice(0, -1);
    if (receiverNames[receiverNames.length - 1] === 'console' && v.console.has(method))
      return { kind: 'console', label: `console.${method}`, args };
    if (!v.methods.has(method)) return undefined;
    const facts = loggerFacts(callee.expression, ctx, 0);
    if (facts) return { kind: 'logger', label: `${receiverLabel(receiverNames)}.${method}`, args, ...facts };
    const last = receiverNames[receiverNames.length - 1];
    if (last && nameMatches(last, v.conventional, 'end'))
      return { kind: 'logger', label: `${receiverLabel(receiverNames)}.${method}`, args };
    return undefined;
  }
  // debug('ns') instances are called directly: `debugHl7('OBX %s', value)`.
  if (ts.isIdentifier(callee)) {
    const facts = loggerFacts(callee, ctx, 0, true);
    if (facts) return { kind: 'logger', label: callee.text, args, ...facts };
  }
  return undefined;
}

function receiverLabel(names: string[]): string {
  return names.filter((n) => n !== 'this').join('.') || 'logger';
}

/** Is `receiver` a logger created by a logging library (here or in the file that exports it)? */
function loggerFacts(
  receiver: ts.Expression,
  ctx: DetectorContext,
  depth: number,
  callable = false,
): LoggerFacts | undefined {
  if (depth > 3) return undefined;
  const v = vocabulary(ctx);
  const e = unwrap(receiver);
  // logger.child({...}) is a logger with its parent's settings.
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'child') {
    return loggerFacts(e.expression.expression, ctx, depth + 1);
  }
  if (ts.isCallExpression(e) || ts.isNewExpression(e)) return creationFacts(e, ctx, depth);
  const id = namingIdentifier(e);
  if (!id) return undefined;
  const binding = bindingOf(id, ctx);
  if (!binding) return undefined;
  if (binding.initializer) return loggerFacts(binding.initializer, ctx, depth + 1, callable);
  if (!callable && binding.module && v.modules.has(binding.module)) return {};
  if (!callable && binding.typeName && /Logger$/.test(binding.typeName)) return {};
  return undefined;
}

function creationFacts(
  e: ts.CallExpression | ts.NewExpression,
  ctx: DetectorContext,
  depth: number,
): LoggerFacts | undefined {
  const v = vocabulary(ctx);
  const callee = unwrap(e.expression);
  const required = ts.isCallExpression(callee) ? requireOf(callee) : undefined;
  let fromLibrary = required !== undefined && v.modules.has(required);
  if (!fromLibrary) {
    const { names, root } = accessChain(callee);
    if (ts.isIdentifier(root)) {
      const binding = bindingOf(root, ctx);
      if (binding?.module && v.modules.has(binding.module)) fromLibrary = true;
      else if (binding?.initializer && depth < 3 && names.length === 1) {
        // const log = pino; const logger = log(...)  /  const debug = require('debug')
        const init = unwrap(binding.initializer);
        const req = requireOf(init);
        if (req && v.modules.has(req)) fromLibrary = true;
      }
    }
    const last = names[names.length - 1];
    if (!fromLibrary && last && v.factories.has(last)) fromLibrary = true;
  }
  if (!fromLibrary) return undefined;
  const options = (e.arguments ?? []).map(unwrap).find(ts.isObjectLiteralExpression);
  return options ? optionFacts(options, ctx) : {};
}

function optionFacts(options: ts.ObjectLiteralExpression, ctx: DetectorContext): LoggerFacts {
  const v = vocabulary(ctx);
  const facts: LoggerFacts = {};
  for (const p of options.properties) {
    if (!ts.isPropertyAssignment(p) || !p.name || !ts.isIdentifier(p.name)) continue;
    const key = p.name.text;
    if (key === 'redact') facts.redactPaths = redactPathsOf(unwrap(p.initializer));
    if (['format', 'formatters', 'serializers', 'hooks', 'transform', 'rewriters'].includes(key)) {
      const words = p.initializer
        .getText()
        .split(/[^A-Za-z0-9_$]+/)
        .filter(Boolean);
      if (words.some((w) => nameMatches(w, v.masking, 'any')) || masksByWhatItDoes(p.initializer, ctx, 0))
        facts.masked = true;
    }
  }
  return facts;
}

function redactPathsOf(init: ts.Expression): string[][] {
  let list: ts.Expression | undefined = init;
  if (ts.isObjectLiteralExpression(init)) {
    const paths = init.properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText() === 'paths');
    list = paths && ts.isPropertyAssignment(paths) ? unwrap(paths.initializer) : undefined;
  }
  if (!list || !ts.isArrayLiteralExpression(list)) return [];
  return list.elements.filter(ts.isStringLiteralLike).map((s) =>
    s.text
      .replace(/\[["']?([^\]"']+)["']?\]/g, '.$1')
      .split('.')
      .filter(Boolean),
  );
}

/** Does a pino `redact` path list mask this slot? Whole objects count as masked when a path reaches one of their fields. */
export function redactCovers(paths: readonly string[][], keyPath: readonly string[], wholeObject: boolean): boolean {
  const seg = (p: string, s: string) => p === '*' || p === s;
  return paths.some((p) => {
    if (p.length <= keyPath.length) return p.every((x, i) => seg(x, keyPath[i]!));
    return wholeObject && p.length === keyPath.length + 1 && keyPath.every((s, i) => seg(p[i]!, s));
  });
}

/**
 * A format, formatter or serializer that masks fields, recognised by what its code does whatever
 * it is called: it deletes fields (`delete info.diagnosis`), overwrites them with a constant
 * (`info.nhsNumber = '***'`), or passes them through a redaction helper. Followed through
 * `combine(...)`, calls of format factories and the file's constants (`const clean = format((i) => ...)`).
 */
function masksByWhatItDoes(expr: ts.Expression, ctx: DetectorContext, depth: number): boolean {
  if (depth > 4) return false;
  const e = unwrap(expr);
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return bodyMasks(e, ctx);
  if (ts.isCallExpression(e)) return [e.expression, ...e.arguments].some((a) => masksByWhatItDoes(a, ctx, depth + 1));
  if (ts.isObjectLiteralExpression(e)) {
    return e.properties.some(
      (p) =>
        (ts.isPropertyAssignment(p) && masksByWhatItDoes(p.initializer, ctx, depth + 1)) ||
        (ts.isMethodDeclaration(p) && bodyMasks(p, ctx)),
    );
  }
  if (ts.isArrayLiteralExpression(e)) return e.elements.some((a) => masksByWhatItDoes(a, ctx, depth + 1));
  if (ts.isIdentifier(e)) {
    const d = localDeclarationOf(e);
    if (d && ts.isVariableDeclaration(d) && d.initializer) return masksByWhatItDoes(d.initializer, ctx, depth + 1);
    if (d && ts.isFunctionDeclaration(d)) return bodyMasks(d, ctx);
  }
  return false;
}

function bodyMasks(fn: ts.FunctionLikeDeclaration, ctx: DetectorContext, depth = 0): boolean {
  if (!fn.body || depth > 3) return false;
  const redaction = vocabulary(ctx).masking;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (
      ts.isDeleteExpression(n) &&
      (ts.isPropertyAccessExpression(n.expression) || ts.isElementAccessExpression(n.expression))
    )
      found = true;
    else if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      (ts.isPropertyAccessExpression(n.left) || ts.isElementAccessExpression(n.left)) &&
      maskValue(unwrap(n.right))
    )
      found = true;
    // `{ ...record, diagnosis: undefined }`, `{ ...info, nhsNumber: '***' }`: a copy with fields hidden.
    else if (
      ts.isPropertyAssignment(n) &&
      maskValue(unwrap(n.initializer)) &&
      ts.isObjectLiteralExpression(n.parent) &&
      n.parent.properties.some(ts.isSpreadAssignment)
    )
      found = true;
    else if (ts.isCallExpression(n)) {
      const last = accessChain(n.expression).names.pop();
      const callee = unwrap(n.expression);
      const local = ts.isIdentifier(callee) ? localDeclarationOf(callee) : undefined;
      if (last && nameMatches(last, redaction, 'start')) found = true;
      else if (local && ts.isFunctionDeclaration(local) && local !== fn && bodyMasks(local, ctx, depth + 1))
        found = true;
      else if (
        local &&
        ts.isVariableDeclaration(local) &&
        local.initializer &&
        (ts.isArrowFunction(local.initializer) || ts.isFunctionExpression(local.initializer)) &&
        bodyMasks(local.initializer, ctx, depth + 1)
      )
        found = true;
      else ts.forEachChild(n, visit);
    } else ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return found;
}

/** What a field is overwritten with to hide it: `'***'`, `'[REDACTED]'`, `undefined`. */
function maskValue(e: ts.Expression): boolean {
  if (ts.isIdentifier(e) && e.text === 'undefined') return true;
  return ts.isStringLiteralLike(e) && /^[*•x#.-]{2,}$|redact|mask|hidden|removed|filtered|\[.+\]/i.test(e.text);
}
