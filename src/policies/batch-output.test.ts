import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { type BatchOutput, createFileOutput, createStreamOutput } from './batch-output.ts'

const CHUNK = 4096

let scratchRoot = ''
let scratchFiles = 0
before(() => {
  scratchRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-batch-out-'))
})
after(() => fs.rmSync(scratchRoot, { recursive: true, force: true }))
const scratchFile = (): string => path.join(scratchRoot, `out-${++scratchFiles}.bin`)

/** Fills chunks as a batch does: `sizes` bytes each, every byte naming its chunk, awaiting `drain` between them. */
async function writeChunks(output: BatchOutput, sizes: readonly number[]): Promise<Buffer[]> {
  const sent: Buffer[] = []
  let chunk = output.nextChunk()
  for (let i = 0; i < sizes.length; i++) {
    const used = sizes[i]!
    chunk.fill(i % 251, 0, used)
    sent.push(Buffer.from(chunk.subarray(0, used)))
    output.write(chunk.subarray(0, used))
    chunk = output.nextChunk()
    const drained = output.drain()
    if (drained !== undefined) await drained
  }
  await output.end()
  return sent
}

describe('batch output to a file', () => {
  test('writes every chunk whole and in order, whatever their sizes and however many are queued', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: CHUNK }), { minLength: 1, maxLength: 40 }),
        async (sizes) => {
          const file = scratchFile()
          const fd = fs.openSync(file, 'w')
          try {
            const sent = await writeChunks(createFileOutput(fd, CHUNK), sizes)
            assert.deepEqual(fs.readFileSync(file), Buffer.concat(sent))
          } finally {
            fs.closeSync(fd)
          }
        },
      ),
      { numRuns: 50 },
    )
  })

  test('appends after what a file opened to append already holds', async () => {
    const file = scratchFile()
    fs.writeFileSync(file, 'before\n')
    const fd = fs.openSync(file, 'a')
    try {
      const sent = await writeChunks(createFileOutput(fd, CHUNK), [CHUNK, 10, CHUNK, CHUNK, 7])
      assert.deepEqual(fs.readFileSync(file), Buffer.concat([Buffer.from('before\n'), ...sent]))
    } finally {
      fs.closeSync(fd)
    }
  })

  test('fills written chunks again instead of making new ones', async () => {
    const fd = fs.openSync(scratchFile(), 'w')
    try {
      const output = createFileOutput(fd, CHUNK)
      const first = output.nextChunk()
      output.write(first.subarray(0, 100))
      await output.end()
      assert.equal(output.nextChunk().buffer, first.buffer)
    } finally {
      fs.closeSync(fd)
    }
  })

  test('a failed write ends the batch with its error, and nothing after it is written', async () => {
    const file = scratchFile()
    fs.writeFileSync(file, '')
    // Open for reading only: every write fails with EBADF.
    const fd = fs.openSync(file, 'r')
    try {
      await assert.rejects(
        writeChunks(createFileOutput(fd, CHUNK), [CHUNK, CHUNK, CHUNK, CHUNK, CHUNK, CHUNK]),
        {
          code: 'EBADF',
        },
      )
      assert.equal(fs.readFileSync(file).length, 0)
    } finally {
      fs.closeSync(fd)
    }
  })
})

describe('batch output to a stream', () => {
  test('holds the batch back while the reader is slow, and delivers everything in order', async () => {
    const received: Buffer[] = []
    let waits = 0
    const slow = new Writable({
      highWaterMark: CHUNK,
      write(chunk: Buffer, _encoding, done) {
        received.push(Buffer.from(chunk))
        setTimeout(done, 1)
      },
    })
    const output = createStreamOutput(slow, CHUNK)
    const counting: BatchOutput = {
      ...output,
      drain() {
        const drained = output.drain()
        if (drained !== undefined) waits++
        return drained
      },
    }
    const sent = await writeChunks(counting, [CHUNK, CHUNK, CHUNK, 5])
    await new Promise<void>((resolve) => slow.end(resolve))
    assert.deepEqual(Buffer.concat(received), Buffer.concat(sent))
    assert.ok(waits >= 3, `waited ${waits} times`)
  })

  test("a stream's error ends the batch with it", async () => {
    const failing = new Writable({
      write(_chunk, _encoding, done) {
        done(Object.assign(new Error('reader gone'), { code: 'EPIPE' }))
      },
    })
    await assert.rejects(writeChunks(createStreamOutput(failing, CHUNK), [CHUNK, CHUNK, CHUNK]), {
      code: 'EPIPE',
    })
  })
})
