import type { Detector } from '../detector.js';
import type { RuleMeta } from '../pack.js';
import { routesOf, type AuthStep, type RouteInfo } from '../routes/index.js';
import { globMatcher } from './glob.js';
import { calleeMatcher, matchList, ruleMessage } from './match.js';

/**
 * A route rule: routes whose full path matches `/api/internal/**` (and, optionally, a method)
 * must go through one of the named middleware, guards or hooks, as the route index sees them.
 */
export function routeRule(rule: RuleMeta): Detector {
  const paths = matchList(rule, 'paths').map((p) => globMatcher(p, '/', true));
  const methods = matchList(rule, 'methods').map((m) => m.toUpperCase());
  const names = matchList(rule, 'middleware');
  const isRequired = calleeMatcher(names);
  return {
    ruleId: rule.id,
    languages: ['typescript', 'javascript'],
    check(ctx) {
      for (const route of routesOf(ctx.project)) {
        if (route.file !== ctx.file.path || !paths.some((re) => re.test(route.path)) || !methodMatches(route, methods))
          continue;
        if (route.auth.some((step) => applies(step) && isRequired(stepName(step)))) continue;
        ctx.report({
          range: route.range,
          message: ruleMessage(rule, `${route.method} ${route.path} does not go through ${names.join(' or ')}`),
          data: { method: route.method, path: route.path },
        });
      }
    },
  };
}

function methodMatches(route: RouteInfo, methods: string[]): boolean {
  if (methods.length === 0) return true;
  const own = route.method.toUpperCase().split('|');
  return own.includes('ALL') || own.some((m) => methods.includes(m));
}

/** A step that runs before the handler for this route (not a check inside it, not skipped by `.unless`). */
function applies(step: AuthStep): boolean {
  return step.level !== 'handler' && !step.excluded;
}

/** `requireInternalToken()` -> `requireInternalToken`; `AuthGuard('jwt')` -> `AuthGuard`. */
function stepName(step: AuthStep): string {
  return step.label.replace(/^@/, '').replace(/\(.*$/s, '').trim();
}
