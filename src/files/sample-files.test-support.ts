/**
 * Small, real, well-formed files of each accepted type, built from bytes: what tests upload
 * where a photo, a receipt or a logo is expected. `note` is carried inside the file (a
 * comment or an extra chunk) to make two files differ.
 */
import crypto from 'node:crypto'
import zlib from 'node:zlib'

const u16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff])
const u32 = (n: number) => {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n)
  return b
}
const u32le = (n: number) => {
  const b = Buffer.alloc(4)
  b.writeUInt32LE(n)
  return b
}

/** A JPEG marker segment: 0xFF, the marker, a length counting itself, the payload. */
export const jpegSegment = (marker: number, payload: Uint8Array) =>
  Buffer.concat([Buffer.from([0xff, marker]), u16(payload.length + 2), payload])

/** A Huffman table of one code, `0`, for symbol 0: the DC "no change" and the AC end of block. */
const oneCodeTable = (tableClass: number) =>
  jpegSegment(0xc4, Buffer.from([tableClass << 4, 1, ...new Array(15).fill(0), 0]))

/** Comment segments of random bytes, `total` bytes in all (when it is 0 or at least 4). */
function randomComments(total: number): Buffer[] {
  const segments: Buffer[] = []
  let left = total
  while (left >= 4) {
    let payload = Math.min(65533, left - 4)
    if (left - payload - 4 > 0 && left - payload - 4 < 4) payload -= 4
    segments.push(jpegSegment(0xfe, crypto.randomBytes(payload)))
    left -= payload + 4
  }
  return segments
}

/**
 * A baseline grey JPEG of `width` x `height` (each block the same mid grey), decodable by
 * any reader: each 8x8 block is coded as two one-bit codes, DC unchanged and end of block.
 * With `size`, comments of random bytes make it that many bytes long and unlike any other.
 */
export function sampleJpeg(
  options: { width?: number; height?: number; note?: string; size?: number } = {},
): Buffer {
  if (options.size !== undefined) {
    const bare = sampleJpeg({ ...options, size: undefined })
    const padding = randomComments(Math.max(0, options.size - bare.length))
    return Buffer.concat([bare.subarray(0, 20), ...padding, bare.subarray(20)])
  }
  const width = options.width ?? 8
  const height = options.height ?? 8
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8)
  const bits = blocks * 2
  const data = Buffer.alloc(Math.ceil(bits / 8))
  // The last byte is padded with 1 bits, as the format asks.
  if (bits % 8 !== 0) data[data.length - 1] = 0xff >> (bits % 8)
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    jpegSegment(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0])),
    ...(options.note === undefined ? [] : [jpegSegment(0xfe, Buffer.from(options.note))]),
    jpegSegment(0xdb, Buffer.from([0, ...new Array(64).fill(1)])),
    jpegSegment(
      0xc0,
      Buffer.concat([Buffer.from([8]), u16(height), u16(width), Buffer.from([1, 1, 0x11, 0])]),
    ),
    oneCodeTable(0),
    oneCodeTable(1),
    jpegSegment(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0])),
    data,
    Buffer.from([0xff, 0xd9]),
  ])
}

/** A PNG chunk: length, name, data and the CRC of name and data. */
export const pngChunk = (type: string, data: Uint8Array) => {
  const named = Buffer.concat([Buffer.from(type, 'latin1'), data])
  return Buffer.concat([u32(data.length), named, u32(zlib.crc32(named))])
}

/** An 8-bit RGB PNG of `width` x `height`, its pixels from `seed`; the data split over `idatChunks`. */
export function samplePng(
  options: { width?: number; height?: number; seed?: number; note?: string; idatChunks?: number } = {},
): Buffer {
  const width = options.width ?? 2
  const height = options.height ?? 2
  const rows: number[] = []
  for (let y = 0; y < height; y++) {
    rows.push(0)
    for (let x = 0; x < width * 3; x++) rows.push((x * 31 + y * 17 + (options.seed ?? 0)) & 0xff)
  }
  const compressed = zlib.deflateSync(Buffer.from(rows))
  const parts = Math.max(1, Math.min(options.idatChunks ?? 1, compressed.length))
  const size = Math.ceil(compressed.length / parts)
  const idat: Buffer[] = []
  for (let at = 0; at < compressed.length; at += size)
    idat.push(pngChunk('IDAT', compressed.subarray(at, at + size)))
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', Buffer.concat([u32(width), u32(height), Buffer.from([8, 2, 0, 0, 0])])),
    ...(options.note === undefined
      ? []
      : [pngChunk('tEXt', Buffer.from(`Comment\0${options.note}`, 'latin1'))]),
    ...idat,
    pngChunk('IEND', Buffer.alloc(0)),
  ])
}

/** A RIFF chunk, padded to an even length. */
export const riffChunk = (type: string, data: Uint8Array) =>
  Buffer.concat([Buffer.from(type, 'latin1'), u32le(data.length), data, Buffer.alloc(data.length % 2)])

/** A 1x1 lossless WebP (libwebp's own), with the note as an XMP chunk after it. */
export function sampleWebp(options: { note?: string } = {}): Buffer {
  const vp8l = Buffer.from('LwAAABAHEBERiIj+BwA=', 'base64')
  const chunks = Buffer.concat([
    riffChunk('VP8L', vp8l),
    ...(options.note === undefined ? [] : [riffChunk('XMP ', Buffer.from(options.note))]),
  ])
  return Buffer.concat([Buffer.from('RIFF'), u32le(chunks.length + 4), Buffer.from('WEBP'), chunks])
}

/** An ISO box: size, type, body; `large` writes the 64-bit size form. */
export const isoBox = (type: string, body: Uint8Array, large = false) =>
  large
    ? Buffer.concat([u32(1), Buffer.from(type, 'latin1'), u32(0), u32(body.length + 16), body])
    : Buffer.concat([u32(body.length + 8), Buffer.from(type, 'latin1'), body])

const ftyp = (brand: string, compatible: string[]) =>
  isoBox('ftyp', Buffer.from(`${brand}\0\0\0\0${compatible.join('')}`, 'latin1'))

/** The boxes of an MP4, a MOV or a HEIC picture: `ftyp`, then `moov` or `meta`, then media data. */
export function sampleIsoFile(kind: 'mp4' | 'mov' | 'heic', options: { note?: string } = {}): Buffer {
  const media = isoBox('mdat', Buffer.from(options.note ?? 'media'))
  if (kind === 'heic')
    return Buffer.concat([ftyp('heic', ['mif1', 'heic']), isoBox('meta', Buffer.alloc(4)), media])
  const movie = isoBox('moov', isoBox('mvhd', Buffer.alloc(100)))
  if (kind === 'mov') return Buffer.concat([ftyp('qt  ', ['qt  ']), movie, media])
  return Buffer.concat([ftyp('isom', ['isom', 'mp41']), movie, media])
}

/** An EBML element of a known size (the size written in 8 bytes), or of unknown size. */
export const ebmlElement = (id: readonly number[], body: Uint8Array, unknownSize = false) => {
  const size = Buffer.alloc(8)
  if (unknownSize) size.fill(0xff, 1)
  else size.writeUIntBE(body.length, 2, 6)
  size[0] = 0x01
  return Buffer.concat([Buffer.from(id), size, body])
}

/** A WebM: the EBML header naming `webm`, then a segment (of unknown size as browsers record it). */
export function sampleWebm(options: { unknownSize?: boolean; note?: string } = {}): Buffer {
  const header = ebmlElement([0x1a, 0x45, 0xdf, 0xa3], ebmlElement([0x42, 0x82], Buffer.from('webm')))
  const cluster = ebmlElement(
    [0x1f, 0x43, 0xb6, 0x75],
    Buffer.concat([
      ebmlElement([0xe7], Buffer.from([0])),
      ebmlElement([0xa3], Buffer.from(options.note ?? 'frame')),
    ]),
    options.unknownSize,
  )
  const info = ebmlElement(
    [0x15, 0x49, 0xa9, 0x66],
    ebmlElement([0x2a, 0xd7, 0xb1], Buffer.from([0x0f, 0x42, 0x40])),
  )
  return Buffer.concat([
    header,
    ebmlElement([0x18, 0x53, 0x80, 0x67], Buffer.concat([info, cluster]), options.unknownSize),
  ])
}

/** A one-page PDF with a true cross-reference table; the note goes in a comment. */
export function samplePdf(options: { note?: string } = {}): Buffer {
  let text = `%PDF-1.4\n%${options.note ?? 'sample'}\n`
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
  ]
  const offsets: number[] = []
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(text))
    text += `${i + 1} 0 obj\n${body}\nendobj\n`
  })
  const xref = Buffer.byteLength(text)
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  for (const offset of offsets) text += `${String(offset).padStart(10, '0')} 00000 n \n`
  text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(text)
}
