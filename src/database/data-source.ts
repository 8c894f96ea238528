import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import type { MysqlDriver } from 'typeorm/driver/mysql/MysqlDriver';
import { ApiKeyEntity } from '../api-key/api-key.entity';
import { ApplicationEntity, ApplicationRoleEntity } from '../application/application.entity';
import { GroupEntity, GroupMemberEntity, GroupRoleEntity } from '../group/group.entity';
import {
  EntityGrantRow,
  EntityRow,
  EntityTypePermissionRow,
  EntityTypeRow,
} from '../entity/entity.entity';
import { IpAclEntity } from '../ip-acl/ip-acl.entity';
import { FirstBootEntity } from '../kickstart/kickstart.entity';
import { SigningKeyEntity } from '../signing-key/signing-key.entity';
import { RefreshTokenEntity } from '../refresh-token/refresh-token.entity';
import { ChangePasswordIdEntity, PreviousPasswordEntity } from '../password/password.entity';
import { RegistrationEntity } from '../registration/registration.entity';
import { UserEntity } from '../user/user.entity';
import { AppConfig, DatabaseSettings, MysqlTls } from '../config/config.schema';
import { TenantEntity } from '../tenant/tenant.entity';
import { withDatabaseLock } from './database.lock';
import { DeadlinePool, enforcePoolDeadlines } from './pool.deadlines';
import { InitialSchemaMysql1764374400000 } from './migrations/mysql/1764374400000-initial-schema';
import { IdentitySchemaMysql1764460800000 } from './migrations/mysql/1764460800000-identity-schema';
import { IpAclSchemaMysql1764633600000 } from './migrations/mysql/1764633600000-ip-acl';
import { ApiKeyNameScopeMysql1764806400000 } from './migrations/mysql/1764806400000-api-key-name-scope';
import { FirstBootMysql1764892800000 } from './migrations/mysql/1764892800000-first-boot';
import { SigningKeysMysql1764979200000 } from './migrations/mysql/1764979200000-signing-keys';
import { RefreshTokensMysql1765152000000 } from './migrations/mysql/1765152000000-refresh-tokens';
import { PasswordsMysql1765065600000 } from './migrations/mysql/1765065600000-passwords';
import { EntitiesMysql1765238400000 } from './migrations/mysql/1765238400000-entities';
import { SealedSecretsMysql1765497600000 } from './migrations/mysql/1765497600000-sealed-secrets';
import { ApiKeyRateLimitsMysql1765584000000 } from './migrations/mysql/1765584000000-api-key-rate-limits';
import { ApiKeyEventsMysql1765670400000 } from './migrations/mysql/1765670400000-api-key-events';
import { ApiKeyRotationMysql1765756800000 } from './migrations/mysql/1765756800000-api-key-rotation';
import { SystemConfigurationMysql1765843200000 } from './migrations/mysql/1765843200000-system-configuration';
import { InitialSchemaSqlite1764374400000 } from './migrations/sqlite/1764374400000-initial-schema';
import { IdentitySchemaSqlite1764460800000 } from './migrations/sqlite/1764460800000-identity-schema';
import { IpAclSchemaSqlite1764633600000 } from './migrations/sqlite/1764633600000-ip-acl';
import { ApiKeyNameScopeSqlite1764806400000 } from './migrations/sqlite/1764806400000-api-key-name-scope';
import { FirstBootSqlite1764892800000 } from './migrations/sqlite/1764892800000-first-boot';
import { SigningKeysSqlite1764979200000 } from './migrations/sqlite/1764979200000-signing-keys';
import { RefreshTokensSqlite1765152000000 } from './migrations/sqlite/1765152000000-refresh-tokens';
import { PasswordsSqlite1765065600000 } from './migrations/sqlite/1765065600000-passwords';
import { EntitiesSqlite1765238400000 } from './migrations/sqlite/1765238400000-entities';
import { ApiKeyRateLimitsSqlite1765584000000 } from './migrations/sqlite/1765584000000-api-key-rate-limits';
import { ApiKeyEventEntity } from '../audit/api-key-event.entity';
import { SystemConfigurationEntity } from '../system-configuration/system-configuration.entity';
import { ApiKeyEventsSqlite1765670400000 } from './migrations/sqlite/1765670400000-api-key-events';
import { ApiKeyRotationSqlite1765756800000 } from './migrations/sqlite/1765756800000-api-key-rotation';
import { SystemConfigurationSqlite1765843200000 } from './migrations/sqlite/1765843200000-system-configuration';

/** Connections in a replica's MySQL pool. */
export const MYSQL_POOL_CONNECTIONS = 10;

export const ENTITIES = [
  TenantEntity,
  ApiKeyEntity,
  ApplicationEntity,
  ApplicationRoleEntity,
  UserEntity,
  RegistrationEntity,
  GroupEntity,
  GroupRoleEntity,
  GroupMemberEntity,
  IpAclEntity,
  FirstBootEntity,
  SigningKeyEntity,
  RefreshTokenEntity,
  ChangePasswordIdEntity,
  PreviousPasswordEntity,
  EntityTypeRow,
  EntityTypePermissionRow,
  EntityRow,
  EntityGrantRow,
  ApiKeyEventEntity,
  SystemConfigurationEntity,
];
const MIGRATIONS = {
  sqlite: [
    InitialSchemaSqlite1764374400000,
    IdentitySchemaSqlite1764460800000,
    IpAclSchemaSqlite1764633600000,
    ApiKeyNameScopeSqlite1764806400000,
    FirstBootSqlite1764892800000,
    SigningKeysSqlite1764979200000,
    RefreshTokensSqlite1765152000000,
    PasswordsSqlite1765065600000,
    EntitiesSqlite1765238400000,
    ApiKeyRateLimitsSqlite1765584000000,
    ApiKeyEventsSqlite1765670400000,
    ApiKeyRotationSqlite1765756800000,
    SystemConfigurationSqlite1765843200000,
  ],
  mysql: [
    InitialSchemaMysql1764374400000,
    IdentitySchemaMysql1764460800000,
    IpAclSchemaMysql1764633600000,
    ApiKeyNameScopeMysql1764806400000,
    FirstBootMysql1764892800000,
    SigningKeysMysql1764979200000,
    RefreshTokensMysql1765152000000,
    PasswordsMysql1765065600000,
    EntitiesMysql1765238400000,
    SealedSecretsMysql1765497600000,
    ApiKeyRateLimitsMysql1765584000000,
    ApiKeyEventsMysql1765670400000,
    ApiKeyRotationMysql1765756800000,
    SystemConfigurationMysql1765843200000,
  ],
};

export type DatabaseTimeouts = Pick<
  AppConfig,
  'databaseConnectTimeoutMs' | 'databaseAcquireTimeoutMs' | 'databaseQueryTimeoutMs'
>;

export function dataSourceOptions(
  settings: DatabaseSettings,
  timeouts: DatabaseTimeouts,
): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
  } as const;
  if (settings.dialect === 'mysql') {
    return {
      ...common,
      type: 'mysql',
      url: settings.url,
      // The tables' own collation: a value compared with a column through a derived table
      // (a batch's reads, user.reader.ts) then has the column's collation on every server.
      charset: 'utf8mb4_unicode_520_ci',
      supportBigNumbers: true,
      bigNumberStrings: false,
      connectTimeout: timeouts.databaseConnectTimeoutMs,
      ssl: mysqlTlsOptions(settings.tls),
      extra: { connectionLimit: MYSQL_POOL_CONNECTIONS },
      migrations: MIGRATIONS.mysql,
    };
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: settings.path,
    enableWAL: true,
    migrations: MIGRATIONS.sqlite,
  };
}

/** mysql2's TLS options for a mode: the certificate checked against the CA, and the host. */
function mysqlTlsOptions(tls: MysqlTls | null): object | undefined {
  if (tls === null) return undefined;
  if (tls.mode === 'REQUIRED') return { rejectUnauthorized: false };
  return {
    ...(tls.caFile === null ? {} : { ca: readFileSync(tls.caFile) }),
    rejectUnauthorized: true,
    verifyIdentity: tls.mode === 'VERIFY_IDENTITY',
  };
}

/**
 * Opens the database and brings its schema up to date, once across replicas. The pool's
 * acquire and query deadlines apply from then on: a migration may rightly take longer.
 * SQLite runs in-process, so it cannot hang the way a silent server can.
 */
export async function openDatabase(
  settings: DatabaseSettings,
  timeouts: DatabaseTimeouts,
): Promise<DataSource> {
  if (settings.dialect === 'sqlite' && settings.path !== ':memory:')
    mkdirSync(dirname(settings.path), { recursive: true });
  const dataSource = new DataSource(dataSourceOptions(settings, timeouts));
  await dataSource.initialize();
  try {
    await withDatabaseLock(dataSource, 'portcullis.migrations', () =>
      dataSource.runMigrations({ transaction: 'each' }),
    );
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  if (settings.dialect === 'mysql') {
    enforcePoolDeadlines((dataSource.driver as MysqlDriver).pool as DeadlinePool, {
      acquireMs: timeouts.databaseAcquireTimeoutMs,
      queryMs: timeouts.databaseQueryTimeoutMs,
    });
  }
  return dataSource;
}
