import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import type { WarrantyCase } from '../contracts/case.ts'
import { isAppError } from '../shared/errors.ts'
import type { BatchOutput } from './batch-output.ts'
import { decideBatch } from './decide-batch.ts'
import { loadPolicyLibrary } from './load-policies.ts'
import { buildCase } from './policy-test-support.ts'

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

async function batchOf(bytes: Buffer): Promise<string> {
  const output = memoryOutput()
  await decideBatch(bytes, library, undefined, output)
  return output.text()
}

async function refusalOf(bytes: Buffer): Promise<string> {
  try {
    await decideBatch(bytes, library, undefined, memoryOutput())
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
  test('line endings, blank lines, a byte order mark and a last line without its newline are read as a text decoder would', async () => {
    const separators = fc.constantFrom('\n', '\r\n', '\n\n', '\n  \n', '\r\n\r\n')
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...CASES), { minLength: 1, maxLength: 6 }),
        fc.array(separators, { minLength: 6, maxLength: 6 }),
        fc.boolean(),
        fc.boolean(),
        async (cases, between, bom, lastNewline) => {
          let text = bom ? '\ufeff' : ''
          cases.forEach((c, i) => {
            text += JSON.stringify(c)
            if (i < cases.length - 1 || lastNewline) text += between[i]!
          })
          assert.equal(await batchOf(Buffer.from(text)), expectedLines(cases))
        },
      ),
      { numRuns: 200 },
    )
  })

  test('a line with characters beyond ASCII is read as UTF-8, and an error echoes them whole', async () => {
    const described = buildCase('ist', {
      problem: { kind: 'malfunction', description: '画面出现条纹 — stripes' },
    })
    const good = JSON.stringify(described)
    assert.equal(await batchOf(Buffer.from(`${good}\n`)), expectedLines([described]))
    const unknown = JSON.stringify({ ...described, policy: '星特朗' })
    const message = await refusalOf(Buffer.from(`${good}\n${unknown}\n`))
    assert.match(message, /line 2\.policy/)
    assert.match(message, /星特朗/)
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
        async (at, badBytes) => {
          const lines = Array.from({ length: 6 }, () => Buffer.from(JSON.stringify(CASES[0])))
          const line = lines[at]!
          const cut = line.indexOf('"host"') + 3
          lines[at] = Buffer.concat([line.subarray(0, cut), Buffer.from(badBytes), line.subarray(cut)])
          const bytes = Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')]))
          assert.match(await refusalOf(bytes), new RegExp(`^line ${at + 1}: is not valid UTF-8`))
        },
      ),
      { numRuns: 60 },
    )
  })
})
