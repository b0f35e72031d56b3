/**
 * The new part of a reply: what the writer typed above the quoted history. Mail programs
 * mark the quote in their own ways; the first marker found ends the reply.
 */
const QUOTE_MARKERS: readonly RegExp[] = [
  // Gmail, Apple Mail, Thunderbird: "On Tue, 1 Dec 2026 at 10:00, Aftercare <…> wrote:"
  /^On\b.{0,300}\bwrote:\s*$/i,
  // Outlook and Exchange
  /^-{2,}\s*Original Message\s*-{2,}\s*$/i,
  /^_{10,}\s*$/,
  /^From:\s.+$/i,
  // Chinese mail programs: "在 2026年12月1日 10:00，Aftercare <…> 写道：", "-----原始邮件-----"
  /^在.{0,300}写道[:：]\s*$/,
  /^-{2,}\s*原始邮件\s*-{2,}\s*$/,
  /^发件人[:：]/,
  // Quoted lines themselves
  /^>/,
]

/** Some programs break "On … wrote:" over two lines; join a line starting with "On" with the next. */
function isSplitWroteMarker(line: string, next: string | undefined): boolean {
  return (
    /^On\b/i.test(line) && next !== undefined && /\bwrote:\s*$/i.test(next) && line.length + next.length < 300
  )
}

export function stripQuotedReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  let end = lines.length
  for (let i = 0; i < lines.length; i += 1) {
    const line = (lines[i] ?? '').trim()
    if (line === '--' || line === '-- ') {
      // The signature separator: what follows is the signature, not the reply.
      end = i
      break
    }
    if (QUOTE_MARKERS.some((marker) => marker.test(line)) || isSplitWroteMarker(line, lines[i + 1]?.trim())) {
      end = i
      break
    }
  }
  return lines.slice(0, end).join('\n').trim()
}
