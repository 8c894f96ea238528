import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { CorsSettings } from './system-configuration.dto';
import { SystemConfigurationService } from './system-configuration.service';

function requestedHeaders(request: FastifyRequest): string[] {
  const raw = request.headers['access-control-request-headers'];
  const text = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
  return text
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
}

/**
 * CORS as FusionAuth's filter answers it, from the system configuration: off by default;
 * a preflight from an allowed origin for an allowed method (and headers) is a 204 with the
 * grants, any other preflight a 403 without CORS headers; an actual request from an
 * allowed origin gets `Access-Control-Allow-Origin` (and the rest), whatever its answer,
 * 401 included. CORS is not a credential: it never lets a request through authentication.
 */
@Injectable()
export class CorsHook {
  constructor(private readonly system: SystemConfigurationService) {}

  readonly onRequest = (
    request: FastifyRequest,
    reply: FastifyReply,
    done: HookHandlerDoneFunction,
  ): void => {
    const origin = request.headers.origin;
    if (origin === undefined) return done();
    const settings = this.system.settings();
    if (settings instanceof Promise) {
      settings.then(
        (loaded) => this.answer(request, reply, done, origin, loaded.corsConfiguration),
        // No settings to read (a hung database): no CORS headers, the request goes on.
        () => done(),
      );
      return;
    }
    this.answer(request, reply, done, origin, settings.corsConfiguration);
  };

  private answer(
    request: FastifyRequest,
    reply: FastifyReply,
    done: HookHandlerDoneFunction,
    origin: string,
    cors: CorsSettings,
  ): void {
    if (!cors.enabled) return done();
    const anyOrigin = cors.allowedOrigins.includes('*');
    const originAllowed = anyOrigin || cors.allowedOrigins.includes(origin);
    // Browsers refuse `*` with credentials: the origin itself is named then.
    const allowOrigin = anyOrigin && !cors.allowCredentials ? '*' : origin;
    const asked = request.headers['access-control-request-method'];
    if (request.method === 'OPTIONS' && typeof asked === 'string') {
      const headers = requestedHeaders(request);
      const allowedHeaders = new Set(cors.allowedHeaders.map((name) => name.toLowerCase()));
      const granted =
        originAllowed &&
        cors.allowedMethods.includes(asked.toUpperCase()) &&
        headers.every((name) => allowedHeaders.has(name));
      if (!granted) {
        void reply.code(403).send();
        return;
      }
      void reply
        .code(204)
        .header('access-control-allow-origin', allowOrigin)
        .header('access-control-allow-methods', cors.allowedMethods.join(', '))
        .header('access-control-max-age', String(cors.preflightMaxAgeInSeconds))
        .header('vary', 'Origin');
      if (headers.length > 0) void reply.header('access-control-allow-headers', headers.join(', '));
      if (cors.allowCredentials) void reply.header('access-control-allow-credentials', 'true');
      void reply.send();
      return;
    }
    if (originAllowed && cors.allowedMethods.includes(request.method)) {
      void reply.header('access-control-allow-origin', allowOrigin).header('vary', 'Origin');
      if (cors.allowCredentials) void reply.header('access-control-allow-credentials', 'true');
      if (cors.exposedHeaders.length > 0)
        void reply.header('access-control-expose-headers', cors.exposedHeaders.join(', '));
    }
    done();
  }
}
