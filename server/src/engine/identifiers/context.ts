import ts from 'typescript';
import type { EngineConfig } from '../config.js';
import { packData } from '../pack.js';
import { classifierFor } from '../vocabulary/classify.js';
import { splitWords } from '../vocabulary/words.js';
import { containsTerm, termList, type TermList } from '../sinks/terms.js';

interface ContextData {
  positive?: string[];
  negative?: string[];
  testOids?: string[];
  insOids?: string[];
}

export interface IdentifierContextWords {
  positive: boolean;
  negative: boolean;
  /** The names that were read, for the message (`nhsNumber`). */
  names: string[];
}

interface ContextVocabulary {
  positive: TermList;
  negative: TermList;
  testOids: string[];
  insOids: string[];
}

const vocabularies = new WeakMap<EngineConfig, ContextVocabulary>();

export function contextVocabulary(config: EngineConfig): ContextVocabulary {
  let v = vocabularies.get(config);
  if (!v) {
    const data = packData<ContextData>(config.pack, 'identifier-context', {});
    v = {
      positive: termList(data.positive),
      negative: termList(data.negative),
      testOids: data.testOids ?? ['1.2.250.1.213.1.4.10', '1.2.250.1.213.1.4.11'],
      insOids: data.insOids ?? ['1.2.250.1.213.1.4.8', '1.2.250.1.213.1.4.9'],
    };
    vocabularies.set(config, v);
  }
  return v;
}

/** Classifies the names a literal belongs to as saying "national identifier" or "something else". */
export function judgeContext(names: readonly string[], config: EngineConfig): IdentifierContextWords {
  const vocab = contextVocabulary(config);
  const classifier = classifierFor(config);
  let positive = false;
  let negative = false;
  for (const name of names) {
    const words = splitWords(name);
    if (words.length === 0) continue;
    if (containsTerm(words, vocab.positive) || classifier.classify(name)?.category === 'health-identifier') positive = true;
    if (containsTerm(words, vocab.negative)) negative = true;
  }
  return { positive, negative, names: [...names] };
}

/**
 * The names a TS/JS literal is bound to: the property, variable, parameter or assignment target
 * it initialises, the other side of a comparison, the function it is passed to. Walks up through
 * parentheses, casts, arrays, string concatenation and templates.
 */
export function tsContextNames(node: ts.Node): string[] {
  const names: string[] = [];
  let current: ts.Node = node;
  for (let depth = 0; depth < 6 && current.parent; depth++) {
    const parent: ts.Node = current.parent;
    if (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isVariableDeclaration(parent)
      || ts.isParameter(parent) || ts.isBindingElement(parent) || ts.isEnumMember(parent) || ts.isJsxAttribute(parent)) {
      const name = nameText(parent.name);
      if (name) names.push(name);
      return names;
    }
    if (ts.isBinaryExpression(parent)) {
      const op = parent.operatorToken.kind;
      if (op === ts.SyntaxKind.EqualsToken || isComparison(op)) {
        const other = parent.left === current ? parent.right : parent.left;
        const name = accessName(other);
        if (name) names.push(name);
        return names;
      }
      current = parent;
      continue;
    }
    if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) {
      const name = accessName(parent.expression);
      if (name) names.push(name);
      // page.getByLabel('Barcode').fill(x), cy.get('#nhs-number').type(x): the field the value is typed into.
      const receiver = ts.isPropertyAccessExpression(parent.expression) ? parent.expression.expression : undefined;
      if (receiver && ts.isCallExpression(receiver)) {
        for (const arg of receiver.arguments) if (ts.isStringLiteralLike(arg) && /[A-Za-z]{2}/.test(arg.text)) names.push(arg.text);
      }
      current = parent;
      continue;
    }
    if (ts.isCaseClause(parent)) {
      const name = accessName(parent.parent.parent.expression);
      if (name) names.push(name);
      return names;
    }
    if (ts.isArrayLiteralExpression(parent) || ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent)
      || ts.isSatisfiesExpression(parent) || ts.isTypeAssertionExpression(parent) || ts.isTemplateSpan(parent)
      || ts.isTemplateExpression(parent) || ts.isTaggedTemplateExpression(parent) || ts.isConditionalExpression(parent)
      || ts.isNonNullExpression(parent) || ts.isSpreadElement(parent) || ts.isJsxExpression(parent)) {
      current = parent;
      continue;
    }
    break;
  }
  return names;
}

function isComparison(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.EqualsEqualsEqualsToken || kind === ts.SyntaxKind.EqualsEqualsToken
    || kind === ts.SyntaxKind.ExclamationEqualsEqualsToken || kind === ts.SyntaxKind.ExclamationEqualsToken;
}

function nameText(name: ts.Node): string | undefined {
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isJsxNamespacedName?.(name)) return name.name.text;
  return undefined;
}

function accessName(expr: ts.Node): string | undefined {
  if (ts.isIdentifier(expr)) return expr.text;
  if (ts.isPropertyAccessExpression(expr)) return expr.name.text;
  if (ts.isElementAccessExpression(expr) && ts.isStringLiteral(expr.argumentExpression)) return expr.argumentExpression.text;
  return undefined;
}

/**
 * Words written right next to a candidate inside the same string (`?ticket=`, `~...^^^NHS^NH`,
 * `Tel: `): the closest context there is. At most two words on each side, within a few characters.
 */
export function adjacentWords(text: string, start: number, end: number): string[] {
  const before = text.slice(Math.max(0, start - 24), start).split(/[\s"'`,;|(){}[\]]{2,}|[\r\n]/).pop() ?? '';
  const after = text.slice(end, end + 24).split(/[\s"'`,;|(){}[\]]{2,}|[\r\n]/)[0] ?? '';
  const words = (t: string) => t.match(/[A-Za-z][A-Za-z]+/g) ?? [];
  return [...words(before).slice(-2), ...words(after).slice(0, 2)];
}
