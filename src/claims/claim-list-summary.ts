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

/** The stored summary of a stored decision (JSON text of each), null for none. */
export function decisionSummaryJson(decisionJson: string | null): string | null {
  if (decisionJson === null) return null
  return JSON.stringify(withoutTrace(JSON.parse(decisionJson) as Decision))
}
