import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { ADVISORY_LOCKS } from './advisory-locks.ts'

test('every advisory lock has a key of its own', () => {
  const keys = Object.values(ADVISORY_LOCKS)
  assert.equal(new Set(keys).size, keys.length)
})

test('no code takes an advisory lock by a number of its own, outside the shared list', () => {
  const root = path.resolve(import.meta.dirname, '..')
  const files = fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))
  const own = files.filter((file) => {
    if (file.endsWith('.test.ts') || file === path.join('db', 'advisory-locks.ts')) return false
    const text = fs.readFileSync(path.join(root, file), 'utf8')
    return /\b7_?421_?0\d\d\b/.test(text)
  })
  assert.deepEqual(own, [])
})
