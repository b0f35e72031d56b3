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
  type SignedInApi,
  saveScreenshot,
  signedInApi,
  signIn,
  startHarness,
} from './browser-harness.ts'

let harness: Harness
let staffApi: SignedInApi
before(async () => {
  harness = await startHarness()
  staffApi = await signedInApi(harness, 'support')
})
after(async () => {
  await staffApi?.close()
  await harness?.close()
})

/**
 * Demo units a dealer sold that nobody has claimed on, one per dealer (`count` dealers), put
 * back to how a buyer's own registration naming the dealer leaves them: waiting for the
 * dealer's word.
 */
async function markUnclaimedSalesPending(
  count = 2,
): Promise<{ serial: string; dealer: { id: string; name: string } }[]> {
  const db = harness.database.db
  const rows = await db
    .selectFrom('units as u')
    .innerJoin('organisations as d', 'd.id', 'u.dealer_org_id')
    .leftJoin('claims as c', 'c.serial', 'u.serial')
    .select(['u.serial', 'd.id as dealer_id', 'd.name as dealer_name'])
    .where('c.id', 'is', null)
    .where('u.owner_customer_id', 'is not', null)
    .orderBy('u.serial')
    .execute()
  const picked = [...new Map(rows.map((row) => [row.dealer_id, row])).values()].slice(0, count)
  assert.equal(picked.length, count, `the demo has unclaimed units of ${count} dealers`)
  for (const row of picked)
    await db.updateTable('units').set({ dealer_confirmed: 0 }).where('serial', '=', row.serial).execute()
  return picked.map((row) => ({ serial: row.serial, dealer: { id: row.dealer_id, name: row.dealer_name } }))
}

async function readUnit(serial: string) {
  const response = await staffApi.request.get(`/api/v1/units/${encodeURIComponent(serial)}`)
  assert.equal(response.status(), 200, await response.text())
  return (await response.json()) as {
    dealer: { id: string } | null
    dealerConfirmed: boolean
    channel: string
  }
}

test('staff find and answer dealer sales on units without a claim: the list in English, the unit page and the list in Chinese', async () => {
  const [toConfirm, toRefuse] = await markUnclaimedSalesPending()
  assert.ok(toConfirm && toRefuse)
  const staff = findSignIn(harness, 'support')

  // English, on a phone: from the queue to the list, one dealer's sales, confirmed.
  {
    const { page, context, problems } = await openPage(harness, PHONE)
    await signIn(page, staff.email, staff.password)
    await page.goto('/staff')
    await page.getByRole('link', { name: 'Dealer sales to confirm', exact: true }).click()
    await page.getByRole('heading', { name: 'Dealer sales awaiting confirmation', exact: true }).waitFor()
    await page.getByLabel('Dealer', { exact: true }).selectOption(toConfirm.dealer.id)
    const row = page.locator(`tr[data-serial="${toConfirm.serial}"]`)
    await row.waitFor()
    // The list of every dealer shows both rows until the filtered answer replaces it, so
    // the other dealer's row must leave; counting it at once raced that answer.
    await page.locator(`tr[data-serial="${toRefuse.serial}"]`).waitFor({ state: 'detached' })
    assert.ok((await row.textContent())?.includes('No claim'))
    assert.equal(await readHorizontalOverflow(page), 0)
    assert.deepEqual(await findAccessibilityGaps(page), [])
    await saveScreenshot(page, 'staff-pending-sales-en')
    await row.getByRole('button', { name: 'Confirm the sale', exact: true }).click()
    await page.getByTestId('pending-sales-answered').waitFor()
    await row.waitFor({ state: 'detached' })
    const unit = await readUnit(toConfirm.serial)
    assert.equal(unit.dealerConfirmed, true)
    assert.equal(unit.dealer?.id, toConfirm.dealer.id)
    assert.deepEqual(problems, [])
    await context.close()
  }

  // Chinese, on a desk: the unit page says the sale waits; the list refuses it.
  {
    const { page, context, problems } = await openPage(harness, DESK)
    await signIn(page, staff.email, staff.password)
    await page.evaluate(() => localStorage.setItem('aftercare.language', 'zh'))
    await page.goto(`/staff/units/${encodeURIComponent(toRefuse.serial)}`)
    const note = page.getByTestId('pending-sale')
    await note
      .getByRole('heading', { name: `售给 ${toRefuse.dealer.name} 的销售，待经销商确认`, exact: true })
      .waitFor()
    assert.equal(
      await page.getByTestId('unit-dealer').textContent(),
      `${toRefuse.dealer.name}（待经销商确认）`,
    )
    assert.ok(await note.getByRole('button', { name: '确认这次销售', exact: true }).isVisible())
    assert.deepEqual(await findAccessibilityGaps(page), [])
    await saveScreenshot(page, 'staff-unit-pending-sale-zh')

    await page.goto('/staff/dealer-sales')
    await page.getByRole('heading', { name: '待经销商确认的销售', exact: true }).waitFor()
    const row = page.locator(`tr[data-serial="${toRefuse.serial}"]`)
    await row.waitFor()
    assert.ok((await row.textContent())?.includes('无申请'))
    assert.equal(await readHorizontalOverflow(page), 0)
    assert.deepEqual(await findAccessibilityGaps(page), [])
    await saveScreenshot(page, 'staff-pending-sales-zh')
    await row.getByRole('button', { name: '不是该经销商售出的', exact: true }).click()
    await page.getByTestId('pending-sales-answered').waitFor()
    await row.waitFor({ state: 'detached' })
    const unit = await readUnit(toRefuse.serial)
    assert.equal(unit.dealerConfirmed, true)
    assert.equal(unit.dealer, null)
    assert.equal(unit.channel, 'direct')

    // The unit page no longer says anything waits, and names no dealer.
    await page.goto(`/staff/units/${encodeURIComponent(toRefuse.serial)}`)
    await page.getByTestId('unit-facts').waitFor()
    assert.equal(await page.getByTestId('pending-sale').count(), 0)
    assert.equal(await page.getByTestId('unit-dealer').textContent(), '—')
    assert.deepEqual(problems, [])
    await context.close()
  }
})

test('a sale answered elsewhere while the list is open: the list says why the server refused, and its buttons work again', async () => {
  const [sale] = await markUnclaimedSalesPending(1)
  assert.ok(sale)
  const staff = findSignIn(harness, 'support')
  // The answer the server refuses below is expected in the console.
  const { page, context, problems } = await openPage(harness, DESK, { allow: [/status of 404/] })
  await signIn(page, staff.email, staff.password)
  await page.goto('/staff/dealer-sales')
  const row = page.locator(`tr[data-serial="${sale.serial}"]`)
  await row.waitFor()

  // A colleague confirms it first, from the unit's page, while this list still shows it.
  const first = await staffApi.request.post(
    `/api/v1/dealer-desk/sale-confirmations/${encodeURIComponent(sale.serial)}/confirm`,
    { headers: { 'x-csrf-token': staffApi.csrf } },
  )
  assert.equal(first.status(), 200, await first.text())

  const refuse = row.getByRole('button', { name: 'Not the dealer’s sale', exact: true })
  await refuse.click()
  await page
    .getByRole('alert')
    .getByText(`No sale of unit ${sale.serial} is waiting for your confirmation`, { exact: true })
    .waitFor()
  assert.equal(await page.getByTestId('pending-sales-answered').count(), 0)
  assert.ok(await refuse.isEnabled())
  assert.ok(await row.getByRole('button', { name: 'Confirm the sale', exact: true }).isEnabled())
  const unit = await readUnit(sale.serial)
  assert.equal(unit.dealer?.id, sale.dealer.id, 'the refused answer changed nothing')
  assert.equal(unit.dealerConfirmed, true)
  assert.deepEqual(problems, [])
  await context.close()
})
