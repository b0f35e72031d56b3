import { checkSteps, problem, type StructureCheck } from './structure-check.ts'

/** Readers look for the end-of-file marker within the last 1024 bytes. */
const TAIL = 1024
const KEPT = TAIL + 64

/**
 * A PDF is whole when it starts with `%PDF-` and its last 1024 bytes hold the trailer's end:
 * `startxref`, the offset of the cross-reference inside the file, and `%%EOF`. A file cut
 * short loses that end; what follows the marker is ignored, as readers do.
 */
export function checkPdf(): StructureCheck {
  const kept = new Uint8Array(KEPT)
  let keptBytes = 0
  let total = 5

  const keep = (bytes: Uint8Array) => {
    if (bytes.length >= KEPT) {
      kept.set(bytes.subarray(bytes.length - KEPT))
      keptBytes = KEPT
      return
    }
    const stay = Math.min(keptBytes, KEPT - bytes.length)
    kept.copyWithin(0, keptBytes - stay, keptBytes)
    kept.set(bytes, stay)
    keptBytes = stay + bytes.length
  }

  const trailer = (): string | null => {
    const text = String.fromCharCode(...kept.subarray(0, keptBytes))
    const marker = text.lastIndexOf('%%EOF')
    if (marker < 0 || text.length - marker > TAIL) return 'no %%EOF in the last 1024 bytes'
    const start = /startxref\s+(\d+)\s*$/.exec(text.slice(0, marker))
    if (!start) return 'no startxref before %%EOF'
    if (Number(start[1]) >= total) return 'startxref points past the end of the file'
    return null
  }

  return checkSteps({
    read: 5,
    what: 'the PDF header',
    andThen: (head) =>
      String.fromCharCode(...head) === '%PDF-'
        ? {
            endsHere: trailer,
            scan: (bytes, from) => {
              const rest = bytes.subarray(from)
              total += rest.length
              keep(rest)
              return { used: bytes.length }
            },
          }
        : problem('no %PDF- header'),
  })
}
