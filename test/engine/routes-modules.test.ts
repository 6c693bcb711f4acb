import { describe, expect, it } from 'vitest';
import { routeLines, routeRows } from './routes-helpers.js';

const GUARD = `const jwt = require('jsonwebtoken');
module.exports = function staffOnly(req, res, next) {
  try { req.staff = jwt.verify(req.headers.authorization, process.env.KEY); next(); } catch (e) { res.sendStatus(401); }
};`;

describe('routes declared in modules: the receiver is a parameter, the auth is where they are mounted', () => {
  it('module.exports = (app) => {...} required and called, before and after the auth', () => {
    expect(
      routeLines({
        'lib/guard.js': GUARD,
        'lib/routes/kiosk.js':
          "module.exports = (app) => {\n  app.get('/kiosk/queue', (req, res) => res.json(queue.list()));\n};",
        'lib/routes/records.js':
          "module.exports = function records(app) {\n  app.get('/records/:id', (req, res) => res.json(db.records.find(req.params.id)));\n};",
        'lib/server.js': `const express = require('express');
const staffOnly = require('./guard');
const app = express();
require('./routes/kiosk')(app);
app.use(staffOnly);
require('./routes/records')(app);
app.listen(3000);`,
      }),
    ).toEqual(['GET /kiosk/queue unauthenticated', 'GET /records/:id authenticated']);
  });

  it('export default function routes(router: Router) and register(app: Express) take the auth of their call site', () => {
    expect(
      routeLines({
        'src/guard.js': GUARD,
        'src/routes/wards.ts':
          "import type { Router } from 'express';\nexport default function routes(router: Router) {\n  router.get('/wards', (req, res) => res.json(db.wards()));\n}",
        'src/routes/beds.ts':
          "import type { Express } from 'express';\nexport function register(app: Express) {\n  app.delete('/beds/:id', (req, res) => res.json(db.beds.remove(req.params.id)));\n}",
        'src/app.ts': `import express from 'express';
import staffOnly from './guard';
import routes from './routes/wards';
import { register } from './routes/beds';
const app = express();
const api = express.Router();
api.use(staffOnly);
routes(api);
app.use('/api', api);
register(app);`,
      }),
    ).toEqual(['DELETE /beds/:id unauthenticated', 'GET /api/wards authenticated']);
  });

  it('a route module nobody calls is not reported (unmounted)', () => {
    expect(
      routeLines({
        'src/routes/old.ts':
          "export function legacy(app) {\n  app.get('/legacy/export', (req, res) => res.json(db.all()));\n}",
      }),
    ).toEqual(['GET /legacy/export unmounted']);
  });

  it('Fastify plugins loaded by @fastify/autoload take their folder as prefix and the hooks of the parent scope', () => {
    expect(
      routeLines({
        'src/routes/patients/index.ts':
          "export default async function (fastify) {\n  fastify.get('/', async () => fastify.db.patients());\n}",
        'src/routes/patients/results.ts':
          "export default async function (fastify) {\n  fastify.get('/:id/results', async (req) => fastify.db.results(req.params.id));\n}",
        'src/app.ts': `import Fastify from 'fastify';
import AutoLoad from '@fastify/autoload';
import path from 'node:path';
const app = Fastify();
app.addHook('onRequest', async (request) => { await request.jwtVerify(); });
app.register(AutoLoad, { dir: path.join(__dirname, 'routes'), options: { prefix: '/api' } });`,
      }),
    ).toEqual(['GET /api/patients authenticated', 'GET /api/patients/:id/results authenticated']);
  });
});

describe('archived copies of an application are not served', () => {
  const manifest = (name: string, version: string) => JSON.stringify({ name, version, private: true });
  const ROUTE = 'export async function GET() { return Response.json(await prisma.patient.findMany()); }';
  const copies = (older: string, newer: string, otherName = 'ward-app') => ({
    'old-ward/package.json': manifest('ward-app', older),
    'old-ward/app/api/patients/route.js': ROUTE,
    'ward/package.json': manifest(otherName, newer),
    'ward/app/api/patients/route.js': ROUTE,
  });

  it('of two folders with the same package name, the one with the lower version is not served', () => {
    expect(routeRows(copies('1.0.0', '1.0.2')).map((r) => `${r.file} ${r.status}`)).toEqual([
      'old-ward/app/api/patients/route.js unmounted',
      'ward/app/api/patients/route.js unauthenticated',
    ]);
  });

  it('equal versions, different names or a broken manifest decide nothing: both are served', () => {
    const both = [
      'old-ward/app/api/patients/route.js unauthenticated',
      'ward/app/api/patients/route.js unauthenticated',
    ];
    expect(routeRows(copies('1.0.2', '1.0.2')).map((r) => `${r.file} ${r.status}`)).toEqual(both);
    expect(routeRows(copies('1.0.0', '1.0.2', 'ward-portal')).map((r) => `${r.file} ${r.status}`)).toEqual(both);
    expect(
      routeRows({ ...copies('1.0.0', '1.0.2'), 'ward/package.json': '{ "name": "ward-app", ' }).map(
        (r) => `${r.file} ${r.status}`,
      ),
    ).toEqual(both);
  });
});
