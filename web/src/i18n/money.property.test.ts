import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { exampleAmount, fromMinorUnits, minorDigits, minorStep, minorToMajor, toMinorUnits } from './money.ts'

const RUNS = Number(process.env.AFTERCARE_PROPERTY_RUNS ?? 0) || 500

/** Currencies of every minor unit there is in trade: cents, fen, none (yen, won), fils (dinars). */
const CURRENCIES = ['USD', 'EUR', 'CNY', 'JPY', 'KRW', 'KWD', 'BHD'] as const
const DIGITS: Record<(typeof CURRENCIES)[number], number> = {
  USD: 2,
  EUR: 2,
  CNY: 2,
  JPY: 0,
  KRW: 0,
  KWD: 3,
  BHD: 3,
}
const currency = fc.constantFrom(...CURRENCIES)
/** Whole amounts from nothing to the largest a JavaScript number holds exactly, small ones more often. */
const wholeAmount = fc.oneof(
  fc.integer({ min: 0, max: 1_000_000 }),
  fc.integer({ min: 0, max: 1_000_000_000 }),
  fc.maxSafeNat(),
)

describe('money in minor units of its own currency', () => {
  test('each currency has its ISO 4217 decimals, and its input step is one minor unit', () => {
    for (const code of CURRENCIES) assert.equal(minorDigits(code), DIGITS[code], code)
    assert.equal(minorStep('JPY'), '1')
    assert.equal(minorStep('KRW'), '1')
    assert.equal(minorStep('EUR'), '0.01')
    assert.equal(minorStep('KWD'), '0.001')
    assert.equal(minorStep('BHD'), '0.001')
  })

  test('an unknown or malformed code keeps two decimals, as Intl gives an unknown one', () => {
    for (const code of ['ABC', 'XXX', 'X1', '', 'US DOLLAR', '€']) {
      assert.equal(minorDigits(code), 2, code)
      assert.equal(fromMinorUnits(1250, code), '12.50', code)
      assert.deepEqual(toMinorUnits('12.50', code), { ok: true, minor: 1250 }, code)
    }
  })

  test('what a staff member types is the amount the API is sent: ¥1,000 is 1000, not 100000', () => {
    assert.deepEqual(toMinorUnits('1000', 'JPY'), { ok: true, minor: 1000 })
    assert.deepEqual(toMinorUnits('1000', 'KRW'), { ok: true, minor: 1000 })
    assert.deepEqual(toMinorUnits('1000', 'USD'), { ok: true, minor: 100_000 })
    assert.deepEqual(toMinorUnits('12.5', 'EUR'), { ok: true, minor: 1250 })
    assert.deepEqual(toMinorUnits('0.29', 'USD'), { ok: true, minor: 29 }, 'no floating-point 28.999…')
    assert.deepEqual(toMinorUnits('1.234', 'KWD'), { ok: true, minor: 1234 })
    assert.deepEqual(toMinorUnits('.5', 'BHD'), { ok: true, minor: 500 })
    assert.deepEqual(
      toMinorUnits('1e3', 'JPY'),
      { ok: true, minor: 1000 },
      'as a number input may hand it over',
    )
    assert.deepEqual(toMinorUnits(' １０００ ', 'JPY'), { ok: true, minor: 1000 }, 'full-width digits')
    assert.deepEqual(
      toMinorUnits('1000.00', 'JPY'),
      { ok: true, minor: 1000 },
      'zero decimals are no decimals',
    )
    assert.deepEqual(toMinorUnits('0', 'USD'), { ok: true, minor: 0 })
  })

  test('amounts are shown back with the currency’s own decimals', () => {
    assert.equal(fromMinorUnits(1000, 'JPY'), '1000')
    assert.equal(fromMinorUnits(1250, 'USD'), '12.50')
    assert.equal(fromMinorUnits(5, 'CNY'), '0.05')
    assert.equal(fromMinorUnits(1234, 'KWD'), '1.234')
    assert.equal(fromMinorUnits(-5, 'EUR'), '-0.05')
    assert.equal(minorToMajor(1000, 'JPY'), 1000)
    assert.equal(minorToMajor(1250, 'USD'), 12.5)
    assert.equal(minorToMajor(1234, 'BHD'), 1.234)
  })

  test('every whole amount, written back as its decimal, reads back as the same amount', () => {
    fc.assert(
      fc.property(currency, wholeAmount, (code, minor) => {
        const text = fromMinorUnits(minor, code)
        assert.deepEqual(toMinorUnits(text, code), { ok: true, minor })
        // The text has exactly the currency's decimals: what a number input with its step accepts.
        assert.equal(text.split('.')[1]?.length ?? 0, DIGITS[code])
      }),
      { numRuns: RUNS },
    )
  })

  test('more decimals than the currency has are refused, never rounded away', () => {
    fc.assert(
      fc.property(currency, wholeAmount, fc.integer({ min: 1, max: 9 }), (code, minor, extra) => {
        const text = fromMinorUnits(minor, code)
        // One more decimal, not zero: a fraction of the currency's smallest unit.
        const typed = `${text}${DIGITS[code] === 0 ? '.' : ''}${extra}`
        assert.deepEqual(toMinorUnits(typed, code), { ok: false, refusal: 'too-many-decimals' })
      }),
      { numRuns: RUNS },
    )
    assert.deepEqual(toMinorUnits('1000.5', 'JPY'), { ok: false, refusal: 'too-many-decimals' })
    assert.deepEqual(toMinorUnits('12.345', 'USD'), { ok: false, refusal: 'too-many-decimals' })
    assert.deepEqual(toMinorUnits('1.2345', 'KWD'), { ok: false, refusal: 'too-many-decimals' })
    assert.deepEqual(toMinorUnits('5e-1', 'JPY'), { ok: false, refusal: 'too-many-decimals' })
  })

  test('negative amounts are refused', () => {
    fc.assert(
      fc.property(currency, fc.integer({ min: 1, max: 1_000_000_000 }), (code, minor) => {
        assert.deepEqual(toMinorUnits(`-${fromMinorUnits(minor, code)}`, code), {
          ok: false,
          refusal: 'negative',
        })
      }),
      { numRuns: RUNS },
    )
  })

  test('what is not a number is refused as such, and nothing typed as empty', () => {
    for (const typed of [
      'abc',
      '12,50',
      '1,000',
      '¥1000',
      '$12',
      '1.2.3',
      '.',
      '-',
      'e5',
      '12 500',
      'NaN',
      'Infinity',
    ])
      assert.deepEqual(toMinorUnits(typed, 'USD'), { ok: false, refusal: 'not-a-number' }, typed)
    for (const typed of ['', '   '])
      assert.deepEqual(toMinorUnits(typed, 'JPY'), { ok: false, refusal: 'empty' }, JSON.stringify(typed))
    fc.assert(
      fc.property(
        currency,
        fc.string({ minLength: 1 }).filter((s) => /[^\d.eE+\-\s]/.test(s.normalize('NFKC'))),
        (code, typed) => {
          const parsed = toMinorUnits(typed, code)
          assert.deepEqual(parsed, { ok: false, refusal: 'not-a-number' }, JSON.stringify(typed))
        },
      ),
      { numRuns: RUNS },
    )
  })

  test('an amount past what a number holds exactly is refused', () => {
    assert.deepEqual(toMinorUnits('90071992547409.92', 'USD'), { ok: false, refusal: 'too-large' })
    assert.deepEqual(toMinorUnits('1e20', 'JPY'), { ok: false, refusal: 'too-large' })
  })

  test('the example in a refusal is itself an amount the currency takes', () => {
    for (const code of CURRENCIES) {
      const parsed = toMinorUnits(exampleAmount(code), code)
      assert.ok(parsed.ok, `${code}: ${exampleAmount(code)}`)
    }
    assert.equal(exampleAmount('JPY'), '1250')
    assert.equal(exampleAmount('USD'), '12.50')
    assert.equal(exampleAmount('KWD'), '12.500')
  })
})
