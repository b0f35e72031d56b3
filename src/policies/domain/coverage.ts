import { addMonths, civilFromDay, dayFromCivil } from '../../shared/day-numbers.ts'
import type { CaseFacts, Verdict } from './case-facts.ts'
import { compileCondition, type Predicate } from './conditions.ts'
import { addDuration, type Duration, parseDuration } from './durations.ts'
import type { Clause, StartEvent } from './policy-format.ts'

type CoverageClause = Extract<Clause, { kind: 'coverage' }>

export type DayReader = (facts: CaseFacts) => number

/** Reads the day an event happened; NaN when the case does not know it. */
export function compileEventDay(event: StartEvent): DayReader {
  switch (event) {
    case 'purchase':
      return (f) => f.purchased
    case 'shipment':
      return (f) => f.shipped
    case 'delivery':
      return (f) => f.delivered
    case 'day-after-delivery':
      return (f) => f.delivered + 1
    case 'activation':
      return (f) => f.activated
  }
}

function compileStart(first: StartEvent, fallback: readonly StartEvent[]): DayReader {
  const readers = [first, ...fallback].map(compileEventDay)
  if (readers.length === 1) return readers[0]!
  return (f) => {
    for (const read of readers) {
      const day = read(f)
      if (!Number.isNaN(day)) return day
    }
    return Number.NaN
  }
}

export interface CompiledCoverage {
  index: number
  when: Predicate
  /** Fills the warranty fields of the verdict. */
  apply(facts: CaseFacts, verdict: Verdict): void
  servesProblem(facts: CaseFacts): boolean
  remedies: readonly CoverageClause['remedies'][number][]
}

const MAX_YEARS_BEYOND = 200
const LAST_DAY = dayFromCivil(9999, 12, 31)

/** A term of T from S covers S .. S+T-1 day (ADJUDICATION.md); years beyond count whole years after that. */
export function compileCoverage(clause: CoverageClause, index: number): CompiledCoverage {
  const term = parseDuration(clause.term)!
  const start = compileStart(clause.start, clause.fallback)
  const problems = new Set(clause.problems)
  const overrides = clause.productTermOverrides
  return {
    index,
    when: compileCondition(clause.when),
    remedies: Object.freeze([...clause.remedies]),
    servesProblem: (f) => problems.has(f.problem),
    apply(f, v) {
      const startDay = start(f)
      if (Number.isNaN(startDay)) return
      const t: Duration = overrides && f.productTerm !== undefined ? f.productTerm : term
      // Calendar dates end with year 9999: a longer warranty is told as running to its last day.
      const end = Math.min(addDuration(startDay, t) - 1, LAST_DAY)
      v.warrantyStart = startDay
      v.warrantyEnd = end
      v.inWarranty = f.claimed <= end
      if (v.inWarranty) return
      // Year k beyond ends where a term of T + k years would; the start becomes a calendar
      // date once, not once per year.
      const { year, month, day } = civilFromDay(startDay)
      const termMonths = t.years * 12 + t.months
      let years = 1
      while (
        years < MAX_YEARS_BEYOND &&
        f.claimed > addMonths(year, month, day, termMonths + years * 12) + t.days - 1
      ) {
        years++
      }
      v.yearsBeyond = years
    },
  }
}
