import { MAX_SCOPE_TARGETS, parseClientScope } from './client-scope';

const A = 'a647e989-1c7e-4386-9ec6-fa4fe6908906';
const B = '119a84d9-7d4f-4a62-8bd4-3d239d753d53';

describe('parseClientScope', () => {
  it.each([
    ['one target, all permissions', `target-entity:${A}`, [{ entityId: A, permissions: [] }]],
    [
      'permissions with colons in their names',
      `target-entity:${A}:scim:user:read,scim:user:create`,
      [{ entityId: A, permissions: ['scim:user:read', 'scim:user:create'] }],
    ],
    [
      'several targets, extra spaces',
      ` target-entity:${A}:read,write  target-entity:${B}:read `,
      [
        { entityId: A, permissions: ['read', 'write'] },
        { entityId: B, permissions: ['read'] },
      ],
    ],
    [
      'a target named twice asks for the union',
      `target-entity:${A}:read target-entity:${A}:write,read`,
      [{ entityId: A, permissions: ['read', 'write'] }],
    ],
    [
      'a bare mention widens to all granted',
      `target-entity:${A}:read target-entity:${A}`,
      [{ entityId: A, permissions: [] }],
    ],
    [
      'an upper-case id is read as the id',
      `target-entity:${A.toUpperCase()}:read`,
      [{ entityId: A, permissions: ['read'] }],
    ],
    ['a trailing colon lists nothing', `target-entity:${A}:`, [{ entityId: A, permissions: [] }]],
    ['nothing at all', '   ', []],
  ])('reads %s', (_, scope, expected) => {
    expect(parseClientScope(scope)).toEqual(expected);
  });

  it.each([
    ['another kind of scope', 'openid'],
    ['a prefix with another case', `Target-Entity:${A}`],
    ['no id', 'target-entity:'],
    ['a short id', 'target-entity:a647e989:read'],
    ['an id glued to text', `target-entity:${A}x:read`],
    ['an empty permission', `target-entity:${A}:read,,write`],
    ['an overlong permission', `target-entity:${A}:${'p'.repeat(192)}`],
    [
      'too many targets',
      Array.from(
        { length: MAX_SCOPE_TARGETS + 1 },
        (_, i) => `target-entity:${A.slice(0, 24)}${String(i).padStart(12, '0')}`,
      ).join(' '),
    ],
  ])('refuses %s', (_, scope) => {
    expect(parseClientScope(scope)).toBeNull();
  });
});
