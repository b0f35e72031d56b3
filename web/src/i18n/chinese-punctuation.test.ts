import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  asciiPunctuationIn,
  catalogueStrings,
} from '../../../src/shared/messages/chinese-punctuation.test-support.ts'
import { zh as serverZh } from '../../../src/shared/messages/zh.ts'
import { zh } from './zh.ts'

test('the checker finds English brackets and punctuation in Chinese and lets what is shown as written pass', () => {
  assert.deepEqual(asciiPunctuationIn('费用 {estimate} [{lower}, {upper}]'), ['[', ',', ']'])
  assert.deepEqual(asciiPunctuationIn('费用 {estimate} [{lower}，{upper}]'), ['[', ']'])
  assert.deepEqual(asciiPunctuationIn('费用 {estimate} ［{lower}，{upper}］'), [])
  assert.deepEqual(asciiPunctuationIn('正在导入 [{bar}] {percentage}%'), [], 'a drawn progress bar')
  assert.deepEqual(asciiPunctuationIn('设备 (3 台)'), ['(', ')'])
  assert.deepEqual(asciiPunctuationIn('注意: 无; 其他'), [':', ';'])
  assert.deepEqual(asciiPunctuationIn('{field}：至少 {minimum} 项；共 1,000,000 个'), [])
  assert.deepEqual(asciiPunctuationIn('周一至周五 09:00–18:00，见 https://example.com/a,b'), [])
  assert.deepEqual(asciiPunctuationIn('{{label}}：（{{count}}）'), [])
  assert.deepEqual(asciiPunctuationIn('cost (USD): 1, 2; 3'), [], 'a line without Chinese is not looked at')
})

test('Chinese lines of the server’s and the web app’s catalogues use full-width （）［］，：；', () => {
  const lines = [
    ...catalogueStrings(serverZh).map(([key, text]) => [`server ${key}`, text] as const),
    ...catalogueStrings(zh).map(([key, text]) => [`web ${key}`, text] as const),
  ]
  assert.ok(lines.length > 1000, 'both catalogues are read')
  const wrong = lines
    .filter(([, text]) => asciiPunctuationIn(text).length > 0)
    .map(([key, text]) => `${key}: ${text}`)
  assert.deepEqual(wrong, [])
})
