import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { extractPdfText } from '../../src/files/documents/pdf-text.test-support.ts'
import {
  DESK,
  findAccessibilityGaps,
  findIdleUnit,
  findSignIn,
  type Harness,
  openPage,
  PHONE,
  readHorizontalOverflow,
  saveScreenshot,
  signIn,
  startHarness,
  type WatchedPage,
} from './browser-harness.ts'

let harness: Harness
before(async () => {
  harness = await startHarness()
})
after(async () => {
  await harness?.close()
})

/** A real JPEG, drawn and encoded by the browser itself: the server checks the bytes, not the name. */
async function drawJpeg(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement('canvas')
    canvas.width = 64
    canvas.height = 48
    const g = canvas.getContext('2d')
    if (!g) throw new Error('no 2d context')
    g.fillStyle = '#203040'
    g.fillRect(0, 0, 64, 48)
    g.fillStyle = '#e0a030'
    g.fillRect(8, 8, 24, 24)
    return canvas.toDataURL('image/jpeg', 0.8)
  })
  const bytes = Buffer.from(dataUrl.split(',')[1] ?? '', 'base64')
  assert.equal(bytes[0], 0xff)
  assert.equal(bytes[1], 0xd8)
  return bytes
}

async function checkPage(watched: WatchedPage, name: string, failures: string[]): Promise<void> {
  const overflow = await readHorizontalOverflow(watched.page)
  if (overflow > 0) failures.push(`${name} overflows by ${overflow}px`)
  for (const gap of await findAccessibilityGaps(watched.page)) failures.push(`${name}: ${gap}`)
  await saveScreenshot(watched.page, name)
}

async function waitForState(page: Page, state: string): Promise<void> {
  try {
    await page.locator(`[data-testid="claim-state"][data-state="${state}"]`).waitFor({ timeout: 10_000 })
  } catch (error) {
    // Leave a picture of what the page showed instead, and say which state it was in.
    await saveScreenshot(page, `flow-failure-waiting-for-${state}`)
    const shown = await page
      .getByTestId('claim-state')
      .getAttribute('data-state')
      .catch(() => null)
    const alert = await page
      .getByRole('alert')
      .allTextContents()
      .catch(() => [])
    throw new Error(`Waited for ${state}; the page shows ${shown ?? 'no claim'} ${alert.join(' ')}`, {
      cause: error,
    })
  }
}

async function clickAction(page: Page, label: string, nextState: string): Promise<void> {
  await page.getByRole('button', { name: label, exact: true }).click()
  await waitForState(page, nextState)
}

test('a claim from the customer portal through the staff console and back to the customer', async () => {
  const failures: string[] = []
  const customer = findSignIn(harness, 'customer')
  const portal = await openPage(harness, PHONE)
  await signIn(portal.page, customer.email, customer.password)
  const serial = await findIdleUnit(portal.page.request)
  const photo = await drawJpeg(portal.page)

  // a. The customer opens a claim with a photo and reads the provisional decision.
  await portal.page.goto('/my')
  await portal.page.getByTestId('my-units').waitFor()
  await portal.page.goto(`/my/claims/new?serial=${encodeURIComponent(serial)}`)
  await portal.page.getByLabel('Describe the fault').fill('The cooler does not start; the sensor stays warm.')
  // Noticed a week ago: told to the technician, while the claim is dated today.
  const noticedOn = await portal.page.locator('#claim-date').evaluate((input: HTMLInputElement) => {
    const day = new Date(`${input.value}T12:00:00Z`)
    day.setUTCDate(day.getUTCDate() - 7)
    return day.toISOString().slice(0, 10)
  })
  await portal.page.locator('#claim-date').fill(noticedOn)
  await portal.page.getByTestId('file-drop-input').setInputFiles({
    name: 'cooler.jpg',
    mimeType: 'image/jpeg',
    buffer: photo,
  })
  await portal.page.getByText('cooler.jpg').waitFor()
  await checkPage(portal, 'flow-customer-new-claim-phone', failures)
  await portal.page.getByRole('button', { name: 'Send', exact: true }).click()
  await portal.page.waitForURL(
    (url) => /^\/my\/claims\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith('/new'),
  )
  const claimId = decodeURIComponent(new URL(portal.page.url()).pathname.split('/').at(-1) ?? '')
  await portal.page.getByTestId('decision-summary').waitFor()
  const summary = (await portal.page.getByTestId('decision-summary').textContent()) ?? ''
  assert.match(summary, /covered/i)
  // A customer gets the policy's words in a fold, without clause keys; the trace is for staff.
  const policyWords = portal.page.getByTestId('decision-policy-words')
  await policyWords.waitFor({ state: 'attached' })
  assert.doesNotMatch((await policyWords.textContent()) ?? '', /[a-z0-9-]+#[a-z0-9-]+/)
  assert.ok(
    (await policyWords.locator('blockquote').count()) > 0,
    'the clauses are quoted in the policy’s words',
  )
  assert.equal(await portal.page.getByTestId('decision-trace').count(), 0, 'no clause trace for a customer')
  const thumb = portal.page.getByRole('img', { name: /cooler\.jpg/ }).first()
  await thumb.scrollIntoViewIfNeeded()
  await portal.page.waitForFunction(
    () => Array.from(document.images).some((img) => img.alt.includes('cooler.jpg') && img.naturalWidth > 0),
    undefined,
    { timeout: 10_000 },
  )
  const stillWanted = await portal.page.locator('.note-warn').allTextContents()
  assert.doesNotMatch(stillWanted.join(' '), /Photo or video of the fault/, 'the photo counts as evidence')
  await checkPage(portal, 'flow-customer-claim-opened-phone', failures)

  // The customer enters where the unit should come back to.
  const addresses = portal.page.getByTestId('claim-addresses')
  // The claim may already carry the address of the customer's profile; either way it can be changed.
  const editAddress = addresses.getByRole('button', {
    name: /^(Enter|Change) the return address$|^Enter a return address$/,
  })
  await editAddress.waitFor()
  await editAddress.click()
  await addresses.getByLabel('Name', { exact: true }).fill('Li Wei')
  await addresses.getByLabel('Street and number').fill('88 Xueyuan Road, Building 3, Room 502')
  await addresses.getByLabel('City').fill('Hangzhou')
  await addresses.getByLabel('Province or region (optional)').fill('Zhejiang')
  await addresses.getByLabel('Postal code (optional)').fill('310012')
  await addresses.getByLabel('Country or region').selectOption('CN')
  await addresses.getByLabel('Phone (optional)').fill('+86 138 0000 0000')
  await addresses.getByRole('button', { name: 'Save', exact: true }).click()
  // The profile's address may already be shown; wait for the saved one, not for any address.
  await addresses
    .getByTestId('return-address')
    .filter({ hasText: '88 Xueyuan Road' })
    .waitFor()
    .catch(() => undefined)
  const returnLines = await addresses.getByTestId('return-address').locator('div').allTextContents()
  assert.ok(
    returnLines.some((line) => line.includes('88 Xueyuan Road')),
    returnLines.join(' / '),
  )

  // b. Support authorises the return and receives the unit; the repair order is a real PDF.
  const support = await openPage(harness, DESK)
  const supportUser = findSignIn(harness, 'support')
  await signIn(support.page, supportUser.email, supportUser.password)
  await support.page.goto(`/staff/claims/${encodeURIComponent(claimId)}`)
  await waitForState(support.page, 'new')
  const noticedShown = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(`${noticedOn}T12:00:00Z`),
  )
  assert.match(
    (await support.page.getByTestId('problem-noticed').textContent()) ?? '',
    new RegExp(noticedShown),
  )
  await clickAction(support.page, 'Authorise return', 'authorized')
  const link = support.page.getByTestId('repair-order')
  const href = await link.getAttribute('href')
  assert.ok(href, 'the repair order link has an address')
  const pdf = await support.page.request.get(href)
  assert.equal(pdf.status(), 200)
  assert.match(pdf.headers()['content-type'] ?? '', /application\/pdf/)
  assert.equal((await pdf.body()).subarray(0, 5).toString('latin1'), '%PDF-')
  // The repair order prints both addresses in full, as the case page shows them.
  const caseAddresses = support.page.getByTestId('claim-addresses')
  await caseAddresses.getByTestId('ship-to-address').waitFor()
  const shipToLines = await caseAddresses.getByTestId('ship-to-address').locator('div').allTextContents()
  const shownReturn = await caseAddresses.getByTestId('return-address').locator('div').allTextContents()
  assert.deepEqual(shownReturn, returnLines, 'staff see the address the customer entered')
  const printed = extractPdfText(await pdf.body())
  for (const line of [...returnLines, ...shipToLines])
    assert.ok(printed.includes(line), `the repair order prints "${line}"`)
  const claimNumberShown = `C-${claimId.slice(0, 8).toUpperCase()}`
  assert.ok(printed.includes(claimNumberShown), `the repair order names the claim ${claimNumberShown}`)
  // The QR code's address is printed under it, wrapped over lines wherever pdfkit breaks it;
  // that address opens the claim by its id. Outside it the id never appears.
  const printedOutsideAddress = printed.split('\n').join('').replaceAll(`/claims/${claimId}`, '/claims/…')
  assert.ok(!printedOutsideAddress.includes(claimId), 'and never by its id')
  await clickAction(support.page, 'Receive unit', 'received')

  // The technician inspects: liquid damage, one item of the standard package missing.
  const bench = await openPage(harness, DESK)
  const technician = findSignIn(harness, 'technician')
  await signIn(bench.page, technician.email, technician.password)
  await bench.page.goto(`/staff/claims/${encodeURIComponent(claimId)}`)
  const inspection = bench.page.getByTestId('inspection-form')
  await inspection.waitFor()
  const packageItems = inspection.getByTestId('package-item')
  await packageItems.first().waitFor()
  assert.ok((await packageItems.count()) > 1, 'the standard package of the model is listed')
  const missingItem = ((await packageItems.last().textContent()) ?? '').trim()
  // The form starts unticked: the technician ticks what arrived, all but the last item.
  assert.equal(await inspection.locator('input[type=checkbox]:checked').count(), 0)
  const itemCount = await packageItems.count()
  for (let i = 0; i < itemCount - 1; i += 1) await packageItems.nth(i).locator('input').check()
  await inspection.getByLabel('Warranty seals intact').check()
  await inspection.getByLabel('Fault reproduced').check()
  await inspection.getByLabel('Liquid, moisture or corrosion').check()
  await inspection.getByLabel('Notes').fill('Corrosion on the cooler board.')
  await checkPage(bench, 'flow-staff-inspection-desk', failures)
  await inspection.getByRole('button', { name: 'Record inspection', exact: true }).click()
  await waitForState(bench.page, 'inspected')
  assert.match(
    (await bench.page.getByTestId('inspection-summary').textContent()) ?? '',
    new RegExp(missingItem),
  )
  await clickAction(bench.page, 'Decide', 'decided')
  assert.match((await bench.page.getByTestId('decision-summary').textContent()) ?? '', /not covered/i)

  // A quote for the not-covered repair.
  const editor = bench.page.getByTestId('quote-editor')
  await editor.getByLabel('Amount').first().fill('80')
  await editor.getByLabel('Amount').nth(1).fill('40')
  await editor.getByRole('button', { name: 'Send quote', exact: true }).click()
  await waitForState(bench.page, 'quoted')
  await checkPage(bench, 'flow-staff-quoted-desk', failures)

  // The customer accepts the quote in the portal.
  await portal.page.goto(`/my/claims/${encodeURIComponent(claimId)}`)
  await waitForState(portal.page, 'quoted')
  await portal.page.getByTestId('quote').waitFor()
  await checkPage(portal, 'flow-customer-quote-phone', failures)
  // How to pay: the total, how long the quote holds, its PDF and the seller's instructions.
  const howToPay = portal.page.getByTestId('payment')
  await howToPay.getByTestId('payment-instructions').waitFor()
  assert.match((await howToPay.getByTestId('payment-total').textContent()) ?? '', /120/)
  assert.match(
    (await howToPay.getByTestId('payment-valid-until').getAttribute('data-date')) ?? '',
    /^\d{4}-\d{2}-\d{2}$/,
  )
  assert.match(
    (await howToPay.getByTestId('payment-instructions').textContent()) ?? '',
    /Payment reference: C-[0-9A-F]{8}/,
    'the claim number is the payment reference',
  )
  const quotePdf = await portal.page.request.get(
    (await howToPay.getByTestId('quote-pdf').getAttribute('href')) ?? '',
  )
  assert.equal(quotePdf.status(), 200)
  assert.equal((await quotePdf.body()).subarray(0, 5).toString('latin1'), '%PDF-')
  await clickAction(portal.page, 'Accept the quote', 'quote-accepted')

  // The customer pays and sends the bank slip as proof.
  await howToPay.getByTestId('proof-form').waitFor()
  await howToPay.getByLabel(/Proof of payment/).setInputFiles({
    name: 'bank-slip.jpg',
    mimeType: 'image/jpeg',
    buffer: photo,
  })
  await howToPay.getByTestId('proof-form').locator('.file-picker').getByText('bank-slip.jpg').waitFor()
  await howToPay.getByRole('button', { name: 'Send the proof of payment', exact: true }).click()
  await howToPay.getByTestId('payment-proofs').getByText('bank-slip.jpg').waitFor()
  // Sent: the emptied form (kept for a second proof) no longer names the file.
  await howToPay.getByTestId('proof-form').locator('.file-picker').getByText('No file chosen').waitFor()
  await checkPage(portal, 'flow-customer-proof-sent-phone', failures)

  // Staff see the proof and record the payment against it, then repair and ship the unit back.
  await bench.page.reload()
  await waitForState(bench.page, 'quote-accepted')
  await bench.page.getByTestId('payment-proofs').getByText('bank-slip.jpg').waitFor()
  const payment = bench.page.getByTestId('payment-form')
  assert.equal(
    await payment
      .getByLabel('Checked against the proof')
      .evaluate((select) => (select as HTMLSelectElement).selectedOptions[0]?.textContent),
    'bank-slip.jpg',
    'the newest proof is the one checked',
  )
  await payment.getByLabel('Reference').fill('BANK-20250101-7')
  await payment.getByLabel('Note (optional)').fill('Matched the bank statement')
  await payment.getByRole('button', { name: 'Record payment', exact: true }).click()
  await bench.page.getByTestId('quote-paid').waitFor()
  const paid = (await (
    await bench.page.request.get(`/api/v1/claims/${encodeURIComponent(claimId)}/payment`)
  ).json()) as {
    proofs: { fileId: string }[]
    payments: { proofFileId: string | null; note: string | null }[]
  }
  assert.equal(
    paid.payments[0]?.proofFileId,
    paid.proofs[0]?.fileId,
    'the payment names the proof it was checked against',
  )
  assert.equal(paid.payments[0]?.note, 'Matched the bank statement')
  await clickAction(bench.page, 'Start repair', 'in-repair')
  await clickAction(bench.page, 'Repair done', 'repaired')
  const shipping = bench.page.getByTestId('shipping-form')
  await shipping.getByLabel('Carrier').fill('SF Express')
  await shipping.getByLabel('Tracking number').fill('SF1234567890')
  await shipping.getByRole('button', { name: 'Record shipment', exact: true }).click()
  await waitForState(bench.page, 'return-shipped')
  await checkPage(bench, 'flow-staff-shipped-desk', failures)

  // The customer sees the tracking number and confirms receipt.
  await portal.page.goto(`/my/claims/${encodeURIComponent(claimId)}`)
  await waitForState(portal.page, 'return-shipped')
  assert.match((await portal.page.locator('main').textContent()) ?? '', /SF1234567890/)
  await clickAction(portal.page, 'I received my unit', 'delivered')
  await checkPage(portal, 'flow-customer-delivered-phone', failures)

  assert.deepEqual(failures, [])
  for (const watched of [portal, support, bench]) {
    assert.deepEqual(watched.problems, [])
    await watched.context.close()
  }
})
