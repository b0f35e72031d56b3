import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { extractPdfText } from '../../src/files/documents/pdf-text.test-support.ts'
import { listPolicyFiles, loadPolicyLibrary, SHIPPED_POLICIES_DIR } from '../../src/policies/load-policies.ts'
import {
  DESK,
  decideLiquidDamage,
  findSignIn,
  type Harness,
  openClaimOnIdleUnit,
  openPage,
  PHONE,
  signedInApi,
  signIn,
  startHarness,
} from './browser-harness.ts'

/**
 * A seller in Japan: the shipped policies as they are, but each names the yen as its
 * currency, so every claim is in JPY, a currency without decimals. A thousand yen typed
 * in a form must be a thousand yen everywhere after: the API's minor units, the pages,
 * the quote PDF; not a hundred thousand.
 */
let harness: Harness
let yenPolicies: string
before(async () => {
  yenPolicies = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-yen-policies-'))
  for (const file of listPolicyFiles(SHIPPED_POLICIES_DIR)) {
    const source = fs.readFileSync(file, 'utf8')
    assert.match(source, /^currency: [A-Z]{3}$/m, file)
    fs.writeFileSync(
      path.join(yenPolicies, path.basename(file)),
      source.replace(/^currency: [A-Z]{3}$/m, 'currency: JPY'),
    )
  }
  harness = await startHarness({ policies: loadPolicyLibrary([yenPolicies]) })
})
after(async () => {
  await harness?.close()
  if (yenPolicies) fs.rmSync(yenPolicies, { recursive: true, force: true })
})

interface ClaimJson {
  id: string
  state: string
  version: number
  currency: string
  serial: string
  allowedActions: string[]
}

async function waitForState(page: Page, state: string): Promise<void> {
  await page.locator(`[data-testid="claim-state"][data-state="${state}"]`).waitFor({ timeout: 10_000 })
}

/** The text of an element with non-breaking spaces as spaces. */
async function textOf(page: Page, testId: string): Promise<string> {
  return ((await page.getByTestId(testId).first().textContent()) ?? '').replace(/\s+/g, ' ').trim()
}

test('a yen amount typed by staff is the same number of yen on the claim pages and the quote PDF', async () => {
  // The customer opens a claim; staff take it to a decision that the customer pays the repair.
  const customerApi = await signedInApi(harness, 'customer')
  const claim = await openClaimOnIdleUnit<ClaimJson>(
    customerApi,
    'It stopped working after a drink was spilled on it.',
  )
  assert.equal(claim.currency, 'JPY', 'the claim is in the currency its policy names')
  await customerApi.close()

  const supportApi = await signedInApi(harness, 'support')
  const decided = await decideLiquidDamage<ClaimJson>(supportApi, claim)
  assert.ok(decided.allowedActions.includes('send-quote'), decided.allowedActions.join(', '))
  await supportApi.close()

  // The technician writes the quote in yen: whole numbers only, as the currency has no decimals.
  const bench = await openPage(harness, DESK)
  const technician = findSignIn(harness, 'technician')
  await signIn(bench.page, technician.email, technician.password)
  await bench.page.goto(`/staff/claims/${encodeURIComponent(claim.id)}`)
  const editor = bench.page.getByTestId('quote-editor')
  await editor.waitFor()
  assert.equal(await editor.getByLabel('Currency').inputValue(), 'JPY')
  const parts = editor.getByLabel('Amount').first()
  const labour = editor.getByLabel('Amount').nth(1)
  assert.equal(await parts.getAttribute('step'), '1', 'a yen field steps by one yen')
  await parts.fill('1000.5')
  assert.equal(
    await parts.evaluate((input) => (input as HTMLInputElement).validity.stepMismatch),
    true,
    'half a yen is not an amount the field takes',
  )
  await parts.fill('1000')
  await labour.fill('500')
  assert.equal(await textOf(bench.page, 'quote-editor-total'), '¥1,500')
  await editor.getByRole('button', { name: 'Send quote', exact: true }).click()
  await waitForState(bench.page, 'quoted')

  // The API holds what was typed, in whole yen.
  const quotes = (await (
    await bench.page.request.get(`/api/v1/claims/${encodeURIComponent(claim.id)}/quotes`)
  ).json()) as { items: { currency: string; lines: { unitPriceMinor: number }[] }[] }
  const quote = quotes.items.at(-1)
  assert.equal(quote?.currency, 'JPY')
  // Lines written in the same instant come back in the order of their ids: compare as a set.
  assert.deepEqual(
    quote?.lines.map((line) => line.unitPriceMinor).sort((a, b) => a - b),
    [500, 1000],
  )

  // Staff see the same yen on the claim page.
  await bench.page.getByTestId('quote-total').waitFor()
  assert.equal(await textOf(bench.page, 'quote-total'), '¥1,500')
  const lines = await bench.page.getByTestId('quote').locator('tbody td.num').allTextContents()
  assert.deepEqual(lines.sort(), ['¥1,000', '¥500'])

  // So does the customer, on the claim page and in the quote PDF.
  const portal = await openPage(harness, PHONE)
  const customer = findSignIn(harness, 'customer')
  await signIn(portal.page, customer.email, customer.password)
  await portal.page.goto(`/my/claims/${encodeURIComponent(claim.id)}`)
  await waitForState(portal.page, 'quoted')
  const howToPay = portal.page.getByTestId('payment')
  await howToPay.getByTestId('payment-total').waitFor()
  assert.equal(await textOf(portal.page, 'payment-total'), '¥1,500')
  assert.equal(await textOf(portal.page, 'quote-total'), '¥1,500')
  const pdf = await portal.page.request.get(
    (await howToPay.getByTestId('quote-pdf').getAttribute('href')) ?? '',
  )
  assert.equal(pdf.status(), 200)
  const printed = extractPdfText(await pdf.body()).replace(/\s+/g, ' ')
  assert.match(printed, /¥1,500/, 'the PDF totals the yen typed')
  assert.doesNotMatch(printed, /150,000|100,000/, 'not a hundred times them')
  await portal.page.getByRole('button', { name: 'Accept the quote', exact: true }).click()
  await waitForState(portal.page, 'quote-accepted')

  // Staff record the payment: the form offers what is owed in whole yen, and takes it as such.
  await bench.page.reload()
  await waitForState(bench.page, 'quote-accepted')
  const payment = bench.page.getByTestId('payment-form')
  await payment.waitFor()
  assert.match(await textOf(bench.page, 'payment-form'), /Still to be paid: ¥1,500/)
  const amount = payment.getByLabel(/Amount received/)
  assert.equal(await amount.inputValue(), '1500')
  assert.equal(await amount.getAttribute('step'), '1')
  assert.equal(await amount.getAttribute('max'), '1500')
  await payment.getByRole('button', { name: 'Record payment', exact: true }).click()
  await bench.page.getByTestId('quote-paid').waitFor()
  const paid = (await (
    await bench.page.request.get(`/api/v1/claims/${encodeURIComponent(claim.id)}/payment`)
  ).json()) as { paidMinor: number; outstandingMinor: number; payments: { amountMinor: number }[] }
  assert.equal(paid.paidMinor, 1500)
  assert.equal(paid.outstandingMinor, 0)
  assert.equal(await textOf(bench.page, 'payment-paid'), '¥1,500')

  for (const watched of [bench, portal]) {
    assert.deepEqual(watched.problems, [])
    await watched.context.close()
  }
})
