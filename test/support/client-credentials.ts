import { randomUUID } from 'node:crypto';
import type { TestApp } from './app';

const NONE = null as unknown as string;

/** The SCIM permissions FusionAuth names, one per operation and resource. */
export const SCIM_PERMISSIONS = [
  'scim:user:read',
  'scim:user:create',
  'scim:user:update',
  'scim:user:delete',
  'scim:group:read',
  'scim:group:create',
  'scim:group:update',
  'scim:group:delete',
] as const;

/** A host the FusionAuth client reaches: an in-process app, or a replica of a cluster. */
export type CredentialsHost = Pick<TestApp, 'client'> & {
  watch?: Pick<TestApp['watch'], 'add'>;
};

export interface ClientEntityMade {
  id: string;
  clientId: string;
  clientSecret: string;
}

/** A SCIM server entity and a SCIM client entity of one tenant, wired as the tenant's SCIM setting. */
export interface ScimWiring {
  tenantId: string;
  serverTypeId: string;
  clientTypeId: string;
  server: ClientEntityMade;
  client: ClientEntityMade;
}

export async function createEntityType(
  test: CredentialsHost,
  permissions: readonly string[],
  extra: object = {},
): Promise<string> {
  const made = await test.client().createEntityType(NONE, {
    entityType: {
      name: `type-${randomUUID()}`,
      permissions: permissions.map((name) => ({ name })),
      ...extra,
    },
  });
  return made.response.entityType!.id!;
}

export async function createEntity(
  test: CredentialsHost,
  tenantId: string,
  typeId: string,
): Promise<ClientEntityMade> {
  const made = await test.client(undefined, tenantId).createEntity(NONE, {
    entity: { name: `entity-${randomUUID()}`, type: { id: typeId } },
  });
  const entity = made.response.entity!;
  test.watch?.add(entity.clientSecret!);
  return { id: entity.id!, clientId: entity.clientId!, clientSecret: entity.clientSecret! };
}

export async function grant(
  test: CredentialsHost,
  tenantId: string,
  targetId: string,
  recipientEntityId: string,
  permissions: readonly string[],
): Promise<void> {
  await test
    .client(undefined, tenantId)
    .upsertEntityGrant(targetId, { grant: { recipientEntityId, permissions: [...permissions] } });
}

/**
 * Wires SCIM in a tenant as FusionAuth's setup guide does: a server entity type holding
 * the SCIM permissions, a client entity type, the tenant's `scimServerConfiguration`
 * naming both, one entity of each, and a grant of `permissions` from server to client.
 */
export async function wireScim(
  test: CredentialsHost,
  tenantId: string,
  permissions: readonly string[] = SCIM_PERMISSIONS,
): Promise<ScimWiring> {
  const serverTypeId = await createEntityType(test, SCIM_PERMISSIONS);
  const clientTypeId = await createEntityType(test, []);
  await test.client().patchTenant(tenantId, {
    tenant: {
      scimServerConfiguration: {
        enabled: true,
        serverEntityTypeId: serverTypeId,
        clientEntityTypeId: clientTypeId,
      },
    },
  });
  const server = await createEntity(test, tenantId, serverTypeId);
  const client = await createEntity(test, tenantId, clientTypeId);
  await grant(test, tenantId, server.id, client.id, permissions);
  return { tenantId, serverTypeId, clientTypeId, server, client };
}

/** A client-credentials token of the wiring's client for its server, through FusionAuth's client. */
export async function scimToken(
  test: CredentialsHost,
  wiring: ScimWiring,
  permissions: readonly string[] = [],
): Promise<string> {
  const scope = `target-entity:${wiring.server.id}${permissions.length === 0 ? '' : `:${permissions.join(',')}`}`;
  const answer = await test
    .client(null)
    .clientCredentialsGrant(wiring.client.clientId, wiring.client.clientSecret, scope);
  const token = answer.response.access_token!;
  test.watch?.add(token);
  return token;
}

/** The `Authorization` value a SCIM client of `tenantId` holding `permissions` sends. */
export async function scimAuthorization(
  test: CredentialsHost,
  tenantId: string,
  permissions: readonly string[] = SCIM_PERMISSIONS,
): Promise<string> {
  const wiring = await wireScim(test, tenantId, permissions);
  return `Bearer ${await scimToken(test, wiring)}`;
}

/** `POST /oauth2/token` for a client-credentials grant, by hand (no scope). */
export function requestClientToken(
  baseUrl: string,
  clientId: string,
  clientSecret: string,
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(`${baseUrl}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    }).toString(),
    signal,
  });
}
