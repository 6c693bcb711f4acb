import ts from 'typescript';
import { ruleSeverity, type EngineConfig } from './config.js';
import type { FileView } from './detector.js';
import { LineIndex } from './text.js';
import { lineEndingOf } from './fixes.js';
import { formatMessage } from './messages.js';
import type { Finding, Fix, Range, Suppression } from './types.js';

interface SuppressionDirective {
  kind: 'disable-next-line' | 'disable-line' | 'disable' | 'enable';
  /** Rule ids; empty = every rule. */
  rules: string[];
  justification?: string;
  until?: string;
  basis?: string;
  /** 0-based line of the comment. */
  line: number;
  /** The comment, from its opening `//`, `--`, `/*` or `#`. */
  start: number;
  end: number;
}

/** The rule that reports the suppression comments themselves (no reason, expired, unused, unknown rule). */
export const SUPPRESSION_RULE = 'suppression-comment';

/** What the tool writes where a person must give the reason: it is not one. */
export const JUSTIFICATION_PLACEHOLDER = 'TODO: justify';

/**
 * A justification that only holds a placeholder: the tool's own (`TODO: justify`, `reason: explain
 * why...`, `public by design: say why`) or an empty word (`justification`, `reason`, `why`, `...`).
 */
export function isPlaceholderJustification(text: string): boolean {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/[.…!]+$/, '');
  return (
    /^(todo|fixme|tbd|xxx)\b/.test(t) ||
    /\b(explain why|say why)\b/.test(t) ||
    /^(justification|justify|reason|why|because|\.\.\.|-|n\/a)?$/.test(t)
  );
}

/** What a suppression fix says besides its rule: the action's title and the justification a person replaces. */
export interface SuppressionFixText {
  title?: string;
  justification?: string;
}

/**
 * The one builder of suppression fixes, for the rules, the CLI and the editor:
 * `// gdpr-lint-disable-next-line RULE -- justification` above the line holding `offset`, with that
 * line's indentation and the file's line ending. The comment is `--` in SQL and where the line starts
 * inside a string (SQL embedded in a multi-line template, which a `//` line would corrupt), `//`
 * elsewhere (Prisma included).
 */
export function suppressionFix(file: FileView, offset: number, ruleId: string, text: SuppressionFixText = {}): Fix {
  const line = file.lines.position(offset).line;
  const start = file.lines.lineStart(line);
  const indent = /^[ \t]*/.exec(file.lines.lineText(line))![0];
  const justification = text.justification ?? JUSTIFICATION_PLACEHOLDER;
  return {
    title: text.title ?? `Suppress ${ruleId} on this line (with a justification)`,
    edits: [
      {
        start,
        end: start,
        newText: `${indent}${suppressionMarker(file, start)} gdpr-lint-disable-next-line ${ruleId} -- ${justification}${lineEndingAt(file.text, start)}`,
      },
    ],
  };
}

/**
 * `/* gdpr-lint-disable RULE -- justification *\/` for the whole file, on its first line (after a
 * shebang, which must stay first); `//` in Prisma, which has no block comments.
 */
export function fileSuppressionFix(file: FileView, ruleId: string, text: SuppressionFixText = {}): Fix {
  const start = file.text.startsWith('#!') ? file.lines.lineStart(1) : 0;
  const [open, close] = file.language === 'prisma' ? ['//', ''] : ['/*', ' */'];
  return {
    title: text.title ?? `Disable ${ruleId} for this file (with a justification)`,
    edits: [
      {
        start,
        end: start,
        newText: `${open} gdpr-lint-disable ${ruleId} -- ${text.justification ?? JUSTIFICATION_PLACEHOLDER}${close}${lineEndingAt(file.text, start)}`,
      },
    ],
  };
}

/** Whether a fix only adds a suppression comment (an editor offers its own, with a snippet for the justification). */
export function isSuppressionFix(fix: Fix): boolean {
  return (
    fix.edits.length > 0 &&
    fix.edits.every(
      (e) =>
        e.start === e.end && parseSuppressions(e.newText).length > 0 && e.newText.trim().split(/\r?\n/).length === 1,
    )
  );
}

/** The comment that starts a suppression at `offset`: `--` in SQL and inside a string, `//` elsewhere. */
function suppressionMarker(file: FileView, offset: number): '--' | '//' {
  if (file.language === 'sql') return '--';
  return file.ts && insideString(file.ts, offset) ? '--' : '//';
}

function insideString(source: ts.SourceFile, offset: number): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || offset < node.pos || offset >= node.end) return;
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      found = offset > node.getStart(source);
      return;
    }
    // A file or block of 40,000 statements: the one holding the offset, found by bisection, not each in turn.
    if (ts.isSourceFile(node) || ts.isBlock(node) || ts.isModuleBlock(node)) {
      const statement = statementAt(node.statements, offset);
      if (statement) visit(statement);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The last statement starting at or before `offset` (statements are in document order). */
function statementAt(statements: ts.NodeArray<ts.Statement>, offset: number): ts.Statement | undefined {
  let low = 0;
  let high = statements.length - 1;
  let found: ts.Statement | undefined;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (statements[mid]!.pos <= offset) {
      found = statements[mid];
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}

/** The line ending of the line at `lineStart` (of the file, for a last line without one): never a scan of the whole file per finding. */
function lineEndingAt(text: string, lineStart: number): '\n' | '\r\n' {
  const end = text.indexOf('\n', lineStart);
  if (end >= 0) return text[end - 1] === '\r' ? '\r\n' : '\n';
  return lineEndingOf(text);
}

const DIRECTIVE = /(?:\/\/|--|\/\*|#)\s*gdpr-lint-(disable-next-line|disable-line|disable|enable)\b([^\n\r]*)/g;

/**
 * Reads suppression comments: `// gdpr-lint-disable-next-line RULE -- reason`, `-- ...` in SQL,
 * `//` in Prisma, `/* gdpr-lint-disable RULE *\/ ... /* gdpr-lint-enable RULE *\/` blocks, with
 * `until=YYYY-MM-DD` and `basis="Art. 9(2)(h)"` anywhere in the comment. With `comments`
 * (the comment ranges of a TS/JS file) a directive inside a string literal is not one.
 */
export function parseSuppressions(
  text: string,
  lines = new LineIndex(text),
  comments?: Range[],
): SuppressionDirective[] {
  const directives: SuppressionDirective[] = [];
  for (const match of text.matchAll(DIRECTIVE)) {
    const start = match.index ?? 0;
    if (comments && !comments.some((c) => c.start <= start && start < c.end)) continue;
    let rest = (match[2] ?? '').replace(/\*\/.*$/, '');
    let until: string | undefined;
    let basis: string | undefined;
    rest = rest.replace(/\buntil=(\S+)/, (_m, d: string) => ((until = d), ''));
    rest = rest.replace(/\bbasis=("[^"]*"|\S+)/, (_m, b: string) => ((basis = b.replace(/^"|"$/g, '')), ''));
    let justification: string | undefined;
    const dash = rest.indexOf('--');
    if (dash >= 0) {
      justification = rest.slice(dash + 2).trim() || undefined;
      rest = rest.slice(0, dash);
    }
    const rules = rest.split(/[\s,]+/).filter((r) => /^[a-z0-9][a-z0-9-]*$/.test(r));
    const raw = match[0].replace(/\s*\*\/.*$/, '').trimEnd();
    directives.push({
      kind: match[1] as SuppressionDirective['kind'],
      rules,
      justification,
      until,
      basis,
      line: lines.position(start).line,
      start,
      end: start + raw.length,
    });
  }
  return directives;
}

/** The directives of a file as the engine uses them (comments only, in TS/JS). */
export function directivesOf(view: FileView): SuppressionDirective[] {
  if (!view.text.includes('gdpr-lint-')) return [];
  return parseSuppressions(view.text, view.lines, view.ts ? commentRanges(view.ts) : undefined);
}

/** `until=` is a valid date before `today`. */
export function isExpired(directive: SuppressionDirective, today: string): boolean {
  return directive.until !== undefined && isDate(directive.until) && directive.until < today;
}

export function isDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

export function todayOf(config: EngineConfig): string {
  return config.suppressions?.today ?? new Date().toISOString().slice(0, 10);
}

/** The directive that covers a finding, if any. Expired directives cover nothing. */
function directiveFor(
  finding: Finding,
  directives: SuppressionDirective[],
  lines: LineIndex,
  today?: string,
): SuppressionDirective | undefined {
  const line = lines.position(finding.range.start).line;
  const applies = (d: SuppressionDirective) =>
    (d.rules.length === 0 ? finding.ruleId !== SUPPRESSION_RULE : d.rules.includes(finding.ruleId)) &&
    !(today && isExpired(d, today));
  const index = directiveIndex(directives, lines);
  for (const d of index.byLine.get(line) ?? []) {
    if (applies(d)) return d;
  }
  // The last block directive before the finding that concerns its rule decides: a `disable` that
  // applies opens, an `enable` of the rule closes. Found backwards from the finding, not from the top.
  for (let i = blocksBefore(index.blocks, finding.range.start) - 1; i >= 0; i--) {
    const d = index.blocks[i]!;
    if (d.kind === 'disable' && applies(d)) return d;
    if (d.kind === 'enable' && (d.rules.length === 0 || d.rules.includes(finding.ruleId))) return undefined;
  }
  return undefined;
}

interface DirectiveIndex {
  lines: LineIndex;
  /** Line directives by the line they cover, in the order written. */
  byLine: Map<number, SuppressionDirective[]>;
  /** Block directives (`disable` / `enable`), in the order written. */
  blocks: SuppressionDirective[];
}

/** Per list of directives: built once, so a file of 6,000 findings and 6,000 comments is not 36 million comparisons. */
const indexes = new WeakMap<SuppressionDirective[], DirectiveIndex>();

function directiveIndex(directives: SuppressionDirective[], lines: LineIndex): DirectiveIndex {
  const known = indexes.get(directives);
  if (known && known.lines === lines) return known;
  const index: DirectiveIndex = { lines, byLine: new Map(), blocks: [] };
  for (const d of directives) {
    const covered =
      d.kind === 'disable-next-line' ? nextCodeLine(d.line, lines) : d.kind === 'disable-line' ? d.line : undefined;
    if (covered === undefined) {
      if (d.kind === 'disable' || d.kind === 'enable') index.blocks.push(d);
      continue;
    }
    const list = index.byLine.get(covered);
    if (list) list.push(d);
    else index.byLine.set(covered, [d]);
  }
  indexes.set(directives, index);
  return index;
}

/** How many block directives start at or before `offset` (they are in document order). */
function blocksBefore(blocks: SuppressionDirective[], offset: number): number {
  let low = 0;
  let high = blocks.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (blocks[mid]!.start <= offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

function toSuppression(d: SuppressionDirective): Suppression {
  return { kind: 'inline', justification: d.justification, until: d.until, basis: d.basis };
}

/**
 * Marks the findings of one file that a suppression comment covers (they stay in the output,
 * marked, with their justification) and, when the config asks for it, returns findings for the
 * suppression comments that suppressed nothing.
 */
export function applySuppressions(
  findings: Finding[],
  view: FileView,
  config: EngineConfig,
  ran: (ruleId: string) => boolean = () => true,
): Finding[] {
  const directives = directivesOf(view);
  if (directives.length === 0) return [];
  const today = todayOf(config);
  const used = new Set<SuppressionDirective>();
  for (const finding of findings) {
    const d = directiveFor(finding, directives, view.lines, today);
    if (!d) continue;
    finding.suppressed = toSuppression(d);
    used.add(d);
  }
  const severity = ruleSeverity(config, SUPPRESSION_RULE);
  if (!config.suppressions?.reportUnused || severity === 'off') return [];
  // A rule that did not run on this file (off, or not for its role) cannot make a suppression unused.
  const enabled = (id: string) => ruleSeverity(config, id) !== 'off' && ran(id);
  return directives
    .filter((d) => d.kind !== 'enable' && !used.has(d) && !isExpired(d, today) && d.rules.every(enabled))
    .map((d) => ({
      ruleId: SUPPRESSION_RULE,
      severity,
      message: formatMessage(config.pack, SUPPRESSION_RULE, 'unused', {
        rules: d.rules.length > 0 ? d.rules.join(', ') : 'gdpr-lint',
      }),
      file: view.path,
      range: { start: d.start, end: d.end },
      data: { reason: 'unused' },
      fixes: [
        { title: 'Remove the unused suppression comment', edits: [removal(view, d)], isPreferred: true, safe: true },
      ],
    }));
}

/** The edit that deletes a directive: its whole line when the line holds nothing else. */
function removal(view: FileView, d: SuppressionDirective): { start: number; end: number; newText: string } {
  const lineStart = view.lines.lineStart(d.line);
  const lineEnd = view.lines.lineEnd(d.line);
  const commentEnd = view.text.indexOf('*/', d.end);
  const end = d.kind === 'disable' && commentEnd >= 0 && commentEnd < lineEnd ? commentEnd + 2 : lineEnd;
  const before = view.text.slice(lineStart, d.start);
  const after = view.text.slice(end, lineEnd);
  if (before.trim() === '' && after.trim() === '') {
    const next = d.line + 1 < view.lines.lineCount ? view.lines.lineStart(d.line + 1) : lineEnd;
    return { start: lineStart, end: next, newText: '' };
  }
  return { start: d.start - (before.length - before.trimEnd().length), end, newText: '' };
}

/** Comment ranges of a TS/JS parse, so that directives in strings are ignored. */
function commentRanges(sourceFile: ts.SourceFile): Range[] {
  const text = sourceFile.text;
  const seen = new Set<number>();
  const ranges: Range[] = [];
  const add = (list: ts.CommentRange[] | undefined) => {
    for (const c of list ?? []) {
      if (seen.has(c.pos)) continue;
      seen.add(c.pos);
      ranges.push({ start: c.pos, end: c.end });
    }
  };
  const visit = (node: ts.Node) => {
    add(ts.getLeadingCommentRanges(text, node.pos));
    add(ts.getTrailingCommentRanges(text, node.end));
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    )
      sqlComments(node);
    ts.forEachChild(node, visit);
  };
  // SQL held in a string carries its own `--` comments: a suppression there is one (the fixes write it so).
  const sqlComments = (node: ts.Node) => {
    const start = node.getStart(sourceFile);
    const literal = text.slice(start, node.end);
    let at = literal.indexOf('--');
    while (at >= 0) {
      const eol = literal.slice(at).search(/\r?\n/);
      const end = eol < 0 ? literal.length : at + eol;
      ranges.push({ start: start + at, end: start + end });
      at = literal.indexOf('--', end);
    }
  };
  visit(sourceFile);
  add(ts.getLeadingCommentRanges(text, sourceFile.endOfFileToken.pos));
  return ranges;
}

/** The line a `disable-next-line` comment applies to: the next line that is not blank or a comment. */
function nextCodeLine(line: number, lines: LineIndex): number {
  let next = line + 1;
  while (next < lines.lineCount) {
    const text = lines.lineText(next).trim();
    if (text !== '' && !/^(\/\/|--|#|\/\*|\*)/.test(text)) break;
    next++;
  }
  return next;
}
