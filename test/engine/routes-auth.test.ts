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
    ["import jwt from 'jsonwebtoken';\nfunction gate(req, res, next) { req.user = jwt.verify(req.headers.authorization, 'k'); next(); }", 'gate'],
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
    ["import jwt from 'jsonwebtoken';\nfunction readUser(req, res, next) { const t = jwt.decode(req.headers.authorization); if (!t) return res.status(401).end(); req.user = t; next(); }", 'readUser'],
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
    expect(statusWith('declare const gatekeeper: any;', 'gatekeeper', {}, { auth: { middleware: ['gatekeeper'] } })).toBe('authenticated');
  });

  it('does not trust express.static in front of a router', () => {
    expect(statusWith('', "express.static('public')")).toBe('unauthenticated');
  });
});
