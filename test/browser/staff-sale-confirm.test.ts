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
 * The demo's open claims on units a dealer sold, one per unit, put back to how a buyer's own
 * registration naming the dealer leaves them: the sale waits for the dealer's word and the
 * claims have no dealer yet.
 */
async function markSalesPending(
  count: number,
): Promise<{ claimId: string; serial: string; dealer: { id: string; name: string } }[]> {
  const db = harness.database.db
  const rows = await db
    .selectFrom('claims as c')
    .innerJoin('units as u', 'u.serial', 'c.serial')
    .innerJoin('organisations as d', 'd.id', 'u.dealer_org_id')
    .select(['c.id', 'c.serial', 'd.id as dealer_id', 'd.name as dealer_name'])
    .where('c.state', 'not in', ['closed', 'cancelled'])
    .orderBy('c.serial')
    .execute()
  const picked = [...new Map(rows.map((row) => [row.serial, row])).values()].slice(0, count)
  assert.equal(picked.length, count, 'the demo has open claims on dealer sales')
  for (const row of picked) {
    await db.updateTable('units').set({ dealer_confirmed: 0 }).where('serial', '=', row.serial).execute()
    await db.updateTable('claims').set({ dealer_org_id: null }).where('serial', '=', row.serial).execute()
  }
  return picked.map((row) => ({
    claimId: row.id,
    serial: row.serial,
    dealer: { id: row.dealer_id, name: row.dealer_name },
  }))
}

async function readJson<T>(path: string): Promise<T> {
  const response = await staffApi.request.get(path)
  assert.equal(response.status(), 200, await response.text())
  return (await response.json()) as T
}

interface UnitRead {
  channel: string
  dealer: { id: string } | null
  dealerConfirmed: boolean
}

test('staff answer a sale a buyer stated from the claim page: confirm in English, refuse in Chinese', async () => {
  const [toConfirm, toRefuse] = await markSalesPending(2)
  assert.ok(toConfirm && toRefuse)
  const staff = findSignIn(harness, 'support')

  for (const [sale, viewport, language] of [
    [toConfirm, PHONE, 'en'],
    [toRefuse, DESK, 'zh'],
  ] as const) {
    const { page, context, problems } = await openPage(harness, viewport)
    await signIn(page, staff.email, staff.password)
    if (language === 'zh') await page.evaluate(() => localStorage.setItem('aftercare.language', 'zh'))
    await page.goto(`/staff/claims/${encodeURIComponent(sale.claimId)}`)
    const note = page.getByTestId('pending-sale')
    await note.waitFor()
    const heading =
      language === 'zh'
        ? `售给 ${sale.dealer.name} 的销售，待经销商确认`
        : `Sale to ${sale.dealer.name} awaiting the dealer’s confirmation`
    await note.getByRole('heading', { name: heading, exact: true }).waitFor()
    assert.equal(await readHorizontalOverflow(page), 0)
    assert.deepEqual(await findAccessibilityGaps(page), [])
    await saveScreenshot(page, `staff-pending-sale-${language}`)

    const button =
      language === 'zh'
        ? note.getByRole('button', { name: '不是该经销商售出的', exact: true })
        : note.getByRole('button', { name: 'Confirm the sale', exact: true })
    await button.click()
    await page.getByTestId('pending-sale-answered').waitFor()
    assert.equal(await note.count(), 0, 'nothing waits once the sale is answered')

    const claim = await readJson<{ dealerOrgId: string | null }>(
      `/api/v1/claims/${encodeURIComponent(sale.claimId)}`,
    )
    const unit = await readJson<UnitRead>(`/api/v1/units/${encodeURIComponent(sale.serial)}`)
    assert.equal(unit.dealerConfirmed, true)
    if (language === 'en') {
      assert.equal(claim.dealerOrgId, sale.dealer.id, 'the confirmed dealer becomes the claim’s dealer')
      assert.equal(unit.dealer?.id, sale.dealer.id)
    } else {
      assert.equal(claim.dealerOrgId, null, 'a refused sale leaves the claim the seller’s')
      assert.equal(unit.dealer, null)
      assert.equal(unit.channel, 'direct')
    }
    assert.deepEqual(problems, [])
    await context.close()
  }
})
