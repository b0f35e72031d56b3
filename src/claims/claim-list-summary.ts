import type { Decision } from '../contracts/decision.ts'

/** A decision as a list row carries it: everything but its trace. */
export function withoutTrace<T extends Decision | Omit<Decision, 'trace'>>(
  decision: T | null,
): Omit<Decision, 'trace'> | null {
  if (decision === null) return null
  if (!('trace' in decision)) return decision
  const { trace: _, ...summary } = decision
  return summary
}

/** The stored text of a decision's summary, null for no decision. */
export function summaryJson(decision: Decision | null): string | null {
  return decision === null ? null : JSON.stringify(withoutTrace(decision))
}
