/**
 * What every answer of the admin console carries: the page runs only its own bundled script
 * and style, talks only to this origin, and cannot be framed, so an API value that slipped
 * into markup still could not run.
 */
export const ADMIN_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const ADMIN_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': ADMIN_CSP,
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};
