/**
 * Recovery derivation through the store, on claims the app itself decided and repaired, with
 * generated repair costs (kinds, payers, amounts). Whatever the costs:
 * - deriving the claim again, any number of times, changes nothing: no line, amount, draft,
 *   event, outcome or webhook is added or altered;
 * - a line citing a cost asks at most that cost (the Player One terms pay parts at cost), and
 *   only for a cost the creditor bore that the decision gave it; a cost the debtor itself paid,
 *   or the customer, is never asked of anyone;
 * - a recovery claim's lines and its costs are in its one currency;
 * - what the creditor's ledger says it is owed is, field by field, what the debtor's says it owes.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { testEngines } from '../../src/db/test-database.ts'
import type { RecoveryView } from '../../src/recoveries/recovery.schemas.ts'
import {
  act,
  type ClaimsWorld,
  inspectAndDecide,
  ORG,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  type Party,
  seedPlayerOneDealerUnit,
} from '../claims/claim-factories.ts'
import { orgUser, recoveriesOfClaim } from './recovery-factories.ts'

fc.configureGlobal({ ...fc.readConfigureGlobal(), includeErrorInReport: true })
const RUNS = Number(process.env.AFTERCARE_PROPERTY_RUNS ?? 0) || 12

const lineArb = fc.record({
  kind: fc.constantFrom('parts', 'parts', 'labour', 'return-shipping', 'inbound-shipping', 'duties'),
  description: fc.constantFrom('TEC cooler', 'Fan', 'Courier', 'Bench time'),
  quantity: fc.integer({ min: 1, max: 3 }),
  unitPriceMinor: fc.oneof(fc.integer({ min: 0, max: 40_000 }), fc.constantFrom(1, 4999, 5001)),
  payer: fc.constantFrom(undefined, 'dealer', 'manufacturer', 'customer', 'vendor'),
})

/**
 * Seed 004 through a dealer, the repair booked by service staff: only they may book a cost to
 * a payer other than the decision's, which is what puts costs the creditor did not bear here.
 */
async function seedRepairWithCosts(world: ClaimsWorld, lines: Record<string, unknown>[]): Promise<string> {
  const serial = await seedPlayerOneDealerUnit(world)
  const opened = await openClaimAs(world, world.dealer, openClaimBody(serial))
  await inspectAndDecide(world, opened.id, serial, 'player-one-zeus-455m-pro')
  await act(world, world.dealer, opened.id, 'start-repair')
  await act(world, world.staff, opened.id, 'complete-repair', { lines })
  return opened.id
}

interface CostLine {
  id: string
  kind: string
  amountMinor: number
  currency: string
  payer: string
}

/** Every row the recoveries feature keeps, and the mail and webhooks queued: what a second derivation must leave alone. */
async function snapshot(world: ClaimsWorld) {
  const db = world.database.db
  const [claims, lines, events, outcomes, hooks] = await Promise.all([
    db.selectFrom('recovery_claims').selectAll().orderBy('id').execute(),
    db.selectFrom('recovery_lines').selectAll().orderBy('id').execute(),
    db.selectFrom('recovery_events').selectAll().orderBy('recovery_id').orderBy('seq').execute(),
    db.selectFrom('recovery_outcomes').selectAll().orderBy('claim_id').execute(),
    db
      .selectFrom('outbox_messages')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow(),
  ])
  // Derivation times differ run to run; what was derived must not.
  return {
    claims,
    lines,
    events,
    outcomes: outcomes.map(({ derived_at: _at, ...rest }) => rest),
    outbox: Number(hooks.n),
  }
}

async function ledgerOf(world: ClaimsWorld, party: Party) {
  const response = await world.app.inject({
    method: 'GET',
    url: '/api/v1/recoveries/summary',
    headers: party.headers,
  })
  assert.equal(response.statusCode, 200, response.body)
  return (response.json() as { items: Record<string, unknown>[] }).items
}

for (const engine of testEngines()) {
  describe(`${engine}: recovery lines of generated repairs, through the store`, () => {
    let world: ClaimsWorld
    let playerOne: Party
    before(async () => {
      world = await openClaimsWorld(engine)
      playerOne = await orgUser(world, ORG.playerOne)
    })
    after(() => world.close())

    it('derives once whatever is asked, asks only what the creditor bore, in one currency, and both ledgers agree', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(lineArb, { minLength: 1, maxLength: 5 }), async (generated) => {
          const lines = generated.map(({ payer, ...line }) => (payer ? { ...line, payer } : line))
          const claimId = await seedRepairWithCosts(world, lines)
          const claim = await world.app.inject({
            method: 'GET',
            url: `/api/v1/claims/${claimId}`,
            headers: world.staff.headers,
          })
          const payers = (claim.json() as { finalDecision: { payers: Record<string, string | null> } })
            .finalDecision.payers
          const costs = (
            (
              await world.app.inject({
                method: 'GET',
                url: `/api/v1/claims/${claimId}/cost-lines`,
                headers: world.staff.headers,
              })
            ).json() as { items: CostLine[] }
          ).items

          const first = await snapshot(world)
          for (let again = 0; again < 2; again++) {
            const derived = await world.app.inject({
              method: 'POST',
              url: '/api/v1/recoveries/derive',
              headers: world.staff.headers,
              payload: { claimId },
            })
            assert.equal(derived.statusCode, 200, derived.body)
            assert.equal((derived.json() as { linesWritten: number }).linesWritten, 0)
          }
          assert.deepEqual(await snapshot(world), first, 'deriving again changed what was derived')

          const recoveries: RecoveryView[] = await recoveriesOfClaim(world, claimId)
          for (const recovery of recoveries) {
            assert.notEqual(recovery.creditor.id, recovery.debtor.id)
            assert.equal(recovery.creditor.id, ORG.starlight)
            for (const line of recovery.lines.filter((l) => l.claimId === claimId)) {
              assert.ok(Number.isSafeInteger(line.amountMinor) && line.amountMinor >= 0)
              for (const costId of line.evidence.costLineIds) {
                const cost = costs.find((c) => c.id === costId)
                assert.ok(cost, `line cites ${costId}, not a cost of the claim`)
                assert.equal(cost.payer, 'dealer', `a ${cost.payer}-paid cost asked of ${recovery.debtor.id}`)
                assert.equal(payers[cost.kind], 'dealer', `${cost.kind} is not the dealer's per the decision`)
                assert.equal(cost.currency, recovery.currency, 'a cost asked in another currency')
                assert.ok(
                  line.amountMinor <= cost.amountMinor,
                  `${line.amountMinor} asked of a ${cost.amountMinor} cost`,
                )
              }
            }
          }
          // A cost the maker or the customer paid, or one the decision gave another, is cited nowhere.
          const cited = new Set(recoveries.flatMap((r) => r.lines.flatMap((l) => l.evidence.costLineIds)))
          for (const cost of costs)
            if (cost.payer !== 'dealer' || payers[cost.kind] !== 'dealer')
              assert.ok(!cited.has(cost.id), cost.kind)

          // Owed to the dealer by Player One is owed by Player One to the dealer, to the unit.
          const key = (row: Record<string, unknown>, own: string, other: string) =>
            JSON.stringify([own, other, row.month, row.currency])
          const amounts = (row: Record<string, unknown>) => [
            row.owedMinor,
            row.submittedMinor,
            row.acceptedMinor,
            row.paidMinor,
            row.writtenOffMinor,
          ]
          const receivable = new Map(
            (await ledgerOf(world, world.dealer))
              .filter((r) => (r.counterparty as { id: string }).id === ORG.playerOne)
              .map((r) => {
                assert.equal(r.direction, 'receivable')
                return [key(r, ORG.starlight, ORG.playerOne), amounts(r)]
              }),
          )
          const payable = new Map(
            (await ledgerOf(world, playerOne))
              .filter((r) => (r.counterparty as { id: string }).id === ORG.starlight)
              .map((r) => {
                assert.equal(r.direction, 'payable')
                return [key(r, ORG.starlight, ORG.playerOne), amounts(r)]
              }),
          )
          assert.deepEqual(payable, receivable)
        }),
        { numRuns: RUNS },
      )
    })
  })
}
