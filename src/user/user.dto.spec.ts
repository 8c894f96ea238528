import { ApiError, FieldErrors } from '../common/api-error';
import { readHardDelete, readUserRequest, userToJson } from './user.dto';
import { UserEntity } from './user.entity';

const EITHER =
  'You must specify either the [user.email] or [user.username] property. If you are emailing the user you must specify the [user.email].';

function read(body: unknown, creating = true) {
  const errors = new FieldErrors();
  const request = readUserRequest(body, creating, errors);
  return { request, codes: errors.has() ? codesOf(errors.toError()) : {} };
}

function codesOf(error: ApiError): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(error.body.fieldErrors ?? {}).map(([field, entries]) => [
      field,
      entries.map((entry) => entry.code),
    ]),
  );
}

describe('readUserRequest', () => {
  it('needs an email or a username, and a password on create', () => {
    const errors = new FieldErrors();
    readUserRequest({ user: {} }, true, errors);
    expect(errors.toError().body).toEqual({
      fieldErrors: {
        'user.email': [{ code: '[blank]user.email', message: EITHER }],
        'user.username': [{ code: '[blank]user.username', message: EITHER }],
        'user.password': [
          {
            code: '[blank]user.password',
            message: 'You must specify the [user.password] property.',
          },
        ],
      },
    });
  });

  it('needs no password on update, nor with a set-password email', () => {
    expect(read({ user: { username: 'u' } }, false).codes).toEqual({});
    expect(read({ user: { username: 'u' }, sendSetPasswordEmail: true }).codes).toEqual({});
  });

  it('lower-cases and trims the email, trims the username, and keeps the password as given', () => {
    const { request } = read({
      user: { email: ' Ada@Example.COM ', username: ' Ada ', password: ' spaced password ' },
    });
    expect(request.user.email).toBe('ada@example.com');
    expect(request.user.username).toBe('Ada');
    expect(request.password).toBe(' spaced password ');
  });

  it('checks the email length after lower-casing, which can lengthen it', () => {
    const email = `${'İ'.repeat(150)}@x.co`;
    expect(email.length).toBeLessThanOrEqual(191);
    expect(email.toLowerCase().length).toBeGreaterThan(191);
    expect(read({ user: { email, password: 'password1' } }).codes).toEqual({
      'user.email': ['[tooLong]user.email'],
    });
    const fits = `${'İ'.repeat(90)}@x.co`;
    expect(read({ user: { email: fits, password: 'password1' } }).request.user.email).toBe(
      fits.toLowerCase(),
    );
  });

  it('reads an empty password as none', () => {
    expect(read({ user: { username: 'u', password: '' } }, false).request.password).toBeNull();
    expect(read({ user: { username: 'u', password: '' } }).codes).toEqual({
      'user.password': ['[blank]user.password'],
    });
  });

  it.each([
    ['a@b.co', true],
    ['first.last+tag@sub.example.com', true],
    ['no-at-sign', false],
    ['two@@example.com', false],
    ['a@nodot', false],
    ['spa ce@example.com', false],
  ])('judges %s as an email: %s', (email, valid) => {
    const { codes } = read({ user: { email, password: 'long enough' } });
    expect(codes).toEqual(valid ? {} : { 'user.email': ['[notEmail]user.email'] });
  });

  it('does not add blank errors when the email is there but wrong', () => {
    expect(read({ user: { email: 'wrong', password: 'long enough' } }).codes).toEqual({
      'user.email': ['[notEmail]user.email'],
    });
  });

  it.each([
    ['2000-02-29', true],
    ['1999-02-29', false],
    ['2000-13-01', false],
    ['2000-1-01', false],
    ['01/02/2000', false],
  ])('judges birth date %s: %s', (birthDate, valid) => {
    const { request, codes } = read({ user: { username: 'u', birthDate } }, false);
    expect(codes).toEqual(valid ? {} : { 'user.birthDate': ['[couldNotConvert]user.birthDate'] });
    expect(request.user.details.birthDate).toBe(valid ? birthDate : undefined);
  });

  it('keeps only the details that are set, and ignores read-only and unknown properties', () => {
    const { request } = read(
      {
        user: {
          username: 'u',
          timezone: 'Asia/Tokyo',
          preferredLanguages: ['ja', 'en-US'],
          id: 'ignored',
          insertInstant: 1,
          registrations: [{}],
          unknown: true,
        },
      },
      false,
    );
    expect(request.user.details).toEqual({
      timezone: 'Asia/Tokyo',
      preferredLanguages: ['ja', 'en-US'],
    });
  });

  it('refuses an unknown time zone and a language that is not a tag', () => {
    expect(
      read({ user: { username: 'u', timezone: 'Mars/Base', preferredLanguages: ['e n'] } }, false)
        .codes,
    ).toEqual({
      'user.timezone': ['[couldNotConvert]user.timezone'],
      'user.preferredLanguages': ['[couldNotConvert]user.preferredLanguages'],
    });
  });
});

describe('readHardDelete', () => {
  it.each<[unknown, boolean]>([
    [undefined, false],
    [{}, false],
    [{ hardDelete: false }, false],
    [{ hardDelete: true }, true],
    [{ hardDelete: 'true' }, true],
  ])('%j → %s', (body, expected) => {
    expect(readHardDelete(body)).toBe(expected);
  });

  it('refuses a value that is not a boolean', () => {
    expect(() => readHardDelete({ hardDelete: 1 })).toThrow(ApiError);
  });
});

describe('userToJson', () => {
  const entity: UserEntity = {
    id: 'id',
    tenantId: 'tenant',
    email: 'a@b.co',
    username: null,
    firstName: null,
    lastName: null,
    fullName: null,
    passwordHash: '$argon2id$secret',
    active: true,
    verified: false,
    details: { timezone: 'UTC' },
    insertInstant: 1,
    lastUpdateInstant: 2,
    lastLoginInstant: null,
    passwordLastUpdateInstant: 1,
  };

  it('never shows the hash, and omits what is unset', () => {
    expect(userToJson(entity)).toEqual({
      id: 'id',
      tenantId: 'tenant',
      active: true,
      email: 'a@b.co',
      timezone: 'UTC',
      data: {},
      verified: false,
      passwordChangeRequired: false,
      insertInstant: 1,
      lastUpdateInstant: 2,
      passwordLastUpdateInstant: 1,
    });
  });
});
