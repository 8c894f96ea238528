import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { VerifiedClientToken } from '../client-credentials/client-token';
import type { VerifiedJwt } from '../jwt/jwt.verifier';
import { ApiKeyRecord } from '../key-cache/api-key.record';

/** Who is calling. Code switches on `kind` exhaustively. */
export type Principal =
  | { readonly kind: 'apiKey'; readonly key: ApiKeyRecord }
  /** A user, by an access token from the Login API or the token endpoint. */
  | { readonly kind: 'user'; readonly jwt: VerifiedJwt }
  /** An entity, by a client-credentials token its target granted the route's permission. */
  | { readonly kind: 'client'; readonly token: VerifiedClientToken }
  | { readonly kind: 'loopback' }
  | { readonly kind: 'anonymous' };

/** The authenticated caller and the tenant the request is confined to (null: all tenants). */
export interface Caller {
  readonly principal: Principal;
  readonly tenantId: string | null;
  /** Where the request came from: set on the API Key API's routes, for the audit trail. */
  readonly address?: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
  }
}

export const ANONYMOUS: Caller = Object.freeze({
  principal: Object.freeze({ kind: 'anonymous' }),
  tenantId: null,
});

/** The verdict of the authentication hook on a request; a direct route's handler reads it so. */
export function callerOf(request: FastifyRequest): Caller {
  return request.caller ?? ANONYMOUS;
}

/** Hands the guard's verdict to a handler: `@CurrentCaller() caller: Caller`. */
export const CurrentCaller = createParamDecorator((_: unknown, context: ExecutionContext): Caller =>
  callerOf(context.switchToHttp().getRequest<FastifyRequest>()),
);

/** The calling key, for handlers whose policy admits only API keys. */
export function callerKey(caller: Caller): ApiKeyRecord {
  const { principal } = caller;
  switch (principal.kind) {
    case 'apiKey':
      return principal.key;
    case 'user':
    case 'client':
    case 'loopback':
    case 'anonymous':
      throw new Error(`an API key route was reached by a ${principal.kind} caller`);
  }
}

/** The calling user, for handlers whose policy admits only user JWTs. */
export function callerUser(caller: Caller): VerifiedJwt {
  const { principal } = caller;
  if (principal.kind !== 'user')
    throw new Error(`a user JWT route was reached by a ${principal.kind} caller`);
  return principal.jwt;
}

/** The calling entity, for handlers whose policy admits only client-credentials tokens. */
export function callerClient(caller: Caller): VerifiedClientToken {
  const { principal } = caller;
  if (principal.kind !== 'client')
    throw new Error(`a client-credentials route was reached by a ${principal.kind} caller`);
  return principal.token;
}
