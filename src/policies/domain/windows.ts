import type { Preference } from '../../contracts/case.ts'
import type { Remedy } from '../../contracts/decision.ts'
import type { CaseFacts, Verdict } from './case-facts.ts'
import { compileCondition, type Predicate } from './conditions.ts'
import {
  compileEarliest,
  compileEventDay,
  type DayReader,
  dependenceOf,
  type EarlierKnownEvent,
} from './coverage.ts'
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
   * when no span's start is known. A span whose start is unknown still holds when the claim
   * falls within N days of its `earliest` day: the event came on or after it.
   */
  spanFor(facts: CaseFacts): number
  /** The window is for this claim's kind of problem, whatever its conditions and dates. */
  servesProblem(facts: CaseFacts): boolean
  /** The events besides the purchase its spans count from (DEPENDS_ON_* bits of coverage.ts). */
  dependsOn: number
  spans: readonly WindowSpan[]
}

export interface WindowSpan {
  days: number
  event: StartEvent
  start: DayReader
  /**
   * When the start is unknown, the last known event it cannot have come before (a unit is
   * delivered on or after it was shipped, and shipped on or after it was bought); NaN when
   * there is none, or the start is known.
   */
  earliest: DayReader
  /** The event `earliest` read. */
  earliestEvent(facts: CaseFacts): EarlierKnownEvent
}

export function compileWindow(clause: WindowClause, index: number): CompiledWindow {
  const problems = new Set(clause.problems)
  const when = compileCondition(clause.when)
  const spans: WindowSpan[] = clause.within.map((span) => {
    const earliest = compileEarliest(span.from)
    return {
      days: span.days,
      event: span.from,
      start: compileEventDay(span.from),
      earliest: earliest.read,
      earliestEvent: earliest.event,
    }
  })
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
    servesProblem: (f) => problems.has(f.problem),
    dependsOn: clause.within.reduce((bits, span) => bits | dependenceOf(span.from), 0),
    remediesFor: (preference) => byPreference.get(preference)!,
    spans,
    spanFor(f) {
      let latest = -1
      let latestEnd = Number.NEGATIVE_INFINITY
      for (let i = 0; i < spans.length; i++) {
        const span = spans[i]!
        const end = span.start(f) + span.days
        if (f.claimed <= end) return i
        // Unknown start: the claim is surely within N days of it if within N days of a day it
        // cannot have come before.
        if (Number.isNaN(end) && f.claimed <= span.earliest(f) + span.days) return i
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
