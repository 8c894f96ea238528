import { randomUUID } from 'node:crypto';
import { dialects, startApp, TestApp } from '../support/app';
import { rawRequest, RawResponse } from '../support/http';
import { SECURED_ROUTES, SecuredRoute } from '../support/secured-routes';

jest.setTimeout(120_000);

/** Every route that reads a JSON body: creates, replaces, patches and searches. */
const BODY_ROUTES = SECURED_ROUTES.filter(
  (route) => route.body !== undefined && route.method !== 'GET' && route.method !== 'DELETE',
);
const PATCH_TYPES = ['application/json', 'application/merge-patch+json'] as const;

const UNPARSEABLE = { generalErrors: [expect.objectContaining({ code: '[couldNotParseJSON]' })] };

/** The wrapper object a route's request carries (`apiKey`, `tenant`, `members`, …). */
function wrapperOf(route: SecuredRoute): string {
  return Object.keys(route.body!() as object)[0];
}

function missing(wrapper: string): object {
  return {
    fieldErrors: {
      [wrapper]: [{ code: `[missing]${wrapper}`, message: `The [${wrapper}] was not specified.` }],
    },
  };
}

function parsed(response: RawResponse): unknown {
  return response.body === '' ? undefined : JSON.parse(response.body);
}

/** Drops `lastUpdateInstant` at any depth: a PATCH that changes nothing may still touch it. */
function withoutTouch(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTouch);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([name]) => name !== 'lastUpdateInstant')
      .map(([name, inner]) => [name, withoutTouch(inner)]),
  );
}

/**
 * Each body route with a body that is not a request: `null`, none, `{}`, and a `null`
 * wrapper. Nothing is created, replaced or cleared; what was stored reads back the same.
 */
describe.each(dialects())('request bodies on %s', (dialect) => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startApp(dialect);
  });
  afterAll(() => test?.close());

  /** The route's path for an object of the Default tenant (random ids where it owns none). */
  async function target(route: SecuredRoute): Promise<string> {
    const values = route.owned ? await route.owned(test, test.defaultTenantId) : {};
    return route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => values[name] ?? randomUUID());
  }

  function send(
    method: string,
    path: string,
    body?: string,
    contentType = 'application/json',
  ): Promise<RawResponse> {
    const headers: Record<string, string> = { authorization: test.managerKey };
    if (body !== undefined) headers['content-type'] = contentType;
    return rawRequest(test.url, method, path, headers, body);
  }

  /**
   * What a GET of the same path shows: the object itself, the collection (a create
   * without an id), or a 404 (a create with an id).
   */
  async function stored(route: SecuredRoute, path: string): Promise<unknown> {
    const readable = SECURED_ROUTES.some(
      (other) => other.method === 'GET' && other.path === route.path && !other.query,
    );
    if (!readable) return null;
    const response = await send('GET', path);
    return { status: response.status, body: parsed(response) };
  }

  async function expectAnswer(
    route: SecuredRoute,
    sent: { body?: string; contentType?: string },
    status: number,
    body: unknown,
  ): Promise<void> {
    const path = await target(route);
    const before = await stored(route, path);
    const response = await send(route.method, path, sent.body, sent.contentType);
    expect({ status: response.status, body: parsed(response) }).toEqual({ status, body });
    if (status === 200)
      expect(withoutTouch(await stored(route, path))).toEqual(withoutTouch(before));
    else expect(await stored(route, path)).toEqual(before);
  }

  const label = (route: SecuredRoute) => `${route.method} ${route.path}`;

  describe.each(BODY_ROUTES.map((route) => [label(route), route] as const))('%s', (_, route) => {
    const types = route.method === 'PATCH' ? PATCH_TYPES : (['application/json'] as const);

    it.each(types)('refuses a null body sent as %s', (contentType) =>
      expectAnswer(route, { body: 'null', contentType }, 400, UNPARSEABLE),
    );

    it.each(types)('refuses an empty body sent as %s', (contentType) =>
      expectAnswer(route, { body: '', contentType }, 400, UNPARSEABLE),
    );

    it('refuses a request with no body and no content type', () =>
      expectAnswer(route, {}, 400, UNPARSEABLE));

    if (route.method === 'PUT') {
      it('refuses a replace without its wrapper object', () =>
        expectAnswer(route, { body: '{}' }, 400, missing(wrapperOf(route))));

      it('refuses a replace whose wrapper object is null', () =>
        expectAnswer(
          route,
          { body: JSON.stringify({ [wrapperOf(route)]: null }) },
          400,
          missing(wrapperOf(route)),
        ));
    }

    if (route.method === 'PATCH') {
      // A registration patch names its registration inside the body; without it, there
      // is nothing to patch.
      const selector = route.path.startsWith('/api/user/registration')
        ? 'registration.applicationId'
        : null;
      const unselected = {
        fieldErrors: { [selector!]: [expect.objectContaining({ code: `[blank]${selector}` })] },
      };

      it.each(types)('refuses a patch whose wrapper object is null, sent as %s', (contentType) =>
        expectAnswer(
          route,
          { body: JSON.stringify({ [wrapperOf(route)]: null }), contentType },
          400,
          selector === null ? missing(wrapperOf(route)) : unselected,
        ),
      );

      for (const body of [{}, { [wrapperOf(route)]: {} }]) {
        it.each(types)(`changes nothing for ${JSON.stringify(body)} sent as %s`, (contentType) =>
          selector === null
            ? expectAnswer(
                route,
                { body: JSON.stringify(body), contentType },
                200,
                expect.any(Object),
              )
            : expectAnswer(route, { body: JSON.stringify(body), contentType }, 400, unselected),
        );
      }
    }
  });

  it('covers every kind of body route', () => {
    const methods = new Set(BODY_ROUTES.map((route) => route.method));
    expect([...methods].sort()).toEqual(['PATCH', 'POST', 'PUT']);
    expect(BODY_ROUTES.length).toBeGreaterThan(25);
  });
});
