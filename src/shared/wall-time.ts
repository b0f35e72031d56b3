import { DateTime, IANAZone } from 'luxon'
import { dayFromCivil } from './day-numbers.ts'

/**
 * Instants of wall-clock times in a time zone, read the same whatever the date the code runs
 * on. Where clocks skip or repeat a time (summer time; in Havana, Santiago and Beirut at
 * midnight) luxon's own reading of a local time depends on the zone's offset at the moment it
 * runs, so a day could start an hour later in winter than in summer.
 */

const DAY_MS = 86_400_000

/** A local date and time of day, as a wall clock shows them. */
export interface WallTime {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second?: number
  millisecond?: number
}

/**
 * The first instant at which a wall clock in `zone` shows `wall` or later. Where the clocks
 * skip that time (02:30 on the night they go forward at 02:00) it is the moment they jump,
 * 03:00: luxon would move it on by the length of the skip, to 03:30, which puts 02:30 after
 * 03:10 and a wall time after the span that names it. Where the clocks show it twice (02:30 on
 * the night they go back at 03:00) it is the first time. Not luxon's `fromObject`: that picks
 * between the two by the zone's offset at the moment the code runs, so a deadline computed in
 * winter was an hour later than the same deadline computed in summer.
 */
export function firstInstantAtWallTime(zone: string, wall: WallTime): number {
  const offsets = IANAZone.create(zone)
  if (!offsets.isValid) throw new RangeError(`unknown time zone "${zone}"`)
  // Not Date.UTC, which reads the years 0–99 as 1900–1999.
  const wallMs =
    dayFromCivil(wall.year, wall.month, wall.day) * DAY_MS +
    ((wall.hour * 60 + wall.minute) * 60 + (wall.second ?? 0)) * 1000 +
    (wall.millisecond ?? 0)
  // Rounded: before 1900 many zones were a number of seconds off UTC, a fraction of a minute.
  const offsetAt = (ms: number) => Math.round(offsets.offset(ms) * 60_000)
  const shows = (ms: number) => ms + offsetAt(ms)
  // Read at the offsets a day either side: no zone changes its clocks twice within two days.
  const [early, late] = [wallMs - offsetAt(wallMs - DAY_MS), wallMs - offsetAt(wallMs + DAY_MS)].sort(
    (a, b) => a - b,
  ) as [number, number]
  if (shows(early) === wallMs) return early
  if (shows(late) === wallMs) return late
  // Skipped: the jump lies between the two readings, the earlier one showing a time before it.
  let before = early
  let after = late
  // Two changes within two days (a few zones, long ago): luxon's reading is the best there is.
  if (shows(before) >= wallMs || shows(after) < wallMs) return DateTime.fromObject(wall, { zone }).toMillis()
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2)
    if (shows(middle) >= wallMs) after = middle
    else before = middle
  }
  return after
}

/**
 * The instant `date` (`YYYY-MM-DD`) begins in `timeZone`: the first instant whose local date
 * is that date. Where the clocks skip midnight it is the moment they jump (01:00); where they
 * show midnight twice, the first time.
 */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const [year, month, dayOfMonth] = date.split('-').map(Number) as [number, number, number]
  return new Date(firstInstantAtWallTime(timeZone, { year, month, day: dayOfMonth, hour: 0, minute: 0 }))
}
