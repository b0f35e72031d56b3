import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { extractPdfText } from '../../src/files/documents/pdf-text.test-support.ts'
import {
  findSignIn,
  type Harness,
  jpegBytes,
  openPage,
  PHONE,
  saveScreenshot,
  sendAndReadOutbox,
  setDemoCustomerLocale,
  signInPageAs,
  startHarness,
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

/** The demo customer, reading and receiving everything in Chinese, signed in on a Chinese browser. */
async function chineseCustomer(viewport = A4) {
  await setDemoCustomerLocale(harness, 'zh')
  const watched = await openPage(harness, viewport, { locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  await signInPageAs(harness, watched.page, 'customer')
  return watched
}

/** Elements of `selector` a reader sees on the page as it is now laid out (screen or print). */
async function visible(page: Page, selector: string): Promise<string[]> {
  return page.evaluate(
    (css) =>
      [...document.querySelectorAll(css)]
        .filter((el) => el.checkVisibility())
        .map((el) => `${el.tagName.toLowerCase()} ${(el.textContent ?? '').trim().slice(0, 40)}`),
    selector,
  )
}

test('a Chinese customer prints the claim with its decision: the letter, the addresses in Chinese, the terms, no controls', async () => {
  const { page, context, problems } = await chineseCustomer()
  const claims = (await (await page.request.get('/api/v1/claims?limit=200')).json()) as {
    items: { id: string; rma: unknown; provisionalDecision: unknown; finalDecision: unknown }[]
  }
  const claim = claims.items.find((c) => c.rma && (c.finalDecision || c.provisionalDecision))
  assert.ok(claim, 'the demo customer has an authorised return with a decision')
  await page.goto(`/my/claims/${encodeURIComponent(claim.id)}`)
  await page.getByTestId('decision-summary').waitFor()
  await page.getByTestId('return-address').waitFor()
  await page.waitForLoadState('networkidle')

  // The return address is shown as the repair order prints it, and in the reader's language.
  const address = (await page.getByTestId('return-address').textContent()) ?? ''
  assert.match(address, /电话：/, address)
  assert.doesNotMatch(address, /Tel\./, address)
  // Switched to English and back mid-way, the address follows the page.
  const shows = (label: string) =>
    page.waitForFunction(
      (want) => document.querySelector('[data-testid="return-address"]')?.textContent?.includes(want),
      label,
    )
  await page.getByTestId('language-switch').click()
  await shows('Tel. ')
  await page.getByTestId('language-switch').click()
  await shows('电话：')

  await page.emulateMedia({ media: 'print' })
  await saveScreenshot(page, 'zh-print-claim')
  // On paper nothing can be clicked or typed into: no menu, buttons, empty message form.
  assert.deepEqual(
    await visible(page, 'header nav, .skip-link, button, input, textarea, select, .button'),
    [],
  )
  // The policy terms the decision rests on are printed, not left folded away.
  const terms = await visible(page, '[data-testid="decision-policy-words"] .clause-words')
  assert.ok(terms.length > 0, 'the printed decision quotes its policy terms')
  // The original English wording of each clause stays folded: the sheet is in Chinese.
  assert.deepEqual(await visible(page, '[data-testid="clause-original"] blockquote'), [])
  const pdf = await page.pdf({ format: 'A4' })
  assert.ok(pdf.length > 0)
  assert.deepEqual(problems, [])
  await context.close()
})

test('a customer whose account is in English, reading the claim in Chinese, prints the repair order in Chinese', async () => {
  await setDemoCustomerLocale(harness, 'en')
  const { page, context, problems } = await openPage(harness, A4, { locale: 'zh-CN' })
  await signInPageAs(harness, page, 'customer')
  const claims = (await (await page.request.get('/api/v1/claims?limit=200')).json()) as {
    items: { id: string; rma: unknown }[]
  }
  const claim = claims.items.find((c) => c.rma)
  assert.ok(claim, 'the demo customer has an authorised return')
  await page.goto(`/my/claims/${encodeURIComponent(claim.id)}`)
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN')
  const href = await page.getByTestId('repair-order').getAttribute('href')
  assert.ok(href, 'the page links to the repair order')
  const pdf = await page.request.get(href)
  assert.equal(pdf.status(), 200)
  const text = extractPdfText(await pdf.body())
  assert.match(text, /开具日期：/, 'the sheet is in the language of the page')
  assert.doesNotMatch(text, /Issued:/)
  assert.deepEqual(problems, [])
  await context.close()
})

test('a Chinese customer attaching a photo reads the file field in Chinese, whatever language the browser itself speaks', async () => {
  const { page, context, problems } = await chineseCustomer(PHONE)
  const claims = (await (await page.request.get('/api/v1/claims?limit=200')).json()) as {
    items: { id: string; state: string }[]
  }
  const claim = claims.items.find((c) => c.state !== 'closed')
  assert.ok(claim, 'the demo customer has an open claim')
  await page.goto(`/my/claims/${encodeURIComponent(claim.id)}`)
  const form = page.getByTestId('thread-form')
  await form.waitFor()
  const field = form.locator('.file-picker')
  // The browser's own control would say "Choose Files" and "No file chosen" here.
  assert.equal((await field.textContent())?.trim(), '选择文件未选择文件')
  await page.getByLabel('附上照片、视频或 PDF').setInputFiles({
    name: '划痕照片.jpg',
    mimeType: 'image/jpeg',
    buffer: jpegBytes(),
  })
  await field.getByText('划痕照片.jpg').waitFor()
  await saveScreenshot(page, 'zh-file-picker-chosen')
  await form.locator('textarea').fill('镜头上有划痕，见附图。')
  await form.getByRole('button', { name: '发送' }).click()
  await page.getByTestId('thread-item').filter({ hasText: '划痕照片.jpg' }).waitFor()
  // Sent: the field is empty again, and says so in Chinese.
  await field.getByText('未选择文件').waitFor()
  assert.deepEqual(problems, [])
  await context.close()
})

test('a Chinese customer on a browser that writes dates month first reads the date chosen in words', async () => {
  const { page, context, problems } = await chineseCustomer(PHONE)
  await page.goto('/my/claims/new')
  const field = page.getByLabel('首次发现日期')
  await field.waitFor()
  // 04/12 in the browser's own order; written out, nobody can take it for the twelfth of April.
  await field.fill('2026-04-12')
  const words = page.getByTestId('date-in-words')
  await words.getByText('2026年4月12日').waitFor()
  await page.getByTestId('language-switch').click()
  await words.getByText('12 Apr 2026').waitFor()
  assert.deepEqual(problems, [])
  await context.close()
})

test('a sign-in link cut short by a mail program, or already used, says so in Chinese and leads back to sign in', async () => {
  const customer = findSignIn(harness, 'customer')
  const { page, context, problems } = await openPage(harness, PHONE, {
    locale: 'zh-CN',
    // The refused token is logged by the browser as a failed request; that is the point.
    allow: [/status of 40[01]/],
  })
  await page.goto('/sign-in')
  await page.locator('#link-email').fill(customer.email)
  await page.locator('#link-email').press('Enter')
  await page.getByText('登录链接已发出').waitFor()
  const mails = await sendAndReadOutbox(harness)
  const link = mails
    .filter((m) => m.to.includes(customer.email))
    .flatMap((m) => m.links)
    .findLast((l) => l.includes('/sign-in/link'))
  assert.ok(link, 'the sign-in link reached the customer')

  // A long link wrapped by a mail program often arrives with only its first characters.
  const cut = new URL(link)
  cut.searchParams.set('token', (cut.searchParams.get('token') ?? '').slice(0, 6))
  await page.goto(cut.toString())
  const note = page.getByRole('alert')
  await note.waitFor()
  assert.equal((await note.textContent())?.trim(), '此链接不完整。请在登录页面重新获取。')
  await saveScreenshot(page, 'zh-sign-in-link-cut')
  await page.getByRole('link', { name: '重新获取登录链接' }).click()
  await page.waitForURL((url) => url.pathname === '/sign-in')

  // The whole link signs in once; the second time it is refused, with the way back to sign in.
  await page.goto(link)
  await page.waitForURL((url) => url.pathname === '/my')
  const again = await openPage(harness, PHONE, { locale: 'zh-CN', allow: [/status of 401/] })
  await again.page.goto(link)
  const refused = again.page.getByRole('alert')
  await refused.waitFor()
  assert.match((await refused.textContent()) ?? '', /已失效/)
  await again.page.getByRole('link', { name: '重新获取登录链接' }).click()
  await again.page.waitForURL((url) => url.pathname === '/sign-in')
  assert.deepEqual(problems, [])
  assert.deepEqual(again.problems, [])
  await again.context.close()
  await context.close()
})

test('a customer who switched the page to Chinese on an English browser is told in Chinese what a form still needs, and can send it once it is filled in', async () => {
  const { page, context, problems } = await openPage(harness, PHONE, { locale: 'en-US' })
  await signInPageAs(harness, page, 'customer')
  await page.goto('/my/units/new')
  await page.getByTestId('language-switch').click()
  await page.getByRole('heading', { name: '登记设备' }).waitFor()
  const form = page.locator('main form').first()
  await form.getByRole('button', { name: '登记', exact: true }).click()
  // The browser's own words would be "Please fill out this field." and "Please select a file."
  const refusals = await form.evaluate((element) =>
    [...element.querySelectorAll<HTMLInputElement>('input, select, textarea')]
      .filter((field) => !field.validity.valid)
      .map((field) => `${field.name}: ${field.validationMessage}`),
  )
  assert.ok(refusals.length >= 3, refusals.join('\n'))
  for (const refusal of refusals) assert.match(refusal, /: 请.*。$/, refusals.join('\n'))
  assert.ok(
    refusals.some((r) => r.includes('请选择文件。')),
    refusals.join('\n'),
  )
  // Filled in, a field is no longer held to its refusal.
  const serial = page.getByLabel('序列号')
  await serial.fill('PLA-4242')
  assert.equal(await serial.evaluate((field: HTMLInputElement) => field.validity.valid), true)
  await saveScreenshot(page, 'zh-form-refusal')
  assert.deepEqual(problems, [])
  await context.close()
})
