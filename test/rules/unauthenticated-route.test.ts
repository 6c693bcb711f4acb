import { describe, expect, it } from 'vitest';
import { applyEdits, type Finding } from '../../server/src/engine/index.js';
import { covered, findingsOf } from '../helpers.js';

const RULE = 'unauthenticated-route';

const AUTH = `import jwt from 'jsonwebtoken';
export function requireAuth(req, res, next) {
  try { req.user = jwt.verify(req.headers.authorization, 'k'); next(); } catch { res.status(401).end(); }
}
`;

const SERVER = `import express from 'express';
import { requireAuth } from './middleware/auth';
import { results } from './routes/results';
export const app = express();
app.get('/health', (req, res) => res.json({ ok: true }));
app.get('/metrics', (req, res) => res.send(registry.metrics()));
app.get('/api/patients/:id/results', async (req, res) => {
  const rows = await db.query('SELECT valeur, interpretation FROM resultats WHERE patient_id = $1', [req.params.id]);
  res.json(rows);
});
app.use('/api/results', results);
app.use(requireAuth);
app.get('/api/patients/:id', (req, res) => res.json({}));
`;

const RESULTS = `import { Router } from 'express';
export const results = Router();
results.get('/latest', (req, res) => res.json(latest()));
`;

const EXPRESS = { 'src/middleware/auth.ts': AUTH, 'src/server.ts': SERVER, 'src/routes/results.ts': RESULTS };

function fixed(text: string, f: Finding, index: number): string {
  return applyEdits(text, f.fixes![index]!.edits).text;
}

describe('unauthenticated-route: Express', () => {
  const findings = findingsOf(RULE, EXPRESS);
  const at = (token: string) => findings.find((f) => covered(EXPRESS[f.file as keyof typeof EXPRESS], f) === token)!;

  it('reports the routes before the global auth (not /health), with exact ranges and severities', () => {
    expect(findings.map((f) => [f.file, covered(EXPRESS[f.file as keyof typeof EXPRESS], f), f.severity])).toEqual([
      ['src/server.ts', "'/metrics'", 'warning'],
      ['src/server.ts', "'/api/patients/:id/results'", 'error'],
      // A word in the path (results) does not make an error: the handler returns nothing it can see as health data.
      ['src/routes/results.ts', "'/latest'", 'warning'],
    ]);
  });

  it('says which middleware comes too late and what the route returns; related points at the late app.use', () => {
    const f = at("'/api/patients/:id/results'");
    expect(f.message).toBe(
      'GET /api/patients/:id/results is registered before app.use(requireAuth) (server.ts:12): reachable without authentication; it returns lab results (res.json(rows))',
    );
    expect(f.related!.map((r) => [r.file, SERVER.slice(r.range.start, r.range.end)])).toEqual([
      ['src/server.ts', 'app.use(requireAuth)'],
    ]);
    expect(f.data).toEqual({
      method: 'GET',
      path: '/api/patients/:id/results',
      framework: 'express',
      status: 'unauthenticated',
      auth: [],
      exposes: 'lab-result',
    });
  });

  it('explains a router mounted before the global auth, from the router file', () => {
    const f = at("'/latest'");
    expect(f.message).toBe(
      "GET /api/results/latest is mounted by app.use('/api/results', results) (server.ts:11) before app.use(requireAuth) (server.ts:12): reachable without authentication",
    );
    expect(f.related!.map((r) => r.message)).toEqual([
      'authentication registered here, after the route: app.use(requireAuth)',
      "mounted here, before authentication: app.use('/api/results', results)",
    ]);
  });

  it('fixes by inserting the project auth middleware into the route (import added when missing), or a suppression', () => {
    const f = at("'/api/patients/:id/results'");
    expect(f.fixes!.map((x) => x.title)).toEqual([
      'Require authentication: add requireAuth',
      'Suppress unauthenticated-route for this route (public by design)',
    ]);
    expect(fixed(SERVER, f, 0).split('\n')[6]).toBe(
      "app.get('/api/patients/:id/results', requireAuth, async (req, res) => {",
    );
    expect(fixed(SERVER, f, 1).split('\n').slice(6, 8)).toEqual([
      '// gdpr-lint-disable-next-line unauthenticated-route -- public by design: say why',
      "app.get('/api/patients/:id/results', async (req, res) => {",
    ]);
    expect(fixed(RESULTS, at("'/latest'"), 0)).toBe(`import { Router } from 'express';
import { requireAuth } from '../middleware/auth';
export const results = Router();
results.get('/latest', requireAuth, (req, res) => res.json(latest()));
`);
  });

  it('uses the team middleware from the config, with its module', () => {
    const f = findingsOf(
      RULE,
      {
        'src/a.ts': `import express from 'express';\nconst app = express();\napp.get('/x', (req, res) => res.json(list()));\n`,
      },
      { auth: { middleware: ['ensureUser from ./src/auth/ensure-user'] } },
    )[0]!;
    expect(
      applyEdits(
        `import express from 'express';\nconst app = express();\napp.get('/x', (req, res) => res.json(list()));\n`,
        f.fixes![0]!.edits,
      ).text,
    ).toBe(
      `import express from 'express';\nimport { ensureUser } from './auth/ensure-user';\nconst app = express();\napp.get('/x', ensureUser, (req, res) => res.json(list()));\n`,
    );
  });

  it('public paths from the team config are not reported', () => {
    expect(
      findingsOf(
        RULE,
        {
          'src/a.ts': `import express from 'express';\nconst app = express();\napp.get('/webhooks/lab', (req, res) => res.end());\n`,
        },
        { auth: { publicPaths: ['/webhooks/**'] } },
      ),
    ).toEqual([]);
  });

  it('a health check that returns lab results is reported', () => {
    const text = `import express from 'express';\nconst app = express();\napp.get('/health', (req, res) => res.json({ diagnosis: lastDiagnosis }));\n`;
    expect(findingsOf(RULE, { 'src/a.ts': text }).map((f) => f.severity)).toEqual(['error']);
  });
});

describe('unauthenticated-route: Koa and CommonJS', () => {
  it('Koa: inserts the project middleware (a require in a CommonJS file) into the router route', () => {
    const files = {
      'lib/auth.js': `const jwt = require('jsonwebtoken');\nexports.checkJwt = async (ctx, next) => { ctx.state.user = jwt.verify(ctx.get('authorization'), 'k'); await next(); };\n`,
      'lib/private.js': `const Router = require('@koa/router');\nconst { checkJwt } = require('./auth');\nconst router = new Router();\nrouter.get('/me', checkJwt, (ctx) => { ctx.body = {}; });\nmodule.exports = router;\n`,
      'lib/open.js': `const Router = require('@koa/router');\nconst router = new Router({ prefix: '/open' });\nrouter.get('/samples/:id', (ctx) => { ctx.body = samples.find(ctx.params.id); });\nmodule.exports = router;\n`,
      'lib/app.js': `const Koa = require('koa');\nconst app = new Koa();\napp.use(require('./private').routes());\napp.use(require('./open').routes());\napp.use(async (ctx) => { ctx.status = 404; });\n`,
    };
    const findings = findingsOf(RULE, files);
    expect(findings.map((f) => [f.file, covered(files[f.file as keyof typeof files], f), f.message])).toEqual([
      [
        'lib/open.js',
        "'/samples/:id'",
        'GET /open/samples/:id has no authentication middleware on the route, its routers or its mount: reachable without authentication',
      ],
    ]);
    expect(fixed(files['lib/open.js'], findings[0]!, 0)).toBe(
      `const Router = require('@koa/router');\nconst { checkJwt } = require('./auth');\nconst router = new Router({ prefix: '/open' });\nrouter.get('/samples/:id', checkJwt, (ctx) => { ctx.body = samples.find(ctx.params.id); });\nmodule.exports = router;\n`,
    );
  });

  it('does not report a catch-all fallback that serves the single-page app', () => {
    expect(
      findingsOf(RULE, {
        'src/a.ts': `import express from 'express';\nconst app = express();\napp.get('*', (req, res) => res.sendFile('index.html'));\n`,
      }),
    ).toEqual([]);
  });
});

describe('unauthenticated-route: fixes in other frameworks', () => {
  it('Fastify: adds onRequest: [fastify.authenticate] to the route', () => {
    const text = `import Fastify from 'fastify';
const fastify = Fastify();
fastify.get('/records', async () => db.records());
fastify.get('/other', { schema: {} }, async () => db.records());
`;
    const findings = findingsOf(RULE, { 'src/f.ts': text });
    expect(findings.map((f) => fixed(text, f, 0).split('\n').slice(2, 4).join('\n'))).toEqual([
      "fastify.get('/records', { onRequest: [fastify.authenticate] }, async () => db.records());\nfastify.get('/other', { schema: {} }, async () => db.records());",
      "fastify.get('/records', async () => db.records());\nfastify.get('/other', { onRequest: [fastify.authenticate], schema: {} }, async () => db.records());",
    ]);
  });

  it("Nest: adds @UseGuards(AuthGuard('jwt')) with its imports; removes an opt-out under a global guard", () => {
    const text = `import { Controller, Get, Module } from '@nestjs/common';

@Controller('records')
export class RecordsController {
  @Get(':id/results')
  results() {
    return this.service.resultats();
  }
}
@Module({ controllers: [RecordsController] })
export class AppModule {}
`;
    const [f] = findingsOf(RULE, { 'src/records.ts': text });
    expect(f!.severity).toBe('error');
    expect(f!.message).toBe(
      'GET /records/:id/results has no @UseGuards on the method or controller and no global guard (APP_GUARD, useGlobalGuards): reachable without authentication; it returns lab results (this.service.resultats())',
    );
    expect(fixed(text, f!, 0)).toBe(`import { Controller, Get, Module, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';

@Controller('records')
export class RecordsController {
  @UseGuards(AuthGuard('jwt'))
  @Get(':id/results')
  results() {
    return this.service.resultats();
  }
}
@Module({ controllers: [RecordsController] })
export class AppModule {}
`);
    const optedOut = `import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { Public } from './public';
@Injectable()
class JwtGuard extends AuthGuard('jwt') {
  constructor(private reflector: Reflector) { super(); }
  canActivate(ctx) { return this.reflector.getAllAndOverride('isPublic', [ctx.getHandler()]) || super.canActivate(ctx); }
}
@Controller('records')
export class RecordsController {
  @Get('qr')
  @Public()
  qr() { return this.diagnosis; }
}
@Module({ controllers: [RecordsController], providers: [{ provide: APP_GUARD, useClass: JwtGuard }] })
export class AppModule {}
`;
    const [g] = findingsOf(RULE, { 'src/records.ts': optedOut });
    expect(g!.message).toBe(
      'GET /records/qr opts out of authentication with @Public() (records.ts:13), skipping JwtGuard: reachable without authentication; it returns health conditions (this.diagnosis)',
    );
    expect(g!.fixes![0]!.title).toBe('Remove @Public()');
    expect(fixed(optedOut, g!, 0)).toBe(optedOut.replace('  @Public()\n', ''));
  });

  it('Next.js: inserts a token check at the top of the handler, with the import', () => {
    const text = `import { prisma } from '../../../src/db';

export default async function handler(req, res) {
  const resultat = await prisma.resultatBiologique.findUnique({ where: { id: String(req.query.id) } });
  return res.json(resultat);
}
`;
    const [f] = findingsOf(RULE, { 'pages/api/resultats/[id].ts': text });
    expect(covered(text, f!)).toBe('handler');
    // Where TypeScript's import fix puts it: packages before relative modules, as the editor does.
    expect(fixed(text, f!, 0)).toBe(`import { getToken } from 'next-auth/jwt';
import { prisma } from '../../../src/db';

export default async function handler(req, res) {
  const token = await getToken({ req: req });
  if (!token) return res.status(401).json({ error: 'Unauthorized' });
  const resultat = await prisma.resultatBiologique.findUnique({ where: { id: String(req.query.id) } });
  return res.json(resultat);
}
`);
  });

  it('Hapi: auth: false on a route is reported on the path value; mode try is a warning', () => {
    const text = `import Hapi from '@hapi/hapi';
const server = Hapi.server({});
server.auth.default('jwt');
server.route({ method: 'POST', path: '/hl7/oru', options: { auth: false }, handler: () => store.get() });
server.route({ method: 'GET', path: '/board', options: { auth: { mode: 'try' } }, handler: () => store.get() });
`;
    const findings = findingsOf(RULE, { 'src/h.ts': text });
    expect(findings.map((f) => [covered(text, f), f.severity, f.message])).toEqual([
      [
        "'/hl7/oru'",
        'warning',
        "POST /hl7/oru opts out of authentication with auth: false (h.ts:4), skipping server.auth.default('jwt'): reachable without authentication",
      ],
      [
        "'/board'",
        'warning',
        "GET /board tries authentication without requiring it: mode 'try' lets unauthenticated callers through: reachable without authentication",
      ],
    ]);
  });
});

describe('unauthenticated-route: when authentication cannot be verified', () => {
  const app = (mw: string, imports: string) => `import express from 'express';
${imports}
const app = express();
app.use(${mw});
app.get('/api/wards/:id/patients', (req, res) => res.json(db.patients.findMany({ where: { wardId: req.params.id } })));
`;

  it.each([
    ['an import that does not resolve', "import { wardGate } from './security/missing';", 'wardGate'],
    ['a middleware passed in as a parameter', 'export function mount(gate) {\n', 'gate'],
  ])('%s: a note naming the middleware and how to declare it, not an error', (_, imports, mw) => {
    const text =
      mw === 'gate'
        ? `import express from 'express';\nexport function mount(gate) {\n  const app = express();\n  app.use(gate);\n  app.get('/api/wards/:id/patients', (req, res) => res.json(db.patients.findMany({ where: { wardId: req.params.id } })));\n  return app;\n}\n`
        : app(mw, imports);
    const findings = findingsOf(RULE, { 'src/server.ts': text });
    expect(findings.map((f) => f.severity)).toEqual(['note']);
    expect(findings[0]!.message).toMatch(
      new RegExp(
        `^GET /api/wards/:id/patients: authentication could not be verified: ${mw} \\(server\\.ts:\\d+: .+\\); if it authenticates, declare it in auth\\.middleware in \\.gdpr-lint\\.yaml`,
      ),
    );
  });

  it('the note goes away once the team declares the middleware', () => {
    const text = app('wardGate', "import { wardGate } from './security/missing';");
    expect(findingsOf(RULE, { 'src/server.ts': text }, { auth: { middleware: ['wardGate'] } })).toEqual([]);
  });

  it('a middleware from a package nobody knows as authentication (an upload parser) leaves the route reported as open', () => {
    const findings = findingsOf(RULE, {
      'src/server.ts': app('fileUpload()', "import fileUpload from 'express-fileupload';"),
    });
    expect(findings.map((f) => f.severity)).not.toContain('note');
    expect(findings[0]!.message).toContain('reachable without authentication');
  });

  it('Nest: a guard class out of view is a note that says to declare it in auth.guards', () => {
    const text = `import { Controller, Get, Module, UseGuards } from '@nestjs/common';
import { WardGuard } from '@corp/nest-security';
@UseGuards(WardGuard)
@Controller('wards')
export class WardsController { @Get(':id/patients') patients() { return this.repo.patients(); } }
@Module({ controllers: [WardsController] }) export class AppModule {}
`;
    const findings = findingsOf(RULE, { 'src/wards.ts': text });
    expect(findings.map((f) => [f.severity, f.message.replace(/\(wards\.ts:\d+: [^)]*\)/, '(...)')])).toEqual([
      [
        'note',
        'GET /wards/:id/patients: authentication could not be verified: WardGuard (...); if it authenticates, declare it in auth.guards in .gdpr-lint.yaml, otherwise the route is reachable without authentication',
      ],
    ]);
    expect(findingsOf(RULE, { 'src/wards.ts': text }, { auth: { guards: ['WardGuard'] } })).toEqual([]);
  });
});

describe('unauthenticated-route: handlers with nothing behind them', () => {
  it.each([
    ["app.get('/', (req, res) => res.send({ index: true }));"],
    ["app.get('/whereami', (req, res) => { res.setHeader('X-Node', 'a'); res.json({ node: 'lab-1', up: true }); });"],
    ["app.get('/legacy/:id', (req, res) => res.status(410).end());"],
    // The clock and what the caller sent, sent back: nothing stored.
    [
      "app.get('/ping', (req, res) => res.json({ message: 'pong', at: new Date().toISOString(), up: process.uptime() }));",
    ],
    [
      "app.get('/debug/echo', (req, res) => res.json({ seen: req.query, id: req.params.id, method: req.method, at: Date.now() }));",
    ],
  ])('a handler that answers a constant is not reported: %s', (route) => {
    expect(
      findingsOf(RULE, { 'src/a.ts': `import express from 'express';\nconst app = express();\n${route}\n` }),
    ).toEqual([]);
  });

  it.each([
    ["app.get('/', (req, res) => res.send({ index: true, node: process.env.NODE }));"],
    ["app.post('/flags', (req, res) => { cache.set('maintenance', true); res.send({ ok: true }); });"],
    ["app.get('/beds', async (req, res) => res.json(await db.beds.findMany()));"],
    ["app.get('/ping', async (req, res) => res.json({ at: new Date(), last: await db.visits.findFirst() }));"],
    ["app.get('/whoami', (req, res) => res.json({ user: req.user, at: Date.now() }));"],
    ["app.post('/echo', async (req, res) => { await db.notes.create({ data: req.body }); res.json(req.body); });"],
  ])('a handler that reads or changes something is reported: %s', (route) => {
    expect(
      findingsOf(RULE, { 'src/a.ts': `import express from 'express';\nconst app = express();\n${route}\n` }),
    ).toHaveLength(1);
  });
});

describe('unauthenticated-route: severity from what the handler does', () => {
  const express = (routes: string) => `import express from 'express';\nconst app = express();\n${routes}\n`;
  const severityOf = (files: Record<string, string>) =>
    findingsOf(RULE, files).map((f) => [
      f.data!['method'],
      f.data!['path'],
      f.severity,
      f.message.replace(/^.*reachable without authentication/, ''),
    ]);

  it('returning or changing patient records is an error; the message says which and how', () => {
    expect(
      severityOf({
        'prisma/schema.prisma':
          'model Patient {\n  id Int @id\n  name String\n}\nmodel Admission {\n  id Int @id\n  patientId Int\n  notes String\n}\n',
        'src/app.ts': express(`app.get('/api/people', async (req, res) => res.json(await prisma.patient.findMany()));
app.delete('/api/stays/:id', async (req, res) => { await prisma.admission.delete({ where: { id: Number(req.params.id) } }); res.status(204).end(); });`),
      }),
    ).toEqual([
      ['GET', '/api/people', 'error', '; it returns patient records (prisma.patient.findMany)'],
      ['DELETE', '/api/stays/:id', 'error', '; it changes patient records (prisma.admission.delete)'],
    ]);
  });

  it('a catalogue that only names health things is reference data, not reported; the same name linked to a patient is an error', () => {
    const routes =
      express(`app.get('/api/pathologies', async (req, res) => res.json(await db.query('SELECT name, description FROM pathology')));
app.get('/api/allergies', async (req, res) => res.json(await db.query('SELECT substance FROM allergy')));`);
    expect(
      severityOf({
        'db/schema.sql':
          'CREATE TABLE pathology (id SERIAL PRIMARY KEY, name TEXT, description TEXT);\nCREATE TABLE allergy (id SERIAL PRIMARY KEY, patient_id INT, substance TEXT);\n',
        'src/app.ts': routes,
      }).map((r) => r.slice(0, 3)),
    ).toEqual([['GET', '/api/allergies', 'error']]);
  });

  it('a path that sounds medical is not enough, a Prisma delegate the schema does not declare is not presumed, totals are not records', () => {
    expect(
      severityOf({
        'prisma/schema.prisma':
          'model User {\n  id Int @id\n}\nmodel Stay {\n  id Int @id\n  patientId Int\n  fee Int\n}\n',
        'src/app.ts':
          express(`app.get('/api/vaccinations', async (req, res) => res.json(await prisma.vaccinationRecord.findMany()));
app.put('/api/vaccinations/:id', async (req, res) => { const vaccinationRecord = await prisma.vaccinationRecord.update({ where: { id: 1 }, data: req.body }); res.json(vaccinationRecord); });
app.get('/api/diagnoses/export', (req, res) => res.json(exporter.status()));
app.get('/api/stays/stats', async (req, res) => res.json({ stays: await prisma.stay.count(), fees: await prisma.stay.aggregate({ _sum: { fee: true } }) }));`),
      }).map((r) => r.slice(0, 3)),
    ).toEqual([
      ['GET', '/api/vaccinations', 'warning'],
      ['PUT', '/api/vaccinations/:id', 'warning'],
      ['GET', '/api/diagnoses/export', 'warning'],
    ]);
  });

  it('follows the handler into a controller method and an injected Nest service', () => {
    const findings = findingsOf(RULE, {
      'src/routes.js': `import express from 'express';
import { WardsController } from './wards.controller';
const app = express();
const controller = new WardsController();
app.get('/wards/:id/occupants', (req, res) => controller.occupants(req, res));`,
      'src/wards.controller.js':
        'export class WardsController {\n  async occupants(req, res) { res.json(await prisma.patient.findMany({ where: { wardId: req.params.id } })); }\n}',
      'src/nest/stays.service.ts': 'export class StaysService {\n  list() { return prisma.admission.findMany(); }\n}',
      'src/nest/stays.controller.ts': `import { Controller, Get, Module } from '@nestjs/common';
import { StaysService } from './stays.service';
@Controller('stays')
export class StaysController {
  constructor(private readonly stays: StaysService) {}
  @Get() all() { return this.stays.list(); }
}
@Module({ controllers: [StaysController] }) export class AppModule {}`,
    });
    expect(findings.map((f) => [f.data!['path'], f.severity])).toEqual([
      ['/wards/:id/occupants', 'error'],
      ['/stays', 'error'],
    ]);
  });
});

describe('unauthenticated-route: routes that reach only reference data', () => {
  const SCHEMA = `CREATE TABLE food (id INT PRIMARY KEY, name VARCHAR(30), description TEXT, image TEXT);
CREATE TABLE pathology (id INT PRIMARY KEY, name VARCHAR(200), description TEXT);
CREATE TABLE app_user (id INT PRIMARY KEY, first_name TEXT, email TEXT);
CREATE TABLE user_pathology (user_id INT, pathology_id INT);
CREATE TABLE memo (id INT PRIMARY KEY, title VARCHAR(45), date DATE, content TEXT);
`;
  const CONTROLLER = `export class CatalogController {
  foods(req, res) { const query = \`SELECT * FROM food\`; pool.query(query, (e, rows) => res.json(rows)); }
  removePathology(req, res) { pool.query('DELETE FROM pathology WHERE id = ?', [req.params.id], () => res.end()); }
  patientPathologies(req, res) { pool.query('SELECT p.name FROM user_pathology up JOIN pathology p ON p.id = up.pathology_id WHERE up.user_id = ?', [req.params.id], (e, rows) => res.json(rows)); }
  archive(req, res) { pool.query('SELECT * FROM legacy_rows', (e, rows) => res.json(rows)); }
  removeMemo(req, res) { pool.query('DELETE FROM memo WHERE id = ?', [req.params.id], () => res.end()); }
}`;
  const ROUTES = `import express from 'express';
import { CatalogController } from './catalog.controller';
const app = express();
const c = new CatalogController();
app.get('/foods', (req, res) => c.foods(req, res));
app.delete('/pathologies/:id', (req, res) => c.removePathology(req, res));
app.get('/users/:id/pathologies', (req, res) => c.patientPathologies(req, res));
app.get('/archive', (req, res) => c.archive(req, res));
app.delete('/memos/:id', (req, res) => c.removeMemo(req, res));
`;

  it('a catalogue read or delete is not reported; a join to a person, free text with a date, or a table the schema does not know, is', () => {
    const findings = findingsOf(RULE, {
      'db/schema.sql': SCHEMA,
      'src/catalog.controller.js': CONTROLLER,
      'src/routes.js': ROUTES,
    });
    expect(findings.map((f) => f.data!['path'])).toEqual(['/users/:id/pathologies', '/archive', '/memos/:id']);
  });
});

describe('unauthenticated-route: rows that point at a patient', () => {
  it('a table with a patient_id column holds patient records, reached through a method of the same class', () => {
    const findings = findingsOf(RULE, {
      'db/schema.sql': 'CREATE TABLE meal_plan (id INT PRIMARY KEY, patient_id INT, kcal INT);\n',
      'src/plans.controller.js': `export class PlansController {
  async one(req, res) { res.json(await this.load(req.params.id)); }
  load(id) { return pool.query('SELECT kcal FROM meal_plan WHERE id = ?', [id]); }
}`,
      'src/routes.js': `import express from 'express';
import { PlansController } from './plans.controller';
const app = express();
const plans = new PlansController();
app.get('/plans/:id', (req, res) => plans.one(req, res));`,
    });
    expect(findings.map((f) => [f.severity, f.message.replace(/^.*authentication; /, '')])).toEqual([
      ['error', 'it returns patient records (a query on meal_plan)'],
    ]);
  });
});

describe('unauthenticated-route: scaffolds and figures', () => {
  const nest = (service: string) => ({
    'src/notes/notes.service.ts': service,
    'src/notes/notes.controller.ts': `import { Controller, Get, Module, Param } from '@nestjs/common';
import { NotesService } from './notes.service';
@Controller('notes')
export class NotesController {
  constructor(private readonly notes: NotesService) {}
  @Get(':id') findOne(@Param('id') id: string) { return this.notes.findOne(+id); }
}
@Module({ controllers: [NotesController] }) export class AppModule {}`,
  });

  it('a generated CRUD stub whose service only returns a sentence is not reported', () => {
    expect(
      findingsOf(
        RULE,
        nest('export class NotesService {\n  findOne(id: number) { return `This action returns a #${id} note`; }\n}'),
      ),
    ).toEqual([]);
  });

  it('the same controller over a service that reads the store is reported', () => {
    expect(
      findingsOf(
        RULE,
        nest('export class NotesService {\n  findOne(id: number) { return this.repo.findOneBy({ id }); }\n}'),
      ),
    ).toHaveLength(1);
  });
});

describe('unauthenticated-route: reference data behind a query bus or a custom repository', () => {
  const files = (entity: string) => ({
    'src/main.ts':
      "import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nNestFactory.create(AppModule);",
    'src/app.module.ts':
      "import { Module } from '@nestjs/common';\nimport { TitlesController } from './titles.controller';\n@Module({ controllers: [TitlesController] }) export class AppModule {}",
    'src/title.entity.ts': entity,
    'src/titles.query.ts': 'export class ListTitlesQuery { constructor(readonly page: number) {} }',
    'src/titles.repository.ts':
      "import { Repository } from 'typeorm';\nimport { Title } from './title.entity';\nexport const TitleRepository = (repo: Repository<Title>) => repo.extend({\n  async page(n: number) { return this.createQueryBuilder('t').skip(n).getMany(); },\n});",
    'src/titles.handler.ts': `import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import { ListTitlesQuery } from './titles.query';
import { TitleRepository } from './titles.repository';
@QueryHandler(ListTitlesQuery)
export class ListTitlesHandler {
  constructor(@Inject('TitleRepository') private readonly titles: ReturnType<typeof TitleRepository>) {}
  async execute(q: ListTitlesQuery) { return this.titles.page(q.page); }
}`,
    'src/titles.controller.ts': `import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ListTitlesQuery } from './titles.query';
@Controller('titles')
export class TitlesController {
  constructor(private readonly queryBus: QueryBus) {}
  @Get() list() { return this.queryBus.execute(new ListTitlesQuery(1)); }
}`,
  });

  it('a catalogue read through queryBus.execute() and a repo.extend() repository is not reported', () => {
    const catalogue =
      "import { Column, Entity, OneToMany, PrimaryGeneratedColumn } from 'typeorm';\n@Entity('TITLE')\nexport class Title {\n  @PrimaryGeneratedColumn() id: number;\n  @Column() titleCode: string;\n  @Column() titleName: string;\n  @Column() isActive: number;\n  @OneToMany(() => Grade, (g) => g.title) grades: Grade[];\n}";
    expect(findingsOf(RULE, files(catalogue))).toEqual([]);
  });

  it('the same chain over rows that point at a person is reported', () => {
    const personal =
      "import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';\n@Entity('TITLE')\nexport class Title {\n  @PrimaryGeneratedColumn() id: number;\n  @Column() titleName: string;\n  @Column() patientId: number;\n}";
    expect(findingsOf(RULE, files(personal))).toHaveLength(1);
  });
});

describe('unauthenticated-route: reference data read by a helper', () => {
  it('translations through a helper are not reported; preferences of a user, and all the settings, are', () => {
    const files = {
      'src/lib/i18n.ts':
        'export async function labels(lang: string) { return prisma.translatedString.findMany({ where: { lang } }); }\nexport async function prefsOf(id: string) { return prisma.userPreference.findMany({ where: { userId: id } }); }\nexport async function allSettings() { return prisma.setting.findMany(); }',
      'src/app.ts':
        "import express from 'express';\nimport { labels, prefsOf, allSettings } from './lib/i18n';\nconst app = express();\napp.get('/labels/:lang', async (req, res) => res.json(await labels(req.params.lang)));\napp.get('/prefs/:id', async (req, res) => res.json(await prefsOf(req.params.id)));\napp.get('/settings', async (req, res) => res.json(await allSettings()));\n",
    };
    expect(findingsOf(RULE, files).map((f) => f.data!['path'])).toEqual(['/prefs/:id', '/settings']);
  });
});

describe('unauthenticated-route: a custom repository injected by a token, and label columns', () => {
  const files = (columns: string) => ({
    'src/main.ts':
      "import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nNestFactory.create(AppModule);",
    'src/app.module.ts':
      "import { Module } from '@nestjs/common';\nimport { RegionsController } from './regions.controller';\n@Module({ controllers: [RegionsController] }) export class AppModule {}",
    'src/region.entity.ts': `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';\n@Entity('REGION')\nexport class Region {\n  @PrimaryGeneratedColumn() id: number;\n  @Column() regionCode: string;\n${columns}}`,
    'src/region.repository.ts':
      "import { Repository } from 'typeorm';\nimport { Region } from './region.entity';\nexport const RegionRepository = (repo: Repository<Region>) => repo.extend({});",
    'src/regions.controller.ts': `import { Controller, Get, Inject, Param } from '@nestjs/common';
import { RegionRepository } from './region.repository';
@Controller('regions')
export class RegionsController {
  constructor(@Inject('REGIONS') private readonly regions: ReturnType<typeof RegionRepository>) {}
  @Get(':id') one(@Param('id') id: number) { return this.regions.findOne({ where: { id } }); }
}`,
  });

  it('a catalogue row read through the injected factory repository is not reported, with labels under other qualifiers', () => {
    expect(
      findingsOf(
        RULE,
        files(
          '  @Column() shortLabelName: string;\n  @Column() searchCode: string;\n  @Column() legacyRegistryCode: string;\n',
        ),
      ),
    ).toEqual([]);
  });

  it.each([
    ['a person name column', '  @Column() fullName: string;\n'],
    ['a link to a person', '  @Column() ownerId: number;\n'],
    ['a label that names the person it holds', '  @Column() doctorName: string;\n'],
  ])('the same route is reported when the rows hold %s', (_, columns) => {
    expect(findingsOf(RULE, files(columns))).toHaveLength(1);
  });
});

describe('unauthenticated-route: a record looked up by the token the request carries', () => {
  const express = (routes: string) => ({
    'prisma/schema.prisma':
      'model Invitation {\n  id Int @id\n  token String\n  email String\n  clinicId Int\n}\nmodel Patient {\n  id Int @id\n  name String\n  shareToken String\n}\n',
    'src/app.ts': `import express from 'express';\nconst app = express();\n${routes}\n`,
  });

  it.each([
    [
      "app.get('/invitations/:token', async (req, res) => res.json(await prisma.invitation.findUnique({ where: { token: req.params.token } })));",
    ],
    [
      "app.post('/password/complete', async (req, res) => { const { userId, token } = req.body; const row = await OneTimeCode.findOne({ where: { userId, token } }); if (!row) return res.status(400).end(); await row.update({ usedAt: new Date() }); res.json({ ok: true }); });",
    ],
  ])('the token is the credential: not reported: %s', (route) => {
    expect(findingsOf(RULE, express(route))).toEqual([]);
  });

  it.each([
    [
      "app.get('/invitations/:id', async (req, res) => res.json(await prisma.invitation.findUnique({ where: { id: Number(req.params.id) } })));",
      'warning',
    ],
    [
      "app.get('/invitations', async (req, res) => res.json(await prisma.invitation.findMany({ where: { tokenCount: 1 } })));",
      'warning',
    ],
    [
      "app.get('/devices/:token', async (req, res) => res.json(await prisma.invitation.findFirst({ where: { pushToken: req.params.token } })));",
      'warning',
    ],
    [
      "app.get('/shared/:token', async (req, res) => res.json(await prisma.patient.findFirst({ where: { shareToken: req.params.token } })));",
      'error',
    ],
  ])(
    'a lookup by id, a key that is not a token, or a token that opens patient records is reported: %s',
    (route, severity) => {
      expect(findingsOf(RULE, express(route)).map((f) => f.severity)).toEqual([severity]);
    },
  );
});

describe('unauthenticated-route: steps of signing in that answer the credential they issue', () => {
  const express = (route: string) => ({
    'src/app.ts': `import express from 'express';\nconst app = express();\n${route}\n`,
  });

  it.each([
    [
      "app.post('/auth/scope', async (req, res) => { const attempt = await Attempt.findByPk(req.body.login); await attempt.update({ scope: req.body.scope }); res.json({ login: attempt.id, code: attempt.code }); });",
    ],
    [
      "app.post('/auth/tenant', async (req, res) => { const t = await Tenant.create({ name: req.body.name }); res.json({ accessToken: sign({ tenant: t.id }) }); });",
    ],
    [
      "app.get('/sso/continue', async (req, res) => { const grant = await Grant.findByPk(req.query.grant); res.json({ code: grant.code, state: req.query.state }); });",
    ],
  ])('not reported: %s', (route) => {
    expect(findingsOf(RULE, express(route))).toEqual([]);
  });

  it.each([
    [
      "app.get('/codes/:id', async (req, res) => { const d = await Diagnosis.findByPk(req.params.id); res.json({ code: d.code, label: d.label }); });",
    ],
    [
      "app.post('/auth/quota', async (req, res) => { const q = await Quota.findByPk(req.body.id); res.json({ tokenCount: q.count }); });",
    ],
    [
      "app.get('/orders', async (req, res) => { const rows = await Order.findAll({ limit: 20 }); res.json({ rows, nextPageToken: rows.at(-1)?.id }); });",
    ],
  ])(
    'a code that is not bound to a sign-in, a key that is not a token, or the cursor of a page, is reported: %s',
    (route) => {
      expect(findingsOf(RULE, express(route))).toHaveLength(1);
    },
  );
});

describe("unauthenticated-route: a model's own finder reads it", () => {
  const express = (route: string) => ({
    'src/app.ts': `import express from 'express';\nconst app = express();\n${route}\n`,
  });

  it('the languages of the translations, read by a finder of the model, are reference data: not reported', () => {
    expect(
      findingsOf(
        RULE,
        express(
          "app.get('/languages', async (req, res) => { const { TranslatedString } = req.models; res.send(await TranslatedString.getPossibleLanguages()); });",
        ),
      ),
    ).toEqual([]);
  });

  it('the same finder on patients is an error that names the call', () => {
    expect(
      findingsOf(
        RULE,
        express(
          "app.get('/recent', async (req, res) => { const { Patient } = req.models; res.send(await Patient.getRecentlyViewed()); });",
        ),
      ).map((f) => [f.severity, f.message.replace(/^.*authentication; /, '')]),
    ).toEqual([['error', 'it returns patient records (Patient.getRecentlyViewed)']]);
  });

  it('a static getter of a built-in object is not a model', () => {
    expect(
      findingsOf(
        RULE,
        express("app.get('/meta', (req, res) => res.send(Reflect.getOwnPropertyDescriptor(req, 'x')));"),
      ).map((f) => f.severity),
    ).toEqual(['warning']);
  });
});

describe("unauthenticated-route: the application's own row, named by a constant", () => {
  const files = (route: string) => ({
    'prisma/schema.prisma':
      'model SiteConfig {\n  id String @id @default("main")\n  bannerOn Boolean\n  bannerText String?\n  updatedBy String?\n}\nmodel Patient {\n  id Int @id\n  name String\n}\n',
    'src/app.ts': `import express from 'express';\nconst app = express();\n${route}\n`,
  });

  it('the banner read from the one settings row is not reported', () => {
    expect(
      findingsOf(
        RULE,
        files(
          "app.get('/banner', async (req, res) => { const c = await prisma.siteConfig.findUnique({ where: { id: 'main' } }); res.json({ on: c?.bannerOn ?? false, text: c?.bannerText ?? null }); });",
        ),
      ),
    ).toEqual([]);
  });

  it('a decision from settings named by constants and the posted body is not reported; a setting the caller names is', () => {
    expect(
      findingsOf(
        RULE,
        files(
          "app.post('/client-check', async (req, res) => { const policy = await req.settings.get('clients.policy'); res.json(decide(policy, req.body)); });",
        ),
      ),
    ).toEqual([]);
    expect(
      findingsOf(
        RULE,
        files("app.get('/setting', async (req, res) => res.json(await req.settings.get(req.query.key)));"),
      ),
    ).toHaveLength(1);
  });

  it.each([
    [
      "app.get('/config/:id', async (req, res) => res.json(await prisma.siteConfig.findUnique({ where: { id: req.params.id } })));",
      'warning',
    ],
    ["app.get('/config', async (req, res) => res.json(await prisma.siteConfig.findMany()));", 'warning'],
    [
      "app.put('/banner', async (req, res) => res.json(await prisma.siteConfig.update({ where: { id: 'main' }, data: req.body })));",
      'warning',
    ],
    ["app.get('/first', async (req, res) => res.json(await prisma.patient.findFirst({ where: { id: 1 } })));", 'error'],
  ])(
    'a row the caller picks, every row, a change, or a patient named by a constant is reported: %s',
    (route, severity) => {
      expect(findingsOf(RULE, files(route)).map((f) => f.severity)).toEqual([severity]);
    },
  );
});

describe("unauthenticated-route: gated or no one's data behind a middleware that cannot be followed", () => {
  const app = (route: string) => ({
    'prisma/schema.prisma':
      'model Invitation {\n  id Int @id\n  token String\n  email String\n}\nmodel Patient {\n  id Int @id\n  name String\n  shareToken String\n}\n',
    'src/server.ts': `import express from 'express';\nimport { gate } from './security/missing';\nconst app = express();\napp.use(gate);\n${route}\n`,
  });

  it.each([
    [
      "app.get('/invitations/:token', async (req, res) => res.json(await prisma.invitation.findUnique({ where: { token: req.params.token } })));",
    ],
    [
      "app.post('/auth/scope', async (req, res) => { const a = await Attempt.findByPk(req.body.login); res.json({ login: a.id, code: a.code }); });",
    ],
  ])('nothing to say, whether gate authenticates or not: %s', (route) => {
    expect(findingsOf(RULE, app(route))).toEqual([]);
  });

  it('a token that opens patient records stays a note that names the middleware', () => {
    const findings = findingsOf(
      RULE,
      app(
        "app.get('/shared/:token', async (req, res) => res.json(await prisma.patient.findFirst({ where: { shareToken: req.params.token } })));",
      ),
    );
    expect(findings.map((f) => f.severity)).toEqual(['note']);
    expect(findings[0]!.message).toMatch(
      /^GET \/shared\/:token: authentication could not be verified: gate \(server\.ts:4: .+\); if it authenticates, declare it in auth\.middleware/,
    );
  });
});
