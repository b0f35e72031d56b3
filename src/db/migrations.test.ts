import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import type { Migration } from 'kysely'
import pg from 'pg'
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

if (testEngines().includes('postgres')) {
  describe('migrations beside other schemas of the same PostgreSQL database', () => {
    test('a migration run sees only its own schema, and another schema dropped meanwhile does not stop it', async () => {
      const ours = await openTestDatabase('postgres')
      const theirs = await openTestDatabase('postgres')
      try {
        await theirs.db.schema.createTable('only_in_their_schema').addColumn('id', 'text').execute()
        const tables = await ours.db.introspection.getTables({ withInternalKyselyTables: true })
        assert.ok(tables.some((t) => t.name === 'kysely_migration'))
        assert.ok(!tables.some((t) => t.name === 'only_in_their_schema'))
        assert.equal(new Set(tables.map((t) => t.schema)).size, 1)

        // Other test files create and drop their schemas while this one migrates; Kysely's own
        // introspector asked about every schema and failed on one that vanished under it.
        const admin = new pg.Client({ connectionString: process.env.AFTERCARE_TEST_PG_URL })
        await admin.connect()
        let migrating = true
        const churn = (async () => {
          for (let round = 0; migrating; round++) {
            const passerby = `passerby_${process.pid}_${round}`
            await admin.query(`create schema ${passerby}; create table ${passerby}.t (id text)`)
            await admin.query(`drop schema ${passerby} cascade`)
          }
        })()
        try {
          for (let round = 0; round < 30; round++)
            assert.deepEqual((await migrateToLatest(ours.db)).applied, [])
        } finally {
          migrating = false
          await churn
          await admin.end()
        }
      } finally {
        await theirs.dispose()
        await ours.dispose()
      }
    })
  })
}
