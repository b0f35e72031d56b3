import zlib from 'node:zlib'

/** The raw bodies of every stream in a PDF, inflated when they are Flate-compressed. */
export function pdfStreams(pdf: Buffer): string[] {
  const out: string[] = []
  let at = 0
  for (;;) {
    const start = pdf.indexOf('stream\n', at)
    if (start < 0) break
    const end = pdf.indexOf('\nendstream', start)
    if (end < 0) break
    const body = pdf.subarray(start + 'stream\n'.length, end)
    const dict = pdf.subarray(Math.max(0, start - 300), start).toString('latin1')
    let text = body.toString('latin1')
    if (dict.includes('/FlateDecode')) {
      try {
        text = zlib.inflateSync(body).toString('latin1')
      } catch {
        // not every stream is one we can read; skip it
      }
    }
    out.push(text)
    // Past the whole keyword: `endstream` holds `stream` followed by a newline too.
    at = end + '\nendstream'.length
  }
  return out
}

/**
 * Text shown by the PDF as pdfkit writes it: hex strings in TJ arrays, single-byte for the
 * standard fonts, two-byte glyph ids mapped through the ToUnicode CMap for an embedded
 * font. Enough to check what a document says, not a general PDF reader.
 */
export function extractPdfText(pdf: Buffer): string {
  const streams = pdfStreams(pdf)
  const glyphs = new Map<number, string>()
  for (const stream of streams) {
    for (const m of stream.matchAll(/<([0-9a-f]{4})> <([0-9a-f]{4})> \[([^\]]*)\]/gi)) {
      const start = Number.parseInt(m[1] ?? '0', 16)
      const values = [...(m[3] ?? '').matchAll(/<([0-9a-f]+)>/gi)].map((v) => v[1] ?? '')
      values.forEach((hex, i) => {
        const units = hex.match(/.{4}/g) ?? []
        glyphs.set(start + i, String.fromCharCode(...units.map((u) => Number.parseInt(u, 16))))
      })
    }
  }
  const lines: string[] = []
  for (const stream of streams) {
    for (const m of stream.matchAll(/\[([^\]]*)\] TJ/g)) {
      const hex = [...(m[1] ?? '').matchAll(/<([0-9a-f]*)>/gi)].map((v) => v[1] ?? '').join('')
      lines.push(
        glyphs.size > 0
          ? (hex.match(/.{4}/g) ?? []).map((g) => glyphs.get(Number.parseInt(g, 16)) ?? '\ufffd').join('')
          : decodeWinAnsi(Buffer.from(hex, 'hex')),
      )
    }
  }
  return lines.join('\n')
}

// WinAnsi differs from Latin-1 only in 0x80–0x9f.
const WIN_ANSI_80_9F = '€\ufffd‚ƒ„…†‡ˆ‰Š‹Œ\ufffdŽ\ufffd\ufffd‘’“”•–—˜™š›œ\ufffdžŸ'
const decodeWinAnsi = (bytes: Buffer): string =>
  Array.from(bytes, (b) =>
    b >= 0x80 && b <= 0x9f ? (WIN_ANSI_80_9F[b - 0x80] ?? '\ufffd') : String.fromCharCode(b),
  ).join('')
