import { codeRegex } from '../linear-regex.js';
import ts from 'typescript';
import { nameMatches, type AuthKnowledge } from './knowledge.js';
import { splitWords } from '../vocabulary/words.js';
import type { AuthVerdict } from './model.js';
import { type Origin, type Resolver } from '../names/resolver.js';
import { dottedName, forEachBoundName, propertyName, unwrap } from '../syntax/ast.js';

export interface Verdict {
  verdict: AuthVerdict;
  why: string;
  /** Paths this middleware skips (`.unless({ path })`), with the opt-out node. */
  unless?: { matchers: PathMatcher[]; node: ts.Node; file: string };
  /**
   * `unknown` that may well authenticate: a name that does not resolve, a dynamic value, a body
   * that hands the request to code out of view, a guard class out of view. A route whose only
   * possible authentication is undecided is reported at note severity, not as open.
   */
  undecided?: boolean;
}

interface PathMatcher {
  label: string;
  test(path: string): boolean;
}

const MAX_DEPTH = 4;

/** Decides whether middleware, hooks, guards and handler bodies authenticate, following names across files. */
export class AuthClassifier {
  private readonly memo = new Map<ts.Node, Verdict>();
  private readonly bodies = new Map<ts.Node, BodyFacts>();

  constructor(
    readonly resolver: Resolver,
    readonly knowledge: AuthKnowledge,
  ) {}

  /** An Express/Koa middleware, a Fastify hook, a Next.js wrapper. */
  middleware(expression: ts.Expression, file: string, depth = 0): Verdict {
    const node = unwrap(expression);
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
      return (
        parts.find((p) => p.verdict === 'auth') ??
        parts.find((p) => p.verdict === 'not-auth') ?? { verdict: 'unknown', why: 'no element authenticates' }
      );
    }
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'unless'
    ) {
      const inner = this.middleware(node.expression.expression, file, depth);
      return { ...inner, unless: { matchers: unlessMatchers(node.arguments[0]), node, file } };
    }
    if (ts.isFunctionLike(node)) return visible(this.body(node, file, depth, false));
    const name = dottedName(node);
    const last = name.split('.').pop() ?? '';
    if (name && (k.teamMiddleware.includes(name) || k.teamMiddleware.includes(last)))
      return { verdict: 'auth', why: `${last} is the team's authentication middleware` };
    const callee = ts.isCallExpression(node) || ts.isNewExpression(node) ? node.expression : node;
    let origin = depth > MAX_DEPTH ? undefined : this.resolver.origin(callee, file);
    // `const verifyToken = require('./middleware/verifyToken')`: the module's default export.
    if (origin?.kind === 'node' && ts.isSourceFile(origin.node))
      origin = this.resolver.exported(origin.file, 'default');
    // `body('email').isEmail()`: a builder chain, judged by where its root comes from.
    let chained = false;
    if (!origin && depth <= MAX_DEPTH) {
      let root: ts.Node = unwrap(callee);
      while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root) || ts.isElementAccessExpression(root))
        root = unwrap(root.expression);
      if (root !== unwrap(callee) && ts.isIdentifier(root)) {
        const base = this.resolver.origin(root, file);
        if (base?.kind === 'package') origin = base;
        chained = !!base;
      }
    }
    if (origin?.kind === 'package') {
      const byPackage = this.packageVerdict(origin, node);
      if (byPackage) return byPackage;
    }
    const notAuth = k.notAuthentication.get(name) ?? k.notAuthentication.get(last);
    if (notAuth) return { verdict: 'not-auth', why: notAuth };
    if (name && k.calls.some((c) => name === c || name.endsWith('.' + c) || last === c)) {
      if (last === 'authenticate' && ts.isCallExpression(node)) {
        const strategy = node.arguments[0];
        if (strategy && ts.isStringLiteralLike(strategy) && k.anonymousStrategies.has(strategy.text))
          return { verdict: 'not-auth', why: `the '${strategy.text}' strategy lets anyone in` };
      }
      return { verdict: 'auth', why: `${name} authenticates` };
    }
    // What the code does says more than its name: `validateToken` that verifies a JWT authenticates.
    let seen: (Verdict & { silent?: boolean }) | undefined;
    // `asyncHandler(async (req, res, next) => {...})`, `catchErrors(fn)`: a wrapper decides nothing, its function does.
    if (ts.isCallExpression(node) && depth <= MAX_DEPTH) {
      const wrapped = node.arguments.map(unwrap).find((a) => ts.isFunctionLike(a));
      if (wrapped) {
        const verdict = this.body(wrapped, file, depth + 1, false);
        if (verdict.verdict !== 'unknown') return verdict;
        seen = verdict;
      }
    }
    if (origin?.kind === 'node' && depth <= MAX_DEPTH) {
      const target = origin.node;
      if (ts.isFunctionLike(target)) {
        const verdict = this.body(target, origin.file, depth + 1, false);
        // `attachUser`, `optionalAuth`: identifies the caller when it can, rejects nobody.
        const optional =
          verdict.verdict === 'auth' && !verdict.rejects ? k.notNames.find((p) => nameMatches(last, p)) : undefined;
        if (optional)
          return {
            verdict: 'not-auth',
            why: `${last} identifies the caller when it can but rejects nobody ("${optional.words.join(' ')}")`,
          };
        if (verdict.verdict !== 'unknown') return verdict;
        if (!seen || seen.silent) seen = verdict;
      } else if (
        (ts.isCallExpression(target) ||
          ts.isNewExpression(target) ||
          ts.isArrayLiteralExpression(target) ||
          ts.isPropertyAccessExpression(target)) &&
        target !== node
      ) {
        const verdict = this.middleware(target, origin.file, depth + 1);
        if (verdict.verdict !== 'unknown') return verdict;
      }
    }
    const byName = this.byName(last || name);
    if (byName) return byName;
    if (seen) return visible(seen);
    // A package we do not know is no more likely to authenticate than its name says; a value we
    // cannot follow at all (an unresolved name, a parameter, a computed member) may.
    const unresolvedImport = origin?.kind === 'package' && /^(\.|[@~#]\/)/.test(origin.module);
    const followed =
      chained ||
      (origin?.kind === 'package' && !unresolvedImport) ||
      (origin?.kind === 'node' &&
        (ts.isFunctionLike(origin.node) || ts.isCallExpression(origin.node) || ts.isNewExpression(origin.node)));
    return {
      verdict: 'unknown',
      why: followed
        ? `${last || 'it'} is not recognised as authentication`
        : `${last || 'it'} could not be followed to its definition`,
      ...(followed ? {} : { undecided: true }),
    };
  }

  /**
   * Name-only verdict, or undefined when the name says nothing. The most specific words win:
   * `validateToken` is token validation (auth), `validateBody` input validation, `authLimiter` a limiter.
   */
  byName(name: string): Verdict | undefined {
    const k = this.knowledge;
    if (!name) return undefined;
    const longest = <T extends { words: string[]; prefix: boolean }>(patterns: T[]): T | undefined =>
      patterns.filter((p) => nameMatches(name, p)).sort((a, b) => b.words.length - a.words.length)[0];
    const notWord = longest(k.notNames);
    const authWord = longest(k.names);
    const other = longest(k.notAuthenticationWords);
    if (authWord && notWord)
      return { verdict: 'not-auth', why: `${name} does not require authentication ("${notWord.words.join(' ')}")` };
    if (other && (!authWord || other.words.length >= authWord.words.length))
      return { verdict: 'not-auth', why: other.why };
    if (authWord) return { verdict: 'auth', why: `${name} authenticates (by its name)` };
    return undefined;
  }

  /** A value exported by a package (`export { auth as middleware } from './auth'` where auth comes from NextAuth). */
  packageExport(origin: Extract<Origin, { kind: 'package' }>, node: ts.Expression): Verdict {
    return (
      this.packageVerdict(origin, node) ?? {
        verdict: 'unknown',
        why: `${origin.module} is not recognised as authentication`,
      }
    );
  }

  private packageVerdict(origin: Extract<Origin, { kind: 'package' }>, node: ts.Expression): Verdict | undefined {
    const k = this.knowledge;
    const path = [...(origin.name === 'default' ? [] : [origin.name]), ...origin.members];
    const keys =
      path.length > 0
        ? [`${origin.module}.${path.join('.')}`, `${origin.module}.${path[path.length - 1]}`, origin.module]
        : [origin.module];
    for (const key of keys) {
      const why = k.notAuthentication.get(key);
      if (why) return { verdict: 'not-auth', why };
    }
    const exported = k.packages.get(origin.module);
    const member = path.length === 0 ? 'default' : path[0]!;
    if (exported && exported.has(member)) {
      if (ts.isCallExpression(node) && optionFalse(node.arguments[0], 'authRequired'))
        return {
          verdict: 'not-auth',
          why: 'authRequired: false only attaches the session; routes need requiresAuth()',
        };
      return { verdict: 'auth', why: `${origin.module} authenticates` };
    }
    return undefined;
  }

  /**
   * A function used as middleware, hook or guard body (`strict` for route handlers: a bare
   * 401/403 is not enough, the handler must check the caller first). `unknown` when it reads no
   * credential and rejects nothing: the caller then falls back to the name, or to `silent`.
   */
  body(fn: ts.Node, file: string, depth: number, strict: boolean): Verdict & { silent?: boolean; rejects?: boolean } {
    const facts = this.bodyFacts(fn, file, depth);
    const verdict = this.decideBody(facts, strict);
    return verdict.verdict === 'auth'
      ? { ...verdict, rejects: !!(facts.reject || facts.guard || facts.throwingVerify) }
      : verdict;
  }

  private decideBody(facts: BodyFacts, strict: boolean): Verdict & { silent?: boolean } {
    const credential = facts.session ?? facts.credentials ?? facts.credentialHeader;
    if (facts.decode && !facts.verify) return { verdict: 'not-auth', why: 'decodes the token without verifying it' };
    if (facts.verify) return { verdict: 'auth', why: `verifies the caller (${facts.verify})` };
    if (facts.guard) return { verdict: 'auth', why: `rejects unauthenticated callers (${facts.guard})` };
    if (facts.staticKey && !facts.session && !facts.credentials)
      return {
        verdict: 'not-auth',
        why: `compares ${facts.staticKey} with a shared static key (declare it in auth.middleware if it is the team's authentication)`,
      };
    if (credential && (facts.reject || (!strict && facts.forward)))
      return { verdict: 'auth', why: `checks ${credential} and rejects with ${facts.reject ?? facts.forward}` };
    if (facts.handsCredential)
      return {
        verdict: 'auth',
        why: `hands ${facts.credentialHeader} to ${facts.handsCredential} to identify the caller`,
      };
    if (facts.identityHeader && !credential)
      return { verdict: 'not-auth', why: `trusts the ${facts.identityHeader} header, which the client sets` };
    if (!strict && facts.reject) return { verdict: 'auth', why: `rejects with ${facts.reject}` };
    if (facts.session) return { verdict: 'not-auth', why: `reads ${facts.session} but never rejects a missing one` };
    if (facts.opaque)
      return { verdict: 'unknown', why: `hands the request to ${facts.opaque}, which is not known to authenticate` };
    return { verdict: 'unknown', why: 'reads no credential and rejects nothing', silent: true };
  }

  private bodyFacts(fn: ts.Node, file: string, depth: number): BodyFacts {
    const cached = this.bodies.get(fn);
    if (cached) return cached;
    const facts: BodyFacts = {};
    this.bodies.set(fn, facts);
    // The body's own facts come from its syntax, walked once per tree and kept across resolutions;
    // only the calls it makes are followed here, in walk order, since what they add decides what comes next.
    for (const step of bodyScript(fn, this.knowledge)) {
      if (step.kind === 'set') {
        if (facts[step.key] === undefined) (facts as Record<string, string | true>)[step.key] = step.value;
        continue;
      }
      if (facts.verify || facts.guard || depth >= MAX_DEPTH) continue;
      const { call, name } = step;
      const origin = this.resolver.origin(call.expression, file);
      if (origin?.kind === 'node' && ts.isFunctionLike(origin.node) && origin.node !== fn) {
        const inner = this.bodyFacts(origin.node, origin.file, depth + 1);
        facts.verify ??= inner.verify;
        facts.guard ??= inner.guard;
        if (inner.reject && (inner.session || inner.credentials || inner.credentialHeader)) facts.guard ??= `${name}()`;
      } else {
        const verdict = origin?.kind === 'package' ? this.packageVerdict(origin, call) : undefined;
        if (verdict?.verdict === 'auth') facts.verify ??= name;
        else if (!verdict && step.opaque) facts.opaque ??= `${name}()`;
      }
    }
    if (facts.handsCredentialTo && facts.credentialHeader) facts.handsCredential = facts.handsCredentialTo;
    return facts;
  }

  /** A Nest guard: `AuthGuard('jwt')`, a guard class, `new JwtGuard()`. */
  guard(expression: ts.Expression, file: string): Verdict & { honoursOptOut: boolean } {
    const k = this.knowledge;
    const node = unwrap(expression);
    const target = ts.isNewExpression(node) ? node.expression : node;
    const name = dottedName(target);
    const last = name.split('.').pop() ?? '';
    const notWords = k.notAuthenticationWords.find((p) => nameMatches(last, p));
    const notAuth = k.notAuthentication.get(last) ?? notWords?.why;
    if (notAuth) return { verdict: 'not-auth', why: notAuth, honoursOptOut: false };
    if (ts.isCallExpression(target) && k.guards.has(dottedName(target.expression).split('.').pop() ?? ''))
      return { verdict: 'auth', why: `${last} authenticates`, honoursOptOut: false };
    const origin = this.resolver.origin(target, file);
    if (origin?.kind === 'node' && ts.isClassLike(origin.node)) {
      const cls = origin.node;
      const honours = /reflector|getAllAndOverride|IS_PUBLIC|isPublic/i.test(cls.getText());
      const base = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
      if (base && k.guards.has(dottedName(base).split('.').pop() ?? ''))
        return { verdict: 'auth', why: `${last} extends ${base.getText()}`, honoursOptOut: honours };
      const canActivate = cls.members.find((m) => m.name && propertyName(m.name) === 'canActivate');
      if (canActivate) {
        const verdict = this.body(canActivate, origin.file, 1, false);
        if (verdict.verdict !== 'unknown') return { ...verdict, honoursOptOut: honours };
      }
    }
    if (k.guards.has(last)) return { verdict: 'auth', why: `${last} authenticates`, honoursOptOut: true };
    const byName = this.byName(last);
    if (byName) return { ...byName, honoursOptOut: true };
    // A guard decides access: one out of view may well authenticate.
    return {
      verdict: 'unknown',
      why: `${last || 'the guard'} could not be followed to a body that authenticates`,
      honoursOptOut: false,
      undecided: true,
    };
  }
}

/** A body that reads no credential and rejects nothing, seen whole: it does not authenticate. */
function visible(verdict: Verdict & { silent?: boolean }): Verdict {
  if (verdict.silent) return { verdict: 'not-auth', why: verdict.why };
  const { silent: _silent, ...rest } = verdict;
  return rest;
}

interface BodyFacts {
  verify?: string;
  decode?: string;
  session?: string;
  guard?: string;
  reject?: string;
  /** `next(err)`: hands an error on, a rejection when it follows a credential check. */
  forward?: string;
  /** A read of the caller's identity kept by the server (`req.user`, `req.session.userId`). */
  credentials?: string;
  /** A read of a credential the client sends (Authorization header, token header, cookie). */
  credentialHeader?: string;
  /** The call that receives a credential read from the request (`Users.fromToken(req.get('authorization'))`). */
  handsCredentialTo?: string;
  handsCredential?: string;
  /** A header that names the caller, set by the client itself (`x-user-id`). */
  identityHeader?: string;
  /** A request value compared with a constant, an environment variable or a config value. */
  staticKey?: string;
  /** A call that receives the request but could not be followed (a package, a dynamic value). */
  opaque?: string;
  /** A verification written in this body outside any try: it throws on a bad token. */
  throwingVerify?: boolean;
}

/**
 * What a body's syntax says, in walk order: facts it sets (the first value of a fact wins) and the
 * calls that may be followed into another body. A pure function of the body's tree and the
 * knowledge: kept per node (a re-parse makes new nodes for what changed), so that resolving the
 * routes again after an edit walks only the bodies of the edited code.
 */
type BodyStep =
  | { kind: 'set'; key: Exclude<keyof BodyFacts, 'throwingVerify' | 'handsCredential'>; value: string }
  | { kind: 'set'; key: 'throwingVerify'; value: true }
  | { kind: 'follow'; call: ts.CallExpression; name: string; opaque: boolean };

const scripts = new WeakMap<AuthKnowledge, WeakMap<ts.Node, BodyStep[]>>();

function bodyScript(fn: ts.Node, k: AuthKnowledge): BodyStep[] {
  let byNode = scripts.get(k);
  if (!byNode) scripts.set(k, (byNode = new WeakMap()));
  let steps = byNode.get(fn);
  if (!steps) byNode.set(fn, (steps = writeBodyScript(fn, k)));
  return steps;
}

function writeBodyScript(fn: ts.Node, k: AuthKnowledge): BodyStep[] {
  const steps: BodyStep[] = [];
  const set = (key: Exclude<keyof BodyFacts, 'throwingVerify' | 'handsCredential'>, value: string) =>
    steps.push({ kind: 'set', key, value });
  const params = ts.isFunctionLike(fn) ? fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : '')) : [];
  const request = params[0] || 'req';
  const next =
    params.length >= 3 ? params[2] : params.length === 2 && /^next$/.test(params[1]!) ? params[1] : undefined;
  /** Local names that hold a credential read from the request (`const token = req.headers.authorization`). */
  const tainted = new Set<string>();
  const mentionsCredential = (node: ts.Node): boolean => {
    let found = false;
    const walk = (n: ts.Node): void => {
      if (found) return;
      if ((ts.isIdentifier(n) && tainted.has(n.text)) || credentialRead(n, k)) found = true;
      else ts.forEachChild(n, walk);
    };
    walk(node);
    return found;
  };
  const visit = (node: ts.Node): void => {
    if (ts.isClassDeclaration(node)) return;
    const header = requestHeader(node, request);
    if (header) {
      const kind = headerKind(header, k);
      if (kind === 'credential')
        set(
          'credentialHeader',
          header.toLowerCase() === 'authorization' ? 'the Authorization header' : `the ${header} header`,
        );
      else if (kind === 'identity') set('identityHeader', header);
    }
    if (cookieRead(node)) set('credentialHeader', 'a cookie');
    if (ts.isVariableDeclaration(node) && node.initializer && mentionsCredential(node.initializer))
      forEachBoundName(node.name, (id) => tainted.add(id.text));
    // const { authorization } = req.headers
    if (
      ts.isVariableDeclaration(node) &&
      node.initializer &&
      ts.isObjectBindingPattern(node.name) &&
      /(^|\.)headers$/.test(unwrap(node.initializer).getText())
    ) {
      for (const e of node.name.elements) {
        const key =
          e.propertyName && ts.isIdentifier(e.propertyName)
            ? e.propertyName.text
            : ts.isIdentifier(e.name)
              ? e.name.text
              : '';
        const kind = key ? headerKind(key, k) : undefined;
        if (kind === 'credential') {
          set(
            'credentialHeader',
            key.toLowerCase() === 'authorization' ? 'the Authorization header' : `the ${key} header`,
          );
          forEachBoundName(e.name, (id) => tainted.add(id.text));
        } else if (kind === 'identity') set('identityHeader', key);
      }
    }
    if (ts.isBinaryExpression(node) && EQUALITY.has(node.operatorToken.kind)) {
      const key = staticComparison(node, request);
      if (key) set('staticKey', key);
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const name = dottedName(node.expression);
      const last = name.split('.').pop() ?? '';
      if (k.decodeCalls.has(last)) set('decode', name);
      else if (k.verifyCalls.has(last) || verifiesByWords(last, k)) {
        set('verify', name);
        // jwt.verify(token) outside any try: a bad or missing token throws, the request fails.
        if (ts.isCallExpression(node) && !insideTry(node, fn))
          steps.push({ kind: 'set', key: 'throwingVerify', value: true });
      }
      if (k.sessionCalls.has(last)) set('session', `${last}()`);
      if (k.guardCalls.has(last) && !ts.isNewExpression(node)) set('guard', `${name}()`);
      if (k.rejectNames.has(last) || rejectsByWords(last, k)) set('reject', last);
      if (
        last === 'redirect' &&
        node.arguments?.[0] &&
        /log-?in|sign-?in|auth|connexion/i.test(node.arguments[0].getText())
      )
        set('reject', 'a redirect to sign-in');
      if (
        ts.isCallExpression(node) &&
        next &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === next &&
        node.arguments.length > 0 &&
        !/^['"]route/.test(node.arguments[0]!.getText())
      )
        set('forward', `${next}(${shortArg(node.arguments[0]!)})`);
      const args = node.arguments ?? [];
      if (
        ts.isCallExpression(node) &&
        !isLogging(name) &&
        !isCredentialMethod(node, mentionsCredential) &&
        args.some((a) => mentionsCredential(a))
      )
        set('handsCredentialTo', `${name || 'a call'}()`);
      if (ts.isCallExpression(node) && !k.decodeCalls.has(last) && !k.sessionCalls.has(last)) {
        const opaque =
          args.some((a) => ts.isIdentifier(unwrap(a)) && (unwrap(a) as ts.Identifier).text === request) &&
          !GLOBALS.has(name.split('.')[0]!) &&
          name !== next;
        steps.push({ kind: 'follow', call: node, name, opaque });
      }
    }
    if (ts.isNumericLiteral(node) && k.rejectStatuses.has(Number(node.text))) set('reject', node.text);
    // `throw new TRPCError({ code: 'UNAUTHORIZED' })`, `error(403, 'Forbidden')`: a refusal named by a string.
    if (
      ts.isStringLiteral(node) &&
      node.text.length < 40 &&
      k.rejectWords.some((p) => p.words.join(' ') === splitWords(node.text).join(' '))
    )
      set('reject', `'${node.text}'`);
    if (ts.isIdentifier(node) && k.rejectNames.has(node.text)) set('reject', node.text);
    if (ts.isNewExpression(node) && rejectsByWords(dottedName(node.expression).split('.').pop() ?? '', k))
      set('reject', dottedName(node.expression));
    if (ts.isPropertyAccessExpression(node) && credentialProperty(node))
      set('credentials', node.getText().slice(0, 40));
    ts.forEachChild(node, visit);
  };
  const body = ts.isFunctionLike(fn) ? (fn as ts.FunctionLikeDeclaration).body : fn;
  if (body) visit(body);
  return steps;
}

function insideTry(node: ts.Node, fn: ts.Node): boolean {
  for (let p = node.parent; p && p !== fn; p = p.parent)
    if (ts.isTryStatement(p) && p.tryBlock.getStart() <= node.getStart() && node.getEnd() <= p.tryBlock.getEnd())
      return true;
  return false;
}

/** Property names that hold the caller's identity or credentials, read from the request or the session. */
const CREDENTIALS = new Set([
  'user',
  'session',
  'authorization',
  'auth',
  'currentUser',
  'userId',
  'isAuthenticated',
  'principal',
  'credentials',
  'token',
  'accessToken',
]);
/** Where a client-supplied value lives: a property named like a credential there is not the server's identity. */
const CLIENT_INPUT = new Set(['params', 'body', 'query', 'headers', 'cookies', 'signedCookies']);
const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);
/** Global objects whose methods never authenticate (`Object.assign(req, ...)`). */
const GLOBALS = new Set([
  'Object',
  'JSON',
  'Array',
  'String',
  'Number',
  'Math',
  'Date',
  'Promise',
  'console',
  'Reflect',
  'Buffer',
]);
const STRING_METHODS = new Set([
  'split',
  'replace',
  'replaceAll',
  'slice',
  'substring',
  'substr',
  'trim',
  'toLowerCase',
  'toUpperCase',
  'startsWith',
  'endsWith',
  'includes',
  'match',
  'indexOf',
  'at',
]);

/** `req.user`, `ctx.state.user`, `req.session.userId`: not under params, body, query or headers, and not written. */
function credentialProperty(node: ts.PropertyAccessExpression): boolean {
  if (!CREDENTIALS.has(node.name.text)) return false;
  const parent = node.parent;
  if (
    parent &&
    ts.isBinaryExpression(parent) &&
    parent.left === node &&
    parent.operatorToken.kind === ts.SyntaxKind.EqualsToken
  )
    return false;
  for (let n: ts.Expression = node.expression; ;) {
    if (ts.isPropertyAccessExpression(n)) {
      if (CLIENT_INPUT.has(n.name.text)) return false;
      n = n.expression;
    } else if (
      ts.isElementAccessExpression(n) ||
      ts.isCallExpression(n) ||
      ts.isNonNullExpression(n) ||
      ts.isParenthesizedExpression(n)
    )
      n = n.expression;
    else return true;
  }
}

/** The header a node reads from the request: `req.headers.authorization`, `req.headers['x-user-id']`, `req.get('authorization')`, `headers().get(...)`. */
function requestHeader(node: ts.Node, request: string): string | undefined {
  if (
    ts.isPropertyAccessExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === 'headers'
  )
    return node.name.text;
  if (
    ts.isElementAccessExpression(node) &&
    ts.isStringLiteralLike(node.argumentExpression) &&
    /(^|\.)headers$/.test(node.expression.getText())
  )
    return node.argumentExpression.text;
  if (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    /^(get|header|getHeader)$/.test(node.expression.name.text)
  ) {
    const arg = node.arguments[0];
    if (!arg || !ts.isStringLiteralLike(arg) || !/^[\w-]+$/.test(arg.text)) return undefined;
    const receiver = node.expression.expression.getText();
    if (
      receiver === request ||
      /^(req|request|ctx|context|c|event)$/.test(receiver) ||
      /(^|\.)headers(\(\))?$/.test(receiver)
    )
      return arg.text;
  }
  return undefined;
}

function headerKind(header: string, k: AuthKnowledge): 'credential' | 'identity' | 'key' | undefined {
  const words = splitWords(header);
  if (words.some((w) => k.credentialHeaderWords.has(w))) return 'credential';
  if (words.some((w) => k.keyHeaderWords.has(w))) return 'key';
  if (words.some((w) => k.identityHeaderWords.has(w))) return 'identity';
  return undefined;
}

/** `req.cookies.token`, `req.signedCookies[...]`, `cookies().get('session')`, `request.cookies.get(...)`. */
function cookieRead(node: ts.Node): boolean {
  if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
    const base = node.expression;
    return (
      (ts.isPropertyAccessExpression(base) && /^(cookies|signedCookies)$/.test(base.name.text)) ||
      (ts.isCallExpression(base) && /(^|\.)cookies$/.test(base.expression.getText()))
    );
  }
  return false;
}

/** A credential sent by the client, read from the request (a credential header or a cookie). */
function credentialRead(node: ts.Node, k: AuthKnowledge): boolean {
  const header = requestHeader(node, 'req');
  return (header !== undefined && headerKind(header, k) === 'credential') || cookieRead(node);
}

/** `req.headers['x-api-key'] !== process.env.API_KEY`: a request value against a constant, env or config value. */
function staticComparison(node: ts.BinaryExpression, request: string): string | undefined {
  const side = (n: ts.Expression) => {
    const header = requestHeader(n, request) ?? requestHeader(unwrap(n), request);
    if (header) return header;
    const text = n.getText();
    if (new RegExp(`^${request}\\.(query|body)\\.`).test(text)) return text.slice(0, 40);
    return undefined;
  };
  const constant = (n: ts.Expression) => {
    const u = unwrap(n);
    if (ts.isStringLiteralLike(u) || ts.isTemplateExpression(u)) return true;
    return (
      /^(process\.env|config|env|settings|CONFIG|ENV)\b/.test(u.getText()) || /^[A-Z][A-Z0-9_]+$/.test(u.getText())
    );
  };
  if (side(node.left) && constant(node.right)) return side(node.left);
  if (side(node.right) && constant(node.left)) return side(node.right);
  return undefined;
}

function verifiesByWords(name: string, k: AuthKnowledge): boolean {
  const words = splitWords(name);
  return words.some((w) => k.verifyVerbs.has(w)) && words.some((w) => k.verifyObjects.has(w));
}

function rejectsByWords(name: string, k: AuthKnowledge): boolean {
  return !!name && k.rejectWords.some((p) => nameMatches(name, p));
}

function isLogging(name: string): boolean {
  return /(^|\.)(console|log|logger|debug|info|warn|error|trace|print)(\.|$)/i.test(name);
}

/** `token.split(' ')`: a string method on the credential itself, not a hand-over. */
function isCredentialMethod(call: ts.CallExpression, mentions: (n: ts.Node) => boolean): boolean {
  return (
    ts.isPropertyAccessExpression(call.expression) &&
    STRING_METHODS.has(call.expression.name.text) &&
    mentions(call.expression.expression)
  );
}

function shortArg(node: ts.Node): string {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length > 20 ? text.slice(0, 17) + '...' : text;
}

function optionFalse(arg: ts.Expression | undefined, key: string): boolean {
  if (!arg || !ts.isObjectLiteralExpression(arg)) return false;
  return arg.properties.some(
    (p) =>
      ts.isPropertyAssignment(p) && propertyName(p.name) === key && p.initializer.kind === ts.SyntaxKind.FalseKeyword,
  );
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
    // A pattern from the code under analysis: never a backtracking engine (see codeRegex).
    const regex = codeRegex(match[1]!, match[2]);
    return regex ? { label: item.text, test: (path) => regex.test(samplePath(path)) } : undefined;
  }
  if (ts.isNewExpression(item) && item.arguments?.[0] && ts.isStringLiteralLike(item.arguments[0])) {
    const regex = codeRegex(item.arguments[0].text);
    return regex ? { label: item.getText(), test: (path) => regex.test(samplePath(path)) } : undefined;
  }
  if (ts.isObjectLiteralExpression(item)) {
    const url = item.properties.find(
      (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && propertyName(p.name) === 'url',
    );
    return url ? pathMatcher(url.initializer) : undefined;
  }
  return undefined;
}

/** A concrete path for a route pattern: `/a/:id/{x}/[y]` -> `/a/id/x/y`. */
export function samplePath(path: string): string {
  return path
    .replace(/:(\w+)[*+?]?/g, '$1')
    .replace(/\{(\w+)[*?]?\}/g, '$1')
    .replace(/\[+\.*(\w+)\]+/g, '$1');
}
