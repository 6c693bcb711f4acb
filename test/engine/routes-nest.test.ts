import { describe, expect, it } from 'vitest';
import { routeLines } from './routes-helpers.js';

/** A guard that skips the routes whose handler or class carries `key` (read through the Reflector). */
const guardReading = (key: string) => `import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ${key} } from './keys';
@Injectable()
export class StaffGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) { super(); }
  canActivate(ctx) {
    if (this.reflector.getAllAndOverride(${key}, [ctx.getHandler(), ctx.getClass()])) return true;
    return super.canActivate(ctx);
  }
}`;

const MAIN = `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
async function start() { const app = await NestFactory.create(AppModule); await app.listen(3000); }
start();`;

describe('NestJS: which controllers are served', () => {
  const wards = `import { Controller, Get } from '@nestjs/common';
@Controller('wards') export class WardsController { @Get() list() { return []; } }`;
  const wardsModule = `import { Module } from '@nestjs/common';
import { WardsController } from './wards.controller';
@Module({ controllers: [WardsController] }) export class WardsModule {}`;
  const beds = `import { Controller, Get } from '@nestjs/common';
@Controller('beds') export class BedsController { @Get() list() { return []; } }`;

  it('a feature module the bootstrapped root never imports is not served; forwardRef and forRoot imports are followed', () => {
    expect(
      routeLines({
        'src/main.ts': MAIN,
        'src/wards/wards.controller.ts': wards,
        'src/wards/wards.module.ts': wardsModule,
        'src/beds/beds.controller.ts': beds,
        'src/beds/beds.module.ts': `import { Module } from '@nestjs/common';
import { BedsController } from './beds.controller';
@Module({ controllers: [BedsController] }) export class BedsModule { static forRoot() { return { module: BedsModule }; } }`,
        'src/old/archive.controller.ts': `import { Controller, Get } from '@nestjs/common';
@Controller('archive') export class ArchiveController { @Get() all() { return []; } }`,
        'src/old/archive.module.ts': `import { Module } from '@nestjs/common';
import { ArchiveController } from './archive.controller';
@Module({ controllers: [ArchiveController] }) export class ArchiveModule {}`,
        'src/app.module.ts': `import { Module, forwardRef } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { WardsModule } from './wards/wards.module';
import { BedsModule } from './beds/beds.module';
@Module({ imports: [ConfigModule.forRoot({}), forwardRef(() => WardsModule), BedsModule.forRoot()] })
export class AppModule {}`,
      }),
    ).toEqual(['GET /beds unauthenticated', 'GET /archive unmounted', 'GET /wards unauthenticated']);
  });

  it('a controller that no module lists is not served, even without a bootstrap in view', () => {
    expect(
      routeLines({
        'src/wards/wards.controller.ts': wards,
        'src/wards/wards.module.ts': wardsModule,
        'src/beds/beds.controller.ts': beds,
      }),
    ).toEqual(['GET /beds unmounted', 'GET /wards unauthenticated']);
  });

  it('when an import of the root cannot be resolved, modules nobody imports may still be served', () => {
    expect(
      routeLines({
        'src/main.ts': MAIN,
        'src/wards/wards.controller.ts': wards,
        'src/wards/wards.module.ts': wardsModule,
        'src/app.module.ts': `import { Module } from '@nestjs/common';
import { FEATURES } from './features';
@Module({ imports: [...FEATURES] })
export class AppModule {}`,
      }),
    ).toEqual(['GET /wards unauthenticated']);
  });
});

describe('NestJS: guards through composite decorators and opt-outs through metadata', () => {
  const files = (controller: string, extra: Record<string, string> = {}) => ({
    'src/main.ts': MAIN,
    'src/keys.ts': "export const OPEN_TO_GUESTS = 'openToGuests';\nexport const LEGACY = 'legacy';",
    'src/staff.guard.ts': guardReading('OPEN_TO_GUESTS'),
    'src/wards.controller.ts': controller,
    'src/app.module.ts': `import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { StaffGuard } from './staff.guard';
import { WardsController } from './wards.controller';
@Module({ controllers: [WardsController], providers: [{ provide: APP_GUARD, useClass: StaffGuard }] })
export class AppModule {}`,
    ...extra,
  });

  it('a decorator that sets the key the global guard reads opts out; one under a key it never reads has no effect', () => {
    expect(
      routeLines(
        files(`import { Controller, Get, SetMetadata } from '@nestjs/common';
import { OPEN_TO_GUESTS, LEGACY } from './keys';
export const Guest = () => SetMetadata(OPEN_TO_GUESTS, true);
export const Public = () => SetMetadata(LEGACY, true);
@Controller('wards')
export class WardsController {
  @Get('board') @Guest() board() { return []; }
  @Get('beds') @Public() beds() { return []; }
  @Get('list') list() { return []; }
}`),
      ),
    ).toEqual(['GET /wards/board opted-out', 'GET /wards/beds authenticated', 'GET /wards/list authenticated']);
  });

  it('@Public() under a bare AuthGuard("jwt") has no effect: the passport guard reads no metadata', () => {
    expect(
      routeLines({
        'src/main.ts': MAIN,
        'src/wards.controller.ts': `import { Controller, Get, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { Public } from './public';
@UseGuards(AuthGuard('jwt'))
@Controller('wards')
export class WardsController { @Get() @Public() list() { return []; } }`,
        'src/app.module.ts': `import { Module } from '@nestjs/common';
import { WardsController } from './wards.controller';
@Module({ controllers: [WardsController] }) export class AppModule {}`,
      }),
    ).toEqual(['GET /wards authenticated']);
  });

  it('a composite decorator built with applyDecorators(UseGuards(...)) guards the route', () => {
    expect(
      routeLines({
        'src/main.ts': MAIN,
        'src/auth.decorator.ts': `import { applyDecorators, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
export function StaffOnly() { return applyDecorators(UseGuards(AuthGuard('jwt'))); }`,
        'src/wards.controller.ts': `import { Controller, Get } from '@nestjs/common';
import { StaffOnly } from './auth.decorator';
@Controller('wards')
export class WardsController { @Get('mine') @StaffOnly() mine() { return []; } @Get('all') all() { return []; } }`,
        'src/app.module.ts': `import { Module } from '@nestjs/common';
import { WardsController } from './wards.controller';
@Module({ controllers: [WardsController] }) export class AppModule {}`,
      }),
    ).toEqual(['GET /wards/mine authenticated', 'GET /wards/all unauthenticated']);
  });

  it('Reflector.createDecorator(): the decorator is its own key', () => {
    const guard = guardReading('Guest').replace("import { Guest } from './keys';", "import { Guest } from './guest';");
    expect(
      routeLines(
        files(
          `import { Controller, Get } from '@nestjs/common';
import { Guest } from './guest';
@Controller('wards')
export class WardsController { @Get('board') @Guest() board() { return []; } }`,
          {
            'src/guest.ts':
              "import { Reflector } from '@nestjs/core';\nexport const Guest = Reflector.createDecorator<boolean>();",
            'src/staff.guard.ts': guard,
          },
        ),
      ),
    ).toEqual(['GET /wards/board opted-out']);
  });
});

describe('NestJS: paths held by constants', () => {
  it('controller and method paths from constant objects', () => {
    expect(
      routeLines({
        'src/main.ts': MAIN,
        'src/routes.ts': "export const ROUTES = { wards: 'wards', discharge: ':id/discharge' };",
        'src/wards.controller.ts': `import { Controller, Post } from '@nestjs/common';
import { ROUTES } from './routes';
@Controller(ROUTES.wards)
export class WardsController { @Post(ROUTES.discharge) discharge() { return db.discharge(); } }`,
        'src/app.module.ts':
          "import { Module } from '@nestjs/common';\nimport { WardsController } from './wards.controller';\n@Module({ controllers: [WardsController] }) export class AppModule {}",
      }),
    ).toEqual(['POST /wards/:id/discharge unauthenticated']);
  });
});
