import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import type { WarrantyCase } from '../contracts/case.ts'
import { isAppError } from '../shared/errors.ts'
import type { BatchOutput } from './batch-output.ts'
import { type BatchInput, type ByteSource, bufferInput, decideBatch } from './decide-batch.ts'
import { loadPolicyLibrary, SHIPPED_POLICIES_DIR } from './load-policies.ts'
import { buildCase, folderWithPlayerOneV2 } from './policy-test-support.ts'

const library = loadPolicyLibrary()

/** An output that keeps what it is given, in small chunks so that lines cross them. */
function memoryOutput(): BatchOutput & { text(): string } {
  const chunks: Buffer[] = []
  return {
    write: (chunk) => chunks.push(Buffer.from(chunk)),
    nextChunk: () => Buffer.allocUnsafe(4096),
    drain: () => undefined,
    end: async () => {},
    text: () => Buffer.concat(chunks).toString('utf8'),
  }
}

const expectedLines = (cases: readonly WarrantyCase[]): string =>
  cases.map((c) => `${JSON.stringify(library.decide(c))}\n`).join('')

/**
 * How a batch reads its input in a test: whole, as given; or in pieces of a few bytes
 * (`readSizes`, in turn) into a buffer that starts small (`chunkBytes`), so that lines
 * cross the pieces and the longer ones make the buffer grow; as a file, of whose cases
 * the batch keeps the first `keepCases` and reads the rest again, or as a pipe, read once
 * (`reopens`).
 */
interface Reading {
  chunkBytes: number
  readSizes: number[]
  reopens: boolean
  keepCases: number
}

const aReading: fc.Arbitrary<Reading | undefined> = fc.option(
  fc.record({
    chunkBytes: fc.integer({ min: 1, max: 600 }),
    readSizes: fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 5 }),
    reopens: fc.boolean(),
    keepCases: fc.integer({ min: 0, max: 4 }),
  }),
  { nil: undefined },
)

function inputOf(bytes: Buffer, reading: Reading | undefined): Buffer | BatchInput {
  if (reading === undefined) return bytes
  const whole = bufferInput(bytes)
  let opened = 0
  return {
    reopens: reading.reopens,
    open: (): ByteSource => {
      opened++
      assert.ok(reading.reopens || opened === 1, 'an input that does not reopen is read once')
      const read = whole.open()
      let turn = 0
      return (into, at, length) =>
        read(into, at, Math.min(length, reading.readSizes[turn++ % reading.readSizes.length]!))
    },
  }
}

async function batchOf(bytes: Buffer, reading?: Reading): Promise<string> {
  const output = memoryOutput()
  await decideBatch(inputOf(bytes, reading), library, undefined, output, {
    chunkBytes: reading?.chunkBytes,
    keepCases: reading?.keepCases,
  })
  return output.text()
}

async function refusalOf(bytes: Buffer, reading?: Reading): Promise<string> {
  try {
    await decideBatch(inputOf(bytes, reading), library, undefined, memoryOutput(), {
      chunkBytes: reading?.chunkBytes,
      keepCases: reading?.keepCases,
    })
  } catch (error) {
    if (isAppError(error)) return error.message
    throw error
  }
  assert.fail('the batch was not refused')
}

const CASES = [
  buildCase('ist'),
  buildCase('retailer', { claimedOn: '2025-01-10' }),
  buildCase('player-one', { problem: { kind: 'arrived-damaged' } }),
]

describe('decide --batch reads its lines from the bytes', () => {
  // First in the file: before any test has loaded the full check of a case.
  test('a case the quick check does not pass is read with the full check, loaded when first needed', async () => {
    const bad = JSON.stringify({ ...CASES[1], claimedOn: '2025-02-30' })
    const text = `${JSON.stringify(CASES[0])}\n${bad}\n${JSON.stringify(CASES[2])}\n`
    for (const reopens of [true, false]) {
      const message = await refusalOf(Buffer.from(text), {
        chunkBytes: 64,
        readSizes: [50],
        reopens,
        keepCases: 1,
      })
      assert.match(message, /^line 2\.claimedOn: /)
    }
  })

  test('line endings, blank lines, a byte order mark and a last line without its newline are read as a text decoder would', async () => {
    const separators = fc.constantFrom('\n', '\r\n', '\n\n', '\n  \n', '\r\n\r\n')
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...CASES), { minLength: 1, maxLength: 6 }),
        fc.array(separators, { minLength: 6, maxLength: 6 }),
        fc.boolean(),
        fc.boolean(),
        aReading,
        async (cases, between, bom, lastNewline, reading) => {
          let text = bom ? '\ufeff' : ''
          cases.forEach((c, i) => {
            text += JSON.stringify(c)
            if (i < cases.length - 1 || lastNewline) text += between[i]!
          })
          assert.equal(await batchOf(Buffer.from(text), reading), expectedLines(cases))
        },
      ),
      { numRuns: 200 },
    )
  })

  test('a line with characters beyond ASCII is read as UTF-8, among ASCII lines, and an error echoes them whole', async () => {
    const described = buildCase('ist', {
      problem: { kind: 'malfunction', description: '画面出现条纹 — stripes' },
    })
    const plain = CASES[1]!
    const good = JSON.stringify(described)
    const unknown = JSON.stringify({ ...described, policy: '星特朗' })
    await fc.assert(
      fc.asyncProperty(aReading, async (reading) => {
        const lines = [plain, described, plain, plain]
        const text = lines.map((c) => `${JSON.stringify(c)}\n`).join('')
        assert.equal(await batchOf(Buffer.from(text), reading), expectedLines(lines))
        const message = await refusalOf(
          Buffer.from(`${JSON.stringify(plain)}\n${good}\n${unknown}\n`),
          reading,
        )
        assert.match(message, /line 3\.policy/)
        assert.match(message, /星特朗/)
      }),
      { numRuns: 60 },
    )
  })

  test('an input that changes between its two readings stops the batch, saying so', async () => {
    const good = Buffer.from(`${CASES.map((c) => JSON.stringify(c)).join('\n')}\n`)
    const changed = Buffer.from(good.toString().replace('"policy":"retailer"', '"policy":7'))
    let opened = 0
    const output = memoryOutput()
    const input: BatchInput = {
      reopens: true,
      open: () => bufferInput(opened++ === 0 ? good : changed).open(),
    }
    // One case kept from the first reading: the second reads the rest again.
    await assert.rejects(
      decideBatch(input, library, undefined, output, { keepCases: 1 }),
      (error: unknown) => {
        assert.ok(isAppError(error))
        assert.equal(error.code, 'conflict')
        assert.match(error.message, /^line 2: the input changed while the batch read it/)
        return true
      },
    )
    // What was handed on before the change was found is the first decision, or part of it.
    assert.ok(expectedLines(CASES.slice(0, 1)).startsWith(output.text()))
  })

  test('a named policy version decides every line, from kept facts and from lines read again', async () => {
    const versions = loadPolicyLibrary([SHIPPED_POLICIES_DIR, folderWithPlayerOneV2()])
    // Sold in 2026: version 2 (a three-year term) is in force, and version 1 is asked for.
    const sold2026 = [0, 40, 200].map((days) =>
      buildCase('player-one', {
        claimedOn: '2026-09-01',
        purchase: {
          purchasedOn: '2026-02-01',
          shippedOn: '2026-02-02',
          deliveredOn: `2026-02-${10 + days / 40}`,
        },
      }),
    )
    const bytes = Buffer.from(sold2026.map((c) => `${JSON.stringify(c)}\n`).join(''))
    const named = sold2026.map((c) => `${JSON.stringify(versions.decide(c, { version: '1' }))}\n`).join('')
    assert.notEqual(named, sold2026.map((c) => `${JSON.stringify(versions.decide(c))}\n`).join(''))
    for (const keepCases of [0, 1, 3]) {
      const output = memoryOutput()
      const input: BatchInput = { reopens: true, open: () => bufferInput(bytes).open() }
      await decideBatch(input, versions, '1', output, { keepCases })
      assert.equal(output.text(), named, `keeping ${keepCases}`)
    }
  })

  test('an empty input writes nothing', async () => {
    assert.equal(await batchOf(Buffer.alloc(0)), '')
    assert.equal(await batchOf(Buffer.from('\n\n')), '')
  })

  test('bytes that are not UTF-8 are refused naming their line, whichever line it is', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 5 }),
        fc.constantFrom([0xc3, 0x28], [0xff], [0xed, 0xa0, 0x80]),
        aReading,
        async (at, badBytes, reading) => {
          const lines = Array.from({ length: 6 }, () => Buffer.from(JSON.stringify(CASES[0])))
          const line = lines[at]!
          const cut = line.indexOf('"host"') + 3
          lines[at] = Buffer.concat([line.subarray(0, cut), Buffer.from(badBytes), line.subarray(cut)])
          const bytes = Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')]))
          assert.match(await refusalOf(bytes, reading), new RegExp(`^line ${at + 1}: is not valid UTF-8`))
        },
      ),
      { numRuns: 60 },
    )
  })
})
