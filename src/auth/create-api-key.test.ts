import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { sql } from 'kysely'
import type { Db } from '../db/database.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { insertOrganisationIfAbsent, toOrganisationRow } from '../registry/index.ts'
import { createApiKey } from './create-api-key.ts'

const ORG = 'org-north-dealer'

/** Every row of the tables an issued key writes, to compare a refused request against. */
async function snapshot(db: Db) {
  const users = await db.selectFrom('users').selectAll().orderBy('id').execute()
  const keys = await db.selectFrom('api_keys').selectAll().orderBy('id').execute()
  return { users, keys }
}

/**
 * The database itself refuses the key's row, as it would a failed write: the account made for
 * the key must not outlive the refusal, tied to the organisation with no key to use it.
 */
async function refuseKeyRows(database: TestDatabase): Promise<void> {
  if (database.engine === 'sqlite') {
    await sql`create trigger refuse_keys before insert on api_keys begin select raise(abort, 'keys refused'); end`.execute(
      database.db,
    )
    return
  }
  await sql`create function refuse_keys() returns trigger language plpgsql as $$ begin raise exception 'keys refused'; end $$`.execute(
    database.db,
  )
  await sql`create trigger refuse_keys before insert on api_keys for each row execute function refuse_keys()`.execute(
    database.db,
  )
}

for (const engine of testEngines()) {
  describe(`issuing an API key on ${engine}`, () => {
    let database: TestDatabase
    before(async () => {
      database = await openTestDatabase(engine)
      const row = toOrganisationRow(
        { id: ORG, kind: 'dealer', name: 'North Dealer', country: 'CN', email: 'north@example.com' },
        new Date().toISOString(),
      )
      await insertOrganisationIfAbsent(database.db, row)
    })
    after(async () => database.dispose())

    it('writes the key and its account together', async () => {
      const created = await createApiKey(
        database.db,
        { name: 'shop', createdBy: null, orgId: ORG },
        new Date(),
      )
      const user = await database.db
        .selectFrom('users')
        .select(['org_id', 'role'])
        .where('id', '=', created.userId)
        .executeTakeFirstOrThrow()
      assert.deepEqual(user, { org_id: ORG, role: 'dealer' })
    })

    it('leaves the database as it was when the key cannot be written', async () => {
      await refuseKeyRows(database)
      await fc.assert(
        fc.asyncProperty(
          fc.string({ minLength: 1, maxLength: 40 }),
          fc.boolean(),
          fc.constantFrom('full' as const, 'read-only' as const),
          async (name, forOrg, scope) => {
            const before = await snapshot(database.db)
            await assert.rejects(
              createApiKey(
                database.db,
                { name, createdBy: null, scope, ...(forOrg ? { orgId: ORG } : {}) },
                new Date(),
              ),
              /keys refused/,
            )
            assert.deepEqual(await snapshot(database.db), before)
          },
        ),
        { numRuns: 25 },
      )
    })
  })
}
