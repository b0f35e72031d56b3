import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'kysely'
import {
  DESK,
  findSignIn,
  type Harness,
  openPage,
  PHONE,
  readHorizontalOverflow,
  saveScreenshot,
  signIn,
  startHarness,
} from './browser-harness.ts'

let harness: Harness
before(async () => {
  harness = await startHarness()
})
after(async () => {
  await harness?.close()
})

/** Raw report keys that must never reach a manager's screen. */
const RAW_KEYS = /ratePer100|unitsSold|problem:|finding:|days-\d|inbound-shipping|return-shipping|unassigned/

function parseCsvHref(href: string): string[][] {
  const text = decodeURIComponent(href.slice(href.indexOf(',') + 1)).replace(/^\uFEFF/, '')
  return text
    .trim()
    .split('\r\n')
    .map((line) => line.split(','))
}

for (const [label, viewport] of [
  ['desk', DESK],
  ['phone', PHONE],
] as const) {
  test(`the dashboard names its axes and shows money in major units, in English and Chinese (${label})`, async () => {
    const manager = findSignIn(harness, 'manager')
    const { page, context, problems } = await openPage(harness, viewport)
    await signIn(page, manager.email, manager.password)
    await page.goto('/staff/dashboard')
    await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor()
    await page.waitForLoadState('networkidle')
    const charts = page.locator('figure.chart')
    assert.ok((await charts.count()) >= 3, 'the demo fills at least three charts')
    for (const axes of await page.getByTestId('chart-axes').allTextContents())
      assert.match(axes, /^Across: .+\. Up: .+\.$/)
    assert.doesNotMatch((await page.getByTestId('dashboard').textContent()) ?? '', RAW_KEYS)

    // The cost chart's figures equal the spent cost lines in the database (on no quote, or on
    // one the customer accepted), in major units.
    const sums = await sql<{ currency: string; total: number }>`
      select l.currency as currency, sum(l.quantity * l.unit_price_minor) as total
      from claim_cost_lines l left join claim_quotes q on q.id = l.quote_id
      where l.quote_id is null or q.status = 'accepted'
      group by l.currency`.execute(harness.database.db)
    assert.ok(sums.rows.length > 0, 'the demo has cost lines')
    for (const { currency, total } of sums.rows) {
      const link = page.locator(`[data-testid="chart-warranty-cost-${currency.toLowerCase()}"] a[download]`)
      const rows = parseCsvHref((await link.getAttribute('href')) ?? '')
      const shown = rows
        .slice(1)
        .reduce((sum, row) => sum + row.slice(1).reduce((s, cell) => s + Number(cell || 0), 0), 0)
      assert.equal(
        Math.round(shown * 100),
        Number(total),
        `${currency}: chart ${shown} against lines ${total} minor units`,
      )
    }
    // The demo's batch whose failure rate stepped up shows as an early warning, linked to its evidence.
    const warnings = page.getByTestId('reliability-warnings')
    const flagged = warnings.locator('tbody tr a', { hasText: /^Batch \S+ of .+/ }).first()
    await flagged.waitFor()
    assert.match((await flagged.getAttribute('href')) ?? '', /^\/staff\/reliability\?model=.+&batch=.+/)
    // Months are written in words, not as keys: the claims-per-month chart's table and the warnings.
    const monthRows = page.getByTestId('chart-claims-per-month').locator('tbody th')
    assert.ok((await monthRows.count()) > 0, 'the demo has claims by month')
    // Written as the documents write English dates (en-GB), which shortens September to Sept.
    for (const month of await monthRows.allTextContents()) assert.match(month, /^[A-Z][a-z]{2,3} \d{4}$/)
    assert.match(
      ((await warnings.locator('tbody tr td').nth(1).textContent()) ?? '').trim(),
      /^[A-Z][a-z]+ \d{4}$/,
    )
    assert.equal(await readHorizontalOverflow(page), 0)
    await saveScreenshot(page, `dashboard-en-${label}`)

    await page.evaluate(() => localStorage.setItem('aftercare.language', 'zh'))
    await page.reload()
    await page.getByRole('heading', { name: '数据看板', exact: true }).waitFor()
    await page.waitForLoadState('networkidle')
    for (const axes of await page.getByTestId('chart-axes').allTextContents()) {
      assert.match(axes, /^横轴：.+。纵轴：.+。$/)
      // Currency codes aside, the axis names are Chinese words.
      assert.doesNotMatch(axes.replace(/USD|CNY|EUR/g, ''), /[A-Za-z]{2,}/, axes)
    }
    assert.doesNotMatch((await page.getByTestId('dashboard').textContent()) ?? '', RAW_KEYS)
    await page.getByTestId('reliability-warnings').getByRole('columnheader', { name: '型号或批次' }).waitFor()
    assert.match(
      ((await warnings.locator('tbody tr td').nth(1).textContent()) ?? '').trim(),
      /^\d{4}年\d{1,2}月$/,
    )
    for (const month of await monthRows.allTextContents()) assert.match(month, /^\d{4}年\d{1,2}月$/)
    await saveScreenshot(page, `dashboard-zh-${label}`)
    assert.deepEqual(problems, [])
    await context.close()
  })
}
