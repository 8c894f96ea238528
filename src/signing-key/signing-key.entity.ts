import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis } from '../database/columns';
import type { Algorithm, KeyType } from './signing-key.algorithms';

/**
 * A JWT signing key (FusionAuth's Key Master). Keys belong to no tenant. The private key
 * and the HMAC secret are stored as they are used (PKCS#8 PEM, the secret's text) and
 * never leave the service: responses are made by `keyToJson`, which has no field for them.
 */
@Entity({ name: 'signing_keys' })
export class SigningKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 191 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  algorithm!: Algorithm;

  @Column({ type: 'varchar', length: 8 })
  type!: KeyType;

  /** The JWT header's `kid`; unique, so a token names one key. */
  @Column({ type: 'varchar', length: 191 })
  kid!: string;

  @Column({ type: 'int', nullable: true })
  length!: number | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  issuer!: string | null;

  @Column({ type: 'text', nullable: true })
  certificate!: string | null;

  @Column({ name: 'public_key', type: 'text', nullable: true })
  publicKey!: string | null;

  @Column({ name: 'private_key', type: 'text', nullable: true })
  privateKey!: string | null;

  @Column({ type: 'text', nullable: true })
  secret!: string | null;

  /** The certificate's end of validity. */
  @Column({
    name: 'expiration_instant',
    type: 'bigint',
    nullable: true,
    transformer: epochMillis,
  })
  expirationInstant!: number | null;

  @Column({ name: 'insert_instant', type: 'bigint', transformer: epochMillis })
  insertInstant!: number;

  @Column({ name: 'last_update_instant', type: 'bigint', transformer: epochMillis })
  lastUpdateInstant!: number;
}
