import { EVIDENCE_KINDS } from '../../contracts/vocabulary.ts'

/** The kind of file a customer offers as their proof of purchase. */
const PROOF_OF_PURCHASE = 'proof-of-purchase'

/**
 * The case with these kinds of file added, when they bring something it did not hold yet:
 * the one way an answer to a request for information (through its step or in the thread,
 * by the kinds of the files sent) adds to what the case holds. Evidence kinds join the
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
