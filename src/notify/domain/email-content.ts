/**
 * A message as structured blocks, rendered once to plain text and once to simple HTML so
 * the two parts always say the same thing. Every value is escaped in the HTML part.
 */
export type Block =
  | { kind: 'p'; text: string }
  | { kind: 'facts'; rows: [label: string, value: string][] }
  | { kind: 'list'; items: string[] }
  | { kind: 'address'; text: string }
  | { kind: 'link'; label: string; url: string }
  | { kind: 'table'; head: string[]; rows: string[][]; foot?: string[] }

export interface EmailContent {
  subject: string
  blocks: Block[]
}

export interface RenderedEmail {
  subject: string
  text: string
  html: string
}

export const escapeHtml = (value: string): string =>
  value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')

// A subject is one header line: newlines in data must not start a new header.
const toSubjectLine = (value: string): string => value.replace(/[\r\n\t]+/g, ' ').trim()

/** The colon between a label and its value: a full-width one in Chinese text. */
const colonIn = (lang: string): string => (lang.startsWith('zh') ? '：' : ': ')

function blockToText(block: Block, colon: string): string {
  switch (block.kind) {
    case 'p':
      return block.text
    case 'facts':
      return block.rows.map(([label, value]) => `${label}${colon}${value}`).join('\n')
    case 'list':
      return block.items.map((item) => `  - ${item}`).join('\n')
    case 'address':
      return block.text
        .split('\n')
        .map((line) => `    ${line}`)
        .join('\n')
    case 'link':
      return `${block.label}${colon.trimEnd()}\n${block.url}`
    case 'table': {
      const rows = [block.head, ...block.rows, ...(block.foot ? [block.foot] : [])]
      return rows.map((row) => row.join(' | ')).join('\n')
    }
  }
}

function blockToHtml(block: Block): string {
  const e = escapeHtml
  switch (block.kind) {
    case 'p':
      return `<p>${e(block.text).replaceAll('\n', '<br>')}</p>`
    case 'facts':
      return `<table>${block.rows.map(([l, v]) => `<tr><th align="left">${e(l)}</th><td>${e(v)}</td></tr>`).join('')}</table>`
    case 'list':
      return `<ul>${block.items.map((item) => `<li>${e(item)}</li>`).join('')}</ul>`
    case 'address':
      return `<p style="margin-left:1em"><strong>${e(block.text).replaceAll('\n', '<br>')}</strong></p>`
    case 'link':
      return `<p><a href="${e(block.url)}">${e(block.label)}</a></p>`
    case 'table': {
      const cells = (row: string[], tag: string) =>
        `<tr>${row.map((c) => `<${tag}>${e(c)}</${tag}>`).join('')}</tr>`
      const foot = block.foot ? `<tfoot>${cells(block.foot, 'th')}</tfoot>` : ''
      return `<table border="1" cellpadding="4" cellspacing="0"><thead>${cells(block.head, 'th')}</thead><tbody>${block.rows.map((r) => cells(r, 'td')).join('')}</tbody>${foot}</table>`
    }
  }
}

export function renderContent(content: EmailContent, lang: string): RenderedEmail {
  const subject = toSubjectLine(content.subject)
  const colon = colonIn(lang)
  const text = `${content.blocks.map((block) => blockToText(block, colon)).join('\n\n')}\n`
  const html = `<!doctype html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>${content.blocks.map(blockToHtml).join('\n')}</body></html>\n`
  return { subject, text, html }
}
