import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import {
  DESK,
  findAccessibilityGaps,
  findSignIn,
  type Harness,
  openPage,
  PHONE,
  readHorizontalOverflow,
  saveScreenshot,
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

/**
 * One of the dealer's demo units with an owner, put back to how a buyer's own registration
 * naming the dealer leaves it: waiting for the dealer's word.
 */
async function markSalePending(email: string): Promise<{ serial: string; ownerName: string }> {
  const db = harness.database.db
  const user = await db
    .selectFrom('users')
    .select('org_id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  assert.ok(user.org_id)
  const unit = await db
    .selectFrom('units')
    .innerJoin('customers', 'customers.id', 'units.owner_customer_id')
    .select(['units.serial', 'customers.name'])
    .where('units.dealer_org_id', '=', user.org_id)
    .orderBy('units.serial')
    .executeTakeFirstOrThrow()
  await db.updateTable('units').set({ dealer_confirmed: 0 }).where('serial', '=', unit.serial).execute()
  return { serial: unit.serial, ownerName: unit.name }
}

for (const [label, viewport, language] of [
  ['phone', PHONE, 'en'],
  ['desk', DESK, 'zh'],
] as const) {
  test(`a dealer confirms a sale its buyer stated from its desk (${label}, ${language})`, async () => {
    const dealer = findSignIn(harness, 'dealer', label === 'phone' ? 0 : 1)
    const { serial, ownerName } = await markSalePending(dealer.email)
    const { page, context, problems } = await openPage(harness, viewport)
    await signIn(page, dealer.email, dealer.password)
    if (language === 'zh') {
      await page.evaluate(() => localStorage.setItem('aftercare.language', 'zh'))
      await page.reload()
    }
    const pending = page.getByTestId('pending-sales')
    const row = pending.locator(`tr[data-serial="${serial}"]`)
    await row.waitFor()
    assert.ok(
      !(await pending.innerText()).includes(ownerName),
      'the buyer is not named before the dealer confirms',
    )
    const units = page.getByTestId('dealer-units')
    await units.locator('tbody tr').first().waitFor()
    assert.equal(await units.locator(`tr[data-serial="${serial}"]`).count(), 0, 'not among its units yet')
    assert.equal(await readHorizontalOverflow(page), 0)
    assert.deepEqual(await findAccessibilityGaps(page), [])
    await saveScreenshot(page, `dealer-pending-sales-${label}`)

    await row
      .getByRole('button', { name: language === 'zh' ? '是我们售出的' : 'We sold it', exact: true })
      .click()
    await page.getByRole('status').filter({ hasText: serial }).waitFor()
    await units.locator(`tr[data-serial="${serial}"]`).waitFor()
    const stored = await harness.database.db
      .selectFrom('units')
      .select('dealer_confirmed')
      .where('serial', '=', serial)
      .executeTakeFirstOrThrow()
    assert.equal(stored.dealer_confirmed, 1)
    assert.deepEqual(problems, [])
    await context.close()
  })
}
