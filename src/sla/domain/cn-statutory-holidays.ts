/**
 * The public holidays mainland China's law fixes on the solar calendar for every year
 * (全国年节及纪念日放假办法, article 2, as amended in 2024): New Year's Day, Qingming, Labour Day
 * on 1 and 2 May, and National Day from 1 to 3 October. The State Council's notice each November
 * adds the bridging days and the weekend days worked to make up for them, which no rule
 * foretells; for a year whose notice is not out, these are the days surely off. The lunar
 * festivals (Spring Festival, Dragon Boat, Mid-Autumn) are left to the notice or to the
 * calendars API: the lunar calendar's months are fixed by observed new moons in Beijing, and
 * the ICU tables Node ships put the 2027 Spring Festival a day late.
 */

const iso = (year: number, month: number, day: number): string =>
  `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`

/**
 * Qingming, the solar term on 4 or 5 April: the usual rule for this century, [Y × 0.2422 + 4.81] − [Y / 4]
 * with Y the year's last two digits, which gives every Qingming from 2001 to 2099.
 */
export function qingmingDay(year: number): string {
  const y = year % 100
  return iso(year, 4, Math.floor(y * 0.2422 + 4.81) - Math.floor(y / 4))
}

/** The statutory days off on the solar calendar of one year, `YYYY-MM-DD`, in order. */
export function cnSolarStatutoryHolidays(year: number): string[] {
  if (!Number.isInteger(year) || year < 2001 || year > 2099)
    throw new RangeError(`year ${year} is outside 2001–2099`)
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
