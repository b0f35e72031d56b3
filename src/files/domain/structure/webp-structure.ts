import {
  checkSteps,
  fourCc,
  type Next,
  problem,
  readU32LE,
  type Step,
  type StructureCheck,
} from './structure-check.ts'

const FIRST_CHUNKS = new Set(['VP8 ', 'VP8L', 'VP8X'])
const PICTURE_CHUNKS = new Set(['VP8 ', 'VP8L', 'ANMF'])

/**
 * A WebP is whole when its RIFF header's size is the file's, its chunks (each padded to an
 * even length) add up to that size exactly, the first is VP8, VP8L or VP8X, and a picture
 * (VP8, VP8L or an animation frame) is among them.
 */
export function checkWebp(): StructureCheck {
  let end = 0
  let at = 12
  let chunks = 0
  let sawPicture = false

  const chunk: Step = {
    read: 8,
    what: 'a chunk header',
    andThen: (header): Next => {
      const type = fourCc(header)
      const size = readU32LE(header, 4)
      const padded = size + (size % 2)
      chunks += 1
      if (chunks === 1 && !FIRST_CHUNKS.has(type))
        return problem(`the first chunk is ${JSON.stringify(type)}`)
      if (PICTURE_CHUNKS.has(type)) sawPicture = true
      at += 8 + padded
      if (at > end) return problem(`chunk ${chunks} (${type}) runs past the RIFF size`)
      return { pass: padded, what: `the ${type} chunk`, andThen: afterChunk }
    },
  }
  const afterChunk = (): Next => {
    if (at < end) return chunk
    return sawPicture ? { done: true, refuse: 'bytes after the RIFF size' } : problem('no picture chunk')
  }

  return checkSteps({
    read: 12,
    what: 'the RIFF header',
    andThen: (head) => {
      if (fourCc(head) !== 'RIFF' || fourCc(head, 8) !== 'WEBP') return problem('no RIFF WEBP header')
      end = 8 + readU32LE(head, 4)
      if (end < 20) return problem('the RIFF size leaves no room for a chunk')
      return chunk
    },
  })
}
