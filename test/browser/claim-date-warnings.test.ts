import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type Harness, openClaimPage, openCustomerClaim, PHONE, startHarness } from './browser-harness.ts'

let harness: Harness
before(async () => {
  harness = await startHarness()
})
after(async () => {
  await harness?.close()
})

// An American browser: the page writes days as the e-mails and printed documents do (5 Jan
// 2025), not in the browser's own month-first order.
const LANGUAGES = [
  { label: 'en', locale: 'en-US', html: 'en' },
  { label: 'zh', locale: 'zh-CN', html: 'zh-CN' },
] as const

/**
 * A claim whose decision counts the warranty from a delivery five days before the purchase.
 * The warning is put on the stored decision as the engine writes it (src/policies: the
 * engine's own tests cover when it does), so the page is read with a known pair of days.
 */
async function claimWithEarlyWarranty(): Promise<string> {
  const claim = await openCustomerClaim<{ id: string }>(harness, 'The fan is loud.')
  const { db } = harness.database
  const row = await db
    .selectFrom('claims')
    .select('provisional_decision')
    .where('id', '=', claim.id)
    .executeTakeFirstOrThrow()
  assert.ok(row.provisional_decision, 'the claim has a first answer')
  const decision = JSON.parse(row.provisional_decision) as Record<string, unknown>
  decision.dateWarnings = [
    {
      code: 'warranty-starts-before-purchase',
      field: 'purchase.deliveredOn',
      startsOn: '2025-01-05',
      purchasedOn: '2025-01-10',
    },
  ]
  await db
    .updateTable('claims')
    .set({ provisional_decision: JSON.stringify(decision) })
    .where('id', '=', claim.id)
    .execute()
  return claim.id
}

const EARLY_WARRANTY = {
  en: ['Please check the dates:', 'delivery date', '5 Jan 2025', '10 Jan 2025'],
  zh: ['请核对日期：', '签收日期', '2025年1月5日', '2025年1月10日'],
} as const

let early: Promise<string> | undefined
const claimWithEarlyWarrantyOnce = (): Promise<string> => {
  early ??= claimWithEarlyWarranty()
  return early
}

for (const language of LANGUAGES) {
  test(`a warranty counted from before the purchase is a warning on the customer's claim page (${language.label})`, async () => {
    const claimId = await claimWithEarlyWarrantyOnce()
    const { page, context, problems } = await openClaimPage(harness, 'customer', claimId, PHONE, {
      locale: language.locale,
    })
    const warning = page.getByTestId('date-warnings')
    await warning.waitFor()
    assert.ok(await warning.isVisible())
    const text = (await warning.textContent()) ?? ''
    for (const words of EARLY_WARRANTY[language.label]) assert.ok(text.includes(words), `${words} in ${text}`)
    // The customer is told in words, without the case's field code.
    assert.doesNotMatch(text, /purchase\.deliveredOn/)
    if (language.label === 'zh') assert.doesNotMatch(text, /[A-Za-z]{2,}/, text)
    assert.deepEqual(problems, [])
    await context.close()
  })
}

test('staff see the warning too, with the case field to correct', async () => {
  const claimId = await claimWithEarlyWarrantyOnce()
  const { page, context, problems } = await openClaimPage(harness, 'support', claimId)
  const warning = page.getByTestId('date-warnings')
  await warning.waitFor()
  const text = (await warning.textContent()) ?? ''
  for (const words of EARLY_WARRANTY.en) assert.ok(text.includes(words), `${words} in ${text}`)
  assert.equal(await warning.locator('code').textContent(), 'purchase.deliveredOn')
  assert.deepEqual(problems, [])
  await context.close()
})
