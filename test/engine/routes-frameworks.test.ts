import { describe, expect, it } from 'vitest';
import { matcherRegex } from '../../server/src/engine/routes/next.js';
import { routeLines, routeRows } from './routes-helpers.js';

describe('Koa routes', () => {
  it('orders koa-jwt against router mounts, honours unless() exclusions and router prefixes', () => {
    expect(
      routeLines({
        'src/koa.ts': `import Koa from 'koa';
import Router from '@koa/router';
import jwt from 'koa-jwt';
const app = new Koa();
const open = new Router();
const api = new Router({ prefix: '/api' });
open.get('/status/:id', (ctx) => { ctx.body = 1; });
app.use(open.routes()).use(open.allowedMethods());
app.use(jwt({ secret: 's' }).unless({ path: [/^\\/api\\/public\\//, '/api/login'] }));
app.use(api.routes());
api.post('/login', (ctx) => { ctx.body = 1; });
api.get('/records/:id', (ctx) => { ctx.body = 1; });
api.get('/public/board', (ctx) => { ctx.body = 1; });
api.get('/publication/:id', (ctx) => { ctx.body = 1; });
`,
      }),
    ).toEqual([
      'GET /status/:id unauthenticated',
      'POST /api/login opted-out',
      'GET /api/records/:id authenticated',
      'GET /api/public/board opted-out',
      'GET /api/publication/:id authenticated',
    ]);
  });

  it('router.use(auth) and per-route middleware on a koa router', () => {
    expect(
      routeLines({
        'src/koa.ts': `import Koa from 'koa';
import Router from 'koa-router';
import jwt from 'koa-jwt';
const app = new Koa();
const router = new Router();
router.get('/a', (ctx) => {});
router.get('/b', jwt({ secret: 's' }), (ctx) => {});
router.use(jwt({ secret: 's' }));
router.get('/c', (ctx) => {});
app.use(router.routes());
`,
      }),
    ).toEqual(['GET /a unauthenticated', 'GET /b authenticated', 'GET /c authenticated']);
  });
});

describe('Fastify routes', () => {
  it('route options hooks, plugin encapsulation, prefixes, fastify-plugin scope and @fastify/auth', () => {
    expect(
      routeLines({
        'src/plugins/auth.ts': `import fp from 'fastify-plugin';
export default fp(async function (fastify) {
  fastify.decorate('authenticate', async (request) => { await request.jwtVerify(); });
});`,
        'src/routes/private.ts': `export default async function privateRoutes(fastify) {
  fastify.addHook('onRequest', fastify.authenticate);
  fastify.get('/records', async () => []);
  fastify.register(async (child) => { child.get('/nested', async () => []); });
}`,
        'src/server.ts': `import Fastify from 'fastify';
import authPlugin from './plugins/auth';
import privateRoutes from './routes/private';
const app = Fastify();
app.register(authPlugin);
app.get('/open', async () => []);
app.get('/guarded', { onRequest: [app.authenticate] }, async () => []);
app.route({ method: 'GET', url: '/composed', preHandler: app.auth([app.verifyJWT]), handler: async () => [] });
app.register(privateRoutes, { prefix: '/api' });
app.register(async function publicRoutes(instance) { instance.get('/catalog', async () => []); });
`,
      }),
    ).toEqual([
      'GET /api/records authenticated',
      'GET /api/nested authenticated',
      'GET /open unauthenticated',
      'GET /guarded authenticated',
      'GET /composed authenticated',
      'GET /catalog unauthenticated',
    ]);
  });

  it('a hook registered through fastify-plugin applies to the parent scope and siblings', () => {
    expect(
      routeLines({
        'src/server.ts': `import Fastify from 'fastify';
import fp from 'fastify-plugin';
const app = Fastify();
app.register(fp(async (f) => { f.addHook('preHandler', async (req) => { await req.jwtVerify(); }); }));
app.get('/x', async () => 1);
app.register(async (f) => { f.get('/y', async () => 1); });
`,
      }),
    ).toEqual(['GET /x authenticated', 'GET /y authenticated']);
  });
});

describe('Hapi routes', () => {
  it('auth default applies to routes added before it; auth: false opts out; mode try is optional', () => {
    const rows = routeRows({
      'src/hapi.ts': `import Hapi from '@hapi/hapi';
const server = Hapi.server({});
server.route({ method: 'GET', path: '/early', handler: () => 1 });
server.auth.strategy('jwt', 'jwt', {});
server.auth.default('jwt');
server.route([
  { method: 'GET', path: '/open', options: { auth: false }, handler: () => 1 },
  { method: 'GET', path: '/try', options: { auth: { mode: 'try' } }, handler: () => 1 },
  { method: ['GET', 'POST'], path: '/x/{id}', config: { auth: 'jwt' }, handler: () => 1 },
]);`,
    });
    expect(rows.map((r) => `${r.method} ${r.path} ${r.status} ${r.token}`)).toEqual([
      "GET /early authenticated '/early'",
      "GET /open opted-out '/open'",
      "GET /try optional '/try'",
      "GET|POST /x/{id} authenticated '/x/{id}'",
    ]);
  });

  it('without a default strategy a route with no auth option is unauthenticated', () => {
    expect(
      routeLines({
        'src/h.ts': `const server = require('@hapi/hapi').server();\nserver.route({ method: 'GET', path: '/a', handler: () => 1 });`,
      }),
    ).toEqual(['GET /a unauthenticated']);
  });
});

describe('NestJS routes', () => {
  const GUARD = `import { Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
export const IS_PUBLIC_KEY = 'isPublic';
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
export const Open = () => SetMetadata(IS_PUBLIC_KEY, true);
@Injectable()
export class JwtGuard extends AuthGuard('jwt') {
  constructor(private reflector: Reflector) { super(); }
  canActivate(ctx) { return this.reflector.getAllAndOverride(IS_PUBLIC_KEY, [ctx.getHandler()]) || super.canActivate(ctx); }
}`;
  it('APP_GUARD of the application module protects every controller except @Public ones (custom opt-out decorators too)', () => {
    const rows = routeRows({
      'src/guard.ts': GUARD,
      'src/records.controller.ts': `import { Controller, Get, Post, SetMetadata } from '@nestjs/common';
import { Public, Open } from './guard';
@Controller('records')
export class RecordsController {
  @Get(':id') one() { return 1; }
  @Get('qr/:id')
  @Public()
  qr() { return 1; }
  @Post('open') @Open() open() { return 1; }
  @SetMetadata('isPublic', true) @Get('meta') meta() { return 1; }
}`,
      'src/app.module.ts': `import { Module } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { JwtGuard } from './guard';
import { RecordsController } from './records.controller';
@Module({ controllers: [RecordsController], providers: [{ provide: APP_GUARD, useClass: JwtGuard }] })
export class AppModule {}
async function main() { const app = await NestFactory.create(AppModule); app.setGlobalPrefix('api'); }`,
    });
    expect(rows.map((r) => `${r.method} ${r.path} ${r.status} ${r.token}`)).toEqual([
      "GET /api/records/:id authenticated @Get(':id')",
      "GET /api/records/qr/:id opted-out @Get('qr/:id')",
      "POST /api/records/open opted-out @Post('open')",
      "GET /api/records/meta opted-out @Get('meta')",
    ]);
  });

  it('without a global guard: method and class @UseGuards; a RolesGuard needs an identity, so it authenticates; a throttler does not', () => {
    expect(
      routeLines({
        'src/m.ts': `import { Controller, Get, Module, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
declare class RolesGuard {}
declare class ThrottlerGuard {}
@Controller('a')
class A {
  @Get('x') x() {}
  @Get('y') @UseGuards(AuthGuard('jwt')) y() {}
  @Get('z') @UseGuards(RolesGuard) z() {}
  @Get('t') @UseGuards(ThrottlerGuard) t() {}
}
@UseGuards(AuthGuard('jwt'))
@Controller({ path: 'b' })
class B { @Get() list() {} }
@Module({ controllers: [A, B] })
export class M {}`,
      }),
    ).toEqual([
      'GET /a/x unauthenticated',
      'GET /a/y authenticated',
      'GET /a/z authenticated',
      'GET /a/t unauthenticated',
      'GET /b authenticated',
    ]);
  });

  it('app.useGlobalGuards in the bootstrap protects the app; a second app without it does not', () => {
    expect(
      routeLines({
        'src/one.ts': `import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JwtAuthGuard } from './jwt';
@Controller('one') class One { @Get() get() {} }
@Module({ controllers: [One] }) class OneModule {}
async function boot() { const app = await NestFactory.create(OneModule); app.useGlobalGuards(new JwtAuthGuard()); }`,
        'src/two.ts': `import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
@Controller('two') class Two { @Get() get() {} }
@Module({ controllers: [Two] }) class TwoModule {}
async function boot() { await NestFactory.create(TwoModule); }`,
      }),
    ).toEqual(['GET /one authenticated', 'GET /two unauthenticated']);
  });
});

describe('Next.js routes', () => {
  const MIDDLEWARE = `import { NextResponse } from 'next/server';
import { getToken } from 'next-auth/jwt';
export async function middleware(req) {
  if (!(await getToken({ req }))) return NextResponse.json({}, { status: 401 });
  return NextResponse.next();
}
export const config = { matcher: ['/api/reports/:path*', '/api/admin/:path+'] };`;

  it('middleware.ts covers only its matcher; handlers with a session check pass; wrappers count', () => {
    const rows = routeRows({
      'middleware.ts': MIDDLEWARE,
      'app/api/reports/[id]/route.ts': 'export async function GET() { return Response.json({}); }',
      'app/api/(portal)/samples/[code]/route.ts': `import { getServerSession } from 'next-auth';
export async function GET() { return Response.json({}); }
export async function PATCH() { const s = await getServerSession(); if (!s) return new Response(null, { status: 401 }); return Response.json({}); }
export const DELETE = async () => new Response(null);`,
      'pages/api/results/[id].ts': `export default async function handler(req, res) { if (req.method !== 'GET') return res.status(405).end(); res.json({}); }`,
      'src/pages/api/me.ts': `import { withApiAuthRequired } from '@auth0/nextjs-auth0';\nexport default withApiAuthRequired(async function me(req, res) { res.json({}); });`,
    });
    expect(rows.map((r) => `${r.file} ${r.method} ${r.path} ${r.status} ${r.token}`)).toEqual([
      'app/api/(portal)/samples/[code]/route.ts GET /api/samples/[code] unauthenticated GET',
      'app/api/(portal)/samples/[code]/route.ts PATCH /api/samples/[code] authenticated PATCH',
      'app/api/(portal)/samples/[code]/route.ts DELETE /api/samples/[code] unauthenticated DELETE',
      'app/api/reports/[id]/route.ts GET /api/reports/[id] authenticated GET',
      'pages/api/results/[id].ts GET /api/results/[id] unauthenticated handler',
      'src/pages/api/me.ts ANY /api/me authenticated withApiAuthRequired(async function me(req, res) { res.json({}); })',
    ]);
  });

  it.each([
    ['/api/reports/:path*', '/api/reports', true],
    ['/api/reports/:path*', '/api/reports/1/pdf', true],
    ['/api/admin/:path+', '/api/admin', false],
    ['/api/admin/:path+', '/api/admin/users', true],
    ['/((?!api|_next/static|favicon.ico).*)', '/api/results/1', false],
    ['/((?!api|_next/static|favicon.ico).*)', '/dashboard', true],
    ['/api/:id', '/api/x', true],
  ])('matcher %s on %s: %s', (pattern, path, expected) => {
    expect(matcherRegex(pattern)!.test(path)).toBe(expected);
  });
});

describe('Next.js: where the middleware is loaded from, and what is routable', () => {
  const GATE = (name: string) => `import { NextResponse } from 'next/server';
import { getToken } from 'next-auth/jwt';
export async function ${name}(req) {
  if (!(await getToken({ req }))) return NextResponse.json({}, { status: 401 });
  return NextResponse.next();
}
export const config = { matcher: ['/api/:path*'] };`;
  const ROUTE = 'export async function GET() { return Response.json(await db.admissions.findMany()); }';

  it('proxy.ts (Next.js 16) at the project root guards the API like middleware.ts', () => {
    expect(routeLines({ 'proxy.ts': GATE('proxy'), 'app/api/admissions/route.ts': ROUTE })).toEqual([
      'GET /api/admissions authenticated',
    ]);
    expect(routeLines({ 'src/middleware.ts': GATE('middleware'), 'src/app/api/admissions/route.ts': ROUTE })).toEqual([
      'GET /api/admissions authenticated',
    ]);
  });

  it('a middleware file under app/ is never loaded by Next.js: it guards nothing', () => {
    expect(routeLines({ 'app/middleware.ts': GATE('middleware'), 'app/api/admissions/route.ts': ROUTE })).toEqual([
      'GET /api/admissions unauthenticated',
    ]);
    expect(
      routeLines({ 'web/app/middleware.js': GATE('middleware'), 'web/app/api/admissions/route.js': ROUTE }),
    ).toEqual(['GET /api/admissions unauthenticated']);
  });

  it('a route.ts inside a private _folder is not routable', () => {
    expect(
      routeLines({ 'app/api/_drafts/admissions/route.ts': ROUTE, 'app/api/(staff)/admissions/route.ts': ROUTE }),
    ).toEqual(['GET /api/admissions unauthenticated']);
  });
});
