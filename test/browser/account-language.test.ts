import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { pages } from '../../src/contracts/pages.ts'
import {
  type Harness,
  openPage,
  sendAndReadOutbox,
  setDemoCustomerLocale,
  signIn,
  startHarness,
} from './browser-harness.ts'

let harness: Harness
before(async () => {
  harness = await startHarness()
})
after(async () => {
  await harness?.close()
})

/** The demo customer, whose account reads Chinese, and the e-mail address they sign in with. */
const chineseAccount = () => setDemoCustomerLocale(harness, 'zh')

test('a customer whose account reads Chinese follows a sign-in link on an English browser and reads Chinese', async () => {
  const customer = await chineseAccount()
  const { page, context, problems } = await openPage(harness, undefined, { locale: 'en-US' })
  try {
    const asked = await page.request.post('/api/v1/auth/link', {
      data: { email: customer.email, locale: 'zh' },
    })
    assert.equal(asked.status(), 202)
    const link = (await sendAndReadOutbox(harness))
      .filter((mail) => mail.to.includes(customer.email))
      .flatMap((mail) => mail.links)
      .findLast((l) => l.includes('/sign-in/link'))
    assert.ok(link, 'the sign-in link reached the customer')
    await page.goto(link)
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
    await page.locator('main h1').first().waitFor()
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN')
    assert.match((await page.locator('main h1').first().textContent()) ?? '', /[\u4e00-\u9fff]/)
    // The reader may still choose English on the page, and keeps it.
    await page.getByTestId('language-switch').click()
    await page.waitForFunction(() => document.documentElement.lang === 'en')
    await page.reload()
    await page.locator('main h1').first().waitFor()
    assert.equal(await page.getAttribute('html', 'lang'), 'en')
    assert.deepEqual(problems, [])
  } finally {
    await context.close()
  }
})

test('a customer whose account reads Chinese follows a claim link on an English browser and reads the claim in Chinese', async () => {
  const customer = await chineseAccount()
  const { page, context, problems } = await openPage(harness, undefined, { locale: 'en-US' })
  try {
    const signedIn = await page.request.post('/api/v1/auth/sign-in', {
      data: { email: customer.email, password: customer.password },
    })
    assert.equal(signedIn.status(), 200)
    assert.equal(((await signedIn.json()) as { locale: unknown }).locale, 'zh')
    const claims = (await (await page.request.get('/api/v1/claims?limit=1')).json()) as {
      items: { id: string }[]
    }
    const claim = claims.items[0]
    assert.ok(claim, 'the demo customer has a claim')
    await page.goto(pages.claim(claim.id))
    await page.waitForURL((url) => url.pathname === pages.claimFor('customer', claim.id))
    await page.locator('main h1').first().waitFor()
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN')
    assert.match((await page.locator('main h1').first().textContent()) ?? '', /[\u4e00-\u9fff]/)
    assert.deepEqual(problems, [])
  } finally {
    await context.close()
  }
})

test('a customer whose account reads Chinese signs in by password on an English browser and reads Chinese, until they choose English', async () => {
  const customer = await chineseAccount()
  const { page, context, problems } = await openPage(harness, undefined, { locale: 'en-US' })
  try {
    await signIn(page, customer.email, customer.password)
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN')
    await page.locator('main h1').first().waitFor()
    assert.match((await page.locator('main h1').first().textContent()) ?? '', /[\u4e00-\u9fff]/)
    // A choice made on the page afterwards is the reader's, and survives a reload.
    await page.getByTestId('language-switch').click()
    await page.waitForFunction(() => document.documentElement.lang === 'en')
    await page.reload()
    await page.locator('main h1').first().waitFor()
    assert.equal(await page.getAttribute('html', 'lang'), 'en')
    assert.doesNotMatch((await page.locator('main h1').first().textContent()) ?? '', /[\u4e00-\u9fff]/)
    assert.deepEqual(problems, [])
  } finally {
    await context.close()
  }
})

test('a customer whose account reads Chinese signs in by password on an English browser and still reads Chinese after a reload and on a page opened by its address, until they sign out', async () => {
  const customer = await chineseAccount()
  const { page, context, problems } = await openPage(harness, undefined, { locale: 'en-US' })
  try {
    await signIn(page, customer.email, customer.password)
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN')
    await page.reload()
    await page.locator('main h1').first().waitFor()
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN')
    assert.match((await page.locator('main h1').first().textContent()) ?? '', /[\u4e00-\u9fff]/)
    await page.goto('/my/profile')
    await page.getByRole('heading', { name: '我的资料' }).waitFor()
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN')
    // The next reader of this tab is not held to the last account's language.
    await page.getByRole('button', { name: '退出' }).click()
    await page.waitForURL((url) => !url.pathname.startsWith('/my'))
    await page.reload()
    await page.locator('main h1').first().waitFor()
    assert.equal(await page.getAttribute('html', 'lang'), 'en')
    assert.deepEqual(problems, [])
  } finally {
    await context.close()
  }
})
