import { Controller, Get, Module, Post } from '@nestjs/common';
import { DiscoveryModule, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Access } from './access.decorator.js';
import { requireRouteDeclarations, routeDeclarations } from './route-declarations.js';

@Controller('declared')
class DeclaredController {
  @Get()
  @Access('workspace.list')
  list(): string[] {
    return [];
  }

  @Get('health')
  @Access('public')
  health(): string {
    return 'ok';
  }
}

@Controller('forgotten')
class ForgottenController {
  @Post()
  create(): string {
    return 'anyone?';
  }
}

async function appWith(controllers: (new () => unknown)[], extra?: (app: NestFastifyApplication) => void) {
  @Module({ imports: [DiscoveryModule], controllers })
  class TestModule {}
  const app = await NestFactory.create<NestFastifyApplication>(TestModule, new FastifyAdapter(), { logger: false });
  requireRouteDeclarations(app.getHttpAdapter().getInstance(), ['/docs']);
  extra?.(app);
  return app;
}

describe('every route declares who may call it', () => {
  it('lets an application whose routes all declare start', async () => {
    const app = await appWith([DeclaredController]);
    await expect(app.listen({ port: 0, host: '127.0.0.1' })).resolves.toBeDefined();
    expect(routeDeclarations(app)).toEqual([
      { handler: 'DeclaredController.list', declaration: 'workspace.list' },
      { handler: 'DeclaredController.health', declaration: 'public' },
    ]);
    await app.close();
  });

  it('refuses to start with a controller route that declares nothing, naming it', async () => {
    const app = await appWith([DeclaredController, ForgottenController]);
    await expect(app.listen({ port: 0, host: '127.0.0.1' })).rejects.toThrow(
      /Routes without an @Access declaration.*POST \/forgotten/,
    );
    await app.close().catch(() => undefined);
  });

  it('refuses a plain Fastify route without `access` in its config (the gateway declares there), but not the docs', async () => {
    const app = await appWith([DeclaredController], (nest) => {
      const fastify = nest.getHttpAdapter().getInstance();
      fastify.get('/docs/swagger.css', async () => '');
      fastify.get('/gateway-ok', { config: { access: 'inference' } }, async () => '');
      fastify.get('/gateway-forgot', async () => '');
    });
    await expect(app.listen({ port: 0, host: '127.0.0.1' })).rejects.toThrow(/GET \/gateway-forgot$/);
    await app.close().catch(() => undefined);
  });
});
