import assert from 'node:assert/strict'
import { test } from 'node:test'
import { HolidayUtil, Lunar, Solar } from 'lunar-typescript'
import { DateTime } from 'luxon'
import { CN_MAINLAND, CN_NOTICE_YEARS } from './builtin-calendars.ts'
import {
  cnLunarStatutoryHolidays,
  cnSolarStatutoryHolidays,
  cnStatutoryHolidays,
  LUNAR_FESTIVALS,
  qingmingDay,
} from './cn-statutory-holidays.ts'

test('the statutory days of every year with a published notice are days off in that notice', () => {
  for (const year of CN_NOTICE_YEARS) {
    const published = new Set(CN_MAINLAND.holidays.filter((day) => day.startsWith(`${year}-`)))
    for (const day of cnStatutoryHolidays(year))
      assert.ok(published.has(day), `${day} is off in the ${year} notice`)
  }
})

test("the notices' days off and make-up working days equal an independent table of the same notices", () => {
  for (const year of CN_NOTICE_YEARS) {
    const theirs = HolidayUtil.getHolidays(year)
    const off = theirs.filter((h) => !h.isWork()).map((h) => h.getDay())
    const work = theirs.filter((h) => h.isWork()).map((h) => h.getDay())
    assert.deepEqual(
      CN_MAINLAND.holidays.filter((day) => day.startsWith(`${year}-`)),
      off.sort(),
      `days off in ${year}`,
    )
    assert.deepEqual(
      CN_MAINLAND.makeUpWorkingDays.filter((day) => day.startsWith(`${year}-`)),
      work.sort(),
      `make-up working days in ${year}`,
    )
  }
})

test('Qingming falls on the days the almanac gives', () => {
  // 2008–2032: the notices' Qingming from 2008 (when it became a holiday) to 2026, and the almanac after.
  const april4 = [2008, 2009, 2012, 2013, 2016, 2017, 2020, 2021, 2024, 2025, 2028, 2029, 2032]
  for (let year = 2008; year <= 2032; year++)
    assert.equal(qingmingDay(year), `${year}-04-0${april4.includes(year) ? 4 : 5}`, String(year))
})

test('Qingming by the rule of thumb is the solar term the lunar calendar library reckons, in every year of the century', () => {
  for (let year = 2001; year <= 2099; year++) {
    const solarTerm = Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable().清明
    assert.equal(qingmingDay(year), solarTerm?.toYmd(), String(year))
  }
})

test("every row of the lunar festivals' table is what the lunar calendar library reckons", () => {
  const years = Object.keys(LUNAR_FESTIVALS).map(Number)
  for (const year of years) {
    const reckoned = [
      [1, 1],
      [5, 5],
      [8, 15],
    ].map(([month, day]) => Lunar.fromYmd(year, month!, day!).getSolar().toYmd().slice(5))
    assert.deepEqual(LUNAR_FESTIVALS[year], reckoned, String(year))
  }
  // The table reaches as far as the calendar keeps statutory days after the last notice.
  for (let year = Math.max(...CN_NOTICE_YEARS) + 1; year <= Math.max(...CN_NOTICE_YEARS) + 10; year++)
    assert.ok(years.includes(year), `${year} is in the table`)
})

test('the lunar festivals fall on the days the published notices and almanacs give', () => {
  // The Spring Festival's eve and first three days, the Dragon Boat Festival, Mid-Autumn.
  assert.deepEqual(cnLunarStatutoryHolidays(2025), [
    '2025-01-28',
    '2025-01-29',
    '2025-01-30',
    '2025-01-31',
    '2025-05-31',
    '2025-10-06',
  ])
  assert.deepEqual(cnLunarStatutoryHolidays(2026), [
    '2026-02-16',
    '2026-02-17',
    '2026-02-18',
    '2026-02-19',
    '2026-06-19',
    '2026-09-25',
  ])
  // 2027: the new moon falls at 23:56 in Beijing on 6 February, so the year begins that day.
  assert.deepEqual(cnLunarStatutoryHolidays(2027), [
    '2027-02-05',
    '2027-02-06',
    '2027-02-07',
    '2027-02-08',
    '2027-06-09',
    '2027-09-15',
  ])
})

test('every year has thirteen statutory days off, twelve where Mid-Autumn falls on 1–3 October, the Spring Festival four days in a row in January or February', () => {
  // Every year of the table, not a sample of them.
  for (const year of Object.keys(LUNAR_FESTIVALS).map(Number)) {
    const days = cnStatutoryHolidays(year)
    const midAutumn = cnLunarStatutoryHolidays(year)[5]!
    const onNationalDay = midAutumn >= `${year}-10-01` && midAutumn <= `${year}-10-03`
    assert.equal(days.length, onNationalDay ? 12 : 13, `${year}: ${days.join(' ')}`)
    assert.equal(new Set(days).size, days.length)
    for (const day of days) assert.ok(DateTime.fromISO(day).isValid, day)
    const [eve, ...firstDays] = cnLunarStatutoryHolidays(year).slice(0, 4)
    assert.ok(eve! >= `${year}-01-20` && eve! <= `${year}-02-19`, `${year} eve ${eve}`)
    let previous = DateTime.fromISO(eve!)
    for (const day of firstDays) {
      assert.equal(day, previous.plus({ days: 1 }).toISODate())
      previous = DateTime.fromISO(day)
    }
  }
})

test('a year the State Council has not yet published keeps its statutory days off, solar and lunar', () => {
  const holidays = new Set(CN_MAINLAND.holidays)
  for (const day of [
    '2027-01-01',
    '2027-02-05',
    '2027-02-06',
    '2027-02-07',
    '2027-02-08',
    '2027-04-05',
    '2027-05-01',
    '2027-05-02',
    '2027-06-09',
    '2027-09-15',
    '2027-10-01',
    '2027-10-02',
    '2027-10-03',
  ])
    assert.ok(holidays.has(day), `${day} is off`)
  assert.ok(!holidays.has('2027-01-04'), 'a plain Monday stays a working day')
  assert.ok(!holidays.has('2027-02-09'), 'the fourth day of the year is off only by a notice')
  assert.deepEqual(cnSolarStatutoryHolidays(2027).length, 7)
})
