import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import {
  findIdleUnit,
  type Harness,
  jpegBytes,
  openPage,
  PHONE,
  saveScreenshot,
  setDemoCustomerLocale,
  signInPageAs,
  startHarness,
} from './browser-harness.ts'

let harness: Harness
before(async () => {
  harness = await startHarness()
})
after(async () => {
  await setDemoCustomerLocale(harness, 'en')
  await harness?.close()
})

/** One of the demo customer's idle units, made a unit its seller recorded without an owner. */
async function unownedUnit(page: Page): Promise<string> {
  const serial = await findIdleUnit(page.request)
  await harness.database.db
    .updateTable('units')
    .set({ owner_customer_id: null })
    .where('serial', '=', serial)
    .execute()
  return serial
}

const claimsOn = async (serial: string) =>
  harness.database.db.selectFrom('claims').select('id').where('serial', '=', serial).execute()

test('a customer claiming a unit registered to nobody is asked for the proof of purchase, attaches it as such, and the claim opens', async () => {
  await setDemoCustomerLocale(harness, 'en')
  const portal = await openPage(harness, PHONE, { allow: [/status of 400/] })
  await signInPageAs(harness, portal.page, 'customer')
  const serial = await unownedUnit(portal.page)
  await portal.page.goto(`/my/claims/new?serial=${encodeURIComponent(serial)}`)
  await portal.page.getByLabel('Describe the fault').fill('The cooler never reaches its set point.')
  await portal.page.getByTestId('file-drop-input').setInputFiles({
    name: 'receipt.jpg',
    mimeType: 'image/jpeg',
    buffer: jpegBytes(),
  })
  await portal.page.getByText('receipt.jpg').waitFor()
  await portal.page.getByRole('button', { name: 'Send', exact: true }).click()
  await portal.page.getByText(/is not registered to you; attach your proof of purchase/).waitFor()
  await saveScreenshot(portal.page, 'intake-proof-asked-phone')
  assert.deepEqual(await claimsOn(serial), [], 'no claim without the proof')

  await portal.page.getByLabel('What does this file show?').selectOption({ label: 'Proof of purchase' })
  await portal.page.getByRole('button', { name: 'Send', exact: true }).click()
  await portal.page.waitForURL(
    (url) => /^\/my\/claims\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith('/new'),
  )
  assert.equal((await claimsOn(serial)).length, 1)
  const unit = await harness.database.db
    .selectFrom('units')
    .select('owner_customer_id')
    .where('serial', '=', serial)
    .executeTakeFirstOrThrow()
  assert.equal(unit.owner_customer_id, null, 'the claim does not make the claimant the owner')
  assert.deepEqual(portal.problems, [])
  await portal.context.close()
})

test('a Chinese customer is asked for the proof of purchase in Chinese and can mark a file as one', async () => {
  await setDemoCustomerLocale(harness, 'zh')
  const portal = await openPage(harness, PHONE, {
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    allow: [/status of 400/],
  })
  await signInPageAs(harness, portal.page, 'customer')
  const serial = await unownedUnit(portal.page)
  await portal.page.goto(`/my/claims/new?serial=${encodeURIComponent(serial)}`)
  await portal.page.getByLabel('故障描述').fill('制冷达不到设定温度。')
  await portal.page.getByRole('button', { name: '提交', exact: true }).click()
  await portal.page.getByText(/未登记在您名下；请附上您的购买凭证/).waitFor()
  await portal.page.getByTestId('file-drop-input').setInputFiles({
    name: '发票.jpg',
    mimeType: 'image/jpeg',
    buffer: jpegBytes(),
  })
  await portal.page.getByLabel('此文件显示的内容').selectOption({ label: '购买凭证' })
  await saveScreenshot(portal.page, 'intake-proof-asked-zh-phone')
  await portal.page.getByRole('button', { name: '提交', exact: true }).click()
  await portal.page.waitForURL(
    (url) => /^\/my\/claims\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith('/new'),
  )
  assert.equal((await claimsOn(serial)).length, 1)
  assert.deepEqual(portal.problems, [])
  await portal.context.close()
})
