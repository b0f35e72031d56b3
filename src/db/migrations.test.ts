import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import type { Migration } from 'kysely'
import { allMigrations, migrateToLatest } from './migrations.ts'
import { openTestDatabase, type TestDatabase, testEngines } from './test-database.ts'

for (const engine of testEngines()) {
  describe(`migrations on ${engine}`, () => {
    const databases: TestDatabase[] = []
    after(async () => {
      for (const database of databases) await database.dispose()
    })

    test('every feature migration is applied and a second run applies nothing', async () => {
      const database = await openTestDatabase(engine)
      databases.push(database)
      const again = await migrateToLatest(database.db)
      assert.deepEqual(again.applied, [])
      const tables = await database.db.introspection.getTables()
      for (const name of [
        'units',
        'users',
        'claims',
        'claim_events',
        'sla_clocks',
        'outbox_messages',
        'files',
      ]) {
        assert.ok(
          tables.some((t) => t.name === name),
          `table ${name} exists`,
        )
      }
    })

    test("a feature's new migration that sorts before one already applied still runs", async () => {
      const database = await openTestDatabase(engine)
      databases.push(database)
      // An install that already has every migration gets a new registry migration (01xx),
      // which sorts before the auth ones (02xx) that ran long ago.
      const lateRegistryMigration: Migration = {
        up: async (db) => {
          await db.schema
            .createTable('late_registry_table')
            .addColumn('id', 'text', (c) => c.primaryKey())
            .execute()
        },
      }
      const { applied } = await migrateToLatest(database.db, {
        ...allMigrations,
        '0199_late_registry_table': lateRegistryMigration,
      })
      assert.deepEqual(applied, ['0199_late_registry_table'])
    })
  })
}
