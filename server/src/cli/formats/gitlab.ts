import { safeText } from '../../engine/index.js';
import type { Report } from '../../host/located.js';
import { gitlabSeverity, securitySeverity } from './severity.js';

/** GitLab Code Quality report (the `codequality` artifact): one issue per unsuppressed finding. */
export function formatGitlab(report: Report): string {
  const prefix = report.pathPrefix ?? '';
  const issues = report.findings
    .filter((f) => !f.suppressed)
    .map((f) => ({
      type: 'issue',
      engine_name: 'gdpr-lint',
      check_name: f.ruleId,
      description: safeText(f.message),
      categories: ['Security'],
      fingerprint: f.fingerprint,
      severity: gitlabSeverity(securitySeverity(f.severity, report.rules[f.ruleId])),
      location: { path: prefix + f.file, lines: { begin: f.line, end: f.endLine } },
    }));
  return JSON.stringify(issues, null, 2) + '\n';
}
