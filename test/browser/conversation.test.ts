import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import MailComposer from 'nodemailer/lib/mail-composer/index.js'
import type { Page } from 'playwright-core'
import { createTestUser } from '../../src/auth/test-support.ts'
import { INBOUND_TOKEN_HEADER } from '../../src/notify/inbound-mail.routes.ts'
import { replyAddressFor } from '../../src/notify/inbound-mail-address.ts'
import {
  DESK,
  findAccessibilityGaps,
  findSignIn,
  type Harness,
  jpegBytes,
  openPage,
  PHONE,
  readHorizontalOverflow,
  saveScreenshot,
  signIn,
  startHarness,
} from './browser-harness.ts'

const REPLY = { replyDomain: 'reply.aftercare.test', replySecret: 's'.repeat(40) }
const TOKEN = 'k'.repeat(40)

/** The two ways each walk is taken: a phone in Chinese, a desk in English. */
const WAYS = [
  { label: 'phone-zh', viewport: PHONE, locale: 'zh-CN' },
  { label: 'desk-en', viewport: DESK, locale: 'en-GB' },
] as const

let harness: Harness
let staffHeaders: Record<string, string>
const used = new Set<string>()

before(async () => {
  harness = await startHarness({ config: { ...REPLY, inboundMailToken: TOKEN } })
  staffHeaders = (await createTestUser(harness.database.db, { role: 'support' })).headers
})
after(async () => {
  await harness?.close()
})

async function demoCustomerId(): Promise<string> {
  const customer = findSignIn(harness, 'customer')
  const row = await harness.database.db
    .selectFrom('users')
    .select('customer_id')
    .where('email', '=', customer.email)
    .executeTakeFirstOrThrow()
  assert.ok(row.customer_id)
  return row.customer_id
}

/** A demo claim of the demo customer that service may still question; asks the question as staff. */
async function claimAwaitingInfo(question: string): Promise<{ id: string; number: string }> {
  const customerId = await demoCustomerId()
  const rows = await harness.database.db
    .selectFrom('claims')
    .select(['id', 'version', 'state'])
    .where('customer_id', '=', customerId)
    .where('state', 'in', ['new', 'remote-diagnosis', 'authorized', 'received', 'inspected', 'decided'])
    .orderBy('opened_at')
    .execute()
  let free = rows.find((r) => !used.has(r.id))
  if (!free) free = await openClaimForDemoCustomer(customerId)
  used.add(free.id)
  const response = await harness.app.inject({
    method: 'POST',
    url: `/api/v1/claims/${free.id}/transitions/request-info`,
    headers: { ...staffHeaders, 'if-match': `"${free.version}"` },
    payload: { request: question },
  })
  assert.equal(response.statusCode, 200, response.body)
  return { id: free.id, number: (response.json() as { number: string }).number }
}

/** A new claim on a unit of the demo customer that has none open, opened by service. */
async function openClaimForDemoCustomer(customerId: string) {
  const open = await harness.database.db
    .selectFrom('claims')
    .select('serial')
    .where('state', 'not in', ['closed', 'cancelled'])
    .execute()
  const busy = new Set(open.map((c) => c.serial))
  const units = await harness.database.db
    .selectFrom('units')
    .select('serial')
    .where('owner_customer_id', '=', customerId)
    .orderBy('serial')
    .execute()
  const unit = units.find((u) => !busy.has(u.serial))
  assert.ok(unit, 'the demo customer has a unit without an open claim')
  const response = await harness.app.inject({
    method: 'POST',
    url: '/api/v1/claims',
    headers: staffHeaders,
    payload: {
      serial: unit.serial,
      problem: { kind: 'malfunction', description: 'No image after a few minutes.' },
      evidence: ['defect-media'],
    },
  })
  assert.equal(response.statusCode, 201, response.body)
  const claim = response.json() as { id: string; version: number; state: string }
  return { id: claim.id, version: claim.version, state: claim.state }
}

/**
 * Signs in (the form is in English), then switches the page to the walk's language: the account
 * may have chosen the other one in an earlier walk, and its choice holds past the sign-in.
 */
async function signInAs(page: Page, way: (typeof WAYS)[number], email: string, password: string) {
  await signIn(page, email, password)
  const lang = way.locale.startsWith('zh') ? 'zh-CN' : 'en'
  if ((await page.getAttribute('html', 'lang')) !== lang) await page.getByTestId('language-switch').click()
  await page.waitForFunction((wanted) => document.documentElement.lang === wanted, lang)
}

async function waitForState(page: Page, state: string) {
  await page.locator(`[data-testid="claim-state"][data-state="${state}"]`).waitFor()
}

async function checkLayout(page: Page, name: string, problems: string[]) {
  assert.equal(await readHorizontalOverflow(page), 0, `${name}: nothing sticks out sideways`)
  assert.deepEqual(await findAccessibilityGaps(page), [], `${name}: every field has a label`)
  await saveScreenshot(page, name)
  assert.deepEqual(problems, [], `${name}: no console errors`)
}

async function staffPage(way: (typeof WAYS)[number], role = 'support') {
  const watched = await openPage(harness, way.viewport)
  const user = findSignIn(harness, role)
  await signInAs(watched.page, way, user.email, user.password)
  return watched
}

for (const way of WAYS) {
  test(`an info request answered with a photo resumes the claim (${way.label})`, async () => {
    const question = `Please send a photo of the serial label (${way.label}).`
    const claim = await claimAwaitingInfo(question)
    const customer = findSignIn(harness, 'customer')
    const portal = await openPage(harness, way.viewport)
    await signInAs(portal.page, way, customer.email, customer.password)
    await portal.page.goto(`/my/claims/${encodeURIComponent(claim.id)}`)
    await waitForState(portal.page, 'awaiting-info')
    const open = portal.page.getByTestId('open-question')
    await open.waitFor()
    assert.match((await open.textContent()) ?? '', /serial label/)
    const form = portal.page.getByTestId('thread-form')
    await form.locator('textarea').fill('Here is the label.')
    await form
      .locator('input[type=file]')
      .setInputFiles({ name: 'label.jpg', mimeType: 'image/jpeg', buffer: jpegBytes() })
    // The customer says what the file shows: the serial label asked for, in the page's language.
    const kind = form.getByLabel(way.locale.startsWith('zh') ? '文件内容' : 'What the files show')
    await kind.selectOption('serial-photo')
    assert.equal(
      (await kind.locator('option:checked').textContent())?.trim(),
      way.locale.startsWith('zh') ? '序列号照片' : 'Photo of the serial number',
    )
    await checkLayout(portal.page, `conversation-answer-${way.label}`, portal.problems)
    await form.locator('button[type=submit]').click()
    await portal.page.locator('[data-testid="claim-state"]:not([data-state="awaiting-info"])').waitFor()
    await portal.page.locator('[data-testid="thread-item"][data-kind="info-reply"]').waitFor()
    await portal.context.close()
    const answered = await harness.app.inject({
      method: 'GET',
      url: `/api/v1/claims/${claim.id}`,
      headers: staffHeaders,
    })
    assert.ok(
      (answered.json() as { evidence: string[] }).evidence.includes('serial-photo'),
      'the photo of the serial label is evidence of the case',
    )

    // Staff see what arrived: the answer and its photo.
    const desk = await staffPage(way)
    await desk.page.goto(`/staff/claims/${encodeURIComponent(claim.id)}`)
    const reply = desk.page.locator('[data-testid="thread-item"][data-kind="info-reply"]').last()
    await reply.waitFor()
    assert.match((await reply.textContent()) ?? '', /Here is the label\./)
    assert.equal(await reply.getByRole('link', { name: 'label.jpg' }).count(), 1)
    const clocks = await harness.database.db
      .selectFrom('sla_clocks')
      .select('status')
      .where('claim_id', '=', claim.id)
      .where('status', '=', 'paused')
      .execute()
    assert.equal(clocks.length, 0, 'no clock stays paused after the answer')
    await checkLayout(desk.page, `conversation-staff-sees-answer-${way.label}`, desk.problems)
    await desk.context.close()
  })

  test(`a reply by e-mail lands in the thread (${way.label})`, async () => {
    const claim = await claimAwaitingInfo(`Which software version do you run? (${way.label})`)
    const customer = findSignIn(harness, 'customer')
    const customerEmail = await harness.database.db
      .selectFrom('customers')
      .select('email')
      .where('id', '=', await demoCustomerId())
      .executeTakeFirstOrThrow()
    const raw = await new MailComposer({
      from: `${customer.name} <${customerEmail.email}>`,
      to: replyAddressFor(claim.id, REPLY),
      subject: `Re: ${claim.number}`,
      text: `Version 2.1, photo attached.\n\nOn Mon, 30 Nov 2026 at 10:00, Aftercare wrote:\n> Which software version do you run?`,
      attachments: [{ filename: 'screen.jpg', content: jpegBytes(), contentType: 'image/jpeg' }],
    })
      .compile()
      .build()
    const response = await fetch(`${harness.baseUrl}/api/v1/inbound-mail`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', [INBOUND_TOKEN_HEADER]: TOKEN },
      body: new Uint8Array(raw),
    })
    assert.equal(response.status, 201, await response.clone().text())

    const desk = await staffPage(way)
    await desk.page.goto(`/staff/claims/${encodeURIComponent(claim.id)}`)
    const reply = desk.page.locator('[data-testid="thread-item"][data-kind="info-reply"]').last()
    await reply.waitFor()
    const text = (await reply.textContent()) ?? ''
    assert.match(text, /Version 2\.1, photo attached\./)
    assert.doesNotMatch(text, /wrote:/, 'the quoted history is cut off')
    assert.equal(await reply.getByRole('link', { name: 'screen.jpg' }).count(), 1)
    await desk.page.locator('[data-testid="claim-state"]:not([data-state="awaiting-info"])').waitFor()
    await checkLayout(desk.page, `conversation-email-reply-${way.label}`, desk.problems)
    await desk.context.close()
  })

  test(`staff find a claim by customer name and assign it to themselves (${way.label})`, async () => {
    const customerId = await demoCustomerId()
    const customer = await harness.database.db
      .selectFrom('customers')
      .select(['name'])
      .where('id', '=', customerId)
      .executeTakeFirstOrThrow()
    const desk = await staffPage(way, 'technician')
    await desk.page.goto('/staff')
    await desk.page.locator('#queue-search').fill(customer.name)
    await desk.page.locator('#queue-search').press('Enter')
    const rows = desk.page.getByTestId('queue-row')
    // The whole queue is on screen before the search answers: wait for the answer's rows.
    await desk.page.waitForFunction((name) => {
      const shown = [...document.querySelectorAll('[data-testid="queue-row"]')]
      return shown.length > 0 && shown.every((row) => row.textContent?.includes(name))
    }, customer.name)
    for (const row of await rows.all())
      assert.match((await row.textContent()) ?? '', new RegExp(customer.name))
    // Every open claim shows a due time.
    for (const due of await desk.page.getByTestId('queue-due').all())
      assert.notEqual(((await due.textContent()) ?? '').trim(), '—')
    await checkLayout(desk.page, `conversation-queue-search-${way.label}`, desk.problems)
    const link = rows.first().locator('a').first()
    const number = ((await link.textContent()) ?? '').trim()
    await link.click()
    const assignment = desk.page.getByTestId('assignment').locator('select')
    await assignment.waitFor()
    await desk.page.waitForFunction(
      () =>
        !(document.querySelector('[data-testid="assignment"] select') as HTMLSelectElement | null)?.disabled,
    )
    await assignment.selectOption({ label: findSignIn(harness, 'technician').name })
    await desk.page.getByTestId('assignment').getByRole('status').waitFor()
    await desk.page.goto('/staff')
    await desk.page.locator('#queue-assignee').selectOption('me')
    await desk.page.getByTestId('queue-row').first().waitFor()
    const mine = await desk.page.getByTestId('queue-row').allTextContents()
    assert.ok(
      mine.some((row) => row.includes(number)),
      `${number} is among my cases`,
    )
    await checkLayout(desk.page, `conversation-my-cases-${way.label}`, desk.problems)
    await desk.context.close()
  })

  test(`a dealer finds a customer by name (${way.label})`, async () => {
    const dealer = findSignIn(harness, 'dealer')
    const org = await harness.database.db
      .selectFrom('users')
      .select('org_id')
      .where('email', '=', dealer.email)
      .executeTakeFirstOrThrow()
    const sold = await harness.database.db
      .selectFrom('units')
      .innerJoin('customers', 'customers.id', 'units.owner_customer_id')
      .select(['units.serial', 'customers.name'])
      .where('units.dealer_org_id', '=', org.org_id ?? '')
      .orderBy('units.serial')
      .executeTakeFirstOrThrow()
    const watched = await openPage(harness, way.viewport)
    await signInAs(watched.page, way, dealer.email, dealer.password)
    // Part of the name, in another case, as someone types it at the counter.
    const typed = (sold.name.split(' ').at(-1) ?? sold.name).toLowerCase()
    await watched.page.locator('#dealer-search').fill(typed)
    const row = watched.page.locator(`[data-testid="dealer-units"] tr[data-serial="${sold.serial}"]`)
    await row.waitFor()
    // The list is filtered as the answer to the typed search arrives: wait for that answer,
    // then every row shown must match (rows of the unfiltered list may still be on screen before).
    await watched.page.waitForFunction((needle) => {
      const rows = [...document.querySelectorAll('[data-testid="dealer-units"] tbody tr')]
      return rows.length > 0 && rows.every((r) => (r.textContent ?? '').toLowerCase().includes(needle))
    }, typed)
    for (const shown of await watched.page.locator('[data-testid="dealer-units"] tbody tr').all())
      assert.match(((await shown.textContent()) ?? '').toLowerCase(), new RegExp(typed))
    const warranty = ((await row.getByTestId('unit-warranty').textContent()) ?? '').trim()
    assert.ok(warranty.length > 0 && !warranty.includes('@'), `the warranty is in words: ${warranty}`)
    await checkLayout(watched.page, `conversation-dealer-customer-${way.label}`, watched.problems)
    await watched.context.close()
  })
}

test('an answer refused for one of its files leaves no file on the claim, and sent again carries each file once', async () => {
  const claim = await claimAwaitingInfo('Please send a photo of the serial label and a screenshot.')
  const claimFiles = async () =>
    harness.database.db
      .selectFrom('files')
      .select(['id', 'display_name'])
      .where('claim_id', '=', claim.id)
      .execute()
  const before = new Set((await claimFiles()).map((f) => f.id))
  const customer = findSignIn(harness, 'customer')
  const portal = await openPage(harness, PHONE, { allow: [/status of 415/] })
  await signInAs(portal.page, WAYS[0], customer.email, customer.password)
  await portal.page.goto(`/my/claims/${encodeURIComponent(claim.id)}`)
  await waitForState(portal.page, 'awaiting-info')
  const form = portal.page.getByTestId('thread-form')
  await form.locator('textarea').fill('序列号标签的照片和截图都附上了。')
  // The photo is fine, the text file is not: the answer is refused as a whole.
  await form.locator('input[type=file]').setInputFiles([
    { name: '序列号标签.jpg', mimeType: 'image/jpeg', buffer: jpegBytes() },
    { name: '说明.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') },
  ])
  await form.locator('button[type=submit]').click()
  await form.locator('.note-error, [role="alert"]').first().waitFor()
  assert.equal(
    (await claimFiles()).length,
    before.size,
    'the refused answer put none of its files on the claim',
  )
  await waitForState(portal.page, 'awaiting-info')

  // Sent again with the photo alone: the claim moves on with that one photo, once.
  await form
    .locator('input[type=file]')
    .setInputFiles({ name: '序列号标签.jpg', mimeType: 'image/jpeg', buffer: jpegBytes() })
  await form.locator('button[type=submit]').click()
  await portal.page.locator('[data-testid="claim-state"]:not([data-state="awaiting-info"])').waitFor()
  const added = (await claimFiles()).filter((f) => !before.has(f.id))
  assert.deepEqual(
    added.map((f) => f.display_name),
    ['序列号标签.jpg'],
    'the photo is on the claim once, with the answer',
  )
  assert.deepEqual(portal.problems, [])
  await portal.context.close()
})
