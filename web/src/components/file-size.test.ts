import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sizeText } from './file-size.ts'

test('a file size is read in bytes, kilobytes or megabytes, never as 0 KB', () => {
  assert.equal(sizeText(0), '0 B')
  assert.equal(sizeText(310), '310 B')
  assert.equal(sizeText(1024), '1 KB')
  assert.equal(sizeText(250_000), '244 KB')
  assert.equal(sizeText(200 * 1024 * 1024), '200.0 MB')
})
