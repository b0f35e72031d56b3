import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  humanDate,
  humanMonth,
  humanTimestamp,
  isCalendarDate,
  isIsoInstant,
  isTimeZone,
} from './human-date.ts'
import { localDate } from './local-date.ts'

const DAY = 86_400_000
const FIRST_DAY = Date.UTC(1900, 0, 1)
const LAST_DAY = Date.UTC(9999, 11, 31)

// Written out here rather than read from Intl, so the check does not share the formatter's source.
const ENGLISH_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]

/** The `YYYY-MM-DD` a reader's date names, or null when it is not in the expected form. */
function readBack(text: string, language: 'en' | 'zh'): string | null {
  const match =
    language === 'en'
      ? /^(\d{1,2}) ([A-Z][a-z]+) (\d{4})$/.exec(text)
      : /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(text)
  if (!match) return null
  const [year, month, day] =
    language === 'en'
      ? [match[3], ENGLISH_MONTHS.indexOf(match[2] ?? '') + 1, match[1]]
      : [match[1], Number(match[2]), match[3]]
  if (month < 1) return null
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

const isoDay = (dayNumber: number) => new Date(dayNumber * DAY).toISOString().slice(0, 10)

describe('humanDate', () => {
  it('writes a day as each language does', () => {
    assert.equal(humanDate('2026-12-03', 'en'), '3 December 2026')
    assert.equal(humanDate('2026-12-03', 'zh'), '2026年12月3日')
    assert.equal(humanDate('2028-02-29', 'en'), '29 February 2028')
    assert.equal(humanDate('1900-01-01', 'zh'), '1900年1月1日')
    assert.equal(humanDate('9999-12-31', 'en'), '31 December 9999')
  })

  it('keeps the day whatever zone the machine is in', () => {
    const before = process.env.TZ
    try {
      for (const zone of ['Pacific/Kiritimati', 'Etc/GMT+12', 'Asia/Shanghai', 'America/Los_Angeles']) {
        process.env.TZ = zone
        assert.equal(humanDate('2026-01-01', 'en'), '1 January 2026', zone)
        assert.equal(humanDate('2026-12-31', 'zh'), '2026年12月31日', zone)
      }
    } finally {
      if (before === undefined) delete process.env.TZ
      else process.env.TZ = before
    }
  })

  it('refuses what names no day', () => {
    for (const value of [
      '2026-02-30',
      '2025-02-29',
      '2026-13-01',
      '2026-00-10',
      '2026-1-5',
      '2026-12-03T14:05Z',
      '',
    ])
      assert.throws(() => humanDate(value, 'en'), RangeError, value)
    assert.equal(isCalendarDate('2028-02-29'), true)
    assert.equal(isCalendarDate('2026-02-30'), false)
  })

  it('every day from 1900 to 9999 reads back as the same day, with its year, in both languages', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: FIRST_DAY / DAY, max: LAST_DAY / DAY }),
        fc.constantFrom('en' as const, 'zh' as const),
        (dayNumber, language) => {
          const date = isoDay(dayNumber)
          const text = humanDate(date, language)
          assert.equal(readBack(text, language), date, text)
          assert.ok(text.includes(date.slice(0, 4)), text)
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('reads back the first and last days of the range and every month end of a leap year', () => {
    const days = ['1900-01-01', '1900-02-28', '1900-03-01', '2000-02-29', '9999-12-31']
    for (let month = 1; month <= 12; month++)
      days.push(isoDay(Date.UTC(2028, month, 1) / DAY - 1), `2028-${String(month).padStart(2, '0')}-01`)
    for (const date of days)
      for (const language of ['en', 'zh'] as const)
        assert.equal(readBack(humanDate(date, language), language), date)
  })
})

describe('humanMonth', () => {
  it('writes a month as each language does, and refuses what is none', () => {
    assert.equal(humanMonth('2025-11', 'en'), 'November 2025')
    assert.equal(humanMonth('2025-11', 'zh'), '2025年11月')
    assert.equal(humanMonth('1900-01', 'zh'), '1900年1月')
    for (const value of ['2025-13', '2025-00', '2025-1', '2025-11-01', ''])
      assert.throws(() => humanMonth(value, 'en'), RangeError, value)
  })

  it('every month from 1900 to 9999 reads back as the same month in both languages', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom('en' as const, 'zh' as const),
        (year, month, language) => {
          const value = `${year}-${String(month).padStart(2, '0')}`
          const text = humanMonth(value, language)
          const match =
            language === 'en' ? /^([A-Z][a-z]+) (\d{4})$/.exec(text) : /^(\d{4})年(\d{1,2})月$/.exec(text)
          assert.ok(match, text)
          const [readYear, readMonth] =
            language === 'en'
              ? [Number(match[2]), ENGLISH_MONTHS.indexOf(match[1] ?? '') + 1]
              : [Number(match[1]), Number(match[2])]
          assert.deepEqual([readYear, readMonth], [year, month], text)
        },
      ),
      { numRuns: 500 },
    )
  })
})

describe('humanTimestamp', () => {
  const at = '2026-12-03T14:05:00.000Z'

  it('shows the clock of the zone and names the zone in the reader’s language', () => {
    assert.equal(
      humanTimestamp(at, 'en', 'Europe/Berlin'),
      '3 December 2026, 15:05 (Central European Standard Time)',
    )
    assert.equal(humanTimestamp(at, 'zh', 'Asia/Shanghai'), '2026年12月3日 22:05（中国标准时间）')
    assert.equal(
      humanTimestamp('2026-07-01T06:00:00Z', 'en', 'Europe/Berlin'),
      '1 July 2026, 08:00 (Central European Summer Time)',
    )
  })

  it('without a zone is UTC, named in words of the language', () => {
    assert.equal(humanTimestamp(at, 'en'), '3 December 2026, 14:05 (Coordinated Universal Time)')
    assert.equal(humanTimestamp(at, 'zh'), '2026年12月3日 14:05（协调世界时）')
  })

  it('moves to the next day where the zone is past midnight', () => {
    assert.equal(
      humanTimestamp('2026-12-03T20:30:00Z', 'zh', 'Asia/Shanghai'),
      '2026年12月4日 04:30（中国标准时间）',
    )
    assert.equal(
      humanTimestamp('2026-12-04T04:30:00+08:00', 'en', 'UTC'),
      '3 December 2026, 20:30 (Coordinated Universal Time)',
    )
    assert.equal(
      humanTimestamp(new Date('2026-12-03T00:00:00Z'), 'en', 'UTC'),
      '3 December 2026, 00:00 (Coordinated Universal Time)',
    )
  })

  it('names a zone that has no name of its own by its offset, without Latin letters for a Chinese reader', () => {
    assert.equal(humanTimestamp(at, 'en', 'Etc/GMT+12'), '3 December 2026, 02:05 (GMT-12:00)')
    assert.equal(humanTimestamp(at, 'zh', 'Etc/GMT+12'), '2026年12月3日 02:05（协调世界时-12:00）')
  })

  it('no zone the runtime knows puts a Latin letter into a Chinese timestamp', () => {
    for (const zone of Intl.supportedValuesOf('timeZone'))
      for (const instant of ['2026-01-15T14:05:00Z', '2026-07-15T14:05:00Z'])
        assert.doesNotMatch(humanTimestamp(instant, 'zh', zone), /[A-Za-z]/, zone)
  })

  it('refuses a timestamp without its offset and a zone the runtime does not know', () => {
    assert.throws(() => humanTimestamp('2026-12-03T14:05:00', 'en'), RangeError)
    assert.throws(() => humanTimestamp('2026-12-03', 'en'), RangeError)
    assert.throws(() => humanTimestamp(new Date(Number.NaN), 'en'), RangeError)
    assert.throws(() => humanTimestamp(at, 'en', 'Mars/Olympus_Mons'), RangeError)
    assert.equal(isIsoInstant('2026-12-03T14:05:00.123Z'), true)
    assert.equal(isIsoInstant('2026-12-03T14:05+08:00'), true)
    assert.equal(isIsoInstant('2026-12-03T14:05:00'), false)
    assert.equal(isIsoInstant('2026-13-03T14:05:00Z'), false)
    assert.equal(isTimeZone('Asia/Shanghai'), true)
    assert.equal(isTimeZone('UTC'), true)
    assert.equal(isTimeZone('Mars/Olympus_Mons'), false)
  })

  it('its day is the calendar date of the instant in the zone, and the clock the zone’s', () => {
    const zones = [
      'UTC',
      'Asia/Shanghai',
      'Europe/Berlin',
      'America/New_York',
      'Asia/Kathmandu',
      'Pacific/Kiritimati',
    ]
    fc.assert(
      fc.property(
        fc.integer({ min: FIRST_DAY, max: LAST_DAY }),
        fc.constantFrom(...zones),
        fc.constantFrom('en' as const, 'zh' as const),
        (time, zone, language) => {
          const instant = new Date(time)
          const text = humanTimestamp(instant, language, zone)
          const day = humanDate(localDate(instant, zone), language)
          assert.ok(text.startsWith(language === 'zh' ? `${day} ` : `${day}, `), `${text} / ${day}`)
          const clock = new Intl.DateTimeFormat('en-GB', {
            timeZone: zone,
            hour: '2-digit',
            minute: '2-digit',
            hourCycle: 'h23',
          }).format(instant)
          assert.ok(text.includes(` ${clock}`), `${text} / ${clock}`)
        },
      ),
      { numRuns: 500 },
    )
  })
})
