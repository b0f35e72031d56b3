import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatListIn } from './lists.ts'

test('a list reads with the enumeration comma in Chinese and with commas in English', () => {
  assert.equal(formatListIn('zh-CN', ['维修', '更换', '退款']), '维修、更换、退款')
  assert.equal(formatListIn('zh-CN', ['维修']), '维修')
  assert.equal(formatListIn('en', ['repair', 'replacement']), 'repair, replacement')
  assert.equal(formatListIn('en', []), '')
})
