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

async function readDealerOrg(email: string): Promise<string> {
  const user = await harness.database.db
    .selectFrom('users')
    .select(['org_id'])
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  assert.ok(user.org_id, `${email} belongs to a dealer organisation`)
  return user.org_id
}

for (const [label, viewport] of [
  ['phone', PHONE],
  ['desk', DESK],
] as const) {
  test(`a dealer sees only the units it sold (${label})`, async () => {
    const dealer = findSignIn(harness, 'dealer', 0)
    const other = findSignIn(harness, 'dealer', 1)
    const ownOrg = await readDealerOrg(dealer.email)
    const otherOrg = await readDealerOrg(other.email)
    const units = await harness.database.db.selectFrom('units').select(['serial', 'dealer_org_id']).execute()
    const own = units.filter((u) => u.dealer_org_id === ownOrg).map((u) => u.serial)
    const foreign = units.filter((u) => u.dealer_org_id === otherOrg).map((u) => u.serial)
    assert.ok(own.length > 0 && foreign.length > 0, 'the demo has units for both dealers')

    const { page, context, problems } = await openPage(harness, viewport)
    await signIn(page, dealer.email, dealer.password)
    assert.equal(new URL(page.url()).pathname, '/dealer')
    const table = page.getByTestId('dealer-units')
    await table.locator('tbody tr').first().waitFor()
    const shown = await table
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-serial')))
    assert.ok(shown.length > 0)
    for (const serial of shown) assert.ok(serial && own.includes(serial), `${serial} was sold by this dealer`)
    for (const serial of foreign)
      assert.ok(!shown.includes(serial), `${serial} of the other dealer is hidden`)

    // Searching for another dealer's serial finds nothing either.
    const foreignSerial = foreign[0] ?? ''
    await page.getByLabel('Search by serial or customer').fill(foreignSerial)
    await page.getByText('No units found.').waitFor()
    assert.equal(await readHorizontalOverflow(page), 0)
    assert.deepEqual(await findAccessibilityGaps(page), [])
    await page.getByLabel('Search by serial or customer').fill('')
    await table.locator('tbody tr').first().waitFor()
    await saveScreenshot(page, `dealer-units-${label}`)
    assert.deepEqual(problems, [])
    await context.close()
  })
}
