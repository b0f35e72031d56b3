import type { Kysely, Migration } from 'kysely'

/** Addresses a customer keeps in their profile, to pick as a claim's return address. */
export const customerAddressMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('customer_addresses')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('street', 'text', (c) => c.notNull())
      .addColumn('line2', 'text')
      .addColumn('city', 'text', (c) => c.notNull())
      .addColumn('region', 'text')
      .addColumn('postal_code', 'text')
      .addColumn('country', 'text', (c) => c.notNull())
      .addColumn('phone', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('customer_addresses_customer')
      .on('customer_addresses')
      .column('customer_id')
      .execute()
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('customer_addresses').execute()
  },
}
