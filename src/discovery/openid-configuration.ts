import { JsonObject } from '../common/fields';
import { ALGORITHM_NAMES } from '../signing-key/signing-key.algorithms';
import { jwsAlgorithmOf } from '../signing-key/signing-key.store';

/**
 * OpenID Connect discovery (OpenID Connect Discovery 1.0 §3), listing only what Portcullis
 * serves: its token endpoint and key set, the grants it implements, and the claims its
 * access tokens carry. There is no authorization or userinfo endpoint to name.
 */
export function openIdConfiguration(issuer: string, baseUrl: string): JsonObject {
  return {
    issuer,
    token_endpoint: `${baseUrl}/oauth2/token`,
    jwks_uri: `${baseUrl}/.well-known/jwks.json`,
    grant_types_supported: ['password', 'refresh_token'],
    response_types_supported: ['token'],
    scopes_supported: ['openid', 'offline_access'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ALGORITHM_NAMES.filter(
      (name) => !name.startsWith('HS'),
    ).map(jwsAlgorithmOf),
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    claims_supported: [
      'aud',
      'auth_time',
      'email',
      'email_verified',
      'exp',
      'iat',
      'iss',
      'jti',
      'preferred_username',
      'roles',
      'sid',
      'sub',
      'tid',
    ],
  };
}

const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The base URL the request was addressed to, when `PUBLIC_URL` is not set: its Host header,
 * which the caller chooses, so only a plain host and port is taken (anything else falls
 * back to the address the request reached). Set `PUBLIC_URL` behind a proxy.
 */
export function requestBaseUrl(host: string | undefined, localAddress: string): string {
  if (host !== undefined && HOST.test(host)) return `http://${host}`;
  return `http://${localAddress}`;
}
