import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CN_MAINLAND, CN_NOTICE_YEARS } from './builtin-calendars.ts'
import { cnSolarStatutoryHolidays, qingmingDay } from './cn-statutory-holidays.ts'

test('the statutory days of every year with a published notice are days off in that notice', () => {
  for (const year of CN_NOTICE_YEARS) {
    const published = new Set(CN_MAINLAND.holidays.filter((day) => day.startsWith(`${year}-`)))
    for (const day of cnSolarStatutoryHolidays(year))
      assert.ok(published.has(day), `${day} is off in the ${year} notice`)
  }
})

test('Qingming falls on the days the almanac gives', () => {
  // 2008–2032: the notices' Qingming from 2008 (when it became a holiday) to 2026, and the almanac after.
  const april4 = [2008, 2009, 2012, 2013, 2016, 2017, 2020, 2021, 2024, 2025, 2028, 2029, 2032]
  for (let year = 2008; year <= 2032; year++)
    assert.equal(qingmingDay(year), `${year}-04-0${april4.includes(year) ? 4 : 5}`, String(year))
})

test('a year the State Council has not yet published keeps its statutory days off', () => {
  const holidays = new Set(CN_MAINLAND.holidays)
  for (const day of [
    '2027-01-01',
    '2027-04-05',
    '2027-05-01',
    '2027-05-02',
    '2027-10-01',
    '2027-10-02',
    '2027-10-03',
  ])
    assert.ok(holidays.has(day), `${day} is off`)
  assert.ok(!holidays.has('2027-01-04'), 'a plain Monday stays a working day')
})
