import { checkSteps, type Next, problem, type Step, type StructureCheck } from './structure-check.ts'

const EBML_HEADER = 0x1a45dfa3
const SEGMENT = 0x18538067

/** The length of an EBML variable-size integer from its first byte (1 to `max`), or 0 when invalid. */
const vintLength = (first: number, max: number): number => {
  for (let length = 1; length <= max; length++) if (first & (0x100 >> length)) return length
  return 0
}

/**
 * A WebM (EBML) file is whole when it is a run of elements, each with a valid id and size,
 * ending exactly at the end of the file: an element of known size is passed over whole; one of
 * unknown size (what a browser's recorder writes for the segment and its clusters) is read
 * into, element by element. The EBML header comes first and a segment follows.
 */
export function checkEbml(): StructureCheck {
  let elements = 0
  let sawSegment = false

  const element: Step = {
    read: 1,
    what: 'an element id',
    endsHere: () => (sawSegment ? null : 'no segment'),
    andThen: (first) => {
      const head = first[0] as number
      const length = vintLength(head, 4)
      if (length === 0) return problem(`element ${elements + 1} has an invalid id`)
      if (length === 1) return sizeOf(head)
      return {
        read: length - 1,
        what: 'an element id',
        andThen: (rest) => sizeOf(rest.reduce((id, b) => id * 256 + b, head)),
      }
    },
  }
  const sizeOf = (id: number): Next => {
    elements += 1
    if (elements === 1 && id !== EBML_HEADER) return problem('no EBML header')
    if (id === SEGMENT) sawSegment = true
    return {
      read: 1,
      what: 'an element size',
      andThen: (first) => {
        const head = first[0] as number
        const length = vintLength(head, 8)
        if (length === 0) return problem(`element ${elements} has an invalid size`)
        const value = head & (0xff >> length)
        if (length === 1) return bodyOf(id, value, value === 0x7f)
        return {
          read: length - 1,
          what: 'an element size',
          andThen: (rest) => {
            const size = rest.reduce((v, b) => v * 256 + b, value)
            const unknown = value === 0xff >> length && rest.every((b) => b === 0xff)
            return bodyOf(id, size, unknown)
          },
        }
      },
    }
  }
  const bodyOf = (id: number, size: number, unknown: boolean): Next => {
    if (unknown) return id === EBML_HEADER ? problem('the EBML header has no size') : element
    return { pass: size, what: `element 0x${id.toString(16).toUpperCase()}`, andThen: () => element }
  }

  return checkSteps(element)
}
