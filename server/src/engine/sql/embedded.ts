import ts from 'typescript';
import { CookedText } from './cooked.js';
import { nodesOfKind } from '../syntax/node-index.js';

/** Where SQL lives in TS/JS: `rules/vocabulary/sql-embedding.yaml`. */
export interface SqlEmbedding {
  tags: string[];
  calls: string[];
  keywords: string[];
  comments?: string[];
}

/** One piece of SQL found in a TS/JS file. */
export interface EmbeddedSql {
  /** The outermost expression holding the SQL: literal, template, tagged template or `+` chain. */
  node: ts.Node;
  cooked: CookedText;
  /** How it was recognised: a SQL tag, an argument of a SQL call, or its own shape. */
  reason: 'tag' | 'call' | 'shape';
}

/** What each leading keyword must be followed by for a string to be taken as SQL. */
const SHAPES: Record<string, RegExp> = {
  SELECT: /^select\b[\s\S]*?\bfrom\b/i,
  INSERT: /^insert\s+(?:ignore\s+)?into\b/i,
  UPDATE: /^update\s+[\w."`[\]$]+(?:\s+(?:as\s+)?\w+)?\s+set\b/i,
  DELETE: /^delete\s+(?:from\b|[\w."`[\]]+\s+from\b)/i,
  WITH: /^with\s+(?:recursive\s+)?[\w"`]+\s*(?:\([^)]*\)\s*)?as\s*(?:not\s+)?(?:materialized\s*)?\(/i,
  CREATE:
    /^create\s+(?:or\s+(?:replace|alter)\s+)?(?:(?:global|local|temp|temporary|unlogged|materialized|unique|virtual)\s+)*(?:table|view|index|function|procedure|trigger|schema|extension|type|sequence)\b/i,
  ALTER: /^alter\s+(?:table|view|index|function|schema|sequence)\b/i,
  COPY: /^copy\s+(?:\(|[\w."]+\s+(?:\([^)]*\)\s*)?(?:to|from)\b)/i,
  DROP: /^drop\s+(?:table|view|index|function|schema|sequence|type)\b/i,
  MERGE: /^merge\s+into\b/i,
  REPLACE: /^replace\s+into\b/i,
  TRUNCATE: /^truncate\s+(?:table\s+)?[\w."`]+\s*;?\s*$/i,
  GRANT: /^grant\s+[\w\s,]+\bon\b/i,
  EXPLAIN: /^explain\s+(?:analy[sz]e\s+)?(?:select|insert|update|delete|with)\b/i,
};

/** Characters that only SQL (not prose) puts after a lower-case keyword. */
const SQL_MARKS = /[*=(),;?$]|\b(?:where|join|values|set|into|limit|order by|group by)\b/i;

function leadingWord(text: string): { word: string; rest: string } | undefined {
  const body = text.replace(/^(?:\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/)*/, '');
  const m = /^\(*\s*([A-Za-z]+)\b/.exec(body);
  return m ? { word: m[1]!, rest: body.replace(/^\(+\s*/, '') } : undefined;
}

/** Is `text` SQL? `strong` when its position says so (a SQL call or tag, a `/* sql *\/` comment). */
export function looksLikeSql(text: string, keywords: readonly string[], strong: boolean): boolean {
  const lead = leadingWord(text);
  if (!lead) return false;
  const upper = lead.word.toUpperCase();
  if (!keywords.includes(upper)) return false;
  if (strong) return true;
  const shape = SHAPES[upper];
  if (!shape || !shape.test(lead.rest)) return false;
  if (lead.word === upper) return true;
  if (lead.word === lead.word.toLowerCase()) return SQL_MARKS.test(lead.rest.slice(lead.word.length));
  return false;
}

/** Every SQL string, template and concatenation of a TS/JS file, with its source map. */
export function embeddedSqlOf(source: ts.SourceFile, embedding: SqlEmbedding): EmbeddedSql[] {
  const out: EmbeddedSql[] = [];
  const tags = new Set(embedding.tags);
  const calls = new Set(embedding.calls);
  const keywords = embedding.keywords.map((k) => k.toUpperCase());
  // Only a tag, or a string led by a keyword, is SQL: most files have neither, and skip the walk.
  if (
    !keywordPattern(keywords).test(source.text) &&
    nodesOfKind(source, ts.SyntaxKind.TaggedTemplateExpression).length === 0
  )
    return out;
  const markerComments = (embedding.comments ?? []).map((c) => c.replace(/\s+/g, '').toLowerCase());
  const text = source.text;
  const constStrings = new Map<string, ts.StringLiteral | ts.NoSubstitutionTemplateLiteral>();
  const sqlVariables = new Set<string>();

  // First pass: const string variables (for concatenations) and variables passed to SQL calls.
  for (const node of nodesOfKind(source, ts.SyntaxKind.VariableDeclaration, ts.SyntaxKind.CallExpression)) {
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.initializer &&
      ts.isVariableDeclarationList(node.parent) &&
      node.parent.flags & ts.NodeFlags.Const
    ) {
      const init = node.initializer;
      if (ts.isStringLiteral(init) || ts.isNoSubstitutionTemplateLiteral(init)) constStrings.set(node.name.text, init);
    }
    if (ts.isCallExpression(node) && isSqlCall(node, calls)) {
      const first = node.arguments[0];
      if (first && ts.isIdentifier(first)) sqlVariables.add(first.text);
    }
  }

  const strongPosition = (node: ts.Node): boolean => {
    let n: ts.Node = node;
    while (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent)) n = n.parent;
    const parent = n.parent;
    if (ts.isCallExpression(parent) && parent.arguments[0] === n && isSqlCall(parent, calls)) return true;
    if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) && sqlVariables.has(parent.name.text))
      return true;
    if (ts.isPropertyAssignment(parent) && /^(text|sql|query|statement)$/i.test(parent.name.getText(source)))
      return true;
    const comments = ts.getLeadingCommentRanges(text, n.pos) ?? [];
    return comments.some((c) => markerComments.includes(text.slice(c.pos, c.end).replace(/\s+/g, '').toLowerCase()));
  };

  const visit = (node: ts.Node): void => {
    if (ts.isTaggedTemplateExpression(node)) {
      if (isSqlTag(node.tag, tags, calls, source)) {
        const cooked = cookTemplate(node.template, source);
        if (tagNameOf(node.tag, source) !== 'String.raw' || looksLikeSql(cooked.text, keywords, false)) {
          out.push({ node, cooked, reason: 'tag' });
        }
      }
      if (ts.isTemplateExpression(node.template)) node.template.templateSpans.forEach((s) => visit(s.expression));
      return;
    }
    if (isConcatenation(node) && !isConcatenation(unparen(node.parent))) {
      const cooked = new CookedText();
      if (
        cookConcatenation(node as ts.BinaryExpression, source, constStrings, cooked) &&
        looksLikeSql(cooked.text, keywords, strongPosition(node))
      ) {
        out.push({ node, cooked, reason: strongPosition(node) ? 'call' : 'shape' });
      }
      forEachNonString(node as ts.BinaryExpression, visit);
      return;
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
      if (isConcatenation(unparen(node.parent))) return;
      const cooked = ts.isStringLiteral(node) ? cookString(node, source) : cookTemplate(node, source);
      const strong = strongPosition(node);
      if (looksLikeSql(cooked.text, keywords, strong)) out.push({ node, cooked, reason: strong ? 'call' : 'shape' });
      if (ts.isTemplateExpression(node)) node.templateSpans.forEach((s) => visit(s.expression));
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

const keywordPatterns = new Map<string, RegExp>();

function keywordPattern(keywords: string[]): RegExp {
  const key = keywords.join('|');
  let pattern = keywordPatterns.get(key);
  if (!pattern)
    keywordPatterns.set(
      key,
      (pattern = new RegExp(`\\b(?:${keywords.map((k) => k.replace(/\W/g, '')).join('|')})\\b`, 'i')),
    );
  return pattern;
}

function unparen(node: ts.Node): ts.Node {
  let n = node;
  while (ts.isParenthesizedExpression(n)) n = n.parent;
  return n;
}

function isConcatenation(node: ts.Node | undefined): boolean {
  return (
    !!node &&
    ts.isBinaryExpression(node) &&
    node.operatorToken.kind === ts.SyntaxKind.PlusToken &&
    (hasStringPiece(node.left) || hasStringPiece(node.right))
  );
}

function hasStringPiece(node: ts.Expression): boolean {
  if (ts.isParenthesizedExpression(node)) return hasStringPiece(node.expression);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node))
    return true;
  return (
    ts.isBinaryExpression(node) &&
    node.operatorToken.kind === ts.SyntaxKind.PlusToken &&
    (hasStringPiece(node.left) || hasStringPiece(node.right))
  );
}

/** Visits the sub-expressions of a `+` chain that are not its string pieces. */
function forEachNonString(node: ts.Expression, visit: (n: ts.Node) => void): void {
  if (ts.isParenthesizedExpression(node)) return forEachNonString(node.expression, visit);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    forEachNonString(node.left, visit);
    forEachNonString(node.right, visit);
    return;
  }
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return;
  if (ts.isTemplateExpression(node)) return node.templateSpans.forEach((s) => visit(s.expression));
  visit(node);
}

function cookConcatenation(
  node: ts.Expression,
  source: ts.SourceFile,
  consts: Map<string, ts.StringLiteral | ts.NoSubstitutionTemplateLiteral>,
  cooked: CookedText,
): boolean {
  if (ts.isParenthesizedExpression(node) && hasStringPiece(node.expression))
    return cookConcatenation(node.expression, source, consts, cooked);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return (
      cookConcatenation(node.left, source, consts, cooked) && cookConcatenation(node.right, source, consts, cooked)
    );
  }
  if (ts.isStringLiteral(node)) decodeInto(cooked, source.text, node.getStart(source) + 1, node.end - 1);
  else if (ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node))
    appendTemplate(cooked, node, source);
  else if (ts.isIdentifier(node) && consts.has(node.text)) {
    const literal = consts.get(node.text)!;
    decodeInto(cooked, source.text, literal.getStart(source) + 1, literal.end - 1);
  } else {
    cooked.appendPlaceholder(node.getText(source), node.getStart(source), node.end);
  }
  return true;
}

function cookString(node: ts.StringLiteral, source: ts.SourceFile): CookedText {
  const cooked = new CookedText();
  decodeInto(cooked, source.text, node.getStart(source) + 1, node.end - 1);
  return cooked;
}

function cookTemplate(node: ts.TemplateLiteral, source: ts.SourceFile): CookedText {
  const cooked = new CookedText();
  appendTemplate(cooked, node, source);
  return cooked;
}

/** Appends a template literal: its text decoded, each `${...}` as one placeholder covering `${...}` in the source. */
function appendTemplate(cooked: CookedText, node: ts.TemplateLiteral, source: ts.SourceFile): void {
  const text = source.text;
  if (ts.isNoSubstitutionTemplateLiteral(node)) {
    decodeInto(cooked, text, node.getStart(source) + 1, node.end - 1);
    return;
  }
  const headStart = node.head.getStart(source);
  decodeInto(cooked, text, headStart + 1, node.head.end - 2);
  let holeStart = node.head.end - 2;
  for (const span of node.templateSpans) {
    const literalStart = span.literal.getStart(source);
    cooked.appendPlaceholder(text.slice(holeStart, literalStart + 1), holeStart, literalStart + 1);
    const tail = ts.isTemplateTail(span.literal);
    decodeInto(cooked, text, literalStart + 1, tail ? span.literal.end - 1 : span.literal.end - 2);
    holeStart = span.literal.end - 2;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };

/** Decodes the JS string/template body `text[from..to)` into `cooked`, mapping each character to its source span. */
function decodeInto(cooked: CookedText, text: string, from: number, to: number): void {
  let k = from;
  let runStart = from;
  const flushRun = (end: number) => {
    if (end > runStart) cooked.appendRaw(text.slice(runStart, end), runStart);
  };
  while (k < to) {
    if (text[k] !== '\\') {
      k++;
      continue;
    }
    flushRun(k);
    const next = text[k + 1] ?? '';
    let length = 2;
    let decoded: string;
    if (next in SIMPLE_ESCAPES && !(next === '0' && /[0-9]/.test(text[k + 2] ?? ''))) decoded = SIMPLE_ESCAPES[next]!;
    else if (next === 'x') {
      decoded = String.fromCharCode(parseInt(text.slice(k + 2, k + 4), 16) || 0);
      length = 4;
    } else if (next === 'u' && text[k + 2] === '{') {
      const close = text.indexOf('}', k + 3);
      decoded = String.fromCodePoint(parseInt(text.slice(k + 3, close), 16) || 0);
      length = close - k + 1;
    } else if (next === 'u') {
      decoded = String.fromCharCode(parseInt(text.slice(k + 2, k + 6), 16) || 0);
      length = 6;
    } else if (next === '\r' && text[k + 2] === '\n') {
      decoded = '';
      length = 3;
    } else if (next === '\n' || next === '\r' || next === '\u2028' || next === '\u2029') decoded = '';
    else decoded = next;
    if (decoded) cooked.appendDecoded(decoded, k, k + length);
    k += length;
    runStart = k;
  }
  flushRun(to);
}

function tagNameOf(tag: ts.Expression, source: ts.SourceFile): string {
  let t: ts.Expression = tag;
  if (ts.isCallExpression(t)) t = t.expression; // slonik `sql.type(schema)\`...\``
  return t.getText(source).replace(/\s+/g, '');
}

function isSqlTag(tag: ts.Expression, tags: Set<string>, calls: Set<string>, source: ts.SourceFile): boolean {
  const name = tagNameOf(tag, source);
  if (tags.has(name)) return true;
  const last = name.slice(name.lastIndexOf('.') + 1);
  const first = name.split('.')[0]!;
  return (
    tags.has(last) || calls.has(last) || (tags.has(first) && name.startsWith(first + '.')) || name === 'String.raw'
  );
}

/** A call whose first argument is SQL: `pool.query`, `knex.raw`, `db.any`, `request.query`... */
export function isSqlCall(call: ts.CallExpression, calls: Set<string>): boolean {
  const callee = call.expression;
  const name = ts.isPropertyAccessExpression(callee)
    ? callee.name.text
    : ts.isIdentifier(callee)
      ? callee.text
      : undefined;
  return name !== undefined && calls.has(name);
}
