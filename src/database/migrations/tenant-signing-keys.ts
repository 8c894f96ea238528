import { randomBytes, randomUUID } from 'node:crypto';
import type { QueryRunner } from 'typeorm';

interface TenantRow {
  id: string;
  is_default: number | boolean;
  configuration: string;
}

/**
 * Gives every tenant of an existing database the access-token key a new tenant gets on
 * creation (HS256, a 32-byte secret, a ten-hex-digit kid). Run inside the migration, under
 * the migration lock, so replicas starting together make one key per tenant, not several.
 * Written out here rather than through the service: a migration must not change when the
 * code does.
 */
export async function giveTenantsSigningKeys(db: QueryRunner): Promise<void> {
  const tenants = (await db.query(
    'SELECT id, is_default, configuration FROM tenants',
  )) as TenantRow[];
  for (const tenant of tenants) {
    const configuration = JSON.parse(tenant.configuration) as {
      jwtConfiguration?: { accessTokenKeyId?: string | null };
    };
    if (configuration.jwtConfiguration?.accessTokenKeyId) continue;
    const id = randomUUID();
    const now = Date.now();
    const name = Number(tenant.is_default)
      ? 'Default signing key'
      : `Default signing key for tenant ${tenant.id}`;
    await db.query(
      `INSERT INTO signing_keys (id, name, algorithm, type, kid, secret, insert_instant, last_update_instant)
       VALUES (?, ?, 'HS256', 'HMAC', ?, ?, ?, ?)`,
      [id, name, randomBytes(5).toString('hex'), randomBytes(32).toString('base64'), now, now],
    );
    configuration.jwtConfiguration = { ...configuration.jwtConfiguration, accessTokenKeyId: id };
    await db.query('UPDATE tenants SET configuration = ? WHERE id = ?', [
      JSON.stringify(configuration),
      tenant.id,
    ]);
  }
}
