import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis, jsonText } from '../database/columns';
import type { IpAclEntry } from './ip-acl.matcher';

@Entity({ name: 'ip_access_control_lists' })
export class IpAclEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 191 })
  name!: string;

  /** In the order given: the order decides (see IpAclMatcher). */
  @Column({ type: 'text', transformer: jsonText })
  entries!: IpAclEntry[];

  @Column({ type: 'text', transformer: jsonText })
  data!: Record<string, unknown>;

  @Column({ name: 'insert_instant', type: 'bigint', transformer: epochMillis })
  insertInstant!: number;

  @Column({ name: 'last_update_instant', type: 'bigint', transformer: epochMillis })
  lastUpdateInstant!: number;
}
