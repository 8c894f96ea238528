import {
  CallHandler,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, Observable } from 'rxjs';
import { ClientCredentials } from '../auth/route-policy.decorator';
import { isObject } from '../common/fields';
import { requestBaseUrl } from '../discovery/openid-configuration';
import { SCIM_CONTENT_TYPE } from './scim.error';

export const SCIM_PATH = 'api/scim/resource/v2';

/**
 * A SCIM resource route: a client-credentials token that the tenant's SCIM server entity
 * granted `permission` (FusionAuth's `scim:user:read` and kin), refused with a SCIM body.
 */
export const ScimAccess = (permission: string): MethodDecorator =>
  ClientCredentials({ permission, target: 'scimServer', refusalBody: 'scim' });

/** The address this request reached the server at, for `meta.location` when no PUBLIC_URL is set. */
export const RequestBase = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const socket = request.raw.socket;
  const address = socket.localAddress ?? '127.0.0.1';
  const host = address.includes(':') ? `[${address}]` : address;
  return requestBaseUrl(request.headers.host, `${host}:${socket.localPort}`);
});

/**
 * SCIM bodies are `application/scim+json` (RFC 7644 §3.1), and a resource answers with
 * its `Location` (§3.1 for a create; harmless and useful on the others).
 */
@Injectable()
export class ScimResponseInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      map((body: unknown) => {
        if (body === undefined) return body;
        void reply.type(SCIM_CONTENT_TYPE);
        const meta = isObject(body) ? body.meta : undefined;
        if (isObject(meta) && typeof meta.location === 'string')
          void reply.header('location', meta.location);
        return JSON.stringify(body);
      }),
    );
  }
}
