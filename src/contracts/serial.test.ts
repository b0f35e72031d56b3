import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { canonicalSerial, isSerial } from './serial.ts'

test('a serial typed in lower case, full width or with spaces around it is the same serial', () => {
  assert.equal(canonicalSerial(' pla-10105 '), 'PLA-10105')
  assert.equal(canonicalSerial('ＰＬＡ－１０１０５'), 'PLA-10105')
  assert.equal(canonicalSerial('ｐｌａ－１０１０５'), 'PLA-10105')
})

test('canonical serials are fixed points, and case never tells two serials apart', () => {
  const serialChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/-')
  fc.assert(
    fc.property(
      fc.array(serialChar, { minLength: 1, maxLength: 30 }).map((chars) => chars.join('')),
      (serial) => {
        const canonical = canonicalSerial(serial)
        assert.equal(canonicalSerial(canonical), canonical)
        assert.equal(canonicalSerial(serial.toLowerCase()), canonical)
        assert.equal(canonicalSerial(serial.toUpperCase()), canonical)
        // The full-width form a Chinese input method produces, character by character.
        const fullWidth = [...serial].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)).join('')
        assert.equal(canonicalSerial(fullWidth), canonical)
      },
    ),
  )
})

test('a serial the registry keeps: its characters, up to 64 of them', () => {
  assert.equal(isSerial('A'.repeat(64)), true)
  assert.equal(isSerial('A'.repeat(65)), false)
  assert.equal(isSerial('PLA 11680'), false)
  assert.equal(isSerial('-PLA'), false)
  assert.equal(isSerial('PLA-1/2_3.4'), true)
})
