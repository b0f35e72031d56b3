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

const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

/** Carries a CRC-32 (the one PNG and zlib use) over bytes given in pieces; start and finish with 0xffffffff. */
export function updateCrc32(crc: number, bytes: Uint8Array): number {
  let c = crc
  for (let i = 0; i < bytes.length; i++)
    c = (CRC_TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8)
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
