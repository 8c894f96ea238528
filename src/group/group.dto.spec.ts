import { ApiError } from '../common/api-error';
import { readMemberDeletion, readMemberRequest } from './group.dto';

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
