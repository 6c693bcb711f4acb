import type { RuleMeta } from '../pack.js';
import { linearRegex, type LinearRegex } from '../linear-regex.js';
import { nameMatcher } from './glob.js';

/** The `match` block of a team rule, read as lists of strings (the host validated its shape). */
export function matchList(rule: RuleMeta, key: string): string[] {
  const match = (rule.match ?? {}) as Record<string, unknown>;
  const value = match[key];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Regular expressions of a team rule, run by the linear engine; an invalid one (reported by the host) matches nothing. */
export function safeRegexes(patterns: readonly string[]): LinearRegex[] {
  return patterns.flatMap((p) => {
    try {
      return [linearRegex(p, { ignoreCase: true })];
    } catch {
      return [];
    }
  });
}

/**
 * Matches dotted callee names against patterns like `kafkaProducer.send` or `*.sendORU`: the
 * pattern may match the whole name or its last segments (`this.kafkaProducer.send`).
 */
export function calleeMatcher(patterns: readonly string[]): (callee: string) => boolean {
  const matches = nameMatcher(patterns);
  return (callee) => {
    if (!callee) return false;
    const parts = callee.split('.');
    for (let i = 0; i < parts.length; i++) if (matches(parts.slice(i).join('.'))) return true;
    return false;
  };
}

/** The message of a team rule finding: the rule's own message, then what was found. */
export function ruleMessage(rule: RuleMeta, detail: string): string {
  return `${rule.message.replace(/\s+$/, '')} (${detail})`;
}
