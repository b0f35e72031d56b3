import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import {
  type Harness,
  openPage,
  PHONE,
  readHorizontalOverflow,
  saveScreenshot,
  startHarness,
} from './browser-harness.ts'

let harness: Harness
before(async () => {
  harness = await startHarness()
})
after(async () => {
  await harness?.close()
})

test('switching to Chinese translates the page, sets <html lang> and is remembered after a reload', async () => {
  const serial = harness.demo.serials[1] ?? harness.demo.serials[0]
  assert.ok(serial)
  const { page, context, problems } = await openPage(harness, PHONE)
  await page.goto(`/warranty/${serial}`)
  await page.getByTestId('warranty-result').waitFor()
  assert.equal(await page.getAttribute('html', 'lang'), 'en')
  await page.getByTestId('language-switch').click()
  await page.getByRole('heading', { name: '查询保修' }).waitFor()
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN')
  assert.equal(await page.evaluate(() => localStorage.getItem('aftercare.language')), 'zh')
  await page.reload()
  await page.getByRole('heading', { name: '查询保修' }).waitFor()
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN')
  assert.match((await page.getByTestId('warranty-result').textContent()) ?? '', /保修政策/)
  assert.equal(await readHorizontalOverflow(page), 0)
  await saveScreenshot(page, 'language-zh-phone')
  await page.getByTestId('language-switch').click()
  await page.getByRole('heading', { name: 'Check your warranty' }).waitFor()
  assert.equal(await page.getAttribute('html', 'lang'), 'en')
  assert.deepEqual(problems, [])
  await context.close()
})

test('a Chinese browser gets Chinese on its first visit', async () => {
  const { page, context, problems } = await openPage(harness, PHONE, { locale: 'zh-CN', colorScheme: 'dark' })
  await page.goto('/')
  await page.getByRole('heading', { name: '查询保修' }).waitFor()
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN')
  await saveScreenshot(page, 'language-zh-dark-first-visit')
  assert.deepEqual(problems, [])
  await context.close()
})
