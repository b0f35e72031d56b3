import { type Kysely, type Migration, PostgresAdapter, sql } from 'kysely'

/** The tables a warranty look-up answer is read from (see `selectUnitRecords`). */
export const LOOKUP_TABLES = ['units', 'product_models', 'organisations'] as const

/**
 * One row whose `version` goes up in the same transaction as any write to the tables a
 * warranty look-up reads. Triggers do the bump, so no write path (imports, transfers, a
 * repair that replaces a unit, an operator's SQL) can forget it, and an instance that
 * reads an unchanged version knows its cached answers are still what the database says.
 * PostgreSQL bumps once per statement; SQLite has only row triggers, so once per row.
 */
export const registryVersionMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('registry_version')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('version', 'bigint', (c) => c.notNull())
      .execute()
    await sql`insert into registry_version (id, version) values (1, 0)`.execute(db)
    if (db.getExecutor().adapter instanceof PostgresAdapter) {
      await sql`
        create or replace function bump_registry_version() returns trigger language plpgsql as $$
        begin
          update registry_version set version = version + 1 where id = 1;
          return null;
        end $$`.execute(db)
      for (const table of LOOKUP_TABLES) {
        await sql`
          create trigger ${sql.raw(`${table}_bump_registry_version`)}
          after insert or update or delete or truncate on ${sql.table(table)}
          for each statement execute function bump_registry_version()`.execute(db)
      }
      return
    }
    for (const table of LOOKUP_TABLES) {
      for (const event of ['insert', 'update', 'delete']) {
        await sql`
          create trigger ${sql.raw(`${table}_${event}_bump_registry_version`)}
          after ${sql.raw(event)} on ${sql.table(table)}
          begin update registry_version set version = version + 1 where id = 1; end`.execute(db)
      }
    }
  },
  async down(db: Kysely<unknown>) {
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter
    for (const table of LOOKUP_TABLES) {
      const names = postgres
        ? [`${table}_bump_registry_version`]
        : ['insert', 'update', 'delete'].map((event) => `${table}_${event}_bump_registry_version`)
      for (const name of names)
        await sql`drop trigger if exists ${sql.raw(name)}${postgres ? sql` on ${sql.table(table)}` : sql``}`.execute(
          db,
        )
    }
    if (postgres) await sql`drop function if exists bump_registry_version()`.execute(db)
    await db.schema.dropTable('registry_version').execute()
  },
}
