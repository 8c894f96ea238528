import { JsonObject, omitNulls } from '../common/fields';
import { metaOf, ScimReader, scimData, USER_SCHEMA, withScimData } from './scim.resource';
import type { PatchableAttributes } from './scim.patch';

/** A SCIM User as Portcullis stores it. */
export interface ScimUserInput {
  userName: string | null;
  email: string | null;
  givenName: string | null;
  familyName: string | null;
  formatted: string | null;
  displayName: string | null;
  externalId: string | null;
  /** Null: unchanged (a create makes the user active). */
  active: boolean | null;
  password: string | null;
}

/** What a PATCH may touch on a User. */
export const USER_PATCHABLE: PatchableAttributes = {
  active: { name: 'active' },
  username: { name: 'userName' },
  displayname: { name: 'displayName' },
  externalid: { name: 'externalId' },
  password: { name: 'password' },
  name: {
    name: 'name',
    subs: { givenname: 'givenName', familyname: 'familyName', formatted: 'formatted' },
  },
  emails: {
    name: 'emails',
    multiValued: true,
    subs: { value: 'value', type: 'type', primary: 'primary', display: 'display' },
  },
};

/** The primary email, else the first: Portcullis users have one. */
function readEmail(user: ScimReader): string | null {
  const emails = user.objects('emails');
  const values = emails.map((email) => ({
    value: email.string('value'),
    primary: email.boolean('primary') === true,
  }));
  const chosen = values.find((email) => email.primary && email.value !== null) ?? values[0];
  return chosen?.value ?? null;
}

/** Reads a SCIM User request (POST, PUT, or a patched resource); read-only attributes are ignored. */
export function readScimUser(body: unknown): ScimUserInput {
  const user = ScimReader.body(body, USER_SCHEMA);
  const name = user.object('name');
  return {
    userName: user.string('userName'),
    email: readEmail(user),
    givenName: name?.string('givenName') ?? null,
    familyName: name?.string('familyName') ?? null,
    formatted: name?.string('formatted') ?? null,
    displayName: user.string('displayName'),
    externalId: user.string('externalId'),
    active: user.boolean('active'),
    password: user.string('password'),
  };
}

/**
 * The User API request that stores a SCIM User: over `current` (the user as the User
 * API shows it) for a replace, so what SCIM does not model (birth date, other `data`)
 * is kept.
 */
export function userRequestOf(input: ScimUserInput, current: JsonObject | null): JsonObject {
  return {
    user: {
      ...(current ?? {}),
      username: input.userName,
      email: input.email,
      firstName: input.givenName,
      lastName: input.familyName,
      fullName: input.formatted,
      data: withScimData(current?.data, {
        externalId: input.externalId,
        displayName: input.displayName,
      }),
      password: input.password,
    },
    // A provisioning client speaks for the directory that verified the address.
    skipVerification: true,
    // No password: the user exists, and cannot sign in until one is set.
    sendSetPasswordEmail: current === null && input.password === null,
  };
}

/** A user as the User API shows it (`userToJson`), as a SCIM User. */
export function scimUserOf(user: JsonObject, base: string): JsonObject {
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  const scim = scimData(user.data);
  const name = omitNulls({
    formatted: text(user.fullName),
    familyName: text(user.lastName),
    givenName: text(user.firstName),
  });
  const email = text(user.email);
  return omitNulls({
    schemas: [USER_SCHEMA],
    id: user.id,
    externalId: text(scim.externalId),
    // A user made with an email alone has no username: its email is its login id.
    userName: text(user.username) ?? email,
    name: Object.keys(name).length === 0 ? null : name,
    displayName: text(scim.displayName),
    active: user.active,
    emails: email === null ? null : [{ value: email, primary: true }],
    meta: metaOf(
      'User',
      {
        id: String(user.id),
        insertInstant: Number(user.insertInstant),
        lastUpdateInstant: Number(user.lastUpdateInstant),
      },
      base,
    ),
  });
}
