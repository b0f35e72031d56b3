import { REMEDIES, type Remedy } from '../../contracts/decision.ts'

export const REMEDY_BIT = Object.fromEntries(REMEDIES.map((r, i) => [r, 1 << i])) as Record<Remedy, number>

/** Remedies without those blocked; the same array when nothing is blocked. */
export function withoutBlocked(remedies: readonly Remedy[], blocked: number): readonly Remedy[] {
  if (blocked === 0) return remedies
  return remedies.filter((remedy) => (REMEDY_BIT[remedy] & blocked) === 0)
}
