import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { policyOfRoute } from '../auth/route-policy.decorator';
import { sendScimError } from '../scim/scim.exception-filter';
import { toOutcome } from './http-errors';
import { JSON_CONTENT_TYPE } from './media-type';

/** Writes any outcome: JSON for error bodies, nothing (and no content type) otherwise. */
export function sendOutcome(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  // A route whose clients read SCIM error bodies gets one, whatever failed (RFC 7644 §3.12).
  if (policyOfRoute(request.routeOptions.config)?.refusalBody === 'scim')
    return sendScimError(error, request, reply);
  const outcome = toOutcome(error);
  if (outcome.unexpected) {
    const name = error instanceof Error ? error.name : typeof error;
    const message = error instanceof Error ? error.message : 'non-error thrown';
    request.log.error(
      { err: { name, message, stack: error instanceof Error ? error.stack : undefined } },
      'unexpected error',
    );
  }
  if (reply.sent) return;
  reply.code(outcome.status);
  if (outcome.body === null) {
    reply.removeHeader('content-type');
    void reply.send();
  } else {
    void reply.type(JSON_CONTENT_TYPE).send(JSON.stringify(outcome.body));
  }
}

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendOutcome(error, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}
