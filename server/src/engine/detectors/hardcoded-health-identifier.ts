import ts from 'typescript';
import type { Detector, DetectorContext } from '../detector.js';
import {
  adjacentWords, assessCandidate, contextVocabulary, identifierCandidates, judgeContext, maskIdentifier, SCHEME_LABELS,
  sqlColumnOf, sqlTokens, tsContextNames, type Candidate, type IdentifierMatch, type SqlToken,
} from '../identifiers/index.js';
import { suppressionFix } from '../sinks/fixes.js';
import { nodesOfKind } from '../syntax-index.js';

const RULE = 'hardcoded-health-identifier';

/**
 * Literals that are valid national health identifiers (checksum verified) in TS/JS, SQL files
 * and SQL embedded in strings. The value is never printed: messages and data carry it masked.
 */
export const hardcodedHealthIdentifier: Detector = {
  ruleId: RULE,
  languages: ['typescript', 'javascript', 'sql'],
  check(ctx) {
    if (ctx.file.language === 'sql') scanSql(ctx, ctx.file.text, 0, []);
    else if (ctx.file.ts) scanTs(ctx, ctx.file.ts);
  },
};

function scanTs(ctx: DetectorContext, source: ts.SourceFile): void {
  const K = ts.SyntaxKind;
  for (const node of nodesOfKind(source, K.StringLiteral, K.NoSubstitutionTemplateLiteral, K.TemplateHead, K.TemplateMiddle, K.TemplateTail, K.NumericLiteral, K.BigIntLiteral)) {
    ctx.tick();
    if (ts.isNumericLiteral(node) || ts.isBigIntLiteral(node)) {
      scanLiteralText(ctx, node.getStart(source), node.end, node, true);
    } else {
      const start = node.getStart(source);
      const end = node.end - (ts.isTemplateHead(node) || ts.isTemplateMiddle(node) ? 2 : 1);
      scanLiteralText(ctx, start + 1, end, node, false);
    }
  }
}

/** One TS literal's text: plain candidates, and SQL string literals inside it with their column. */
function scanLiteralText(ctx: DetectorContext, start: number, end: number, node: ts.Node, numeric: boolean): void {
  const raw = ctx.file.text.slice(start, end);
  if (!/\d{3}/.test(raw)) return;
  const names = tsContextNames(node);
  if (!numeric && /\b(VALUES|SET|WHERE|INSERT|UPDATE)\b/i.test(raw) && raw.includes("'")) {
    scanSql(ctx, raw.replace(/\\'/g, " '"), start, names);
    return;
  }
  for (const c of identifierCandidates(raw)) {
    if (oidSaysTest(ctx, node)) return;
    const context = closestContext(raw, c, names, ctx);
    const match = assessCandidate(c, { ...context, numeric });
    if (match) report(ctx, { start: start + c.start, end: start + c.end }, c.raw, match, names);
  }
}

/** SQL text (a .sql file, or a string's text at `base`): string and number literals, with their column. */
function scanSql(ctx: DetectorContext, text: string, base: number, outerNames: string[]): void {
  const tokens = sqlTokens(text);
  tokens.forEach((token, index) => {
    if (token.kind !== 'string' && token.kind !== 'number') return;
    const inner = token.kind === 'string' ? token.start + 1 : token.start;
    const candidates = identifierCandidates(token.text);
    if (candidates.length === 0) return;
    const column = sqlColumnOf(tokens, index);
    // `SET value = '...' WHERE key = 'next_order_number'`: a generic column is named by the row's key.
    const names = column ? [column, ...(GENERIC_COLUMNS.test(column) ? statementWords(tokens, index) : [])] : outerNames;
    for (const c of candidates) {
      const context = closestContext(token.text, c, names, ctx);
      const match = assessCandidate(c, { ...context, numeric: token.kind === 'number' });
      if (match) report(ctx, { start: base + inner + c.start, end: base + inner + c.end }, c.raw, match, names);
    }
  });
}

const GENERIC_COLUMNS = /^(value|val|valeur|wert|valor|valore|data|content|setting_value|param_value)$/i;

/** Words written next to the value in its own string decide first; else the names it is bound to. */
function closestContext(text: string, c: Candidate, names: string[], ctx: DetectorContext): ReturnType<typeof judgeContext> {
  const near = judgeContext(adjacentWords(text, c.start, c.end), ctx.config);
  return near.positive || near.negative ? { ...near, names } : judgeContext(names, ctx.config);
}

/** The other string literals of the SQL statement around `index` (a key/value row's key). */
function statementWords(tokens: readonly SqlToken[], index: number): string[] {
  const words: string[] = [];
  for (const step of [-1, 1]) {
    for (let i = index + step; i >= 0 && i < tokens.length && tokens[i]!.text !== ';'; i += step) {
      const t = tokens[i]!;
      if (t.kind === 'string' && /[A-Za-z]{2}/.test(t.text)) words.push(t.text.replace(/^'|'$/g, ''));
    }
  }
  return words;
}

/** A value declared next to the INS test or demo OID is a declared test identity. */
function oidSaysTest(ctx: DetectorContext, node: ts.Node): boolean {
  const container = enclosingObject(node);
  const text = container ? container.getText() : ctx.file.lines.lineText(ctx.file.lines.position(node.pos).line);
  return contextVocabulary(ctx.config).testOids.some((oid) => text.includes(oid));
}

function enclosingObject(node: ts.Node): ts.Node | undefined {
  for (let n: ts.Node | undefined = node.parent, depth = 0; n && depth < 4; n = n.parent, depth++) {
    if (ts.isObjectLiteralExpression(n) || ts.isArrayLiteralExpression(n)) return n;
  }
  return undefined;
}

function report(ctx: DetectorContext, range: { start: number; end: number }, raw: string, match: IdentifierMatch, names: string[]): void {
  const masked = maskIdentifier(raw);
  const label = SCHEME_LABELS[match.scheme];
  const where = names.length > 0 ? ` in \`${names[0]}\`` : '';
  ctx.report({
    range,
    message: `Hard-coded ${label} ${masked}${where}: the value passes the identifier's checks, so it may be a real person's. Use synthetic test data (a wrong key, or the INS test OID).`,
    severity: match.confidence === 'low' ? 'warning' : undefined,
    data: { scheme: match.scheme, masked, confidence: match.confidence },
    fixes: [suppressionFix(ctx.file, range, RULE)],
  });
}
