import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { moveSaleByImport } from '../security/security-world.ts'
import {
  DESK,
  findAccessibilityGaps,
  findSignIn,
  type Harness,
  inspectLiquidDamageAndDecide,
  openPage,
  PHONE,
  readHorizontalOverflow,
  saveScreenshot,
  signedInApi,
  signIn,
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

async function readOrg(email: string): Promise<{ id: string; name: string }> {
  const row = await harness.database.db
    .selectFrom('users')
    .innerJoin('organisations', 'organisations.id', 'users.org_id')
    .select(['organisations.id', 'organisations.name'])
    .where('users.email', '=', email)
    .executeTakeFirstOrThrow()
  return row
}

test("a dealer a claim moves to while the dealer before it waits for the quote's money reads that quote without its amounts, is offered no step to record its payment and sees no refusal, in both languages", async () => {
  const firstDealer = findSignIn(harness, 'dealer', 0)
  const nextDealer = findSignIn(harness, 'dealer', 1)
  const from = await readOrg(firstDealer.email)
  const to = await readOrg(nextDealer.email)
  // A unit the first dealer sold, received for service: not covered once inspected, quoted,
  // and the quote accepted, all while the decision has the first dealer serve it.
  const rows = await harness.database.db
    .selectFrom('claims')
    .select(['id', 'serial'])
    .where('dealer_org_id', '=', from.id)
    .where('state', '=', 'received')
    .execute()
  const claim = rows[0]
  assert.ok(claim, 'the demo has a unit the first dealer sold, received for service')
  const support = await signedInApi(harness, 'support')
  const decided = await inspectLiquidDamageAndDecide<{ finalDecision: { handler: string } }>(support, claim)
  assert.equal(decided.finalDecision.handler, 'dealer')
  const quoted = await stepClaim<{ quote: { id: string } }>(support, claim.id, 'send-quote', {
    lines: [
      { kind: 'parts', description: 'Main board', quantity: 1, unitPriceMinor: 31_415, payer: 'customer' },
    ],
  })
  await stepClaim(support, claim.id, 'accept-quote', { quoteId: quoted.quote.id, note: 'Accepted by phone.' })
  await support.close()
  // The seller's records now name the other dealer, which serves the claim from here on.
  assert.equal(await moveSaleByImport(harness, claim.serial, to), 1)
  // The re-import that moves the claims names the new dealer on the unit too.
  await harness.database.db
    .updateTable('units')
    .set({ dealer_org_id: to.id })
    .where('serial', '=', claim.serial)
    .execute()

  for (const [language, viewport, heading] of [
    ['en', DESK, 'Quote'],
    ['zh', PHONE, '报价'],
  ] as const) {
    const { page, context, problems } = await openPage(harness, viewport)
    await signIn(page, nextDealer.email, nextDealer.password)
    await page.evaluate((l) => localStorage.setItem('aftercare.language', l), language)
    await page.goto(`/dealer/claims/${claim.id}`)
    const card = page.locator('section.card', {
      has: page.getByRole('heading', { name: heading, exact: true }),
    })
    await card.waitFor()
    await page.getByTestId('timeline').waitFor()
    assert.equal(await page.getByTestId('quote-total').count(), 0, 'no total of the customer’s')
    assert.equal(await page.getByTestId('payment-total').count(), 0, 'no payment card')
    assert.equal(await page.getByTestId('payment-form').count(), 0, 'no step to record the payment')
    assert.equal(await page.locator('[role="alert"]').count(), 0, 'no refusal shown')
    const text = (await page.locator('main').textContent()) ?? ''
    assert.doesNotMatch(text, /undefined|NaN|314[.,]15/, language)
    assert.equal(await readHorizontalOverflow(page), 0)
    assert.deepEqual(await findAccessibilityGaps(page), [])
    await saveScreenshot(page, `dealer-others-quote-${language}`)
    assert.deepEqual(problems, [])
    await context.close()
  }
})
