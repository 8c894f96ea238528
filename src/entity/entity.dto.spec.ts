import { ApiError } from '../common/api-error';
import { readGranteeQuery, readGrantRequest } from './entity-grant.dto';
import { readEntityTypeRequest } from './entity-type.dto';
import { newClientSecret, queryStringPattern, readEntityRequest } from './entity.dto';

const R = '8f4e4e52-5a1c-4f43-9d0e-7a44a8b2c0a1';
const U = '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed';

function codes(work: () => unknown): string[] {
  try {
    work();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return [
      ...Object.values(error.body.fieldErrors ?? {}).flat(),
      ...(error.body.generalErrors ?? []),
    ].map((entry) => entry.code);
  }
  throw new Error('expected a refusal');
}

describe('entity search queryString', () => {
  it.each([
    [null, null],
    ['*', null],
    ['  ', null],
    ['rav', '%rav%'],
    ['Rav*', 'Rav%'],
    ['*ga', '%ga'],
    ['50%_off', '%50\\%\\_off%'],
  ])('reads %p as the name pattern %p', (text, pattern) => {
    expect(queryStringPattern(text)).toBe(pattern);
  });
});

describe('entity requests', () => {
  it('needs a name and a type id; blank client id and secret read as absent', () => {
    expect(
      readEntityRequest({
        entity: { name: 'n', type: { id: R }, clientId: ' ', clientSecret: '' },
      }),
    ).toEqual({
      name: 'n',
      typeId: R,
      clientId: null,
      clientSecret: null,
      data: {},
      parentId: null,
    });
    expect(codes(() => readEntityRequest({ entity: {} })).sort()).toEqual([
      '[blank]entity.name',
      '[blank]entity.type.id',
    ]);
    expect(codes(() => readEntityRequest({ entity: { name: 'n', type: 'x' } }))).toEqual([
      '[couldNotConvert]entity.type',
    ]);
    expect(codes(() => readEntityRequest(null))).toEqual(['[couldNotParseJSON]']);
  });

  it('makes 256-bit secrets, 43 base64url characters, never the same twice', () => {
    const secret = newClientSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newClientSecret()).not.toBe(secret);
  });
});

describe('entity type requests', () => {
  it('requires the key and the lifetime only when tokens are enabled', () => {
    const off = readEntityTypeRequest({ entityType: { name: 't', jwtConfiguration: {} } }, true);
    expect(off.jwt).toEqual({ enabled: false, accessTokenKeyId: null, timeToLiveInSeconds: null });
    expect(
      codes(() =>
        readEntityTypeRequest(
          { entityType: { name: 't', jwtConfiguration: { enabled: true } } },
          true,
        ),
      ).sort(),
    ).toEqual([
      '[blank]entityType.jwtConfiguration.accessTokenKeyId',
      '[blank]entityType.jwtConfiguration.timeToLiveInSeconds',
    ]);
  });

  it('reads permissions on create only, refusing a name twice', () => {
    const body = { entityType: { name: 't', permissions: [{ name: 'read', isDefault: true }] } };
    expect(readEntityTypeRequest(body, true).permissions).toEqual([
      { name: 'read', description: null, isDefault: true, data: {} },
    ]);
    expect(readEntityTypeRequest(body, false).permissions).toEqual([]);
    const twice = { entityType: { name: 't', permissions: [{ name: 'a' }, { name: 'a' }] } };
    expect(codes(() => readEntityTypeRequest(twice, true))).toEqual([
      '[duplicate]entityType.permissions',
    ]);
  });
});

describe('grant requests', () => {
  it('takes exactly one grantee', () => {
    expect(readGrantRequest({ grant: { userId: U } })).toEqual({
      grantee: { userId: U },
      permissions: null,
      data: {},
    });
    expect(
      readGrantRequest({ grant: { recipientEntityId: R, permissions: ['a', 'a', 'b'] } }),
    ).toEqual({ grantee: { recipientEntityId: R }, permissions: ['a', 'b'], data: {} });
    expect(codes(() => readGrantRequest({ grant: {} })).sort()).toEqual([
      '[blank]grant.recipientEntityId',
      '[blank]grant.userId',
    ]);
    expect(codes(() => readGrantRequest({ grant: { userId: U, recipientEntityId: R } }))).toEqual([
      '[invalid]grant.recipientEntityId',
    ]);
  });

  it('reads the literal `undefined` the client sends for the unset query parameter', () => {
    expect(readGranteeQuery({ recipientEntityId: R, userId: 'undefined' }, true)).toEqual({
      recipientEntityId: R,
    });
    expect(readGranteeQuery({ recipientEntityId: 'null', userId: U }, true)).toEqual({ userId: U });
    expect(readGranteeQuery({ recipientEntityId: 'undefined', userId: 'undefined' }, false)).toBe(
      null,
    );
    expect(codes(() => readGranteeQuery({ userId: 'undefined' }, true)).sort()).toEqual([
      '[missing]recipientEntityId',
      '[missing]userId',
    ]);
    expect(codes(() => readGranteeQuery({ userId: 'nope' }, true))).toEqual([
      '[couldNotConvert]userId',
    ]);
  });
});
