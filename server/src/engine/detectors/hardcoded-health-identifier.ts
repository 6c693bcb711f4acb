import ts from 'typescript';
import { listOption } from '../config.js';
import type { Detector, DetectorContext } from '../detector.js';
import {
  adjacentWords,
  ALL_SCHEMES,
  assessCandidate,
  contextVocabulary,
  embeddedIn,
  identifierCandidates,
  judgeContext,
  maskIdentifier,
  SCHEME_LABELS,
  sqlColumnOf,
  sqlTokens,
  surroundingWords,
  tsContextNames,
  type Candidate,
  type IdentifierMatch,
  type IdentifierScheme,
  type SqlToken,
} from '../identifiers/index.js';

import { suppressionFix } from '../suppressions.js';
import { nodesOfKind } from '../syntax/node-index.js';

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

/** The schemes this run looks for: the rule's `schemes` option (a team adds `us-ssn` there; its default is in the rule's YAML). */
function enabledSchemes(ctx: DetectorContext): ReadonlySet<IdentifierScheme> {
  const listed = listOption(ctx.options, 'schemes');
  return new Set(ALL_SCHEMES.filter((s) => listed.includes(s)));
}

function scanTs(ctx: DetectorContext, source: ts.SourceFile): void {
  const K = ts.SyntaxKind;
  for (const node of nodesOfKind(
    source,
    K.StringLiteral,
    K.NoSubstitutionTemplateLiteral,
    K.TemplateHead,
    K.TemplateMiddle,
    K.TemplateTail,
    K.NumericLiteral,
    K.BigIntLiteral,
  )) {
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
  const around = surroundingWords(node, ctx.config);
  const names = [...(around.member ? [around.member] : []), ...tsContextNames(node), ...around.names];
  if (!numeric && /\b(VALUES|SET|WHERE|INSERT|UPDATE)\b/i.test(raw) && raw.includes("'")) {
    if (!oidSaysTest(ctx, node, raw)) scanSql(ctx, raw.replace(/\\'/g, " '"), start, names);
    return;
  }
  const schemes = enabledSchemes(ctx);
  // What does not depend on the candidate is judged once per literal, not once per candidate (a 2 MB template holds 40,000).
  const hl7 = raw.includes('MSH');
  let testOid: boolean | undefined;
  let fromComments: ReturnType<typeof judgeContext>['positive'] | undefined;
  for (const c of identifierCandidates(raw)) {
    ctx.tick();
    if (embeddedIn(raw, c) || (hl7 && hl7TestMessage(raw, c.start))) continue;
    if ((testOid ??= oidSaysTest(ctx, node, raw))) return;
    const context = closestContext(raw, c, names, ctx);
    fromComments ??= judgeContext(around.comments, ctx.config).positive;
    const positive = new Set([...context.positive, ...fromComments]);
    const match = assessCandidate(c, { ...context, positive, numeric }, { schemes });
    if (match) report(ctx, { start: start + c.start, end: start + c.end }, c.raw, match, context.names);
  }
}

/** SQL text (a .sql file, or a string's text at `base`): string and number literals, with their column. */
function scanSql(ctx: DetectorContext, text: string, base: number, outerNames: string[]): void {
  const tokens = sqlTokens(text);
  const schemes = enabledSchemes(ctx);
  const testOids = contextVocabulary(ctx.config).testOids;
  tokens.forEach((token, index) => {
    if (token.kind !== 'string' && token.kind !== 'number') return;
    const inner = token.kind === 'string' ? token.start + 1 : token.start;
    const candidates = identifierCandidates(token.text);
    if (candidates.length === 0) return;
    // A row declared with the INS test or demo OID is a test identity, wherever the OID stands in it.
    if (statementTokens(tokens, index).some((t) => t.kind === 'string' && testOids.some((oid) => t.text.includes(oid))))
      return;
    const column = sqlColumnOf(tokens, index);
    // `SET value = '...' WHERE key = 'next_order_number'`: a generic column is named by the row's key.
    const names = column
      ? [column, ...(GENERIC_COLUMNS.test(column) ? statementWords(tokens, index) : [])]
      : outerNames;
    for (const c of candidates) {
      ctx.tick();
      if (embeddedIn(token.text, c) || hl7TestMessage(token.text, c.start)) continue;
      const context = closestContext(token.text, c, names, ctx);
      const match = assessCandidate(c, { ...context, numeric: token.kind === 'number' }, { schemes });
      if (match) report(ctx, { start: base + inner + c.start, end: base + inner + c.end }, c.raw, match, context.names);
    }
  });
}

/** The tokens of the SQL statement around `index` (up to the semicolons). */
function statementTokens(tokens: readonly SqlToken[], index: number): SqlToken[] {
  let from = index;
  while (from > 0 && tokens[from - 1]!.text !== ';') from--;
  let to = index;
  while (to < tokens.length - 1 && tokens[to + 1]!.text !== ';') to++;
  return tokens.slice(from, to + 1);
}

/**
 * An HL7 v2 message whose processing id (MSH-11) is `T` (training) or `D` (debugging) declares
 * its patients as test data: simulators and interface tests write them; production sends `P`.
 */
function hl7TestMessage(text: string, at: number): boolean {
  const msh = text.lastIndexOf('MSH', at);
  if (msh < 0) return false;
  const separator = text[msh + 3];
  if (!separator || /[A-Za-z0-9\s]/.test(separator)) return false;
  const end = text.slice(msh).search(/[\r\n]/);
  const fields = text.slice(msh, end < 0 ? undefined : msh + end).split(separator);
  const processing = fields[10]?.split(/[\^&]/)[0]?.trim();
  return processing === 'T' || processing === 'D';
}

const GENERIC_COLUMNS = /^(value|val|valeur|wert|valor|valore|data|content|setting_value|param_value)$/i;

/** Words written next to the value in its own string decide first; else the names it is bound to. */
function closestContext(
  text: string,
  c: Candidate,
  names: string[],
  ctx: DetectorContext,
): ReturnType<typeof judgeContext> {
  const near = judgeContext(adjacentWords(text, c.start, c.end), ctx.config);
  return near.positive.size > 0 || near.negative ? { ...near, names } : judgeContext(names, ctx.config);
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

/**
 * A value declared with the INS test or demo OID is a declared test identity, wherever the OID
 * stands: in the same string (an HL7 CX field), anywhere in the object or array literal the value
 * belongs to (before or after it, in a sibling `system`, in a parent identifier), on the same
 * line, or in a constant the literal's object names (`system: INS_TEST_OID`).
 */
function oidSaysTest(ctx: DetectorContext, node: ts.Node, raw: string): boolean {
  const oids = contextVocabulary(ctx.config).testOids;
  const holds = (text: string) => oids.some((oid) => text.includes(oid));
  if (holds(raw)) return true;
  const container = outermostLiteral(node);
  const text = container ? container.getText() : ctx.file.lines.lineText(ctx.file.lines.position(node.getStart()).line);
  if (holds(text)) return true;
  if (!container) return false;
  const constants = testOidConstants(ctx, holds);
  if (constants.size === 0) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && constants.has(n.text)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(container);
  return found;
}

/** The outermost object or array literal around a value, within its statement. */
function outermostLiteral(node: ts.Node): ts.Node | undefined {
  let found: ts.Node | undefined;
  for (let n: ts.Node | undefined = node.parent; n && !ts.isStatement(n) && !ts.isSourceFile(n); n = n.parent) {
    if (ts.isObjectLiteralExpression(n) || ts.isArrayLiteralExpression(n)) found = n;
    if (ts.isFunctionLike(n)) break;
  }
  return found;
}

/** The names of the file's constants whose value is (or holds) a test OID. */
function testOidConstants(ctx: DetectorContext, holds: (text: string) => boolean): Set<string> {
  return ctx.project.memo(ctx.file.path, 'identifiers:test-oid-constants', () => {
    const names = new Set<string>();
    if (!ctx.file.ts || !holds(ctx.file.text)) return names;
    for (const d of nodesOfKind(ctx.file.ts, ts.SyntaxKind.VariableDeclaration)) {
      if (
        ts.isVariableDeclaration(d) &&
        ts.isIdentifier(d.name) &&
        d.initializer &&
        ts.isStringLiteralLike(d.initializer) &&
        holds(d.initializer.text)
      )
        names.add(d.name.text);
    }
    return names;
  });
}

function report(
  ctx: DetectorContext,
  range: { start: number; end: number },
  raw: string,
  match: IdentifierMatch,
  names: string[],
): void {
  const masked = maskIdentifier(raw);
  const label = SCHEME_LABELS[match.scheme];
  // The name that says what the value is (`identityNumber` rather than the decorator's `example`), else the closest one.
  const naming =
    names.find((n) => judgeContext([n], ctx.config).positive.size > 0 && /^[\w$.-]+$/.test(n)) ??
    names.find((n) => /^[\w$.-]+$/.test(n));
  const production = ctx.file.role === 'production';
  ctx.report({
    range,
    // Production code keeps real identifiers out; test and example data are made synthetic.
    messageId: naming ? (production ? 'in-code-named' : 'in-test-data-named') : production ? 'in-code' : 'in-test-data',
    args: { scheme: label, masked, name: naming ?? '', synthetic: syntheticOf(match.scheme) },
    severity: match.confidence === 'low' ? 'warning' : undefined,
    data: { scheme: match.scheme, masked, confidence: match.confidence },
    fixes: [suppressionFix(ctx.file, range.start, RULE)],
  });
}

/** How test data of a scheme is made synthetic. */
function syntheticOf(scheme: IdentifierScheme): string {
  return scheme === 'nir' || scheme === 'nia'
    ? 'a wrong key, or the INS test OID'
    : scheme === 'nhs'
      ? 'a number of the NHS 999 test range, or a check digit of 10'
      : 'a value whose layout is never issued';
}
