import assert from 'node:assert/strict'
import { test } from 'node:test'
import { en as serverEn } from '../../../src/shared/messages/en.ts'
import { zh as serverZh } from '../../../src/shared/messages/zh.ts'
import { en } from './en.ts'
import { zh } from './zh.ts'

/** Every string of a catalogue beside its English, by dotted path. */
function pairs(chinese: object, english: object, path = ''): [string, string, string][] {
  return Object.entries(chinese).flatMap(([key, value]): [string, string, string][] => {
    const other = (english as Record<string, unknown>)[key]
    const at = path ? `${path}.${key}` : key
    if (typeof value === 'string') return [[at, value, typeof other === 'string' ? other : '']]
    return typeof value === 'object' && value !== null && typeof other === 'object' && other !== null
      ? pairs(value, other, at)
      : []
  })
}

// English says "claim" for what a customer or dealer files and "case" for the staff's work
// item; Chinese says 申请 for the one and 工单 for the other, and never mixes them.
test('a claim is 申请 in Chinese wherever the English says claim, and 工单 only where it says case', () => {
  const mixed = [...pairs(zh, en), ...pairs(serverZh, serverEn)].filter(
    ([, chinese, english]) => chinese.includes('工单') && !/\bcases?\b/i.test(english),
  )
  assert.deepEqual(mixed, [])
  const cases = pairs(zh, en).filter(
    ([, chinese, english]) =>
      /\bcases?\b/i.test(english) && !/\bclaims?\b/i.test(english) && /申请/.test(chinese),
  )
  assert.deepEqual(cases, [])
})
