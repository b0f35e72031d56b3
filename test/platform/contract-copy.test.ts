import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'

const ROOT = path.resolve(import.meta.dirname, '../..')
const COPY = path.join(ROOT, 'contracts')
const SHARED = path.resolve(ROOT, '../shared/contracts')

/** Every file under `dir`, by its path inside it. */
function filesUnder(dir: string, inside = ''): string[] {
  return fs.readdirSync(path.join(dir, inside), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(inside, entry.name)
    return entry.isDirectory() ? filesUnder(dir, relative) : [relative]
  })
}

test('the repository holds the shared adjudication contract unchanged', {
  skip: fs.existsSync(SHARED) ? false : `no shared contract folder at ${SHARED} to compare with`,
}, () => {
  const copied = filesUnder(COPY).filter((file) => file !== 'README.md')
  assert.deepEqual(copied.sort(), filesUnder(SHARED).sort())
  for (const file of copied) {
    assert.ok(fs.readFileSync(path.join(COPY, file)).equals(fs.readFileSync(path.join(SHARED, file))), file)
  }
})
