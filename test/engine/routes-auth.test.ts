import { describe, expect, it } from 'vitest';
import { routeLines } from './routes-helpers.js';

/** One route guarded only by `mw` (with `imports` above): is it authenticated? */
function statusWith(imports: string, mw: string, extraFiles: Record<string, string> = {}, config = {}): string {
  const app = `import express from 'express';\n${imports}\nconst app = express();\napp.use(${mw});\napp.get('/api/data', (req, res) => res.json([]));\n`;
  const lines = routeLines({ 'src/app.ts': app, ...extraFiles }, config);
  return lines[0]!.split(' ').pop()!;
}

describe('what counts as authentication', () => {
  it.each([
    ["import passport from 'passport';", "passport.authenticate('jwt', { session: false })"],
    ["import { ensureLoggedIn } from 'connect-ensure-login';", 'ensureLoggedIn()'],
    ["import { expressjwt } from 'express-jwt';", "expressjwt({ secret: 's', algorithms: ['HS256'] })"],
    ["import { auth } from 'express-oauth2-jwt-bearer';", "auth({ audience: 'a' })"],
    ["import { requiresAuth } from 'express-openid-connect';", 'requiresAuth()'],
    ["import { auth } from 'express-openid-connect';", 'auth()'],
    ["import Keycloak from 'keycloak-connect';\nconst keycloak = new Keycloak({});", 'keycloak.protect()'],
    ["import basicAuth from 'express-basic-auth';", "basicAuth({ users: { a: 'b' } })"],
    ['const requireAuth = (req, res, next) => next();', 'requireAuth'],
    ['declare const isAuthenticated: any;', 'isAuthenticated'],
    ['declare const verifyToken: any;', 'verifyToken'],
    ['declare const checkJwt: any;', 'checkJwt'],
    ['declare const ensureAuth: any;', 'ensureAuth'],
    [
      "import jwt from 'jsonwebtoken';\nfunction gate(req, res, next) { req.user = jwt.verify(req.headers.authorization, 'k'); next(); }",
      'gate',
    ],
    ['function gate(req, res, next) { if (!req.isAuthenticated()) return res.redirect("/login"); next(); }', 'gate'],
    ['function gate(req, res, next) { if (!req.session.user) return res.status(401).end(); next(); }', 'gate'],
  ])('%s %s authenticates', (imports, mw) => {
    expect(statusWith(imports, mw)).toBe('authenticated');
  });

  it.each([
    ["import helmet from 'helmet';", 'helmet()'],
    ["import cors from 'cors';", 'cors()'],
    ["import rateLimit from 'express-rate-limit';", 'rateLimit({ windowMs: 1000 })'],
    ["import bodyParser from 'body-parser';", 'bodyParser.json()'],
    ['', 'express.json()'],
    ['', 'express.urlencoded({ extended: true })'],
    ["import morgan from 'morgan';", "morgan('dev')"],
    ["import cookieParser from 'cookie-parser';", 'cookieParser()'],
    ["import session from 'express-session';", "session({ secret: 's' })"],
    ["import csurf from 'csurf';", 'csurf()'],
    ["import { body } from 'express-validator';", "body('email').isEmail()"],
    ["import passport from 'passport';", 'passport.initialize()'],
    ["import passport from 'passport';", 'passport.session()'],
    ["import passport from 'passport';", "passport.authenticate('anonymous')"],
    ["import { auth } from 'express-openid-connect';", 'auth({ authRequired: false })'],
    [
      "import jwt from 'jsonwebtoken';\nfunction readUser(req, res, next) { const t = jwt.decode(req.headers.authorization); if (!t) return res.status(401).end(); req.user = t; next(); }",
      'readUser',
    ],
    ['declare const optionalAuth: any;', 'optionalAuth'],
    ['declare const apiLimiter: any;', 'apiLimiter'],
    ['function tenant(req, res, next) { req.tenant = req.headers.host; next(); }', 'tenant'],
  ])('%s %s does not authenticate', (imports, mw) => {
    expect(statusWith(imports, mw)).toBe('unauthenticated');
  });

  it('follows a middleware defined in another file, and a factory', () => {
    const files = {
      'src/mw/guard.ts': `import jwt from 'jsonwebtoken';\nexport default function guard() { return (req, res, next) => { jwt.verify(req.headers.authorization, 'k'); next(); }; }`,
    };
    expect(statusWith("import guard from './mw/guard';", 'guard()', files)).toBe('authenticated');
  });

  it('uses the team middleware list from the config', () => {
    expect(
      statusWith('declare const gatekeeper: any;', 'gatekeeper', {}, { auth: { middleware: ['gatekeeper'] } }),
    ).toBe('authenticated');
  });

  it('does not trust express.static in front of a router', () => {
    expect(statusWith('', "express.static('public')")).toBe('unauthenticated');
  });
});

describe('custom middleware judged by what its body does', () => {
  it.each([
    [
      'a middleware named like input validation that verifies a JWT',
      "import jwt from 'jsonwebtoken';\nfunction validateToken(req, res, next) { req.staff = jwt.verify(req.get('authorization'), process.env.KEY); next(); }",
      'validateToken',
    ],
    [
      'a wrapped middleware that hands the Authorization header to a model lookup that throws',
      "import asyncHandler from 'express-async-handler';\nconst attachClinician = asyncHandler(async (req, res, next) => { req.clinician = await req.models.Clinician.fromBearer(req.get('authorization')); next(); });",
      'attachClinician',
    ],
    [
      'a destructured Authorization header checked and rejected',
      'async function gate(req, res, next) { const { authorization } = req.headers; if (!authorization) return res.sendStatus(401); req.who = await sessions.lookup(authorization); next(); }',
      'gate',
    ],
    [
      'a role check on the signed-in user',
      "function clinicianOnly(req, res, next) { if (!req.user?.roles.includes('clinician')) return res.status(403).end(); next(); }",
      'clinicianOnly',
    ],
    [
      'a session read that hands an error to next()',
      "function staffSession(req, res, next) { if (!req.session.staffId) return next(new Error('sign in first')); next(); }",
      'staffSession',
    ],
    [
      'a role middleware from a package (by its name)',
      "import { requireRole } from '@acme/access';",
      "requireRole('nurse')",
    ],
    ['a permission check (by its name)', 'declare const checkPermission: any;', "checkPermission('records:read')"],
    [
      'a throw of an error class named for a refusal',
      'class NotAuthenticatedError extends Error {}\nfunction gate(req, res, next) { if (!res.locals.account) throw new NotAuthenticatedError(); next(); }',
      'gate',
    ],
  ])('%s authenticates', (_, imports, mw) => {
    expect(statusWith(imports, mw)).toBe('authenticated');
  });

  it.each([
    [
      'a check that a client-set x-user-id header is present',
      "function requireUserHeader(req, res, next) { if (!req.headers['x-user-id']) return res.status(401).end(); next(); }",
      'requireUserHeader',
    ],
    [
      'the same through req.get()',
      "function who(req, res, next) { const id = req.get('X-Staff-Id'); if (!id) return res.sendStatus(403); req.staffId = id; next(); }",
      'who',
    ],
    [
      'a shared static key compared with an environment variable',
      "function apiKey(req, res, next) { if (req.headers['x-api-key'] !== process.env.LAB_KEY) return res.status(401).end(); next(); }",
      'apiKey',
    ],
    [
      'an inline middleware that sets headers and calls next',
      '',
      "(req, res, next) => { res.setHeader('X-Server', 'lab'); next(); }",
    ],
  ])('%s does not authenticate', (_, imports, mw) => {
    expect(statusWith(imports, mw)).toBe('unauthenticated');
  });

  it('a shared static key counts once the team declares it', () => {
    const key =
      "function apiKey(req, res, next) { if (req.headers['x-api-key'] !== process.env.LAB_KEY) return res.status(401).end(); next(); }";
    expect(statusWith(key, 'apiKey', {}, { auth: { middleware: ['apiKey'] } })).toBe('authenticated');
  });
});

describe('handlers that authenticate themselves with a one-time secret or a second factor', () => {
  it.each([
    [
      'a constant-time comparison of a reset secret',
      "import { timingSafeEqual } from 'node:crypto';\nasync function h(req, res) { const r = await requests.find(req.body.id); if (!timingSafeEqual(Buffer.from(r.secret), Buffer.from(req.body.secret))) return res.status(400).end(); res.json(await users.reset(r.user)); }",
    ],
    [
      'a verification named verify + a credential',
      'async function h(req, res) { const ok = await verifyMfaToken(req.body.login, req.body.token); if (!ok) return res.status(400).end(); res.json(await sessions.open(req.body.login)); }',
    ],
  ])('%s', (_, handler) => {
    const lines = routeLines({
      'src/app.ts': `import express from 'express';\nconst app = express();\n${handler}\napp.post('/api/step', h);\n`,
    });
    expect(lines).toEqual(['POST /api/step authenticated']);
  });

  it('a password strength check is not a verification', () => {
    const lines = routeLines({
      'src/app.ts':
        "import express from 'express';\nconst app = express();\napp.put('/api/users/:id', async (req, res) => { if (!validatePassword(req.body.password)) return res.status(400).end(); res.json(await users.update(req.params.id, req.body)); });\n",
    });
    expect(lines).toEqual(['PUT /api/users/:id unauthenticated']);
  });
});

describe('handlers that authenticate themselves', () => {
  const one = (route: string) =>
    routeLines({ 'src/app.ts': `import express from 'express';\nconst app = express();\n${route}\n` })[0];
  it.each([
    [
      "app.get('/api/me/visits', async (req, res) => { const user = await getUser(req); if (!user) return res.status(401).end(); res.json(await visits.of(user.id)); });",
      'authenticated',
    ],
    [
      "app.get('/api/visits', async (req, res) => { if (!req.session?.staffId) return res.redirect('/login'); res.json(await visits.all()); });",
      'authenticated',
    ],
    [
      "app.get('/api/users/:userId', async (req, res) => { if (!req.params.userId) return res.status(401).end(); res.json(await users.find(req.params.userId)); });",
      'unauthenticated',
    ],
    [
      "app.get('/api/visits', async (req, res) => { const user = await getUser(req); res.json(await visits.all()); });",
      'unauthenticated',
    ],
  ])('%s -> %s', (route, status) => {
    expect(one(route)).toMatch(new RegExp(`${status}$`));
  });

  it('a Next.js handler that asks Supabase for the user and redirects when there is none', () => {
    expect(
      routeLines({
        'app/api/visits/route.ts':
          "import { redirect } from 'next/navigation';\nexport async function GET() { const { data } = await supabase.auth.getUser(); if (!data.user) redirect('/sign-in'); return Response.json(await db.visits()); }",
      }),
    ).toEqual(['GET /api/visits authenticated']);
  });
});
