import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { sql } from 'kysely'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'

for (const engine of testEngines()) {
  describe(`unit indexes by dealer and owner on ${engine}`, () => {
    const databases: TestDatabase[] = []
    after(async () => {
      for (const database of databases) await database.dispose()
    })

    test('keep only the units that have a dealer or an owner, and still serve the look-ups by one', async () => {
      const database = await openTestDatabase(engine)
      databases.push(database)
      if (database.sqlite) {
        const definitions = database.sqlite
          .prepare<[], { name: string; sql: string }>(
            "select name, sql from sqlite_master where type = 'index' and name in ('units_dealer_idx', 'units_owner_idx')",
          )
          .all()
        assert.equal(definitions.length, 2)
        for (const { name, sql: text } of definitions) assert.match(text, /where .* is not null/i, name)
        const plan = (query: string) =>
          database
            .sqlite!.prepare<string[], { detail: string }>(`explain query plan ${query}`)
            .all('x')
            .map((row) => row.detail)
            .join(' | ')
        assert.match(
          plan('select serial from units where dealer_org_id = ? order by serial'),
          /units_dealer_idx/,
        )
        assert.match(
          plan('select serial from units where owner_customer_id = ? order by serial'),
          /units_owner_idx/,
        )
      } else {
        const { rows } = await sql<{ indexname: string; indexdef: string }>`
          select indexname, indexdef from pg_indexes
          where schemaname = current_schema() and indexname in ('units_dealer_idx', 'units_owner_idx')`.execute(
          database.db,
        )
        assert.equal(rows.length, 2)
        for (const row of rows) assert.match(row.indexdef, /WHERE .* IS NOT NULL/, row.indexname)
      }
    })
  })
}
