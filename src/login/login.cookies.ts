import { ACCESS_TOKEN_COOKIE } from '../auth/credentials';
import type { CookieSameSite } from '../config/config.schema';

export const REFRESH_TOKEN_COOKIE = 'refresh_token';

export interface CookiePolicy {
  readonly secure: boolean;
  readonly sameSite: CookieSameSite;
}

/**
 * RFC 6265 cookie-octets: what a cookie value may hold unquoted. Tokens (JWTs, base64url
 * refresh tokens) are made of these, so nothing is escaped; anything else is a bug.
 */
const COOKIE_VALUE = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;
const COOKIE_NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * One `Set-Cookie` value: HttpOnly and Path=/ always (FusionAuth's login cookies), a
 * `Max-Age` only for a persistent cookie (none: a session cookie).
 */
export function serializeCookie(
  name: string,
  value: string,
  policy: CookiePolicy,
  maxAgeSeconds: number | null,
): string {
  if (!COOKIE_NAME.test(name)) throw new Error(`not a cookie name: ${name}`);
  if (!COOKIE_VALUE.test(value)) throw new Error(`cookie ${name} holds characters it may not`);
  const parts = [`${name}=${value}`, 'Path=/'];
  if (maxAgeSeconds !== null) parts.push(`Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`);
  parts.push('HttpOnly');
  if (policy.secure) parts.push('Secure');
  parts.push(`SameSite=${policy.sameSite}`);
  return parts.join('; ');
}

/** The cookies a login writes: the access token for the session, the refresh token for its lifetime. */
export function loginCookies(
  policy: CookiePolicy,
  accessToken: string,
  refresh: { token: string; maxAgeSeconds: number } | null,
): string[] {
  const cookies = [serializeCookie(ACCESS_TOKEN_COOKIE, accessToken, policy, null)];
  if (refresh !== null)
    cookies.push(
      serializeCookie(REFRESH_TOKEN_COOKIE, refresh.token, policy, refresh.maxAgeSeconds),
    );
  return cookies;
}

/** What logout writes: both cookies, emptied and expired. */
export function clearedCookies(policy: CookiePolicy): string[] {
  return [ACCESS_TOKEN_COOKIE, REFRESH_TOKEN_COOKIE].map((name) =>
    serializeCookie(name, '', policy, 0),
  );
}
