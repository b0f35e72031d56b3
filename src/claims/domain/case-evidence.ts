import { EVIDENCE_KINDS } from '../../contracts/vocabulary.ts'

/** The kind of file a customer offers as their proof of purchase. */
export const PROOF_OF_PURCHASE = 'proof-of-purchase'

/**
 * The case with these kinds of file added, when they bring something it did not hold yet:
 * the one way an answer to a request for information (through its step or in the thread,
 * by the kinds of the files sent) adds to what the case holds. A plain message in the thread
 * adds only its proof of purchase, for staff to weigh. Evidence kinds join the
 * evidence. A proof of purchase is no evidence: on a case whose purchase is not proven it is
 * the proof offered (`purchase.proofOfPurchasePending`), as one sent with the claim is, so a
 * decision before the inspection weighs it as shown while staff weigh the document. `other`
 * adds nothing.
 */
export function withEvidence(
  caseJson: string,
  kinds: readonly string[],
): { caseJson: string; added: string[]; proofOffered: boolean } | undefined {
  const facts = JSON.parse(caseJson) as {
    evidence?: string[]
    purchase?: { proofOfPurchase?: boolean; proofOfPurchasePending?: boolean }
  }
  const held = new Set(facts.evidence ?? [])
  const added = [...new Set(kinds)].filter(
    (kind) => (EVIDENCE_KINDS as readonly string[]).includes(kind) && !held.has(kind),
  )
  const proofOffered =
    kinds.includes(PROOF_OF_PURCHASE) &&
    facts.purchase !== undefined &&
    facts.purchase.proofOfPurchase === false &&
    facts.purchase.proofOfPurchasePending !== true
  if (added.length === 0 && !proofOffered) return undefined
  return {
    caseJson: JSON.stringify({
      ...facts,
      ...(added.length > 0 ? { evidence: [...held, ...added] } : {}),
      ...(proofOffered ? { purchase: { ...facts.purchase, proofOfPurchasePending: true } } : {}),
    }),
    added,
    proofOffered,
  }
}

/** What staff found of a proof of purchase the claimant offered. */
export type ProofVerdict = 'accepted' | 'refused'

type PurchaseFacts = { proofOfPurchase?: boolean; proofOfPurchasePending?: boolean }

/** Whether a proof of purchase the claimant sent waits on the case for staff to weigh it. */
export function proofOfferedOn(caseJson: string): boolean {
  return proofOfferedIn(JSON.parse(caseJson) as { purchase?: PurchaseFacts })
}

/** The same, of a case already parsed: a claim list reads it for every row it shows. */
export function proofOfferedIn(facts: { readonly purchase?: Readonly<PurchaseFacts> }): boolean {
  return facts.purchase?.proofOfPurchase === false && facts.purchase.proofOfPurchasePending === true
}

/** Whether the case still waits for its purchase to be proven: a proof found valid ends it. */
export function purchaseUnproven(caseJson: string): boolean {
  const facts = JSON.parse(caseJson) as { purchase?: PurchaseFacts }
  return facts.purchase?.proofOfPurchase === false
}

/**
 * The case once staff weighed one proof offered. Found valid, the purchase is proven and no
 * proof waits any more. Found not valid, it stays unproven, and is still offered only while
 * another file sent as the proof (`stillOffered`) waits to be weighed, so a decision before the
 * inspection no longer takes as shown a document staff have refused.
 */
export function withProofWeighed(caseJson: string, verdict: ProofVerdict, stillOffered: boolean): string {
  const facts = JSON.parse(caseJson) as { purchase?: PurchaseFacts }
  const { proofOfPurchasePending: _offered, ...purchase } = facts.purchase ?? {}
  const weighed: PurchaseFacts =
    verdict === 'accepted'
      ? { ...purchase, proofOfPurchase: true }
      : { ...purchase, proofOfPurchase: false, ...(stillOffered ? { proofOfPurchasePending: true } : {}) }
  return JSON.stringify({ ...facts, purchase: weighed })
}
