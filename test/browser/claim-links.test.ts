import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { claimNumber } from '../../src/claims/claim-view.ts'
import { pages } from '../../src/contracts/pages.ts'
import { createQr } from '../../src/files/documents/pdf-document.ts'
import { pdfStreams } from '../../src/files/documents/pdf-text.test-support.ts'
import {
  findSignIn,
  type Harness,
  openPage,
  saveScreenshot,
  sendAndReadOutbox,
  startHarness,
} from './browser-harness.ts'

let harness: Harness
before(async () => {
  harness = await startHarness()
})
after(async () => {
  await harness?.close()
})

async function readClaimNumber(claimId: string): Promise<string> {
  const row = await harness.database.db
    .selectFrom('claims')
    .select(['id', 'rma_number'])
    .where('id', '=', claimId)
    .executeTakeFirstOrThrow()
  return claimNumber(row)
}

/** Follows a link signed out: the sign-in page comes first, then the reader's own claim page. */
async function followSignedOut(page: Page, link: string, who: { email: string; password: string }) {
  await page.goto(link)
  await page.waitForURL((url) => url.pathname === '/sign-in')
  const next = new URL(page.url()).searchParams.get('next')
  assert.ok(next?.startsWith(new URL(link).pathname), `the sign-in page returns to ${link}, not ${next}`)
  await page.getByLabel('E-mail address').first().fill(who.email)
  await page.getByLabel('Password').fill(who.password)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in') && !url.pathname.startsWith('/claims/'))
}

test('a link from a real e-mail opens the claim page for the customer after signing in', async () => {
  const mails = await sendAndReadOutbox(harness)
  const claimMails = mails.filter((m) => m.claimId)
  assert.ok(claimMails.length > 0, 'the demo claims sent e-mails')
  // Every link in every claim e-mail opens that claim's page or one of its documents (the
  // carrier's tracking page aside).
  for (const mail of claimMails) {
    assert.ok(mail.links.length > 0, `${mail.file} (${mail.subject}) links to its claim`)
    for (const link of mail.links.filter((l) => l.startsWith(harness.baseUrl))) {
      const claimDocument = `${harness.baseUrl}/api/v1/claims/${encodeURIComponent(mail.claimId ?? '')}/`
      if (link.startsWith(claimDocument) && link.endsWith('.pdf')) continue
      assert.equal(link.split('#')[0], `${harness.baseUrl}${pages.claim(mail.claimId ?? '')}`, mail.file)
    }
  }

  const customer = findSignIn(harness, 'customer')
  const mail = claimMails.find((m) => m.to.includes(customer.email))
  assert.ok(mail?.claimId, `the demo customer ${customer.email} got a claim e-mail`)
  const link = mail.links.find((l) => l.startsWith(harness.baseUrl))
  assert.ok(link)
  const reader = await openPage(harness)
  try {
    await followSignedOut(reader.page, link, customer)
    assert.equal(new URL(reader.page.url()).pathname, pages.claimFor('customer', mail.claimId))
    const number = await readClaimNumber(mail.claimId)
    await reader.page
      .getByRole('heading', { level: 1, name: new RegExp(number) })
      .waitFor({ timeout: 10_000 })
    await saveScreenshot(reader.page, 'claim-link-customer')
    assert.deepEqual(reader.problems, [])
  } finally {
    await reader.context.close()
  }
})

test('a document linked from an e-mail sends a signed-out reader to sign in and returns the PDF once signed in', async () => {
  const mails = await sendAndReadOutbox(harness)
  const quoteMail = mails.find((m) => m.claimId && m.links.some((l) => /\/quotes\/[^/]+\.pdf$/.test(l)))
  assert.ok(quoteMail?.claimId, 'a quote e-mail links to its PDF')
  const pdfLink = quoteMail.links.find((l) => l.endsWith('.pdf')) ?? ''
  // Staff open it here: the demo's quotes are on customers without a web account.
  const customer = findSignIn(harness, 'support')
  const reader = await openPage(harness)
  try {
    // Signed out, the browser is sent to sign in, with the document as where to return.
    await reader.page.goto(pdfLink)
    await reader.page.waitForURL((url) => url.pathname === '/sign-in')
    assert.equal(new URL(reader.page.url()).searchParams.get('next'), new URL(pdfLink).pathname)
    assert.deepEqual(reader.problems, [])
  } finally {
    await reader.context.close()
  }
  // Signed in, the same browser request (Accept: text/html) gets the PDF itself. Fetched
  // rather than navigated: headless Chromium keeps a navigated PDF as a pending download.
  const api = await harness.browser.newContext({ baseURL: harness.baseUrl })
  try {
    const signedIn = await api.request.post('/api/v1/auth/sign-in', {
      data: { email: customer.email, password: customer.password },
    })
    assert.equal(signedIn.status(), 200)
    const response = await api.request.get(pdfLink, {
      headers: { accept: 'text/html,application/xhtml+xml' },
    })
    assert.equal(response.status(), 200)
    assert.match(response.headers()['content-type'] ?? '', /application\/pdf/)
  } finally {
    await api.close()
  }
})

test("the repair order's QR code opens the claim page for staff after signing in", async () => {
  const withRma = await harness.database.db
    .selectFrom('claims')
    .select(['id'])
    .where('rma_json', 'is not', null)
    .executeTakeFirstOrThrow()
  const staff = findSignIn(harness, 'support')
  const reader = await openPage(harness)
  try {
    // Staff print the repair order the customer put in the parcel; the PDF is only for signed-in readers.
    const api = await harness.browser.newContext({ baseURL: harness.baseUrl })
    const signedIn = await api.request.post('/api/v1/auth/sign-in', {
      data: { email: staff.email, password: staff.password },
    })
    assert.equal(signedIn.status(), 200)
    const response = await api.request.get(
      `/api/v1/claims/${encodeURIComponent(withRma.id)}/repair-order.pdf`,
    )
    assert.equal(response.status(), 200)
    const pdf = await response.body()
    await api.close()
    const qrUrl = /\/URI \(([^)]+)\)/.exec(pdf.toString('latin1'))?.[1]
    assert.equal(qrUrl, `${harness.baseUrl}${pages.claim(withRma.id)}`)
    // The code drawn on the page is the code of that URL: one square per dark module.
    const qr = createQr(qrUrl)
    let dark = 0
    for (let r = 0; r < qr.modules.size; r++)
      for (let c = 0; c < qr.modules.size; c++) if (qr.modules.get(r, c)) dark++
    const drawn = pdfStreams(pdf).reduce((n, s) => n + (s.match(/ re\n/g)?.length ?? 0), 0)
    assert.equal(drawn, dark)

    await followSignedOut(reader.page, qrUrl, staff)
    assert.equal(new URL(reader.page.url()).pathname, pages.claimFor('support', withRma.id))
    const number = await readClaimNumber(withRma.id)
    await reader.page
      .getByRole('heading', { level: 1, name: new RegExp(number) })
      .waitFor({ timeout: 10_000 })
    await saveScreenshot(reader.page, 'claim-link-staff')
    assert.deepEqual(reader.problems, [])
  } finally {
    await reader.context.close()
  }
})

test('a signed-in reader goes straight from a claim link to their own claim page, keeping the section', async () => {
  const claim = await harness.database.db.selectFrom('claims').select(['id']).executeTakeFirstOrThrow()
  const staff = findSignIn(harness, 'technician')
  const reader = await openPage(harness)
  try {
    await followSignedOut(reader.page, `${harness.baseUrl}${pages.claim(claim.id)}`, staff)
    await reader.page.goto(pages.claim(claim.id, 'quote'))
    await reader.page.waitForURL((url) => url.pathname === pages.claimFor('technician', claim.id))
    assert.equal(new URL(reader.page.url()).hash, '#quote')
  } finally {
    await reader.context.close()
  }
})
