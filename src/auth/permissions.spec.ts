import fc from 'fast-check';
import { ENDPOINTS, HTTP_METHODS } from './endpoint-permissions';
import {
  allows,
  covers,
  methodBit,
  parsePermissions,
  Permissions,
  permissionsFromJson,
  permissionsToJson,
} from './permissions';

const ENDPOINT_NAMES = Object.keys(ENDPOINTS);

function map(entries: Record<string, string[]>): Permissions {
  return new Map(
    Object.entries(entries).map(([endpoint, methods]) => [
      endpoint,
      methods.reduce((bits, method) => bits | methodBit(method), 0),
    ]),
  );
}

/** A non-super permission map: some endpoints of the table, each with some of its methods. */
const permissionMap: fc.Arbitrary<ReadonlyMap<string, number>> = fc
  .subarray(ENDPOINT_NAMES)
  .chain((endpoints) =>
    fc.tuple(
      ...endpoints.map((endpoint) =>
        fc.subarray([...ENDPOINTS[endpoint].methods], { minLength: 1 }).map((methods) => ({
          endpoint,
          methods,
        })),
      ),
    ),
  )
  .map(
    (grants) =>
      new Map(
        grants.map(({ endpoint, methods }) => [
          endpoint,
          methods.reduce((bits, method) => bits | methodBit(method), 0),
        ]),
      ),
  );

/** Whether every endpoint+method of the table that `candidate` allows, `holder` allows too. */
function allowsEverythingOf(holder: Permissions, candidate: Permissions): boolean {
  return ENDPOINT_NAMES.every((endpoint) =>
    HTTP_METHODS.every(
      (method) => !allows(candidate, endpoint, method) || allows(holder, endpoint, method),
    ),
  );
}

describe('methodBit', () => {
  it('gives each method its own bit and anything else none', () => {
    expect(HTTP_METHODS.map(methodBit)).toEqual([1, 2, 4, 8, 16]);
    expect(methodBit('HEAD')).toBe(0);
    expect(methodBit('get')).toBe(0);
  });
});

describe('allows', () => {
  const permissions = map({ '/api/user': ['GET', 'POST'], '/api/tenant': ['DELETE'] });

  it.each([
    ['/api/user', 'GET', true],
    ['/api/user', 'POST', true],
    ['/api/user', 'PUT', false],
    ['/api/tenant', 'DELETE', true],
    ['/api/tenant', 'GET', false],
    ['/api/group', 'GET', false],
    ['/api/user', 'HEAD', false],
  ])('a limited key on %s %s → %s', (endpoint, method, expected) => {
    expect(allows(permissions, endpoint, method)).toBe(expected);
  });

  it('lets a super key do anything, even on endpoints outside the table', () => {
    expect(allows(null, '/api/user', 'DELETE')).toBe(true);
    expect(allows(null, '/api/not-an-endpoint', 'GET')).toBe(true);
  });

  it('lets an empty, non-super map do nothing', () => {
    expect(allows(new Map(), '/api/user', 'GET')).toBe(false);
  });
});

describe('covers', () => {
  it('compares method sets endpoint by endpoint', () => {
    const wide = map({ '/api/user': ['GET', 'POST', 'PUT'], '/api/group': ['GET'] });
    expect(covers(wide, map({ '/api/user': ['GET', 'PUT'] }))).toBe(true);
    expect(covers(wide, map({ '/api/user': ['GET', 'DELETE'] }))).toBe(false);
    expect(covers(wide, map({ '/api/tenant': ['GET'] }))).toBe(false);
    expect(covers(wide, wide)).toBe(true);
  });

  it('lets a super key cover everything and nothing else cover a super key', () => {
    expect(covers(null, null)).toBe(true);
    expect(covers(null, map({ '/api/user': ['GET'] }))).toBe(true);
    const everything = map(
      Object.fromEntries(ENDPOINT_NAMES.map((endpoint) => [endpoint, [...HTTP_METHODS]])),
    );
    expect(covers(everything, null)).toBe(false);
  });

  it('holds exactly when the holder allows every endpoint+method the candidate allows', () => {
    fc.assert(
      fc.property(permissionMap, permissionMap, (holder, candidate) => {
        expect(covers(holder, candidate)).toBe(allowsEverythingOf(holder, candidate));
      }),
    );
  });

  it('is reflexive and transitive', () => {
    fc.assert(
      fc.property(permissionMap, permissionMap, permissionMap, (a, b, c) => {
        expect(covers(a, a)).toBe(true);
        if (covers(a, b) && covers(b, c)) expect(covers(a, c)).toBe(true);
      }),
    );
  });

  it('puts a super key above every map and no map above a super key', () => {
    fc.assert(
      fc.property(permissionMap, (permissions) => {
        expect(covers(null, permissions)).toBe(true);
        expect(covers(permissions, null)).toBe(false);
      }),
    );
  });
});

describe('parsePermissions', () => {
  it('reads endpoint → methods, case-insensitively', () => {
    const { permissions, problems } = parsePermissions({
      '/api/user': ['get', 'POST'],
      '/api/key': ['DELETE'],
    });
    expect(problems).toEqual([]);
    expect(permissions).toEqual(
      new Map([
        ['/api/user', 1 | 2],
        ['/api/key', 16],
      ]),
    );
  });

  it('reads an empty map as a super key', () => {
    expect(parsePermissions({})).toEqual({ permissions: null, problems: [] });
  });

  it('reports each problem by endpoint and keeps the good entries', () => {
    const { permissions, problems } = parsePermissions({
      '/api/user': ['GET'],
      '/api/nope': ['GET'],
      '/api/group': [],
      '/api/tenant': 'GET',
      '/api/key/generate': ['GET'],
      '/api/login': ['POST', 7],
    });
    expect(problems).toEqual([
      { endpoint: '/api/nope', reason: 'unknownEndpoint' },
      { endpoint: '/api/group', reason: 'noMethods' },
      { endpoint: '/api/tenant', reason: 'badMethod' },
      { endpoint: '/api/key/generate', reason: 'badMethod' },
      { endpoint: '/api/login', reason: 'badMethod' },
    ]);
    expect(permissions).toEqual(new Map([['/api/user', 1]]));
  });

  it('never turns a map with only problems into a super key', () => {
    expect(parsePermissions({ '/api/nope': ['GET'] })).toEqual({
      permissions: new Map(),
      problems: [{ endpoint: '/api/nope', reason: 'unknownEndpoint' }],
    });
  });

  it('does not take inherited names for endpoints', () => {
    expect(parsePermissions(JSON.parse('{"__proto__": ["GET"]}')).problems).toEqual([
      { endpoint: '__proto__', reason: 'unknownEndpoint' },
    ]);
  });
});

describe('permission JSON', () => {
  it('writes methods in a stable order', () => {
    expect(permissionsToJson(map({ '/api/user': ['DELETE', 'GET', 'PATCH'] }))).toEqual({
      '/api/user': ['GET', 'PATCH', 'DELETE'],
    });
    expect(permissionsToJson(null)).toEqual({});
  });

  it('reads back what it writes', () => {
    fc.assert(
      fc.property(permissionMap, (permissions) => {
        const restored = permissionsFromJson(JSON.stringify(permissionsToJson(permissions)));
        expect(restored).toEqual(permissions.size === 0 ? null : permissions);
      }),
    );
  });

  it('reads null and an empty object as a super key', () => {
    expect(permissionsFromJson(null)).toBeNull();
    expect(permissionsFromJson('{}')).toBeNull();
  });

  it('reads a stored map', () => {
    expect(permissionsFromJson('{"/api/user":["GET","PUT"],"/api/group":["DELETE"]}')).toEqual(
      new Map([
        ['/api/user', 1 | 4],
        ['/api/group', 16],
      ]),
    );
  });
});
