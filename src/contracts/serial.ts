/**
 * A serial number as the registry keeps and compares it. People type a serial the way
 * they read it: in lower case, or in full-width characters from a Chinese input method
 * (`ＰＬＡ－１０１０５`). Kept as typed, `pla-10105` and `PLA-10105` would be two units, and
 * anyone could register a second copy of another customer's camera and claim on it. So a
 * serial is compatibility-normalised (full-width to ASCII), trimmed and upper-cased at every
 * door it comes in by: the API, the web forms and the CSV imports.
 */
/** The characters a serial may hold, once canonical: letters, digits, dot, slash, underscore, hyphen. */
export const SERIAL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/
/** The longest serial the registry keeps. */
export const SERIAL_MAX_LENGTH = 64

/** Whether a canonical serial is one the registry can keep. */
export const isSerial = (serial: string): boolean =>
  serial.length <= SERIAL_MAX_LENGTH && SERIAL_PATTERN.test(serial)

export function canonicalSerial(text: string): string {
  return text.normalize('NFKC').trim().toUpperCase()
}
