import ts from 'typescript';
import { nameMatches, type AuthKnowledge } from './knowledge.js';
import type { AuthVerdict } from './model.js';
import { propertyName, unwrap, type Origin, type Resolver } from './resolve.js';

export interface Verdict {
  verdict: AuthVerdict;
  why: string;
  /** Paths this middleware skips (`.unless({ path })`), with the opt-out node. */
  unless?: { matchers: PathMatcher[]; node: ts.Node; file: string };
}

export interface PathMatcher {
  label: string;
  test(path: string): boolean;
}

const MAX_DEPTH = 4;

/** Decides whether middleware, hooks, guards and handler bodies authenticate, following names across files. */
export class AuthClassifier {
  private readonly memo = new Map<ts.Node, Verdict>();
  private readonly bodies = new Map<ts.Node, BodyFacts>();

  constructor(readonly resolver: Resolver, readonly knowledge: AuthKnowledge) {}

  /** An Express/Koa middleware, a Fastify hook, a Next.js wrapper. */
  middleware(expression: ts.Expression, file: string, depth = 0): Verdict {
    const node = unwrap(expression) as ts.Expression;
    const cached = this.memo.get(node);
    if (cached) return cached;
    const verdict = this.classify(node, file, depth);
    this.memo.set(node, verdict);
    return verdict;
  }

  private classify(node: ts.Expression, file: string, depth: number): Verdict {
    const k = this.knowledge;
    if (ts.isArrayLiteralExpression(node)) {
      const parts = node.elements.map((e) => this.middleware(e, file, depth));
      return parts.find((p) => p.verdict === 'auth') ?? parts.find((p) => p.verdict === 'not-auth') ?? { verdict: 'unknown', why: 'no element authenticates' };
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'unless') {
      const inner = this.middleware(node.expression.expression, file, depth);
      return { ...inner, unless: { matchers: unlessMatchers(node.arguments[0]), node, file } };
    }
    if (ts.isFunctionLike(node)) return this.body(node, file, depth, false);
    const name = dottedName(node);
    const last = name.split('.').pop() ?? '';
    if (name && (k.teamMiddleware.includes(name) || k.teamMiddleware.includes(last))) return { verdict: 'auth', why: `${last} is the team's authentication middleware` };
    const callee = ts.isCallExpression(node) || ts.isNewExpression(node) ? node.expression : node;
    const origin = depth > MAX_DEPTH ? undefined : this.resolver.origin(callee, file);
    if (origin?.kind === 'package') {
      const byPackage = this.packageVerdict(origin, node);
      if (byPackage) return byPackage;
    }
    const notAuth = k.notAuthentication.get(name) ?? k.notAuthentication.get(last);
    if (notAuth) return { verdict: 'not-auth', why: notAuth };
    if (name && k.calls.some((c) => name === c || name.endsWith('.' + c) || last === c)) {
      if (last === 'authenticate' && ts.isCallExpression(node)) {
        const strategy = node.arguments[0];
        if (strategy && ts.isStringLiteralLike(strategy) && k.anonymousStrategies.has(strategy.text)) return { verdict: 'not-auth', why: `the '${strategy.text}' strategy lets anyone in` };
      }
      return { verdict: 'auth', why: `${name} authenticates` };
    }
    const byWords = k.notAuthenticationWords.find((p) => nameMatches(last, p));
    if (byWords) return { verdict: 'not-auth', why: byWords.why };
    // The body, when the project defines it, says more than the name.
    if (origin?.kind === 'node' && depth <= MAX_DEPTH) {
      const target = origin.node;
      if (ts.isFunctionLike(target)) {
        const verdict = this.body(target, origin.file, depth + 1, false);
        if (verdict.verdict !== 'unknown') return verdict;
      } else if ((ts.isCallExpression(target) || ts.isNewExpression(target) || ts.isArrayLiteralExpression(target) || ts.isPropertyAccessExpression(target)) && target !== node) {
        const verdict = this.middleware(target, origin.file, depth + 1);
        if (verdict.verdict !== 'unknown') return verdict;
      }
    }
    return this.byName(last || name) ?? { verdict: 'unknown', why: `${last || 'it'} is not recognised as authentication` };
  }

  /** Name-only verdict, or undefined when the name says nothing. */
  byName(name: string): Verdict | undefined {
    const k = this.knowledge;
    if (!name) return undefined;
    const notWord = k.notNames.find((p) => nameMatches(name, p));
    const authWord = k.names.find((p) => nameMatches(name, p));
    if (authWord && notWord) return { verdict: 'not-auth', why: `${name} does not require authentication ("${notWord.words.join(' ')}")` };
    if (authWord) return { verdict: 'auth', why: `${name} authenticates (by its name)` };
    return undefined;
  }

  /** A value exported by a package (`export { auth as middleware } from './auth'` where auth comes from NextAuth). */
  packageExport(origin: Extract<Origin, { kind: 'package' }>, node: ts.Expression): Verdict {
    return this.packageVerdict(origin, node) ?? { verdict: 'unknown', why: `${origin.module} is not recognised as authentication` };
  }

  private packageVerdict(origin: Extract<Origin, { kind: 'package' }>, node: ts.Expression): Verdict | undefined {
    const k = this.knowledge;
    const path = [...(origin.name === 'default' ? [] : [origin.name]), ...origin.members];
    const keys = path.length > 0 ? [`${origin.module}.${path.join('.')}`, `${origin.module}.${path[path.length - 1]}`, origin.module] : [origin.module];
    for (const key of keys) {
      const why = k.notAuthentication.get(key);
      if (why) return { verdict: 'not-auth', why };
    }
    const exported = k.packages.get(origin.module);
    const member = path.length === 0 ? 'default' : path[0]!;
    if (exported && exported.has(member)) {
      if (ts.isCallExpression(node) && optionFalse(node.arguments[0], 'authRequired')) return { verdict: 'not-auth', why: 'authRequired: false only attaches the session; routes need requiresAuth()' };
      return { verdict: 'auth', why: `${origin.module} authenticates` };
    }
    return undefined;
  }

  /** A function used as middleware, hook or guard body (`strict` for route handlers: a bare 401/403 is not enough). */
  body(fn: ts.Node, file: string, depth: number, strict: boolean): Verdict {
    const facts = this.bodyFacts(fn, file, depth);
    if (facts.decode && !facts.verify) return { verdict: 'not-auth', why: 'decodes the token without verifying it' };
    if (facts.verify) return { verdict: 'auth', why: `verifies the caller (${facts.verify})` };
    if (facts.guard) return { verdict: 'auth', why: `rejects unauthenticated callers (${facts.guard})` };
    if ((facts.session || facts.credentials) && facts.reject) return { verdict: 'auth', why: `checks ${facts.session ?? facts.credentials} and rejects with ${facts.reject}` };
    if (!strict && facts.reject) return { verdict: 'auth', why: `rejects with ${facts.reject}` };
    if (facts.session) return { verdict: 'not-auth', why: `reads ${facts.session} but never rejects a missing one` };
    return { verdict: 'unknown', why: 'does not verify a token or a session' };
  }

  private bodyFacts(fn: ts.Node, file: string, depth: number): BodyFacts {
    const cached = this.bodies.get(fn);
    if (cached) return cached;
    const facts: BodyFacts = {};
    this.bodies.set(fn, facts);
    const k = this.knowledge;
    const visit = (node: ts.Node): void => {
      if (ts.isClassDeclaration(node)) return;
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        const name = dottedName(node.expression);
        const last = name.split('.').pop() ?? '';
        if (k.decodeCalls.has(last)) facts.decode ??= name;
        else if (k.verifyCalls.has(last)) facts.verify ??= name;
        if (k.sessionCalls.has(last)) facts.session ??= `${last}()`;
        if (k.guardCalls.has(last) && !ts.isNewExpression(node)) facts.guard ??= `${name}()`;
        if (k.rejectNames.has(last)) facts.reject ??= last;
        if (last === 'redirect' && node.arguments?.[0] && /log-?in|sign-?in|auth|connexion/i.test(node.arguments[0].getText())) facts.reject ??= 'a redirect to sign-in';
        if (!facts.verify && !facts.guard && depth < MAX_DEPTH && ts.isCallExpression(node) && !k.decodeCalls.has(last) && !k.sessionCalls.has(last)) {
          const origin = this.resolver.origin(node.expression, file);
          if (origin?.kind === 'node' && ts.isFunctionLike(origin.node) && origin.node !== fn) {
            const inner = this.bodyFacts(origin.node, origin.file, depth + 1);
            facts.verify ??= inner.verify;
            facts.guard ??= inner.guard;
            if (inner.reject && (inner.session || inner.credentials)) facts.guard ??= `${name}()`;
          } else if (origin?.kind === 'package') {
            const verdict = this.packageVerdict(origin, node);
            if (verdict?.verdict === 'auth') facts.verify ??= name;
          }
        }
      }
      if (ts.isNumericLiteral(node) && k.rejectStatuses.has(Number(node.text))) facts.reject ??= node.text;
      if (ts.isIdentifier(node) && k.rejectNames.has(node.text)) facts.reject ??= node.text;
      if (ts.isPropertyAccessExpression(node) && CREDENTIALS.has(node.name.text)) facts.credentials ??= node.getText().slice(0, 40);
      ts.forEachChild(node, visit);
    };
    const body = ts.isFunctionLike(fn) ? (fn as ts.FunctionLikeDeclaration).body : fn;
    if (body) visit(body);
    return facts;
  }

  /** A Nest guard: `AuthGuard('jwt')`, a guard class, `new JwtGuard()`. */
  guard(expression: ts.Expression, file: string): Verdict & { honoursOptOut: boolean } {
    const k = this.knowledge;
    const node = unwrap(expression) as ts.Expression;
    const target = ts.isNewExpression(node) ? node.expression : node;
    const name = dottedName(target);
    const last = name.split('.').pop() ?? '';
    const notWords = k.notAuthenticationWords.find((p) => nameMatches(last, p));
    const notAuth = k.notAuthentication.get(last) ?? notWords?.why;
    if (notAuth) return { verdict: 'not-auth', why: notAuth, honoursOptOut: false };
    if (ts.isCallExpression(target) && k.guards.has(dottedName(target.expression).split('.').pop() ?? '')) return { verdict: 'auth', why: `${last} authenticates`, honoursOptOut: false };
    const origin = this.resolver.origin(target, file);
    if (origin?.kind === 'node' && ts.isClassLike(origin.node)) {
      const cls = origin.node;
      const honours = /reflector|getAllAndOverride|IS_PUBLIC|isPublic/i.test(cls.getText());
      const base = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
      if (base && k.guards.has(dottedName(base).split('.').pop() ?? '')) return { verdict: 'auth', why: `${last} extends ${base.getText()}`, honoursOptOut: honours };
      const canActivate = cls.members.find((m) => m.name && propertyName(m.name) === 'canActivate');
      if (canActivate) {
        const verdict = this.body(canActivate, origin.file, 1, false);
        if (verdict.verdict !== 'unknown') return { ...verdict, honoursOptOut: honours };
      }
    }
    if (k.guards.has(last)) return { verdict: 'auth', why: `${last} authenticates`, honoursOptOut: true };
    const byName = this.byName(last);
    if (byName) return { ...byName, honoursOptOut: true };
    return { verdict: 'unknown', why: `${last || 'the guard'} is not recognised as authentication`, honoursOptOut: false };
  }
}

interface BodyFacts {
  verify?: string;
  decode?: string;
  session?: string;
  guard?: string;
  reject?: string;
  credentials?: string;
}

/** Property names that hold the caller's identity or credentials. */
const CREDENTIALS = new Set(['user', 'session', 'authorization', 'auth', 'currentUser', 'userId', 'isAuthenticated', 'principal', 'credentials', 'token', 'accessToken']);

/** `passport.authenticate('jwt')` -> `passport.authenticate`; `requireRole('A')` -> `requireRole`. */
export function dottedName(node: ts.Node): string {
  const n = unwrap(node);
  if (ts.isIdentifier(n)) return n.text;
  if (ts.isPropertyAccessExpression(n)) {
    const base = dottedName(n.expression);
    return base ? `${base}.${n.name.text}` : n.name.text;
  }
  if (ts.isCallExpression(n) || ts.isNewExpression(n)) return dottedName(n.expression);
  if (n.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  return '';
}

function optionFalse(arg: ts.Expression | undefined, key: string): boolean {
  if (!arg || !ts.isObjectLiteralExpression(arg)) return false;
  return arg.properties.some((p) => ts.isPropertyAssignment(p) && propertyName(p.name) === key && p.initializer.kind === ts.SyntaxKind.FalseKeyword);
}

/** `.unless({ path: ['/login', /^\/public\//, { url: '/x' }] })` -> matchers on the full path. */
function unlessMatchers(arg: ts.Expression | undefined): PathMatcher[] {
  if (!arg || !ts.isObjectLiteralExpression(arg)) return [];
  const matchers: PathMatcher[] = [];
  for (const p of arg.properties) {
    if (!ts.isPropertyAssignment(p) || propertyName(p.name) !== 'path') continue;
    const items = ts.isArrayLiteralExpression(p.initializer) ? p.initializer.elements : [p.initializer];
    for (const item of items) {
      const matcher = pathMatcher(item);
      if (matcher) matchers.push(matcher);
    }
  }
  return matchers;
}

function pathMatcher(item: ts.Expression): PathMatcher | undefined {
  if (ts.isStringLiteralLike(item)) return { label: `'${item.text}'`, test: (path) => path === item.text };
  if (ts.isRegularExpressionLiteral(item)) {
    const match = /^\/(.*)\/([a-z]*)$/s.exec(item.text);
    if (!match) return undefined;
    try {
      const regex = new RegExp(match[1]!, match[2]!.replace(/[gy]/g, ''));
      return { label: item.text, test: (path) => regex.test(samplePath(path)) };
    } catch {
      return undefined;
    }
  }
  if (ts.isNewExpression(item) && item.arguments?.[0] && ts.isStringLiteralLike(item.arguments[0])) {
    try {
      const regex = new RegExp(item.arguments[0].text);
      return { label: item.getText(), test: (path) => regex.test(samplePath(path)) };
    } catch {
      return undefined;
    }
  }
  if (ts.isObjectLiteralExpression(item)) {
    const url = item.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && propertyName(p.name) === 'url');
    return url ? pathMatcher(url.initializer) : undefined;
  }
  return undefined;
}

/** A concrete path for a route pattern: `/a/:id/{x}/[y]` -> `/a/id/x/y`. */
export function samplePath(path: string): string {
  return path.replace(/:(\w+)[*+?]?/g, '$1').replace(/\{(\w+)[*?]?\}/g, '$1').replace(/\[+\.*(\w+)\]+/g, '$1');
}
