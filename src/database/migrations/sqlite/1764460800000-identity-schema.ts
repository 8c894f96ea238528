import { MigrationInterface, QueryRunner } from 'typeorm';

export class IdentitySchemaSqlite1764460800000 implements MigrationInterface {
  name = 'IdentitySchemaSqlite1764460800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE applications (
      id varchar(36) PRIMARY KEY NOT NULL,
      tenant_id varchar(36) NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      name varchar(191) NOT NULL COLLATE NOCASE,
      active boolean NOT NULL DEFAULT 1,
      configuration text NOT NULL,
      insert_instant bigint NOT NULL,
      last_update_instant bigint NOT NULL)`);
    await db.query(`CREATE INDEX ix_applications_tenant ON applications (tenant_id, name)`);
    await db.query(`CREATE TABLE application_roles (
      id varchar(36) PRIMARY KEY NOT NULL,
      application_id varchar(36) NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
      name varchar(191) NOT NULL,
      description text NULL,
      is_default boolean NOT NULL DEFAULT 0,
      is_super_role boolean NOT NULL DEFAULT 0,
      insert_instant bigint NOT NULL,
      last_update_instant bigint NOT NULL)`);
    await db.query(
      `CREATE UNIQUE INDEX uq_application_roles_name ON application_roles (application_id, name)`,
    );
    await db.query(`CREATE TABLE users (
      id varchar(36) PRIMARY KEY NOT NULL,
      tenant_id varchar(36) NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      email varchar(191) NULL,
      username varchar(191) NULL COLLATE NOCASE,
      first_name varchar(191) NULL COLLATE NOCASE,
      last_name varchar(191) NULL COLLATE NOCASE,
      full_name varchar(191) NULL COLLATE NOCASE,
      password_hash varchar(255) NULL,
      active boolean NOT NULL DEFAULT 1,
      verified boolean NOT NULL DEFAULT 0,
      details text NOT NULL,
      insert_instant bigint NOT NULL,
      last_update_instant bigint NOT NULL,
      last_login_instant bigint NULL,
      password_last_update_instant bigint NULL)`);
    await db.query(`CREATE UNIQUE INDEX uq_users_email ON users (tenant_id, email)`);
    await db.query(`CREATE UNIQUE INDEX uq_users_username ON users (tenant_id, username)`);
    await db.query(`CREATE TABLE registrations (
      id varchar(36) PRIMARY KEY NOT NULL,
      user_id varchar(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      application_id varchar(36) NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
      tenant_id varchar(36) NOT NULL,
      roles text NOT NULL,
      username varchar(191) NULL,
      data text NOT NULL,
      details text NOT NULL,
      verified boolean NOT NULL DEFAULT 0,
      insert_instant bigint NOT NULL,
      last_update_instant bigint NOT NULL,
      last_login_instant bigint NULL)`);
    await db.query(
      `CREATE UNIQUE INDEX uq_registrations_user_application ON registrations (user_id, application_id)`,
    );
    await db.query(`CREATE INDEX ix_registrations_application ON registrations (application_id)`);
    await db.query(`CREATE TABLE user_groups (
      id varchar(36) PRIMARY KEY NOT NULL,
      tenant_id varchar(36) NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      name varchar(191) NOT NULL COLLATE NOCASE,
      data text NOT NULL,
      insert_instant bigint NOT NULL,
      last_update_instant bigint NOT NULL)`);
    await db.query(`CREATE UNIQUE INDEX uq_user_groups_name ON user_groups (tenant_id, name)`);
    await db.query(`CREATE TABLE group_roles (
      group_id varchar(36) NOT NULL REFERENCES user_groups (id) ON DELETE CASCADE,
      role_id varchar(36) NOT NULL REFERENCES application_roles (id) ON DELETE CASCADE,
      PRIMARY KEY (group_id, role_id))`);
    await db.query(`CREATE TABLE group_members (
      id varchar(36) PRIMARY KEY NOT NULL,
      group_id varchar(36) NOT NULL REFERENCES user_groups (id) ON DELETE CASCADE,
      user_id varchar(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      data text NOT NULL,
      insert_instant bigint NOT NULL)`);
    await db.query(`CREATE UNIQUE INDEX uq_group_members ON group_members (group_id, user_id)`);
    await db.query(`CREATE INDEX ix_group_members_user ON group_members (user_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'group_members',
      'group_roles',
      'user_groups',
      'registrations',
      'users',
      'application_roles',
      'applications',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
