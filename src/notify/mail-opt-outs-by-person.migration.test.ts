import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import type { Kysely } from 'kysely'
import { createUser } from '../auth/index.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { toCustomerRow } from '../registry/index.ts'
import { notifyMigrations } from './notify.migration.ts'
import { enqueueEmail } from './outbox.ts'

const migration = notifyMigrations['0661_mail_opt_outs_by_person']
const reminderTo = (to: string, person: { customerId: string } | { userId: string }) => ({
  to,
  person,
  template: 'quote.last-day-near',
  locale: 'en' as const,
  claimId: 'claim-1',
  data: {
    claimNumber: 'C-1',
    quoteNumber: 'C-1-Q',
    currency: 'EUR',
    totalCustomerMinor: 4900,
    validUntil: '2026-12-08',
    serial: 'SN-1',
  },
})

for (const engine of testEngines()) {
  describe(`mail stopped by address, kept by person from migration 0661 on ${engine}`, () => {
    let database: TestDatabase | undefined
    after(async () => database?.dispose())

    test("each choice goes to the customer or user with the address, and keeps the address; one nobody has stays the address's", async () => {
      assert.ok(migration)
      database = await openTestDatabase(engine)
      const db = database.db as unknown as Kysely<unknown>
      const at = '2026-01-02T03:04:05.000Z'
      await database.db
        .insertInto('customers')
        .values(toCustomerRow('cus-kept', { name: 'Li Wei', email: 'liwei@example.com' }, at))
        .execute()
      const manager = await createUser(
        database.db,
        { email: 'mia@example.com', name: 'Mia', role: 'manager', password: 'a long enough password 1' },
        new Date(at),
      )
      // As an install from before: choices kept by address.
      await migration.down?.(db)
      for (const [address, kind] of [
        ['liwei@example.com', 'quote-reminders'],
        ['mia@example.com', 'reliability-alerts'],
        ['gone@example.com', 'quote-reminders'],
      ])
        await database.db
          .insertInto('mail_opt_outs')
          .values({ address, kind, created_at: at } as never)
          .execute()
      await migration.up(db)
      const rows = await database.db
        .selectFrom('mail_opt_outs')
        .select(['person', 'kind', 'address', 'created_at'])
        .orderBy('address')
        .execute()
      assert.deepEqual(rows, [
        {
          person: 'address:gone@example.com',
          kind: 'quote-reminders',
          address: 'gone@example.com',
          created_at: at,
        },
        {
          person: 'customer:cus-kept',
          kind: 'quote-reminders',
          address: 'liwei@example.com',
          created_at: at,
        },
        {
          person: `user:${manager.id}`,
          kind: 'reliability-alerts',
          address: 'mia@example.com',
          created_at: at,
        },
      ])
      // The customer's choice holds at a new address.
      assert.equal(
        await enqueueEmail(database.db, reminderTo('liwei.new@example.com', { customerId: 'cus-kept' })),
        null,
      )
    })
  })
}
