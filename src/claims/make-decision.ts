import type { Actor } from '../auth/index.ts'
import { caseSchema } from '../contracts/case.ts'
import type { Decision, Words } from '../contracts/decision.ts'
import type { Db } from '../db/database.ts'
import { findUnitBySerial } from '../registry/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { parseOrThrow } from '../shared/validate.ts'
import type { ClaimsTable } from './claim.tables.ts'
import { runClaimTransition } from './claim-transition.ts'
import { PURCHASE_PROOF_REFUSED } from './domain/claim-events.ts'

/**
 * The reason for the customer's e-mail, in both languages and without codes: the decision's
 * own explanation, or (for a decision stored before it had one) a plain line.
 */
export function explainDecision(decision: Decision): Words {
  if (decision.explanation) return decision.explanation
  return decision.covered
    ? { en: 'The claim is covered by the warranty.', zh: '该申请属于保修范围。' }
    : { en: 'The claim is not covered by the warranty.', zh: '该申请不属于保修范围。' }
}

/** The final decision: the engine again, now with the inspection. */
export function makeDecision(
  ctx: AppContext,
  actor: Actor,
  claimId: string,
  version: number,
): Promise<ClaimsTable> {
  return runClaimTransition(ctx, actor, claimId, 'make-decision', version, async ({ claim, trx }) => {
    if (!claim.inspection) throw new AppError('conflict', { key: 'claims.decision.no-inspection' })
    const stored = JSON.parse(claim.case_json) as Record<string, unknown> & { purchase?: StoredPurchase }
    // The registry holds the purchase's proof: one recorded on the unit since the claim opened
    // (staff weighed the document the customer offered, or a seller's file brought it) is
    // proven for this decision, which goes by `proofOfPurchase` alone once the unit is inspected.
    const proven = stored.purchase?.proofOfPurchase === false && (await unitHoldsProof(trx, claim.serial))
    // A proof the claimant sent that still waits for staff (and no proof on the unit) holds the
    // step in the lifecycle (`claims.decision.proof-waits`), so the claim's page offers it held.
    const current: Record<string, unknown> = proven
      ? { ...stored, purchase: provenPurchase(stored.purchase ?? {}) }
      : stored
    const decision = decideWithInspection(ctx, claim, current, claim.inspection)
    // A purchase left unproven by staff's refusal of the proof sent: the decision names why.
    const refused =
      stored.purchase?.proofOfPurchase === false && !proven
        ? await lastProofRefusal(trx, claim.id)
        : undefined
    return {
      ...(proven ? { patch: { case_json: JSON.stringify(current) } } : {}),
      data: { decision, ...(refused ? { purchaseProofRefused: refused } : {}) },
      email: decisionEmail(decision),
    }
  })
}

/** The engine's final decision on a case as stored, with the claim's inspection and under the claim's policy version. */
export function decideWithInspection(
  ctx: Pick<AppContext, 'policies'>,
  claim: Pick<ClaimsTable, 'policy_version'>,
  storedCase: Record<string, unknown>,
  inspection: string,
): Decision {
  const { orderNumber: _orderNumber, ...facts } = storedCase
  const withInspection = parseOrThrow(caseSchema, { ...facts, inspection: JSON.parse(inspection) })
  return ctx.policies.decide(withInspection, claim.policy_version ? { version: claim.policy_version } : {})
}

/** What the customer's e-mail of a final decision says. */
export const decisionEmail = (decision: Decision) => ({
  covered: decision.covered,
  explanation: explainDecision(decision),
  remedies: decision.remedies,
})

/** The last proof of purchase staff refused on the claim, with their reason. */
async function lastProofRefusal(trx: Db, claimId: string) {
  const row = await trx
    .selectFrom('claim_events')
    .select('data')
    .where('claim_id', '=', claimId)
    .where('type', '=', PURCHASE_PROOF_REFUSED)
    .orderBy('seq', 'desc')
    .executeTakeFirst()
  if (!row) return undefined
  const { fileId, reason } = JSON.parse(row.data) as { fileId: string; reason: string }
  return { fileId, reason }
}

type StoredPurchase = { proofOfPurchase?: boolean; proofOfPurchasePending?: boolean }

async function unitHoldsProof(trx: Db, serial: string): Promise<boolean> {
  return (await findUnitBySerial(trx, serial))?.proofOfPurchase === true
}

/** The purchase proven: no longer a proof offered and waiting, but one found valid. */
function provenPurchase({ proofOfPurchasePending: _offered, ...purchase }: StoredPurchase) {
  return { ...purchase, proofOfPurchase: true }
}
