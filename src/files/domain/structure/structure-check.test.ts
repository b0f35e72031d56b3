import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import zlib from 'node:zlib'
import fc from 'fast-check'
import {
  ebmlElement,
  isoBox,
  jpegSegment,
  riffChunk,
  sampleIsoFile,
  sampleJpeg,
  samplePdf,
  samplePng,
  sampleWebm,
  sampleWebp,
} from '../../sample-files.test-support.ts'
import { ALLOWED_TYPES, startStructureCheck } from '../upload-rules.ts'
import { checkEbml } from './ebml-structure.ts'
import { checkIsoBoxes } from './iso-box-structure.ts'
import { checkJpeg } from './jpeg-structure.ts'
import { checkPdf } from './pdf-structure.ts'
import { checkPng, updateCrc32 } from './png-structure.ts'
import type { StructureCheck } from './structure-check.ts'
import { checkWebp } from './webp-structure.ts'

/** The verdict on `bytes` fed in pieces split at `cuts`: the first problem, or null. */
function judge(start: () => StructureCheck, bytes: Uint8Array, cuts: number[] = []): string | null {
  const check = start()
  let from = 0
  for (const cut of [...cuts.map((c) => c % (bytes.length + 1))].sort((a, b) => a - b)) {
    const problem = check.push(bytes.subarray(from, cut))
    if (problem !== null) return problem
    from = cut
  }
  return check.push(bytes.subarray(from)) ?? check.end()
}

const cutPoints = fc.array(fc.nat(), { maxLength: 12 })
const bytesUpTo = (maxLength: number) => fc.uint8Array({ maxLength }).map((b) => Buffer.from(b))
const note = fc.string({ unit: fc.constantFrom(...'abcdefxyz 0123456789-'.split('')), maxLength: 40 })

/** Coded image data as an encoder writes it: 0xFF stuffed with 0x00, restart markers between runs. */
const entropyData = fc
  .array(fc.tuple(bytesUpTo(30), fc.integer({ min: 0, max: 7 })), { maxLength: 4 })
  .map((runs) =>
    Buffer.concat(
      runs.flatMap(([run, restart], i) => [
        Buffer.from([...run].flatMap((b) => (b === 0xff ? [0xff, 0x00] : [b]))),
        ...(i < runs.length - 1 ? [Buffer.from([0xff, 0xd0 + restart])] : []),
      ]),
    ),
  )
/** Structurally whole JPEGs: random application segments (0xFF D9 inside them too), one or more scans. */
const jpegs = fc
  .record({
    segments: fc.array(fc.tuple(fc.constantFrom(0xe0, 0xe1, 0xe2, 0xed, 0xfe), bytesUpTo(40)), {
      maxLength: 4,
    }),
    frame: bytesUpTo(20),
    scans: fc.array(fc.record({ table: bytesUpTo(20), header: bytesUpTo(12), data: entropyData }), {
      minLength: 1,
      maxLength: 3,
    }),
    fill: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ segments, frame, scans, fill }) =>
    Buffer.concat([
      Buffer.from([0xff, 0xd8]),
      ...segments.map(([marker, payload]) => jpegSegment(marker, payload)),
      jpegSegment(scans.length > 1 ? 0xc2 : 0xc0, frame),
      ...scans.flatMap((scan) => [
        jpegSegment(0xc4, scan.table),
        jpegSegment(0xda, scan.header),
        scan.data,
        Buffer.alloc(fill, 0xff),
      ]),
      Buffer.from([0xff, 0xd9]),
    ]),
  )

const pngs = fc
  .record({
    width: fc.integer({ min: 1, max: 24 }),
    height: fc.integer({ min: 1, max: 12 }),
    seed: fc.nat(255),
    note: fc.option(note, { nil: undefined }),
    idatChunks: fc.integer({ min: 1, max: 4 }),
  })
  .map((options) => samplePng(options))

/** WebPs with chunks of odd and even lengths after the picture. */
const webps = fc
  .tuple(
    fc.constantFrom('VP8 ', 'VP8L'),
    bytesUpTo(30),
    fc.array(fc.tuple(fc.constantFrom('EXIF', 'XMP ', 'ICCP'), bytesUpTo(15)), { maxLength: 3 }),
  )
  .map(([type, picture, extra]) => {
    const chunks = Buffer.concat([riffChunk(type, picture), ...extra.map(([t, d]) => riffChunk(t, d))])
    const size = Buffer.alloc(4)
    size.writeUInt32LE(chunks.length + 4)
    return Buffer.concat([Buffer.from('RIFF'), size, Buffer.from('WEBP'), chunks])
  })

const boxName = fc.constantFrom('free', 'mdat', 'uuid', 'wide', 'skip')
const otherBoxes = fc.array(fc.tuple(boxName, bytesUpTo(24), fc.boolean()), { maxLength: 3 })
/** MP4s: `ftyp` first, a `moov` somewhere, other boxes of 32- and 64-bit sizes around it. */
const mp4s = fc
  .tuple(bytesUpTo(12), bytesUpTo(30), otherBoxes, otherBoxes)
  .map(([brand, movie, before, after]) =>
    Buffer.concat([
      isoBox('ftyp', brand),
      ...before.map(([t, d, large]) => isoBox(t, d, large)),
      isoBox('moov', movie),
      ...after.map(([t, d, large]) => isoBox(t, d, large)),
    ]),
  )

/**
 * MP4s ending in their `moov`: a cut exactly between two top-level boxes leaves a file whose
 * boxes add up, which only the media's own offsets could tell from a whole one.
 */
const mp4sEndingInMoov = fc
  .tuple(bytesUpTo(12), bytesUpTo(30), otherBoxes)
  .map(([brand, movie, before]) =>
    Buffer.concat([
      isoBox('ftyp', brand),
      ...before.map(([t, d, large]) => isoBox(t, d, large)),
      isoBox('moov', movie),
    ]),
  )

/** WebMs whose segment has a known size. */
const webms = fc
  .tuple(
    bytesUpTo(20),
    fc.array(fc.tuple(fc.constantFrom([0xa3], [0xe7], [0x15, 0x49, 0xa9, 0x66]), bytesUpTo(20))),
  )
  .map(([header, children]) =>
    Buffer.concat([
      ebmlElement([0x1a, 0x45, 0xdf, 0xa3], header),
      ebmlElement(
        [0x18, 0x53, 0x80, 0x67],
        Buffer.concat(children.map(([id, body]) => ebmlElement(id, body))),
      ),
    ]),
  )

const pdfs = note.map((text) => samplePdf({ note: text }))

const formats: {
  name: string
  start: () => StructureCheck
  files: fc.Arbitrary<Buffer>
  /** Files no truncation leaves whole, where they differ from `files`. */
  truncatable?: fc.Arbitrary<Buffer>
  endSlack: number
}[] = [
  { name: 'JPEG', start: checkJpeg, files: jpegs, endSlack: 0 },
  {
    name: 'JPEG (decodable)',
    start: checkJpeg,
    files: note.map((n) => sampleJpeg({ note: n })),
    endSlack: 0,
  },
  { name: 'PNG', start: checkPng, files: pngs, endSlack: 0 },
  { name: 'WebP', start: checkWebp, files: webps, endSlack: 0 },
  {
    name: 'MP4',
    start: () => checkIsoBoxes({ ftypFirst: true, required: 'moov' }),
    files: mp4s,
    truncatable: mp4sEndingInMoov,
    endSlack: 0,
  },
  { name: 'WebM', start: checkEbml, files: webms, endSlack: 0 },
  // The line end after %%EOF is not part of the trailer: a PDF without it is still whole.
  { name: 'PDF', start: checkPdf, files: pdfs, endSlack: 1 },
]

describe('checking that a file is whole', () => {
  for (const format of formats) {
    it(`${format.name}: any whole file is accepted, however it is cut into chunks`, () => {
      fc.assert(
        fc.property(format.files, cutPoints, (file, cuts) => {
          assert.equal(judge(format.start, file, cuts), null)
        }),
        { numRuns: 200 },
      )
    })
    it(`${format.name}: any truncation is refused, however it is cut into chunks`, () => {
      fc.assert(
        fc.property(format.truncatable ?? format.files, fc.nat(), cutPoints, (file, at, cuts) => {
          const kept = at % (file.length - format.endSlack)
          assert.notEqual(judge(format.start, file.subarray(0, kept), cuts), null, `cut at ${kept}`)
        }),
        { numRuns: 300 },
      )
    })
    it(`${format.name}: chunk boundaries never change the verdict, whole or damaged`, () => {
      fc.assert(
        fc.property(format.files, fc.nat(), fc.nat(255), cutPoints, (file, at, value, cuts) => {
          const damaged = Buffer.from(file)
          damaged[at % damaged.length] = value
          assert.equal(judge(format.start, damaged, cuts), judge(format.start, damaged))
        }),
        { numRuns: 300 },
      )
    })
  }

  it('PNG: any changed byte is refused (a length, a name, the data or a CRC)', () => {
    fc.assert(
      fc.property(pngs, fc.nat(), fc.integer({ min: 1, max: 255 }), (file, at, delta) => {
        const damaged = Buffer.from(file)
        const i = at % damaged.length
        damaged[i] = ((damaged[i] as number) + delta) & 0xff
        assert.notEqual(judge(checkPng, damaged), null, `byte ${i} changed`)
      }),
      { numRuns: 300 },
    )
  })

  it('PNG: computes the CRC-32 that zlib does, over bytes in any pieces', () => {
    assert.equal(updateCrc32(0xffffffff, Buffer.from('IEND')) ^ 0xffffffff, 0xae426082 | 0)
    fc.assert(
      fc.property(bytesUpTo(100), fc.nat(100), (bytes, at) => {
        const cut = at % (bytes.length + 1)
        const crc = updateCrc32(updateCrc32(0xffffffff, bytes.subarray(0, cut)), bytes.subarray(cut))
        assert.equal((crc ^ 0xffffffff) >>> 0, zlib.crc32(bytes))
      }),
      { numRuns: 500 },
    )
  })

  const refusals: [string, () => StructureCheck, Buffer, RegExp][] = [
    ['JPEG without SOI', checkJpeg, sampleJpeg().subarray(2), /no SOI/],
    ['JPEG with a scan before its frame header', checkJpeg, jpegWithout(0xc0), /scan before any frame/],
    ['JPEG with bytes where a marker belongs', checkJpeg, jpegWithJunkAfterApp0(), /marker belongs/],
    [
      'JPEG with EOI before any scan',
      checkJpeg,
      Buffer.from([0xff, 0xd8, 0xff, 0xd9]),
      /EOI before any scan/,
    ],
    ['PNG with a wrong CRC', checkPng, pngWithWrongCrc(), /CRC of chunk 2 \(IDAT\)/],
    [
      'PNG with bytes after IEND',
      checkPng,
      Buffer.concat([samplePng(), Buffer.from('tail')]),
      /after the IEND/,
    ],
    ['PNG without IDAT', checkPng, pngWithout('IDAT'), /no IDAT/],
    ['PNG whose first chunk is not IHDR', checkPng, pngWithout('IHDR'), /first chunk is not/],
    [
      'WebP with bytes after its RIFF size',
      checkWebp,
      Buffer.concat([sampleWebp(), Buffer.from('xx')]),
      /RIFF size/,
    ],
    ['WebP whose chunk runs past the RIFF size', checkWebp, webpWithRiffSize(14), /runs past the RIFF size/],
    [
      'MP4 without moov',
      () => checkIsoBoxes({ ftypFirst: true, required: 'moov' }),
      mp4Without('moov'),
      /no moov/,
    ],
    [
      'HEIC without meta',
      () => checkIsoBoxes({ ftypFirst: true, required: 'meta' }),
      mp4Without('meta'),
      /no meta/,
    ],
    [
      'MP4 with a box of size 4',
      () => checkIsoBoxes({ ftypFirst: true, required: 'moov' }),
      mp4WithBoxSize(4),
      /size of 4/,
    ],
    [
      'MP4 not starting with ftyp',
      () => checkIsoBoxes({ ftypFirst: true, required: 'moov' }),
      isoBox('moov', Buffer.alloc(4)),
      /first box/,
    ],
    [
      'MP4 with bytes after its last box',
      () => checkIsoBoxes({ ftypFirst: true, required: 'moov' }),
      Buffer.concat([sampleIsoFile('mp4'), Buffer.from('abc')]),
      /ends inside a box header/,
    ],
    [
      'WebM without EBML header',
      checkEbml,
      sampleWebm().subarray(sampleWebm().indexOf(Buffer.from([0x18, 0x53]))),
      /no EBML header/,
    ],
    [
      'WebM of unknown size cut inside a frame',
      checkEbml,
      sampleWebm({ unknownSize: true }).subarray(0, 95),
      /ends inside element 0xA3/,
    ],
    ['PDF without %%EOF', checkPdf, Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\n'), /no %%EOF/],
    [
      'PDF without startxref',
      checkPdf,
      Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
      /no startxref/,
    ],
    [
      'PDF whose startxref points outside it',
      checkPdf,
      Buffer.from('%PDF-1.4\nstartxref\n9999\n%%EOF\n'),
      /past the end/,
    ],
  ]
  for (const [name, start, bytes, reason] of refusals) {
    it(`refuses a ${name}`, () => {
      assert.match(judge(start, bytes) ?? 'accepted', reason)
    })
  }

  it('accepts what phones write: a JPEG with more pictures after its EOI, a WebM recorded with unknown sizes, a box to the end of the file', () => {
    assert.equal(judge(checkJpeg, Buffer.concat([sampleJpeg(), sampleJpeg({ note: 'depth map' })])), null)
    assert.equal(judge(checkEbml, sampleWebm({ unknownSize: true })), null)
    const toTheEnd = Buffer.concat([
      sampleIsoFile('mp4').subarray(0, -13),
      Buffer.from([0, 0, 0, 0]),
      Buffer.from('mdatmedia'),
    ])
    assert.equal(
      judge(() => checkIsoBoxes({ ftypFirst: true, required: 'moov' }), toTheEnd),
      null,
    )
  })

  it('has a check for every accepted type, which accepts a whole file of it', () => {
    const samples: Record<string, Buffer> = {
      'image/jpeg': sampleJpeg(),
      'image/png': samplePng(),
      'image/webp': sampleWebp(),
      'image/heic': sampleIsoFile('heic'),
      'image/heif': sampleIsoFile('heic'),
      'video/mp4': sampleIsoFile('mp4'),
      'video/quicktime': sampleIsoFile('mov'),
      'video/webm': sampleWebm(),
      'application/pdf': samplePdf(),
    }
    assert.deepEqual(Object.keys(ALLOWED_TYPES).sort(), Object.keys(samples).sort())
    for (const [type, bytes] of Object.entries(samples)) {
      assert.equal(
        judge(() => startStructureCheck(type), bytes),
        null,
        type,
      )
      assert.notEqual(
        judge(() => startStructureCheck(type), bytes.subarray(0, -8)),
        null,
        type,
      )
    }
  })
})

function jpegWithout(marker: number): Buffer {
  const file = sampleJpeg()
  const at = file.indexOf(Buffer.from([0xff, marker]))
  return Buffer.concat([file.subarray(0, at), file.subarray(at + 2 + file.readUInt16BE(at + 2))])
}

function jpegWithJunkAfterApp0(): Buffer {
  const file = sampleJpeg()
  const end = 4 + file.readUInt16BE(4)
  return Buffer.concat([file.subarray(0, end), Buffer.from('junk'), file.subarray(end)])
}

function pngWithWrongCrc(): Buffer {
  const file = Buffer.from(samplePng())
  const idat = file.indexOf('IDAT')
  const crcAt = idat + 4 + file.readUInt32BE(idat - 4)
  file[crcAt] = (file[crcAt] as number) ^ 0x01
  return file
}

function pngWithout(type: string): Buffer {
  const file = samplePng()
  const at = file.indexOf(type) - 4
  return Buffer.concat([file.subarray(0, at), file.subarray(at + 12 + file.readUInt32BE(at))])
}

function webpWithRiffSize(size: number): Buffer {
  const file = Buffer.from(sampleWebp())
  file.writeUInt32LE(size, 4)
  return file
}

function mp4Without(type: string): Buffer {
  return type === 'moov'
    ? Buffer.concat([isoBox('ftyp', Buffer.from('isom')), isoBox('mdat', Buffer.from('x'))])
    : Buffer.concat([isoBox('ftyp', Buffer.from('heic')), isoBox('mdat', Buffer.from('x'))])
}

function mp4WithBoxSize(size: number): Buffer {
  const box = isoBox('free', Buffer.alloc(8))
  box.writeUInt32BE(size)
  return Buffer.concat([sampleIsoFile('mp4'), box])
}
