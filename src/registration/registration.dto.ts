import { FieldErrors } from '../common/api-error';
import { Fields, JsonObject, omitNulls, SERVER_SET } from '../common/fields';
import { readLanguages, readTimezone } from '../user/user.dto';
import type { RegistrationEntity } from './registration.entity';

export interface RegistrationInput {
  applicationId: string;
  /** Distinct role names, sorted (FusionAuth keeps them as a sorted set). */
  roles: string[];
  username: string | null;
  data: JsonObject;
  details: { preferredLanguages?: string[]; timezone?: string };
  skipVerification: boolean;
}

const MAX_ROLES = 100;

function readRoles(registration: Fields): string[] {
  const roles = registration.stringArray('roles', { max: 191 }) ?? [];
  if (roles.length > MAX_ROLES) {
    registration.errors.add(
      'tooLong',
      registration.name('roles'),
      `The [${registration.name('roles')}] may hold at most ${MAX_ROLES} roles.`,
    );
    return [];
  }
  return [...new Set(roles)].sort();
}

const READ_ONLY = {
  ...SERVER_SET,
  verified: 'boolean',
  lastLoginInstant: 'long',
  tokens: 'object',
} as const;

/**
 * Reads `{"registration": {...}, "skipRegistrationVerification": …}` into `errors`; the
 * caller throws them. Read-only fields (id, instants, verified) are ignored.
 */
export function readRegistrationRequest(body: unknown, errors: FieldErrors): RegistrationInput {
  const { top, inner: registration } = Fields.root(body, 'registration', errors);
  const applicationId = registration.uuid('applicationId');
  if (applicationId === null && !errors.has('registration.applicationId'))
    errors.add('blank', 'registration.applicationId');
  const preferredLanguages = readLanguages(registration) ?? undefined;
  const timezone = readTimezone(registration) ?? undefined;
  registration.typeCheck(READ_ONLY);
  return {
    applicationId: applicationId ?? '',
    roles: readRoles(registration),
    username: registration.string('username', { max: 191, singleLine: true })?.trim() || null,
    data: registration.record('data') ?? {},
    details: omitNulls({ preferredLanguages, timezone }),
    skipVerification: top.boolean('skipRegistrationVerification') ?? false,
  };
}

/** The one place a registration becomes JSON. */
export function registrationToJson(entity: RegistrationEntity): JsonObject {
  return omitNulls({
    id: entity.id,
    applicationId: entity.applicationId,
    roles: entity.roles,
    username: entity.username,
    data: entity.data,
    preferredLanguages: entity.details.preferredLanguages,
    timezone: entity.details.timezone,
    verified: entity.verified,
    insertInstant: entity.insertInstant,
    lastUpdateInstant: entity.lastUpdateInstant,
    lastLoginInstant: entity.lastLoginInstant,
  });
}
