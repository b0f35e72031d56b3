import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { createDayMemo } from './day-memo.ts'

describe('day memo', () => {
  it('keeps what it made for a day, and makes afresh for a day it cannot keep', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 65_535 }), fc.constantFrom(-1, 65_536, 1.5, Number.NaN))),
        (days) => {
          const memo = createDayMemo<{ day: number }>()
          const made: number[] = []
          const make = (day: number) => {
            made.push(day)
            return { day }
          }
          const first = new Map<number, { day: number }>()
          for (const day of days) {
            const value = memo.keep(day, make)
            assert.ok(Object.is(value.day, day))
            const keepable = Number.isInteger(day) && day >= 0 && day <= 65_535
            if (!keepable) continue
            if (first.has(day)) assert.equal(value, first.get(day))
            else first.set(day, value)
            assert.equal(memo.get(day), value)
          }
          const keepable = days.filter((day) => Number.isInteger(day) && day >= 0 && day <= 65_535)
          assert.equal(made.length, new Set(keepable).size + (days.length - keepable.length))
        },
      ),
    )
  })
})
