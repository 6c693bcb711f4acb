import { LineIndex, safeText, type AnalysisNote, type Range, type RuleMeta } from '../../engine/index.js';
import { FINGERPRINT_KEY } from '../../host/baseline.js';
import type { LocatedFinding, Report } from '../../host/located.js';
import { securitySeverity } from './severity.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/gdpr-lint/gdpr-lint';
const SRCROOT = '%SRCROOT%';

/** SARIF 2.1.0 for code scanning: one run, every rule of the pack described, suppressions kept as such. */
export function formatSarif(report: Report): string {
  return JSON.stringify(sarifLog(report), null, 2) + '\n';
}

export function sarifLog(report: Report): Record<string, unknown> {
  const ruleIds = Object.keys(report.rules).sort();
  const used = [...new Set(report.findings.map((f) => f.ruleId))].filter((id) => !report.rules[id]).sort();
  const allIds = [...ruleIds, ...used];
  const ruleIndex = new Map(allIds.map((id, i) => [id, i]));
  const lines = lineIndexes(report.texts);
  const prefix = report.pathPrefix ?? '';
  const artifact = (file: string) => ({ uri: encodeUri(prefix + file), uriBaseId: SRCROOT });
  const region = (file: string, range: Range) => {
    const li = lines(file);
    const s = li.position(range.start);
    const e = li.position(range.end);
    return { startLine: s.line + 1, startColumn: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
  };
  const result = (f: LocatedFinding) => ({
    ruleId: f.ruleId,
    ruleIndex: ruleIndex.get(f.ruleId)!,
    level: f.severity,
    message: { text: safeText(f.message) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifact(f.file),
          region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
        },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    ...(f.related?.length
      ? {
          relatedLocations: f.related.map((r, i) => ({
            id: i + 1,
            message: { text: safeText(r.message) },
            physicalLocation: { artifactLocation: artifact(r.file), region: region(r.file, r.range) },
          })),
        }
      : {}),
    ...(f.fixes?.length
      ? {
          fixes: f.fixes.map((fix) => ({
            description: { text: fix.title },
            artifactChanges: [
              {
                artifactLocation: artifact(f.file),
                replacements: fix.edits.map((e) => ({
                  deletedRegion: region(f.file, e),
                  insertedContent: { text: e.newText },
                })),
              },
            ],
          })),
        }
      : {}),
    ...(f.suppressed
      ? {
          suppressions: [
            {
              kind: 'inSource',
              status: 'accepted',
              ...(f.suppressed.justification ? { justification: f.suppressed.justification } : {}),
            },
          ],
        }
      : {}),
    ...(f.introduced || f.role
      ? { properties: { ...(f.introduced ? { introduced: f.introduced } : {}), ...(f.role ? { role: f.role } : {}) } }
      : {}),
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'gdpr-lint',
            semanticVersion: report.toolVersion,
            informationUri: INFORMATION_URI,
            rules: allIds.map((id) => sarifRule(id, report.rules[id], report.ruleDocs?.[id])),
          },
        },
        ...(report.rootUri ? { originalUriBaseIds: { [SRCROOT]: { uri: report.rootUri } } } : {}),
        invocations: [
          {
            executionSuccessful: true,
            ...(report.notes.length > 0
              ? { toolExecutionNotifications: report.notes.map((n) => notification(n, artifact)) }
              : {}),
          },
        ],
        columnKind: 'utf16CodeUnits',
        results: report.findings.map(result),
      },
    ],
  };
}

function sarifRule(id: string, meta: RuleMeta | undefined, doc: string | undefined): Record<string, unknown> {
  if (!meta) return { id, shortDescription: { text: id } };
  const gdpr = meta.gdpr ?? [];
  const help =
    doc ?? `${meta.title}.\n\n${meta.description ?? meta.message}\n\nGDPR: ${gdpr.join(', ')}. See ${meta.docs}`;
  return {
    id,
    name: id
      .split('-')
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(''),
    shortDescription: { text: sentence(meta.title) },
    fullDescription: { text: sentence(meta.description ?? meta.message) },
    help: { text: plainText(help), markdown: help },
    helpUri: meta.docs,
    defaultConfiguration: { level: meta.severity },
    properties: {
      tags: ['security', 'privacy', 'gdpr', ...(meta.tags ?? []), ...gdpr.map((a) => `GDPR ${a}`)],
      precision: 'high',
      'problem.severity': meta.severity === 'note' ? 'recommendation' : meta.severity,
      'security-severity': securitySeverity(meta.severity, meta).toFixed(1),
    },
  };
}

function notification(
  note: AnalysisNote,
  artifact: (file: string) => { uri: string; uriBaseId: string },
): Record<string, unknown> {
  return {
    level: note.kind === 'detector-error' ? 'error' : note.kind === 'skipped' ? 'warning' : 'note',
    message: { text: sentence(`${note.kind}: ${note.message}`) },
    locations: [{ physicalLocation: { artifactLocation: artifact(note.file) } }],
  };
}

/** SARIF's validator wants messages that end with a period. */
function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

function plainText(markdown: string): string {
  return markdown.replace(/`{3}[a-z]*\n?/g, '').replace(/[*_`]/g, '');
}

/** Relative URI reference: each path segment percent-encoded (spaces, accents), slashes kept. */
function encodeUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function lineIndexes(texts: Map<string, string>): (file: string) => LineIndex {
  const cache = new Map<string, LineIndex>();
  return (file) => {
    let li = cache.get(file);
    if (!li) cache.set(file, (li = new LineIndex(texts.get(file) ?? '')));
    return li;
  };
}
