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

test(
  'a second writer of the same file is refused while the first writes, and may write once it has committed',
  inFolder(async (folder) => {
    const file = path.join(folder, 'units.csv')
    const first = openWholeFile(file, refuse)
    assert.throws(() => openWholeFile(file, refuse), /refused: EBUSY/)
    first.stream.write('first')
    await first.commit()
    first.discard()
    const second = openWholeFile(file, refuse)
    second.stream.write('second')
    await second.commit()
    second.discard()
    assert.equal(fs.readFileSync(file, 'utf8'), 'second')
    assert.deepEqual(fs.readdirSync(folder), ['units.csv'])
  }),
)

test(
  "partial files nobody writes any more are removed, another file's are left alone",
  inFolder(async (folder) => {
    const file = path.join(folder, 'units.csv')
    const hour = 60 * 60 * 1000
    const leftOver = (name: string, ageMs: number) => {
      const at = path.join(folder, name)
      fs.writeFileSync(at, 'left over')
      const then = new Date(Date.now() - ageMs)
      fs.utimesSync(at, then, then)
      return name
    }
    // A dead writer of this host with this process's number (numbers come round again), one
    // named the old way, untouched for over an hour, and another host's, as old.
    const ours = openWholeFile(file, refuse)
    const ownName = fs.readdirSync(folder).find((name) => name.endsWith('.partial')) as string
    ours.discard()
    leftOver(ownName, 0)
    leftOver('.units.csv.0b0e4f5c-8a3e-4a55-9d55-5d2a1b7c9e01.partial', 2 * hour)
    leftOver('.units.csv.ffffffff-1.partial', 2 * hour)
    const others = [leftOver('.units.csv.old.ffffffff-1.partial', 2 * hour), leftOver('units.csv.partial', 0)]
    const target = openWholeFile(file, refuse)
    target.stream.write('whole')
    await target.commit()
    target.discard()
    assert.deepEqual(fs.readdirSync(folder).sort(), [...others, 'units.csv'].sort())
  }),
)

test(
  "another host's partial file touched within the hour is taken for a writer still at work",
  inFolder(async (folder) => {
    const file = path.join(folder, 'units.csv')
    fs.writeFileSync(path.join(folder, '.units.csv.ffffffff-1.partial'), 'being written elsewhere')
    assert.throws(() => openWholeFile(file, refuse), /refused: EBUSY/)
    assert.deepEqual(fs.readdirSync(folder), ['.units.csv.ffffffff-1.partial'])
  }),
)
