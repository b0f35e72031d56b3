import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { AppError } from '../../shared/errors.ts'
import {
  joinCursor,
  joinEncodedCursor,
  nextCursor,
  splitCursor,
  splitEncodedCursor,
  splitGivenCursor,
} from './page.ts'

/** Instants as the lists store them: `toISOString()` of a day in years 0 to 9999. */
const instant = fc
  .date({
    min: new Date('0000-01-01T00:00:00.000Z'),
    max: new Date('9999-12-31T23:59:59.999Z'),
    noInvalidDate: true,
  })
  .map((date) => date.toISOString())

/** Ids as generated (uuids) and as any text could make them: `|`, `%`, spaces, CJK, emoji. */
const id = fc.oneof(
  fc.uuid(),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
  fc.stringMatching(/^[|%+ /&=?#a-z0-9]{1,20}$/),
)

/** The refusal every malformed cursor gets: a 400 naming the parameter it came in. */
function refusal(run: () => unknown): { field: string | undefined; key: string | undefined } | 'accepted' {
  try {
    run()
    return 'accepted'
  } catch (error) {
    assert.ok(error instanceof AppError, `not a refusal: ${String(error)}`)
    assert.equal(error.status, 400)
    return { field: error.field, key: error.text?.key }
  }
}

test('the cursor of the last row of a full page gives back its instant and id', () => {
  fc.assert(
    fc.property(instant, id, fc.nat(5), (at, rowId, before) => {
      const rows = [...Array<{ at: string; id: string }>(before).fill({ at, id: 'x' }), { at, id: rowId }]
      const next = nextCursor(rows, rows.length, (row) => joinCursor(row.at, row.id))
      assert.ok(next !== null)
      assert.deepEqual(splitCursor(next), { at, id: rowId })
    }),
  )
})

test('an encoded cursor of several columns gives back each, whatever they hold', () => {
  fc.assert(
    fc.property(instant, id, id, (at, claim, kind) => {
      assert.deepEqual(splitEncodedCursor(joinEncodedCursor([at, claim, kind]), 3), [at, claim, kind])
    }),
  )
})

test('junk is refused naming the parameter, never read as some other place in the list', () => {
  const junk = fc.oneof(
    // No `|` at all: a bare instant, a word, nothing.
    fc.string().filter((text) => !text.includes('|')),
    instant,
    // An instant and no id.
    instant.map((at) => `${at}|`),
    // Something before the `|` that is no instant.
    fc.tuple(fc.string(), id).map(([at, rest]) => `${/^\d/.test(at) ? `x${at}` : at}|${rest}`),
    fc.constantFrom('yesterday|1', '1|2', 'Jan 1|x', '2026-13-01T00:00:00.000Z|x', '|', '||', '%|%'),
  )
  fc.assert(
    fc.property(junk, fc.constantFrom('cursor', 'after', 'before'), (cursor, field) => {
      assert.deepEqual(
        refusal(() => splitCursor(cursor, field)),
        { field, key: 'page.bad-cursor' },
      )
    }),
  )
})

test('any text at all is either a cursor that joins back to itself or a 400, never a crash', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (cursor) => {
      const outcome = refusal(() => {
        const { at, id } = splitCursor(cursor)
        assert.equal(joinCursor(at, id), cursor)
      })
      if (outcome !== 'accepted') assert.deepEqual(outcome, { field: 'cursor', key: 'page.bad-cursor' })
    }),
  )
  fc.assert(
    fc.property(
      fc.oneof(fc.string({ unit: 'binary' }), fc.stringMatching(/^[%|0-9A-Fa-f:TZ.-]*$/)),
      (cursor) => {
        const outcome = refusal(() => splitEncodedCursor(cursor, 3))
        if (outcome !== 'accepted') assert.deepEqual(outcome, { field: 'cursor', key: 'page.bad-cursor' })
      },
    ),
  )
  // Stray `%` signs are what a decoder throws on: refused, not a 500.
  for (const cursor of ['%', '2026-01-20T08%3A00%3A00.000Z|%E0%A4%A|x', '2026-01-20T08:00:00.000Z|a|%'])
    assert.deepEqual(
      refusal(() => splitEncodedCursor(cursor, 3)),
      { field: 'cursor', key: 'page.bad-cursor' },
      cursor,
    )
})

test('the cursor given under its earlier name is refused naming that name', () => {
  assert.equal(splitGivenCursor({ cursor: undefined, after: undefined }), undefined)
  assert.deepEqual(splitGivenCursor({ cursor: '2026-01-20T08:00:00.000Z|k1', after: 'junk' }), {
    at: '2026-01-20T08:00:00.000Z',
    id: 'k1',
  })
  assert.deepEqual(
    refusal(() => splitGivenCursor({ cursor: undefined, after: 'junk' })),
    { field: 'after', key: 'page.bad-cursor' },
  )
  assert.deepEqual(
    refusal(() => splitGivenCursor({ cursor: '', before: undefined })),
    { field: 'cursor', key: 'page.bad-cursor' },
  )
})
