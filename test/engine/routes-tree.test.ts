import { describe, expect, it } from 'vitest';
import { routeLines } from './routes-helpers.js';

/** A session check in its own file, used by the cases below. */
const SESSION = `import jwt from 'jsonwebtoken';
export function checkSession(req, res, next) {
  try { req.user = jwt.verify(req.headers.authorization, process.env.KEY); next(); }
  catch { res.status(401).end(); }
}
`;

/** An auth router: sign-in first, then router-level authentication, then the caller's profile. */
const ACCOUNT = `import { Router } from 'express';
import { checkSession } from './session';
export function accountRouter(options) {
  const router = Router();
  router.post('/signin', (req, res) => res.json({ token: 't' }));
  router.use(checkSession);
  router.get('/profile', (req, res) => res.json(req.user));
  return router;
}
`;

const ward = (name: string) => `import { Router } from 'express';
export const ${name} = Router();
${name}.get('/', (req, res) => res.json([]));
${name}.delete('/:id', (req, res) => res.end());
`;

describe('authentication installed higher up in the router tree (Express)', () => {
  it('an auth router mounted without a path on /api guards the feature routers mounted after it', () => {
    expect(
      routeLines({
        'src/session.ts': SESSION,
        'src/account.ts': ACCOUNT,
        'src/wards.ts': ward('wards'),
        'src/api.ts': `import express from 'express';
import { accountRouter } from './account';
import { wards } from './wards';
const api = express.Router();
api.post('/clock', (req, res) => res.json({ now: Date.now() }));
api.use(accountRouter({ strict: true }));
api.use('/wards', wards);
const app = express();
app.use('/api', api);
export default app;`,
      }),
    ).toEqual([
      'POST /api/signin unauthenticated',
      'GET /api/profile authenticated',
      'POST /api/clock unauthenticated',
      'GET /api/wards authenticated',
      'DELETE /api/wards/:id authenticated',
    ]);
  });

  it('the same auth router mounted after the feature routers guards nothing of theirs', () => {
    expect(
      routeLines({
        'src/session.ts': SESSION,
        'src/account.ts': ACCOUNT,
        'src/wards.ts': ward('wards'),
        'src/api.ts': `import express from 'express';
import { accountRouter } from './account';
import { wards } from './wards';
const app = express();
app.use('/wards', wards);
app.use(accountRouter({}));`,
      }),
    ).toEqual([
      'POST /signin unauthenticated',
      'GET /profile authenticated',
      'GET /wards unauthenticated',
      'DELETE /wards/:id unauthenticated',
    ]);
  });

  it('middleware written in a mount runs for everything under that path mounted later, not elsewhere', () => {
    expect(
      routeLines({
        'src/session.ts': SESSION,
        'src/wards.ts': ward('wards'),
        'src/beds.ts': ward('beds'),
        'src/app.ts': `import express from 'express';
import { checkSession } from './session';
import { wards } from './wards';
import { beds } from './beds';
const app = express();
app.use('/clinic', checkSession, wards);
app.use('/clinic', beds);
app.use('/kiosk', beds);`,
      }),
    ).toEqual([
      'GET /clinic authenticated',
      'GET /kiosk unauthenticated',
      'DELETE /clinic/:id authenticated',
      'DELETE /kiosk/:id unauthenticated',
      'GET /clinic authenticated',
      'DELETE /clinic/:id authenticated',
    ]);
  });

  it('a path-scoped router.use(auth) inside a root-mounted router guards only that path', () => {
    expect(
      routeLines({
        'src/session.ts': SESSION,
        'src/wards.ts': ward('wards'),
        'src/admin.ts': `import { Router } from 'express';
import { checkSession } from './session';
export const admin = Router();
admin.use('/manage', checkSession);`,
        'src/app.ts': `import express from 'express';
import { admin } from './admin';
import { wards } from './wards';
const app = express();
app.use(admin);
app.use('/manage/wards', wards);
app.use('/open/wards', wards);`,
      }),
    ).toEqual([
      'GET /manage/wards authenticated',
      'GET /open/wards unauthenticated',
      'DELETE /manage/wards/:id authenticated',
      'DELETE /open/wards/:id unauthenticated',
    ]);
  });

  it('Koa: a router-level use() applies to that router only, it does not leak to the next router', () => {
    expect(
      routeLines({
        'src/koa.ts': `import Koa from 'koa';
import Router from '@koa/router';
import jwt from 'koa-jwt';
const app = new Koa();
const priv = new Router();
priv.use(jwt({ secret: 's' }));
priv.get('/mine', (ctx) => { ctx.body = 1; });
const pub = new Router();
pub.get('/board', (ctx) => { ctx.body = 1; });
app.use(priv.routes());
app.use(pub.routes());`,
      }),
    ).toEqual(['GET /mine authenticated', 'GET /board unauthenticated']);
  });

  it('path arrays and regular expressions in use(), router.all("*", auth), a CommonJS middleware module', () => {
    expect(
      routeLines({
        'lib/guard.js': `const jwt = require('jsonwebtoken');
function guard(req, res, next) {
  const token = req.headers['x-access-token'];
  if (!token) return res.status(403).json({});
  jwt.verify(token, process.env.KEY, (err, decoded) => { req.uid = decoded.id; next(); });
}
module.exports = guard;`,
        'lib/app.js': `const app = require('express')(), guard = require('./guard');
const records = require('express').Router();
records.all('*', guard);
records.get('/list', (req, res) => res.json([]));
app.use(['/staff', '/records'], guard);
app.use(/^\\/internal\\//, guard);
app.get('/staff/:id', (req, res) => res.json({}));
app.get('/internal/jobs', (req, res) => res.json({}));
app.get('/visitors', (req, res) => res.json({}));
app.use('/archive', records);`,
      }),
    ).toEqual([
      'GET /archive/list authenticated',
      'GET /staff/:id authenticated',
      'GET /internal/jobs authenticated',
      'GET /visitors unauthenticated',
    ]);
  });
});
