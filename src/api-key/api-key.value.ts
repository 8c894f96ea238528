import type { FieldReason } from '../common/error.catalog';

/**
 * What a caller-chosen key value must be, for the API and for kickstart alike. A key is
 * the whole credential: a short one can be guessed, so a chosen value is held to a
 * floor (a generated one has 43 characters, 256 bits).
 */
export const MIN_KEY_LENGTH = 16;
export const MAX_KEY_LENGTH = 1024;

/** Printable ASCII without surrounding spaces: what survives an HTTP header intact. */
const USABLE_KEY = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;
const SCHEME_PREFIX = /^(basic|bearer|jwt) /i;

export interface KeyValueProblem {
  reason: Extract<FieldReason, 'invalid' | 'tooShort' | 'tooLong'>;
  message: string;
}

/** Why `key` cannot be a key value, or null when it can. */
export function keyValueProblem(key: string): KeyValueProblem | null {
  if (key.length > MAX_KEY_LENGTH) {
    return {
      reason: 'tooLong',
      message: `The [apiKey.key] may not be longer than ${MAX_KEY_LENGTH} characters.`,
    };
  }
  if (!USABLE_KEY.test(key) || SCHEME_PREFIX.test(key)) {
    return {
      reason: 'invalid',
      message:
        'The [apiKey.key] must be printable ASCII without leading or trailing spaces, and may not begin with an authorization scheme (Basic, Bearer, JWT).',
    };
  }
  if (key.length < MIN_KEY_LENGTH) {
    return {
      reason: 'tooShort',
      message: `The [apiKey.key] must be at least ${MIN_KEY_LENGTH} characters long.`,
    };
  }
  return null;
}
