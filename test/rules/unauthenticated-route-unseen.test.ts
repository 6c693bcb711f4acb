import { describe, expect, it } from 'vitest';
import { covered, findingsOf } from '../helpers.js';

const RULE = 'unauthenticated-route';

/** An EHR back end in CommonJS: auth is router-level, in another file, mounted through an index router. */
const EHR: Record<string, string> = {
  'server/middleware/authenticate.js': `const passport = require('passport');
module.exports = passport.authenticate('bearer', { session: false });`,
  'server/routes/patients.js': `const express = require('express');
const router = express.Router();
router.get('/', async (req, res) => res.json(await Patient.findAll()));
router.get('/:id/observations', async (req, res) => res.json(await Observation.findAll({ where: { patientId: req.params.id } })));
router.route('/:id/diagnoses').get(async (req, res) => res.json(await Diagnosis.findAll())).post(async (req, res) => res.status(201).end());
module.exports = router;`,
  'server/routes/auth.js': `const router = require('express').Router();
router.post('/login', (req, res) => res.json({ token: 't' }));
router.post('/forgot-password', (req, res) => res.status(202).end());
module.exports = router;`,
  'server/routes/index.js': `const { Router } = require('express');
const authenticate = require('../middleware/authenticate');
const router = Router();
router.use('/auth', require('./auth'));
router.use(authenticate);
router.use('/patients', require('./patients'));
module.exports = router;`,
  'server/app.js': `const express = require('express');
const helmet = require('helmet');
const app = express();
app.use(helmet());
app.use(express.json());
app.get('/healthz', (req, res) => res.send('ok'));
app.use('/api', require('./routes'));
module.exports = app;`,
};

/** A Nest app whose global guard comes from a core module imported by the root module. */
const NEST: Record<string, string> = {
  'src/core/jwt.guard.ts': `import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private reflector: Reflector) { super(); }
  canActivate(context: ExecutionContext) {
    return this.reflector.getAllAndOverride('isPublic', [context.getHandler(), context.getClass()]) ? true : super.canActivate(context);
  }
}`,
  'src/core/public.decorator.ts': `import { SetMetadata } from '@nestjs/common';
export const AllowAnonymous = () => SetMetadata('isPublic', true);`,
  'src/core/core.module.ts': `import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtAuthGuard } from './jwt.guard';
@Module({ providers: [{ provide: APP_GUARD, useClass: JwtAuthGuard }] })
export class CoreModule {}`,
  'src/lab/lab.controller.ts': `import { Controller, Get, Param, Post } from '@nestjs/common';
import { AllowAnonymous } from '../core/public.decorator';
@Controller('lab')
export class LabController {
  @Get('orders/:id/results') results(@Param('id') id: string) { return this.repo.findResults(id); }
  @Post('orders') create() { return {}; }
  @Get('orders/:id/diagnosis')
  @AllowAnonymous()
  shared(@Param('id') id: string) { return this.repo.findOne(id).diagnosis; }
}`,
  'src/lab/lab.module.ts': `import { Module } from '@nestjs/common';
import { LabController } from './lab.controller';
@Module({ controllers: [LabController] })
export class LabModule {}`,
  'src/health.controller.ts': `import { Controller, Get } from '@nestjs/common';
import { AllowAnonymous } from './core/public.decorator';
@AllowAnonymous()
@Controller('health')
export class HealthController { @Get() check() { return { status: 'up' }; } }`,
  'src/app.module.ts': `import { Module } from '@nestjs/common';
import { CoreModule } from './core/core.module';
import { LabModule } from './lab/lab.module';
import { HealthController } from './health.controller';
@Module({ imports: [CoreModule, LabModule], controllers: [HealthController] })
export class AppModule {}`,
  'src/main.ts': `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
async function bootstrap() { const app = await NestFactory.create(AppModule); app.setGlobalPrefix('api'); await app.listen(3000); }
bootstrap();`,
};

describe('unauthenticated-route on code in other styles', () => {
  it('an Express EHR with router-level auth in another file: no findings', () => {
    expect(findingsOf(RULE, EHR)).toEqual([]);
  });

  it('the same EHR with the patients router mounted before the router-level auth: every patient route is reported', () => {
    const files: Record<string, string> = {
      ...EHR,
      'server/routes/index.js': EHR['server/routes/index.js']!.replace(
        "router.use(authenticate);\nrouter.use('/patients', require('./patients'));",
        "router.use('/patients', require('./patients'));\nrouter.use(authenticate);",
      ),
    };
    const findings = findingsOf(RULE, files);
    expect(findings.map((f) => `${f.data!['method']} ${f.data!['path']} ${f.severity}`)).toEqual([
      'GET /api/patients error',
      'GET /api/patients/:id/observations error',
      'GET|POST /api/patients/:id/diagnoses error',
    ]);
    expect(findings.map((f) => covered(files[f.file]!, f))).toEqual(["'/'", "'/:id/observations'", "'/:id/diagnoses'"]);
  });

  it('a NestJS app with a global guard: only the @AllowAnonymous route that returns health data', () => {
    const findings = findingsOf(RULE, NEST);
    expect(findings.map((f) => [f.file, covered(NEST[f.file]!, f), f.severity])).toEqual([
      ['src/lab/lab.controller.ts', "@Get('orders/:id/diagnosis')", 'error'],
    ]);
    expect(findings[0]!.message).toBe(
      'GET /api/lab/orders/:id/diagnosis opts out of authentication with @AllowAnonymous() (lab.controller.ts:8), skipping JwtAuthGuard: reachable without authentication; it returns health conditions (this.repo.findOne(id).diagnosis)',
    );
  });

  it('a Fastify API whose routes plugin adds an auth hook: no findings; the same plugin without it: findings', () => {
    const routes = `export default async function patientRoutes(app) {
  app.addHook('preValidation', async (request, reply) => { try { await request.jwtVerify(); } catch (e) { reply.code(401).send(); } });
  app.get('/:id/results', async (request) => app.db.results(request.params.id));
}`;
    const server = `import fastify from 'fastify';
import patientRoutes from './routes/patients';
const app = fastify({ logger: true });
app.get('/ready', async () => ({ ok: true }));
app.register(patientRoutes, { prefix: '/patients' });
app.listen({ port: 3000 });`;
    expect(findingsOf(RULE, { 'src/routes/patients.ts': routes, 'src/server.ts': server })).toEqual([]);
    const open = routes.replace(/ {2}app\.addHook[^\n]*\n/, '');
    expect(
      findingsOf(RULE, { 'src/routes/patients.ts': open, 'src/server.ts': server }).map(
        (f) => `${f.data!['path']} ${f.severity}`,
      ),
    ).toEqual(['/patients/:id/results error']);
  });
});

describe('unauthenticated-route: Next.js middleware in other styles', () => {
  const route =
    "import { NextResponse } from 'next/server';\nexport async function GET() { return NextResponse.json(await db.labResult.findMany()); }";

  it('Auth.js v5: `export { auth as middleware }` with a negative-lookahead matcher covers everything but the excluded prefixes', () => {
    const files = {
      'web/auth.ts':
        "import NextAuth from 'next-auth';\nexport const { handlers, auth, signIn, signOut } = NextAuth({ providers: [] });",
      'web/middleware.ts':
        "export { auth as middleware } from './auth';\nexport const config = { matcher: ['/((?!api/public|_next/static|favicon.ico).*)'] };",
      'web/app/api/results/route.ts': route,
      'web/app/api/public/results/[token]/route.ts': route,
    };
    expect(findingsOf(RULE, files).map((f) => `${f.file} ${f.data!['path']}`)).toEqual([
      'web/app/api/public/results/[token]/route.ts /api/public/results/[token]',
    ]);
  });

  it('Clerk: a middleware that protects only createRouteMatcher paths leaves the API routes to their own checks', () => {
    const middleware = (
      condition: string,
    ) => `import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server';
const matcher = createRouteMatcher(['/dashboard(.*)']);
export default clerkMiddleware(async (auth, req) => { if (${condition}) await auth.protect(); });
export const config = { matcher: ['/((?!_next|[^?]*\\\\.(?:css|js|png)).*)', '/(api|trpc)(.*)'] };`;
    const only = {
      'portal/src/middleware.ts': middleware('matcher(req)'),
      'portal/src/app/api/results/route.ts': route,
    };
    expect(findingsOf(RULE, only).map((f) => f.message)).toEqual([
      expect.stringContaining('it only protects paths matching /dashboard(.*)'),
    ]);
    const allBut = {
      'portal/src/middleware.ts': middleware('!matcher(req)'),
      'portal/src/app/api/results/route.ts': route,
    };
    expect(findingsOf(RULE, allBut)).toEqual([]);
  });
});
