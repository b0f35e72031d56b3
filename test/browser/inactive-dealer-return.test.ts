import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import {
  findSignIn,
  type Harness,
  openClaimPage,
  PHONE,
  readHorizontalOverflow,
  saveScreenshot,
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

interface OpenedClaim {
  id: string
  provisionalDecision: { handler: string } | null
}

test("zh: a return the policy gives to a dealer the seller has since deactivated goes to the seller, and the customer's page says why", async () => {
  const customer = await signedInApi(harness, 'customer')
  const { db } = harness.database
  const customerId = (
    await db
      .selectFrom('users')
      .select('customer_id')
      .where('email', '=', findSignIn(harness, 'customer').email)
      .executeTakeFirstOrThrow()
  ).customer_id
  // Units Player One sold through a dealer that confirmed the sale, with no claim yet: its
  // policy has the dealer serve them. The demo customer is made their owner.
  const candidates = await db
    .selectFrom('units')
    .select(['serial', 'dealer_org_id'])
    .where('policy_id', '=', 'player-one')
    .where('dealer_org_id', 'is not', null)
    .where('dealer_confirmed', '=', 1)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('claims').select('id').whereRef('claims.serial', '=', 'units.serial'))),
    )
    .orderBy('purchased_on', 'desc')
    .limit(5)
    .execute()
  await db
    .updateTable('units')
    .set({ owner_customer_id: customerId })
    .where(
      'serial',
      'in',
      candidates.map((unit) => unit.serial),
    )
    .execute()
  let claim: { id: string; dealerOrgId: string } | undefined
  for (const unit of candidates) {
    const opened = await customer.request.post('/api/v1/claims', {
      headers: { 'x-csrf-token': customer.csrf },
      data: {
        serial: unit.serial,
        problem: { kind: 'malfunction', description: '相机工作几分钟后停止，没有图像。' },
        evidence: ['defect-media'],
      },
    })
    assert.equal(opened.status(), 201, await opened.text())
    const body = (await opened.json()) as OpenedClaim
    if (body.provisionalDecision?.handler === 'dealer') {
      claim = { id: body.id, dealerOrgId: unit.dealer_org_id ?? '' }
      break
    }
  }
  assert.ok(claim, `none of ${candidates.length} Player One units sold through a dealer is served by it`)
  const dealer = await db
    .selectFrom('organisations')
    .select('name')
    .where('id', '=', claim.dealerOrgId)
    .executeTakeFirstOrThrow()

  const manager = await signedInApi(harness, 'manager')
  const deactivated = await manager.request.post(`/api/v1/organisations/${claim.dealerOrgId}/deactivate`, {
    headers: { 'x-csrf-token': manager.csrf },
  })
  assert.equal(deactivated.status(), 200, await deactivated.text())
  const support = await signedInApi(harness, 'support')
  await stepClaim(support, claim.id, 'authorize-return')
  for (const api of [customer, manager, support]) await api.close()

  const { page, problems } = await openClaimPage(harness, 'customer', claim.id, PHONE, { locale: 'zh-CN' })
  await page.evaluate(() => localStorage.setItem('aftercare.language', 'zh'))
  await page.reload()
  const note = page.getByTestId('served-instead-of')
  await note.waitFor()
  const said = (await note.textContent()) ?? ''
  assert.ok(said.includes(`售出该设备的经销商 ${dealer.name} 已不再受理售后服务`), said)
  assert.match(said, /不要寄给该经销商/)
  const shipTo = await page.getByTestId('ship-to-address').locator('div').allTextContents()
  assert.ok(
    !shipTo.includes(dealer.name),
    `the unit goes to the seller, not ${dealer.name}: ${shipTo.join(' / ')}`,
  )
  assert.equal(await readHorizontalOverflow(page), 0)
  await saveScreenshot(page, 'inactive-dealer-return-zh')
  assert.deepEqual(problems, [])
})
