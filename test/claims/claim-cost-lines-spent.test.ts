import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { costLineSpent } from '../../src/claims/index.ts'
import { testEngines } from '../../src/db/test-database.ts'
import { seedDealerWarrantyRepair } from '../recoveries/recovery-factories.ts'
import { type ClaimsWorld, openClaimsWorld, type Party } from './claim-factories.ts'

interface CostLine {
  id: string
  quoteId: string | null
  payer: string
  amountMinor: number
  spent: boolean
  quoteStatus: string | null
}
interface CostTotal {
  amountMinor: number
  byPayer: Record<string, number>
}

/**
 * Quotes in each state a customer's answer (or silence) leaves them, each with one line the
 * customer pays and one the seller absorbs: only the accepted one was spent.
 */
const QUOTES = [
  { id: 'q-waiting', status: 'sent', validUntil: '2999-12-31', price: 30000 },
  { id: 'q-lapsed', status: 'sent', validUntil: '2001-01-01', price: 40000 },
  { id: 'q-declined', status: 'declined', validUntil: '2999-12-31', price: 50000 },
  { id: 'q-accepted', status: 'accepted', validUntil: '2999-12-31', price: 2500 },
]

/**
 * A claim's cost-lines listing shows every quoted line, so staff see what was offered, but
 * marks a line of a quote the customer has not accepted as not spent, with the quote's status,
 * and its totals (overall and per payer) count only the lines spent, as every report does.
 */
for (const engine of testEngines()) {
  describe(`${engine}: a claim's cost lines of quotes not accepted are listed, marked unspent and left out of the totals`, () => {
    let world: ClaimsWorld
    let claimId: string
    before(async () => {
      world = await openClaimsWorld(engine)
      claimId = await seedDealerWarrantyRepair(world)
      const at = world.clock.now.toISOString()
      for (const [n, quote] of QUOTES.entries()) {
        await world.database.db
          .insertInto('claim_quotes')
          .values({
            id: quote.id,
            claim_id: claimId,
            status: quote.status,
            currency: 'USD',
            total_minor: quote.price + 1000,
            customer_minor: quote.price,
            absorbed_json: JSON.stringify({ vendor: 1000, dealer: 0, manufacturer: 0 }),
            paid_minor: 0,
            note: null,
            sent_at: at,
            responded_at: quote.status === 'sent' ? null : at,
            valid_until: quote.validUntil,
            reminded_at: null,
          })
          .execute()
        await world.database.db
          .insertInto('claim_cost_lines')
          .values(
            [
              { payer: 'customer', kind: 'parts', price: quote.price },
              { payer: 'vendor', kind: 'return-shipping', price: 1000 },
            ].map((line, i) => ({
              id: `${quote.id}-${line.payer}`,
              claim_id: claimId,
              quote_id: quote.id,
              kind: line.kind,
              description: '',
              quantity: 1,
              unit_price_minor: line.price,
              currency: 'USD',
              payer: line.payer,
              created_at: at,
              position: 20 + 2 * n + i,
            })),
          )
          .execute()
      }
    })
    after(() => world.close())

    const pageAs = async (party: Party) => {
      const response = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${claimId}/cost-lines`,
        headers: party.headers,
      })
      assert.equal(response.statusCode, 200, response.body)
      return response.json() as { items: CostLine[]; next: string | null; totals: Record<string, CostTotal> }
    }

    test("staff read every quoted line, each marked spent or not with its quote's status", async () => {
      const { items } = await pageAs(world.staff)
      const quoted = items.filter((line) => line.quoteId !== null)
      assert.deepEqual(
        quoted.map((line) => [line.id, line.spent, line.quoteStatus]),
        [
          ['q-waiting-customer', false, 'sent'],
          ['q-waiting-vendor', false, 'sent'],
          ['q-lapsed-customer', false, 'expired'],
          ['q-lapsed-vendor', false, 'expired'],
          ['q-declined-customer', false, 'declined'],
          ['q-declined-vendor', false, 'declined'],
          ['q-accepted-customer', true, 'accepted'],
          ['q-accepted-vendor', true, 'accepted'],
        ],
      )
      const booked = items.filter((line) => line.quoteId === null)
      assert.deepEqual(
        booked.map((line) => [line.payer, line.amountMinor, line.spent, line.quoteStatus]),
        [
          ['dealer', 12000, true, null],
          ['dealer', 15000, true, null],
        ],
        'the repair booked when it was completed was spent',
      )
    })

    test('the lines marked spent are those every report counts (`costLineSpent`)', async () => {
      const { items } = await pageAs(world.staff)
      const counted = await world.database.db
        .selectFrom('claim_cost_lines')
        .select('id')
        .where('claim_id', '=', claimId)
        .where(costLineSpent)
        .execute()
      assert.deepEqual(
        items
          .filter((line) => line.spent)
          .map((line) => line.id)
          .sort(),
        counted.map((row) => row.id).sort(),
      )
    })

    test('the totals, overall and per payer, count only the spent lines', async () => {
      const { items, totals } = await pageAs(world.staff)
      assert.deepEqual(totals, {
        USD: {
          amountMinor: 12000 + 15000 + 2500 + 1000,
          byPayer: { dealer: 27000, customer: 2500, vendor: 1000 },
        },
      })
      const listed = items.reduce((sum, line) => sum + line.amountMinor, 0)
      assert.ok(listed > (totals.USD?.amountMinor ?? 0), 'the unspent lines are listed all the same')
    })

    test('the customer reads their quoted lines, spent or not, and a total of what they were charged', async () => {
      const { items, totals } = await pageAs(world.customer)
      assert.deepEqual(
        items.map((line) => [line.id, line.spent]),
        [
          ['q-waiting-customer', false],
          ['q-lapsed-customer', false],
          ['q-declined-customer', false],
          ['q-accepted-customer', true],
        ],
      )
      assert.deepEqual(totals, { USD: { amountMinor: 2500, byPayer: { customer: 2500 } } })
    })
  })
}
