import type { Kysely, Migration } from 'kysely'

/** Migrations of the set-up feature; they take numbers of the registry range (0130–0149). */
export const setupMigrations: Record<string, Migration> = {
  '0130_seller_settings': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('seller_settings')
        .addColumn('org_id', 'text', (c) => c.primaryKey().references('organisations.id'))
        .addColumn('support_hours', 'text', (c) => c.notNull())
        .addColumn('payment_method', 'text', (c) => c.notNull())
        .addColumn('bank_details', 'text')
        .addColumn('payment_link', 'text')
        .addColumn('terms', 'text', (c) => c.notNull())
        .addColumn('quote_validity_days', 'integer', (c) => c.notNull())
        .addColumn('logo_file_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('seller_settings').execute()
    },
  },
  // Terms in Chinese, printed on the documents of readers of Chinese.
  '0134_seller_terms_zh': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('seller_settings').addColumn('terms_zh', 'text').execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('seller_settings').dropColumn('terms_zh').execute()
    },
  },
  // Whether the demo a first start seeds is whole (see DemoSeedTable).
  '0135_demo_seed': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('demo_seed')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('demo_seed').execute()
    },
  },
}
