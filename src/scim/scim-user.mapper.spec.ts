import { ScimError } from './scim.error';
import { readScimUser, scimUserOf, userRequestOf } from './scim-user.mapper';

const BASE = 'https://auth.example.com/api/scim/resource/v2';
const STORED = {
  id: '2819c223-7f76-453a-919d-413861904646',
  tenantId: 't',
  active: true,
  email: 'bjensen@example.com',
  username: 'bjensen',
  firstName: 'Barbara',
  lastName: 'Jensen',
  fullName: 'Ms. Barbara J Jensen',
  birthDate: '1980-01-02',
  data: { team: 'blue', scim: { externalId: 'ext-1', displayName: 'Babs' } },
  verified: true,
  insertInstant: Date.UTC(2011, 7, 1, 18, 29, 49),
  lastUpdateInstant: Date.UTC(2011, 7, 1, 18, 29, 49),
};

function refusal(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    if (error instanceof ScimError) return `${error.status} ${error.scimType}`;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the SCIM User mapping', () => {
  it('shows a user as a SCIM User (RFC 7643 §4.1)', () => {
    expect(scimUserOf(STORED, BASE)).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      id: STORED.id,
      externalId: 'ext-1',
      userName: 'bjensen',
      name: { formatted: 'Ms. Barbara J Jensen', familyName: 'Jensen', givenName: 'Barbara' },
      displayName: 'Babs',
      active: true,
      emails: [{ value: 'bjensen@example.com', primary: true }],
      meta: {
        resourceType: 'User',
        created: '2011-08-01T18:29:49.000Z',
        lastModified: '2011-08-01T18:29:49.000Z',
        location: `${BASE}/Users/${STORED.id}`,
        version: `W/"${STORED.lastUpdateInstant}"`,
      },
    });
  });

  it('leaves out what is unset, and shows the email as userName when there is no username', () => {
    const bare = { ...STORED, username: undefined, firstName: undefined, lastName: undefined };
    const shown = scimUserOf({ ...bare, fullName: undefined, data: {} }, BASE);
    expect(shown.userName).toBe('bjensen@example.com');
    expect(shown).not.toHaveProperty('name');
    expect(shown).not.toHaveProperty('externalId');
    expect(shown).not.toHaveProperty('displayName');
  });

  it('reads attributes case-insensitively and picks the primary email', () => {
    const input = readScimUser({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      USERNAME: 'b',
      Name: { GivenName: 'B' },
      emails: [{ value: 'home@example.com' }, { value: 'work@example.com', primary: 'True' }],
      active: 'false',
      id: 'ignored',
      meta: { ignored: true },
    });
    expect(input).toEqual({
      userName: 'b',
      email: 'work@example.com',
      givenName: 'B',
      familyName: null,
      formatted: null,
      displayName: null,
      externalId: null,
      active: false,
      password: null,
    });
  });

  it('writes a replace over the stored user, keeping its other data', () => {
    const input = readScimUser({ userName: 'new', externalId: 'ext-2' });
    const request = userRequestOf(input, STORED) as { user: Record<string, unknown> };
    expect(request.user).toMatchObject({
      username: 'new',
      email: null,
      firstName: null,
      birthDate: '1980-01-02',
      data: { team: 'blue', scim: { externalId: 'ext-2' } },
    });
    expect(userRequestOf(input, null)).toMatchObject({ sendSetPasswordEmail: true });
  });

  it.each([
    [null, '400 invalidSyntax'],
    [[], '400 invalidSyntax'],
    [{ schemas: 'x' }, '400 invalidSyntax'],
    [{ schemas: ['urn:other'] }, '400 invalidSyntax'],
    [{ userName: 1 }, '400 invalidValue'],
    [{ name: 'x' }, '400 invalidValue'],
    [{ emails: [1] }, '400 invalidValue'],
    [{ emails: [{ value: 1 }] }, '400 invalidValue'],
    [{ active: 'yes' }, '400 invalidValue'],
  ])('refuses %j with %s', (body, expected) => {
    expect(refusal(() => readScimUser(body))).toBe(expected);
  });
});
