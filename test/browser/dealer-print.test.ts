import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { findSignIn, type Harness, openPage, startHarness } from './browser-harness.ts'

/** An A4 sheet at 96 dpi: what the browser lays the page out on when it prints. */
const A4 = { width: 794, height: 1123 }

let harness: Harness
before(async () => {
  harness = await startHarness()
})
after(async () => {
  await harness?.close()
})

/**
 * The cards, panels and fieldsets the printed page shows with nothing under their heading:
 * forms and buttons stay off paper, so a card made only of them is a heading over nothing.
 */
async function headingsOverNothing(page: Page): Promise<string[]> {
  await page.emulateMedia({ media: 'print' })
  const found = await page.evaluate(() =>
    [...document.querySelectorAll('main section, main .card, main .panel, main fieldset')]
      .filter((box) => box.checkVisibility())
      .filter(
        (box) =>
          ![...box.querySelectorAll('*')].some(
            (el) =>
              el.children.length === 0 &&
              !el.closest('h1, h2, h3, legend') &&
              el.checkVisibility() &&
              (el.textContent ?? '').trim() !== '',
          ),
      )
      .map((box) => (box.querySelector('h1, h2, h3, legend')?.textContent ?? box.tagName).trim()),
  )
  await page.emulateMedia({ media: 'screen' })
  return found
}

test('a dealer printing its claim page and its recovery claim gets no heading over nothing', async () => {
  const dealer = findSignIn(harness, 'dealer', 0)
  const { page, context, problems } = await openPage(harness, A4, { locale: 'zh-CN' })
  const signedIn = await page.request.post('/api/v1/auth/sign-in', {
    data: { email: dealer.email, password: dealer.password },
  })
  assert.equal(signedIn.status(), 200)

  // A unit it received: the page offers steps with fields (ask the customer, record the inspection).
  const claims = (await (await page.request.get('/api/v1/claims?limit=50')).json()) as {
    items: { id: string; state: string }[]
  }
  const received = claims.items.find((c) => c.state === 'received')
  assert.ok(received, 'the demo dealer has received a unit')
  await page.goto(`/dealer/claims/${encodeURIComponent(received.id)}`)
  await page.locator('#case-more').waitFor()
  await page.waitForLoadState('networkidle')
  assert.deepEqual(await headingsOverNothing(page), [], 'the claim page on paper')

  // A draft recovery claim: the creditor's next step is a button.
  const recoveries = (await (await page.request.get('/api/v1/recoveries?limit=5')).json()) as {
    items: { id: string }[]
  }
  const recovery = recoveries.items[0]
  assert.ok(recovery, 'the demo dealer has a recovery claim')
  await page.goto(`/recoveries/${encodeURIComponent(recovery.id)}`)
  await page.getByTestId('recovery-actions').waitFor()
  await page.waitForLoadState('networkidle')
  assert.deepEqual(await headingsOverNothing(page), [], 'the recovery claim on paper')
  assert.deepEqual(problems, [])
  await context.close()
})
