import type { RuleMeta, Severity } from '../../engine/index.js';

/**
 * A CVSS-like score (0-10) for code-scanning UIs: GitHub reads SARIF `security-severity`
 * (>= 9 critical, >= 7 high, >= 4 medium, else low); GitLab's Code Quality severities use the
 * same cut-offs. Special-category data (GDPR Art. 9) at error level is critical.
 */
export function securitySeverity(severity: Severity, rule: RuleMeta | undefined): number {
  const override = Number(rule?.['security-severity']);
  if (Number.isFinite(override) && override > 0) return override;
  const base = severity === 'error' ? 8 : severity === 'warning' ? 5.5 : 2;
  const art9 = rule?.gdpr?.some((a) => /^Art\.\s*9\b/.test(a)) ?? false;
  return severity === 'error' && art9 ? 9 : base;
}

type GitLabSeverity = 'info' | 'minor' | 'major' | 'critical';

export function gitlabSeverity(score: number): GitLabSeverity {
  return score >= 9 ? 'critical' : score >= 7 ? 'major' : score >= 4 ? 'minor' : 'info';
}
