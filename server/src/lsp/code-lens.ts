import type { CodeLens } from 'vscode-languageserver';
import { classifierFor, safeText, type LineIndex, type Project } from '../engine/index.js';
import { toRange } from './convert.js';
import { routeLenses } from './routes.js';

/**
 * Lenses above every route (`🔒 requireLabUser` / `🔓 public: no authentication`) and above every
 * sensitive field or column of the schema (`🔐 encrypted` / `⚠ plaintext health data`).
 * Display only: the command is empty.
 */
export function codeLenses(project: Project, path: string, lines: LineIndex): CodeLens[] {
  const lenses: CodeLens[] = [];
  // Titles quote route paths and protections written in the code: masked and escaped like every emitted text.
  const label = (start: number, end: number, title: string): CodeLens => ({
    range: toRange(lines, { start, end }),
    command: { title: safeText(title), command: '' },
  });
  for (const route of routeLenses(project, path)) lenses.push(label(route.range.start, route.range.end, route.title));
  const classifier = classifierFor(project.config);
  for (const table of project.facts.schema.tables()) {
    if (table.file !== path) continue;
    for (const column of table.columns) {
      if (column.file !== path) continue;
      const classification = classifier.classify(column.name, { kind: 'column', container: table.name });
      if (!classification?.special) continue;
      const title = column.protection
        ? `🔐 encrypted (${column.protection})`
        : classification.category === 'health-identifier'
          ? '⚠ plaintext health identifier'
          : '⚠ plaintext health data';
      lenses.push(label(column.range.start, column.range.end, title));
    }
  }
  return lenses.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
}
