import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { EmptyResponse } from '../common/api-error';

/**
 * Deny by default: a handler runs only for a request the Authenticator admitted,
 * which it does only on routes that declare a policy. A route that forgot its
 * policy answers 401 to everyone.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.switchToHttp().getRequest<FastifyRequest>().caller === null)
      throw EmptyResponse.unauthorized;
    return true;
  }
}
