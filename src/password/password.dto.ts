import { Fields, JsonObject } from '../common/fields';
import { LoginIdType, loginIdTypes } from '../user/user.lookup';

/** `POST /api/user/forgot-password` (FusionAuth's ForgotPasswordRequest). */
export interface ForgotPasswordRequest {
  loginId: string;
  types: LoginIdType[];
  /** The caller's own id for the workflow, or null for a generated one. */
  changePasswordId: string | null;
  /** Whether FusionAuth is to send the user a message (its default). */
  sendMessage: boolean;
  state: JsonObject | null;
}

/** `POST /api/user/change-password[/{changePasswordId}]` (FusionAuth's ChangePasswordRequest). */
export interface ChangePasswordRequest {
  changePasswordId: string | null;
  loginId: string | null;
  types: LoginIdType[];
  password: string;
  /** Verified when given, even empty. */
  currentPassword: string | null;
}

/** Logins are emails and usernames, both at most this long. */
const MAX_LOGIN_ID = 191;
/**
 * A chosen change password id is a credential in a URL path: URL-safe characters, long
 * enough not to be guessed (a generated one is 43).
 */
const CHOSEN_ID = /^[A-Za-z0-9._~-]{16,128}$/;

function readLoginId(top: Fields, required: boolean): string | null {
  const loginId = required
    ? top.requiredString('loginId', { max: MAX_LOGIN_ID })
    : top.string('loginId', { max: MAX_LOGIN_ID });
  return loginId === null || loginId.trim() === '' ? null : loginId.trim();
}

function readTypes(top: Fields): LoginIdType[] {
  return loginIdTypes(top.stringArray('loginIdTypes', { max: 32 }) ?? []);
}

/** Throws the request's field errors, if any. */
export function readForgotPassword(body: unknown): ForgotPasswordRequest {
  const top = Fields.top(body);
  const loginId = readLoginId(top, true);
  const types = readTypes(top);
  const changePasswordId = top.string('changePasswordId');
  if (changePasswordId !== null && !CHOSEN_ID.test(changePasswordId)) {
    top.errors.add(
      'invalid',
      'changePasswordId',
      'A chosen [changePasswordId] must be 16 to 128 letters, digits, or the characters . _ ~ -',
    );
  }
  // sendForgotPasswordMessage supersedes the older sendForgotPasswordEmail (FusionAuth 1.59).
  const sendMessage =
    top.boolean('sendForgotPasswordMessage') ?? top.boolean('sendForgotPasswordEmail') ?? true;
  const state = top.record('state');
  top.uuid('applicationId');
  top.errors.throwIfAny();
  return { loginId: loginId!, types, changePasswordId, sendMessage, state };
}

/**
 * Throws the request's field errors, if any. The id in the body is preferred to the one
 * in the path, as FusionAuth prefers it.
 */
export function readChangePassword(body: unknown): ChangePasswordRequest {
  const top = Fields.top(body);
  const changePasswordId = top.string('changePasswordId');
  const loginId = readLoginId(top, false);
  const types = readTypes(top);
  const password = top.string('password');
  if (password === '' || (password === null && !top.errors.has('password')))
    top.errors.add('blank', 'password');
  const currentPassword = top.string('currentPassword');
  top.uuid('applicationId');
  top.errors.throwIfAny();
  return { changePasswordId, loginId, types, password: password!, currentPassword };
}
