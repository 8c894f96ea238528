import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ApplicationEntity, ApplicationRoleEntity } from '../../src/application/application.entity';
import type { TestApp } from './app';

export const PASSWORD = 'correct horse battery';

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}@example.com`;
}

/** Creates a user through the API in the given tenant; returns its id. */
export async function createUser(
  test: TestApp,
  tenantId: string,
  user: Record<string, unknown> = {},
): Promise<string> {
  const response = await test
    .client(test.managerKey, tenantId)
    .createUser(null as unknown as string, {
      user: { email: uniqueEmail(), password: PASSWORD, ...user },
    });
  return response.response.user!.id!;
}

/**
 * An application with the given roles, written straight to the database: test setup
 * that needs no Application API.
 */
export async function seedApplication(
  test: TestApp,
  tenantId: string,
  roles: string[] = [],
): Promise<string> {
  const dataSource = test.app.get(DataSource);
  const now = Date.now();
  const id = randomUUID();
  await dataSource.getRepository(ApplicationEntity).insert({
    id,
    tenantId,
    name: `app-${id}`,
    active: true,
    configuration: {},
    insertInstant: now,
    lastUpdateInstant: now,
  });
  for (const name of roles) {
    await dataSource.getRepository(ApplicationRoleEntity).insert({
      id: randomUUID(),
      applicationId: id,
      name,
      description: null,
      isDefault: false,
      isSuperRole: false,
      insertInstant: now,
      lastUpdateInstant: now,
    });
  }
  return id;
}
