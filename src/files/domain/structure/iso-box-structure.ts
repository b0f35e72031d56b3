import {
  checkSteps,
  fourCc,
  type Next,
  problem,
  readU32BE,
  type Step,
  type StructureCheck,
} from './structure-check.ts'

/**
 * A file of ISO boxes (MP4, MOV, HEIC) is whole when its top-level boxes' sizes add up to the
 * file exactly, the box that says what the file is (`ftyp`) comes first where the format
 * requires it, and the box a player or viewer cannot do without is there (`moov` for a video,
 * `meta` for a HEIC picture). A last box of size 0 runs to the end of the file, as the format
 * allows; its end cannot be checked.
 */
export function checkIsoBoxes(rules: { ftypFirst: boolean; required: string }): StructureCheck {
  let boxes = 0
  let sawRequired = false
  const atEnd = () => (sawRequired ? null : `no ${rules.required} box`)

  const box: Step = {
    read: 8,
    what: 'a box header',
    endsHere: atEnd,
    andThen: (header): Next => {
      const size = readU32BE(header)
      const type = fourCc(header, 4)
      boxes += 1
      if (boxes === 1 && rules.ftypFirst && type !== 'ftyp')
        return problem(`the first box is ${JSON.stringify(type)}`)
      if (type === rules.required) sawRequired = true
      if (size === 0)
        return sawRequired
          ? { done: true }
          : problem(`a box to the end of the file before any ${rules.required} box`)
      if (size === 1)
        return {
          read: 8,
          what: `the size of the ${type} box`,
          andThen: (large) => body(type, readU32BE(large) * 0x100000000 + readU32BE(large, 4), 16),
        }
      return body(type, size, 8)
    },
  }
  const body = (type: string, size: number, headerBytes: number): Next =>
    size < headerBytes
      ? problem(`the ${type} box has a size of ${size}`)
      : { pass: size - headerBytes, what: `the ${type} box`, andThen: () => box }

  return checkSteps(box)
}
