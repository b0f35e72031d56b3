import type { Kysely, Migration } from 'kysely'

/** A model's description in Chinese beside the one it was written in, for readers of either language. */
export const modelDescriptionZhMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('product_models').addColumn('description_zh', 'text').execute()
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('product_models').dropColumn('description_zh').execute()
  },
}
