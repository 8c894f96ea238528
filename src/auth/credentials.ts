import type { FastifyRequest } from 'fastify';
import { RoutePolicy } from './route-policy.decorator';

export type CredentialScheme = 'raw' | 'basic' | 'jwt';

/** What the request presents: nothing, something unusable, an API key or a JWT to judge. */
export type Credential =
  | { readonly kind: 'none' }
  | { readonly kind: 'invalid'; readonly scheme: CredentialScheme }
  | { readonly kind: 'apiKey'; readonly key: string; readonly scheme: 'raw' | 'basic' }
  | { readonly kind: 'jwt'; readonly token: string; readonly source: 'header' | 'cookie' };

const NONE: Credential = Object.freeze({ kind: 'none' });
const INVALID: Credential = Object.freeze({ kind: 'invalid', scheme: 'raw' });
const INVALID_BASIC: Credential = Object.freeze({ kind: 'invalid', scheme: 'basic' });
const INVALID_JWT: Credential = Object.freeze({ kind: 'invalid', scheme: 'jwt' });

export const ACCESS_TOKEN_COOKIE = 'access_token';

/** Node keeps only the first of repeated headers; count the raw ones. */
function rawHeaderCount(request: FastifyRequest, lowerName: string): number {
  const raw = request.raw.rawHeaders;
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) count++;
  }
  return count;
}

/** Every value of a cookie, across however many Cookie headers were sent. */
export function cookieValues(request: FastifyRequest, cookie: string): string[] {
  const values: string[] = [];
  const raw = request.raw.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].length !== 6 || raw[i].toLowerCase() !== 'cookie') continue;
    for (const pair of raw[i + 1].split(';')) {
      const equals = pair.indexOf('=');
      if (equals < 0 || pair.slice(0, equals).trim() !== cookie) continue;
      values.push(pair.slice(equals + 1).trim());
    }
  }
  return values;
}

function scheme(header: string, name: string): string | null {
  if (header.length <= name.length || header[name.length] !== ' ') return null;
  if (header.slice(0, name.length).toLowerCase() !== name.toLowerCase()) return null;
  return header.slice(name.length + 1).trim();
}

/** One source of credentials; `read` answers null when the source is not what the request uses. */
export interface CredentialSource {
  /** The row's name in the README's precedence table. */
  readonly name: string;
  readonly read: (request: FastifyRequest, policy: RoutePolicy) => Credential | null;
}

/**
 * Where credentials come from, in order: the first source that recognises the request
 * decides, and what it decides is final. An `Authorization` header, valid or not, is the
 * credential: a cookie is never consulted beside it (so an API key beats a cookie, and a
 * bad header never falls back to a cookie). A scheme the route does not take is a 401.
 * The README's table "Credential precedence" lists these rows in this order; a test
 * holds the two together.
 */
export const CREDENTIAL_PRECEDENCE: readonly CredentialSource[] = [
  {
    name: 'two or more `Authorization` headers',
    read: (request) =>
      request.headers.authorization !== undefined && rawHeaderCount(request, 'authorization') > 1
        ? INVALID
        : null,
  },
  {
    name: '`Authorization: Basic base64(apikey:<key>)`',
    read: (request, policy) => {
      const header = request.headers.authorization;
      const encoded = header === undefined ? null : scheme(header, 'Basic');
      if (encoded === null) return null;
      if (!policy.credentials.has('basicApiKey')) return INVALID_BASIC;
      const decoded = Buffer.from(encoded, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0 || decoded.slice(0, colon) !== 'apikey' || colon === decoded.length - 1)
        return INVALID_BASIC;
      return { kind: 'apiKey', key: decoded.slice(colon + 1), scheme: 'basic' };
    },
  },
  {
    name: '`Authorization: Bearer <jwt>` or `Authorization: JWT <jwt>` (client-credentials routes: `Bearer` only)',
    read: (request, policy) => {
      const header = request.headers.authorization;
      if (header === undefined) return null;
      const bearer = scheme(header, 'Bearer');
      const token = bearer ?? scheme(header, 'JWT');
      if (token === null) return null;
      // The `JWT` scheme is FusionAuth's for user tokens; a client-credentials token is `Bearer` only.
      const taken =
        policy.credentials.has('jwt') || (bearer !== null && policy.credentials.has('client'));
      if (!taken || token.length === 0) return INVALID_JWT;
      return { kind: 'jwt', token, source: 'header' };
    },
  },
  {
    name: '`Authorization: <API key>`',
    read: (request, policy) => {
      const header = request.headers.authorization;
      if (header === undefined) return null;
      if (header.length === 0 || !policy.credentials.has('apiKey')) return INVALID;
      return { kind: 'apiKey', key: header, scheme: 'raw' };
    },
  },
  {
    name: '`access_token` cookie',
    read: (request, policy) => {
      if (!policy.credentials.has('jwt')) return null;
      const values = cookieValues(request, ACCESS_TOKEN_COOKIE);
      if (values.length === 0) return null;
      if (values.length > 1 || values[0].length === 0) return INVALID_JWT;
      return { kind: 'jwt', token: values[0], source: 'cookie' };
    },
  },
];

export function readCredential(request: FastifyRequest, policy: RoutePolicy): Credential {
  for (const source of CREDENTIAL_PRECEDENCE) {
    const credential = source.read(request, policy);
    if (credential !== null) return credential;
  }
  return NONE;
}
