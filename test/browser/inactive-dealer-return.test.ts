import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import {
  DESK,
  findSignIn,
  type Harness,
  openClaimPage,
  openPage,
  PHONE,
  readHorizontalOverflow,
  saveScreenshot,
  sendAndReadOutbox,
  signedInApi,
  signInPageAs,
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

test("zh: a dealer deactivated on the organisations page: the return on its way to it is re-addressed and listed, and one authorised after goes to the seller; the customers' pages say why", async () => {
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
  // Two claims the same dealer serves: one authorised while it is active, one after.
  const served: { id: string; dealerOrgId: string }[] = []
  for (const unit of candidates) {
    if (served.length === 2) break
    if (served[0] && unit.dealer_org_id !== served[0].dealerOrgId) continue
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
    if (body.provisionalDecision?.handler === 'dealer')
      served.push({ id: body.id, dealerOrgId: unit.dealer_org_id ?? '' })
  }
  const [before, claim] = served
  assert.ok(
    before && claim,
    `fewer than two of ${candidates.length} Player One units sold through one dealer are served by it`,
  )
  const dealer = await db
    .selectFrom('organisations')
    .select('name')
    .where('id', '=', claim.dealerOrgId)
    .executeTakeFirstOrThrow()
  const support = await signedInApi(harness, 'support')
  const authorisedBefore = await stepClaim<{ number: string; rma: { number: string } }>(
    support,
    before.id,
    'authorize-return',
  )

  // A manager deactivates the dealer on the organisations page, in Chinese: the return already
  // on its way to it is listed, re-addressed, with a link to its claim.
  const desk = await openPage(harness, DESK, { locale: 'zh-CN' })
  await signInPageAs(harness, desk.page, 'manager')
  await desk.page.goto('/staff/organisations')
  await desk.page.evaluate(() => localStorage.setItem('aftercare.language', 'zh'))
  await desk.page.reload()
  desk.page.on('dialog', (dialog) => void dialog.accept())
  await desk.page.locator(`tr[data-org="${claim.dealerOrgId}"] button`).click()
  const listed = desk.page.getByTestId('readdressed-returns')
  await listed.waitFor()
  const listedText = (await listed.textContent()) ?? ''
  assert.ok(listedText.includes(`原定寄往 ${dealer.name} 的寄修现改为寄给我们`), listedText)
  assert.ok(listedText.includes(authorisedBefore.rma.number), listedText)
  await saveScreenshot(desk.page, 'readdressed-returns-zh')
  await listed.getByRole('link', { name: authorisedBefore.number }).click()
  await desk.page.waitForURL(`**/staff/claims/${before.id}`)
  assert.deepEqual(desk.problems, [])
  await desk.context.close()

  await stepClaim(support, claim.id, 'authorize-return')
  for (const api of [customer, support]) await api.close()

  // The customer of the return authorised before is told where it goes now, on the page and by mail.
  const earlier = await openClaimPage(harness, 'customer', before.id, PHONE, { locale: 'zh-CN' })
  await earlier.page.evaluate(() => localStorage.setItem('aftercare.language', 'zh'))
  await earlier.page.reload()
  await earlier.page.getByTestId('served-instead-of').waitFor()
  const earlierShipTo = await earlier.page.getByTestId('ship-to-address').locator('div').allTextContents()
  assert.ok(!earlierShipTo.includes(dealer.name), earlierShipTo.join(' / '))
  assert.deepEqual(earlier.problems, [])
  await earlier.context.close()
  const mail = (await sendAndReadOutbox(harness)).find(
    (m) =>
      m.claimId === before.id &&
      m.subject.includes(authorisedBefore.rma.number) &&
      m.text.includes(dealer.name),
  )
  assert.ok(mail, 'the customer is e-mailed the new address')

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
