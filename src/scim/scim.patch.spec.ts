import type { JsonObject } from '../common/fields';
import { ScimError } from './scim.error';
import { applyPatchOps, PATCH_OP_SCHEMA, PatchableAttributes } from './scim.patch';

const ATTRIBUTES: PatchableAttributes = {
  active: { name: 'active' },
  username: { name: 'userName' },
  displayname: { name: 'displayName' },
  name: { name: 'name', subs: { givenname: 'givenName', familyname: 'familyName' } },
  emails: { name: 'emails', multiValued: true, subs: { value: 'value', type: 'type' } },
  members: { name: 'members', multiValued: true, subs: { value: 'value', display: 'display' } },
};

const GROUP = {
  displayName: 'Tour Guides',
  members: [
    { value: '2819c223', display: 'Babs Jensen' },
    { value: '902c246b', display: 'Mandy Pepperidge' },
  ],
};

const USER = {
  userName: 'bjensen',
  active: true,
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  emails: [
    { value: 'bjensen@example.com', type: 'work' },
    { value: 'babs@jensen.org', type: 'home' },
  ],
};

const patch = (resource: JsonObject, ...Operations: object[]) =>
  applyPatchOps(structuredClone(resource), { schemas: [PATCH_OP_SCHEMA], Operations }, ATTRIBUTES);

function refusal(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    if (error instanceof ScimError) return `${error.status} ${error.scimType}`;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('SCIM PatchOp (RFC 7644 §3.5.2)', () => {
  it('adds a member (§3.5.2.1), keeping the others, once', () => {
    const added = patch(GROUP, {
      op: 'add',
      path: 'members',
      value: [{ display: 'Babs Jensen', value: '2819c223' }, { value: '08e1d05d' }],
    });
    expect(added.members).toEqual([...GROUP.members, { value: '08e1d05d' }]);
  });

  it('removes one member by filter (§3.5.2.2), and all members', () => {
    const removed = patch(GROUP, { op: 'remove', path: 'members[value eq "2819c223"]' });
    expect(removed.members).toEqual([GROUP.members[1]]);
    expect(patch(GROUP, { op: 'remove', path: 'members' }).members).toBeUndefined();
    expect(patch(GROUP, { op: 'remove', path: 'members[value eq "nobody"]' })).toEqual(GROUP);
  });

  it("removes listed members in Azure AD's form (value beside the path)", () => {
    const removed = patch(GROUP, { op: 'Remove', path: 'members', value: [{ value: '902c246b' }] });
    expect(removed.members).toEqual([GROUP.members[0]]);
  });

  it('replaces all members (§3.5.2.3), and with remove-then-add', () => {
    const replaced = patch(GROUP, { op: 'replace', path: 'members', value: [{ value: 'x' }] });
    expect(replaced.members).toEqual([{ value: 'x' }]);
    const twoStep = patch(
      GROUP,
      { op: 'remove', path: 'members' },
      { op: 'add', path: 'members', value: [{ value: 'y' }] },
    );
    expect(twoStep.members).toEqual([{ value: 'y' }]);
  });

  it('replaces a sub-attribute of filtered values, and refuses when nothing matches', () => {
    const replaced = patch(USER, {
      op: 'replace',
      path: 'emails[type eq "work"].value',
      value: 'barbara@example.com',
    });
    expect(replaced.emails).toEqual([
      { value: 'barbara@example.com', type: 'work' },
      USER.emails[1],
    ]);
    expect(
      refusal(() =>
        patch(USER, { op: 'replace', path: 'emails[type eq "other"].value', value: 'a' }),
      ),
    ).toBe('400 noTarget');
  });

  it('replaces simple and sub-attributes, case-insensitively, with or without a path', () => {
    const replaced = patch(
      USER,
      { op: 'REPLACE', path: 'Active', value: false },
      { op: 'replace', path: 'name.givenName', value: 'Babs' },
      { op: 'replace', value: { userName: 'babs', 'name.familyName': 'J', displayName: 'B J' } },
    );
    expect(replaced).toMatchObject({
      active: false,
      userName: 'babs',
      displayName: 'B J',
      name: { givenName: 'Babs', familyName: 'J' },
    });
  });

  it('adds to a complex attribute by merging, and removes a sub-attribute', () => {
    expect(patch(USER, { op: 'add', value: { name: { givenName: 'B' } } }).name).toEqual({
      givenName: 'B',
      familyName: 'Jensen',
    });
    expect(patch(USER, { op: 'remove', path: 'name.familyName' }).name).toEqual({
      givenName: 'Barbara',
    });
  });

  it('leaves the input untouched', () => {
    const before = structuredClone(GROUP);
    applyPatchOps(
      GROUP,
      { schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'remove', path: 'members' }] },
      ATTRIBUTES,
    );
    expect(GROUP).toEqual(before);
  });

  it.each([
    [null, '400 invalidSyntax'],
    [[], '400 invalidSyntax'],
    [{ Operations: [{ op: 'add', path: 'active', value: true }] }, '400 invalidSyntax'],
    [{ schemas: [PATCH_OP_SCHEMA] }, '400 invalidSyntax'],
    [{ schemas: [PATCH_OP_SCHEMA], Operations: [] }, '400 invalidSyntax'],
    [{ schemas: [PATCH_OP_SCHEMA], Operations: ['add'] }, '400 invalidSyntax'],
    [{ schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'move', path: 'a' }] }, '400 invalidSyntax'],
    [
      { schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'add', path: 'title', value: 'x' }] },
      '400 invalidPath',
    ],
    [
      { schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'add', path: 'name.middle', value: 'x' }] },
      '400 invalidPath',
    ],
    [
      {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [{ op: 'add', path: 'active[value eq "x"]', value: 1 }],
      },
      '400 invalidPath',
    ],
    [
      { schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'add', path: 'members[', value: 1 }] },
      '400 invalidPath',
    ],
    [
      { schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'replace', path: 'active' }] },
      '400 invalidValue',
    ],
    [
      { schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'replace', value: 'x' }] },
      '400 invalidValue',
    ],
    [{ schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'remove' }] }, '400 noTarget'],
    [
      { schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'add', value: { title: 'x' } }] },
      '400 invalidPath',
    ],
  ])('refuses %j with %s', (body, expected) => {
    expect(refusal(() => applyPatchOps(USER, body, ATTRIBUTES))).toBe(expected);
  });
});
