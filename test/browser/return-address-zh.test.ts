import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { findSignIn, type Harness, openPage, PHONE, startHarness } from './browser-harness.ts'

let harness: Harness
before(async () => {
  harness = await startHarness()
})
after(async () => {
  await harness?.close()
})

test('a Chinese customer saves a return address by choosing 中国 by name, and it is stored as CN', async () => {
  const { page, context, problems } = await openPage(harness, PHONE, { locale: 'zh-CN' })
  const customer = findSignIn(harness, 'customer')
  const signedIn = await page.request.post('/api/v1/auth/sign-in', {
    data: { email: customer.email, password: customer.password },
  })
  assert.equal(signedIn.status(), 200)
  await page.goto('/my/profile')
  await page.getByRole('button', { name: '添加地址' }).click()
  const form = page.getByTestId('saved-addresses')
  await form.getByLabel('收件人').fill('王芳')
  await form.getByLabel('街道及门牌号').fill('深南大道 1 号')
  await form.getByLabel('城市').fill('深圳')
  // A two-letter box took 中国 for no country and cut "China" to CH, Switzerland.
  const country = form.getByLabel('国家或地区')
  assert.equal(await country.evaluate((el) => el.tagName), 'SELECT')
  await country.selectOption({ label: '中国' })
  await form.getByRole('button', { name: '添加地址' }).click()
  const saved = page.getByTestId('saved-address')
  await saved.first().waitFor()
  assert.match((await saved.first().textContent()) ?? '', /中国/)
  const stored = (await (await page.request.get('/api/v1/me/addresses')).json()) as {
    items: { country: string }[]
  }
  assert.deepEqual(
    stored.items.map((a) => a.country),
    ['CN'],
  )
  assert.deepEqual(problems, [])
  await context.close()
})
