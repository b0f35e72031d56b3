import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { DESK, type Harness, openPage, signInPageAs, startHarness } from './browser-harness.ts'

let harness: Harness
before(async () => {
  harness = await startHarness()
})
after(async () => {
  await harness?.close()
})

interface Costs {
  items: { id: string; spent: boolean }[]
  totals: Record<string, { amountMinor: number }>
}

/** A demo claim with a cost booked, given a quote the customer declined with one line of their own. */
async function claimWithDeclinedQuote(): Promise<{ claimId: string; currency: string; lineId: string }> {
  const db = harness.database.db
  const booked = await db
    .selectFrom('claim_cost_lines')
    .select(['claim_id', 'currency'])
    .where('quote_id', 'is', null)
    .orderBy('claim_id')
    .executeTakeFirstOrThrow()
  const at = new Date().toISOString()
  const quoteId = 'declined-quote'
  await db
    .insertInto('claim_quotes')
    .values({
      id: quoteId,
      claim_id: booked.claim_id,
      status: 'declined',
      currency: booked.currency,
      total_minor: 987_600,
      customer_minor: 987_600,
      absorbed_json: JSON.stringify({ vendor: 0, dealer: 0, manufacturer: 0 }),
      paid_minor: 0,
      note: null,
      sent_at: at,
      responded_at: at,
      valid_until: '2999-12-31',
      reminded_at: null,
    })
    .execute()
  const lineId = 'declinedquoteline'
  await db
    .insertInto('claim_cost_lines')
    .values({
      id: lineId,
      claim_id: booked.claim_id,
      quote_id: quoteId,
      kind: 'parts',
      description: '',
      quantity: 1,
      unit_price_minor: 987_600,
      currency: booked.currency,
      payer: 'customer',
      created_at: at,
      position: 99,
    })
    .execute()
  return { claimId: booked.claim_id, currency: booked.currency, lineId }
}

test("staff see a declined quote's line greyed and struck with the quote's status, in English and Chinese, and a total that leaves it out", async () => {
  const { claimId, currency, lineId } = await claimWithDeclinedQuote()
  for (const [locale, declined, total] of [
    ['en-US', 'Quote declined: not spent', `Total spent (${currency})`],
    ['zh-CN', '报价已被拒绝：未发生', `已发生合计（${currency}）`],
  ] as const) {
    const { page, context, problems } = await openPage(harness, DESK, { locale })
    await signInPageAs(harness, page, 'admin')
    await page.goto(`/staff/claims/${encodeURIComponent(claimId)}`)
    const row = page.locator(`[id="cost-${lineId}"]`)
    await row.waitFor()
    assert.equal(await row.getAttribute('data-spent'), 'false')
    assert.equal(await row.getByTestId('cost-line-not-spent').textContent(), declined)
    assert.equal(await row.getByTestId('cost-line-amount').locator('s').count(), 1, 'the amount is struck')
    const grey = await row.evaluate((node) => getComputedStyle(node).color)
    const ink = await page
      .getByTestId('cost-line')
      .filter({ hasNot: page.getByTestId('cost-line-not-spent') })
      .first()
      .evaluate((node) => getComputedStyle(node).color)
    assert.notEqual(grey, ink, 'the unspent line is greyed')
    const costs = (await (await page.request.get(`/api/v1/claims/${claimId}/cost-lines`)).json()) as Costs
    assert.equal(costs.items.find((item) => item.id === lineId)?.spent, false)
    const said = (await page.getByTestId(`costs-total-${currency}`).textContent()) ?? ''
    assert.ok(said.startsWith(total), said)
    assert.doesNotMatch(said, /9,876/, 'the declined line is not in the total')
    assert.ok((costs.totals[currency]?.amountMinor ?? 0) > 0)
    assert.deepEqual(problems, [])
    await context.close()
  }
})
