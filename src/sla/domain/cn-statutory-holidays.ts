/**
 * The public holidays mainland China's law fixes for every year (全国年节及纪念日放假办法,
 * article 2, as amended in 2024): New Year's Day; the Spring Festival, its eve and the first
 * three days of the first lunar month; Qingming; Labour Day on 1 and 2 May; the Dragon Boat
 * Festival (fifth day of the fifth lunar month); Mid-Autumn (fifteenth day of the eighth); and
 * National Day from 1 to 3 October. The State Council's notice each November adds the bridging
 * days and the weekend days worked to make up for them, which no rule foretells; for a year
 * whose notice is not out, these are the days surely off.
 *
 * The lunar dates are a table, `LUNAR_FESTIVALS`, that the tests check row by row against a
 * Chinese-calendar library reckoning new moons in Beijing time. The library itself is not
 * loaded at run time: it took 0.2 s to load and 20 ms a year to reckon, on every start of the
 * server. The ICU tables Node ships are no substitute: they put the 2027 Spring Festival on
 * 7 February, a day late (the new moon falls at 23:56 in Beijing on the 6th).
 */

const iso = (year: number, month: number, day: number): string =>
  `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`

/**
 * Qingming, the solar term on 4 or 5 April: the usual rule for this century, [Y × 0.2422 + 4.81] − [Y / 4]
 * with Y the year's last two digits. The tests check it against the solar terms the lunar
 * calendar library reckons for every year from 2001 to 2099.
 */
export function qingmingDay(year: number): string {
  const y = year % 100
  return iso(year, 4, Math.floor(y * 0.2422 + 4.81) - Math.floor(y / 4))
}

/**
 * The first day of the first lunar month (the Spring Festival), the fifth of the fifth (the
 * Dragon Boat Festival) and the fifteenth of the eighth (Mid-Autumn), `MM-DD`, by the year they
 * fall in, from the first year of the notices through the years the calendar looks ahead;
 * each row is checked against the library (cn-statutory-holidays.test.ts).
 */
export const LUNAR_FESTIVALS: Readonly<Record<number, readonly [string, string, string]>> = {
  2025: ['01-29', '05-31', '10-06'],
  2026: ['02-17', '06-19', '09-25'],
  2027: ['02-06', '06-09', '09-15'],
  2028: ['01-26', '05-28', '10-03'],
  2029: ['02-13', '06-16', '09-22'],
  2030: ['02-03', '06-05', '09-12'],
  2031: ['01-23', '06-24', '10-01'],
  2032: ['02-11', '06-12', '09-19'],
  2033: ['01-31', '06-01', '09-08'],
  2034: ['02-19', '06-20', '09-27'],
  2035: ['02-08', '06-10', '09-16'],
  2036: ['01-28', '05-30', '10-04'],
  2037: ['02-15', '06-18', '09-24'],
  2038: ['02-04', '06-07', '09-13'],
  2039: ['01-24', '05-27', '10-02'],
  2040: ['02-12', '06-14', '09-20'],
  2041: ['02-01', '06-03', '09-10'],
  2042: ['01-22', '06-22', '09-28'],
  2043: ['02-10', '06-11', '09-17'],
  2044: ['01-30', '05-31', '10-05'],
  2045: ['02-17', '06-19', '09-25'],
  2046: ['02-06', '06-08', '09-15'],
  2047: ['01-26', '05-29', '10-04'],
  2048: ['02-14', '06-15', '09-22'],
  2049: ['02-02', '06-04', '09-11'],
  2050: ['01-23', '06-23', '09-30'],
}

/**
 * The statutory days off on the lunar calendar of one year, `YYYY-MM-DD`, in order: the
 * Spring Festival's eve (the last day of the twelfth month, the 29th or the 30th) and the
 * first three days of the year, the Dragon Boat Festival and Mid-Autumn.
 */
export function cnLunarStatutoryHolidays(year: number): string[] {
  const festivals = LUNAR_FESTIVALS[year]
  if (festivals === undefined) throw new RangeError(`year ${year} has no lunar festivals in the table`)
  const [springFestival, dragonBoat, midAutumn] = festivals
  const newYear = Date.UTC(year, Number(springFestival.slice(0, 2)) - 1, Number(springFestival.slice(3)))
  const spring = [-1, 0, 1, 2].map((offset) => new Date(newYear + offset * DAY_MS).toISOString().slice(0, 10))
  return [...spring, `${year}-${dragonBoat}`, `${year}-${midAutumn}`]
}

const DAY_MS = 86_400_000

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 2001 || year > 2099)
    throw new RangeError(`year ${year} is outside 2001–2099`)
}

/** The statutory days off on the solar calendar of one year, `YYYY-MM-DD`, in order. */
export function cnSolarStatutoryHolidays(year: number): string[] {
  checkYear(year)
  return [
    iso(year, 1, 1),
    qingmingDay(year),
    iso(year, 5, 1),
    iso(year, 5, 2),
    iso(year, 10, 1),
    iso(year, 10, 2),
    iso(year, 10, 3),
  ]
}

/**
 * Every statutory day off of one year, solar and lunar, `YYYY-MM-DD`, in order, each once:
 * Mid-Autumn falls on 1–3 October in some years (2001, 2020).
 */
export function cnStatutoryHolidays(year: number): string[] {
  return [...new Set([...cnSolarStatutoryHolidays(year), ...cnLunarStatutoryHolidays(year)])].sort()
}
