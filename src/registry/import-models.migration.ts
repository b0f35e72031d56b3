import type { Kysely, Migration } from 'kysely'

/** A seller's own catalogue: a model's policy, its other names and its self-checks. */
export const modelCatalogueMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('product_models').addColumn('policy_id', 'text').execute()
    await db.schema
      .alterTable('product_models')
      .addColumn('aliases', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute()
    await db.schema
      .alterTable('product_models')
      .addColumn('self_checks', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute()
    await db.schema
      .createTable('model_aliases')
      .addColumn('alias_key', 'text', (c) => c.primaryKey())
      .addColumn('model_id', 'text', (c) => c.notNull().references('product_models.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('model_aliases_model').on('model_aliases').column('model_id').execute()
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('model_aliases').execute()
    for (const column of ['self_checks', 'aliases', 'policy_id'])
      await db.schema.alterTable('product_models').dropColumn(column).execute()
  },
}
