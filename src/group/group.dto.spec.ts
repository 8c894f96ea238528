import { ApiError, FieldErrors } from '../common/api-error';
import { Fields } from '../common/fields';
import { readMemberDeletion, readMemberRequest, readNewMemberships } from './group.dto';

const GROUP = '6f0c1b8e-0b7a-4c4e-9d2f-1a2b3c4d5e6f';
const USER = '0e9d8c7b-6a59-4847-a635-241302f1e0d9';

function codes(work: () => unknown): string[] {
  try {
    work();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return Object.values(error.body.fieldErrors ?? {})
      .flat()
      .map((entry) => entry.code);
  }
  throw new Error('expected an ApiError');
}

describe('readMemberRequest', () => {
  it('reads members by group, a user named twice counting once (the last wins)', () => {
    const request = readMemberRequest({
      members: {
        [GROUP.toUpperCase()]: [
          { userId: USER, data: { a: 1 } },
          { userId: USER, data: { b: 2 } },
        ],
      },
    });
    expect([...request.entries()]).toEqual([[GROUP, [{ userId: USER, data: { b: 2 } }]]]);
  });

  it.each<[string, unknown, string[]]>([
    ['no members', {}, ['[missing]members']],
    ['an empty map', { members: {} }, ['[blank]members']],
    ['a bad group id', { members: { g: [] } }, ['[couldNotConvert]members']],
    [
      'entries that are not objects',
      { members: { [GROUP]: [1, 2] } },
      ['[couldNotConvert]members'],
    ],
    ['no user', { members: { [GROUP]: [{}] } }, ['[blank]members.userId']],
  ])('refuses %s', (_, body, expected) => {
    expect(codes(() => readMemberRequest(body))).toEqual(expected);
  });
});

describe('readMemberDeletion', () => {
  it('reads member ids, or user ids by group', () => {
    expect(readMemberDeletion({ memberIds: [USER, USER] })).toEqual({
      kind: 'ids',
      memberIds: [USER],
    });
    expect(readMemberDeletion({ members: { [GROUP]: [USER] } })).toEqual({
      kind: 'members',
      members: new Map([[GROUP, [USER]]]),
    });
  });

  it.each<[string, unknown, string[]]>([
    ['nothing', undefined, ['[missing]memberIds']],
    ['no ids', { memberIds: [] }, ['[blank]memberIds']],
    ['bad ids', { memberIds: ['x'] }, ['[couldNotConvert]memberIds']],
    ['bad user ids', { members: { [GROUP]: ['x'] } }, ['[couldNotConvert]members']],
  ])('refuses %s', (_, body, expected) => {
    expect(codes(() => readMemberDeletion(body))).toEqual(expected);
  });
});

describe('readNewMemberships', () => {
  const OTHER = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
  const read = (memberships: unknown) => {
    const errors = new FieldErrors();
    const result = readNewMemberships(new Fields({ memberships }, 'user', errors));
    const body = errors.has() ? errors.toError().body.fieldErrors : undefined;
    return {
      result,
      codes: Object.values(body ?? {})
        .flat()
        .map((entry) => entry.code),
    };
  };

  it('reads each entry at its path, a group named twice counting once (the last wins)', () => {
    const { result, codes } = read([
      { groupId: GROUP.toUpperCase(), data: { a: 1 } },
      { groupId: OTHER, id: USER, userId: USER, insertInstant: 5 },
      { groupId: GROUP, data: { b: 2 } },
    ]);
    expect(codes).toEqual([]);
    expect(result).toEqual([
      { field: 'user.memberships[1]', id: USER, groupId: OTHER, data: {} },
      { field: 'user.memberships[2]', id: null, groupId: GROUP, data: { b: 2 } },
    ]);
  });

  it('reads none when absent or null', () => {
    expect(read(undefined)).toEqual({ result: [], codes: [] });
    expect(read(null)).toEqual({ result: [], codes: [] });
  });

  it.each<[string, unknown, string[]]>([
    ['a list that is not one', { groupId: GROUP }, ['[couldNotConvert]user.memberships']],
    ['an entry that is not an object', [GROUP], ['[couldNotConvert]user.memberships']],
    ['no groupId', [{}], ['[blank]user.memberships[0].groupId']],
    ['a bad groupId', [{ groupId: 'g' }], ['[couldNotConvert]user.memberships[0].groupId']],
    [
      'bad read-only fields',
      [{ groupId: GROUP, userId: 1, insertInstant: 'then' }],
      [
        '[couldNotConvert]user.memberships[0].userId',
        '[couldNotConvert]user.memberships[0].insertInstant',
      ],
    ],
  ])('refuses %s', (_, memberships, expected) => {
    expect(read(memberships).codes).toEqual(expected);
  });
});
