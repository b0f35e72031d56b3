import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { afterEach, describe, mock, test } from 'node:test'
import { DEFAULT_UPLOAD_LIMITS } from './domain/upload-rules.ts'
import { placeStagedFiles, type StagedFile, stageUpload } from './file-storage.ts'
import {
  sampleIsoFile,
  sampleJpeg,
  samplePdf,
  samplePng,
  sampleWebm,
  sampleWebp,
} from './sample-files.test-support.ts'

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

describe('staging an upload', () => {
  let dataDir = ''
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }))

  const samples: [string, string, Buffer][] = [
    ['photo.jpg', 'image/jpeg', sampleJpeg({ size: 9000 })],
    ['photo.png', 'image/png', samplePng({ width: 40, height: 40 })],
    ['photo.webp', 'image/webp', sampleWebp()],
    ['photo.heic', 'image/heic', sampleIsoFile('heic')],
    ['clip.mp4', 'video/mp4', sampleIsoFile('mp4')],
    ['clip.mov', 'video/quicktime', sampleIsoFile('mov')],
    ['clip.webm', 'video/webm', sampleWebm({ unknownSize: true })],
    ['receipt.pdf', 'application/pdf', samplePdf()],
  ]
  const stage = (name: string, bytes: Buffer, chunk: number) =>
    stageUpload(
      dataDir,
      Readable.from(
        Array.from({ length: Math.ceil(bytes.length / chunk) }, (_, i) =>
          bytes.subarray(i * chunk, (i + 1) * chunk),
        ),
      ),
      { fieldName: 'body.photo', fileName: name, declaredType: undefined },
      DEFAULT_UPLOAD_LIMITS,
    )

  test('takes a whole file of every accepted type, and refuses it cut short naming the field, leaving no temp file', async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'aftercare-stage-'))
    for (const [name, type, bytes] of samples) {
      const staged = await stage(name, bytes, 1000)
      assert.equal(staged.contentType, type, name)
      await fs.rm(staged.tempPath)
      await assert.rejects(stage(name, bytes.subarray(0, bytes.length - 5), 1000), (error: unknown) => {
        const refused = error as { code?: string; field?: string; text?: { key: string } }
        assert.equal(refused.code, 'unsupported-media-type', name)
        assert.equal(refused.field, 'body.photo', name)
        assert.equal(refused.text?.key, 'files.damaged', name)
        return true
      })
      assert.deepEqual(await fs.readdir(path.join(dataDir, 'uploads', '.incoming')), [], name)
    }
  })
})
