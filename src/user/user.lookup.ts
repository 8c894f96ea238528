import { ApiError } from '../common/api-error';
import { queryValue, queryValues } from '../common/query';

export type LoginIdType = 'email' | 'username';

/** `GET /api/user?email=` / `?username=` / `?loginId=&loginIdTypes=`: which user is asked for. */
export interface UserLookup {
  value: string;
  /** Tried in this order. */
  types: LoginIdType[];
}

const LOGIN_ID_TYPES: readonly LoginIdType[] = ['email', 'username'];

/**
 * The `loginIdTypes` asked for, in Portcullis' order: types it does not model
 * (phoneNumber) match nothing; none named means both.
 */
export function loginIdTypes(named: readonly string[]): LoginIdType[] {
  return LOGIN_ID_TYPES.filter((type) => named.length === 0 || named.includes(type));
}

export function readUserLookup(query: Record<string, unknown>): UserLookup {
  const email = queryValue(query.email);
  if (email !== null) return { value: email, types: ['email'] };
  const username = queryValue(query.username);
  if (username !== null) return { value: username, types: ['username'] };
  const loginId = queryValue(query.loginId);
  if (loginId !== null)
    return { value: loginId, types: loginIdTypes(queryValues(query.loginIdTypes)) };
  throw ApiError.field('missing', 'userId', 'The Id of the User was not specified on the URL.');
}
