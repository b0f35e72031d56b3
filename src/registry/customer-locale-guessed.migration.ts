import { type Kysely, type Migration, sql } from 'kysely'

/**
 * `locale_guessed_at` says when `locale` was last taken from what the customer did without
 * choosing it (the web app they opened a claim in, the request that made their account, the
 * owner who passed them a unit). Without it a language seen but not chosen could not be told
 * from the column's default, and mail to a customer who never chose went in English whatever
 * they had been seen using.
 */
export const customerLocaleGuessedMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('customers').addColumn('locale_guessed_at', 'text').execute()
    // Since the chosen language was recorded (0196) a language other than the default that
    // nobody chose can only have been guessed; an English one may be the default alone.
    await sql`update customers set locale_guessed_at = updated_at
      where locale_chosen_at is null and locale <> 'en'`.execute(db)
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('customers').dropColumn('locale_guessed_at').execute()
  },
}
