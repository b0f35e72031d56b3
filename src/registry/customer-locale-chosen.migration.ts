import { type Kysely, type Migration, sql } from 'kysely'

/**
 * `customers.locale` is never empty (it defaults to English), so it cannot tell a person who
 * chose English from one nobody asked. `locale_chosen_at` says when the person (or staff on
 * their word) chose it; null means nobody did, and a sign-in link then follows the browser.
 */
export const customerLocaleChosenMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('customers').addColumn('locale_chosen_at', 'text').execute()
    // A language other than the default was necessarily chosen; an English one may be the
    // default alone and stays unknown.
    await sql`update customers set locale_chosen_at = updated_at where locale <> 'en'`.execute(db)
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('customers').dropColumn('locale_chosen_at').execute()
  },
}
