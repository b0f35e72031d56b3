import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { openWholeFile } from './whole-file.ts'

const refuse = (error: unknown) => new Error(`refused: ${(error as NodeJS.ErrnoException).code}`)

function inFolder(work: (folder: string) => Promise<void>) {
  return async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'whole-file-'))
    try {
      await work(folder)
    } finally {
      fs.rmSync(folder, { recursive: true, force: true })
    }
  }
}

test(
  'a writer that fails part-way leaves the previous file as it was and nothing beside it',
  inFolder(async (folder) => {
    const file = path.join(folder, 'statement.pdf')
    fs.writeFileSync(file, 'the previous statement')
    const target = openWholeFile(file, refuse)
    try {
      target.stream.write('half of the new one')
      throw new Error('the database went away')
    } catch {
      // The command reports its own failure; the file must not carry it.
    } finally {
      target.discard()
    }
    assert.equal(fs.readFileSync(file, 'utf8'), 'the previous statement')
    assert.deepEqual(fs.readdirSync(folder), ['statement.pdf'])
  }),
)

test(
  'a committed file holds everything written, under its own name only',
  inFolder(async (folder) => {
    const file = path.join(folder, 'units.csv')
    fs.writeFileSync(file, 'old')
    const target = openWholeFile(file, refuse)
    // Nothing under the file's name changes while it is written.
    target.stream.write('a,b\n')
    assert.equal(fs.readFileSync(file, 'utf8'), 'old')
    target.stream.write('1,2\n')
    await target.commit()
    target.discard()
    assert.equal(fs.readFileSync(file, 'utf8'), 'a,b\n1,2\n')
    assert.deepEqual(fs.readdirSync(folder), ['units.csv'])
  }),
)

test(
  'a folder, or a file in a folder that does not exist, is refused before anything is written',
  inFolder(async (folder) => {
    assert.throws(() => openWholeFile(folder, refuse), /refused: EISDIR/)
    assert.throws(() => openWholeFile(path.join(folder, 'none', 'x.csv'), refuse), /refused: ENOENT/)
    assert.deepEqual(fs.readdirSync(folder), [])
  }),
)
