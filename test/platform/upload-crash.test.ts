import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { openTestDatabase, testEngines } from '../../src/db/test-database.ts'
import { ORPHAN_GRACE_MS, sweepOrphanFiles } from '../../src/files/orphan-sweep.ts'

const root = path.resolve(import.meta.dirname, '../..')
const child = path.join(import.meta.dirname, 'upload-crash.child.ts')

/** Every file under the folder, relative to it. */
const filesUnder = (dir: string): string[] =>
  fs.existsSync(dir)
    ? (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
        .filter((entry) => entry.isFile())
        .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    : []

for (const engine of testEngines()) {
  test(`kill -9 between an upload placed on disk and its row committed leaves no row, and the sweep takes the file (${engine})`, {
    timeout: 60_000,
  }, async () => {
    const database = await openTestDatabase(engine)
    const { dataDir } = database
    try {
      const running = spawn(
        process.execPath,
        ['--import', 'tsx', child, dataDir, path.join(dataDir, 'aftercare.db')],
        { cwd: root, env: { ...process.env, ...database.processEnv }, stdio: ['ignore', 'pipe', 'pipe'] },
      )
      let output = ''
      const reached = new Promise<boolean>((resolve) => {
        running.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString()
          if (output.includes('written, not committed')) resolve(true)
        })
        running.stderr.on('data', (chunk: Buffer) => {
          output += chunk.toString()
        })
        running.on('exit', () => resolve(false))
      })
      const exited = new Promise<void>((resolve) => running.on('exit', () => resolve()))
      assert.equal(await reached, true, `the upload ended before the moment of the crash: ${output}`)
      running.kill('SIGKILL')
      await exited

      const placed = filesUnder(path.join(dataDir, 'uploads')).filter((f) => !f.startsWith('.incoming'))
      assert.equal(placed.length, 1, `the file was in place when the process died: ${placed.join(', ')}`)
      // A new connection, so what is read is what reached the database.
      const reopened = database.reopen()
      try {
        const rows = await reopened.db.selectFrom('files').select('id').execute()
        assert.deepEqual(rows, [], 'a row never committed is not there')
        // Within its grace the file may still be an upload in progress; after it, nothing refers to it.
        const soon = await sweepOrphanFiles(reopened.db, dataDir, new Date())
        assert.deepEqual(soon.removed, [])
        const later = await sweepOrphanFiles(
          reopened.db,
          dataDir,
          new Date(Date.now() + ORPHAN_GRACE_MS + 1000),
        )
        assert.deepEqual(later.removed, [path.join('uploads', placed[0] as string)])
        assert.deepEqual(filesUnder(path.join(dataDir, 'uploads')), [])
      } finally {
        await reopened.close()
      }
    } finally {
      await database.dispose()
    }
  })
}
