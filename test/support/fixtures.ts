import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ApiKeyEntity } from '../../src/api-key/api-key.entity';
import { digestKey } from '../../src/auth/key-digest';
import { UserEntity } from '../../src/user/user.entity';
import type { TestApp } from './app';

const NONE = null as unknown as string;

export const PASSWORD = 'correct horse battery';

/** A tenant's `passwordValidationRules` as FusionAuth shows its defaults. */
export const DEFAULT_PASSWORD_RULES_JSON = Object.freeze({
  breachDetection: { enabled: false },
  maxLength: 256,
  minLength: 8,
  rememberPreviousPasswords: { count: 1, enabled: false },
  requireMixedCase: false,
  requireNonAlpha: false,
  requireNumber: false,
  validateOnLogin: false,
});

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export function uniqueEmail(prefix = 'user'): string {
  return `${uniqueName(prefix)}@example.com`;
}

/** Creates a user through the API in the given tenant; returns its id. */
export async function createUser(
  test: TestApp,
  tenantId: string,
  user: Record<string, unknown> = {},
): Promise<string> {
  const response = await test
    .client(test.managerKey, tenantId)
    .createUser(NONE, { user: { email: uniqueEmail(), password: PASSWORD, ...user } });
  return response.response.user!.id!;
}

/**
 * A user row written straight to the database: group tests need users, not the User
 * API, and this keeps them independent of it.
 */
export async function seedUser(
  test: TestApp,
  tenantId: string,
  fields: Partial<Pick<UserEntity, 'id' | 'email' | 'username'>> = {},
): Promise<string> {
  const id = fields.id ?? randomUUID();
  const now = Date.now();
  await test.app
    .get(DataSource)
    .getRepository(UserEntity)
    .insert({
      id,
      tenantId,
      email: uniqueEmail('member'),
      username: null,
      firstName: null,
      lastName: null,
      fullName: null,
      passwordHash: null,
      active: true,
      verified: false,
      details: {},
      insertInstant: now,
      lastUpdateInstant: now,
      lastLoginInstant: null,
      passwordLastUpdateInstant: null,
      ...fields,
    });
  return id;
}

/** An application in the tenant with the given roles; returns its id and the first role's. */
export async function seedApplication(
  test: TestApp,
  tenantId: string,
  roles: string[] = ['admin'],
): Promise<{ applicationId: string; roleId: string }> {
  const response = await test.client(test.managerKey, tenantId).createApplication(NONE, {
    application: { name: uniqueName('app'), roles: roles.map((name) => ({ name })) },
  });
  const application = response.response.application!;
  const first = application.roles!.find((role) => role.name === roles[0]);
  return { applicationId: application.id!, roleId: first?.id ?? '' };
}

export async function seedGroup(test: TestApp, tenantId: string): Promise<string> {
  const response = await test
    .client(test.managerKey, tenantId)
    .createGroup(NONE, { group: { name: uniqueName('group') } });
  return response.response.group!.id!;
}

/** A group with one member; returns the ids. */
export async function seedMember(
  test: TestApp,
  tenantId: string,
): Promise<{ groupId: string; userId: string; memberId: string }> {
  const groupId = await seedGroup(test, tenantId);
  const userId = await seedUser(test, tenantId);
  const response = await test
    .client(test.managerKey, tenantId)
    .createGroupMembers({ members: { [groupId]: [{ userId }] } });
  return { groupId, userId, memberId: response.response.members![groupId][0].id! };
}

/** The codes of a 400 answer: its general errors, then its field errors, in order. */
export async function fieldCodes(response: Response): Promise<string[]> {
  expect(response.status).toBe(400);
  const errors = (await response.json()) as {
    fieldErrors?: Record<string, { code: string }[]>;
    generalErrors?: { code: string }[];
  };
  return [...(errors.generalErrors ?? []), ...Object.values(errors.fieldErrors ?? {}).flat()].map(
    (error) => error.code,
  );
}

/**
 * A global super key written straight to the table, as an earlier version (or another
 * replica, unannounced) would have left it: no API call, no bus message.
 */
export async function insertKeyRow(
  test: TestApp,
  key: string,
  fields: Partial<Pick<ApiKeyEntity, 'id' | 'keyValue' | 'retrievable'>> = {},
): Promise<string> {
  const now = Date.now();
  const id = fields.id ?? randomUUID();
  await test.app
    .get(DataSource)
    .getRepository(ApiKeyEntity)
    .insert({
      id,
      keyDigest: digestKey(key),
      keyValue: key,
      name: null,
      metaData: null,
      tenantId: null,
      permissions: null,
      keyManager: false,
      ipAccessControlListId: null,
      expirationInstant: null,
      retrievable: true,
      insertInstant: now,
      lastUpdateInstant: now,
      ...fields,
    });
  return id;
}

/** An entity type with `read` (a default) and `write` permissions; returns the ids. */
export async function seedEntityType(
  test: TestApp,
): Promise<{ entityTypeId: string; readId: string; writeId: string }> {
  const response = await test.client().createEntityType(NONE, {
    entityType: {
      name: uniqueName('type'),
      permissions: [
        { name: 'read', isDefault: true },
        { name: 'write', isDefault: false },
      ],
    },
  });
  const type = response.response.entityType!;
  const idOf = (name: string) => type.permissions!.find((p) => p.name === name)!.id!;
  return { entityTypeId: type.id!, readId: idOf('read'), writeId: idOf('write') };
}

/** An entity of the given tenant (and type, else a new one); returns the ids. */
export async function seedEntity(
  test: TestApp,
  tenantId: string,
  entityTypeId?: string,
): Promise<{ entityId: string; entityTypeId: string }> {
  const typeId = entityTypeId ?? (await seedEntityType(test)).entityTypeId;
  const response = await test
    .client(test.managerKey, tenantId)
    .createEntity(NONE, { entity: { name: uniqueName('entity'), type: { id: typeId } } });
  return { entityId: response.response.entity!.id!, entityTypeId: typeId };
}
