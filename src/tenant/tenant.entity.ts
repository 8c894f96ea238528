import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis, jsonText } from '../database/columns';
import { completeConfiguration, TenantConfiguration } from './tenant.dto';

@Entity({ name: 'tenants' })
export class TenantEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 191 })
  name!: string;

  /** The tenant made at first boot; it cannot be deleted. */
  @Column({ name: 'is_default', type: 'boolean' })
  isDefault!: boolean;

  /** Everything else Portcullis models about a tenant; defaults fill what it predates. */
  @Column({
    type: 'text',
    transformer: {
      to: (value: TenantConfiguration) => jsonText.to(value) as string,
      from: (value: string) =>
        completeConfiguration(jsonText.from(value) as Partial<TenantConfiguration>),
    },
  })
  configuration!: TenantConfiguration;

  @Column({ name: 'insert_instant', type: 'bigint', transformer: epochMillis })
  insertInstant!: number;

  @Column({ name: 'last_update_instant', type: 'bigint', transformer: epochMillis })
  lastUpdateInstant!: number;
}
