import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis, jsonText } from '../database/columns';
import type { JsonObject } from '../common/fields';

/** The one row of system settings (id 1). */
@Entity({ name: 'system_configuration' })
export class SystemConfigurationEntity {
  @PrimaryColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'text', transformer: jsonText })
  configuration!: JsonObject;

  @Column({ name: 'insert_instant', type: 'bigint', transformer: epochMillis })
  insertInstant!: number;

  @Column({ name: 'last_update_instant', type: 'bigint', transformer: epochMillis })
  lastUpdateInstant!: number;
}
