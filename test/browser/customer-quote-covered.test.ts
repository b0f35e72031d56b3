import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import {
  decideLiquidDamage,
  findSignIn,
  type Harness,
  openClaimOnIdleUnit,
  openPage,
  PHONE,
  signedInApi,
  startHarness,
  stepClaim,
} from './browser-harness.ts'

/**
 * The customer's quote on their claim page, in English and Chinese: the lines they pay with
 * their amounts and total, the lines the businesses pay as covered, with neither the amount
 * nor which business pays it.
 */
let harness: Harness
before(async () => {
  harness = await startHarness()
})
after(async () => {
  await harness?.close()
})

interface ClaimJson {
  id: string
  serial: string
  version: number
}

test('the customer reads their quote without the split between the businesses, in English and Chinese', async () => {
  const customerApi = await signedInApi(harness, 'customer')
  const claim = await openClaimOnIdleUnit<ClaimJson>(customerApi, 'Water got in; it no longer starts.')
  await customerApi.close()
  const supportApi = await signedInApi(harness, 'support')
  await decideLiquidDamage(supportApi, claim)
  await stepClaim<ClaimJson>(supportApi, claim.id, 'send-quote', {
    lines: [
      { kind: 'parts', description: 'Main board', quantity: 1, unitPriceMinor: 12_345, payer: 'customer' },
      { kind: 'labour', description: 'Bench time', quantity: 1, unitPriceMinor: 4_321, payer: 'vendor' },
      {
        kind: 'return-shipping',
        description: 'Courier',
        quantity: 1,
        unitPriceMinor: 2_789,
        payer: 'manufacturer',
      },
      { kind: 'duties', description: 'Import duty', quantity: 1, unitPriceMinor: 1_937, payer: 'dealer' },
    ],
  })
  await supportApi.close()

  const customer = findSignIn(harness, 'customer')
  const setLocale = (locale: 'en' | 'zh') =>
    harness.database.db
      .updateTable('customers')
      .set({ locale })
      .where('id', 'in', (eb) =>
        eb.selectFrom('users').select('customer_id').where('email', '=', customer.email),
      )
      .execute()
  const views = [
    {
      locale: 'en',
      browser: 'en-GB',
      covered: 'Covered: nothing for you to pay',
      you: 'you (the customer)',
      parties: /seller|dealer|manufacturer/i,
    },
    {
      locale: 'zh',
      browser: 'zh-CN',
      covered: '已承保，无需您支付',
      you: '您（客户）',
      parties: /销售方|经销商|制造商/,
    },
  ] as const
  for (const view of views) {
    await setLocale(view.locale)
    const portal = await openPage(harness, PHONE, { locale: view.browser })
    const signedIn = await portal.page.request.post('/api/v1/auth/sign-in', {
      data: { email: customer.email, password: customer.password },
    })
    assert.equal(signedIn.status(), 200)
    await portal.page.goto(`/my/claims/${encodeURIComponent(claim.id)}`)
    const table = portal.page.getByTestId('quote')
    await table.waitFor({ timeout: 10_000 })
    const text = (await table.textContent()) ?? ''
    assert.ok(text.includes('123.45'), `${view.locale}: their amount: ${text}`)
    assert.equal((await portal.page.getByTestId('quote-total').textContent())?.includes('123.45'), true)
    const payers = await portal.page.getByTestId('quote-line-payer').allTextContents()
    assert.equal(payers.length, 4, `${view.locale}: every line`)
    assert.deepEqual(
      payers.slice(1).map((p) => p.trim()),
      [view.covered, view.covered, view.covered],
      `${view.locale}: the others' lines are covered`,
    )
    assert.doesNotMatch(text, view.parties, `${view.locale}: no business named`)
    // The costs card lists what they pay, and no line a business pays.
    const costs = portal.page.getByTestId('costs')
    await costs.getByTestId('cost-line').first().waitFor()
    assert.equal(await costs.getByTestId('cost-line').count(), 1, `${view.locale}: their one cost line`)
    assert.equal(
      (await costs.getByTestId('cost-line-payer').textContent())?.trim(),
      view.you,
      `${view.locale}: paid by them`,
    )
    assert.ok(((await costs.textContent()) ?? '').includes('123.45'), `${view.locale}: its amount`)
    const page = (await portal.page.locator('main').textContent()) ?? ''
    for (const amount of ['43.21', '27.89', '19.37', '213.92', '90.47'])
      assert.ok(!page.includes(amount), `${view.locale}: shows ${amount}`)
    assert.deepEqual(portal.problems, [])
    await portal.context.close()
  }
  await setLocale('en')
})
