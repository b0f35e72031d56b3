import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import type { Kysely } from 'kysely'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { customerLocaleChosenMigration } from './customer-locale-chosen.migration.ts'

for (const engine of testEngines()) {
  describe(`customers' chosen language on ${engine}`, () => {
    let database: TestDatabase | undefined
    after(async () => database?.dispose())

    test('customers from before the column count as having chosen only a language other than the default', async () => {
      database = await openTestDatabase(engine)
      const db = database.db as unknown as Kysely<unknown>
      // As an install from before: the column is not there yet.
      await customerLocaleChosenMigration.down?.(db)
      const at = '2026-01-02T03:04:05.000Z'
      for (const [id, locale] of [
        ['cus-old-en', 'en'],
        ['cus-old-zh', 'zh'],
      ] as const)
        await database.db
          .insertInto('customers')
          .values({
            id,
            name: id,
            email: `${id}@example.com`,
            phone: null,
            address: null,
            locale,
            created_at: at,
            updated_at: at,
          } as never)
          .execute()
      await customerLocaleChosenMigration.up(db)
      const rows = await database.db
        .selectFrom('customers')
        .select(['id', 'locale_chosen_at'])
        .where('id', 'in', ['cus-old-en', 'cus-old-zh'])
        .orderBy('id')
        .execute()
      assert.deepEqual(rows, [
        { id: 'cus-old-en', locale_chosen_at: null },
        { id: 'cus-old-zh', locale_chosen_at: at },
      ])
    })
  })
}
