import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { samplePdf } from '../../src/files/sample-files.test-support.ts'
import {
  decideLiquidDamage,
  type Harness,
  openClaimOnIdleUnit,
  openClaimPage,
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

/** A small, whole PDF: the bank slip. */
const slip = () => samplePdf({ note: 'bank slip' })

test('a Chinese customer pays a repair quote with a bank slip; the claim files name it 付款凭证 to staff, not by its code', async () => {
  const customerApi = await signedInApi(harness, 'customer')
  const staff = await signedInApi(harness, 'support')
  const claim = await openClaimOnIdleUnit<{ id: string; serial: string }>(customerApi, '进水后无法开机。')
  await decideLiquidDamage(staff, claim)
  await stepClaim(staff, claim.id, 'send-quote', {
    lines: [{ kind: 'parts', description: '主板', quantity: 1, unitPriceMinor: 12000 }],
    validDays: 30,
  })

  const customer = await openClaimPage(harness, 'customer', claim.id, undefined, { locale: 'zh-CN' })
  await customer.page.getByRole('button', { name: '接受报价' }).click()
  await customer.page
    .getByLabel(/^付款凭证/)
    .setInputFiles({ name: '回单.pdf', mimeType: 'application/pdf', buffer: slip() })
  await customer.page.getByRole('button', { name: '提交付款凭证' }).click()
  await customer.page.getByText('回单.pdf').first().waitFor()

  const support = await openClaimPage(harness, 'support', claim.id, undefined, { locale: 'zh-CN' })
  const gallery = support.page.getByTestId('evidence-gallery')
  await gallery.getByText('回单.pdf').waitFor()
  assert.deepEqual(await gallery.locator('a').allTextContents(), ['付款凭证：回单.pdf'])
  assert.deepEqual([...customer.problems, ...support.problems], [])
  await customer.context.close()
  await support.context.close()
  await customerApi.close()
  await staff.close()
})
