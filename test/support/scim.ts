import type { TestApp } from './app';

/**
 * The `Authorization` header a SCIM client of `tenantId` sends: a client-credentials
 * token whose target (the tenant's SCIM server entity) granted `permissions`.
 */
export async function scimAuthorization(
  test: TestApp,
  tenantId: string,
  permissions: string[],
): Promise<string> {
  void test;
  void tenantId;
  void permissions;
  return Promise.reject(new Error('the SCIM token flow needs the client-credentials verifier'));
}
