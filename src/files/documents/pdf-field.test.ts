import assert from 'node:assert/strict'
import { test } from 'node:test'
import { drawField, startPdf } from './pdf-document.ts'

test('a field whose label would sit at the foot of a page goes over with its value', async () => {
  for (const gap of [0, 5, 12, 20, 30, 60]) {
    const page = startPdf({ title: 't', locale: 'en', createdAt: new Date(0) }, { compress: false })
    const { doc } = page
    const bottom = doc.page.height - doc.page.margins.bottom
    doc.y = bottom - gap
    const labelTop: number[] = []
    const valueTop: number[] = []
    let pages = 1
    doc.on('pageAdded', () => pages++)
    const text = doc.text.bind(doc)
    let call = 0
    doc.text = ((...args: Parameters<typeof text>) => {
      ;(call++ === 0 ? labelTop : valueTop).push(pages * 10_000 + doc.y)
      return text(...args)
    }) as typeof doc.text
    drawField(page, 'Freight paid by', 'As agreed', 300)
    const [label] = labelTop
    const [value] = valueTop
    assert.ok(label !== undefined && value !== undefined)
    assert.equal(
      Math.floor(label / 10_000),
      Math.floor(value / 10_000),
      `gap ${gap}: label and value on one page`,
    )
    await page.finish()
  }
})
