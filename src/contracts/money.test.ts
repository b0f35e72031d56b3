import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatMinor } from '../files/domain/document-labels.ts'
import { formatMinorIn, minorDigits, minorToDecimal, minorToMajor } from './money.ts'

test('a minor unit is the currency’s own: none for yen and won, two for dollars, three for dinars', () => {
  assert.deepEqual(['USD', 'EUR', 'CNY', 'JPY', 'KRW', 'KWD', 'BHD'].map(minorDigits), [2, 2, 2, 0, 0, 3, 3])
  assert.equal(minorToMajor(1000, 'JPY'), 1000)
  assert.equal(minorToMajor(1250, 'USD'), 12.5)
  assert.equal(minorToDecimal(1000, 'JPY'), '1000')
  assert.equal(minorToDecimal(7, 'USD'), '0.07')
  assert.equal(minorToDecimal(-1234, 'BHD'), '-1.234')
})

test('a code Intl does not know keeps two decimals; one it refuses does too, instead of throwing', () => {
  // Well formed but unknown: Intl itself answers two.
  assert.equal(minorDigits('ABC'), 2)
  assert.equal(formatMinorIn('en-GB', 1250, 'ABC').replace(/\s/g, ' '), 'ABC 12.50')
  // Malformed: Intl throws a RangeError, and the amount is written plainly with its code.
  assert.throws(() => new Intl.NumberFormat('en', { style: 'currency', currency: 'X1' }), RangeError)
  for (const code of ['X1', '', 'DOLLARS']) {
    assert.equal(minorDigits(code), 2, code)
    assert.equal(formatMinorIn('en-GB', 1250, code), `12.50 ${code}`)
  }
})

test('the printed documents and the e-mails write a thousand yen as a thousand yen', () => {
  // ICU's sign for the currency in British English and in Chinese (`JP¥`, `US$`); spaces may be non-breaking.
  const printed = (minor: number, currency: string, locale: 'en' | 'zh') =>
    formatMinor(minor, currency, locale).replace(/\s/g, ' ')
  assert.equal(printed(1000, 'JPY', 'en'), 'JP¥1,000')
  assert.equal(printed(1000, 'JPY', 'zh'), 'JP¥1,000')
  assert.equal(printed(1250, 'USD', 'en'), 'US$12.50')
  assert.equal(printed(1234, 'KWD', 'en'), 'KWD 1.234')
  assert.equal(printed(1250, 'X1', 'en'), '12.50 X1')
})
