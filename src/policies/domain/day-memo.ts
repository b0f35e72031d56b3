/** Values kept by day number (days since 1970-01-01), for sentences and explanations that repeat with their dates. */
export interface DayMemo<T> {
  get(day: number): T | undefined
  set(day: number, value: T): void
  /**
   * The value kept for `day`, made by `make(day)` and kept the first time. `make` should be
   * made once, not per call: these look-ups run for every decision.
   */
  keep(day: number, make: (day: number) => T): T
}

export function createDayMemo<T>(): DayMemo<T> {
  // Pages of 256 days in a sparse array of pages: a few hundred days are in use, not the
  // whole calendar, and two array reads cost a fraction of a hash lookup on a map.
  const pages: (T | undefined)[][] = []
  // Day numbers arrive as doubles (NaN marks an unknown date); one that is not a
  // non-negative small integer is never kept or found.
  const get = (day: number): T | undefined =>
    day === (day & DAY_MASK) ? pages[day >>> 8]?.[day & 255] : undefined
  const set = (day: number, value: T): void => {
    if (day !== (day & DAY_MASK)) return
    let page = pages[day >>> 8]
    if (page === undefined) {
      page = new Array<T | undefined>(256).fill(undefined)
      pages[day >>> 8] = page
    }
    page[day & 255] = value
  }
  return {
    get,
    set,
    keep(day, make) {
      let value = get(day)
      if (value === undefined) {
        value = make(day)
        set(day, value)
      }
      return value
    },
  }
}

/** Day numbers a memo keeps: 0 (1970-01-01) to about the year 2149; others are written per decision. */
const DAY_MASK = (1 << 16) - 1
