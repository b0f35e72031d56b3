/**
 * Values kept by day number (days since 1970-01-01), for sentences and explanations that
 * repeat with their dates.
 *
 * Pages of 256 days in a sparse array of pages: a few hundred days are in use, not the whole
 * calendar, and two array reads cost a fraction of a hash lookup on a map. A class, not an
 * object of closures: every memo then shares one `get`, which the engine inlines where the
 * decisions look their words up, and a look-up is one load fewer.
 */
export class DayMemo<T> {
  private readonly pages: (T | undefined)[][] = []

  /** The value kept for `day`; day numbers arrive as doubles (NaN marks an unknown date). */
  get(day: number): T | undefined {
    // A day that is not a small non-negative integer is never kept or found.
    return day === (day & DAY_MASK) ? this.pages[day >>> 8]?.[day & 255] : undefined
  }

  set(day: number, value: T): void {
    if (day !== (day & DAY_MASK)) return
    let page = this.pages[day >>> 8]
    if (page === undefined) {
      page = new Array<T | undefined>(256).fill(undefined)
      this.pages[day >>> 8] = page
    }
    page[day & 255] = value
  }

  /**
   * The value kept for `day`, made by `make(day)` and kept the first time. `make` should be
   * made once, not per call: these look-ups run for every decision.
   */
  keep(day: number, make: (day: number) => T): T {
    let value = this.get(day)
    if (value === undefined) {
      value = make(day)
      this.set(day, value)
    }
    return value
  }
}

export function createDayMemo<T>(): DayMemo<T> {
  return new DayMemo<T>()
}

/** Day numbers a memo keeps: 0 (1970-01-01) to about the year 2149; others are written per decision. */
const DAY_MASK = (1 << 16) - 1
