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

export type EarlierKnownEvent = 'purchase' | 'shipment'

/**
 * Reads the last known event that `event` cannot precede, when `event`'s own day is unknown:
 * purchase, then shipment, then delivery (the order a claim's dates are checked in);
 * activation may come before the sale, so nothing bounds it.
 */
export function compileEarliest(event: StartEvent): {
  read: DayReader
  event: (f: CaseFacts) => EarlierKnownEvent
} {
  const shippedOrBought = (f: CaseFacts): number => (Number.isNaN(f.shipped) ? f.purchased : f.shipped)
  const which = (f: CaseFacts): EarlierKnownEvent => (Number.isNaN(f.shipped) ? 'purchase' : 'shipment')
  switch (event) {
    case 'delivery':
      return { read: (f) => (Number.isNaN(f.delivered) ? shippedOrBought(f) : Number.NaN), event: which }
    case 'day-after-delivery':
      return { read: (f) => (Number.isNaN(f.delivered) ? shippedOrBought(f) + 1 : Number.NaN), event: which }
    case 'shipment':
      return { read: (f) => (Number.isNaN(f.shipped) ? f.purchased : Number.NaN), event: () => 'purchase' }
    case 'purchase':
    case 'activation':
      return { read: () => Number.NaN, event: () => 'purchase' }
  }
}

/** A date a warranty start is read from: an event's own day, or the day after it. */
export interface StartReading {
  event: 'purchase' | 'shipment' | 'delivery' | 'activation'
  dayAfter: boolean
}

/**
 * The date an undated event cannot precede, when the case gives it: a unit arrives on or
 * after the day it ships. The purchase is left to the policy's own fallbacks.
 */
const BOUNDS: Record<StartEvent, readonly StartReading[]> = {
  delivery: [{ event: 'shipment', dayAfter: false }],
  'day-after-delivery': [{ event: 'shipment', dayAfter: true }],
  shipment: [],
  purchase: [],
  activation: [],
}

/**
 * The dates a warranty start is read from, in order; the first the case gives is the start.
 * An event the case does not date is read as the earliest day it can have been before the
 * next fallback stands in: ToupTek's "day after the user receives the product", not dated,
 * is the day after the shipment, however long before it the purchase was, as the windows
 * bound an undated delivery. A start without fallbacks stays unknown when the case does not
 * date it, as its policy asks.
 */
export function startReadings(first: StartEvent, fallback: readonly StartEvent[]): StartReading[] {
  const events = [first, ...fallback]
  const readings: StartReading[] = []
  events.forEach((event, i) => {
    readings.push(
      event === 'day-after-delivery' ? { event: 'delivery', dayAfter: true } : { event, dayAfter: false },
    )
    if (i < events.length - 1) readings.push(...BOUNDS[event])
  })
  return readings
}

function compileStart(first: StartEvent, fallback: readonly StartEvent[]): DayReader {
  const readers = startReadings(first, fallback).map(({ event, dayAfter }): DayReader => {
    const read = compileEventDay(event)
    return dayAfter ? (f) => read(f) + 1 : read
  })
  if (readers.length === 1) return readers[0]!
  return (f) => {
    for (let i = 0; i < readers.length; i++) {
      const day = readers[i]!(f)
      if (!Number.isNaN(day)) return day
    }
    return Number.NaN
  }
}

/** A claim's dates depend on the shipment (bit 1) and the delivery (bit 2), the purchase aside. */
export const DEPENDS_ON_SHIPMENT = 1
export const DEPENDS_ON_DELIVERY = 2

/**
 * The events besides the purchase an event's day depends on: a unit is delivered on or after
 * it was shipped, so a period counted from the delivery depends on the shipment too.
 */
export function dependenceOf(event: StartEvent): number {
  switch (event) {
    case 'delivery':
    case 'day-after-delivery':
      return DEPENDS_ON_SHIPMENT | DEPENDS_ON_DELIVERY
    case 'shipment':
      return DEPENDS_ON_SHIPMENT
    case 'purchase':
    case 'activation':
      return 0
  }
}

/** Which of the start's readings gave the day: the first the case dates, as `compileStart` reads them. */
function compileStartReading(
  first: StartEvent,
  fallback: readonly StartEvent[],
): (f: CaseFacts) => StartReading | undefined {
  const readers = startReadings(first, fallback).map((reading) => ({
    reading,
    read: compileEventDay(reading.event),
  }))
  return (f) => {
    for (let i = 0; i < readers.length; i++) {
      const reader = readers[i]!
      if (!Number.isNaN(reader.read(f))) return reader.reading
    }
    return undefined
  }
}

/** Which of the start's readings gave the day, as the events the warranty depends on. */
function compileStartDependence(
  readingOf: (f: CaseFacts) => StartReading | undefined,
): (f: CaseFacts) => number {
  return (f) => {
    const reading = readingOf(f)
    return reading === undefined ? 0 : dependenceOf(reading.event)
  }
}

export interface CompiledCoverage {
  index: number
  when: Predicate
  /** Fills the warranty fields of the verdict. */
  apply(facts: CaseFacts, verdict: Verdict): void
  servesProblem(facts: CaseFacts): boolean
  /**
   * The events besides the purchase this case's warranty counts from (DEPENDS_ON_* bits): the
   * one its start was read from, not every fallback. IST's year from the purchase does not
   * depend on the delivery.
   */
  dependsOn(facts: CaseFacts): number
  /** The reading this case's warranty start was taken from (undefined when it has none). */
  startReading(facts: CaseFacts): StartReading | undefined
  remedies: readonly CoverageClause['remedies'][number][]
}

const MAX_YEARS_BEYOND = 200
const LAST_DAY = dayFromCivil(9999, 12, 31)

/** A term of T from S covers S .. S+T-1 day (ADJUDICATION.md); years beyond count whole years after that. */
export function compileCoverage(clause: CoverageClause, index: number): CompiledCoverage {
  const term = parseDuration(clause.term)!
  const start = compileStart(clause.start, clause.fallback)
  const startReading = compileStartReading(clause.start, clause.fallback)
  const dependsOn = compileStartDependence(startReading)
  const problems = new Set(clause.problems)
  const extension = clause.productTermIsExtension
  const overrides = clause.productTermOverrides || extension
  return {
    index,
    when: compileCondition(clause.when),
    remedies: Object.freeze([...clause.remedies]),
    servesProblem: (f) => problems.has(f.problem),
    dependsOn,
    startReading,
    apply(f, v) {
      const startDay = start(f)
      if (Number.isNaN(startDay)) return
      const t: Duration = overrides && f.productTerm !== undefined ? f.productTerm : term
      // Calendar dates end with year 9999: a longer warranty is told as running to its last day.
      const end = Math.min(addDuration(startDay, t) - 1, LAST_DAY)
      v.warrantyStart = startDay
      v.warrantyEnd = end
      v.inWarranty = f.claimed <= end
      if (v.inWarranty) {
        // Past the standard term, within an extension signed for the product: the extended warranty serves.
        if (extension && t !== term) {
          const standardEnd = Math.min(addDuration(startDay, term) - 1, LAST_DAY)
          if (f.claimed > standardEnd) {
            v.inExtension = true
            v.standardEnd = standardEnd
          }
        }
        return
      }
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
