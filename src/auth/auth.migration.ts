import type { Kysely, Migration } from 'kysely'

/** Migrations of the auth feature, prefixed 02xx. */
export const authMigrations: Record<string, Migration> = {
  '0201_auth_users_sessions_keys': {
    // Migrations are typed against `any` database: the schema they build is not yet the current one.
    // biome-ignore lint/suspicious/noExplicitAny: see above
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('org_id', 'text')
        .addColumn('customer_id', 'text')
        .addColumn('password_hash', 'text')
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('users_org_id_idx').on('users').column('org_id').execute()
      await db.schema.createIndex('users_customer_id_idx').on('users').column('customer_id').execute()

      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('sessions_user_id_idx').on('sessions').column('user_id').execute()

      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute()
      await db.schema.createIndex('api_keys_user_id_idx').on('api_keys').column('user_id').execute()

      await db.schema
        .createTable('sign_in_links')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .execute()
      await db.schema.createIndex('sign_in_links_user_id_idx').on('sign_in_links').column('user_id').execute()
    },
    // biome-ignore lint/suspicious/noExplicitAny: see above
    async down(db: Kysely<any>) {
      await db.schema.dropTable('sign_in_links').execute()
      await db.schema.dropTable('api_keys').execute()
      await db.schema.dropTable('sessions').execute()
      await db.schema.dropTable('users').execute()
    },
  },
  // The language a staff or dealer user reads their e-mail in (customers keep theirs on
  // their profile): null until they choose, when their organisation's country decides.
  '0260_auth_user_locale': {
    // biome-ignore lint/suspicious/noExplicitAny: see above
    async up(db: Kysely<any>) {
      await db.schema.alterTable('users').addColumn('locale', 'text').execute()
    },
    // biome-ignore lint/suspicious/noExplicitAny: see above
    async down(db: Kysely<any>) {
      await db.schema.alterTable('users').dropColumn('locale').execute()
    },
  },
  '0250_auth_rate_limits_key_scopes': {
    // biome-ignore lint/suspicious/noExplicitAny: see above
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('rate_limit_counters')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('rate_limit_counters_expires_idx')
        .on('rate_limit_counters')
        .column('expires_at')
        .execute()
      await db.schema
        .alterTable('api_keys')
        .addColumn('scope', 'text', (c) => c.notNull().defaultTo('full'))
        .execute()
    },
    // biome-ignore lint/suspicious/noExplicitAny: see above
    async down(db: Kysely<any>) {
      await db.schema.alterTable('api_keys').dropColumn('scope').execute()
      await db.schema.dropTable('rate_limit_counters').execute()
    },
  },
}
