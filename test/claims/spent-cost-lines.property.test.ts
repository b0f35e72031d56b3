/**
 * Which cost lines count as spent, wherever costs are summed. For any claims with any quotes
 * in any status (waiting for the answer, past their last day unanswered, replaced by a later
 * quote, declined, accepted) and lines on them or on no quote:
 * - the warranty cost report sums, per currency, payer and kind, exactly the lines on no quote
 *   and the lines of accepted quotes;
 * - a policy simulation reads exactly those lines;
 * - the reliability report's cost of failures sums exactly those, per currency and payer, and
 *   counts as costed exactly the claims that have one;
 * - the recoveries derive from exactly those.
 */
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { insertBareClaim } from '../../src/claims/bare-claim.test-support.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../../src/db/test-database.ts'
import { claimCostRecords } from '../../src/recoveries/recovery.store.ts'
import { sumCostsOfClaims } from '../../src/reliability/reliability.store.ts'
import { readCostLinesOf, sumCostLines } from '../../src/reports/report.store.ts'

fc.configureGlobal({ ...fc.readConfigureGlobal(), includeErrorInReport: true })
const RUNS = Number(process.env.AFTERCARE_PROPERTY_RUNS ?? 0) || 15

const SENT_AT = '2025-03-01T09:00:00.000Z'

/** A quote as the claim holds it: `sent` with a last day long gone is one that expired unanswered. */
const quoteArb = fc.record({
  status: fc.constantFrom('sent', 'accepted', 'declined'),
  validUntil: fc.constantFrom(null, '2025-03-31', '2099-12-31'),
})

const lineArb = fc.record({
  /** Which of the claim's quotes the line is on; past the last quote, on none. */
  quote: fc.nat({ max: 3 }),
  kind: fc.constantFrom('parts', 'labour', 'return-shipping', 'inbound-shipping'),
  quantity: fc.integer({ min: 1, max: 3 }),
  unitPriceMinor: fc.integer({ min: 0, max: 50_000 }),
  currency: fc.constantFrom('USD', 'CNY'),
  payer: fc.constantFrom('vendor', 'dealer', 'manufacturer', 'customer'),
})

const claimArb = fc.record({
  quotes: fc.array(quoteArb, { maxLength: 3 }),
  lines: fc.array(lineArb, { maxLength: 6 }),
})

type ArbitraryClaim = typeof claimArb extends fc.Arbitrary<infer T> ? T : never

interface StoredLine {
  id: string
  claimId: string
  kind: string
  currency: string
  payer: string
  amount: number
  spent: boolean
}

function sumBy<T extends { amount: number }>(
  rows: readonly T[],
  key: (row: T) => string,
): Map<string, number> {
  const sums = new Map<string, number>()
  for (const row of rows) sums.set(key(row), (sums.get(key(row)) ?? 0) + row.amount)
  return sums
}

for (const engine of testEngines()) {
  describe(`${engine}: the cost lines spent`, () => {
    let database: TestDatabase
    before(async () => {
      database = await openTestDatabase(engine)
    })
    after(() => database?.dispose())

    /** Stores the claims under a policy of their own, so one run's figures are not another's. */
    async function store(policy: string, claims: ArbitraryClaim[]): Promise<StoredLine[]> {
      const db = database.db
      const stored: StoredLine[] = []
      for (const claim of claims) {
        const claimId = await insertBareClaim(db, { customerId: null, dealerOrgId: null })
        await db.updateTable('claims').set({ policy_id: policy }).where('id', '=', claimId).execute()
        const quotes = claim.quotes.map((q) => ({ ...q, id: crypto.randomUUID() }))
        for (const quote of quotes)
          await db
            .insertInto('claim_quotes')
            .values({
              id: quote.id,
              claim_id: claimId,
              status: quote.status,
              currency: 'USD',
              total_minor: 0,
              customer_minor: 0,
              absorbed_json: '{}',
              paid_minor: 0,
              note: null,
              sent_at: SENT_AT,
              responded_at: quote.status === 'sent' ? null : SENT_AT,
              valid_until: quote.validUntil,
              reminded_at: null,
            })
            .execute()
        for (const [position, line] of claim.lines.entries()) {
          const quote = quotes[line.quote]
          const id = crypto.randomUUID()
          await db
            .insertInto('claim_cost_lines')
            .values({
              id,
              claim_id: claimId,
              quote_id: quote?.id ?? null,
              kind: line.kind,
              description: line.kind,
              quantity: line.quantity,
              unit_price_minor: line.unitPriceMinor,
              currency: line.currency,
              payer: line.payer,
              created_at: SENT_AT,
              position,
            })
            .execute()
          stored.push({
            id,
            claimId,
            kind: line.kind,
            currency: line.currency,
            payer: line.payer,
            amount: line.quantity * line.unitPriceMinor,
            spent: quote === undefined || quote.status === 'accepted',
          })
        }
      }
      return stored
    }

    it('every figure counts the lines on no quote and the lines of accepted quotes, and no other', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(claimArb, { minLength: 1, maxLength: 3 }), async (claims) => {
          const db = database.db
          const policy = `policy-${crypto.randomUUID()}`
          const lines = await store(policy, claims)
          const spent = lines.filter((l) => l.spent)
          const claimIds = [...new Set(lines.map((l) => l.claimId))]

          const report = await sumCostLines(db, { policy })
          assert.deepEqual(
            sumBy(report, (r) => `${r.currency}|${r.payer}|${r.kind}`),
            sumBy(spent, (l) => `${l.currency}|${l.payer}|${l.kind}`),
            'the warranty cost report',
          )

          const simulated = [...(await readCostLinesOf(db, claimIds))].flatMap(([claimId, ls]) =>
            ls.map((l) => ({ ...l, claimId })),
          )
          assert.deepEqual(
            sumBy(simulated, (l) => `${l.claimId}|${l.currency}|${l.payer}|${l.kind}`),
            sumBy(spent, (l) => `${l.claimId}|${l.currency}|${l.payer}|${l.kind}`),
            'the simulation',
          )

          const reliability = await sumCostsOfClaims(db, claimIds)
          assert.deepEqual(
            new Map(reliability.rows.map((r) => [`${r.currency}|${r.payer}`, r.amount])),
            sumBy(spent, (l) => `${l.currency}|${l.payer}`),
            'the reliability report',
          )
          assert.equal(reliability.claimsWithCost, new Set(spent.map((l) => l.claimId)).size)

          for (const claimId of claimIds)
            assert.deepEqual(
              (await claimCostRecords(db, claimId)).map((c) => c.id).sort(),
              spent
                .filter((l) => l.claimId === claimId)
                .map((l) => l.id)
                .sort(),
              'the recoveries',
            )
        }),
        { numRuns: RUNS },
      )
    })
  })
}
