import type { Preference } from '../../contracts/case.ts'
import type { Remedy } from '../../contracts/decision.ts'
import type { CaseFacts, Verdict } from './case-facts.ts'
import { compileCondition, type Predicate } from './conditions.ts'
import { compileEventDay, type DayReader } from './coverage.ts'
import type { Clause, StartEvent } from './policy-format.ts'

type WindowClause = Extract<Clause, { kind: 'window' }>

export interface CompiledWindow {
  index: number
  basis: WindowClause['basis']
  exclusive: boolean
  /** The problem kind and conditions fit, whatever the dates. */
  fits(facts: CaseFacts, verdict: Verdict): boolean
  /** Remedies in offer order for the customer's preference. */
  remediesFor(preference: Preference | undefined): readonly Remedy[]
  /**
   * The span the claim falls in ("within N days of E" holds when claimedOn <= E + N days;
   * any span suffices), else the one that closed last (the customer's best chance); -1
   * when no span's start is known.
   */
  spanFor(facts: CaseFacts): number
  spans: readonly { days: number; event: StartEvent; start: DayReader }[]
}

export function compileWindow(clause: WindowClause, index: number): CompiledWindow {
  const problems = new Set(clause.problems)
  const when = compileCondition(clause.when)
  const spans: { days: number; event: StartEvent; start: DayReader }[] = clause.within.map((span) => ({
    days: span.days,
    event: span.from,
    start: compileEventDay(span.from),
  }))
  const byPreference = new Map<Preference | undefined, readonly Remedy[]>()
  byPreference.set(undefined, Object.freeze([...clause.remedies]))
  for (const preference of ['repair', 'replace', 'refund'] as const) {
    const chosen =
      clause.customerChooses && clause.remedies.includes(preference)
        ? [preference, ...clause.remedies.filter((r) => r !== preference)]
        : [...clause.remedies]
    byPreference.set(preference, Object.freeze(chosen))
  }
  return {
    index,
    basis: clause.basis,
    exclusive: clause.exclusive,
    fits: (f, v) => problems.has(f.problem) && when(f, v),
    remediesFor: (preference) => byPreference.get(preference)!,
    spans,
    spanFor(f) {
      let latest = -1
      let latestEnd = Number.NEGATIVE_INFINITY
      for (let i = 0; i < spans.length; i++) {
        const span = spans[i]!
        const end = span.start(f) + span.days
        if (f.claimed <= end) return i
        if (end > latestEnd) {
          latest = i
          latestEnd = end
        }
      }
      return latest
    },
  }
}

export type { Predicate }
