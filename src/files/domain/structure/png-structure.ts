import {
  checkSteps,
  fourCc,
  type Next,
  problem,
  readU32BE,
  type Step,
  type StructureCheck,
} from './structure-check.ts'

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

// Eight tables, so the CRC takes eight bytes a step (slicing-by-8): a byte at a time it cost
// several times the SHA-256 the upload computes anyway.
const CRC_TABLES = (() => {
  const tables = Array.from({ length: 8 }, () => new Uint32Array(256))
  const first = tables[0] as Uint32Array
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    first[n] = c >>> 0
  }
  for (let t = 1; t < 8; t++) {
    const previous = tables[t - 1] as Uint32Array
    const table = tables[t] as Uint32Array
    for (let n = 0; n < 256; n++) {
      const c = previous[n] as number
      table[n] = ((first[c & 0xff] as number) ^ (c >>> 8)) >>> 0
    }
  }
  return tables as [
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
  ]
})()

/** Carries a CRC-32 (the one PNG and zlib use) over bytes given in pieces; start and finish with 0xffffffff. */
export function updateCrc32(crc: number, bytes: Uint8Array): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = CRC_TABLES
  let c = crc
  let i = 0
  const whole = bytes.length - (bytes.length % 8)
  for (; i < whole; i += 8) {
    const low =
      c ^
      ((bytes[i] as number) |
        ((bytes[i + 1] as number) << 8) |
        ((bytes[i + 2] as number) << 16) |
        ((bytes[i + 3] as number) << 24))
    c =
      (t7[low & 0xff] as number) ^
      (t6[(low >>> 8) & 0xff] as number) ^
      (t5[(low >>> 16) & 0xff] as number) ^
      (t4[low >>> 24] as number) ^
      (t3[bytes[i + 4] as number] as number) ^
      (t2[bytes[i + 5] as number] as number) ^
      (t1[bytes[i + 6] as number] as number) ^
      (t0[bytes[i + 7] as number] as number)
  }
  for (; i < bytes.length; i++) c = (t0[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8)
  return c >>> 0
}

/**
 * A PNG is whole when its signature is followed by chunks whose lengths and CRCs hold, IHDR
 * (of 13 bytes) first, at least one IDAT, and IEND last with nothing after it: a decoder stops
 * at IEND, so bytes after it are not the picture the sender saw.
 */
export function checkPng(): StructureCheck {
  let chunks = 0
  let sawData = false

  const chunk: Step = {
    read: 8,
    what: 'a chunk header',
    endsHere: () => 'the file ends before its IEND chunk',
    andThen: (header) => {
      const length = readU32BE(header)
      const type = fourCc(header, 4)
      chunks += 1
      if (length > 0x7fffffff) return problem(`chunk ${chunks} claims ${length} bytes`)
      if (!/^[A-Za-z]{4}$/.test(type)) return problem(`chunk ${chunks} has no chunk name`)
      if (chunks === 1 && (type !== 'IHDR' || length !== 13))
        return problem('the first chunk is not a 13-byte IHDR')
      if (chunks > 1 && type === 'IHDR') return problem('a second IHDR chunk')
      if (type === 'IDAT') sawData = true
      if (type === 'IEND' && length !== 0) return problem('IEND carries data')
      if (type === 'IEND' && !sawData) return problem('no IDAT chunk before IEND')
      let crc = updateCrc32(0xffffffff, header.subarray(4, 8))
      return {
        pass: length,
        what: `the ${type} chunk`,
        see: (bytes) => {
          crc = updateCrc32(crc, bytes)
        },
        andThen: (): Next => ({
          read: 4,
          what: `the CRC of the ${type} chunk`,
          andThen: (stored: Uint8Array): Next => {
            if (readU32BE(stored) !== (crc ^ 0xffffffff) >>> 0)
              return problem(`the CRC of chunk ${chunks} (${type}) does not match its bytes`)
            return type === 'IEND' ? { done: true, refuse: 'bytes after the IEND chunk' } : chunk
          },
        }),
      }
    },
  }
  return checkSteps({
    read: 8,
    what: 'the PNG signature',
    andThen: (head) => (SIGNATURE.every((b, i) => head[i] === b) ? chunk : problem('no PNG signature')),
  })
}
