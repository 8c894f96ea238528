import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, ErrorEntry } from '../common/api-error';
import { toOutcome } from '../common/http-errors';
import { SCIM_CONTENT_TYPE, ScimError } from './scim.error';

/** What every general error of the catalog becomes on a SCIM route (anything else is a 400). */
const GENERAL: Record<string, ScimError> = {
  '[couldNotParseJSON]': ScimError.invalidSyntax('The request body could not be parsed as JSON.'),
  '[requestTooDeep]': ScimError.invalidSyntax('The request body nests too deeply.'),
  '[invalidContentType]': ScimError.invalidSyntax(
    'The request body must be sent as application/scim+json or application/json.',
  ),
  '[requestTooLarge]': new ScimError(413, null, 'The request is larger than this server accepts.'),
  '[ServiceUnavailable]': new ScimError(503, null, 'A service is unavailable. Try again shortly.'),
  '[Exception]': new ScimError(500, null, 'An unexpected error occurred.'),
};
const UNAUTHORIZED = new ScimError(401, null, 'The request was not authorized.');
const NOT_FOUND = new ScimError(404, null, 'The resource was not found.');

/**
 * The User and Group APIs' field errors, as SCIM reads them: a value in use is a 409
 * `uniqueness`; anything else the client sent wrong is a 400 `invalidValue`, with the
 * catalog's message (written for clients: it never carries a stack or SQL).
 */
function fromApiError(error: ApiError): ScimError {
  const entries: ErrorEntry[] = [
    ...Object.values(error.body.fieldErrors ?? {}).flat(),
    ...(error.body.generalErrors ?? []),
  ];
  const duplicate = entries.find((entry) => entry.code.startsWith('[duplicate]'));
  if (duplicate !== undefined) return new ScimError(409, 'uniqueness', duplicate.message);
  const general = entries.find((entry) => entry.code in GENERAL);
  if (general !== undefined) return GENERAL[general.code];
  if (error.status >= 500) return GENERAL['[Exception]'];
  return ScimError.invalidValue(entries.map((entry) => entry.message).join(' '));
}

export function toScimError(error: unknown): { scim: ScimError; unexpected: boolean } {
  if (error instanceof ScimError) return { scim: error, unexpected: false };
  if (error instanceof ApiError) return { scim: fromApiError(error), unexpected: false };
  const outcome = toOutcome(error);
  if (outcome.body !== null && 'generalErrors' in outcome.body) {
    const scim = fromApiError(new ApiError(outcome.status, outcome.body));
    return { scim, unexpected: outcome.unexpected };
  }
  if (outcome.status === 401) return { scim: UNAUTHORIZED, unexpected: false };
  if (outcome.status === 404 || outcome.status === 405)
    return { scim: NOT_FOUND, unexpected: false };
  return { scim: GENERAL['[Exception]'], unexpected: true };
}

/** Writes any error as a SCIM error body (RFC 7644 §3.12), logging the unexpected. */
export function sendScimError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { scim, unexpected } = toScimError(error);
  if (unexpected) {
    const name = error instanceof Error ? error.name : typeof error;
    const message = error instanceof Error ? error.message : 'non-error thrown';
    request.log.error(
      { err: { name, message, stack: error instanceof Error ? error.stack : undefined } },
      'unexpected error',
    );
  }
  if (reply.sent) return;
  void reply.code(scim.status).type(SCIM_CONTENT_TYPE).send(JSON.stringify(scim.body()));
}

/**
 * On the SCIM routes every error a handler raises is a SCIM error body. What fails before
 * a handler (an unreadable body) reaches the global filter, which hands SCIM routes here.
 */
@Catch()
export class ScimExceptionFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendScimError(error, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}
