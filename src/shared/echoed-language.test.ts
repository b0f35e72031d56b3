import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { clip } from '../policies/parse-case-line.ts'
import { isAppError } from './errors.ts'
import { translate } from './messages/translate.ts'
import { parseWholeNumber } from './validate.ts'

test('a long value an error echoes is cut with its length in the reader’s language', () => {
  let refusal: unknown
  try {
    parseWholeNumber('9'.repeat(100), '--port', { min: 0, max: 65535 })
  } catch (error) {
    refusal = error
  }
  assert.ok(isAppError(refusal))
  assert.match(refusal.messageIn('en'), /9{60}… \(100 characters\)"$/)
  assert.match(refusal.messageIn('zh'), /9{60}…（共 100 个字符）”$/)
  assert.doesNotMatch(refusal.messageIn('zh'), /characters/)
  const policy = translate('zh', 'policies.case-unknown-policy', {
    field: 'policy',
    policy: clip('p'.repeat(80)),
  })
  assert.equal(policy, `policy：没有名为 ${'p'.repeat(60)}…（共 80 个字符） 的策略`)
})

test('a value that only ends like a cut one is kept as written', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 20 }), fc.nat(20), (text, length) => {
      const written = `${text}… (${length} characters)`
      // Longer than the length it names, so no cut made it.
      const shown = translate('zh', 'validation.field-reason', { field: 'f', reason: written })
      assert.equal(shown, `f：${written}`)
    }),
  )
})
