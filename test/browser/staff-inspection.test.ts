import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import {
  decideLiquidDamage,
  type Harness,
  openClaimOnIdleUnit,
  openClaimPage,
  PHONE,
  signedInApi,
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

interface Claim {
  id: string
  serial: string
  state: string
  inspection?: { findings: string[] } | null
}

test('a technician in Chinese cannot record an inspection before saying whether the warranty seals are intact', async () => {
  const customer = await signedInApi(harness, 'customer')
  const staff = await signedInApi(harness, 'support')
  const claim = await openClaimOnIdleUnit<Claim>(customer, '开机后黑屏。')
  await stepClaim(staff, claim.id, 'authorize-return')
  await stepClaim(staff, claim.id, 'receive-unit')

  const { page, context, problems } = await openClaimPage(harness, 'technician', claim.id, PHONE, {
    locale: 'zh-CN',
  })
  const inspection = page.getByTestId('inspection-form')
  await inspection.waitFor()

  // Sent untouched, the form used to record a broken seal, which voids the warranty.
  await inspection.getByRole('button', { name: '记录检测结果', exact: true }).click()
  const seals = inspection.getByRole('radio', { name: '保修封签完好' })
  assert.equal(await seals.evaluate((input: HTMLInputElement) => input.validity.valueMissing), true)
  const untouched = (await (await staff.request.get(`/api/v1/claims/${claim.id}`)).json()) as Claim
  assert.equal(untouched.state, 'received', 'nothing is recorded until the seals are answered')

  await seals.check()
  await inspection.getByRole('button', { name: '记录检测结果', exact: true }).click()
  await page.getByTestId('inspection-summary').waitFor()
  const recorded = (await (await staff.request.get(`/api/v1/claims/${claim.id}`)).json()) as Claim
  assert.equal(recorded.state, 'inspected')
  assert.doesNotMatch(
    (await page.getByTestId('inspection-summary').textContent()) ?? '',
    /保修标签破损/,
    'seals the technician saw intact are not recorded as broken',
  )
  assert.deepEqual(problems, [])
  await context.close()
  await customer.close()
  await staff.close()
})

test('the estimate a technician writes in Chinese reads its total after a Chinese colon', async () => {
  const customer = await signedInApi(harness, 'customer')
  const staff = await signedInApi(harness, 'support')
  const claim = await openClaimOnIdleUnit<Claim>(customer, '进水后无法开机。')
  await decideLiquidDamage(staff, claim)

  const { page, context, problems } = await openClaimPage(harness, 'technician', claim.id, PHONE, {
    locale: 'zh-CN',
  })
  const total = page.getByTestId('quote-editor-total')
  await total.waitFor()
  const line = await total.locator('xpath=..').textContent()
  assert.match(line ?? '', /^客户需支付：\S/, 'a full-width colon, no ASCII colon and space')
  assert.deepEqual(problems, [])
  await context.close()
  await customer.close()
  await staff.close()
})
