import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { parseOrThrow } from '../shared/validate.ts'
import { CLAIM_ACTION_ENTRIES } from './claim-actions.ts'
import { SELF_CHECK_LISTS, selfCheckListById } from './domain/self-checks.ts'

const body = CLAIM_ACTION_ENTRIES.find((e) => e.action === 'record-selfcheck')?.body
if (!body) throw new Error('record-selfcheck has no body')

const everyCheckId = [...new Set(SELF_CHECK_LISTS.flatMap((l) => l.checks.map((c) => c.id)))]
/** Mostly ids of real lists and checks, so answers are often right and often a near miss. */
const listIds = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SELF_CHECK_LISTS.map((l) => l.id)) },
  { weight: 1, arbitrary: fc.constantFrom('cooled-camera', 'power-and-usb', 'GENERIC', 'touptek ') },
)
const answers = fc.array(
  fc.record({
    checkId: fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...everyCheckId) },
      { weight: 1, arbitrary: fc.constantFrom('usb3-port', 'powers-on', 'Latest-Software') },
    ),
    passed: fc.boolean(),
  }),
  { minLength: 1, maxLength: 6 },
)

describe('recorded self-check answers', () => {
  test('are taken exactly when they answer checks of a list there is, each at most once; a refusal names the field', () => {
    fc.assert(
      fc.property(listIds, answers, (checklist, results) => {
        const list = selfCheckListById(checklist)
        const ids = results.map((r) => r.checkId)
        const fits =
          list !== undefined &&
          ids.every((id) => list.checks.some((c) => c.id === id)) &&
          new Set(ids).size === ids.length
        let field: string | undefined
        try {
          parseOrThrow(body, { checklist, results }, 'body')
        } catch (error) {
          field = (error as { field?: string }).field
        }
        assert.equal(field === undefined, fits, JSON.stringify({ checklist, results, field }))
        if (!fits && list === undefined) assert.equal(field, 'body.checklist')
        if (!fits && list !== undefined) assert.match(field ?? '', /^body\.results\.\d+\.checkId$/)
      }),
    )
  })
})

/** Characters a page shows nothing for, mixed with a few it does. */
const noteChars = fc.constantFrom(
  ' ',
  '\t',
  '\n',
  '\u00a0',
  '\u3000',
  '\u200b',
  '\u200d',
  '\u2060',
  '\ufeff',
  'a',
  '帧',
  '7',
)
const notes = fc.oneof(
  fc
    .array(fc.constantFrom(' ', '\t', '\u00a0', '\u3000', '\u200b', '\u200d', '\u2060', '\ufeff'), {
      maxLength: 20,
    })
    .map((cs) => cs.join('')),
  fc.array(noteChars, { maxLength: 30 }).map((cs) => cs.join('')),
)

describe('what the customer saw, beside a failed check', () => {
  test('is kept only when it shows something, so staff never read an empty "saw" line', () => {
    fc.assert(
      fc.property(notes, (note) => {
        const parsed = parseOrThrow(
          body,
          { checklist: 'generic', results: [{ checkId: 'latest-software', passed: false, note }] },
          'body',
        ) as { results: { note?: string }[] }
        const kept = parsed.results[0]?.note
        const visible = note.replace(/[\p{White_Space}\p{Default_Ignorable_Code_Point}]/gu, '')
        if (visible === '') assert.equal(kept, undefined, JSON.stringify(note))
        else assert.equal(kept?.replace(/[\p{White_Space}\p{Default_Ignorable_Code_Point}]/gu, ''), visible)
      }),
    )
  })
})
