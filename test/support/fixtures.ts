import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UserEntity } from '../../src/user/user.entity';
import type { TestApp } from './app';

const NONE = null as unknown as string;

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/**
 * A user row written straight to the database: group tests need users, not the User
 * API, and this keeps them independent of it.
 */
export async function seedUser(test: TestApp, tenantId: string): Promise<string> {
  const id = randomUUID();
  const now = Date.now();
  await test.app
    .get(DataSource)
    .getRepository(UserEntity)
    .insert({
      id,
      tenantId,
      email: `${uniqueName('member')}@example.com`,
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
    });
  return id;
}

/** An application in the tenant, with one role; returns both ids. */
export async function seedApplication(
  test: TestApp,
  tenantId: string,
): Promise<{ applicationId: string; roleId: string }> {
  const response = await test.client(test.managerKey, tenantId).createApplication(NONE, {
    application: { name: uniqueName('app'), roles: [{ name: 'admin' }] },
  });
  const application = response.response.application!;
  return { applicationId: application.id!, roleId: application.roles![0].id! };
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

/** The codes of a 400 answer's field errors, in order. */
export async function fieldCodes(response: Response): Promise<string[]> {
  expect(response.status).toBe(400);
  const errors = (await response.json()) as {
    fieldErrors?: Record<string, { code: string }[]>;
  };
  return Object.values(errors.fieldErrors ?? {})
    .flat()
    .map((error) => error.code);
}
