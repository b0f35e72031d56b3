import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { isAppError } from '../shared/errors.ts'
import { checkPolicyFile } from './check-policy-file.ts'

const SHIPPED = fs.readFileSync(path.resolve(import.meta.dirname, '../../policies/ist.v1.yaml'), 'utf8')

test('examples a policy file gets wrong are listed in Chinese for a Chinese reader, the English as before', () => {
  const text = SHIPPED.replace(
    'expect: { covered: false, exclusions: { includes: [liquid-damage] }, warrantyEnds: 2026-03-14 }',
    'expect: { covered: true, basisIn: [doa], exclusions: { includes: [drop-damage] }, remedies: { includes: [refund], excludes: [repair] }, missingEvidence: { includes: [receipt] } }',
  )
  let refusal: unknown
  try {
    checkPolicyFile(text, 'ist.yaml')
  } catch (error) {
    refusal = error
  }
  assert.ok(isAppError(refusal))
  const english = refusal.messageIn('en').split('\n')
  assert.ok(
    english.includes('ist.yaml: example rust-inside: covered: expected true, got false'),
    english.join('\n'),
  )
  assert.ok(
    english.includes(
      'ist.yaml: example rust-inside: remedies: expected to include refund, got [paid-repair]',
    ),
    english.join('\n'),
  )
  const chinese = refusal.messageIn('zh').split('\n')
  assert.equal(chinese[0], '策略文件中的示例未通过：')
  assert.equal(chinese.length, english.length + 1)
  assert.ok(
    chinese.includes('ist.yaml：示例 rust-inside：covered 应为 true，实际为 false'),
    chinese.join('\n'),
  )
  for (const line of chinese.slice(1)) {
    // The file, the example's name, the fields and values are as the file writes them; the rest is Chinese.
    const words = line
      .replace(/^ist\.yaml：示例 rust-inside：/, '')
      .replace(/[\w.#@-]+/g, (token) => (/^[a-z][A-Za-z.]*$|^[a-z-]+$|^\d/.test(token) ? '' : token))
    assert.doesNotMatch(words, /[A-Za-z]/, line)
    assert.match(line, /[\u4e00-\u9fff]/, line)
  }
})
