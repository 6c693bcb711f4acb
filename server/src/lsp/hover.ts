import ts from 'typescript';
import { MarkupKind, type Hover } from 'vscode-languageserver';
import {
  classifierFor,
  explainStorageAt,
  LineIndex,
  safeText,
  type EngineConfig,
  type FileView,
  type Finding,
  type Language,
  type ProjectFacts,
} from '../engine/index.js';
import type { FileAnalysis } from './analyzer.js';
import { toRange } from './convert.js';
import { howToFix } from './rule-docs.js';

interface HoverContext {
  config: EngineConfig;
  language: Language;
  /** The document's current text. */
  text: string;
  offset: number;
  /** The analysis of this very text, if there is one. */
  analysis: FileAnalysis | undefined;
  /** The engine's view (parse) of this very text, if there is one. */
  view: FileView | undefined;
  /** The project's facts, to say whom a table's rows are about and where a column is decided. */
  facts?: ProjectFacts;
  /** The document's workspace path. */
  path?: string;
}

const WORD = /[\p{L}_$][\p{L}\p{N}_$]*/gu;

/** Hover on a flagged range (the finding explained) and on any classified name (its category and why). */
export function hover(context: HoverContext): Hover | undefined {
  const lines = new LineIndex(context.text);
  const parts: string[] = [];
  let range: { start: number; end: number } | undefined;
  const findings = (context.analysis?.findings ?? []).filter(
    (f) => f.range.start <= context.offset && context.offset <= f.range.end,
  );
  for (const finding of findings) {
    parts.push(explainFinding(finding, context.config));
    range ??= finding.range;
  }
  const word = wordAt(context);
  if (word) {
    const classification = classifierFor(context.config).classify(word.text);
    if (classification) {
      const kind = classification.special
        ? classification.category === 'health-identifier'
          ? 'national health identifier (GDPR Art. 9, 87)'
          : 'special category of personal data (GDPR Art. 9)'
        : 'personal data (GDPR Art. 4(1))';
      parts.push(`**\`${word.text}\`**: ${classification.category}, ${kind}\n\nWhy: ${classification.why}`);
      range ??= word;
    }
    // On a declared table or column: whom its rows are about, and whether it is where the storage is decided now.
    const storage =
      context.facts && context.path && context.view?.text === context.text
        ? explainStorageAt(context.facts, context.path, word.start)
        : undefined;
    if (storage) {
      const lines = [`Rows of \`${storage.table}\`: ${storage.link}.`];
      if (storage.notCurrent) lines.push(`Not where this column is decided now: ${storage.notCurrent}.`);
      parts.push(lines.join('\n\n'));
      range ??= word;
    }
  }
  if (parts.length === 0 || !range) return undefined;
  return {
    contents: { kind: MarkupKind.Markdown, value: parts.map(safeHoverPart).join('\n\n---\n\n') },
    range: toRange(lines, range),
  };
}

function explainFinding(finding: Finding, config: EngineConfig): string {
  const meta = config.pack.rules[finding.ruleId];
  const out = [`**${meta?.title ?? finding.ruleId}** \`${finding.ruleId}\` (${finding.severity})`, finding.message];
  if (meta?.gdpr?.length) out.push(`GDPR: ${meta.gdpr.join(', ')}`);
  const fix = howToFix(finding.ruleId);
  if (fix) out.push(`How to fix:\n\n${fix}`);
  else if (finding.fixes?.length) out.push(`How to fix: ${finding.fixes.map((f) => f.title).join('; ')}`);
  else if (meta?.description) out.push(meta.description);
  if (meta?.docs) out.push(`[Rule documentation](${meta.docs})`);
  return out.join('\n\n');
}

/** The name under the cursor: an identifier of the TS parse, or a word in SQL, Prisma, and strings. */
function wordAt(context: HoverContext): { text: string; start: number; end: number } | undefined {
  const { text, offset } = context;
  if (
    (context.language === 'typescript' || context.language === 'javascript') &&
    context.view?.ts &&
    context.view.text === text
  ) {
    const node = deepestAt(context.view.ts, offset);
    if (!node) return undefined;
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) {
      const start = node.getStart(context.view.ts);
      return { text: node.text.replace(/^#/, ''), start, end: node.end };
    }
    if (!ts.isStringLiteralLike(node) && !ts.isTemplateLiteralToken(node)) return undefined;
  }
  return regexWordAt(text, offset);
}

function regexWordAt(text: string, offset: number): { text: string; start: number; end: number } | undefined {
  const from = Math.max(0, offset - 200);
  const window = text.slice(from, offset + 200);
  for (const match of window.matchAll(WORD)) {
    const start = from + match.index;
    const end = start + match[0].length;
    if (start <= offset && offset <= end) return { text: match[0], start, end };
    if (start > offset) break;
  }
  return undefined;
}

function deepestAt(source: ts.SourceFile, offset: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (offset < node.getStart(source) || offset > node.end) return;
    found = node;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(source, visit);
  return found;
}

/** A hover part with identifiers masked and control characters escaped, line by line (markdown keeps its line breaks). */
function safeHoverPart(part: string): string {
  return part.split('\n').map(safeText).join('\n');
}
