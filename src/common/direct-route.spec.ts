import {
  CallHandler,
  Controller,
  ExecutionContext,
  Get,
  Head,
  HttpCode,
  Module,
  NestInterceptor,
  Req,
  Res,
  Scope,
  Type,
  UseGuards,
} from '@nestjs/common';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './api-error';
import { Direct, installDirectRoutes } from './direct-route';
import { ApiExceptionFilter } from './exception.filter';

/** The routes Nest's pipeline ran: a direct route must not show up here. */
const intercepted: string[] = [];
/** The requests a direct handler was called for. */
const handled: string[] = [];

class Recorder implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler) {
    intercepted.push(context.switchToHttp().getRequest<FastifyRequest>().url);
    return next.handle();
  }
}

@Controller('things')
class ThingController {
  @Get(':id')
  @Direct()
  one(request: FastifyRequest, reply: FastifyReply): string {
    handled.push(request.url);
    const { id } = request.params as { id: string };
    if (id === 'nameless') throw ApiError.field('missing', 'thing.name');
    if (id === 'broken') throw new Error('internal detail');
    if (id === 'pending') void reply.code(202);
    return JSON.stringify({ thing: { id } });
  }

  @Get()
  list(): { things: string[] } {
    return { things: [] };
  }

  @Head('special')
  special(@Res({ passthrough: true }) reply: FastifyReply): void {
    void reply.header('x-special', 'nest');
  }

  @Get('special')
  @Direct()
  specialGet(): string {
    return '{"special":true}';
  }
}

@Controller('/widgets/')
class WidgetController {
  @Get('/')
  @Direct()
  all(): string {
    return '{"widgets":[]}';
  }
}

@Module({ controllers: [ThingController, WidgetController] })
class DirectModule {}

class NotRoutes {
  @Direct()
  helper(): string {
    return '{}';
  }
}

@Controller({ path: 'scoped', scope: Scope.REQUEST })
class ScopedController {
  @Get()
  @Direct()
  all(): string {
    return '{}';
  }
}

@Controller('decorated')
class DecoratedController {
  @Get('code')
  @HttpCode(204)
  @Direct()
  code(): string {
    return '{}';
  }
}

@Controller('argued')
class ArguedController {
  @Get()
  @Direct()
  all(@Req() request: FastifyRequest): string {
    return JSON.stringify({ url: request.url });
  }
}

@Controller('guarded')
@UseGuards(
  class {
    canActivate = () => false;
  },
)
class GuardedController {
  @Get()
  @Direct()
  all(): string {
    return '{}';
  }
}

@Controller('twice')
class TwiceController {
  @Get()
  @Direct()
  all(): string {
    return '{}';
  }
}

@Controller('twice')
class TwiceAgainController {
  @Get()
  all(): string {
    return '{}';
  }
}

class Misdeclared {
  // @ts-expect-error a direct handler takes the request and the reply, nothing Nest resolves
  @Direct()
  caller(tenantId: number): string {
    return String(tenantId);
  }
}

async function appOf(module: Type, prefix?: string) {
  const app = await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter(), {
    logger: false,
    abortOnError: false,
  });
  if (prefix !== undefined) app.setGlobalPrefix(prefix);
  app.useGlobalFilters(new ApiExceptionFilter());
  app.useGlobalInterceptors(new Recorder());
  // The authentication hook's part: a request it refuses never reaches a handler.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      if (request.headers['x-refuse'] === undefined) return done();
      void reply.code(401).send();
    });
  const check = () =>
    installDirectRoutes(app.getHttpAdapter().getInstance(), app.get(ModulesContainer));
  return { app, check };
}

describe('direct routes', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    const built = await appOf(DirectModule);
    app = built.app;
    const registered = built.check();
    await app.init();
    registered();
  });
  afterAll(() => app.close());
  beforeEach(() => {
    intercepted.length = 0;
    handled.length = 0;
  });

  const get = (url: string, method: 'GET' | 'HEAD' = 'GET') =>
    app.getHttpAdapter().getInstance().inject({ method, url });

  it("answers with the handler's JSON text, bypassing Nest's pipeline; other routes keep it", async () => {
    const direct = await get('/things/t-1');
    expect(direct.statusCode).toBe(200);
    expect(direct.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(direct.json()).toEqual({ thing: { id: 't-1' } });
    const nest = await get('/things');
    expect(nest.json()).toEqual({ things: [] });
    expect(intercepted).toEqual(['/things']);
  });

  it('answers a HEAD of a direct GET from the same handler, without a body', async () => {
    const head = await get('/things/t-2', 'HEAD');
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe(String('{"thing":{"id":"t-2"}}'.length));
    expect(head.body).toBe('');
    expect(intercepted).toEqual([]);
  });

  it("leaves a HEAD route of Nest's own on the path of a direct GET to Nest", async () => {
    const head = await get('/things/special', 'HEAD');
    expect(head.headers['x-special']).toBe('nest');
    expect(intercepted).toEqual(['/things/special']);
    const direct = await get('/things/special');
    expect(direct.json()).toEqual({ special: true });
    expect(intercepted).toEqual(['/things/special']);
  });

  it('calls no direct handler for a request the onRequest hooks refuse, GET or HEAD', async () => {
    for (const method of ['GET', 'HEAD'] as const) {
      const refused = await app
        .getHttpAdapter()
        .getInstance()
        .inject({ method, url: '/things/t-3', headers: { 'x-refuse': '1' } });
      expect(refused.statusCode).toBe(401);
    }
    expect(handled).toEqual([]);
    expect((await get('/things/t-3')).statusCode).toBe(200);
    expect(handled).toEqual(['/things/t-3']);
  });

  it('keeps the status the handler sets', async () => {
    const pending = await get('/things/pending');
    expect(pending.statusCode).toBe(202);
    expect(pending.json()).toEqual({ thing: { id: 'pending' } });
  });

  it('answers what the handler throws as the exception filter does: a FusionAuth body, or a bare 500', async () => {
    const nameless = await get('/things/nameless');
    expect(nameless.statusCode).toBe(400);
    expect(nameless.json()).toEqual({
      fieldErrors: {
        'thing.name': [
          { code: '[missing]thing.name', message: 'The [thing.name] was not specified.' },
        ],
      },
    });
    const broken = await get('/things/broken');
    expect(broken.statusCode).toBe(500);
    expect(broken.body).not.toContain('internal detail');
    expect(intercepted).toEqual([]);
  });

  it("joins the controller's and the method's paths as Nest does, slashes and all", async () => {
    const widgets = await get('/widgets');
    expect(widgets.json()).toEqual({ widgets: [] });
    expect(intercepted).toEqual([]);
  });
});

describe('direct routes at start-up', () => {
  it('refuses to start when Nest registers a direct route elsewhere than expected (a global prefix)', async () => {
    const { app, check } = await appOf(DirectModule, 'v1');
    const registered = check();
    await app.init();
    expect(registered).toThrow(
      'direct routes not registered: GET /things/:id, GET /things/special, GET /widgets',
    );
    await app.close();
  });

  it.each([
    [NotRoutes, '@Direct() on NotRoutes.helper, which is not a route'],
    [DecoratedController, '@Direct() on DecoratedController.code, which declares __httpCode__'],
    [GuardedController, '@Direct() on GuardedController.all, which declares __guards__'],
    [ArguedController, '@Direct() on ArguedController.all, which declares __routeArguments__'],
    [ScopedController, '@Direct() on ScopedController, whose instances are made per request'],
  ])(
    'refuses a @Direct() method that is not a route, carries what Nest would apply and it would not, or is request-scoped: %p',
    async (controller, message) => {
      @Module({ controllers: [controller] })
      class OneModule {}
      const { app, check } = await appOf(OneModule);
      expect(check).toThrow(message);
      await app.close();
    },
  );

  it('refuses a second route on the method and path of a direct one', async () => {
    @Module({ controllers: [TwiceController, TwiceAgainController] })
    class TwiceModule {}
    const { app, check } = await appOf(TwiceModule);
    check();
    await expect(app.init()).rejects.toThrow(
      'direct route GET /twice is declared twice, or with constraints',
    );
    await app.close();
  });

  it('is held to its signature by the compiler: the @ts-expect-error above fails the type check otherwise', () => {
    expect(new Misdeclared().caller(1)).toBe('1');
  });
});
