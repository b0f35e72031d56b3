import { translate } from '../../shared/messages/translate.ts'

/**
 * Which claims count as failures in the reliability data: a confirmed fault on a unit that
 * malfunctioned. Stated once here so the report can print it beside its numbers; the words are
 * the catalogue's, so the terminal's report says the same in the operator's language.
 */
export const FAILURE_DEFINITION_KEY = 'reliability.failure-definition'

export const EXCLUDED_CLAIM_KEYS = [
  'reliability.excluded.no-fault',
  'reliability.excluded.not-as-described',
  'reliability.excluded.transport-damage',
  'reliability.excluded.software-upgrade',
  'reliability.excluded.cancelled-undecided',
] as const

/** The report's own wording (its `definition`), in English. */
export const FAILURE_DEFINITION = translate('en', FAILURE_DEFINITION_KEY)
export const EXCLUDED_CLAIMS = EXCLUDED_CLAIM_KEYS.map((key) => translate('en', key))

/** States a claim reaches only when the unit is being, or has been, repaired, replaced or refunded. */
const REMEDY_STATES = new Set(['quote-accepted', 'in-repair', 'repaired', 'replacing', 'refunded'])
const NO_FAULT_OUTCOMES = new Set(['resolved-remotely', 'returned-unrepaired', 'scrapped'])

export interface ClaimFacts {
  state: string
  outcome: string | null
  problemKind: string | null
  /** The final decision's `covered`, or null before one is made. */
  covered: boolean | null
  /** Said by an imported claim's history row (`faultConfirmed`); null for claims served here. */
  faultConfirmed?: boolean | null
}

export function isConfirmedFailure(claim: ClaimFacts): boolean {
  if (claim.problemKind !== 'malfunction') return false
  if (claim.state === 'cancelled') return false
  // The earlier system's own verdict is the only evidence an imported claim carries.
  if (claim.faultConfirmed !== undefined && claim.faultConfirmed !== null) return claim.faultConfirmed
  if (claim.outcome !== null && NO_FAULT_OUTCOMES.has(claim.outcome)) return false
  if (claim.covered === true) return true
  return REMEDY_STATES.has(claim.state) || claim.outcome === 'completed' || claim.outcome === 'refunded'
}
