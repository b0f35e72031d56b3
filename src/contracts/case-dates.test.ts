import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parsePolicyFile, policyFileError } from '../policies/parse-policy-file.ts'
import { isAppError } from '../shared/errors.ts'
import { parseOrThrow } from '../shared/validate.ts'
import { caseSchema } from './case.ts'

const CASE = { policy: 'ist', claimedOn: '2025-05-01', product: { part: 'host' }, purchase: {} }

const refusalOf = (claimedOn: string) => {
  try {
    parseOrThrow(caseSchema, { ...CASE, claimedOn })
  } catch (error) {
    if (isAppError(error)) return error
    throw error
  }
  assert.fail(`${claimedOn} was taken`)
}

test('a date a case cannot hold is refused in each language with what is wrong, the English as before', () => {
  const wanted = [
    ['2025-5-1', 'claimedOn: must be a date YYYY-MM-DD', 'claimedOn：必须是 YYYY-MM-DD 格式的日期'],
    ['2025-02-30', 'claimedOn: must be a real calendar date', 'claimedOn：必须是日历上真实存在的日期'],
    [
      '1899-12-31',
      'claimedOn: must be a date from 1900-01-01 to 9999-12-31',
      'claimedOn：必须是 1900-01-01 至 9999-12-31 之间的日期',
    ],
  ] as const
  for (const [raw, english, chinese] of wanted) {
    const error = refusalOf(raw)
    assert.equal(error.messageIn('en'), english)
    assert.equal(error.messageIn('zh'), chinese)
  }
})

test('a policy file’s date that is not a day of the calendar is refused in Chinese saying so', () => {
  const text = 'id: x\nversion: "1"\ntitle: X\nlanguage: en\nsource: s\neffectiveFrom: 2020-02-30\n'
  const parsed = parsePolicyFile(text, 'x.yaml')
  assert.ok(!parsed.ok)
  const error = policyFileError(parsed.errors)
  assert.match(error.messageIn('en'), /x\.yaml:6: effectiveFrom: must be a real calendar date/)
  assert.match(error.messageIn('zh'), /x\.yaml:6: effectiveFrom：必须是日历上真实存在的日期/)
})
