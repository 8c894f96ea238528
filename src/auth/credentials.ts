import type { FastifyRequest } from 'fastify';
import { RoutePolicy } from './route-policy.decorator';

/** What the request presents: nothing, something unusable, or an API key to look up. */
export type Credential =
  | { readonly kind: 'none' }
  | { readonly kind: 'invalid'; readonly scheme: 'raw' | 'basic' }
  | { readonly kind: 'apiKey'; readonly key: string; readonly scheme: 'raw' | 'basic' };

const NONE: Credential = Object.freeze({ kind: 'none' });
const INVALID: Credential = Object.freeze({ kind: 'invalid', scheme: 'raw' });
const INVALID_BASIC: Credential = Object.freeze({ kind: 'invalid', scheme: 'basic' });

/** Two Authorization headers are refused outright; Node keeps only the first, so count the raw ones. */
function authorizationHeaderCount(request: FastifyRequest): number {
  const raw = request.raw.rawHeaders;
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    if (name.length === 13 && name.toLowerCase() === 'authorization') count++;
  }
  return count;
}

type Resolver = (header: string, policy: RoutePolicy) => Credential | null;

/** `Authorization: Basic base64(apikey:<key>)`, user exactly `apikey`. */
const basicApiKey: Resolver = (header, policy) => {
  if (header.length < 6 || header.slice(0, 6).toLowerCase() !== 'basic ') return null;
  if (!policy.credentials.has('basicApiKey')) return INVALID_BASIC;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0 || decoded.slice(0, colon) !== 'apikey' || colon === decoded.length - 1)
    return INVALID_BASIC;
  return { kind: 'apiKey', key: decoded.slice(colon + 1), scheme: 'basic' };
};

/** The raw key: the whole header value. */
const rawApiKey: Resolver = (header) =>
  header.length === 0 ? INVALID : { kind: 'apiKey', key: header, scheme: 'raw' };

/** Precedence is the order of this list: the first resolver that recognises the header decides. */
const RESOLVERS: readonly Resolver[] = [basicApiKey, rawApiKey];

export function readCredential(request: FastifyRequest, policy: RoutePolicy): Credential {
  const header = request.headers.authorization;
  if (header === undefined) return NONE;
  if (authorizationHeaderCount(request) > 1) return INVALID;
  for (const resolve of RESOLVERS) {
    const credential = resolve(header, policy);
    if (credential !== null) return credential;
  }
  return INVALID;
}
