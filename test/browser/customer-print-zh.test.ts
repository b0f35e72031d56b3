import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import {
  decideLiquidDamage,
  type Harness,
  openClaimOnIdleUnit,
  openClaimPage,
  signedInApi,
  startHarness,
  stepClaim,
} from './browser-harness.ts'

/** An A4 sheet at 96 dpi: what the browser lays the page out on when it prints. */
const A4 = { width: 794, height: 1123 }

let harness: Harness
before(async () => {
  harness = await startHarness()
})
after(async () => {
  await harness?.close()
})

/** Text of the elements of `selector` a reader sees on the page as it is laid out now. */
async function visibleText(page: Page, selector: string): Promise<string[]> {
  return page.evaluate(
    (css) =>
      [...document.querySelectorAll(css)]
        .filter((el) => el.checkVisibility())
        .map((el) => (el.textContent ?? '').trim().slice(0, 40)),
    selector,
  )
}

test('a Chinese customer printing a quoted claim gets no folded "original wording" headings and no download link on paper', async () => {
  const customerApi = await signedInApi(harness, 'customer')
  const staff = await signedInApi(harness, 'support')
  const claim = await openClaimOnIdleUnit<{ id: string; serial: string }>(customerApi, '进水后无法开机。')
  await decideLiquidDamage(staff, claim)
  await stepClaim(staff, claim.id, 'send-quote', {
    lines: [{ kind: 'parts', description: '主板', quantity: 1, unitPriceMinor: 12000 }],
    validDays: 30,
  })

  const { page, context, problems } = await openClaimPage(harness, 'customer', claim.id, A4, {
    locale: 'zh-CN',
  })
  await page.getByTestId('quote-pdf').waitFor()
  await page.getByTestId('clause-original').first().waitFor({ state: 'attached' })
  await page.waitForLoadState('networkidle')

  await page.emulateMedia({ media: 'print' })
  // The terms are printed in Chinese; their English originals stay off the sheet, headings too.
  assert.ok((await visibleText(page, '[data-testid="decision-policy-words"] .clause-words')).length > 0)
  assert.deepEqual(await visibleText(page, '[data-testid="clause-original"]'), [])
  assert.deepEqual(await visibleText(page, '[data-testid="quote-pdf"]'), [])
  // On screen the download is still there to click.
  await page.emulateMedia({ media: 'screen' })
  assert.equal((await visibleText(page, '[data-testid="quote-pdf"]')).length, 1)
  assert.deepEqual(problems, [])
  await context.close()
  await customerApi.close()
  await staff.close()
})
