import type { Kysely } from 'kysely'
import { type Actor, isStaff } from '../auth/index.ts'
import { claimIdPrefixOf } from '../contracts/claim-number.ts'
import type { Handler } from '../contracts/decision.ts'
import type { Db } from '../db/database.ts'
import type { Database } from '../db/schema.ts'
import { AppError } from '../shared/errors.ts'
import {
  type ClaimAccess,
  findClaim,
  findClaimAccess,
  findClaimDecisionAccess,
  findClaimsByIdPrefix,
  listEvents,
} from './claim.store.ts'
import type { ClaimsTable } from './claim.tables.ts'
import type { ClaimParty } from './domain/claim-lifecycle.ts'
import {
  type DealerHandled,
  dealerHandledOf,
  type MoneySight,
  moneySightOf,
  seesCustomerPayment,
} from './domain/money-sight.ts'

/** The lifecycle's view of an actor. Integrations (shops, ERPs) open and follow claims. */
export function toClaimParty(actor: Actor): ClaimParty {
  if (actor.role === 'customer') return 'customer'
  if (actor.role === 'dealer') return 'dealer'
  if (actor.role === 'integration') return 'integration'
  return 'staff'
}

/** Staff and integrations see every claim; a dealer the claims on its organisation's units; a customer their own. */
export function isClaimVisibleTo(
  claim: Pick<ClaimsTable, 'customer_id' | 'dealer_org_id'>,
  actor: Actor,
): boolean {
  if (isStaff(actor) || actor.role === 'integration') return true
  if (actor.role === 'dealer') return actor.orgId !== null && claim.dealer_org_id === actor.orgId
  if (actor.role === 'customer') return actor.customerId !== null && claim.customer_id === actor.customerId
  return false
}

/** True when the actor may see the claim: staff always, a dealer for its organisation's units, a customer for their own. */
export async function canActorSeeClaim(
  db: Kysely<Database>,
  actor: Actor,
  claimId: string,
): Promise<boolean> {
  const claim = await findClaimAccess(db, claimId)
  return claim !== undefined && isClaimVisibleTo(claim, actor)
}

/**
 * Of these claims, the ones the actor may open, read in a query per few hundred: for pages
 * that name claims of other records (a recovery's lines) and link only those the reader
 * would be let into.
 */
export async function claimIdsVisibleTo(
  db: Kysely<Database>,
  actor: Actor,
  claimIds: readonly string[],
): Promise<Set<string>> {
  const wanted = [...new Set(claimIds)]
  const visible = new Set<string>()
  for (let start = 0; start < wanted.length; start += 500) {
    const rows = await db
      .selectFrom('claims')
      .select(['id', 'customer_id', 'dealer_org_id'])
      .where('id', 'in', wanted.slice(start, start + 500))
      .execute()
    for (const row of rows) if (isClaimVisibleTo(row, actor)) visible.add(row.id)
  }
  return visible
}

/** The claim, or a 404 that does not reveal whether it exists. */
export function requireVisibleClaim<Claim extends Pick<ClaimsTable, 'customer_id' | 'dealer_org_id'>>(
  claim: Claim | undefined,
  actor: Actor,
  claimId: string,
): Claim {
  if (!claim || !isClaimVisibleTo(claim, actor))
    throw new AppError('not-found', { key: 'claim.not-found', params: { id: claimId } })
  return claim
}

/**
 * The claim an address names, by its id or by its number as customers read it (`C-0CA9E54A`),
 * or the same 404 as an unknown id. A number is looked for only among the claims the actor
 * may see, so another party's number answers as a number nobody has. Numbers are the id's
 * first eight hex digits and may be shared: when several of the actor's claims share one it
 * is a 409 listing their ids, which the actor may see anyway.
 */
export async function requireVisibleClaimByIdOrNumber(
  db: Kysely<Database>,
  actor: Actor,
  idOrNumber: string,
): Promise<ClaimsTable> {
  const prefix = claimIdPrefixOf(idOrNumber)
  if (prefix === undefined) return requireVisibleClaim(await findClaim(db, idOrNumber), actor, idOrNumber)
  const visible = (await findClaimsByIdPrefix(db, prefix)).filter((claim) => isClaimVisibleTo(claim, actor))
  if (visible.length > 1)
    throw new AppError(
      'conflict',
      {
        key: 'claim.number-shared',
        params: { number: idOrNumber.normalize('NFKC').trim(), count: visible.length },
      },
      { details: { claimIds: visible.map((claim) => claim.id) } },
    )
  const claim = visible[0]
  // Named by its number, the refusal says the number the reader typed.
  if (!claim)
    throw new AppError('not-found', {
      key: 'claim.number-not-found',
      params: { number: `C-${prefix.toUpperCase()}` },
    })
  return claim
}

/** The claim's parties, state and version, or the same 404: for routes that read nothing else of it. */
export async function requireClaimAccess(
  db: Kysely<Database>,
  actor: Actor,
  claimId: string,
): Promise<ClaimAccess> {
  return requireVisibleClaim(await findClaimAccess(db, claimId), actor, claimId)
}

/** Filters for listing the claims an actor may see. */
export function visibilityFilter(actor: Actor): { customerId?: string; dealerOrgId?: string } {
  if (actor.role === 'customer') return { customerId: actor.customerId ?? '\u0000none' }
  if (actor.role === 'dealer') return { dealerOrgId: actor.orgId ?? '\u0000none' }
  return {}
}

/** Who carries out the service by the claim's latest decision (final, else provisional); null before one. */
export function claimHandler(
  claim: Pick<ClaimsTable, 'final_decision' | 'provisional_decision'>,
): Handler | null {
  const latest = claim.final_decision ?? claim.provisional_decision
  return latest ? ((JSON.parse(latest) as { handler?: Handler }).handler ?? null) : null
}

/**
 * How much of the money of a claim it sees the actor sees (`MoneySight`): a dealer's hangs on
 * whether the claim's latest decision has it handle the claim, read only for a dealer.
 */
export async function claimMoneySight(
  db: Kysely<Database>,
  actor: Actor,
  claimId: string,
): Promise<MoneySight> {
  if (actor.role !== 'dealer') return moneySightOf(actor.role, null)
  const claim = await findClaimDecisionAccess(db, claimId)
  return moneySightOf(actor.role, claim ? claimHandler(claim) : null)
}

/** `DealerHandled` of the claim's present dealer from its whole history, whatever its sight. */
async function dealerHistoryOf(db: Db, claimId: string): Promise<DealerHandled> {
  const events = await listEvents(db, claimId)
  return dealerHandledOf(
    events.map((e) => ({
      seq: Number(e.seq),
      type: e.type,
      data: JSON.parse(e.data) as Record<string, unknown>,
    })),
  )
}

/**
 * A proof of payment (a bank slip with the payer's account) is the business of the payer and
 * of whoever is paid: the customer and those who see the claim's money whole (`MoneySight`). The dealer that
 * merely sold the unit sees the claim, not the customer's bank details.
 */
export function mayActorSeePaymentProofs(
  claim: Pick<ClaimsTable, 'customer_id' | 'dealer_org_id' | 'final_decision' | 'provisional_decision'>,
  actor: Actor,
): boolean {
  return isClaimVisibleTo(claim, actor) && seesCustomerPayment(moneySightOf(actor.role, claimHandler(claim)))
}

/**
 * Of a claim's proofs of payment, those the actor may see: `all` (`mayActorSeePaymentProofs`),
 * or the files named. A dealer handed off the claim sees the proofs of the quotes it sent while
 * it handled it (`DealerHandled`), whenever they came; any other reader none.
 */
export type ProofsInSight = 'all' | ReadonlySet<string>

const NO_PROOFS: ReadonlySet<string> = new Set()

async function proofsInSight(
  db: Db,
  actor: Actor,
  claimId: string,
  claim: Pick<ClaimsTable, 'customer_id' | 'dealer_org_id' | 'final_decision' | 'provisional_decision'>,
): Promise<ProofsInSight> {
  if (!isClaimVisibleTo(claim, actor)) return NO_PROOFS
  // A dealer, handling the claim or not, sees the proofs of the quotes it sent while it handled
  // it, not of the quotes the seller or another dealer made before or after.
  return actor.role === 'dealer' ? (await dealerHistoryOf(db, claimId)).proofs : 'all'
}

/**
 * What a dealer handled of the claim (`DealerHandled`) whether or not it handles the claim
 * now; null for any other reader. A quote's payment is the business of the customer, the
 * seller and whoever sent the quote: a dealer handling the claim after the seller or another
 * dealer quoted it is not party to that quote's money.
 */
export async function dealerHandledBy(db: Db, actor: Actor, claimId: string): Promise<DealerHandled | null> {
  return actor.role === 'dealer' ? dealerHistoryOf(db, claimId) : null
}

/** Whether the reader is a dealer that did not send this quote while it handled the claim (`dealerHandledBy`). */
export const isAnotherPartysQuote = (handled: DealerHandled | null, quoteId: string): boolean =>
  handled !== null && !handled.quotes.has(quoteId)

/**
 * Of a claim's proofs of payment, those a reader who may have a quote's payment sees: `all`
 * but for a dealer, which sees those of the quotes it sent while it handled the claim
 * (`dealerHandledBy`).
 */
export const paymentProofsInSight = (handled: DealerHandled | null): ProofsInSight => handled?.proofs ?? 'all'

/** Whether the actor may see this proof of payment of the claim named by id; false when it does not exist. */
export async function canActorSeePaymentProof(
  db: Db,
  actor: Actor,
  claimId: string,
  fileId: string,
): Promise<boolean> {
  const claim = await findClaimDecisionAccess(db, claimId)
  if (claim === undefined) return false
  const proofs = await proofsInSight(db, actor, claimId, claim)
  return proofs === 'all' || proofs.has(fileId)
}

/**
 * Whether the actor may see the claim and, for a listing that holds a proof of payment, which
 * proofs too, from one read of the claim. Its decisions (kilobytes each) are read only when
 * the answer hangs on them, for a dealer and a proof (and its history only for a dealer that
 * does not handle the claim); any other listing reads the parties only.
 */
export async function claimFileAccess(
  db: Db,
  actor: Actor,
  claimId: string,
  holdsProof: boolean,
): Promise<{ claim: boolean; proofs: ProofsInSight }> {
  if (holdsProof && actor.role === 'dealer') {
    const claim = await findClaimDecisionAccess(db, claimId)
    if (claim === undefined) return { claim: false, proofs: NO_PROOFS }
    return { claim: isClaimVisibleTo(claim, actor), proofs: await proofsInSight(db, actor, claimId, claim) }
  }
  const claim = await findClaimAccess(db, claimId)
  const visible = claim !== undefined && isClaimVisibleTo(claim, actor)
  // Without its decision a dealer is not known to handle the claim: no proofs, as it has none to see.
  return { claim: visible, proofs: visible && actor.role !== 'dealer' ? 'all' : NO_PROOFS }
}
