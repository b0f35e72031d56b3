import type { Actor } from '../auth/index.ts'
import type { WarrantyCase } from '../contracts/case.ts'
import type { Db } from '../db/database.ts'
import { findUnitBySerial, warrantyFactsForUnit } from '../registry/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { findClaimForUpdate, listOpenClaimIdsOfUnit, touchClaim } from './claim.store.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { announceClaimEvent } from './claim-effects.ts'
import { appendClaimEvent, chainHeadColumns, chainHeadOf } from './claim-history.ts'
import { commitClaimEvents } from './claim-transition.ts'
import { claimNumber } from './claim-view.ts'
import { decideClaimCase } from './decide-provisional.ts'
import {
  DEALER_SALE_CONFIRMED,
  DEALER_SALE_MOVED,
  DEALER_SALE_REFUSED,
  type DEALER_SALE_SOURCES,
  DECISION_PROVISIONAL,
} from './domain/claim-events.ts'
import { findTransitionByEvent, TERMINAL_STATES } from './domain/claim-lifecycle.ts'

/**
 * A dealer that confirms it sold a unit becomes the dealer of the unit's claims opened while
 * the sale waited for it: from then on it sees them and serves them as the seed's "served by
 * the dealer when bought from one" says. The registry keeps the sale's answer; each open
 * claim's history says it (`settleDealerSaleOnClaims`).
 */
export async function giveClaimsToConfirmedDealer(
  trx: Db,
  serial: string,
  dealerOrgId: string,
): Promise<number> {
  const result = await trx
    .updateTable('claims')
    .set({ dealer_org_id: dealerOrgId })
    .where('serial', '=', serial)
    .where('dealer_org_id', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

/** How a sale a customer said a dealer made was settled, as the unit's claims record it. */
export interface DealerSaleSettlement {
  serial: string
  outcome: 'confirmed' | 'refused'
  /** The dealer whose sale it now is (confirmed), or the one that did not make it (refused). */
  dealer: { id: string; name: string }
  source: (typeof DEALER_SALE_SOURCES)[number]
  /** The dealer the customer named, when the seller's records confirmed the sale for another. */
  statedDealerName?: string
  /** The unit's model and seller, for the customer's e-mail. */
  model?: string | null
  sellerName?: string | null
  actor: Actor
  at: string
}

/**
 * Settles a sale a customer said a dealer made on the unit's claims, in the caller's
 * transaction: on a confirmation the dealer becomes their dealer, and every open claim of the
 * unit gets an event saying what was settled, by whom, appended to its chain (so the customer
 * reads it in the history in their language). On a refusal the customer of each open claim is
 * e-mailed that the dealer did not sell the unit and the seller handles the claim.
 * Answers how many open claims were told.
 */
export async function settleDealerSaleOnClaims(
  ctx: Pick<AppContext, 'policies' | 'engine'>,
  trx: Db,
  settled: DealerSaleSettlement,
): Promise<number> {
  if (settled.outcome === 'confirmed')
    await giveClaimsToConfirmedDealer(trx, settled.serial, settled.dealer.id)
  const open = await listOpenClaimIdsOfUnit(trx, settled.serial)
  const type = settled.outcome === 'confirmed' ? DEALER_SALE_CONFIRMED : DEALER_SALE_REFUSED
  let told = 0
  for (const id of open) {
    const claim = await findClaimForUpdate(trx, id, ctx.engine === 'postgres')
    if (!claim) continue
    const event = await appendClaimEvent(
      trx,
      {
        claimId: id,
        type,
        at: settled.at,
        actor: settled.actor,
        data: {
          dealerOrgId: settled.dealer.id,
          dealerName: settled.dealer.name,
          source: settled.source,
          ...(settled.statedDealerName ? { statedDealerName: settled.statedDealerName } : {}),
        },
      },
      chainHeadOf(claim),
    )
    await touchClaim(trx, id, settled.at, chainHeadColumns(event))
    await announceClaimEvent(
      ctx,
      trx,
      { ...claim, ...chainHeadColumns(event), updated_at: settled.at },
      {
        type,
        at: settled.at,
        actor: settled.actor,
        webhook: { dealerOrgId: settled.dealer.id, source: settled.source },
        // Only a refusal changes what the customer expects: the dealer they named will not serve them.
        ...(settled.outcome === 'refused'
          ? {
              email: {
                dealerName: settled.dealer.name,
                serial: claim.serial,
                ...(claim.model || settled.model ? { model: claim.model ?? settled.model } : {}),
                ...(settled.sellerName ? { sellerName: settled.sellerName } : {}),
                by: settled.source === 'dealer' ? 'dealer' : 'seller',
              },
            }
          : {}),
      },
    )
    await restateSaleOnClaim(ctx, trx, id, settled.actor, settled.at)
    told += 1
  }
  return told
}

/**
 * Restates the unit's sale (channel, shipper) on an open claim's case as the registry now
 * reads it, in the caller's transaction, once a dealer sale was settled or moved: the case
 * was taken while the sale read otherwise, and a claim the dealer now serves would still be
 * decided, paid for and shipped as the seller's. A claim that may still be decided
 * provisionally (its unit not yet sent in) is decided again on the restated case
 * (`decision.provisional` on its chain); any other keeps its decision, and the restated
 * case is what a decision taken again reads.
 * Answers the claim's row as it now stands.
 */
async function restateSaleOnClaim(
  ctx: Pick<AppContext, 'policies' | 'engine'>,
  trx: Db,
  claimId: string,
  actor: Actor,
  at: string,
): Promise<ClaimsTable | undefined> {
  const claim = await findClaimForUpdate(trx, claimId, ctx.engine === 'postgres')
  const unit = claim ? await findUnitBySerial(trx, claim.serial) : undefined
  if (!claim || !unit) return claim
  const stored = JSON.parse(claim.case_json) as { purchase: WarrantyCase['purchase'] }
  const { channel, shippedBy } = warrantyFactsForUnit(unit).purchase
  if (stored.purchase.channel === channel && stored.purchase.shippedBy === shippedBy) return claim
  const { shippedBy: _before, ...purchase } = stored.purchase
  const caseJson = JSON.stringify({
    ...stored,
    purchase: { ...purchase, channel, ...(shippedBy ? { shippedBy } : {}) },
  })
  // Only where the claim may still be decided provisionally: a return already authorised was
  // sent where the decision in force said, and a decision after inspection stands.
  const redecides = (
    findTransitionByEvent(DECISION_PROVISIONAL)?.from as readonly string[] | undefined
  )?.includes(claim.state)
  if (claim.final_decision !== null || !redecides) {
    await trx.updateTable('claims').set({ case_json: caseJson }).where('id', '=', claimId).execute()
    return { ...claim, case_json: caseJson }
  }
  const decision = decideClaimCase(ctx, claim, caseJson)
  return commitClaimEvents(ctx, trx, claim, actor, at, [
    {
      type: DECISION_PROVISIONAL,
      data: { decision },
      patch: { case_json: caseJson },
      webhook: { covered: decision.covered },
    },
  ])
}

/** A confirmed sale the seller's records now give another dealer, or none. */
export interface DealerSaleMove {
  serial: string
  /** The dealer the unit's sale now names; null for the seller's own sale. */
  dealer: { id: string; name: string } | null
  source: (typeof DEALER_SALE_SOURCES)[number]
  actor: Actor
  at: string
}

/**
 * Moves the unit's open claims to the dealer its sale now names, in the caller's transaction:
 * the claim's dealer sees and serves it, so it follows the sale as a confirmation gives it.
 * Each claim that changes hands records the move, with the dealer it had before, on its
 * chain. Closed and cancelled claims keep the dealer that served them, as their history
 * says. Answers how many claims moved.
 */
export async function moveOpenClaimsToDealer(
  ctx: Pick<AppContext, 'policies' | 'engine'>,
  trx: Db,
  move: DealerSaleMove,
): Promise<number> {
  const newDealer = move.dealer?.id ?? null
  const open = await trx
    .selectFrom('claims as c')
    .leftJoin('organisations as d', 'd.id', 'c.dealer_org_id')
    .select(['c.id', 'd.name as dealer_name'])
    .where('c.serial', '=', move.serial)
    .where('c.state', 'not in', TERMINAL_STATES)
    .where((eb) =>
      newDealer === null
        ? eb('c.dealer_org_id', 'is not', null)
        : eb.or([eb('c.dealer_org_id', 'is', null), eb('c.dealer_org_id', '!=', newDealer)]),
    )
    .orderBy('c.id')
    .execute()
  let moved = 0
  for (const { id, dealer_name } of open) {
    const claim = await findClaimForUpdate(trx, id, ctx.engine === 'postgres')
    // Closed, or already the new dealer's, since the list was read.
    if (
      !claim ||
      (TERMINAL_STATES as readonly string[]).includes(claim.state) ||
      claim.dealer_org_id === newDealer
    )
      continue
    const previous = claim.dealer_org_id
    const event = await appendClaimEvent(
      trx,
      {
        claimId: id,
        type: DEALER_SALE_MOVED,
        at: move.at,
        actor: move.actor,
        data: {
          dealerOrgId: newDealer,
          dealerName: move.dealer?.name ?? null,
          previousDealerOrgId: previous,
          previousDealerName: previous === null ? null : (dealer_name ?? previous),
          source: move.source,
        },
      },
      chainHeadOf(claim),
    )
    await trx.updateTable('claims').set({ dealer_org_id: newDealer }).where('id', '=', id).execute()
    await touchClaim(trx, id, move.at, chainHeadColumns(event))
    // Decided again before the move is told: the new dealer learns whether the decision it
    // will read has it serve the claim.
    const restated = await restateSaleOnClaim(ctx, trx, id, move.actor, move.at)
    await announceClaimEvent(
      ctx,
      trx,
      restated ?? { ...claim, dealer_org_id: newDealer, ...chainHeadColumns(event), updated_at: move.at },
      {
        type: DEALER_SALE_MOVED,
        at: move.at,
        actor: move.actor,
        webhook: { dealerOrgId: newDealer, previousDealerOrgId: previous, source: move.source },
        // The new dealer's users are told (`dealer.claim-moved`); the customer has no template for it.
        email: {},
      },
    )
    moved += 1
  }
  return moved
}

/**
 * The dealers of the open claims, by serial: few beside the units, so an import of the
 * seller's sales holds them all to tell which rows move a claim.
 */
export async function findOpenClaimDealers(db: Db): Promise<Map<string, (string | null)[]>> {
  const rows = await db
    .selectFrom('claims')
    .select(['serial', 'dealer_org_id'])
    .where('state', 'not in', TERMINAL_STATES)
    .execute()
  const bySerial = new Map<string, (string | null)[]>()
  for (const row of rows) bySerial.set(row.serial, [...(bySerial.get(row.serial) ?? []), row.dealer_org_id])
  return bySerial
}

/** The open claims of these units, by serial, oldest first: id and number, for staff to open. */
export async function findOpenClaimsOf(
  db: Db,
  serials: readonly string[],
): Promise<Map<string, { id: string; number: string }[]>> {
  const bySerial = new Map<string, { id: string; number: string }[]>()
  if (serials.length === 0) return bySerial
  const rows = await db
    .selectFrom('claims')
    .select(['id', 'serial'])
    .where('serial', 'in', serials)
    .where('state', 'not in', TERMINAL_STATES)
    .orderBy('opened_at')
    .orderBy('id')
    .execute()
  for (const row of rows)
    bySerial.set(row.serial, [...(bySerial.get(row.serial) ?? []), { id: row.id, number: claimNumber(row) }])
  return bySerial
}
