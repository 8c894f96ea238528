import { ScimError } from './scim.error';
import { groupRequestOf, readScimGroup, scimGroupOf } from './scim-group.mapper';

const BASE = 'https://auth.example.com/api/scim/resource/v2';
const USER = '2819c223-7f76-453a-919d-413861904646';
const GROUP = {
  id: 'e9e30dba-f08f-4109-8486-d5c6a331660a',
  name: 'Tour Guides',
  data: { level: 3, scim: { externalId: 'tg' } },
  insertInstant: 0,
  lastUpdateInstant: 1000,
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

describe('the SCIM Group mapping', () => {
  it('shows a group as a SCIM Group (RFC 7643 §4.2)', () => {
    expect(scimGroupOf(GROUP, [{ userId: USER, display: 'Babs' }], BASE)).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      id: GROUP.id,
      externalId: 'tg',
      displayName: 'Tour Guides',
      members: [{ value: USER, display: 'Babs', type: 'User', $ref: `${BASE}/Users/${USER}` }],
      meta: {
        resourceType: 'Group',
        created: '1970-01-01T00:00:00.000Z',
        lastModified: '1970-01-01T00:00:01.000Z',
        location: `${BASE}/Groups/${GROUP.id}`,
        version: 'W/"1000"',
      },
    });
  });

  it('reads members once each, and keeps the data it does not model', () => {
    const input = readScimGroup({
      displayName: 'G',
      members: [{ value: USER.toUpperCase() }, { value: USER, type: 'User' }],
    });
    expect(input).toEqual({ displayName: 'G', externalId: null, members: [USER] });
    expect(groupRequestOf(input, GROUP)).toEqual({ group: { name: 'G', data: { level: 3 } } });
  });

  it.each([
    [{}, '400 invalidValue'],
    [{ displayName: ' ' }, '400 invalidValue'],
    [{ displayName: 'g', members: {} }, '400 invalidValue'],
    [{ displayName: 'g', members: [{ value: 'x' }] }, '400 invalidValue'],
    [{ displayName: 'g', members: [{ value: USER, type: 'Group' }] }, '400 invalidValue'],
    ['g', '400 invalidSyntax'],
  ])('refuses %j with %s', (body, expected) => {
    expect(refusal(() => readScimGroup(body))).toBe(expected);
  });
});
