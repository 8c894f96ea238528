import fc from 'fast-check';
import { ENDPOINTS, HTTP_METHODS } from '../auth/endpoint-permissions';
import { allows, methodBit, Permissions } from '../auth/permissions';
import { Authority, mayChangeIpAcl, withinAuthority } from './api-key.authority';

const TENANT_A = '6b5f6a8e-3f0b-4f3e-9a43-3c1a1f0c0a01';
const TENANT_B = '6b5f6a8e-3f0b-4f3e-9a43-3c1a1f0c0a02';
const ACL_A = '1f8c2f5e-0a7d-4d8c-8f4b-2d3e4f5a6b01';
const ACL_B = '1f8c2f5e-0a7d-4d8c-8f4b-2d3e4f5a6b02';
const ENDPOINT_NAMES = Object.keys(ENDPOINTS);

const SUPER: Authority = {
  tenantId: null,
  permissions: null,
  keyManager: true,
  expirationInstant: null,
  ipAccessControlListId: null,
  rateLimit: null,
};

function authority(overrides: Partial<Authority>): Authority {
  return { ...SUPER, keyManager: false, ...overrides };
}

function grants(entries: Record<string, string[]>): Permissions {
  return new Map(
    Object.entries(entries).map(([endpoint, methods]) => [
      endpoint,
      methods.reduce((bits, method) => bits | methodBit(method), 0),
    ]),
  );
}

describe('withinAuthority', () => {
  const userReader = grants({ '/api/user': ['GET'] });
  const userEditor = grants({ '/api/user': ['GET', 'PUT'] });

  it.each<[string, Partial<Authority>, Partial<Authority>, boolean]>([
    ['a global holder, any tenant', {}, { tenantId: TENANT_A }, true],
    ['a scoped holder, its own tenant', { tenantId: TENANT_A }, { tenantId: TENANT_A }, true],
    ['a scoped holder, another tenant', { tenantId: TENANT_A }, { tenantId: TENANT_B }, false],
    ['a scoped holder, a global key', { tenantId: TENANT_A }, { tenantId: null }, false],
    [
      'a limited holder, lesser permissions',
      { permissions: userEditor },
      { permissions: userReader },
      true,
    ],
    [
      'a limited holder, wider permissions',
      { permissions: userReader },
      { permissions: userEditor },
      false,
    ],
    ['a limited holder, a super key', { permissions: userEditor }, { permissions: null }, false],
    ['a super holder, a limited key', { permissions: null }, { permissions: userReader }, true],
    ['a non-manager, a manager', { keyManager: false }, { keyManager: true }, false],
    ['a manager, a manager', { keyManager: true }, { keyManager: true }, true],
    ['a manager, a non-manager', { keyManager: true }, { keyManager: false }, true],
    [
      'an expiring holder, a key that never expires',
      { expirationInstant: 2_000 },
      { expirationInstant: null },
      false,
    ],
    [
      'an expiring holder, a key that expires later',
      { expirationInstant: 2_000 },
      { expirationInstant: 2_001 },
      false,
    ],
    [
      'an expiring holder, a key that expires with it',
      { expirationInstant: 2_000 },
      { expirationInstant: 2_000 },
      true,
    ],
    [
      'a holder that never expires, an expiring key',
      { expirationInstant: null },
      { expirationInstant: 1 },
      true,
    ],
    [
      'an ACL-bound holder, the same list',
      { ipAccessControlListId: ACL_A },
      { ipAccessControlListId: ACL_A },
      true,
    ],
    [
      'an ACL-bound holder, another list',
      { ipAccessControlListId: ACL_A },
      { ipAccessControlListId: ACL_B },
      false,
    ],
    [
      'an ACL-bound holder, an unbound key',
      { ipAccessControlListId: ACL_A },
      { ipAccessControlListId: null },
      false,
    ],
    ['an unbound holder, a bound key', {}, { ipAccessControlListId: ACL_B }, true],
  ])('%s → %s', (_, holder, target, expected) => {
    expect(withinAuthority(authority(holder), authority(target))).toBe(expected);
  });

  it('lets the super key manage any key, and itself', () => {
    const limited = authority({
      tenantId: TENANT_A,
      permissions: userReader,
      expirationInstant: 5,
      ipAccessControlListId: ACL_A,
    });
    expect(withinAuthority(SUPER, limited)).toBe(true);
    expect(withinAuthority(SUPER, SUPER)).toBe(true);
    expect(withinAuthority(limited, SUPER)).toBe(false);
  });
});

describe('withinAuthority, for any pair of keys', () => {
  const permissions: fc.Arbitrary<Permissions> = fc.option(
    fc
      .subarray(ENDPOINT_NAMES)
      .chain((endpoints) =>
        fc.tuple(
          ...endpoints.map((endpoint) =>
            fc
              .subarray([...ENDPOINTS[endpoint].methods], { minLength: 1 })
              .map(
                (methods) =>
                  [endpoint, methods.reduce((bits, m) => bits | methodBit(m), 0)] as const,
              ),
          ),
        ),
      )
      .map((entries) => new Map(entries)),
    { nil: null },
  );

  // Small value pools make equal tenants, lists and instants common enough to matter.
  const authorityArbitrary: fc.Arbitrary<Authority> = fc.record({
    tenantId: fc.constantFrom(null, TENANT_A, TENANT_B),
    permissions,
    keyManager: fc.boolean(),
    expirationInstant: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }),
    ipAccessControlListId: fc.constantFrom(null, ACL_A, ACL_B),
    rateLimit: fc.option(
      fc.record({
        requests: fc.integer({ min: 1, max: 4 }),
        seconds: fc.integer({ min: 1, max: 4 }),
        burst: fc.integer({ min: 0, max: 2 }),
      }),
      { nil: null },
    ),
  });

  it('never hands out more than the holder has', () => {
    fc.assert(
      fc.property(authorityArbitrary, authorityArbitrary, (holder, target) => {
        fc.pre(withinAuthority(holder, target));
        for (const endpoint of ENDPOINT_NAMES) {
          for (const method of HTTP_METHODS) {
            if (allows(target.permissions, endpoint, method)) {
              expect(allows(holder.permissions, endpoint, method)).toBe(true);
            }
          }
        }
        if (holder.permissions !== null) expect(target.permissions).not.toBeNull();
        if (holder.tenantId !== null) expect(target.tenantId).toBe(holder.tenantId);
        if (!holder.keyManager) expect(target.keyManager).toBe(false);
        if (holder.expirationInstant !== null) {
          expect(target.expirationInstant).not.toBeNull();
          expect(target.expirationInstant!).toBeLessThanOrEqual(holder.expirationInstant);
        }
        if (holder.ipAccessControlListId !== null) {
          expect(target.ipAccessControlListId).toBe(holder.ipAccessControlListId);
        }
        if (holder.rateLimit !== null) {
          const { requests, seconds, burst } = target.rateLimit!;
          expect(requests / seconds).toBeLessThanOrEqual(
            holder.rateLimit.requests / holder.rateLimit.seconds,
          );
          expect(burst).toBeLessThanOrEqual(holder.rateLimit.burst);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('always lets a key manage a copy of itself', () => {
    fc.assert(
      fc.property(authorityArbitrary, (key) => {
        expect(withinAuthority(key, { ...key })).toBe(true);
      }),
    );
  });
});

describe('mayChangeIpAcl', () => {
  const reader = grants({ '/api/ip-acl': ['GET', 'PUT'] });
  const bound = (overrides: Partial<Authority>) =>
    authority({ permissions: reader, ipAccessControlListId: ACL_A, ...overrides });

  it.each<[string, Partial<Authority>, Partial<Authority>[], boolean]>([
    [
      'a list no key names, by a bound key',
      { permissions: reader, ipAccessControlListId: ACL_B },
      [],
      true,
    ],
    [
      'its own list, even unused by others',
      { permissions: reader, ipAccessControlListId: ACL_A },
      [{}],
      false,
    ],
    ['a list of lesser keys, by an unbound key', { permissions: reader }, [{}, {}], true],
    ['a list one stronger key names', { permissions: reader }, [{}, { permissions: null }], false],
    [
      'a list a manager names, by a non-manager',
      { permissions: null },
      [{ keyManager: true }],
      false,
    ],
    [
      'a list of keys that never expire, by an expiring key',
      { permissions: reader, expirationInstant: 9 },
      [{}],
      false,
    ],
    [
      'a list of keys bound to it, by a key bound elsewhere',
      { permissions: reader, ipAccessControlListId: ACL_B },
      [{}],
      false,
    ],
    [
      'a list of a tenant key, by a global key',
      { permissions: reader },
      [{ tenantId: TENANT_A }],
      true,
    ],
  ])('%s → %s', (_, holder, targets, expected) => {
    expect(mayChangeIpAcl(authority(holder), ACL_A, targets.map(bound))).toBe(expected);
  });

  it('lets the unbound super key manager change any list but never a bound key its own', () => {
    expect(mayChangeIpAcl(SUPER, ACL_A, [bound({ keyManager: true, permissions: null })])).toBe(
      true,
    );
    expect(mayChangeIpAcl({ ...SUPER, ipAccessControlListId: ACL_A }, ACL_A, [])).toBe(false);
  });
});
