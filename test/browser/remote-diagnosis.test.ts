import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import {
  DESK,
  findIdleUnit,
  findSignIn,
  type Harness,
  openPage,
  PHONE,
  type SentMail,
  saveScreenshot,
  sendAndReadOutbox,
  setDemoCustomerLocale,
  signedInApi,
  signIn,
  signInPageAs,
  startHarness,
  stepClaim,
} from './browser-harness.ts'

let harness: Harness
/** Names, models and serials a Chinese page shows as they are written. */
let asIs: string[] = []
before(async () => {
  harness = await startHarness()
  const db = harness.database.db
  asIs = [
    ...(await db.selectFrom('customers').select('name').execute()).map((r) => r.name),
    ...(await db.selectFrom('organisations').select('name').execute()).map((r) => r.name),
    ...(await db.selectFrom('product_models').select('name').execute()).map((r) => r.name),
    ...(await db.selectFrom('users').select('name').execute()).map((r) => r.name),
    'Aftercare',
    'Player One',
    'ToupTek',
    'IST',
    // The capture software's own setting, named as the software shows it beside its Chinese.
    'Cooler',
  ]
    .filter((n) => n.length > 1)
    .sort((a, b) => b.length - a.length)
})
after(async () => {
  await harness?.close()
})

/** Lines of the page's main text that still hold English once names, codes and serials are taken out. */
async function englishOn(page: Page): Promise<string[]> {
  const text = await page.evaluate(() => {
    const main = document.querySelector('main') ?? document.body
    const lines: string[] = [document.title]
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement
      if (!parent || parent.closest('[translate="no"], code, script, style') || !parent.checkVisibility())
        continue
      lines.push(node.textContent ?? '')
    }
    return lines.join('\n')
  })
  let rest = text
  for (const name of asIs) rest = rest.replaceAll(name, ' ')
  rest = rest
    .replace(/[\w.+-]+@[\w.-]+/g, ' ')
    .replace(/\b(?:USB|PDF|FPS|SN|USB3\.0|V|A|JPEG|PNG|WebP|HEIC|MP4|MOV|WebM|MB)\b/g, ' ')
    .replace(/\b[A-Z0-9]+(?:-[A-Z0-9]+)+\b/g, ' ')
  return [...new Set(rest.split('\n').filter((line) => /[A-Za-z]{2,}/.test(line)))].map((l) => l.trim())
}

interface ClaimView {
  id: string
  number?: string
  serial: string
  state: string
  version: number
}

/** A unit of the demo customer with no open claim whose product line has checks of its own. */
async function idleUnitWithChecks(page: Page): Promise<{ serial: string; checks: number }> {
  const units = (await (await page.request.get('/api/v1/units?limit=200')).json()) as {
    items: { serial: string }[]
  }
  const claims = (await (await page.request.get('/api/v1/claims?limit=200')).json()) as {
    items: { serial: string; state: string }[]
  }
  const busy = new Set(
    claims.items.filter((c) => !['closed', 'cancelled'].includes(c.state)).map((c) => c.serial),
  )
  for (const unit of units.items) {
    if (busy.has(unit.serial)) continue
    const found = (await (
      await page.request.get(`/api/v1/self-checks?serial=${encodeURIComponent(unit.serial)}`)
    ).json()) as { list: { checks: unknown[] } | null }
    if (found.list) return { serial: unit.serial, checks: found.list.checks.length }
  }
  throw new Error('the demo customer has no idle unit whose line has self-checks')
}

/** The demo customer, in Chinese on a phone, answers every self-check of an idle unit the same way. */
async function answerChecksInChinese(answer: '通过' | '未通过') {
  await setDemoCustomerLocale(harness, 'zh')
  const phone = await openPage(harness, PHONE, { locale: 'zh-CN' })
  await signInPageAs(harness, phone.page, 'customer')
  const { serial, checks } = await idleUnitWithChecks(phone.page)
  await phone.page.goto(`/self-checks?serial=${encodeURIComponent(serial)}`)
  const steps = phone.page.locator('[data-testid="self-check-steps"] > li')
  await steps.first().waitFor()
  for (let i = 0; i < checks; i++) await steps.nth(i).getByLabel(answer, { exact: true }).check()
  return { phone, serial, checks }
}

async function waitForState(page: Page, claimId: string, state: string) {
  for (let tries = 0; tries < 50; tries++) {
    const claim = (await (
      await page.request.get(`/api/v1/claims/${encodeURIComponent(claimId)}`)
    ).json()) as ClaimView
    if (claim.state === state) return claim
    await page.waitForTimeout(100)
  }
  throw new Error(`claim ${claimId} never reached ${state}`)
}

/** Every link of the mails about one claim opens a page of the app that is not the not-found page. */
async function expectMailLinksOpen(page: Page, mails: SentMail[]) {
  assert.ok(mails.length > 0, 'the path sent mail')
  for (const mail of mails) {
    for (const link of mail.links) {
      if (!link.startsWith(harness.baseUrl)) continue
      const response = await page.goto(link)
      assert.ok(response && response.status() < 400, `${mail.subject}: ${link} answers ${response?.status()}`)
      await page.waitForLoadState('networkidle')
      const notFound = await page.locator('[data-testid="not-found"]').count()
      assert.equal(notFound, 0, `${mail.subject}: ${link} is the not-found page`)
    }
  }
}

test('a Chinese customer on a phone answers the self-checks, staff read them and resolve it remotely; every mail link opens', async () => {
  const customer = await setDemoCustomerLocale(harness, 'zh')
  const phone = await openPage(harness, PHONE, { locale: 'zh-CN' })
  await signInPageAs(harness, phone.page, 'customer')
  const { serial, checks } = await idleUnitWithChecks(phone.page)

  // The checks of the unit's line, every one answered; the first fails with what was seen.
  await phone.page.goto(`/self-checks?serial=${encodeURIComponent(serial)}`)
  await phone.page.waitForFunction(() => document.documentElement.lang === 'zh-CN')
  const steps = phone.page.locator('[data-testid="self-check-steps"] > li')
  await steps.first().waitFor()
  assert.equal(await steps.count(), checks)
  for (let i = 0; i < checks; i++) {
    await steps
      .nth(i)
      .getByLabel(i === 0 ? '未通过' : '通过', { exact: true })
      .check()
  }
  await steps.first().getByLabel('您看到了什么？').fill('软件只显示 USB2.0 连接')
  assert.deepEqual(await englishOn(phone.page), [], 'the self-check page is all Chinese')
  await saveScreenshot(phone.page, 'remote-zh-self-checks')
  await phone.page.getByRole('link', { name: '带着这些结果提交申请' }).click()
  await phone.page.waitForURL(/\/my\/claims\/new/)
  assert.deepEqual(await englishOn(phone.page), [], 'the claim form is all Chinese')
  await phone.page.getByLabel('故障描述', { exact: false }).first().fill('相机连接后画面卡顿，帧率很低。')
  await phone.page.locator('form button[type="submit"]').click()
  await phone.page.waitForURL(/\/my\/claims\/(?!new)[^/]+$/)
  const claimId = decodeURIComponent(new URL(phone.page.url()).pathname.split('/').at(-1) ?? '')

  // The answers reached the claim.
  const events = (await (await phone.page.request.get(`/api/v1/claims/${claimId}/events`)).json()) as {
    items: { type: string; data: { checklist?: string; results?: unknown[] } }[]
  }
  const recorded = events.items.find((e) => e.type === 'selfcheck.recorded')
  assert.ok(recorded, 'the self-check answers were recorded on the claim')
  assert.equal(recorded.data.results?.length, checks)

  // Staff on a desk, in English, read the answers and ask the customer to try something.
  const desk = await openPage(harness, DESK)
  const staffUser = findSignIn(harness, 'support')
  await signIn(desk.page, staffUser.email, staffUser.password)
  await desk.page.goto(`/staff/claims/${encodeURIComponent(claimId)}`)
  await desk.page.getByRole('button', { name: 'Start diagnosis' }).click()
  const answers = desk.page.locator('[data-testid="selfcheck-answers"] li')
  await answers.first().waitFor()
  assert.equal(await answers.count(), checks)
  assert.match((await answers.first().textContent()) ?? '', /USB2\.0/)
  await desk.page
    .getByLabel('What do you need from the customer?')
    .fill('Please plug it straight into a USB 3.0 port on the computer and tell us the FPS.')
  await desk.page.getByRole('button', { name: 'Ask for information' }).click()
  await waitForState(desk.page, claimId, 'awaiting-info')

  // The customer follows the e-mail's link and answers in the thread.
  const mails = (await sendAndReadOutbox(harness)).filter((m) => m.claimId === claimId)
  const toCustomer = mails.filter((m) => m.to.includes(customer.email))
  assert.ok(toCustomer.length >= 2, `the customer was written to: ${toCustomer.map((m) => m.subject)}`)
  await expectMailLinksOpen(phone.page, toCustomer)
  await phone.page.goto(`/my/claims/${encodeURIComponent(claimId)}`)
  assert.deepEqual(await englishOn(phone.page), [], 'the claim page is all Chinese')
  await saveScreenshot(phone.page, 'remote-zh-claim-awaiting')

  await phone.page.getByLabel('您的回复').fill('直接接到电脑的 USB 3.0 接口后，帧率恢复正常。')
  await phone.page.getByRole('button', { name: '发送回复' }).click()
  await waitForState(phone.page, claimId, 'remote-diagnosis')

  // Staff read the answer and settle it without the unit travelling.
  await desk.page.reload()
  await desk.page
    .getByLabel('How was it solved?')
    .fill('A direct USB 3.0 port restored the frame rate; no fault in the camera.')
  await desk.page.getByRole('button', { name: 'Solved remotely' }).click()
  await waitForState(desk.page, claimId, 'resolved-remotely')

  // The answers the decision rested on can no longer be changed: a new set is refused once the
  // claim left remote diagnosis, from the version the server has now.
  const customerApi = await signedInApi(harness, 'customer')
  const settled = (await (await customerApi.request.get(`/api/v1/claims/${claimId}`)).json()) as ClaimView
  const late = await customerApi.request.post(`/api/v1/claims/${claimId}/transitions/record-selfcheck`, {
    data: {
      checklist: recorded.data.checklist,
      results: (recorded.data.results ?? []).map((r) => ({ ...(r as object), passed: true })),
    },
    headers: { 'x-csrf-token': customerApi.csrf, 'if-match': `"${settled.version}"` },
  })
  assert.equal(late.status(), 409, `a late answer is refused: ${await late.text()}`)
  await customerApi.close()
  await desk.page.reload()
  await desk.page.getByRole('button', { name: 'Close', exact: true }).click()
  await waitForState(desk.page, claimId, 'closed')

  const allMails = (await sendAndReadOutbox(harness)).filter((m) => m.claimId === claimId)
  const closing = allMails.filter((m) => m.to.includes(customer.email))
  assert.ok(closing.length > toCustomer.length, 'the customer heard the claim was settled')
  await expectMailLinksOpen(phone.page, closing)
  await phone.page.goto(`/my/claims/${encodeURIComponent(claimId)}`)
  await phone.page.locator('main h1').waitFor()
  await phone.page.waitForLoadState('networkidle')
  assert.deepEqual(await englishOn(phone.page), [], 'the settled claim page is all Chinese')
  await saveScreenshot(phone.page, 'remote-zh-claim-settled')

  assert.deepEqual(phone.problems, [])
  assert.deepEqual(desk.problems, [])
})

test('when the self-checks do not settle it, staff authorise the return and the customer can print the repair order in Chinese', async () => {
  const customer = await setDemoCustomerLocale(harness, 'zh')
  const phone = await openPage(harness, PHONE, { locale: 'zh-CN' })
  await signInPageAs(harness, phone.page, 'customer')
  const { serial } = await idleUnitWithChecks(phone.page)
  const customerApi = await signedInApi(harness, 'customer')
  const opened = await customerApi.request.post('/api/v1/claims', {
    data: { serial, problem: { kind: 'malfunction', description: '制冷不工作，温度不下降。' }, evidence: [] },
    headers: { 'x-csrf-token': customerApi.csrf },
  })
  assert.equal(opened.status(), 201, await opened.text())
  const claim = (await opened.json()) as ClaimView
  await customerApi.close()
  const staff = await signedInApi(harness, 'support')
  await stepClaim(staff, claim.id, 'start-diagnosis')
  await stepClaim(staff, claim.id, 'authorize-return')
  await staff.close()

  const mails = (await sendAndReadOutbox(harness)).filter(
    (m) => m.claimId === claim.id && m.to.includes(customer.email),
  )
  await expectMailLinksOpen(phone.page, mails)
  await phone.page.goto(`/my/claims/${encodeURIComponent(claim.id)}`)
  await phone.page.locator('[data-testid="repair-order"]').waitFor()
  await phone.page.waitForLoadState('networkidle')
  assert.deepEqual(await englishOn(phone.page), [], 'the authorised claim page is all Chinese')
  const sheet = await phone.page.request.get(
    (await phone.page.locator('[data-testid="repair-order"]').getAttribute('href')) ?? '',
  )
  assert.equal(sheet.status(), 200)
  assert.match(sheet.headers()['content-type'] ?? '', /pdf/)
  await saveScreenshot(phone.page, 'remote-zh-claim-authorised')
  assert.deepEqual(phone.problems, [])
})

test('a customer whose every check passes and whose unit still fails can open a claim with the answers', async () => {
  const { phone } = await answerChecksInChinese('通过')
  await phone.page.getByRole('status').waitFor()
  assert.deepEqual(await englishOn(phone.page), [], 'the all-passed page is all Chinese')
  await saveScreenshot(phone.page, 'remote-zh-self-checks-all-passed')
  await phone.page.getByRole('link', { name: '带着这些结果提交申请' }).click()
  await phone.page.waitForURL(/\/my\/claims\/new/)
  assert.deepEqual(phone.problems, [])
})

test('self-check answers that do not reach the new claim are kept and offered on its page, then added', async () => {
  const { phone, checks } = await answerChecksInChinese('未通过')
  await phone.page.getByRole('link', { name: '带着这些结果提交申请' }).click()
  await phone.page.waitForURL(/\/my\/claims\/new/)
  await phone.page.getByLabel('故障描述', { exact: false }).first().fill('相机无法连接电脑。')
  // The connection drops as the answers are sent: the claim is open, the answers are not on it.
  await phone.page.route('**/transitions/record-selfcheck', (route) => route.abort('connectionreset'), {
    times: 1,
  })
  await phone.page.locator('form button[type="submit"]').click()
  await phone.page.waitForURL(/\/my\/claims\/(?!new)[^/]+$/)
  const claimId = decodeURIComponent(new URL(phone.page.url()).pathname.split('/').at(-1) ?? '')
  const eventsOf = async () =>
    (
      (await (await phone.page.request.get(`/api/v1/claims/${claimId}/events`)).json()) as {
        items: { type: string; data: { results?: unknown[] } }[]
      }
    ).items
  assert.equal((await eventsOf()).filter((e) => e.type === 'selfcheck.recorded').length, 0)

  const waiting = phone.page.locator('[data-testid="self-checks-waiting"]')
  await waiting.getByText('没有添加到这份申请').waitFor()
  assert.deepEqual(await englishOn(phone.page), [], 'the claim page and its note are all Chinese')
  await waiting.getByRole('button', { name: '把它们添加到这份申请' }).click()
  await waiting.waitFor({ state: 'detached' })
  const recorded = (await eventsOf()).filter((e) => e.type === 'selfcheck.recorded')
  assert.equal(recorded.length, 1, 'the answers are on the claim once')
  assert.equal(recorded[0]?.data.results?.length, checks)
  // Added, they are no longer offered: a reload shows no note.
  await phone.page.reload()
  await phone.page.waitForLoadState('networkidle')
  await phone.page.getByRole('heading', { level: 1 }).waitFor()
  assert.equal(await waiting.count(), 0)
})

test("answers a dealer records for the customer are shown to staff as the dealer's, not the customer's", async () => {
  const dealerApi = await signedInApi(harness, 'dealer')
  const serial = await findIdleUnit(dealerApi.request)
  const opened = await dealerApi.request.post('/api/v1/claims', {
    data: {
      serial,
      problem: { kind: 'malfunction', description: 'Customer says the cooler stays off' },
      evidence: [],
    },
    headers: { 'x-csrf-token': dealerApi.csrf },
  })
  assert.equal(opened.status(), 201, await opened.text())
  const claim = (await opened.json()) as ClaimView
  await stepClaim(dealerApi, claim.id, 'record-selfcheck', {
    checklist: 'generic',
    results: [{ checkId: 'power-cables', passed: false, note: '\u200b\u200b' }],
  })
  await dealerApi.close()

  const desk = await openPage(harness, DESK)
  const staffUser = findSignIn(harness, 'support')
  await signIn(desk.page, staffUser.email, staffUser.password)
  await desk.page.goto(`/staff/claims/${encodeURIComponent(claim.id)}`)
  const panel = desk.page.locator('[data-testid="selfcheck-answers"]')
  await panel.locator('li').first().waitFor()
  const dealerName = findSignIn(harness, 'dealer').email
  const dealerUser = await harness.database.db
    .selectFrom('users')
    .select('name')
    .where('email', '=', dealerName)
    .executeTakeFirstOrThrow()
  const text = (await panel.textContent()) ?? ''
  assert.doesNotMatch(text, /done by the customer/, "the dealer's answers are not called the customer's")
  assert.match(text, new RegExp(dealerUser.name), 'the panel names who answered')
  // A note of zero-width characters was no note: no empty "saw" line.
  assert.doesNotMatch(text, /saw/)
  await saveScreenshot(desk.page, 'remote-staff-dealer-answers')
  assert.deepEqual(desk.problems, [])
})

test('a customer whose claim is already in remote diagnosis adds the self-check answers to it, not to a second claim', async () => {
  await setDemoCustomerLocale(harness, 'zh')
  const phone = await openPage(harness, PHONE, { locale: 'zh-CN' })
  await signInPageAs(harness, phone.page, 'customer')
  const { serial, checks } = await idleUnitWithChecks(phone.page)
  const customerApi = await signedInApi(harness, 'customer')
  const opened = await customerApi.request.post('/api/v1/claims', {
    data: { serial, problem: { kind: 'malfunction', description: '预览画面没有反应。' }, evidence: [] },
    headers: { 'x-csrf-token': customerApi.csrf },
  })
  assert.equal(opened.status(), 201, await opened.text())
  const claim = (await opened.json()) as ClaimView
  await customerApi.close()
  const staff = await signedInApi(harness, 'support')
  await stepClaim(staff, claim.id, 'start-diagnosis')
  await staff.close()

  // Staff asked them to work through the checks; their claim page leads there.
  await phone.page.goto(`/my/claims/${encodeURIComponent(claim.id)}`)
  await phone.page.getByRole('link', { name: '为这台设备完成自检' }).click()
  const steps = phone.page.locator('[data-testid="self-check-steps"] > li')
  await steps.first().waitFor()
  for (let i = 0; i < checks; i++)
    await steps
      .nth(i)
      .getByLabel(i === checks - 1 ? '未通过' : '通过', { exact: true })
      .check()
  await phone.page.getByRole('button', { name: new RegExp(`添加到申请 ${claim.number}`) }).click()
  await phone.page.waitForURL(`**/my/claims/${claim.id}`)
  assert.deepEqual(await englishOn(phone.page), [], 'the claim page is all Chinese')
  const events = (await (await phone.page.request.get(`/api/v1/claims/${claim.id}/events`)).json()) as {
    items: { type: string; data: { results?: unknown[] } }[]
  }
  const recorded = events.items.find((e) => e.type === 'selfcheck.recorded')
  assert.equal(recorded?.data.results?.length, checks, 'the answers are on the claim')
  assert.deepEqual(phone.problems, [])
})
