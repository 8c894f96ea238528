import { NotFoundException } from '@nestjs/common';
import { ApiError, EmptyResponse, FieldErrors } from '../common/api-error';
import { ScimError } from './scim.error';
import { toScimError } from './scim.exception-filter';

const shape = (error: unknown) => {
  const { scim, unexpected } = toScimError(error);
  return { body: scim.body(), unexpected };
};

describe('errors on SCIM routes (RFC 7644 §3.12)', () => {
  it('answers a value in use with 409 uniqueness', () => {
    const error = new FieldErrors().add('duplicate', 'user.username', 'A User exists.').toError();
    expect(shape(error).body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '409',
      scimType: 'uniqueness',
      detail: 'A User exists.',
    });
  });

  it('answers other field errors with 400 invalidValue and their messages', () => {
    const error = new FieldErrors().add('notEmail', 'user.email').add('tooShort', 'user.password');
    expect(shape(error.toError()).body).toMatchObject({ status: '400', scimType: 'invalidValue' });
    expect(shape(error.toError()).body.detail).toContain('[user.email]');
  });

  it.each([
    [ApiError.general('couldNotParseJSON'), '400', 'invalidSyntax'],
    [ApiError.general('requestTooDeep'), '400', 'invalidSyntax'],
    [ApiError.general('requestTooLarge'), '413', undefined],
    [ApiError.general('ServiceUnavailable'), '503', undefined],
    [EmptyResponse.notFound, '404', undefined],
    [EmptyResponse.unauthorized, '401', undefined],
    [new NotFoundException(), '404', undefined],
    [ScimError.invalidPath('x'), '400', 'invalidPath'],
  ])('answers %p with %s %s', (error, status, scimType) => {
    const { body, unexpected } = shape(error);
    expect({ status: body.status, scimType: body.scimType, unexpected }).toEqual({
      status,
      scimType,
      unexpected: false,
    });
  });

  it('answers the unexpected with a bare 500, never its message', () => {
    const { body, unexpected } = shape(new Error('SELECT * FROM users failed at db.ts:12'));
    expect(unexpected).toBe(true);
    expect(body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '500',
      detail: 'An unexpected error occurred.',
    });
  });
});
