import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis, jsonText } from '../database/columns';

export type ApiKeyEventType =
  'create' | 'copy' | 'update' | 'patch' | 'rotate' | 'delete' | 'refused';

export const API_KEY_EVENT_TYPES: readonly ApiKeyEventType[] = [
  'create',
  'copy',
  'update',
  'patch',
  'rotate',
  'delete',
  'refused',
];

/** One entry of the API keys' audit trail. Never holds a key value. */
@Entity({ name: 'api_key_events' })
export class ApiKeyEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'key_id', type: 'varchar', length: 36 })
  keyId!: string;

  /** The key's tenant, so a tenant-scoped manager's listing is scoped in the query. */
  @Column({ name: 'tenant_id', type: 'varchar', length: 36, nullable: true })
  tenantId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  type!: ApiKeyEventType;

  /** The key that made the change; null for a refused use (the key is `keyId`). */
  @Column({ name: 'caller_key_id', type: 'varchar', length: 36, nullable: true })
  callerKeyId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  address!: string | null;

  @Column({ type: 'bigint', transformer: epochMillis })
  instant!: number;

  /** Field-level changes (`{field: {from, to}}`), the new key's fields, or a refusal's reason. */
  @Column({ type: 'text', nullable: true, transformer: jsonText })
  changes!: Record<string, unknown> | null;

  /** The key's authority then (what a listing checks once the key is gone). */
  @Column({ name: 'key_snapshot', type: 'text', nullable: true, transformer: jsonText })
  keySnapshot!: Record<string, unknown> | null;
}
