import {
  BadRequestException,
  HttpException,
  InternalServerErrorException,
  MethodNotAllowedException,
  NotFoundException,
  PayloadTooLargeException,
  UnauthorizedException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ApiError, EmptyResponse } from './api-error';
import { GENERAL_ERRORS, GeneralCode } from './error.catalog';
import { Outcome, toOutcome } from './http-errors';
import { OAuthError } from './oauth-error';

function general(code: GeneralCode, unexpected = false): Outcome {
  return {
    status: GENERAL_ERRORS[code].status,
    body: { generalErrors: [{ code: `[${code}]`, message: GENERAL_ERRORS[code].message }] },
    unexpected,
  };
}

function fastifyError(code: string, statusCode: number): Error {
  return Object.assign(new Error('fastify'), { code, statusCode });
}

describe('toOutcome', () => {
  it("answers an OAuthError with OAuth's body and the error's status", () => {
    const error = new OAuthError('invalid_client', 'invalid_client_id', 'No such client.');
    expect(toOutcome(error)).toEqual({
      status: 401,
      body: {
        error: 'invalid_client',
        error_description: 'No such client.',
        error_reason: 'invalid_client_id',
      },
      unexpected: false,
    });
    expect(toOutcome(new OAuthError('invalid_grant', 'unknown', 'x')).status).toBe(400);
  });

  it('passes an ApiError through as it is', () => {
    const error = ApiError.field('blank', 'apiKey.key');
    expect(toOutcome(error)).toEqual({ status: 400, body: error.body, unexpected: false });
    expect(toOutcome(ApiError.general('DefaultTenantDelete'))).toEqual(
      general('DefaultTenantDelete'),
    );
  });

  it('answers an EmptyResponse without a body', () => {
    expect(toOutcome(EmptyResponse.unauthorized)).toEqual({
      status: 401,
      body: null,
      unexpected: false,
    });
    expect(toOutcome(EmptyResponse.notFound)).toEqual({
      status: 404,
      body: null,
      unexpected: false,
    });
  });

  it.each<[string, HttpException, Outcome]>([
    ['404', new NotFoundException(), { status: 404, body: null, unexpected: false }],
    ['405', new MethodNotAllowedException(), { status: 405, body: null, unexpected: false }],
    ['401', new UnauthorizedException(), { status: 401, body: null, unexpected: false }],
    ['413', new PayloadTooLargeException(), general('requestTooLarge')],
    ['415', new UnsupportedMediaTypeException(), general('invalidContentType')],
    ['400', new BadRequestException('detail that must not leak'), general('badRequest')],
    ['500', new InternalServerErrorException(), general('Exception', true)],
  ])('maps a Nest %s', (_, error, expected) => {
    expect(toOutcome(error)).toEqual(expected);
  });

  it.each<[string, GeneralCode]>([
    ['FST_ERR_CTP_INVALID_JSON_BODY', 'couldNotParseJSON'],
    ['FST_ERR_CTP_EMPTY_JSON_BODY', 'couldNotParseJSON'],
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 'invalidContentType'],
    ['FST_ERR_CTP_BODY_TOO_LARGE', 'requestTooLarge'],
    ['FST_ERR_BAD_URL', 'badRequest'],
  ])('maps Fastify %s to [%s]', (code, expected) => {
    expect(toOutcome(fastifyError(code, 400))).toEqual(general(expected));
  });

  it('maps a JSON syntax error to [couldNotParseJSON]', () => {
    expect(toOutcome(new SyntaxError('Unexpected token'))).toEqual(general('couldNotParseJSON'));
  });

  it('maps another client error carrying a status to [badRequest]', () => {
    expect(toOutcome(fastifyError('FST_ERR_SOMETHING_NEW', 431))).toEqual(general('badRequest'));
  });

  it.each<[string, unknown]>([
    ['a generic Error', new Error('secret connection string')],
    ['a server error carrying a status', fastifyError('ESOMETHING', 503)],
    ['a thrown string', 'boom'],
    ['null', null],
    ['undefined', undefined],
  ])('answers %s with an unexpected 500', (_, error) => {
    expect(toOutcome(error)).toEqual({
      status: 500,
      body: {
        generalErrors: [
          { code: '[Exception]', message: 'Portcullis encountered an unexpected error.' },
        ],
      },
      unexpected: true,
    });
  });
});

describe('toOutcome for an unreachable database', () => {
  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' }),
    ],
    [
      'a lost connection inside a query error',
      Object.assign(new Error('query failed'), {
        driverError: { code: 'PROTOCOL_CONNECTION_LOST' },
      }),
    ],
  ])('answers %s with a JSON 503, expected', (_, error) => {
    expect(toOutcome(error)).toEqual({
      status: 503,
      body: {
        generalErrors: [
          {
            code: '[ServiceUnavailable]',
            message: 'A service Portcullis depends on is unavailable. Try again shortly.',
          },
        ],
      },
      unexpected: false,
    });
  });
});

describe('toOutcome for a write that lost a race with a delete', () => {
  it.each(['SQLITE_CONSTRAINT_FOREIGNKEY', 'ER_NO_REFERENCED_ROW_2'])(
    'answers %s with a 400, expected',
    (code) => {
      expect(toOutcome(Object.assign(new Error('constraint'), { driverError: { code } }))).toEqual({
        status: 400,
        body: {
          generalErrors: [
            {
              code: '[invalidReference]',
              message:
                'The request refers to an object that does not exist; it may have been deleted meanwhile.',
            },
          ],
        },
        unexpected: false,
      });
    },
  );
});
