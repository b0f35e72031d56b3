import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import {
  DESK,
  decideLiquidDamage,
  type Harness,
  openClaimOnIdleUnit,
  openClaimPage,
  openCustomerClaim,
  signedInApi,
  startHarness,
  stepClaim,
} from './browser-harness.ts'

let harness: Harness
before(async () => {
  harness = await startHarness()
})
after(async () => {
  await harness?.close()
})

interface ClaimJson {
  id: string
  serial: string
}

/** A refused step's API answer is a 400 the console reports; the page's own errors still fail the test. */
const REFUSED = [/status of 400/]

/** A claim whose quote the customer declined: the unit waits to be shipped back. */
async function claimToShipBack(): Promise<ClaimJson> {
  const customerApi = await signedInApi(harness, 'customer')
  const claim = await openClaimOnIdleUnit<ClaimJson>(customerApi, 'Water got in; it no longer starts.')
  const supportApi = await signedInApi(harness, 'support')
  await decideLiquidDamage(supportApi, claim)
  await stepClaim(supportApi, claim.id, 'send-quote', {
    lines: [
      { kind: 'parts', description: 'Main board', quantity: 1, unitPriceMinor: 12_000, payer: 'customer' },
    ],
  })
  const quotes = (await (
    await supportApi.request.get(`/api/v1/claims/${encodeURIComponent(claim.id)}/quotes`)
  ).json()) as { items: { id: string }[] }
  await stepClaim(customerApi, claim.id, 'decline-quote', { quoteId: quotes.items.at(-1)?.id })
  await customerApi.close()
  await supportApi.close()
  return claim
}

for (const [language, locale, tracking, refusal] of [
  ['English', 'en-GB', 'Tracking number', /^Tracking number: /],
  ['Chinese', 'zh-CN', '运单号', /^运单号：/],
] as const) {
  test(`a refused step is told beside its form, naming the field by its label (${language})`, async () => {
    const claim = await claimToShipBack()
    const { page, context, problems } = await openClaimPage(harness, 'support', claim.id, DESK, {
      locale,
      allow: REFUSED,
    })
    const form = page.getByTestId('shipping-form')
    // Blanks pass the browser's own check of a required field; the server refuses them.
    await form.getByLabel(tracking, { exact: true }).fill('   ')
    await form.getByRole('button').click()
    const alert = page.getByRole('alert')
    await alert.waitFor()
    const text = (await alert.textContent()) ?? ''
    assert.match(text, refusal, 'the field is named as the form names it')
    assert.doesNotMatch(text, /body\.|trackingNumber/, 'no request path is shown')
    // Where the person is looking: the form is far down the page, and the refusal is said there.
    const gap = await page.evaluate(() => {
      const note = document.querySelector('[role="alert"]')?.getBoundingClientRect()
      const formBox = document.querySelector('[data-testid="shipping-form"]')?.getBoundingClientRect()
      return note && formBox ? Math.abs(note.top - formBox.bottom) : Number.POSITIVE_INFINITY
    })
    assert.ok(gap < 100, `the refusal is shown next to the form (${gap}px away)`)
    assert.ok(await alert.isVisible())
    assert.ok(
      await alert.evaluate((node) => {
        const box = node.getBoundingClientRect()
        return box.top >= 0 && box.bottom <= window.innerHeight
      }),
      'the refusal is in view without scrolling',
    )
    assert.deepEqual(problems, [])
    await context.close()
  })
}

test('staff read the quote of the customer in the third person, in the editor and in the quote sent', async () => {
  const claim = await openCustomerClaim<ClaimJson>(harness, 'Water got in; it no longer starts.')
  const supportApi = await signedInApi(harness, 'support')
  await decideLiquidDamage(supportApi, claim)
  const { page, context, problems } = await openClaimPage(harness, 'support', claim.id)
  const editor = page.locator('[aria-labelledby="quote-editor-title"]')
  await editor.waitFor()
  const offered = async (label: string) =>
    editor.getByLabel(label, { exact: true }).first().locator('option').allTextContents()
  assert.ok((await offered('Item')).includes('Shipping back to the customer'))
  assert.ok((await offered('Paid by')).includes('the customer'))
  for (const words of [...(await offered('Item')), ...(await offered('Paid by'))]) {
    assert.doesNotMatch(words, /\byou\b/, `the editor offers "${words}" to staff`)
  }

  await stepClaim(supportApi, claim.id, 'send-quote', {
    lines: [
      {
        kind: 'return-shipping',
        description: 'Courier',
        quantity: 1,
        unitPriceMinor: 2_000,
        payer: 'customer',
      },
    ],
  })
  await supportApi.close()
  await page.reload()
  const quote = page.getByTestId('quote')
  await quote.waitFor()
  const shown = (await quote.textContent()) ?? ''
  assert.match(shown, /Shipping back to the customer/)
  assert.match(shown, /the customer/)
  assert.doesNotMatch(shown, /\byou\b/, 'the quote speaks of the customer, not to them')
  assert.deepEqual(problems, [])
  await context.close()
})

test('the inspection result shows what the technician wrote, the serial read and the packaging, to whoever works the claim next', async () => {
  const claim = await openCustomerClaim<ClaimJson>(harness, 'No image after the cooler starts.')
  const supportApi = await signedInApi(harness, 'support')
  await stepClaim(supportApi, claim.id, 'authorize-return')
  await stepClaim(supportApi, claim.id, 'receive-unit')
  await stepClaim(supportApi, claim.id, 'record-inspection', {
    serialSeen: claim.serial,
    sealsIntact: true,
    packaging: 'damaged',
    contentsReceived: [],
    findings: [],
    faultConfirmed: true,
    manufacturingDefect: true,
    notes: 'USB controller dead; board to replace.',
  })
  await supportApi.close()
  const { page, context, problems } = await openClaimPage(harness, 'manager', claim.id)
  const summary = page.getByTestId('inspection-summary')
  await summary.waitFor()
  await page.getByTestId('inspection-notes').waitFor()
  const facts = await summary.evaluate((node) =>
    Object.fromEntries(
      [...node.querySelectorAll('dt')].map((term) => [
        term.textContent,
        term.nextElementSibling?.textContent,
      ]),
    ),
  )
  assert.equal(facts.Notes, 'USB controller dead; board to replace.')
  assert.equal(facts.Packaging, 'Damaged')
  assert.equal(facts['Serial number read off the unit'], claim.serial)
  assert.deepEqual(problems, [])
  await context.close()
})

test('the conversation and the history write the same moment the same way', async () => {
  const claim = await openCustomerClaim<ClaimJson>(harness, 'The fan is loud.')
  const supportApi = await signedInApi(harness, 'support')
  await stepClaim(supportApi, claim.id, 'request-info', { request: 'Please send a photo of the label.' })
  await supportApi.close()
  const { page, context, problems } = await openClaimPage(harness, 'support', claim.id)
  const question = page.locator('[data-testid="thread-item"][data-kind="info-request"] .thread-meta .muted')
  await question.waitFor()
  const asked = page.locator('.timeline-item', { hasText: 'Information requested' }).locator('time')
  const inThread = ((await question.textContent()) ?? '').split(' · ').at(-1)
  assert.equal(inThread, await asked.textContent())
  assert.deepEqual(problems, [])
  await context.close()
})
