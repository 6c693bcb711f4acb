import { closest, distance } from 'fastest-levenshtein';
import type { Detector } from '../detector.js';
import { maskSensitiveDigits } from '../identifiers/mask.js';
import {
  directivesOf,
  isDate,
  isExpired,
  isPlaceholderJustification,
  SUPPRESSION_RULE,
  todayOf,
} from '../suppressions.js';

/**
 * Suppression comments are accountable: each needs a reason (`-- why`, unless the team turns
 * `suppressions.requireJustification` off), an `until=` date that has passed makes the finding
 * come back and is itself reported, and a rule id must exist. Unused suppressions are reported
 * by the project (they need every other rule's findings).
 */
export const suppressionComment: Detector = {
  ruleId: SUPPRESSION_RULE,
  languages: ['typescript', 'javascript', 'sql', 'prisma'],
  check(ctx) {
    const today = todayOf(ctx.config);
    const requireJustification = ctx.config.suppressions?.requireJustification !== false;
    const known = Object.keys(ctx.config.pack.rules);
    for (const d of directivesOf(ctx.file)) {
      ctx.tick();
      if (d.kind === 'enable') continue;
      const range = { start: d.start, end: d.end };
      const comment = ctx.file.text.slice(d.start, d.end);
      const tokenRange = (token: string) => {
        const at = comment.search(new RegExp(`(?<![\\w-])${token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`));
        return at < 0 ? range : { start: d.start + at, end: d.start + at + token.length };
      };
      for (const id of d.rules) {
        if (known.includes(id)) continue;
        const near = suggest(id, known);
        ctx.report({
          range: tokenRange(id),
          messageId: near ? 'unknown-rule-near' : 'unknown-rule',
          args: { rule: id, near: near ?? '' },
          data: { reason: 'unknown-rule' },
        });
      }
      if (d.until !== undefined && !isDate(d.until)) {
        ctx.report({
          range: tokenRange(`until=${d.until}`),
          messageId: 'invalid-date',
          args: { until: d.until },
          data: { reason: 'invalid-date' },
        });
      } else if (isExpired(d, today)) {
        ctx.report({
          range: tokenRange(`until=${d.until}`),
          messageId: 'expired',
          args: { until: String(d.until) },
          data: { reason: 'expired', until: d.until },
        });
      }
      if (requireJustification && (!d.justification || isPlaceholderJustification(d.justification))) {
        ctx.report({
          range,
          messageId: d.justification ? 'placeholder-justification' : 'no-justification',
          args: { justification: maskSensitiveDigits(d.justification ?? '') },
          data: { reason: 'no-justification' },
        });
      }
    }
  },
};

function suggest(id: string, known: string[]): string | undefined {
  const extended = known.filter((k) => k.startsWith(id));
  if (extended.length === 1) return extended[0];
  const near = known.length > 0 ? closest(id, known) : undefined;
  return near && distance(id, near) <= Math.max(2, Math.floor(id.length / 3)) ? near : undefined;
}
