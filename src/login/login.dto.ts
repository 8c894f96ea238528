import { ApiError, FieldErrors } from '../common/api-error';
import { Fields, isObject, JsonObject } from '../common/fields';
import type { LoginIdType } from '../user/user.lookup';
import { MAX_PASSWORD_LENGTH } from '../password/password.rules';

export interface LoginRequest {
  readonly loginId: string;
  readonly password: string;
  readonly applicationId: string | null;
  readonly noJWT: boolean;
  /** Tried in this order; phoneNumber (not modelled) matches no one. */
  readonly loginIdTypes: LoginIdType[];
  /** The end user's address, as the caller's backend reports it. */
  readonly ipAddress: string | null;
}

/** Emails and usernames are at most this long, so a longer login id names no one. */
const MAX_LOGIN_ID = 191;
const MAX_ADDRESS = 64;
const KNOWN_TYPES: readonly LoginIdType[] = ['email', 'username'];
const ALL_TYPES = ['email', 'username', 'phoneNumber'];

/**
 * FusionAuth's LoginRequest. Lengths are bounded before anything is hashed: a password
 * longer than any user may have is a 400, not a megabyte fed to argon2.
 */
export function readLoginRequest(body: unknown): LoginRequest {
  const errors = new FieldErrors();
  // The request has no wrapper object, but is one: `null`, `[]` or `"x"` is unparseable.
  if (!isObject(body)) throw ApiError.general('couldNotParseJSON');
  const top = new Fields(body, '', errors);
  const loginId = top.requiredString('loginId', { max: MAX_LOGIN_ID });
  const password = top.requiredString('password', { max: MAX_PASSWORD_LENGTH });
  const applicationId = top.uuid('applicationId');
  const noJWT = top.boolean('noJWT') ?? false;
  const ipAddress = top.string('ipAddress', { max: MAX_ADDRESS, singleLine: true });
  const types = top.stringArray('loginIdTypes', { max: 32 });
  if (types?.some((type) => !ALL_TYPES.includes(type)))
    errors.add('invalid', 'loginIdTypes', `The [loginIdTypes] may hold ${ALL_TYPES.join(', ')}.`);
  errors.throwIfAny();
  return {
    loginId: loginId!,
    password: password!,
    applicationId,
    noJWT,
    // None named means every type, as for GET /api/user?loginId=.
    loginIdTypes: KNOWN_TYPES.filter((type) => !types?.length || types.includes(type)),
    ipAddress,
  };
}

export interface IssuedTokens {
  readonly token: string;
  readonly tokenExpirationInstant: number;
  readonly refreshToken: { readonly token: string; readonly id: string } | null;
}

/** The one place a login becomes JSON (LoginResponse). */
export function loginResponseJson(user: JsonObject, tokens: IssuedTokens | null): JsonObject {
  if (tokens === null) return { user };
  return {
    token: tokens.token,
    tokenExpirationInstant: tokens.tokenExpirationInstant,
    ...(tokens.refreshToken === null
      ? {}
      : { refreshToken: tokens.refreshToken.token, refreshTokenId: tokens.refreshToken.id }),
    user,
  };
}
