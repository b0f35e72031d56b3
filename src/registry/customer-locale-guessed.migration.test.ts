import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import type { Kysely } from 'kysely'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { customerLocaleGuessedMigration } from './customer-locale-guessed.migration.ts'

for (const engine of testEngines()) {
  describe(`customers' language seen without choosing on ${engine}`, () => {
    let database: TestDatabase | undefined
    after(async () => database?.dispose())

    test('of customers from before the column, only a Chinese nobody chose counts as seen', async () => {
      database = await openTestDatabase(engine)
      const db = database.db as unknown as Kysely<unknown>
      await customerLocaleGuessedMigration.down?.(db)
      const at = '2026-01-02T03:04:05.000Z'
      for (const [id, locale, chosen] of [
        ['cus-default', 'en', null],
        ['cus-chose-zh', 'zh', at],
        ['cus-guessed-zh', 'zh', null],
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
            locale_chosen_at: chosen,
            created_at: at,
            updated_at: at,
          } as never)
          .execute()
      await customerLocaleGuessedMigration.up(db)
      const rows = await database.db
        .selectFrom('customers')
        .select(['id', 'locale_guessed_at'])
        .where('id', 'in', ['cus-default', 'cus-chose-zh', 'cus-guessed-zh'])
        .orderBy('id')
        .execute()
      assert.deepEqual(rows, [
        { id: 'cus-chose-zh', locale_guessed_at: null },
        { id: 'cus-default', locale_guessed_at: null },
        { id: 'cus-guessed-zh', locale_guessed_at: at },
      ])
    })
  })
}
