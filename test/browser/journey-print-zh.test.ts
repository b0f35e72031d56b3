import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { extractPdfText } from '../../src/files/documents/pdf-text.test-support.ts'
import {
  decideLiquidDamage,
  type Harness,
  openClaimOnIdleUnit,
  openClaimPage,
  setDemoCustomerLocale,
  signedInApi,
  startHarness,
  stepClaim,
} from './browser-harness.ts'

let harness: Harness
before(async () => {
  harness = await startHarness()
  // The documents are printed in the language of the customer's account.
  await setDemoCustomerLocale(harness, 'zh')
})
after(async () => {
  await harness?.close()
})

test("a Chinese customer prints the repair order and the paid repair quote: the letterhead's hours and the quote's brackets read in Chinese", async () => {
  const customerApi = await signedInApi(harness, 'customer')
  const staff = await signedInApi(harness, 'support')
  const claim = await openClaimOnIdleUnit<{ id: string; serial: string }>(customerApi, '进水后无法开机。')
  await decideLiquidDamage(staff, claim)
  await stepClaim(staff, claim.id, 'send-quote', {
    lines: [{ kind: 'parts', description: '主板', quantity: 1, unitPriceMinor: 12000 }],
    validDays: 30,
  })

  const { page, context, problems } = await openClaimPage(harness, 'customer', claim.id, undefined, {
    locale: 'zh-CN',
  })
  const sheets: Record<string, string> = {}
  for (const name of ['维修单（PDF）', '下载报价单（PDF）']) {
    const link = page.getByRole('link', { name })
    await link.waitFor()
    const response = await page.request.get((await link.getAttribute('href')) ?? '')
    assert.equal(response.status(), 200, name)
    sheets[name] = extractPdfText(await response.body())
  }

  for (const [name, text] of Object.entries(sheets)) {
    assert.match(text, /[\u4e00-\u9fff]/, `${name} is printed in Chinese`)
    // The seller's default support hours, words no seller wrote, read in Chinese on the letterhead.
    assert.doesNotMatch(text, /Mon|Fri/, name)
    assert.match(text, /周一至周五 09:00–18:00/, name)
  }
  // A line's kind follows its description in the full-width brackets Chinese text takes.
  assert.match(sheets['下载报价单（PDF）'] ?? '', /主板（配件）/)
  assert.doesNotMatch(
    Object.values(sheets).join('\n'),
    /\([\u4e00-\u9fff]+\)/,
    'Latin brackets around Chinese',
  )
  assert.deepEqual(problems, [])
  await context.close()
  await customerApi.close()
  await staff.close()
})
