import { ModulesContainer, NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyInstance, LogController, onSendHookHandler } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { registerAdminRedirect } from './admin/admin.controller';
import { AppModule } from './app.module';
import { CorsHook } from './system-configuration/cors.hook';
import { Authenticator } from './auth/authenticator';
import { ApiError } from './common/api-error';
import { installDirectRoutes } from './common/direct-route';
import { isObject } from './common/fields';
import { GeneralCode } from './common/error.catalog';
import { ApiExceptionFilter } from './common/exception.filter';
import { parseForm } from './common/form';
import { exceedsDepth } from './common/json-depth';
import { deferChildLoggers, loggerOptions, NestPinoLogger } from './common/logger';
import { AppConfig } from './config/config.schema';
import { Injector, KickstartService } from './kickstart/kickstart.service';
import { Metrics } from './metrics/metrics.service';
import { JSON_CONTENT_TYPE } from './common/media-type';

/** Largest request head accepted; a 64 KiB header fits, so it is judged on its value. */
export const MAX_HEADER_BYTES = 96 * 1024;
export const BODY_LIMIT_BYTES = 1024 * 1024;

const CLIENT_ERRORS: Record<string, { code: GeneralCode; status: string }> = {
  HPE_HEADER_OVERFLOW: { code: 'requestTooLarge', status: '400 Bad Request' },
  // Node's verdict on a request head or body that did not arrive in time.
  ERR_HTTP_REQUEST_TIMEOUT: { code: 'requestTimeout', status: '408 Request Timeout' },
};

/**
 * A request the HTTP layer refuses (unreadable, too large a head, too slow) still gets a
 * FusionAuth-shaped answer; then the connection goes, whether or not the client ever
 * closes its side (the server's sockets are half-open capable).
 */
function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const { code, status } = CLIENT_ERRORS[error.code ?? ''] ?? {
    code: 'badRequest',
    status: '400 Bad Request',
  };
  const body = JSON.stringify(ApiError.general(code).body);
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: ${JSON_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}

/**
 * How often Node looks for requests past their head or body deadline: Node's own 30 s
 * would let a slow client run up to that much past its deadline.
 */
function checkingIntervalMs(config: AppConfig): number {
  return Math.max(50, Math.min(1_000, Math.round(config.httpHeadersTimeoutMs / 10)));
}

function configureFastify(fastify: FastifyInstance): void {
  fastify.decorateRequest('caller', null);
  const parse = fastify.getDefaultJsonParser('error', 'ignore');
  // JSON bodies, PATCH merge documents included; a body that does not parse is the
  // catalog's [couldNotParseJSON], and an empty one reads as no body (which a route that
  // needs one refuses the same way). Every request is a JSON object (`{"apiKey": {...}}`):
  // `null`, an array or a scalar is refused too, since read as an empty request it would
  // make a PATCH wipe a key's permissions (a super key). Depth is bounded so that nothing
  // after parsing can overflow the stack on a hostile body. SCIM's `application/scim+json`
  // (RFC 7644 §3.1) is JSON under the same rules.
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    ['application/json', 'application/merge-patch+json', 'application/scim+json'],
    { parseAs: 'string' },
    (request, body, done) => {
      const text = body.toString();
      if (text.trim() === '') return done(null, undefined);
      void parse(request, text, (error, value) => {
        if (error || !isObject(value)) return done(ApiError.general('couldNotParseJSON'));
        if (exceedsDepth(value)) return done(ApiError.general('requestTooDeep'));
        done(null, value);
      });
    },
  );
  // FusionAuth's client marks some bodiless POSTs (logout) text/plain; a text body
  // itself is never a request, so it is refused rather than read as an empty one.
  fastify.removeContentTypeParser('text/plain');
  fastify.addContentTypeParser('text/plain', { parseAs: 'string' }, (_request, body, done) =>
    body.length === 0 ? done(null, undefined) : done(ApiError.general('invalidContentType')),
  );
  // OAuth's token endpoint, and FusionAuth's refresh-token revocation, take form bodies.
  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, parseForm(body.toString())),
  );
  // Token endpoint answers carry credentials (RFC 6749 §5.1): no cache keeps any of them,
  // errors and refused bodies included.
  registerAdminRedirect(fastify);
  // A hook of those routes alone: other routes do not pay for it.
  fastify.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/oauth2/')) return;
    const noStore: onSendHookHandler = (_request, reply, payload, done) => {
      void reply.header('cache-control', 'no-store');
      void reply.header('pragma', 'no-cache');
      done(null, payload);
    };
    route.onSend = [noStore, ...(route.onSend === undefined ? [] : [route.onSend].flat())];
  });
}

/**
 * Request ids for log lines: a random prefix per process and a counter, unique across
 * replicas and restarts without a random draw per request.
 */
function requestIds(): () => string {
  const prefix = randomBytes(6).toString('hex');
  let count = 0;
  return () => `${prefix}-${(++count).toString(36)}`;
}

/** Builds, seeds and initialises the service; the caller decides when to listen. */
export interface AppOptions {
  /** Where log lines go (standard output by default). */
  logStream?: NodeJS.WritableStream;
  /** Called with the Fastify instance before routes are registered (instrumentation). */
  configure?: (fastify: FastifyInstance) => void;
}

export async function createApp(
  config: AppConfig,
  env: NodeJS.ProcessEnv = process.env,
  options: AppOptions = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    logger: loggerOptions(config.logLevel, options.logStream),
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestIds(),
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { maxParamLength: 200 },
    // Deadlines for receiving a request (its head; all of it) and for an idle keep-alive
    // connection. None bounds the handler: its database work has deadlines of its own.
    requestTimeout: config.httpRequestTimeoutMs,
    keepAliveTimeout: config.httpKeepAliveTimeoutMs,
    http: {
      maxHeaderSize: MAX_HEADER_BYTES,
      headersTimeout: config.httpHeadersTimeoutMs,
      requestTimeout: config.httpRequestTimeoutMs,
      connectionsCheckingInterval: checkingIntervalMs(config),
    },
    clientErrorHandler,
    return503OnClosing: true,
  });
  const fastify = adapter.getInstance();
  deferChildLoggers(fastify.log);
  configureFastify(fastify);
  options.configure?.(fastify);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, env),
    adapter,
    {
      logger: new NestPinoLogger(fastify.log),
      abortOnError: false,
      bodyParser: false,
    },
  );
  app.useGlobalFilters(new ApiExceptionFilter());
  // Before init, so that every route is registered behind them.
  // CORS first: a preflight is answered before authentication, and an actual request's
  // CORS headers stand on whatever answer follows, a 401 included.
  fastify.addHook('onRequest', app.get(CorsHook).onRequest);
  fastify.addHook('onRequest', app.get(Authenticator).onRequest);
  const { requests } = app.get(Metrics);
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.record(route, request.method, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  try {
    const checkDirectRoutes = installDirectRoutes(fastify, app.get(ModulesContainer));
    await app.init();
    checkDirectRoutes();
    // light-my-request's overloads do not narrow to the promise form; this is that form.
    const inject = fastify.inject.bind(fastify) as unknown as Injector;
    await app.get(KickstartService).run(inject);
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}
