import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { isAppError } from '../shared/errors.ts'
import { checkRecoveryTermsFile, SHIPPED_RECOVERY_TERMS_DIR } from './load-recovery-terms.ts'

const SHIPPED = fs.readFileSync(path.join(SHIPPED_RECOVERY_TERMS_DIR, 'ist-distributor.v1.yaml'), 'utf8')

function refusal(text: string) {
  try {
    checkRecoveryTermsFile(text, 'terms.yaml')
  } catch (error) {
    if (isAppError(error)) return error
    throw error
  }
  assert.fail('the terms were taken')
}

test('a terms file’s problems are listed in Chinese for a Chinese reader, the English as the file check wrote them', () => {
  const text = SHIPPED.replace('effectiveTo: null', 'effectiveTo: 2019-12-31')
    .replace('version: "1"', 'version: "1 beta"')
    .replace('- key: parts-at-list', '- key: Parts_At_List')
    .replace('code: PC-BOARD', 'code: pc-board')
    .replace('text: "the in-warranty equipment will be repaired normally"', 'text: "  "')
  const error = refusal(text)
  assert.deepEqual(error.messageIn('en').split('\n'), [
    'terms.yaml: version: must be a version such as 1 or 2.1',
    'terms.yaml: costs.0.key: must be lower-case words joined by hyphens, such as parts-at-cost',
    'terms.yaml: costs.0.text: quote or paraphrase the source',
    'terms.yaml: costs.1.repairCodes.0.code: must be upper-case letters, digits and hyphens',
    'terms.yaml: effectiveTo: must not be before effectiveFrom',
  ])
  assert.deepEqual(error.messageIn('zh').split('\n'), [
    '追偿条款文件有错误：',
    'terms.yaml: version：必须是版本号，例如 1 或 2.1',
    'terms.yaml: costs.0.key：必须是以连字符连接的小写单词，例如 parts-at-cost',
    'terms.yaml: costs.0.text：请引用或转述来源原文',
    'terms.yaml: costs.1.repairCodes.0.code：只能包含大写字母、数字和连字符（-）',
    'terms.yaml: effectiveTo：不得早于 effectiveFrom',
  ])
})

test('a terms file that is not YAML, or has a date off the calendar, is refused in Chinese words', () => {
  const broken = refusal('kind: recovery-terms\nid: x\n  a: [\n').messageIn('zh')
  assert.match(broken, /terms\.yaml: \(yaml\)：不是有效的 YAML：/)
  assert.doesNotMatch(broken.replace(/terms\.yaml|\(yaml\)|YAML/g, ''), /[A-Za-z]{3,}/)
  const date = refusal(SHIPPED.replace('effectiveFrom: 2020-01-01', 'effectiveFrom: 2020-02-30')).messageIn(
    'zh',
  )
  assert.match(date, /terms\.yaml: effectiveFrom：必须是日历上真实存在的日期/)
})

test('cost clauses paying one cost twice are refused in Chinese naming the clause that pays it', () => {
  const twice = SHIPPED.replace(
    '  - key: standard-labour\n    kind: labour',
    '  - key: more-parts\n    kind: parts\n    text: again\n    price: cost\n  - key: standard-labour\n    kind: labour',
  )
  const error = refusal(twice)
  assert.match(error.messageIn('en'), /costs\.1\.kind: parts is already paid by parts-at-list/)
  assert.match(error.messageIn('zh'), /costs\.1\.kind：parts 已由 parts-at-list 支付/)
})
