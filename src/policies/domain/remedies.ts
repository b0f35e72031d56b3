import type { Remedy } from '../../contracts/decision.ts'
import { REMEDIES } from '../../contracts/vocabulary.ts'

export const REMEDY_BIT = Object.fromEntries(REMEDIES.map((r, i) => [r, 1 << i])) as Record<Remedy, number>

/** The one empty remedy list decisions share. */
export const NO_REMEDIES: readonly Remedy[] = Object.freeze([])

/** Remedies without those blocked; the same array when nothing is blocked. */
export function withoutBlocked(remedies: readonly Remedy[], blocked: number): readonly Remedy[] {
  if (blocked === 0) return remedies
  return remedies.filter((remedy) => (REMEDY_BIT[remedy] & blocked) === 0)
}

/** Where an offer puts its remedies: before, after, or instead of those already offered. */
export type OfferPosition = 'first' | 'last' | 'only'

/** The remedies after an offer: `only` replaces them, `first`/`last` move the offered ones to that end. */
export function withOffer(
  remedies: readonly Remedy[],
  offered: readonly Remedy[],
  position: OfferPosition,
): readonly Remedy[] {
  if (position === 'only') return offered
  const rest = remedies.filter((r) => !offered.includes(r))
  return position === 'first' ? [...offered, ...rest] : [...rest, ...offered]
}

/**
 * Frozen remedy lists of one policy, built once per distinct input and shared by every
 * decision after. Inputs are themselves frozen lists of the policy (a window's remedies,
 * the warranty's, a paid service's, or an earlier result of this memo), so the memo is
 * keyed by identity and stays as small as the policy.
 */
export interface RemedyLists {
  withoutBlocked(remedies: readonly Remedy[], blocked: number): readonly Remedy[]
  withOffer(remedies: readonly Remedy[], offer: number): readonly Remedy[]
}

export function createRemedyLists(
  offers: readonly { remedies: readonly Remedy[]; position: OfferPosition }[],
): RemedyLists {
  const unblocked = new Map<readonly Remedy[], Map<number, readonly Remedy[]>>()
  const offered = offers.map(() => new Map<readonly Remedy[], readonly Remedy[]>())
  return {
    withoutBlocked(remedies, blocked) {
      if (blocked === 0) return remedies
      let byMask = unblocked.get(remedies)
      if (byMask === undefined) {
        byMask = new Map()
        unblocked.set(remedies, byMask)
      }
      let result = byMask.get(blocked)
      if (result === undefined) {
        result = Object.freeze(withoutBlocked(remedies, blocked))
        byMask.set(blocked, result)
      }
      return result
    },
    withOffer(remedies, index) {
      const memo = offered[index]!
      let result = memo.get(remedies)
      if (result === undefined) {
        const { remedies: offeredRemedies, position } = offers[index]!
        result = Object.freeze(withOffer(remedies, offeredRemedies, position))
        memo.set(remedies, result)
      }
      return result
    },
  }
}
