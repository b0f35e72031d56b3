import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, mock, test } from 'node:test'
import { placeStagedFiles, type StagedFile } from './file-storage.ts'

/** The folders whose entries were flushed to disk (opened, then fsync'd) while `run` ran. */
async function foldersSynced(run: () => Promise<unknown>): Promise<string[]> {
  const synced: string[] = []
  const open = fs.open.bind(fs)
  mock.method(fs, 'open', async (file: string, flags?: string) => {
    const handle = await open(file, flags)
    const stat = await handle.stat()
    if (stat.isDirectory()) {
      const sync = handle.sync.bind(handle)
      handle.sync = async () => {
        await sync()
        synced.push(path.resolve(file))
      }
    }
    return handle
  })
  try {
    await run()
  } finally {
    mock.restoreAll()
  }
  return synced
}

describe('placing an upload', () => {
  let dataDir = ''
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }))

  test('flushes every folder it had to create, so a crash cannot lose a file whose row commits', async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'aftercare-place-'))
    const incoming = path.join(dataDir, 'incoming.part')
    writeFileSync(incoming, 'bytes')
    const staged: StagedFile = {
      id: 'f-1',
      tempPath: incoming,
      fieldName: 'file',
      displayName: 'photo.jpg',
      contentType: 'image/jpeg',
      sizeBytes: 5,
      sha256: '',
    }
    const synced = await foldersSynced(() =>
      placeStagedFiles(dataDir, [staged], new Date('2026-03-05T10:00:00Z')),
    )
    // The month folder holds the file's name; each new folder's name is held by its parent.
    for (const folder of ['uploads/2026/03', 'uploads/2026', 'uploads', '.']) {
      assert.ok(synced.includes(path.resolve(dataDir, folder)), `${folder} flushed: ${synced.join(', ')}`)
    }
  })
})
