import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import type { Kysely } from 'kysely'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { organisationActiveMigration } from './organisation-active.migration.ts'

for (const engine of testEngines()) {
  describe(`organisations' active flag on ${engine}`, () => {
    let database: TestDatabase | undefined
    after(async () => database?.dispose())

    test('every organisation from before the flag stays active, deactivated by nobody', async () => {
      database = await openTestDatabase(engine)
      const db = database.db as unknown as Kysely<unknown>
      await organisationActiveMigration.down?.(db)
      const at = '2026-01-02T03:04:05.000Z'
      for (const [id, kind] of [
        ['org-old-seller', 'seller'],
        ['org-old-dealer', 'dealer'],
      ] as const)
        await database.db
          .insertInto('organisations')
          .values({
            id,
            kind,
            name: id,
            name_key: id,
            country: 'DE',
            email: `${id}@example.com`,
            phone: null,
            service_address: null,
            default_policy_id: null,
            agent_org_id: null,
            created_at: at,
            updated_at: at,
          })
          .execute()
      await organisationActiveMigration.up(db)
      const rows = await database.db
        .selectFrom('organisations')
        .select(['id', 'active', 'deactivated_at', 'deactivated_by_user_id'])
        .where('id', 'in', ['org-old-seller', 'org-old-dealer'])
        .orderBy('id')
        .execute()
      assert.deepEqual(
        rows.map((r) => ({ ...r, active: Number(r.active) })),
        [
          { id: 'org-old-dealer', active: 1, deactivated_at: null, deactivated_by_user_id: null },
          { id: 'org-old-seller', active: 1, deactivated_at: null, deactivated_by_user_id: null },
        ],
      )
    })
  })
}
