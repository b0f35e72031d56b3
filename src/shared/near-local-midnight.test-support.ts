import fc from 'fast-check'
import { DateTime } from 'luxon'
import { addDays, formatDay, parseDay } from './day-numbers.ts'

/**
 * Zones whose midnight is not UTC's: ahead of it (Shanghai, no summer time), a little ahead
 * with summer time (Berlin) and behind it with summer time (Los Angeles).
 */
export const ZONES_AWAY_FROM_UTC = ['Asia/Shanghai', 'Europe/Berlin', 'America/Los_Angeles'] as const

export interface InstantNearMidnight {
  timeZone: (typeof ZONES_AWAY_FROM_UTC)[number]
  at: Date
  /** The calendar date the instant falls on in `timeZone`. */
  localDay: string
}

/**
 * An instant up to 90 minutes either side of a local midnight, with the date it falls on
 * there: where a date taken from the UTC timestamp is most often another day. Summer time
 * starts and ends at 02:00 or later in these zones, so every such midnight exists.
 */
export const nearLocalMidnight = ({
  from = '2020-01-01',
  to = '2035-12-31',
  zones = ZONES_AWAY_FROM_UTC,
}: {
  /** The first and last day whose midnight is taken. */
  from?: string
  to?: string
  zones?: readonly InstantNearMidnight['timeZone'][]
} = {}): fc.Arbitrary<InstantNearMidnight> =>
  fc
    .record({
      timeZone: fc.constantFrom(...zones),
      day: fc.integer({ min: parseDay(from), max: parseDay(to) }),
      minutes: fc.integer({ min: -90, max: 90 }),
    })
    .map(({ timeZone, day, minutes }) => {
      const midnight = DateTime.fromISO(formatDay(day), { zone: timeZone })
      return {
        timeZone,
        at: midnight.plus({ minutes }).toJSDate(),
        localDay: minutes < 0 ? addDays(formatDay(day), -1) : formatDay(day),
      }
    })

export const instantNearLocalMidnight = nearLocalMidnight()
