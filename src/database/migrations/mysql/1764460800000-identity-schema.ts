import { MigrationInterface, QueryRunner } from 'typeorm';

const TABLE = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci';

export class IdentitySchemaMysql1764460800000 implements MigrationInterface {
  name = 'IdentitySchemaMysql1764460800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE applications (
      id varchar(36) NOT NULL,
      tenant_id varchar(36) NOT NULL,
      name varchar(191) NOT NULL,
      active tinyint(1) NOT NULL DEFAULT 1,
      configuration mediumtext NOT NULL,
      insert_instant bigint NOT NULL,
      last_update_instant bigint NOT NULL,
      PRIMARY KEY (id),
      KEY ix_applications_tenant (tenant_id, name),
      CONSTRAINT fk_applications_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
    ) ${TABLE}`);
    await db.query(`CREATE TABLE application_roles (
      id varchar(36) NOT NULL,
      application_id varchar(36) NOT NULL,
      name varchar(191) COLLATE utf8mb4_bin NOT NULL,
      description text NULL,
      is_default tinyint(1) NOT NULL DEFAULT 0,
      is_super_role tinyint(1) NOT NULL DEFAULT 0,
      insert_instant bigint NOT NULL,
      last_update_instant bigint NOT NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_application_roles_name (application_id, name),
      CONSTRAINT fk_application_roles_application FOREIGN KEY (application_id) REFERENCES applications (id) ON DELETE CASCADE
    ) ${TABLE}`);
    await db.query(`CREATE TABLE users (
      id varchar(36) NOT NULL,
      tenant_id varchar(36) NOT NULL,
      email varchar(191) NULL,
      username varchar(191) NULL,
      first_name varchar(191) NULL,
      last_name varchar(191) NULL,
      full_name varchar(191) NULL,
      password_hash varchar(255) NULL,
      active tinyint(1) NOT NULL DEFAULT 1,
      verified tinyint(1) NOT NULL DEFAULT 0,
      details mediumtext NOT NULL,
      insert_instant bigint NOT NULL,
      last_update_instant bigint NOT NULL,
      last_login_instant bigint NULL,
      password_last_update_instant bigint NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_users_email (tenant_id, email),
      UNIQUE KEY uq_users_username (tenant_id, username),
      CONSTRAINT fk_users_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
    ) ${TABLE}`);
    await db.query(`CREATE TABLE registrations (
      id varchar(36) NOT NULL,
      user_id varchar(36) NOT NULL,
      application_id varchar(36) NOT NULL,
      tenant_id varchar(36) NOT NULL,
      roles text NOT NULL,
      username varchar(191) NULL,
      data mediumtext NOT NULL,
      details text NOT NULL,
      verified tinyint(1) NOT NULL DEFAULT 0,
      insert_instant bigint NOT NULL,
      last_update_instant bigint NOT NULL,
      last_login_instant bigint NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_registrations_user_application (user_id, application_id),
      KEY ix_registrations_application (application_id),
      CONSTRAINT fk_registrations_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
      CONSTRAINT fk_registrations_application FOREIGN KEY (application_id) REFERENCES applications (id) ON DELETE CASCADE
    ) ${TABLE}`);
    await db.query(`CREATE TABLE user_groups (
      id varchar(36) NOT NULL,
      tenant_id varchar(36) NOT NULL,
      name varchar(191) NOT NULL,
      data mediumtext NOT NULL,
      insert_instant bigint NOT NULL,
      last_update_instant bigint NOT NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_user_groups_name (tenant_id, name),
      CONSTRAINT fk_user_groups_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
    ) ${TABLE}`);
    await db.query(`CREATE TABLE group_roles (
      group_id varchar(36) NOT NULL,
      role_id varchar(36) NOT NULL,
      PRIMARY KEY (group_id, role_id),
      CONSTRAINT fk_group_roles_group FOREIGN KEY (group_id) REFERENCES user_groups (id) ON DELETE CASCADE,
      CONSTRAINT fk_group_roles_role FOREIGN KEY (role_id) REFERENCES application_roles (id) ON DELETE CASCADE
    ) ${TABLE}`);
    await db.query(`CREATE TABLE group_members (
      id varchar(36) NOT NULL,
      group_id varchar(36) NOT NULL,
      user_id varchar(36) NOT NULL,
      data mediumtext NOT NULL,
      insert_instant bigint NOT NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_group_members (group_id, user_id),
      KEY ix_group_members_user (user_id),
      CONSTRAINT fk_group_members_group FOREIGN KEY (group_id) REFERENCES user_groups (id) ON DELETE CASCADE,
      CONSTRAINT fk_group_members_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
    ) ${TABLE}`);
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
