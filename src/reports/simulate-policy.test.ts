import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { AppError } from '../shared/errors.ts'
import { BUILTIN_CALENDAR_IDS } from '../sla/index.ts'
import { compileDraftPolicy } from './simulate-policy.ts'

test('a draft written for another policy is refused at the line of its id, not at line 0', () => {
  const touptek = fs.readFileSync(path.resolve('policies/touptek.v1.yaml'), 'utf8')
  // Lines before it (a comment, a blank) so the line is not the first by chance.
  const draft = `# draft\n\n${touptek}`
  const idLine = draft.split('\n').findIndex((line) => /^id:/.test(line)) + 1
  assert.ok(idLine > 1)
  assert.throws(
    () => compileDraftPolicy(draft, 'player-one', BUILTIN_CALENDAR_IDS, 'draft.yaml'),
    (error: unknown) => {
      assert.ok(error instanceof AppError)
      assert.equal(error.field, 'yaml')
      assert.deepEqual(error.details, {
        errors: [{ file: 'draft.yaml', line: idLine, field: 'id', message: 'must match policyId' }],
      })
      return true
    },
  )
})
