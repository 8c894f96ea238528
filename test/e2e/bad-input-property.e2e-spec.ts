import fc from 'fast-check';
import { dialects, startApp, TestApp } from '../support/app';
import { rawRequest } from '../support/http';
import { SECURED_ROUTES, SecuredRoute } from '../support/secured-routes';

jest.setTimeout(300_000);

/** Creates and searches: routes whose body alone decides the answer (no stored object needed). */
const ROUTES = SECURED_ROUTES.filter(
  (route) =>
    route.method === 'POST' &&
    route.body !== undefined &&
    route.owned === undefined &&
    route.propertyFuzz !== false,
);

/** Properties worth poisoning: what the routes' requests hold, and what FusionAuth types. */
const PROPERTIES = [
  'id',
  'name',
  'email',
  'username',
  'password',
  'firstName',
  'fullName',
  'birthDate',
  'timezone',
  'preferredLanguages',
  'data',
  'key',
  'tenantId',
  'metaData',
  'permissions',
  'expirationInstant',
  'ipAccessControlListId',
  'entries',
  'roles',
  'roleIds',
  'description',
  'active',
  'retrievable',
  'queryString',
  'numberOfResults',
  'algorithm',
  'length',
  'issuer',
  'kid',
  'type',
  'publicKey',
  'privateKey',
  'certificate',
  'secret',
];

/** Characters whose case mapping changes their length, and other troublemakers. */
const TROUBLE = ['İ', 'ß', 'ﬃ', 'ǅ', 'ŉ', 'ΐ', '\u0000', '\ud800', '\u202e', '😀', "'", '\\', '"'];

/** JSON text: built as text, so that a value nested 100,000 deep never touches a recursive stringify. */
const nested = (levels: number, open: string, close: string) =>
  `${open.repeat(levels)}1${close.repeat(levels)}`;

const hostileJson: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc
    .tuple(fc.constantFrom(...TROUBLE), fc.integer({ min: 1, max: 400 }), fc.boolean())
    .map(([text, times, email]) => JSON.stringify(`${text.repeat(times)}${email ? '@x.co' : ''}`)),
  fc.string({ maxLength: 300, unit: 'binary' }).map((text) => JSON.stringify(text)),
  fc
    .tuple(fc.integer({ min: 1, max: 100_000 }), fc.boolean())
    .map(([levels, array]) => (array ? nested(levels, '[', ']') : nested(levels, '{"a":', '}'))),
  fc.constantFrom('1e400', '-0', '9007199254740993', '1.5', 'true', '{}', '[]', '""'),
);

interface Case {
  route: SecuredRoute;
  /** The property, in the request's wrapper object or at its top. */
  property: string;
  inWrapper: boolean;
  value: string;
}

const cases: fc.Arbitrary<Case> = fc.record({
  route: fc.constantFrom(...ROUTES),
  property: fc.constantFrom(...PROPERTIES),
  inWrapper: fc.boolean(),
  value: hostileJson,
});

const routeOf = (path: string) => ROUTES.find((route) => route.path === path)!;
const DEEP_ARRAYS = nested(200_000, '[', ']');

/**
 * Requests that once answered 500, run first on every run: a deep `data` or `attributes`
 * (a stack overflow after parsing), and an email that lower-casing lengthens past its
 * column (MariaDB refused the insert).
 */
const KNOWN: Case[] = [
  { route: routeOf('/api/user'), property: 'data', inWrapper: true, value: `{"a":${DEEP_ARRAYS}}` },
  {
    route: routeOf('/api/api-key'),
    property: 'metaData',
    inWrapper: true,
    value: `{"attributes":{"a":${DEEP_ARRAYS}}}`,
  },
  {
    route: routeOf('/api/user'),
    property: 'email',
    inWrapper: true,
    value: JSON.stringify(`${'İ'.repeat(150)}@x.co`),
  },
];

const POISON = 'poison-b5c1f0e2-placeholder';

/** The route's own valid body with one property replaced by raw JSON text. */
function bodyOf({ route, property, inWrapper, value }: Case): string {
  const body = route.body!() as Record<string, unknown>;
  const wrapper = Object.keys(body)[0];
  const target = inWrapper && typeof body[wrapper] === 'object' ? body[wrapper] : body;
  (target as Record<string, unknown>)[property] = POISON;
  const text = JSON.stringify(body).replace(`"${POISON}"`, () => value);
  expect(text).not.toContain(POISON);
  return text;
}

describe.each(dialects())('bad input as a property on %s', (dialect) => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startApp(dialect);
  });
  afterAll(() => test?.close());

  it('answers any poisoned request with a 200 or a FusionAuth-shaped 400, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (sample) => {
        const headers: Record<string, string> = {
          authorization: test.managerKey,
          'content-type': 'application/json',
        };
        if (!sample.route.globalOnly && !sample.route.path.startsWith('/api/tenant'))
          headers['x-fusionauth-tenantid'] = test.defaultTenantId;
        const path = sample.route.path.replace(/:[A-Za-z]+/g, () => crypto.randomUUID());
        const response = await rawRequest(test.url, 'POST', path, headers, bodyOf(sample));
        expect([200, 400]).toContain(response.status);
        expect(response.contentType).toMatch(/^application\/json/);
        const body = JSON.parse(response.body) as Record<string, unknown>;
        if (response.status === 400) {
          expect(
            Object.keys(body).every((key) => ['fieldErrors', 'generalErrors'].includes(key)),
          ).toBe(true);
          expect(Object.keys(body).length).toBeGreaterThan(0);
        }
      }),
      {
        numRuns: Number(process.env.PROPERTY_RUNS ?? 120),
        examples: KNOWN.map((known) => [known]),
        seed: Number(process.env.PROPERTY_SEED ?? Date.now() % 2 ** 31),
      },
    );
  });

  it.each([
    [
      'a user whose data nests 200,000 levels',
      '/api/user',
      `{"user":{"email":"deep@x.co","password":"password1","data":{"a":${nested(200_000, '[', ']')}}}}`,
      '[requestTooDeep]',
    ],
    [
      'a key whose attributes nest 200,000 levels',
      '/api/api-key',
      `{"apiKey":{"metaData":{"attributes":{"a":${nested(200_000, '[', ']')}}}}}`,
      '[requestTooDeep]',
    ],
    [
      'a key name nesting 100,000 arrays',
      '/api/api-key',
      `{"apiKey":{"name":${nested(100_000, '[', ']')}}}`,
      '[requestTooDeep]',
    ],
  ])('refuses %s with a clear 400', async (_, path, body, code) => {
    const response = await rawRequest(
      test.url,
      'POST',
      path,
      { authorization: test.managerKey, 'content-type': 'application/json' },
      body,
    );
    expect({ status: response.status, body: JSON.parse(response.body) as unknown }).toEqual({
      status: 400,
      body: { generalErrors: [{ code, message: expect.stringContaining('64 levels') }] },
    });
  });

  it('refuses an email that lower-casing makes longer than the column', async () => {
    const response = await rawRequest(
      test.url,
      'POST',
      '/api/user',
      {
        authorization: test.managerKey,
        'content-type': 'application/json',
        'x-fusionauth-tenantid': test.defaultTenantId,
      },
      JSON.stringify({ user: { email: `${'İ'.repeat(150)}@x.co`, password: 'password1' } }),
    );
    expect({ status: response.status, body: JSON.parse(response.body) as unknown }).toEqual({
      status: 400,
      body: {
        fieldErrors: {
          'user.email': [
            {
              code: '[tooLong]user.email',
              message: 'The [user.email] may be at most 191 characters.',
            },
          ],
        },
      },
    });
  });
});
