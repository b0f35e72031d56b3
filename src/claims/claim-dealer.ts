import type { Actor } from '../auth/index.ts'
import type { Db } from '../db/database.ts'
import type { AppContext } from '../shared/app-context.ts'
import { findClaimForUpdate, touchClaim } from './claim.store.ts'
import { announceClaimEvent } from './claim-effects.ts'
import { appendClaimEvent, chainHeadColumns, chainHeadOf } from './claim-history.ts'
import {
  DEALER_SALE_CONFIRMED,
  DEALER_SALE_REFUSED,
  type DEALER_SALE_SOURCES,
} from './domain/claim-events.ts'
import { TERMINAL_STATES } from './domain/claim-lifecycle.ts'

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
  const open = await trx
    .selectFrom('claims')
    .select('id')
    .where('serial', '=', settled.serial)
    .where('state', 'not in', TERMINAL_STATES)
    .orderBy('id')
    .execute()
  const type = settled.outcome === 'confirmed' ? DEALER_SALE_CONFIRMED : DEALER_SALE_REFUSED
  let told = 0
  for (const { id } of open) {
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
    told += 1
  }
  return told
}
