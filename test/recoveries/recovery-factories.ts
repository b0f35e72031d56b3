import assert from 'node:assert/strict'
import { createTestUser } from '../../src/auth/test-support.ts'
import {
  type FreightLeg,
  type RecoveryTerms,
  recoveryTermsSchema,
} from '../../src/recoveries/domain/recovery-terms.ts'
import type { RecoveryView } from '../../src/recoveries/recovery.schemas.ts'
import {
  act,
  addDays,
  type ClaimsWorld,
  fullInspection,
  inspectAndDecide,
  ORG,
  openClaimAs,
  openClaimBody,
  type Party,
  packageOf,
  seedPlayerOneDealerUnit,
  seedRetailerUnit,
  seedUnit,
  TODAY,
} from '../claims/claim-factories.ts'

/** A user of an organisation (maker, supplier, distributor): the party on the other side of a recovery. */
export async function orgUser(world: ClaimsWorld, orgId: string): Promise<Party> {
  const user = await createTestUser(world.database.db, { role: 'dealer', orgId })
  return { ...user, orgId }
}

/** A cost the dealer records on completing the repair, as `complete-repair` takes it. */
interface RepairLine {
  kind: string
  description: string
  quantity: number
  unitPriceMinor: number
  payer?: string
}

/** Seed 004 through a dealer: the dealer repairs in warranty with a part it fitted. */
export async function seedDealerWarrantyRepair(
  world: ClaimsWorld,
  lines: RepairLine[] = [
    { kind: 'parts', description: 'TEC cooler module', quantity: 1, unitPriceMinor: 12000 },
    { kind: 'labour', description: 'Bench time', quantity: 3, unitPriceMinor: 5000 },
  ],
): Promise<string> {
  const serial = await seedPlayerOneDealerUnit(world)
  const opened = await openClaimAs(world, world.dealer, openClaimBody(serial))
  const decided = await inspectAndDecide(world, opened.id, serial, 'player-one-zeus-455m-pro')
  assert.equal(decided.finalDecision?.handler, 'dealer')
  await act(world, world.dealer, opened.id, 'start-repair')
  await act(world, world.dealer, opened.id, 'complete-repair', { lines })
  return opened.id
}

/** Seed 002: an agent-brand mount in warranty, sent on to the maker's service centre. */
export async function seedForwardedAgentUnit(world: ClaimsWorld): Promise<string> {
  const model = 'aurora-mounts-aurora-am5-harmonic-mount'
  const serial = await seedUnit(world, {
    model,
    policy: 'shenzhen-service',
    sellerOrgId: ORG.shenzhen,
    purchasedOn: addDays(TODAY, -100),
  })
  const opened = await openClaimAs(
    world,
    world.customer,
    openClaimBody(serial, { problem: { kind: 'malfunction', description: 'RA axis stalls under load' } }),
  )
  const decided = await inspectAndDecide(world, opened.id, serial, model)
  assert.equal(decided.finalDecision?.covered, true)
  await act(world, world.staff, opened.id, 'forward-to-maker', {
    carrier: 'SF Express',
    trackingNumber: 'SF1001',
  })
  return opened.id
}

/** Seed 001: the shop refunds a dead-on-arrival Player One camera. */
export async function seedRetailerDoaRefund(world: ClaimsWorld, amountMinor = 129900): Promise<string> {
  const claimId = await seedRetailerDoaDecided(world)
  await act(world, world.staff, claimId, 'issue-refund', { amountMinor, reference: 'PSP-77' })
  return claimId
}

/** Seed 001: a dead-on-arrival Player One camera the shop has decided to refund. */
export async function seedRetailerDoaDecided(world: ClaimsWorld): Promise<string> {
  const serial = await seedRetailerUnit(world)
  const opened = await openClaimAs(
    world,
    world.customer,
    openClaimBody(serial, {
      preference: 'refund',
      evidence: ['package-photos', 'shipping-slip', 'defect-media'],
    }),
  )
  const decided = await inspectAndDecide(world, opened.id, serial, 'player-one-ares-c-pro')
  assert.equal(decided.finalDecision?.remedies[0], 'refund')
  return opened.id
}

/**
 * Seed 003 through a distributor, out of warranty: the customer pays the parts, and the
 * distributor promises the labour free of charge on its own.
 */
export async function seedIstDistributorPromise(world: ClaimsWorld): Promise<string> {
  const model = 'beijing-ist-ist-obspc-mini'
  const serial = await seedUnit(world, {
    model,
    policy: 'ist',
    sellerOrgId: ORG.ist,
    channel: 'dealer',
    dealerOrgId: ORG.prairie,
    purchasedOn: addDays(TODAY, -700),
  })
  const opened = await openClaimAs(world, world.customer, openClaimBody(serial))
  const decided = await inspectAndDecide(world, opened.id, serial, model)
  assert.equal(decided.finalDecision?.covered, false)
  const quoted = await act(world, world.staff, opened.id, 'send-quote', {
    lines: [
      { kind: 'parts', description: 'Mainboard', quantity: 1, unitPriceMinor: 20000 },
      {
        kind: 'labour',
        description: 'Labour, free as promised by the distributor',
        quantity: 1,
        unitPriceMinor: 8000,
        payer: 'dealer',
      },
    ],
  })
  await act(world, world.customer, opened.id, 'accept-quote', { quoteId: quoted.quote?.id })
  await act(world, world.staff, opened.id, 'record-payment', {
    amountMinor: quoted.quote?.customerTotalMinor,
  })
  await act(world, world.staff, opened.id, 'start-repair')
  await act(world, world.staff, opened.id, 'complete-repair', { lines: [] })
  return opened.id
}

export async function listRecoveriesAs(
  world: ClaimsWorld,
  party: Party,
  query = '',
): Promise<{ items: RecoveryView[]; next: string | null }> {
  const response = await world.app.inject({
    method: 'GET',
    url: `/api/v1/recoveries${query}`,
    headers: party.headers,
  })
  assert.equal(response.statusCode, 200, response.body)
  return response.json() as { items: RecoveryView[]; next: string | null }
}

export async function recoveriesOfClaim(world: ClaimsWorld, claimId: string): Promise<RecoveryView[]> {
  return (await listRecoveriesAs(world, world.staff, `?claimId=${claimId}`)).items
}

/** Reads the recovery claim for its ETag and takes one step as the party; answers the raw response. */
export async function tryStep(
  world: ClaimsWorld,
  party: Party,
  id: string,
  action: string,
  body: Record<string, unknown> = {},
) {
  const read = await world.app.inject({
    method: 'GET',
    url: `/api/v1/recoveries/${id}`,
    headers: world.staff.headers,
  })
  return world.app.inject({
    method: 'POST',
    url: `/api/v1/recoveries/${id}/${action}`,
    headers: { ...party.headers, 'if-match': String(read.headers.etag) },
    payload: body,
  })
}

export async function step(
  world: ClaimsWorld,
  party: Party,
  id: string,
  action: string,
  body: Record<string, unknown> = {},
): Promise<RecoveryView> {
  const response = await tryStep(world, party, id, action, body)
  assert.equal(response.statusCode, 200, `${action}: ${response.body}`)
  return response.json() as RecoveryView
}

/** An agent-brand mount: only those go on to their maker's service centre. */
export const AGENT_MOUNT = 'aurora-mounts-aurora-am5-harmonic-mount'

/** Terms that pay whoever handles the claim a flat 25.00 for each of these legs. */
export const flatLegsTerms = (legs: FreightLeg[]): RecoveryTerms =>
  recoveryTermsSchema.parse({
    kind: 'recovery-terms',
    id: 'maker-legs',
    version: '1',
    title: 'Legs to and from the maker',
    source: 'A contract',
    effectiveFrom: '2020-01-01',
    effectiveTo: null,
    debtor: 'brand',
    creditor: 'handler',
    currency: 'USD',
    appliesTo: { policies: ['player-one'] },
    submitWithinDays: 30,
    returnPart: false,
    costs: [{ key: 'legs', kind: 'freight', text: 'The legs', legs, flatMinor: 2500 }],
  })

/** The moments between the steps of `seedClaimConfirmedAtTheMaker`, before the step named. */
export type MakerClaimGap = 'forward' | 'confirm' | 'return' | 'inspection' | 'decision'

/**
 * A claim on an agent-brand mount its buyer says a dealer sold, the sale not yet confirmed:
 * decided as the seller's and forwarded to the maker; the dealer confirms the sale while the
 * unit is there; back from the maker, inspected and decided again, now as the dealer's. The
 * clock moves on by `hoursBefore` each step.
 */
export async function seedClaimConfirmedAtTheMaker(
  world: ClaimsWorld,
  hoursBefore: (gap: MakerClaimGap) => number,
): Promise<{ serial: string; claimId: string }> {
  const wait = (gap: MakerClaimGap) => {
    world.clock.now = new Date(world.clock.now.getTime() + hoursBefore(gap) * 60 * 60 * 1000)
  }
  // Seed 004's "served by the dealer when bought from one", for a unit its buyer says the
  // dealer sold and the dealer has not confirmed yet.
  const serial = await seedUnit(world, {
    model: AGENT_MOUNT,
    policy: 'player-one',
    sellerOrgId: ORG.playerOne,
    channel: 'dealer',
    dealerOrgId: ORG.starlight,
    dealerConfirmed: false,
    purchasedOn: addDays(TODAY, -200),
  })
  const claimId = (await openClaimAs(world, world.customer, openClaimBody(serial))).id
  const first = await inspectAndDecide(world, claimId, serial, AGENT_MOUNT)
  assert.notEqual(first.finalDecision?.handler, 'dealer')
  wait('forward')
  await act(world, world.staff, claimId, 'forward-to-maker', { carrier: 'DHL', trackingNumber: 'DHL-FWD' })
  wait('confirm')
  const confirmed = await world.app.inject({
    method: 'POST',
    url: `/api/v1/dealer-desk/sale-confirmations/${serial}/confirm`,
    headers: world.dealer.headers,
  })
  assert.equal(confirmed.statusCode, 200, confirmed.body)
  wait('return')
  await act(world, world.staff, claimId, 'return-from-maker')
  wait('inspection')
  await act(
    world,
    world.staff,
    claimId,
    'record-inspection',
    fullInspection(serial, await packageOf(world, AGENT_MOUNT)),
  )
  wait('decision')
  const again = await act(world, world.staff, claimId, 'make-decision')
  assert.equal(again.finalDecision?.handler, 'dealer')
  return { serial, claimId }
}
