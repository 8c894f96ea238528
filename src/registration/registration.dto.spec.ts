import { FieldErrors } from '../common/api-error';
import { readRegistrationRequest, registrationToJson } from './registration.dto';
import { RegistrationEntity } from './registration.entity';

const APP = '0b6fd4f4-7c2d-4a36-9bd2-3f1d2c6a9e01';

function read(body: unknown) {
  const errors = new FieldErrors();
  const input = readRegistrationRequest(body, errors);
  const codes = errors.has()
    ? Object.fromEntries(
        Object.entries(errors.toError().body.fieldErrors ?? {}).map(([field, entries]) => [
          field,
          entries.map((entry) => entry.code),
        ]),
      )
    : {};
  return { input, codes };
}

describe('readRegistrationRequest', () => {
  it('type-checks the fields it ignores, as FusionAuth parses them', () => {
    const { codes } = read({
      registration: { applicationId: APP, id: 'ignored', verified: 'yes', insertInstant: 'now' },
    });
    expect(codes).toEqual({
      'registration.id': ['[couldNotConvert]registration.id'],
      'registration.verified': ['[couldNotConvert]registration.verified'],
      'registration.insertInstant': ['[couldNotConvert]registration.insertInstant'],
    });
  });

  it('reads a registration, roles distinct and sorted', () => {
    const { input, codes } = read({
      skipRegistrationVerification: true,
      registration: {
        applicationId: APP.toUpperCase(),
        roles: ['viewer', 'admin', 'viewer'],
        username: ' player ',
        data: { a: 1 },
        timezone: 'UTC',
        id: '5a0e4f0d-8a8e-4d7f-9a55-0d4c7b1f2e3a',
        verified: true,
      },
    });
    expect(codes).toEqual({});
    expect(input).toEqual({
      applicationId: APP,
      roles: ['admin', 'viewer'],
      username: 'player',
      data: { a: 1 },
      details: { timezone: 'UTC' },
      skipVerification: true,
    });
  });

  it('needs an application id that is a UUID', () => {
    expect(read({}).codes).toEqual({
      'registration.applicationId': ['[blank]registration.applicationId'],
    });
    expect(read({ registration: { applicationId: 'x' } }).codes).toEqual({
      'registration.applicationId': ['[couldNotConvert]registration.applicationId'],
    });
  });

  it('refuses roles that are not strings, and too many of them', () => {
    expect(read({ registration: { applicationId: APP, roles: [1] } }).codes).toEqual({
      'registration.roles': ['[couldNotConvert]registration.roles'],
    });
    const many = Array.from({ length: 101 }, (_, index) => `role-${index}`);
    expect(read({ registration: { applicationId: APP, roles: many } }).codes).toEqual({
      'registration.roles': ['[tooLong]registration.roles'],
    });
  });
});

describe('registrationToJson', () => {
  it('omits what is unset', () => {
    const entity: RegistrationEntity = {
      id: 'r',
      userId: 'u',
      applicationId: APP,
      tenantId: 't',
      roles: [],
      username: null,
      data: {},
      details: {},
      verified: false,
      insertInstant: 1,
      lastUpdateInstant: 1,
      lastLoginInstant: null,
    };
    expect(registrationToJson(entity)).toEqual({
      id: 'r',
      applicationId: APP,
      roles: [],
      data: {},
      verified: false,
      insertInstant: 1,
      lastUpdateInstant: 1,
    });
  });
});
