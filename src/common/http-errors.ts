import { HttpException } from '@nestjs/common';
import { ApiError, EmptyResponse, ErrorsBody } from './api-error';
import { GeneralCode } from './error.catalog';
import { isDatabaseUnavailable, isForeignKeyViolation } from '../database/database.errors';
import { OAuthError, OAuthErrorBody } from './oauth-error';

export interface Outcome {
  status: number;
  body: ErrorsBody | OAuthErrorBody | null;
  /** Unexpected: log it with the request id. */
  unexpected: boolean;
}

const FASTIFY_CODES: Record<string, GeneralCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'couldNotParseJSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'couldNotParseJSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'badRequest',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'invalidContentType',
  FST_ERR_CTP_BODY_TOO_LARGE: 'requestTooLarge',
  FST_ERR_BAD_URL: 'badRequest',
  FST_ERR_ASYNC_CONSTRAINT: 'badRequest',
};

function general(code: GeneralCode, unexpected = false): Outcome {
  const error = ApiError.general(code);
  return { status: error.status, body: error.body, unexpected };
}

function statusOf(error: unknown): number | null {
  if (typeof error !== 'object' || error === null) return null;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : null;
}

/** Decides, in one place, what any thrown value becomes on the wire. */
export function toOutcome(error: unknown): Outcome {
  if (error instanceof EmptyResponse)
    return { status: error.status, body: null, unexpected: false };
  if (error instanceof ApiError)
    return { status: error.status, body: error.body, unexpected: false };
  if (error instanceof OAuthError)
    return { status: error.status, body: error.body, unexpected: false };
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === 404 || status === 405 || status === 401)
      return { status, body: null, unexpected: false };
    if (status === 413) return general('requestTooLarge');
    if (status === 415) return general('invalidContentType');
    if (status >= 400 && status < 500) return general('badRequest');
    return general('Exception', true);
  }
  // The database is away: a JSON 503, never a 500 and never an accept.
  if (isDatabaseUnavailable(error)) return general('ServiceUnavailable');
  // A write that lost a race with a delete (the tenant or user it names is gone).
  if (isForeignKeyViolation(error)) return general('invalidReference');
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code in FASTIFY_CODES) return general(FASTIFY_CODES[code]);
  if (error instanceof SyntaxError) return general('couldNotParseJSON');
  const status = statusOf(error);
  if (status !== null && status >= 400 && status < 500) return general('badRequest');
  return general('Exception', true);
}
