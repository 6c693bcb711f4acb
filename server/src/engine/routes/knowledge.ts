import { linearRegex, type LinearRegex } from '../linear-regex.js';
import type { EngineConfig } from '../config.js';
import { packData } from '../pack.js';
import { segmentCompound, splitWords } from '../vocabulary/words.js';
import { knowledgeOf, knowledgePart } from '../knowledge.js';

/** `rules/vocabulary/auth.yaml`: what authenticates a request and what does not. */
interface AuthFile {
  packages?: Record<string, string[]>;
  calls?: string[];
  anonymousStrategies?: string[];
  names?: string[];
  notNames?: string[];
  notAuthentication?: Record<string, string>;
  notAuthenticationWords?: Record<string, string>;
  verifyCalls?: string[];
  verifyVerbs?: string[];
  verifyObjects?: string[];
  decodeCalls?: string[];
  sessionCalls?: string[];
  guardCalls?: string[];
  rejectNames?: string[];
  rejectWords?: string[];
  rejectStatuses?: number[];
  credentialHeaderWords?: string[];
  keyHeaderWords?: string[];
  identityHeaderWords?: string[];
  guards?: string[];
  optOutDecorators?: string[];
  optOutMetadataKeys?: string[];
  optOutConfigKeys?: string[];
}

/** `rules/vocabulary/public-paths.yaml`: routes public by design, by reason. */
interface PublicPathsFile {
  leaves?: Record<string, string[]>;
  probes?: Record<string, string[]>;
  authLibraryPrefixes?: string[];
  public?: Record<string, string[]>;
  arguable?: Record<string, string[]>;
}

/** A leaf route public by design: the words its last segment must hold, for one method or any. */
interface LeafPattern {
  words: string[];
  method?: string;
  reason: string;
}

interface WordPattern {
  words: string[];
  prefix: boolean;
}

interface PathPattern {
  pattern: string;
  reason: string;
  regex: LinearRegex;
}

/** Authentication knowledge of the rule pack merged with the team's `auth` config. */
export interface AuthKnowledge {
  packages: Map<string, Set<string>>;
  calls: string[];
  anonymousStrategies: Set<string>;
  teamMiddleware: string[];
  teamGuards: string[];
  names: WordPattern[];
  notNames: WordPattern[];
  notAuthentication: Map<string, string>;
  notAuthenticationWords: Array<WordPattern & { why: string }>;
  verifyCalls: Set<string>;
  /** A call whose words hold one of these verbs and one of these objects verifies (`verifyMfaToken`). */
  verifyVerbs: Set<string>;
  verifyObjects: Set<string>;
  decodeCalls: Set<string>;
  sessionCalls: Set<string>;
  guardCalls: Set<string>;
  rejectNames: Set<string>;
  /** Words of error classes and helpers that reject the caller (`AuthPermissionError`, `throwForbidden`). */
  rejectWords: WordPattern[];
  rejectStatuses: Set<number>;
  /** Words of request headers that carry a credential (`authorization`, `x-access-token`). */
  credentialHeaderWords: Set<string>;
  /** Words of headers that carry a shared key (`x-api-key`). */
  keyHeaderWords: Set<string>;
  /** Words of headers that only name the caller, as the client says (`x-user-id`). */
  identityHeaderWords: Set<string>;
  guards: Set<string>;
  optOutDecorators: Set<string>;
  optOutMetadataKeys: Set<string>;
  optOutConfigKeys: Set<string>;
  publicPaths: PathPattern[];
  publicLeaves: LeafPattern[];
  probes: LeafPattern[];
  authLibraryPrefixes: Set<string>;
  /** Every word of the leaves and probes: splits `resetpassword` into `reset password`. */
  leafDictionary: Set<string>;
  arguablePaths: PathPattern[];
}

export function authKnowledge(config: EngineConfig): AuthKnowledge {
  return knowledgeOf(config).get(AUTH);
}

const AUTH = knowledgePart('auth', (config): AuthKnowledge => {
  const auth = packData<AuthFile>(config.pack, 'auth', {});
  const paths = packData<PublicPathsFile>(config.pack, 'public-paths', {});
  const team = config.auth ?? {};
  const teamMiddleware = (team.middleware ?? []).map((m) => teamEntry(m).name);
  const knowledge: AuthKnowledge = {
    packages: new Map(Object.entries(auth.packages ?? {}).map(([m, names]) => [m, new Set(names)])),
    calls: auth.calls ?? [],
    anonymousStrategies: new Set(auth.anonymousStrategies ?? []),
    teamMiddleware,
    teamGuards: team.guards ?? [],
    names: (auth.names ?? []).map(wordPattern),
    notNames: (auth.notNames ?? []).map(wordPattern),
    notAuthentication: new Map(Object.entries(auth.notAuthentication ?? {})),
    notAuthenticationWords: Object.entries(auth.notAuthenticationWords ?? {}).map(([p, why]) => ({
      ...wordPattern(p),
      why,
    })),
    verifyCalls: new Set(auth.verifyCalls ?? []),
    verifyVerbs: new Set(auth.verifyVerbs ?? []),
    verifyObjects: new Set(auth.verifyObjects ?? []),
    decodeCalls: new Set(auth.decodeCalls ?? []),
    sessionCalls: new Set(auth.sessionCalls ?? []),
    guardCalls: new Set(auth.guardCalls ?? []),
    rejectNames: new Set(auth.rejectNames ?? []),
    rejectWords: (auth.rejectWords ?? []).map(wordPattern),
    rejectStatuses: new Set(auth.rejectStatuses ?? [401, 403]),
    credentialHeaderWords: new Set(auth.credentialHeaderWords ?? []),
    keyHeaderWords: new Set(auth.keyHeaderWords ?? []),
    identityHeaderWords: new Set(auth.identityHeaderWords ?? []),
    guards: new Set([...(auth.guards ?? []), ...(team.guards ?? [])]),
    optOutDecorators: new Set([...(auth.optOutDecorators ?? []), ...(team.decorators ?? [])]),
    optOutMetadataKeys: new Set(auth.optOutMetadataKeys ?? []),
    optOutConfigKeys: new Set(auth.optOutConfigKeys ?? []),
    publicPaths: [
      ...Object.entries(paths.public ?? {}).flatMap(([reason, list]) => list.map((p) => pathPattern(p, reason))),
      ...(team.publicPaths ?? []).map((p) => pathPattern(p, 'public in the team configuration')),
    ],
    publicLeaves: Object.entries(paths.leaves ?? {}).flatMap(([reason, list]) =>
      list.map((p) => leafPattern(p, reason)),
    ),
    probes: Object.entries(paths.probes ?? {}).flatMap(([reason, list]) => list.map((p) => leafPattern(p, reason))),
    authLibraryPrefixes: new Set(paths.authLibraryPrefixes ?? []),
    leafDictionary: new Set(
      [...Object.values(paths.leaves ?? {}), ...Object.values(paths.probes ?? {})]
        .flat()
        .flatMap((p) => splitWords(p.replace(/^[A-Z]+\s+/, ''))),
    ),
    arguablePaths: Object.entries(paths.arguable ?? {}).flatMap(([reason, list]) =>
      list.map((p) => pathPattern(p, reason)),
    ),
  };
  return knowledge;
});

/** A team middleware entry: `requireAuth` or `requireAuth from ./src/middleware/auth`. */
export function teamEntry(entry: string): { name: string; module?: string } {
  const match = /^\s*([\w$.]+)(?:\s+from\s+['"]?([^'"\s]+)['"]?)?\s*$/.exec(entry);
  if (!match) return { name: entry.trim() };
  return { name: match[1]!, module: match[2] };
}

function wordPattern(source: string): WordPattern {
  const prefix = source.endsWith('*');
  return { words: splitWords(prefix ? source.slice(0, -1) : source), prefix };
}

/** Does a name contain the pattern's words in sequence (the last word as a prefix when `*`)? */
export function nameMatches(name: string, pattern: WordPattern): boolean {
  const words = splitWords(name);
  const n = pattern.words.length;
  if (n === 0) return false;
  for (let i = 0; i + n <= words.length; i++) {
    let ok = true;
    for (let j = 0; j < n; j++) {
      const w = words[i + j]!;
      const t = pattern.words[j]!;
      if (!(w === t || (j === n - 1 && pattern.prefix && w.startsWith(t)))) {
        ok = false;
        break;
      }
    }
    if (ok) return true;
  }
  return false;
}

/**
 * Compiles a public-path glob. A leading `**` matches static segments only, so a parameter
 * before the last segment (`/patients/:id/health`) keeps the route out of the public list.
 */
function pathPattern(pattern: string, reason: string): PathPattern {
  const segments = pattern.replace(/^\/+/, '').split('/');
  let source = '^';
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === '**' && i === 0 && !last) source += '(?:/[^/:{\\[*][^/]*)*';
    else if (segment === '**' && last) source += '(?:/.*)?';
    else if (segment === '*') source += '/[^/]+';
    else source += '/' + segment.split('*').map(escapeRegex).join('[^/]*');
  });
  return { pattern, reason, regex: linearRegex(`${source}/?$`, { ignoreCase: true }) };
}

function escapeRegex(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

function leafPattern(source: string, reason: string): LeafPattern {
  const method = /^([A-Z]+)\s+(.*)$/.exec(source);
  return { words: splitWords(method ? method[2]! : source), ...(method ? { method: method[1] } : {}), reason };
}

/** A parameter segment: `:id`, `{id}`, `[id]`, `[...slug]`, `*`, `(.*)`, `{*splat}`, `*splat`. */
function isParameter(segment: string): boolean {
  return /^[:{[*(]/.test(segment);
}

const VERBS = new Set([
  'create',
  'verify',
  'send',
  'request',
  'resend',
  'check',
  'validate',
  'confirm',
  'generate',
  'new',
  'reset',
  'start',
  'init',
]);
/** A catch-all for every path the app does not serve: `*`, `/*`, `(.*)`, `/{*splat}`, `/*splat`, `/:path*`, `[...slug]`. */
const CATCH_ALL = /^(\*|\(\.\*\)|\{\*\w*\}|\*\w+|:\w+[*+]|\[\[?\.\.\.\w+\]\]?)$/;

/** The words of a path segment, lower-case words written without boundaries split on the vocabulary (`resetpassword`). */
function segmentWords(segment: string, knowledge: AuthKnowledge): string[] {
  return splitWords(segment).flatMap((w) =>
    knowledge.leafDictionary.has(w) ? [w] : (segmentCompound(w, knowledge.leafDictionary) ?? [w]),
  );
}

/**
 * The public-by-design reason of a route, if any: a catch-all fallback, a probe on a static path,
 * a sign-in, sign-up, OTP, password-reset or callback LEAF (never a whole `/auth` or `/public`
 * prefix), an auth library's catch-all handler, or a glob of the pack or the team.
 */
export function publicReason(path: string, knowledge: AuthKnowledge, method = 'ALL'): string | undefined {
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.length === 0 ? false : segments.length === 1 && CATCH_ALL.test(segments[0]!))
    return 'catch-all fallback';
  const glob = knowledge.publicPaths.find((p) => p.regex.test(path))?.reason;
  if (glob) return glob;
  let last = segments[segments.length - 1];
  let before = segments[segments.length - 2];
  if (!last) return undefined;
  if (isParameter(last)) {
    if (!before || isParameter(before)) return undefined;
    if (CATCH_ALL.test(last) && splitWords(before).some((w) => knowledge.authLibraryPrefixes.has(w)))
      return 'sign-in handlers of an authentication library';
    // A token in the path of a reset, verification or callback leaf: `/reset-password/:token`.
    last = before;
    before = undefined;
  }
  const methods = method.toUpperCase().split('|');
  const allStatic = segments.every((s) => !isParameter(s));
  const leaf = segmentWords(last, knowledge);
  const words = new Set(
    leaf.length === 1 && VERBS.has(leaf[0]!) && before && !isParameter(before)
      ? [...segmentWords(before, knowledge), ...leaf]
      : leaf,
  );
  const matches = (p: LeafPattern) =>
    p.words.every((w) => words.has(w)) &&
    (!p.method || methods.includes(p.method) || methods.includes('ALL') || methods.includes('ANY'));
  if (allStatic) {
    // A probe is named by its own segment (`/health`), never by the one before a verb (`/health-insurance-card/check`).
    const probe = knowledge.probes.find(
      (p) => p.words.length === leaf.length && p.words.every((w) => leaf.includes(w)),
    );
    if (probe) return probe.reason;
  }
  return knowledge.publicLeaves.find(matches)?.reason;
}

export function arguableReason(path: string, knowledge: AuthKnowledge): string | undefined {
  return knowledge.arguablePaths.find((p) => p.regex.test(path))?.reason;
}
