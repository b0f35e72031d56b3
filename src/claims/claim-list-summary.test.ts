import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import fc from 'fast-check'
import type { Kysely } from 'kysely'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { listClaimSummaries, newClaimRow } from './claim.store.ts'
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

    test('the list answers every combination of filters as the same query built afresh', async () => {
      const database = await openTestDatabase(engine)
      databases.push(database)
      const db = database.db
      const pick = <T>(values: readonly T[], n: number): T => values[n % values.length]!
      const rows = Array.from({ length: 40 }, (_, n) => ({
        ...claimRow(n),
        customer_id: pick(['cus-a', 'cus-b', null], n),
        dealer_org_id: pick(['org-x', null, 'org-y', null], n),
        state: pick(['decided', 'open', 'closed'], n),
        serial: `SUM-${n % 7}`,
        // Two claims opened in the same minute: the id orders them.
        opened_at: new Date(Date.UTC(2026, 0, 1) + Math.floor(n / 2) * 60_000).toISOString(),
      }))
      await db.insertInto('claims').values(rows).execute()
      const openedAt = rows.map((row) => row.opened_at)
      await fc.assert(
        fc.asyncProperty(
          fc.record(
            {
              customerId: fc.constantFrom('cus-a', 'cus-b', 'cus-none'),
              dealerOrgId: fc.constantFrom('org-x', 'org-y'),
              state: fc.constantFrom('decided', 'open', 'closed'),
              serial: fc.constantFrom('SUM-0', 'SUM-3', 'SUM-6'),
              before: fc.constantFrom(...openedAt),
            },
            { requiredKeys: [] },
          ),
          fc.integer({ min: 1, max: 25 }),
          async (filters, limit) => {
            const listed = await listClaimSummaries(db, { ...filters, limit })
            let afresh = db.selectFrom('claims').select(['id', 'serial', 'state', 'opened_at'])
            if (filters.customerId !== undefined)
              afresh = afresh.where('customer_id', '=', filters.customerId)
            if (filters.dealerOrgId !== undefined)
              afresh = afresh.where('dealer_org_id', '=', filters.dealerOrgId)
            if (filters.state !== undefined) afresh = afresh.where('state', '=', filters.state)
            if (filters.serial !== undefined) afresh = afresh.where('serial', '=', filters.serial)
            if (filters.before !== undefined) afresh = afresh.where('opened_at', '<', filters.before)
            const expected = await afresh
              .orderBy('opened_at', 'desc')
              .orderBy('id', 'desc')
              .limit(limit)
              .execute()
            assert.deepEqual(
              listed.map(({ id, serial, state, opened_at }) => ({ id, serial, state, opened_at })),
              expected,
            )
          },
        ),
        { numRuns: 120 },
      )
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
