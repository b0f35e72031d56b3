import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { claimNumber } from '../../src/claims/claim-view.ts'
import { pages } from '../../src/contracts/pages.ts'
import { createQr } from '../../src/files/documents/pdf-document.ts'
import { pdfStreams } from '../../src/files/documents/pdf-text.test-support.ts'
import {
  DESK,
  findSignIn,
  type Harness,
  openPage,
  saveScreenshot,
  sendAndReadOutbox,
  signedInApi,
  signIn,
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

test('the pickup e-mail opens, through the e-mailed sign-in link, a page showing the day, time, carrier and address it names', async () => {
  // A ToupTek unit delivered days ago: its policy has the courier collect it (seed 000).
  const since = new Date(Date.now() - 12 * 86_400_000).toISOString().slice(0, 10)
  const open = await harness.database.db
    .selectFrom('claims')
    .select('serial')
    .where('state', 'not in', ['closed', 'cancelled'])
    .execute()
  const unit = (
    await harness.database.db
      .selectFrom('units')
      .innerJoin('customers', 'customers.id', 'units.owner_customer_id')
      .select(['units.serial', 'customers.email'])
      .where('units.policy_id', '=', 'touptek')
      .where('units.delivered_on', '>=', since)
      .orderBy('units.serial')
      .execute()
  ).find((u) => !open.some((c) => c.serial === u.serial))
  assert.ok(unit, 'the demo has a ToupTek unit delivered days ago without an open claim')
  const staff = await signedInApi(harness, 'support')
  const today = new Date().toISOString().slice(0, 10)
  let claimId: string
  try {
    const opened = await staff.request.post('/api/v1/claims', {
      data: {
        serial: unit.serial,
        problem: { kind: 'malfunction', description: 'Dead on arrival: no image at all.' },
        evidence: ['defect-media'],
      },
      headers: { 'x-csrf-token': staff.csrf },
    })
    assert.equal(opened.status(), 201, await opened.text())
    claimId = ((await opened.json()) as { id: string }).id
    await stepClaim(staff, claimId, 'authorize-return')
    await stepClaim(staff, claimId, 'schedule-pickup', {
      pickupOn: today,
      window: '09:00–12:00',
      carrier: 'SF Express',
      address: 'Reception, Building 3',
    })
  } finally {
    await staff.close()
  }
  const mail = (await sendAndReadOutbox(harness)).find(
    (m) => m.claimId === claimId && m.to.includes(unit.email) && /Pickup|取件/.test(m.subject),
  )
  assert.ok(mail, 'the customer was e-mailed the pickup')
  const link = mail.links.find((l) => l.startsWith(harness.baseUrl))
  assert.ok(link)

  const reader = await openPage(harness)
  try {
    await reader.page.goto(link)
    await reader.page.waitForURL((url) => url.pathname === '/sign-in')
    // A customer without a password asks for a sign-in link and follows it.
    const customerForm = reader.page.locator('form').nth(1)
    await customerForm.locator('input[type=email]').fill(unit.email)
    await customerForm.locator('button[type=submit]').click()
    await reader.page.getByRole('status').first().waitFor()
    const signInMail = (await sendAndReadOutbox(harness)).find(
      (m) => m.to.includes(unit.email) && m.links.some((l) => l.includes('/sign-in/link')),
    )
    const signInLink = signInMail?.links.find((l) => l.includes('/sign-in/link'))
    assert.ok(signInLink, 'the sign-in link was e-mailed')
    await reader.page.goto(signInLink)
    await reader.page.waitForURL((url) => url.pathname === pages.claimFor('customer', claimId))
    const details = reader.page.getByTestId('pickup-details')
    await details.waitFor({ timeout: 10_000 })
    const shown = (await details.textContent()) ?? ''
    const lang = await reader.page.getAttribute('html', 'lang')
    const day = new Intl.DateTimeFormat(lang === 'zh-CN' ? 'zh-CN' : 'en-GB', {
      dateStyle: 'medium',
      timeZone: 'UTC',
    }).format(new Date(`${today}T12:00:00Z`))
    for (const expected of [day, '09:00–12:00', 'SF Express', 'Reception, Building 3'])
      assert.ok(shown.includes(expected), `the page shows ${expected}: ${shown}`)
    await saveScreenshot(reader.page, 'claim-link-pickup')
    assert.deepEqual(reader.problems, [])
  } finally {
    await reader.context.close()
  }
})

test("a claim number typed into the address bar opens the reader's claim, and another party's number is not found", async () => {
  const customer = findSignIn(harness, 'customer')
  const { customer_id: customerId } = await harness.database.db
    .selectFrom('users')
    .select('customer_id')
    .where('email', '=', customer.email)
    .executeTakeFirstOrThrow()
  assert.ok(customerId, 'the demo customer has a customer record')
  const claims = await harness.database.db
    .selectFrom('claims')
    .select(['id', 'customer_id', 'dealer_org_id'])
    .orderBy('opened_at')
    .execute()
  const mine = claims.find((claim) => claim.customer_id === customerId)
  const theirs = claims.find((claim) => claim.customer_id !== customerId)
  assert.ok(mine && theirs, 'the demo has a claim of this customer and one of another')
  // The browser logs the API's 404 for the other party's number.
  const reader = await openPage(harness, DESK, { allow: [/status of 404/] })
  try {
    await signIn(reader.page, customer.email, customer.password)
    // Typed as people type it: in lower case, with a space copied around it.
    await reader.page.goto(`/my/claims/%20${claimNumber(mine).toLowerCase()}%20`)
    await reader.page.waitForURL((url) => url.pathname === pages.claimFor('customer', mine.id))
    await reader.page
      .getByRole('heading', { level: 1, name: new RegExp(claimNumber(mine)) })
      .waitFor({ timeout: 10_000 })
    await reader.page.goto(pages.claimFor('customer', claimNumber(theirs)))
    const refusal = reader.page.getByRole('alert')
    await refusal.waitFor({ timeout: 10_000 })
    assert.equal(
      await refusal.textContent(),
      `Claim ${claimNumber(theirs)} was not found, or it is not one you may see`,
    )
    assert.equal(new URL(reader.page.url()).pathname, pages.claimFor('customer', claimNumber(theirs)))
    // The same words as for a number no claim has.
    await reader.page.goto(pages.claimFor('customer', 'C-00000000'))
    await reader.page.getByRole('alert').filter({ hasText: 'C-00000000' }).waitFor({ timeout: 10_000 })
    assert.deepEqual(reader.problems, [])
  } finally {
    await reader.context.close()
  }
  // A dealer types the number of a claim on its own units and reads it on its desk.
  const dealer = findSignIn(harness, 'dealer')
  const { org_id: orgId } = await harness.database.db
    .selectFrom('users')
    .select('org_id')
    .where('email', '=', dealer.email)
    .executeTakeFirstOrThrow()
  const served = claims.find((claim) => claim.dealer_org_id === orgId)
  assert.ok(served, 'the demo dealer serves a claim')
  const desk = await openPage(harness)
  try {
    await signIn(desk.page, dealer.email, dealer.password)
    await desk.page.goto(pages.claimFor('dealer', claimNumber(served)))
    await desk.page.waitForURL((url) => url.pathname === pages.claimFor('dealer', served.id))
    await desk.page
      .getByRole('heading', { level: 1, name: new RegExp(claimNumber(served)) })
      .waitFor({ timeout: 10_000 })
    assert.deepEqual(desk.problems, [])
  } finally {
    await desk.context.close()
  }
})
