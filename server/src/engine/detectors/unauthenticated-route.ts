import type { Detector, DetectorContext } from '../detector.js';
import type { RelatedLocation } from '../types.js';
import type { MessageArgs } from '../messages.js';
import {
  answersCallerOnly,
  answersConstant,
  answersFiguresOnly,
  categoryText,
  exposureOf,
  issuesCredential,
  looksUpByToken,
  touchesOnlyReferenceData,
  type Exposure,
} from '../routes/exposure.js';
import { authUsage, routeFixes } from '../routes/fixes.js';
import { mayDeclareRoutes, routesOf, type Place, type RouteInfo } from '../routes/index.js';

const REPORTED = new Set(['unauthenticated', 'opted-out', 'optional', 'unverified']);
const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

function byMethod(a: string, b: string): number {
  const rank = (m: string) => METHOD_ORDER.indexOf(m) + 1 || 99;
  return rank(a) - rank(b) || a.localeCompare(b);
}

/**
 * `unauthenticated-route`: a route of Express, Koa, Fastify, Hapi, NestJS or Next.js that no
 * middleware, hook, guard or session check authenticates, once mounts, order, scopes, global
 * guards and opt-outs are resolved across files. `error` when it sends health data.
 */
export const unauthenticatedRoute: Detector = {
  ruleId: 'unauthenticated-route',
  languages: ['typescript', 'javascript'],
  check(context) {
    if (!mayDeclareRoutes(context.project, context.file.path)) return;
    const all = routesOf(context.project);
    const mine = reportedRoutesOf(all, context.file.path);
    if (mine.length === 0) return;
    const byRange = new Map<string, RouteInfo[]>();
    for (const route of mine) {
      const key = `${route.range.start}:${route.range.end}`;
      const list = byRange.get(key);
      if (list) list.push(route);
      else byRange.set(key, [route]);
    }
    const source = context.file.ts;
    let usage: ReturnType<typeof authUsage> | undefined;
    for (const group of byRange.values()) {
      context.tick();
      const route = group[0]!;
      // Totals of records, the caller's own session, or reference data only (a catalogue, translations)
      // are no one's records, whatever their names say.
      if (
        group.every(
          (r) => answersFiguresOnly(r, context) || answersCallerOnly(r) || touchesOnlyReferenceData(r, context),
        )
      )
        continue;
      // A record looked up by the token the request carries (an invitation, a share link): the token is the credential.
      // Or a step of signing in that answers the credential it issued (a token, an authorization code).
      const gated = !route.publicReason && group.every((r) => looksUpByToken(r, context) || issuesCredential(r));
      let exposure: Exposure | undefined;
      for (const r of group) if ((exposure = exposureOf(r, context, { records: !r.publicReason && !gated }))) break;
      if ((route.publicReason || gated) && !exposure) continue;
      // A handler that answers a constant ({ index: true }, 'OK', a 404) guards no data; nor one that
      // only reaches reference data (a food list, a catalogue of pathologies): not a GDPR risk.
      if (!exposure && group.every((r) => answersConstant(r, context))) continue;
      const method = [...new Set(group.flatMap((r) => r.method.split('|')))].sort(byMethod).join('|');
      const arguable = route.status === 'optional' || (!!route.arguableReason && !exposure);
      const related: RelatedLocation[] = [];
      if (route.tooLate)
        related.push({
          file: route.tooLate.file,
          range: route.tooLate.range,
          message: `authentication registered here, after the route: ${route.tooLate.label}`,
        });
      if (route.mountedBy)
        related.push({
          file: route.mountedBy.file,
          range: route.mountedBy.range,
          message: `mounted here, before authentication: ${route.mountedBy.label}`,
        });
      if (route.optOut && route.status === 'opted-out')
        related.push({
          file: route.optOut.file,
          range: route.optOut.range,
          message: `opt-out from authentication: ${route.optOut.label}`,
        });
      usage ??= projectAuthUsage(all, context);
      context.report({
        range: route.range,
        ...messageOf(
          route,
          method,
          exposure && { ...exposure, text: exposure.what ?? categoryText(exposure.category) },
          context,
        ),
        severity: route.status === 'unverified' ? 'note' : exposure && !arguable ? 'error' : 'warning',
        related,
        fixes: source ? routeFixes(route, context.file, usage, context.project) : undefined,
        data: {
          method,
          path: route.path,
          framework: route.framework,
          status: route.status,
          auth: route.auth.map((s) => ({
            label: s.label,
            verdict: s.excluded ? 'excluded' : s.verdict,
            level: s.level,
          })),
          ...(exposure ? { exposes: exposure.category } : {}),
        },
      });
    }
  },
};

/**
 * The reported routes of each file, grouped once per resolved route list (a new list whenever any
 * route changes): filtering the whole list for every analysed file is quadratic on large projects.
 */
const reportedByFile = new WeakMap<RouteInfo[], Map<string, RouteInfo[]>>();

function reportedRoutesOf(all: RouteInfo[], file: string): RouteInfo[] {
  let byFile = reportedByFile.get(all);
  if (!byFile) {
    byFile = new Map();
    for (const route of all) {
      if (!REPORTED.has(route.status)) continue;
      const list = byFile.get(route.file);
      if (list) list.push(route);
      else byFile.set(route.file, [route]);
    }
    reportedByFile.set(all, byFile);
  }
  return byFile.get(file) ?? [];
}

/** The project's usual authentication (for fixes): depends on every route, so computed once per route list and config. */
const usages = new WeakMap<RouteInfo[], WeakMap<object, ReturnType<typeof authUsage>>>();

function projectAuthUsage(all: RouteInfo[], context: DetectorContext): ReturnType<typeof authUsage> {
  let byConfig = usages.get(all);
  if (!byConfig) usages.set(all, (byConfig = new WeakMap()));
  let usage = byConfig.get(context.config);
  if (!usage) {
    usage = authUsage(all, context.config, context.project);
    byConfig.set(context.config, usage);
  }
  return usage;
}

/** Why the route is reachable (the messageId), with its placeholders: `route`, the reason's own, and `exposed`, what it exposes. */
function messageOf(
  route: RouteInfo,
  method: string,
  exposes: (Exposure & { text: string }) | undefined,
  context: DetectorContext,
): { messageId: string; args: MessageArgs } {
  const where = (p: Place) => locate(p, context);
  const head = `${method} ${route.path}`;
  if (route.status === 'unverified') return unverifiedMessage(route, head, where);
  const exposed = exposes
    ? exposes.kind === 'path'
      ? `; its path names ${exposes.text} (${exposes.via})`
      : `; it ${exposes.kind === 'changes' ? 'changes' : 'returns'} ${exposes.text} (${exposes.via})`
    : route.arguableReason
      ? `; ${route.arguableReason} endpoints leak operational data`
      : '';
  if (route.status === 'opted-out' && route.optOut) {
    const skipped = route.auth.filter((s) => s.excluded).map((s) => s.label);
    return {
      messageId: skipped.length > 0 ? 'opted-out-skipping' : 'opted-out',
      args: { route: head, optOut: route.optOut.label, at: where(route.optOut), skipped: skipped.join(', '), exposed },
    };
  }
  if (route.status === 'optional') {
    const step = route.auth.find((s) => s.level === 'route' && s.verdict === 'not-auth');
    return { messageId: step ? 'optional-step' : 'optional', args: { route: head, why: step?.why ?? '', exposed } };
  }
  if (route.tooLate && route.mountedBy) {
    return {
      messageId: 'mounted-before-auth',
      args: {
        route: head,
        mount: route.mountedBy.label,
        mountAt: where(route.mountedBy),
        auth: route.tooLate.label,
        authAt: where(route.tooLate),
        exposed,
      },
    };
  }
  if (route.tooLate)
    return {
      messageId: 'registered-before-auth',
      args: { route: head, auth: route.tooLate.label, authAt: where(route.tooLate), exposed },
    };
  // The handler's own body is not a step the request passes: say what is missing instead.
  const seen = route.auth
    .filter((s) => s.verdict !== 'auth' && s.level !== 'handler')
    .map((s) => `${s.label} (${s.why})`);
  if (seen.length > 0)
    return { messageId: 'passes-only', args: { route: head, steps: seen.slice(0, 4).join(', '), exposed } };
  return { messageId: noAuthMessage(route), args: { route: head, exposed } };
}

/** Authentication could not be decided: say which step, why, and how to declare it. */
function unverifiedMessage(
  route: RouteInfo,
  head: string,
  where: (p: Place) => string,
): { messageId: string; args: MessageArgs } {
  const open = route.auth.filter((s) => s.undecided);
  const named = open
    .slice(0, 3)
    .map((s) => `${s.label} (${where(s)}: ${s.why})`)
    .join(', ');
  const guard = route.framework === 'nest' && open.some((s) => s.level === 'global' || s.level === 'guard');
  return { messageId: guard ? 'unverified-guard' : 'unverified-middleware', args: { route: head, steps: named } };
}

/** What the framework would have authenticated the route with. */
function noAuthMessage(route: RouteInfo): string {
  switch (route.framework) {
    case 'nest':
      return 'no-guard';
    case 'next':
      return 'no-session-check';
    case 'hapi':
      return 'no-auth-option';
    case 'fastify':
      return 'no-auth-hook';
    default:
      return 'no-auth-middleware';
  }
}

function locate(place: Place, context: DetectorContext): string {
  const source = context.project.ts.sourceFile(place.file);
  const line = source ? source.getLineAndCharacterOfPosition(place.range.start).line + 1 : 0;
  return `${place.file.split('/').pop()}:${line}`;
}
