import type { JWTPayload, ProtectedHeaderParameters } from 'jose';
import { createHmac, KeyObject, timingSafeEqual } from 'node:crypto';
import { evictOldest } from '../common/evict-oldest';

/** Why a compact token's form or claims were refused (its signature aside). */
export type ClaimsRefusal = 'malformed' | 'expired' | 'not_yet_valid' | 'claims';

/** The three parts of a compact JWS, and its header decoded. */
export interface CompactJws {
  readonly header: ProtectedHeaderParameters;
  /** `header.payload`, the bytes the signature covers. */
  readonly signingInput: string;
  readonly payload: string;
  readonly signature: string;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** A top-level JSON object of base64url text; null for anything else. */
function jsonObject(part: string): Record<string, unknown> | null {
  if (part.length === 0 || !BASE64URL.test(part)) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** A parsed JSON value made read-only all the way down. */
function frozen<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const member of Object.values(value)) frozen(member);
    Object.freeze(value);
  }
  return value;
}

/**
 * Headers by their encoded text, parsed once: every token signed by one key carries the same
 * header, so decoding it again on every request is wasted. Entries are frozen (shared between
 * requests), bounded in number and size, and only JSON objects are kept.
 */
const HEADERS = new Map<string, Readonly<Record<string, unknown>>>();
const MAX_HEADERS = 64;
const MAX_REMEMBERED_HEADER = 1024;

function headerOf(part: string): Readonly<Record<string, unknown>> | null {
  const known = HEADERS.get(part);
  if (known !== undefined) return known;
  const header = jsonObject(part);
  if (header === null || part.length > MAX_REMEMBERED_HEADER) return header;
  evictOldest(HEADERS, MAX_HEADERS);
  HEADERS.set(part, frozen(header));
  return header;
}

/** A compact JWS split once, its header a JSON object; null for any other shape. */
export function parseCompact(token: string): CompactJws | null {
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  if (first < 0 || second < 0 || token.indexOf('.', second + 1) >= 0) return null;
  const header = headerOf(token.slice(0, first));
  if (header === null) return null;
  const signature = token.slice(second + 1);
  if (!BASE64URL.test(signature)) return null;
  return {
    header,
    signingInput: token.slice(0, second),
    payload: token.slice(first + 1, second),
    signature,
  };
}

const HMAC_HASHES: Readonly<Record<string, string>> = {
  HS256: 'sha256',
  HS384: 'sha384',
  HS512: 'sha512',
};

/** The node:crypto hash of an HMAC JWS algorithm; null for any other algorithm. */
export function hmacHashOf(algorithm: string): string | null {
  return Object.hasOwn(HMAC_HASHES, algorithm) ? HMAC_HASHES[algorithm] : null;
}

/**
 * Whether the signature is the HMAC of the signing input under `secret`, compared in
 * constant time as canonical base64url (no padding, no other spelling of the same bytes).
 */
export function hmacSignatureMatches(jws: CompactJws, hash: string, secret: KeyObject): boolean {
  if (secret.type !== 'secret') return false;
  const expected = Buffer.from(
    createHmac(hash, secret).update(jws.signingInput).digest('base64url'),
    'latin1',
  );
  const given = Buffer.from(jws.signature, 'latin1');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** What a claims set must hold: these claims present, time claims within the skew. */
export interface ClaimsRules {
  readonly requiredClaims: readonly string[];
  readonly clockToleranceSeconds: number;
  /** Seconds since the epoch; the clock when left out. */
  readonly now?: number;
}

/**
 * The claims set of a token whose signature verified (RFC 7519 §7.2): a JSON object, the
 * required claims present, `iat` a number, `nbf` not after now and `exp` after now, both
 * numbers, with the clock tolerance either way.
 */
export function checkClaims(
  encodedPayload: string,
  rules: ClaimsRules,
): JWTPayload | ClaimsRefusal {
  const claims = jsonObject(encodedPayload);
  if (claims === null) return 'malformed';
  for (const claim of rules.requiredClaims) if (!(claim in claims)) return 'claims';
  const { iat, nbf, exp } = claims;
  if (iat !== undefined && typeof iat !== 'number') return 'claims';
  const now = rules.now ?? Math.floor(Date.now() / 1000);
  const tolerance = rules.clockToleranceSeconds;
  if (nbf !== undefined) {
    if (typeof nbf !== 'number') return 'claims';
    if (nbf > now + tolerance) return 'not_yet_valid';
  }
  if (exp !== undefined) {
    if (typeof exp !== 'number') return 'claims';
    if (exp <= now - tolerance) return 'expired';
  }
  return claims;
}
