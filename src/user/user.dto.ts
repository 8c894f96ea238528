import { FieldErrors } from '../common/api-error';
import { Fields, JsonObject, omitNulls, SERVER_SET } from '../common/fields';
import { NewMembership, readNewMemberships } from '../group/group.dto';
import {
  checkPassword,
  DEFAULT_PASSWORD_RULES,
  PasswordValidationRules,
} from '../password/password.rules';
import type { UserEntity } from './user.entity';

/** The profile beyond the indexed columns, kept in the `details` column. */
// A type, not an interface, so that it is assignable to the entity's JSON column.
export type UserDetails = {
  middleName?: string;
  birthDate?: string;
  imageUrl?: string;
  mobilePhone?: string;
  timezone?: string;
  preferredLanguages?: string[];
  data?: JsonObject;
  passwordChangeRequired?: boolean;
};

export interface UserProfile {
  email: string | null;
  username: string | null;
  firstName: string | null;
  lastName: string | null;
  fullName: string | null;
  details: UserDetails;
}

export interface UserRequest {
  user: UserProfile;
  /** Plain text, to be hashed at once; null keeps (update) or omits (create) the password. */
  password: string | null;
  skipVerification: boolean;
  /** Groups a new user joins; read-only on update (FusionAuth reads them only on create). */
  memberships: NewMembership[];
}

const NAME = { max: 191, singleLine: true } as const;
/** What FusionAuth's User carries that Portcullis keeps to itself or does not have. */
const READ_ONLY = {
  ...SERVER_SET,
  tenantId: 'uuid',
  active: 'boolean',
  verified: 'boolean',
  lastLoginInstant: 'long',
  passwordLastUpdateInstant: 'long',
  breachedPasswordLastCheckedInstant: 'long',
  expiry: 'long',
  connectorId: 'uuid',
  uniqueUsername: 'string',
  parentEmail: 'string',
  registrations: 'array',
  twoFactor: 'object',
} as const;
const MAX_LANGUAGES = 20;
// Deliberately loose, as mail servers are the real judge: one @, no spaces, a dot in the domain.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const LANGUAGE_TAG = /^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const EITHER_LOGIN_ID =
  'You must specify either the [user.email] or [user.username] property. If you are emailing the user you must specify the [user.email].';

function convertError(fields: Fields, property: string, expected: string): null {
  const name = fields.name(property);
  fields.errors.add('couldNotConvert', name, `Invalid [${name}]. ${expected}`);
  return null;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A Java `ZoneId` such as `America/Denver`. */
export function readTimezone(fields: Fields): string | null {
  const zone = fields.string('timezone', NAME);
  if (zone === null || isTimeZone(zone)) return zone;
  return convertError(fields, 'timezone', 'It must be a time zone such as America/Denver.');
}

/** Java `Locale`s such as `en` or `fr-CA`. */
export function readLanguages(fields: Fields): string[] | null {
  const languages = fields.stringArray('preferredLanguages', { max: 35 });
  if (languages === null) return null;
  if (languages.length > MAX_LANGUAGES) {
    fields.errors.add(
      'tooLong',
      fields.name('preferredLanguages'),
      `The [${fields.name('preferredLanguages')}] may hold at most ${MAX_LANGUAGES} languages.`,
    );
    return null;
  }
  if (languages.every((language) => LANGUAGE_TAG.test(language))) return languages;
  return convertError(fields, 'preferredLanguages', 'Each language must be a tag such as fr-CA.');
}

/** A `LocalDate`: `YYYY-MM-DD`, and a day that exists. */
export function readBirthDate(fields: Fields): string | null {
  const value = fields.string('birthDate', { max: 10 });
  if (value === null) return null;
  const parts = DATE.exec(value);
  if (parts !== null) {
    const [year, month, day] = parts.slice(1).map(Number);
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCMonth() === month - 1 && date.getUTCDate() === day) return value;
  }
  return convertError(fields, 'birthDate', 'It must be a date written YYYY-MM-DD.');
}

function readEmail(user: Fields): string | null {
  const email = user.string('email', NAME)?.trim() ?? null;
  if (email === null || email === '') return null;
  if (!EMAIL.test(email)) {
    user.errors.add('notEmail', user.name('email'));
    return null;
  }
  // Lower-casing can lengthen a string ('İ' becomes two code points), so the column's
  // limit is checked on what is stored.
  const stored = email.toLowerCase();
  if (stored.length > NAME.max) return user.tooLong('email', NAME.max);
  return stored;
}

/** The new password, held to the tenant's rules before anything hashes it. */
function readPassword(
  user: Fields,
  required: boolean,
  rules: PasswordValidationRules,
): string | null {
  const password = user.string('password');
  if (password === null || password === '') {
    if (required && !user.errors.has('user.password')) user.errors.add('blank', 'user.password');
    return null;
  }
  checkPassword(password, rules, 'user.password', user.errors);
  return user.errors.has('user.password') ? null : password;
}

function readDetails(user: Fields): UserDetails {
  const details: UserDetails = {
    middleName: user.string('middleName', NAME) ?? undefined,
    birthDate: readBirthDate(user) ?? undefined,
    imageUrl: user.string('imageUrl', { max: 2048, singleLine: true }) ?? undefined,
    mobilePhone: user.string('mobilePhone', { max: 64, singleLine: true }) ?? undefined,
    timezone: readTimezone(user) ?? undefined,
    preferredLanguages: readLanguages(user) ?? undefined,
    data: user.record('data') ?? undefined,
    passwordChangeRequired: user.boolean('passwordChangeRequired') ?? undefined,
  };
  return omitNulls(details);
}

/**
 * Reads `{"user": {...}, "skipVerification": …, "sendSetPasswordEmail": …}` into `errors`;
 * the caller throws them. Read-only fields of a user read back from the API (id,
 * tenantId, instants, registrations, …) are ignored, so a retrieved user can be sent back;
 * `memberships` are read, and only a create acts on them.
 * `creating`: a password is required, unless a set-password email is asked for; a
 * password given is held to `rules`, the user's tenant's.
 */
export function readUserRequest(
  body: unknown,
  creating: boolean,
  errors: FieldErrors,
  rules: PasswordValidationRules = DEFAULT_PASSWORD_RULES,
): UserRequest {
  const { top, inner: user } = Fields.root(body, 'user', errors);
  const skipVerification = top.boolean('skipVerification') ?? false;
  const sendSetPasswordEmail = top.boolean('sendSetPasswordEmail') ?? false;
  const email = readEmail(user);
  const username = user.string('username', NAME)?.trim() || null;
  if (email === null && username === null && !errors.has('user.email')) {
    if (!errors.has('user.username')) {
      errors.add('blank', 'user.email', EITHER_LOGIN_ID);
      errors.add('blank', 'user.username', EITHER_LOGIN_ID);
    }
  }
  const profile: UserProfile = {
    email,
    username,
    firstName: user.string('firstName', NAME),
    lastName: user.string('lastName', NAME),
    fullName: user.string('fullName', NAME),
    details: readDetails(user),
  };
  const password = readPassword(user, creating && !sendSetPasswordEmail, rules);
  user.typeCheck(READ_ONLY);
  const memberships = readNewMemberships(user);
  return { user: profile, password, skipVerification, memberships };
}

/**
 * `DELETE /api/user/{id}` with a body: `{"hardDelete": true}` (FusionAuth's
 * UserDeleteSingleRequest). The body is optional: none means no options.
 */
export function readHardDelete(body: unknown): boolean {
  const { top } = Fields.root(body ?? {}, 'user');
  const hardDelete = top.boolean('hardDelete');
  top.errors.throwIfAny();
  return hardDelete === true;
}

/** The one place a user becomes JSON: never a password or its hash. */
/** The user's own fields; `lists` adds its registrations and memberships, as a read shows them. */
export function userToJson(
  entity: Omit<UserEntity, 'passwordHash'>,
  lists?: { registrations: JsonObject[]; memberships: JsonObject[] },
): JsonObject {
  const { details } = entity;
  return omitNulls({
    id: entity.id,
    tenantId: entity.tenantId,
    active: entity.active,
    email: entity.email,
    username: entity.username,
    firstName: entity.firstName,
    middleName: details.middleName,
    lastName: entity.lastName,
    fullName: entity.fullName,
    birthDate: details.birthDate,
    imageUrl: details.imageUrl,
    mobilePhone: details.mobilePhone,
    timezone: details.timezone,
    preferredLanguages: details.preferredLanguages,
    data: details.data ?? {},
    verified: entity.verified,
    passwordChangeRequired: details.passwordChangeRequired ?? false,
    insertInstant: entity.insertInstant,
    lastUpdateInstant: entity.lastUpdateInstant,
    lastLoginInstant: entity.lastLoginInstant,
    passwordLastUpdateInstant: entity.passwordLastUpdateInstant,
    registrations: lists?.registrations,
    memberships: lists?.memberships,
  });
}
