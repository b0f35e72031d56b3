/**
 * Which claims count as failures in the reliability data: a confirmed fault on a unit that
 * malfunctioned. Stated once here so the report can print it beside its numbers.
 */

export const FAILURE_DEFINITION =
  'the first claim of a unit for a malfunction with a confirmed fault: decided as covered, or repaired, replaced or refunded (paid repairs included); for claims imported from an earlier system, a malfunction whose fault that system confirmed'

export const EXCLUDED_CLAIMS = [
  'no fault found (claims resolved remotely, or closed unrepaired or scrapped without a repair)',
  'not as described',
  'transport damage (arrived damaged)',
  'software upgrades',
  'cancelled claims, and claims not yet decided',
] as const

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
