import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import type { Kysely } from 'kysely'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { newClaimRow } from './claim.store.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { claimListSummaryMigration } from './claim-list-summary.migration.ts'

const decisionWithTrace = (n: number) => ({
  policy: 'player-one@1',
  covered: n % 2 === 0,
  remedies: ['repair'],
  trace: [{ clause: 'player-one#warranty', applies: true, because: { en: `Case ${n}.`, zh: `案例 ${n}。` } }],
})

function claimRow(n: number): ClaimsTable {
  const at = new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString()
  return newClaimRow({
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    state: 'decided',
    version: 3 + (n % 4),
    policy_id: 'player-one',
    policy_version: '1',
    currency: 'USD',
    brand: 'own',
    unit_id: null,
    serial: `SUM-${n}`,
    model: null,
    category: null,
    customer_id: null,
    dealer_org_id: null,
    opened_by: 'system',
    opened_by_role: 'system',
    case_json: '{}',
    problem_description: 'Backfill test',
    provisional_decision: JSON.stringify(decisionWithTrace(n)),
    final_decision: n % 3 === 0 ? JSON.stringify(decisionWithTrace(n + 1)) : null,
    opened_at: at,
    updated_at: at,
  })
}

for (const engine of testEngines()) {
  describe(`claim list summaries on ${engine}`, () => {
    const databases: TestDatabase[] = []
    after(async () => {
      for (const database of databases) await database.dispose()
    })

    test('the migration writes the summary of every existing claim, page after page, at its version', async () => {
      const database = await openTestDatabase(engine)
      databases.push(database)
      const db = database.db
      await claimListSummaryMigration.down!(db as unknown as Kysely<unknown>)
      // More than one page of the backfill (500 rows).
      const rows = Array.from({ length: 503 }, (_, n) => claimRow(n))
      await db.insertInto('claims').values(rows).execute()
      await claimListSummaryMigration.up(db as unknown as Kysely<unknown>)

      const stored = await db
        .selectFrom('claims')
        .select(['id', 'version', 'provisional_summary', 'final_summary', 'summaries_version'])
        .where('serial', 'like', 'SUM-%')
        .orderBy('id')
        .execute()
      assert.equal(stored.length, rows.length)
      for (const [n, row] of stored.entries()) {
        assert.equal(Number(row.summaries_version), Number(row.version))
        const { trace: _, ...summary } = decisionWithTrace(n)
        assert.deepEqual(JSON.parse(row.provisional_summary ?? 'null'), summary)
        if (n % 3 === 0) {
          const { trace: __, ...final } = decisionWithTrace(n + 1)
          assert.deepEqual(JSON.parse(row.final_summary ?? 'null'), final)
        } else assert.equal(row.final_summary, null)
      }
    })
  })
}
