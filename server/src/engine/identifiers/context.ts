import ts from 'typescript';
import type { EngineConfig } from '../config.js';
import { vocabularyOf } from '../pack.js';
import { classifierFor } from '../vocabulary/classify.js';
import { splitWords } from '../vocabulary/words.js';
import type { IdentifierScheme } from './checksums.js';
import { containsTerm, nameMatches, termList, type TermList } from '../sinks/terms.js';
import { knowledgeOf, knowledgePart } from '../knowledge.js';

interface ContextData {
  /** By scheme (`nhs: [nhs, nhsnbr]`), `any` for words that name a national identifier in general; a plain list counts as `any`. */
  positive: string[] | Record<string, string[]>;
  negative: string[];
  testOids: string[];
  insOids: string[];
  descriptorKeys: string[];
}

/** The schemes a context names (`any`: a national identifier, whichever). */
type SchemeEvidence = ReadonlySet<IdentifierScheme | 'any'>;

interface IdentifierContextWords {
  positive: SchemeEvidence;
  negative: boolean;
  /** The names that were read, for the message (`nhsNumber`). */
  names: string[];
}

interface ContextVocabulary {
  positive: Array<[IdentifierScheme | 'any', TermList]>;
  negative: TermList;
  testOids: string[];
  insOids: string[];
  descriptorKeys: TermList;
}

const IDENTIFIER_CONTEXT = knowledgePart('identifier-context', (config): ContextVocabulary => {
  const data = vocabularyOf<ContextData>(config.pack, 'identifier-context');
  return {
    positive: Array.isArray(data.positive)
      ? [['any', termList(data.positive)]]
      : Object.entries(data.positive).map(([scheme, terms]) => [scheme as IdentifierScheme | 'any', termList(terms)]),
    negative: termList(data.negative),
    testOids: data.testOids,
    insOids: data.insOids,
    descriptorKeys: termList(data.descriptorKeys),
  };
});

export function contextVocabulary(config: EngineConfig): ContextVocabulary {
  return knowledgeOf(config).get(IDENTIFIER_CONTEXT);
}

/** Classifies the names a literal belongs to as saying "national identifier" or "something else". */
export function judgeContext(names: readonly string[], config: EngineConfig): IdentifierContextWords {
  const vocab = contextVocabulary(config);
  const classifier = classifierFor(config);
  const positive = new Set<IdentifierScheme | 'any'>();
  let negative = false;
  for (const name of names) {
    const words = splitWords(name);
    if (words.length === 0) continue;
    let named = false;
    for (const [scheme, terms] of vocab.positive) {
      if (containsTerm(words, terms)) {
        positive.add(scheme);
        named = true;
      }
    }
    // A health identifier the lists do not tie to a scheme (`numeroAssuranceMaladie`): any scheme.
    if (!named && classifier.classify(name)?.category === 'health-identifier') positive.add('any');
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
    if (
      ts.isPropertyAssignment(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isVariableDeclaration(parent) ||
      ts.isParameter(parent) ||
      ts.isBindingElement(parent) ||
      ts.isEnumMember(parent) ||
      ts.isJsxAttribute(parent)
    ) {
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
        for (const arg of receiver.arguments)
          if (ts.isStringLiteralLike(arg) && /[A-Za-z]{2}/.test(arg.text)) names.push(arg.text);
      }
      current = parent;
      continue;
    }
    if (ts.isCaseClause(parent)) {
      const name = accessName(parent.parent.parent.expression);
      if (name) names.push(name);
      return names;
    }
    if (
      ts.isArrayLiteralExpression(parent) ||
      ts.isParenthesizedExpression(parent) ||
      ts.isAsExpression(parent) ||
      ts.isSatisfiesExpression(parent) ||
      ts.isTypeAssertionExpression(parent) ||
      ts.isTemplateSpan(parent) ||
      ts.isTemplateExpression(parent) ||
      ts.isTaggedTemplateExpression(parent) ||
      ts.isConditionalExpression(parent) ||
      ts.isNonNullExpression(parent) ||
      ts.isSpreadElement(parent) ||
      ts.isJsxExpression(parent)
    ) {
      current = parent;
      continue;
    }
    break;
  }
  return names;
}

function isComparison(kind: ts.SyntaxKind): boolean {
  return (
    kind === ts.SyntaxKind.EqualsEqualsEqualsToken ||
    kind === ts.SyntaxKind.EqualsEqualsToken ||
    kind === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
    kind === ts.SyntaxKind.ExclamationEqualsToken
  );
}

function nameText(name: ts.Node): string | undefined {
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name))
    return name.text;
  if (ts.isJsxNamespacedName?.(name)) return name.name.text;
  return undefined;
}

function accessName(expr: ts.Node): string | undefined {
  if (ts.isIdentifier(expr)) return expr.text;
  if (ts.isPropertyAccessExpression(expr)) return expr.name.text;
  if (ts.isElementAccessExpression(expr) && ts.isStringLiteral(expr.argumentExpression))
    return expr.argumentExpression.text;
  return undefined;
}

/**
 * Words written right next to a candidate inside the same string (`?ticket=`, `~...^^^NHS^NH`,
 * `Tel: `): the closest context there is. At most two words on each side, within a few characters.
 */
export function adjacentWords(text: string, start: number, end: number): string[] {
  const before =
    text
      .slice(Math.max(0, start - 24), start)
      .split(/[\s"'`,;|(){}[\]]{2,}|[\r\n]/)
      .pop() ?? '';
  const after = text.slice(end, end + 24).split(/[\s"'`,;|(){}[\]]{2,}|[\r\n]/)[0] ?? '';
  const words = (t: string) => t.match(/[A-Za-z][A-Za-z]+/g) ?? [];
  return [...words(before).slice(-2), ...words(after).slice(0, 2)];
}

/**
 * Words that describe the value from outside its own name: the descriptor properties of the
 * object it is a value of (a FHIR identifier's `system: 'https://fhir.nhs.uk/Id/nhs-number'`, a
 * contact point's `system: 'phone'`, a Swagger `description`), the member a decorator's option
 * documents (`@ApiProperty({ example })` on `nhsNumber`), and, apart (prose only ever adds
 * evidence: "in order to" is not an order number), the comment right above the property or statement.
 */
export function surroundingWords(
  node: ts.Node,
  config: EngineConfig,
): { names: string[]; member?: string; comments: string[] } {
  const out: string[] = [];
  let member: string | undefined;
  const descriptors = contextVocabulary(config).descriptorKeys;
  let property: ts.PropertyAssignment | undefined;
  for (let n: ts.Node | undefined = node.parent, depth = 0; n && depth < 6; n = n.parent, depth++) {
    if (ts.isPropertyAssignment(n)) {
      property = n;
      break;
    }
    if (!(
      ts.isArrayLiteralExpression(n) ||
      ts.isParenthesizedExpression(n) ||
      ts.isAsExpression(n) ||
      ts.isTemplateSpan(n) ||
      ts.isTemplateExpression(n) ||
      ts.isBinaryExpression(n) ||
      ts.isConditionalExpression(n)
    ))
      break;
  }
  if (property && ts.isObjectLiteralExpression(property.parent)) {
    for (const sibling of property.parent.properties) {
      if (sibling === property || !ts.isPropertyAssignment(sibling)) continue;
      const key = nameText(sibling.name);
      const value = sibling.initializer;
      if (key && nameMatches(key, descriptors) && ts.isStringLiteralLike(value)) out.push(value.text);
    }
    // @ApiProperty({ description, example }) above a class member: the member names the value.
    const call = property.parent.parent;
    if (call && ts.isCallExpression(call) && call.parent && ts.isDecorator(call.parent)) {
      const decorated = call.parent.parent;
      member = decorated && 'name' in decorated ? nameText(decorated.name as ts.Node) : undefined;
    }
  }
  const holder = property ?? statementOf(node);
  return { names: out, ...(member ? { member } : {}), comments: holder ? leadingComments(holder) : [] };
}

function statementOf(node: ts.Node): ts.Node | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isVariableStatement(n) || ts.isExpressionStatement(n) || ts.isPropertyDeclaration(n) || ts.isEnumMember(n))
      return n;
    if (ts.isBlock(n) || ts.isSourceFile(n) || ts.isFunctionLike(n)) return undefined;
  }
  return undefined;
}

function leadingComments(node: ts.Node): string[] {
  const sf = node.getSourceFile();
  return (ts.getLeadingCommentRanges(sf.text, node.pos) ?? []).map((r) => sf.text.slice(r.pos, r.end));
}
