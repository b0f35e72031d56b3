import {
  checkSteps,
  type Next,
  problem,
  readU16BE,
  type Step,
  type StructureCheck,
} from './structure-check.ts'

const EOI = 0xd9
const SOS = 0xda
/** Start-of-frame markers: SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC). */
const isFrame = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc
/** Markers with no length after them: RST0–RST7 and TEM. */
const isStandalone = (m: number) => (m >= 0xd0 && m <= 0xd7) || m === 0x01

/**
 * A JPEG is whole when its marker segments parse from SOI, a frame header comes before the
 * first scan, each scan's entropy-coded data runs to a marker, and EOI closes it. Bytes after
 * EOI are ignored, as every decoder does: phones append further pictures there (the MPF depth
 * and preview images), so refusing them would refuse ordinary photos.
 */
export function checkJpeg(): StructureCheck {
  let sawFrame = false
  let sawScan = false

  const onMarker = (marker: number): Next => {
    if (marker === EOI) return sawScan ? { done: true } : problem('EOI before any scan')
    if (marker === 0xd8) return problem('a second SOI')
    if (isStandalone(marker)) return nextMarker
    if (marker === 0x00) return problem('a stray 0xFF00 between segments')
    if (isFrame(marker)) sawFrame = true
    if (marker === SOS && !sawFrame) return problem('a scan before any frame header')
    const name = `segment 0xFF${marker.toString(16).toUpperCase()}`
    return {
      read: 2,
      what: `the length of ${name}`,
      andThen: (length) => {
        const size = readU16BE(length)
        if (size < 2) return problem(`${name} has a length of ${size}`)
        return {
          pass: size - 2,
          what: name,
          andThen: () => {
            if (marker !== SOS) return nextMarker
            sawScan = true
            return entropyData()
          },
        }
      },
    }
  }

  const markerCode: Step = {
    read: 1,
    what: 'a marker',
    // Any number of 0xFF may pad before a marker.
    andThen: (code) => (code[0] === 0xff ? markerCode : onMarker(code[0] as number)),
  }
  const nextMarker: Step = {
    read: 1,
    what: 'a marker',
    endsHere: () => 'the file ends without EOI',
    andThen: (byte) =>
      byte[0] === 0xff ? markerCode : problem('bytes between segments where a marker belongs'),
  }

  // In the coded data 0xFF is followed by 0x00 (a stuffed byte), a restart marker or more
  // 0xFF; any other byte after it is the marker that ends the scan.
  const entropyData = (): Step => {
    let afterFf = false
    return {
      endsHere: () => 'the file ends inside the image data, without EOI',
      scan: (bytes, from) => {
        let i = from
        while (i < bytes.length) {
          if (afterFf) {
            const b = bytes[i] as number
            i += 1
            if (b === 0xff) continue
            afterFf = false
            if (b === 0x00 || (b >= 0xd0 && b <= 0xd7)) continue
            return { used: i, next: onMarker(b) }
          }
          const ff = bytes.indexOf(0xff, i)
          if (ff < 0) return { used: bytes.length }
          afterFf = true
          i = ff + 1
        }
        return { used: i }
      },
    }
  }

  return checkSteps({
    read: 2,
    what: 'the JPEG start marker',
    andThen: (soi) => (soi[0] === 0xff && soi[1] === 0xd8 ? nextMarker : problem('no SOI marker')),
  })
}
