import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis, jsonText } from '../database/columns';
import type { TenantConfiguration } from './tenant.dto';

@Entity({ name: 'tenants' })
export class TenantEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 191 })
  name!: string;

  /** The tenant made at first boot; it cannot be deleted. */
  @Column({ name: 'is_default', type: 'boolean' })
  isDefault!: boolean;

  /** Everything else Portcullis models about a tenant. */
  @Column({ type: 'text', transformer: jsonText })
  configuration!: TenantConfiguration;

  @Column({ name: 'insert_instant', type: 'bigint', transformer: epochMillis })
  insertInstant!: number;

  @Column({ name: 'last_update_instant', type: 'bigint', transformer: epochMillis })
  lastUpdateInstant!: number;
}
