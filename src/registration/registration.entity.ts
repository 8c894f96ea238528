import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis, jsonText } from '../database/columns';
import type { JsonObject } from '../common/fields';

@Entity({ name: 'registrations' })
export class RegistrationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  @Column({ name: 'application_id', type: 'varchar', length: 36 })
  applicationId!: string;

  /** The user's tenant, kept so tenant-confined queries need no join. */
  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  /** Role names, each one a role of the application. */
  @Column({ type: 'text', transformer: jsonText })
  roles!: string[];

  @Column({ type: 'varchar', length: 191, nullable: true })
  username!: string | null;

  @Column({ type: 'text', transformer: jsonText })
  data!: JsonObject;

  /** preferredLanguages, timezone. */
  @Column({ type: 'text', transformer: jsonText })
  details!: JsonObject;

  @Column({ type: 'boolean' })
  verified!: boolean;

  @Column({ name: 'insert_instant', type: 'bigint', transformer: epochMillis })
  insertInstant!: number;

  @Column({ name: 'last_update_instant', type: 'bigint', transformer: epochMillis })
  lastUpdateInstant!: number;

  @Column({ name: 'last_login_instant', type: 'bigint', nullable: true, transformer: epochMillis })
  lastLoginInstant!: number | null;
}
