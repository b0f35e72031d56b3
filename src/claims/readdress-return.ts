import { isDeepStrictEqual } from 'node:util'
import type { z } from 'zod'
import type { Actor } from '../auth/index.ts'
import type { Decision } from '../contracts/decision.ts'
import type { Db } from '../db/database.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { addressLine, findShipTo } from './authorize-return.ts'
import type { noteBody, rmaView } from './claim.schemas.ts'
import { findClaimForUpdate } from './claim.store.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { commitClaimEvents, type PreparedEvent, runClaimTransition } from './claim-transition.ts'
import { claimNumber } from './claim-view.ts'
import { RMA_READDRESSED } from './domain/claim-events.ts'

type Rma = z.infer<typeof rmaView>
type ReaddressReason = 'staff' | 'dealer-deactivated'

/**
 * Where an authorised return goes now, and the event that sends it there, which is undefined
 * when it is addressed there already. The RMA keeps its number, items and freight payer: only
 * the address, and the dealer served instead of, change. Undefined without an RMA or decision.
 */
async function prepareReaddress(
  trx: Db,
  claim: ClaimsTable,
  reason: ReaddressReason,
  note: string | undefined,
): Promise<{ rma: Rma; address: Rma['shipTo']; event: PreparedEvent | undefined } | undefined> {
  const rma = JSON.parse(claim.rma_json ?? 'null') as Rma | null
  const decision = JSON.parse(claim.provisional_decision ?? 'null') as Decision | null
  if (!rma || !decision) return undefined
  const { address, servedInsteadOf } = await findShipTo(trx, claim, decision)
  if (isDeepStrictEqual(address, rma.shipTo)) return { rma, address, event: undefined }
  const { servedInsteadOf: _before, ...rest } = rma
  const next: Rma = { ...rest, shipTo: address, ...(servedInsteadOf ? { servedInsteadOf } : {}) }
  const event: PreparedEvent = {
    data: {
      rmaNumber: rma.number,
      shipTo: address,
      previousShipTo: rma.shipTo,
      ...(servedInsteadOf ? { servedInsteadOf: servedInsteadOf.name } : {}),
      reason,
      ...(note ? { note } : {}),
    },
    patch: { rma_json: JSON.stringify(next) },
    email: {
      rmaNumber: rma.number,
      shipTo: addressLine(address),
      shipToAddress: address,
      previousShipTo: addressLine(rma.shipTo),
      reason,
      ...(servedInsteadOf ? { servedInsteadOf: servedInsteadOf.name } : {}),
    },
  }
  return { rma, address, event }
}

/**
 * Staff send an authorised return where the claim is served now: after the service address
 * changed, or the dealer it was addressed to stopped serving. Refused when it goes there already.
 */
export function readdressReturn(
  ctx: AppContext,
  actor: Actor,
  claimId: string,
  version: number,
  input: z.output<typeof noteBody>,
): Promise<ClaimsTable> {
  return runClaimTransition(ctx, actor, claimId, 'readdress-return', version, async ({ trx, claim }) => {
    const readdress = await prepareReaddress(trx, claim, 'staff', input.note)
    if (!readdress?.event)
      throw new AppError('conflict', {
        key: 'claims.rma.address-unchanged',
        params: { name: readdress?.rma.shipTo.name ?? '' },
      })
    return readdress.event
  })
}

/** A return sent elsewhere when its dealer was deactivated, for the one who deactivated it to follow. */
export interface ReaddressedReturn {
  claimId: string
  claimNumber: string
  rmaNumber: string
  shipTo: string
}

/**
 * In the deactivation's transaction: every return authorised to the dealer and not yet
 * received goes to whoever serves the claim now (the seller, see `findShipTo`), each claim
 * recording it on its chain and its customer told the new address. A unit already received,
 * or a pickup arranged, is left as it is.
 */
export async function readdressReturnsOfDealer(
  ctx: Pick<AppContext, 'policies' | 'engine'>,
  trx: Db,
  dealerOrgId: string,
  actor: Actor,
  at: string,
): Promise<ReaddressedReturn[]> {
  const authorised = await trx
    .selectFrom('claims')
    .select('id')
    .where('dealer_org_id', '=', dealerOrgId)
    .where('state', '=', 'authorized')
    .orderBy('id')
    .execute()
  const readdressed: ReaddressedReturn[] = []
  for (const { id } of authorised) {
    const claim = await findClaimForUpdate(trx, id, ctx.engine === 'postgres')
    if (claim?.state !== 'authorized') continue
    const readdress = await prepareReaddress(trx, claim, 'dealer-deactivated', undefined)
    if (!readdress?.event) continue
    await commitClaimEvents(ctx, trx, claim, actor, at, [{ type: RMA_READDRESSED, ...readdress.event }])
    readdressed.push({
      claimId: claim.id,
      claimNumber: claimNumber(claim),
      rmaNumber: readdress.rma.number,
      shipTo: readdress.address.name,
    })
  }
  return readdressed
}
