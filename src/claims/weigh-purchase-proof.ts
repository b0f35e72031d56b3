import type { z } from 'zod'
import type { Actor } from '../auth/index.ts'
import type { Db } from '../db/database.ts'
import {
  addProofOfPurchase,
  findUnitBySerial,
  findUnitProof,
  listOfferedUnitProofs,
  nameOwnerOfUnownedUnit,
  settleUnitProof,
} from '../registry/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import type { acceptPurchaseProofBody, refusePurchaseProofBody } from './claim.schemas.ts'
import { findClaimForUpdate, listOpenClaimIdsOfUnit } from './claim.store.ts'
import type { ClaimsTable } from './claim.tables.ts'
import {
  type CommittedEvent,
  commitClaimEvents,
  type PreparedEvent,
  runClaimTransition,
  type TransitionContext,
} from './claim-transition.ts'
import {
  PROOF_OF_PURCHASE,
  proofOfferedOn,
  purchaseUnproven,
  withProofWeighed,
} from './domain/case-evidence.ts'
import {
  DECISION_MADE,
  INFO_REQUESTED,
  PURCHASE_PROOF_ACCEPTED,
  PURCHASE_PROOF_REFUSED,
} from './domain/claim-events.ts'
import { checkTransition } from './domain/claim-lifecycle.ts'
import { decideWithInspection, decisionEmail } from './make-decision.ts'
import { insertInfoRequestMessage } from './thread.ts'

const WEIGHED = [PURCHASE_PROOF_ACCEPTED, PURCHASE_PROOF_REFUSED] as const

/**
 * Staff find valid a proof of purchase the claimant sent with the claim or in its thread, or
 * the one its owner filed with their registration of the unit: the document joins (or is
 * accepted among) the unit's proofs of purchase (the unit's purchase is proven for every
 * claim on it), the case's purchase is proven, and, asked to, staff name the claimant the
 * owner of a unit nobody owns. All in the step's transaction.
 */
export function acceptPurchaseProof(
  ctx: AppContext,
  actor: Actor,
  claimId: string,
  version: number,
  input: z.output<typeof acceptPurchaseProofBody>,
): Promise<ClaimsTable> {
  return runClaimTransition(ctx, actor, claimId, 'accept-purchase-proof', version, async (tc) => {
    const proof = await requireUnweighedProof(tc, input.fileId)
    let ownerCustomerId: string | undefined
    if (input.nameOwner) ownerCustomerId = await ownerToName(tc)
    const provenCase = withProofWeighed(tc.claim.case_json, 'accepted', false)
    return {
      data: {
        fileId: input.fileId,
        ...(ownerCustomerId ? { ownerCustomerId } : {}),
        ...(input.note ? { note: input.note } : {}),
      },
      patch: { case_json: provenCase },
      // The customer hears their document was found valid; the mail names nothing more.
      email: {},
      followedBy: decisionAgain(ctx, tc, provenCase, input.fileId),
      write: async (trx) => {
        if (proof.onUnit) await settleOnUnit(ctx, trx, tc, input.fileId, 'accepted')
        else
          await addProofOfPurchase(
            trx,
            tc.claim.serial,
            { fileId: input.fileId, addedByUserId: proof.uploadedBy, acceptedByUserId: tc.actor.userId },
            tc.at,
          )
        if (ownerCustomerId && !(await nameOwnerOfUnownedUnit(trx, tc.claim.serial, ownerCustomerId, tc.at)))
          throw ownedByAnother(tc.claim.serial)
      },
    }
  })
}

/**
 * A claim decided without the proof just found valid is decided again, on the same
 * inspection, while nothing has followed the decision yet (no quote sent, no repair begun):
 * a decision that says "no proof of purchase" must not stand beside a proof accepted. Later,
 * what followed stands, and the history shows the proof accepted after the decision.
 */
function decisionAgain(
  ctx: AppContext,
  tc: TransitionContext,
  provenCase: string,
  fileId: string,
): CommittedEvent[] {
  const { claim } = tc
  if (tc.facts.state !== 'decided' || claim.final_decision === null || claim.inspection === null) return []
  const decision = decideWithInspection(ctx, claim, JSON.parse(provenCase), claim.inspection)
  return [
    {
      type: DECISION_MADE,
      data: { decision, purchaseProofAccepted: { fileId } },
      email: decisionEmail(decision),
    },
  ]
}

/**
 * Staff find a proof of purchase the claimant offered not valid, saying why. The case's
 * purchase stays unproven; the customer is told the reason and, where the claim can wait for
 * them, asked in the thread for another proof, which their answer offers as the first was.
 */
export function refusePurchaseProof(
  ctx: AppContext,
  actor: Actor,
  claimId: string,
  version: number,
  input: z.output<typeof refusePurchaseProofBody>,
): Promise<ClaimsTable> {
  return runClaimTransition(
    ctx,
    actor,
    claimId,
    'refuse-purchase-proof',
    version,
    async (tc): Promise<PreparedEvent> => {
      const proof = await requireUnweighedProof(tc, input.fileId)
      const stillOffered = (await unweighedProofs(tc.trx, tc.claim)).some((id) => id !== input.fileId)
      // The refusal opens a turn in the thread, so the customer answers it with another proof
      // (and the clocks wait for them), unless the claim waits for their answer already.
      const asks = !stillOffered && checkTransition(tc.facts, 'request-info', 'staff').ok
      return {
        data: { fileId: input.fileId, reason: input.reason, stillOffered },
        patch: { case_json: withProofWeighed(tc.claim.case_json, 'refused', stillOffered) },
        email: { reason: input.reason },
        ...(proof.onUnit
          ? { write: (trx: Db) => settleOnUnit(ctx, trx, tc, input.fileId, 'refused', input.reason) }
          : {}),
        ...(asks
          ? {
              followedBy: [
                {
                  type: INFO_REQUESTED,
                  data: { request: input.reason },
                  write: (trx: Db) => insertInfoRequestMessage(trx, tc, input.reason),
                },
              ],
            }
          : {}),
      }
    },
  )
}

/**
 * The claim's file sent as its proof of purchase, or the proof its unit's owner filed with
 * their registration, not weighed yet, on a claim whose purchase is not proven: another file is
 * a 400 naming `fileId`; one weighed (on this claim or on the unit), or a purchase proven, a 409.
 */
async function requireUnweighedProof(
  tc: TransitionContext,
  fileId: string,
): Promise<{ uploadedBy: string; onUnit: boolean }> {
  const file = await tc.trx
    .selectFrom('files')
    .select(['id', 'uploaded_by'])
    .where('id', '=', fileId)
    .where('claim_id', '=', tc.claim.id)
    .where('kind', '=', PROOF_OF_PURCHASE)
    .executeTakeFirst()
  const onUnit = file ? undefined : await findUnitProof(tc.trx, tc.claim.serial, fileId)
  if (!file && !onUnit)
    throw new AppError(
      'validation',
      { key: 'claims.purchase-proof.not-on-claim', params: { field: 'fileId', id: fileId } },
      { field: 'fileId' },
    )
  const verdict =
    (await weighedProofs(tc.trx, tc.claim.id)).get(fileId) ??
    (onUnit?.status === 'accepted'
      ? PURCHASE_PROOF_ACCEPTED
      : onUnit?.status === 'refused'
        ? PURCHASE_PROOF_REFUSED
        : undefined)
  if (verdict) throw alreadyWeighed(verdict, fileId)
  if (!purchaseUnproven(tc.claim.case_json))
    throw new AppError(
      'conflict',
      { key: 'claims.purchase-proof.already-proven', params: { field: 'fileId' } },
      { field: 'fileId' },
    )
  return file
    ? { uploadedBy: file.uploaded_by, onUnit: false }
    : { uploadedBy: onUnit?.addedByUserId ?? tc.actor.userId, onUnit: true }
}

/** A 409 naming the file staff weighed already, saying what they found. */
const alreadyWeighed = (verdict: string, fileId: string) =>
  new AppError(
    'conflict',
    {
      key:
        verdict === PURCHASE_PROOF_ACCEPTED || verdict === 'accepted'
          ? 'claims.purchase-proof.already-accepted'
          : 'claims.purchase-proof.already-refused',
      params: { field: 'fileId', id: fileId },
    },
    { field: 'fileId' },
  )

/**
 * The unit's proof weighed on the claim: one outcome, recorded on the unit in the step's
 * transaction, and on every other open claim of the unit waiting on the same proof (a claim
 * staff opened beside this one), as a verdict in the unit's queue is.
 */
async function settleOnUnit(
  ctx: Pick<AppContext, 'policies' | 'engine'>,
  trx: Db,
  tc: TransitionContext,
  fileId: string,
  verdict: 'accepted' | 'refused',
  reason?: string,
): Promise<void> {
  const settled = await settleUnitProof(trx, {
    serial: tc.claim.serial,
    fileId,
    verdict,
    reason,
    byUserId: tc.actor.userId,
    at: tc.at,
  })
  // Weighed in the unit's queue a moment before: answered as any second weighing is.
  if (!settled)
    throw alreadyWeighed((await findUnitProof(trx, tc.claim.serial, fileId))?.status ?? verdict, fileId)
  // This claim holds its verdict already (its event is in, its case restated): it is passed over.
  await settleUnitProofOnClaims(ctx, trx, {
    serial: tc.claim.serial,
    fileId,
    verdict,
    reason,
    actor: tc.actor,
    at: tc.at,
  })
}

/** The claim's files staff have weighed as proofs of purchase, with what they found. */
async function weighedProofs(trx: Db, claimId: string): Promise<Map<string, string>> {
  const rows = await trx
    .selectFrom('claim_events')
    .select(['type', 'data'])
    .where('claim_id', '=', claimId)
    .where('type', 'in', [...WEIGHED])
    .execute()
  return new Map(rows.map((row) => [String((JSON.parse(row.data) as { fileId?: unknown }).fileId), row.type]))
}

/**
 * The proofs of purchase staff have not weighed yet that the case waits on: the claim's files
 * sent as the proof, and those its unit's owner filed with their registration.
 */
async function unweighedProofs(trx: Db, claim: Pick<ClaimsTable, 'id' | 'serial'>): Promise<string[]> {
  const weighed = await weighedProofs(trx, claim.id)
  const files = await trx
    .selectFrom('files')
    .select('id')
    .where('claim_id', '=', claim.id)
    .where('kind', '=', PROOF_OF_PURCHASE)
    .execute()
  const onUnit = await listOfferedUnitProofs(trx, claim.serial)
  return [...files.map((f) => f.id), ...onUnit.map((p) => p.fileId)].filter((id) => !weighed.has(id))
}

/**
 * A unit's proof weighed in the staff's queue of unit proofs, told to each open claim on the
 * unit that waits on it, in the caller's transaction: the claim records the verdict as its own
 * step would (so the file is never weighed twice), its case's purchase is proven or, refused,
 * still offered only while another proof waits. The customer hears of it once, by the unit's
 * mail. Answers how many claims it told.
 */
export async function settleUnitProofOnClaims(
  ctx: Pick<AppContext, 'policies' | 'engine'>,
  trx: Db,
  settled: {
    serial: string
    fileId: string
    verdict: 'accepted' | 'refused'
    reason?: string | undefined
    actor: Actor
    at: string
  },
): Promise<number> {
  const open = await listOpenClaimIdsOfUnit(trx, settled.serial)
  let told = 0
  for (const id of open) {
    const claim = await findClaimForUpdate(trx, id, ctx.engine === 'postgres')
    if (!claim || !proofOfferedOn(claim.case_json)) continue
    if ((await weighedProofs(trx, claim.id)).has(settled.fileId)) continue
    if (settled.verdict === 'accepted') {
      await commitClaimEvents(ctx, trx, claim, settled.actor, settled.at, [
        {
          type: PURCHASE_PROOF_ACCEPTED,
          data: { fileId: settled.fileId },
          patch: { case_json: withProofWeighed(claim.case_json, 'accepted', false) },
        },
      ])
    } else {
      const stillOffered = (await unweighedProofs(trx, claim)).some((fileId) => fileId !== settled.fileId)
      const reason = settled.reason ?? ''
      await commitClaimEvents(ctx, trx, claim, settled.actor, settled.at, [
        {
          type: PURCHASE_PROOF_REFUSED,
          data: { fileId: settled.fileId, reason, stillOffered },
          patch: { case_json: withProofWeighed(claim.case_json, 'refused', stillOffered) },
        },
      ])
    }
    told += 1
  }
  return told
}

/**
 * The claimant to name the unit's owner: the claim's customer, on a unit nobody else owns or
 * was offered. A unit already theirs needs no naming (undefined).
 */
async function ownerToName(tc: TransitionContext): Promise<string | undefined> {
  const customerId = tc.claim.customer_id
  if (!customerId)
    throw new AppError(
      'validation',
      { key: 'claims.purchase-proof.no-claimant', params: { field: 'nameOwner', serial: tc.claim.serial } },
      { field: 'nameOwner' },
    )
  const unit = await findUnitBySerial(tc.trx, tc.claim.serial)
  if (unit?.ownerCustomerId === customerId) return undefined
  if (!unit || unit.ownerCustomerId !== null) throw ownedByAnother(tc.claim.serial)
  return customerId
}

const ownedByAnother = (serial: string) =>
  new AppError(
    'conflict',
    { key: 'claims.purchase-proof.owned-by-another', params: { field: 'nameOwner', serial } },
    { field: 'nameOwner' },
  )
