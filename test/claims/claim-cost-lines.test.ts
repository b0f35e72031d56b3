import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestUser } from '../../src/auth/test-support.ts'
import { testEngines } from '../../src/db/test-database.ts'
import { orgUser, recoveriesOfClaim, seedDealerWarrantyRepair } from '../recoveries/recovery-factories.ts'
import { type ClaimsWorld, ORG, openClaimsWorld, type Party } from './claim-factories.ts'

interface CostLine {
  id: string
  kind: string
  description: string
  payer: string
  amountMinor: number
  unitPriceMinor: number
  currency: string
}

/** Lines of the other payers, booked beside the dealer's repair (as staff would book goodwill or a charge). */
const OTHERS_LINES = [
  {
    id: 'cl-customer',
    kind: 'return-shipping',
    description: 'Express return',
    payer: 'customer',
    price: 1900,
  },
  { id: 'cl-vendor', kind: 'inbound-shipping', description: 'Inbound label', payer: 'vendor', price: 1100 },
  { id: 'cl-maker', kind: 'duties', description: 'Import duties', payer: 'manufacturer', price: 700 },
]

/**
 * A claim's cost lines reach each party as far as they are its business: staff every line,
 * the customer the lines they pay, the dealer the lines it pays, and the maker the lines the
 * recovery it owes cites, though it may not open the claim. Everyone else is told the claim
 * does not exist.
 */
for (const engine of testEngines()) {
  describe(`${engine}: a claim's cost lines, for each party`, () => {
    let world: ClaimsWorld
    let claimId: string
    let maker: Party
    let citedPartsLine: string
    let dealersLines: string[]
    before(async () => {
      world = await openClaimsWorld(engine)
      claimId = await seedDealerWarrantyRepair(world)
      const at = world.clock.now.toISOString()
      await world.database.db
        .insertInto('claim_cost_lines')
        .values(
          OTHERS_LINES.map((line, position) => ({
            id: line.id,
            claim_id: claimId,
            quote_id: null,
            kind: line.kind,
            description: line.description,
            quantity: 1,
            unit_price_minor: line.price,
            currency: 'USD',
            payer: line.payer,
            created_at: at,
            position: 10 + position,
          })),
        )
        .execute()
      maker = await orgUser(world, ORG.playerOne)
      const [recovery] = await recoveriesOfClaim(world, claimId)
      assert.equal(recovery?.debtor.id, ORG.playerOne)
      const cited = recovery.lines.flatMap((line) => line.evidence.costLineIds)
      assert.equal(cited.length, 1, 'the parts line is cited; standard labour cites no cost line')
      citedPartsLine = cited[0] as string
      const rows = await world.database.db
        .selectFrom('claim_cost_lines')
        .select('id')
        .where('claim_id', '=', claimId)
        .where('payer', '=', 'dealer')
        .execute()
      dealersLines = rows.map((row) => row.id).sort()
    })
    after(() => world.close())

    const costLinesAs = async (party: Party, id = claimId) =>
      world.app.inject({ method: 'GET', url: `/api/v1/claims/${id}/cost-lines`, headers: party.headers })

    const linesAs = async (party: Party): Promise<CostLine[]> => {
      const response = await costLinesAs(party)
      assert.equal(response.statusCode, 200, response.body)
      const page = response.json() as { items: CostLine[]; next: string | null }
      assert.equal(page.next, null)
      return page.items
    }

    test('staff read every line with its payer and amount, in the order recorded', async () => {
      const lines = await linesAs(world.staff)
      assert.deepEqual(
        lines.map((line) => [line.kind, line.payer, line.amountMinor]),
        [
          ['parts', 'dealer', 12000],
          ['labour', 'dealer', 15000],
          ['return-shipping', 'customer', 1900],
          ['inbound-shipping', 'vendor', 1100],
          ['duties', 'manufacturer', 700],
        ],
      )
      assert.ok(lines.every((line) => line.currency === 'USD'))
    })

    test('an integration of the seller reads every line', async () => {
      const integration = await createTestUser(world.database.db, { role: 'integration' })
      assert.equal((await linesAs(integration)).length, 5)
    })

    test("the claim's customer reads the line they pay and not one amount between the businesses", async () => {
      const response = await costLinesAs(world.customer)
      assert.equal(response.statusCode, 200, response.body)
      const lines = (response.json() as { items: CostLine[] }).items
      assert.deepEqual(
        lines.map((line) => line.id),
        ['cl-customer'],
      )
      for (const amount of ['12000', '15000', '5000', '1100', '700'])
        assert.doesNotMatch(response.body, new RegExp(`\\b${amount}\\b`), `${amount} is another party's`)
    })

    test('the dealer the decision has handle the claim reads every line, as it reads its quotes whole', async () => {
      const lines = await linesAs(world.dealer)
      const all = await linesAs(world.staff)
      assert.deepEqual(lines, all)
      assert.ok(dealersLines.every((id) => lines.some((line) => line.id === id)))
    })

    test('once the claim is no longer its to handle, the dealer that sold the unit reads only the lines it pays', async () => {
      const row = await world.database.db
        .selectFrom('claims')
        .select('final_decision')
        .where('id', '=', claimId)
        .executeTakeFirstOrThrow()
      const decision = JSON.parse(row.final_decision ?? '{}') as { handler: string }
      const toSeller = (handler: string) =>
        world.database.db
          .updateTable('claims')
          .set({ final_decision: JSON.stringify({ ...decision, handler }) })
          .where('id', '=', claimId)
          .execute()
      await toSeller('vendor')
      try {
        const lines = await linesAs(world.dealer)
        assert.deepEqual(lines.map((line) => line.id).sort(), dealersLines)
        assert.ok(lines.every((line) => line.payer === 'dealer'))
      } finally {
        await toSeller(decision.handler)
      }
    })

    test('the maker, which may not open the claim, reads the line its recovery cites and no other', async () => {
      const opened = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${claimId}`,
        headers: maker.headers,
      })
      assert.equal(opened.statusCode, 404, 'the claim stays the dealer’s')
      const lines = await linesAs(maker)
      assert.deepEqual(
        lines.map((line) => [line.id, line.kind, line.amountMinor]),
        [[citedPartsLine, 'parts', 12000]],
      )
    })

    test('another customer, another dealer and a maker with no recovery on the claim are told it does not exist', async () => {
      const aurora = await orgUser(world, ORG.aurora)
      for (const [name, party] of [
        ['another customer', world.otherCustomer],
        ['another dealer', world.otherDealer],
        ['a maker owed nothing on it', aurora],
      ] as const) {
        const response = await costLinesAs(party)
        assert.equal(response.statusCode, 404, `${name}: ${response.body}`)
        assert.doesNotMatch(response.body, /12000|cl-customer/)
      }
    })

    test('a claim nobody has is the same 404, for staff too', async () => {
      const response = await costLinesAs(world.staff, 'no-such-claim')
      assert.equal(response.statusCode, 404)
      assert.equal((response.json() as { error: { code: string } }).error.code, 'not-found')
    })
  })
}
