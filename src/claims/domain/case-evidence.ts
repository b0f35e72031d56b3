import { EVIDENCE_KINDS } from '../../contracts/vocabulary.ts'

/**
 * The case with these kinds of evidence added, when any is evidence it did not hold yet:
 * the one way an answer to a request for information (through its step or in the thread,
 * by the kinds of the files sent) adds to what the case holds. Kinds that are no evidence
 * (a proof of purchase, `other`) add nothing.
 */
export function withEvidence(
  caseJson: string,
  kinds: readonly string[],
): { caseJson: string; added: string[] } | undefined {
  const facts = JSON.parse(caseJson) as { evidence?: string[] }
  const held = new Set(facts.evidence ?? [])
  const added = [...new Set(kinds)].filter(
    (kind) => (EVIDENCE_KINDS as readonly string[]).includes(kind) && !held.has(kind),
  )
  if (added.length === 0) return undefined
  return { caseJson: JSON.stringify({ ...facts, evidence: [...held, ...added] }), added }
}
