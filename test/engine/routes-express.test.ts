import { describe, expect, it } from 'vitest';
import { routeLines, routeRows } from './routes-helpers.js';

const AUTH = `import jwt from 'jsonwebtoken';
export function requireAuth(req, res, next) {
  try { req.user = jwt.verify(req.headers.authorization, process.env.SECRET); return next(); }
  catch { return res.status(401).end(); }
}
`;

describe('Express routes', () => {
  it('orders global middleware: a route before app.use(auth) is unauthenticated, after it is authenticated', () => {
    const rows = routeRows({
      'src/middleware/auth.ts': AUTH,
      'src/app.ts': `import express from 'express';
import { requireAuth } from './middleware/auth';
const app = express();
app.get('/api/before', (req, res) => res.json({}));
app.get('/api/inline', requireAuth, (req, res) => res.json({}));
app.use(requireAuth);
app.get('/api/after', (req, res) => res.json({}));
`,
    });
    expect(rows.map((r) => `${r.method} ${r.path} ${r.status} ${r.token}`)).toEqual([
      "GET /api/before unauthenticated '/api/before'",
      "GET /api/inline authenticated '/api/inline'",
      "GET /api/after authenticated '/api/after'",
    ]);
  });

  it('resolves routers mounted from other files (ESM named, default, CommonJS) with their prefixes', () => {
    expect(
      routeLines({
        'src/middleware/auth.ts': AUTH,
        'src/routes/patients.ts': `import { Router } from 'express';
export const patientsRouter = Router();
patientsRouter.get('/:id', (req, res) => res.json({}));`,
        'src/routes/results.ts': `import express from 'express';
const router = express.Router();
router.get('/:id/results', (req, res) => res.json({}));
export default router;`,
        'src/routes/admin.js': `const express = require('express');
const router = express.Router();
router.delete('/users/:id', (req, res) => res.end());
module.exports = router;`,
        'src/app.ts': `import express from 'express';
import { requireAuth } from './middleware/auth';
import { patientsRouter } from './routes/patients';
import results from './routes/results';
const app = express();
app.use('/api/patients', results);
app.use('/api/patients', requireAuth, patientsRouter);
app.use('/admin', require('./routes/admin'));
`,
      }),
    ).toEqual([
      'DELETE /admin/users/:id unauthenticated',
      'GET /api/patients/:id authenticated',
      'GET /api/patients/:id/results unauthenticated',
    ]);
  });

  it('applies router.use(auth) only to the routes registered after it, and the mount order to the rest', () => {
    expect(
      routeLines({
        'src/auth.ts': AUTH,
        'src/reports.ts': `import { Router } from 'express';
import { requireAuth } from './auth';
export const reports = Router();
reports.get('/share/:token', (req, res) => res.send(''));
reports.use(requireAuth);
reports.get('/:id', (req, res) => res.send(''));`,
        'src/app.ts': `import express from 'express';
import { reports } from './reports';
const app = express();
app.use('/reports', reports);`,
      }),
    ).toEqual(['GET /reports/share/:token unauthenticated', 'GET /reports/:id authenticated']);
  });

  it('a router mounted after the global auth is authenticated; mounted on a second app without auth it is not', () => {
    expect(
      routeLines({
        'src/auth.ts': AUTH,
        'src/router.ts': `import { Router } from 'express';
const r = Router();
r.get('/data', (req, res) => res.json([]));
export default r;`,
        'src/app.ts': `import express from 'express';
import { requireAuth } from './auth';
import r from './router';
const app = express();
app.use(requireAuth);
app.use('/v1', r);
const admin = express();
admin.use('/internal', r);`,
      }),
    ).toEqual(['GET /v1/data authenticated', 'GET /internal/data unauthenticated']);
  });

  it('reads app.route() chains, app.all, arrays of paths, path-scoped use and nested routers from factories', () => {
    expect(
      routeLines({
        'src/auth.ts': AUTH,
        'src/app.ts': `import express, { Router } from 'express';
import { requireAuth } from './auth';
function buildApi() {
  const api = Router();
  api.get('/items', (req, res) => res.json([]));
  return api;
}
const app = express();
app.use('/api', requireAuth);
app.route('/api/book').get((req, res) => res.json({})).post((req, res) => res.json({}));
app.all('/open', (req, res) => res.end());
app.get(['/a', '/b'], (req, res) => res.end());
app.use('/api/v2', buildApi());
`,
      }),
    ).toEqual([
      'GET /api/v2/items authenticated',
      'GET /api/book authenticated',
      'POST /api/book authenticated',
      'ALL /open unauthenticated',
      'GET /a unauthenticated',
      'GET /b unauthenticated',
    ]);
  });

  it('follows registrar functions that receive the app: order at the call site counts', () => {
    expect(
      routeLines({
        'src/auth.ts': AUTH,
        'src/routes.ts': `export function registerRoutes(app) {
  app.get('/api/records', (req, res) => res.json([]));
}`,
        'src/server.ts': `import express from 'express';
import { requireAuth } from './auth';
import { registerRoutes } from './routes';
const app = express();
app.use(requireAuth);
registerRoutes(app);`,
      }),
    ).toEqual(['GET /api/records authenticated']);
  });

  it('does not report the routes of a router that is never mounted (unmounted)', () => {
    expect(
      routeLines({
        'src/r.ts': `import { Router } from 'express';\nexport const r = Router();\nr.get('/x', (req, res) => res.end());`,
      }),
    ).toEqual(['GET /x unmounted']);
  });

  it('ignores Map.get, axios.get and config.get calls', () => {
    expect(
      routeLines({
        'src/a.ts': `import axios from 'axios';\nconst m = new Map();\nm.get('/x');\naxios.get('/api/x', { params: {} });\nfunction f(cache) { cache.get('k', () => 1); }`,
      }),
    ).toEqual([]);
  });
});

describe('Express routes: incremental updates and catch-alls', () => {
  it('app.all("/api/*", auth) protects the routes below it; a catch-all fallback is public', () => {
    expect(
      routeLines({
        'src/auth.ts': AUTH,
        'src/app.ts': `import express from 'express';
import { requireAuth } from './auth';
const app = express();
app.all('/api/*', requireAuth);
app.get('/api/x', (req, res) => res.end());
app.get('/other', (req, res) => res.end());
app.get('*', (req, res) => res.sendFile('index.html'));`,
      }),
    ).toEqual(['GET /api/x authenticated', 'GET /other unauthenticated', 'GET /* unauthenticated']);
  });

  it('re-resolves when a file changes: moving app.use(auth) before the mount protects the router file', async () => {
    const { Project } = await import('../../server/src/engine/index.js');
    const { routesOf } = await import('../../server/src/engine/routes/index.js');
    const { testConfig } = await import('../helpers.js');
    const project = new Project(testConfig());
    const app = (early: boolean) => `import express from 'express';
import { requireAuth } from './auth';
import { r } from './r';
const app = express();
${early ? 'app.use(requireAuth);\n' : ''}app.use('/v1', r);
${early ? '' : 'app.use(requireAuth);\n'}`;
    project.setFile({ path: 'src/auth.ts', text: AUTH });
    project.setFile({
      path: 'src/r.ts',
      text: `import { Router } from 'express';\nexport const r = Router();\nr.get('/data', (req, res) => res.json([]));`,
    });
    project.setFile({ path: 'src/app.ts', text: app(false) });
    expect(routesOf(project.facts).map((x) => x.status)).toEqual(['unauthenticated']);
    project.setFile({ path: 'src/app.ts', text: app(true) });
    expect(routesOf(project.facts).map((x) => x.status)).toEqual(['authenticated']);
    project.removeFile('src/app.ts');
    expect(routesOf(project.facts).map((x) => x.status)).toEqual(['unmounted']);
  });
});
