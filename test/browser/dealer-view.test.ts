import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import {
  DESK,
  findAccessibilityGaps,
  findIdleUnit,
  findSignIn,
  type Harness,
  openPage,
  PHONE,
  readHorizontalOverflow,
  saveScreenshot,
  signedInApi,
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

test('the dealer a claim names to serve works it on its claim page, in Chinese: return, receipt, inspection, decision', async () => {
  // Seed 004: "Purchase from dealer, we will provide warranty service through dealer."
  const dealerApi = await signedInApi(harness, 'dealer')
  const serial = await findIdleUnit(dealerApi.request)
  const opened = await dealerApi.request.post('/api/v1/claims', {
    data: {
      serial,
      problem: { kind: 'malfunction', description: 'No image once cooled' },
      evidence: ['defect-media'],
    },
    headers: { 'x-csrf-token': dealerApi.csrf },
  })
  assert.equal(opened.status(), 201, await opened.text())
  const claim = (await opened.json()) as { id: string; provisionalDecision: { handler: string } }
  assert.equal(claim.provisionalDecision.handler, 'dealer')
  await dealerApi.close()

  const dealer = findSignIn(harness, 'dealer', 0)
  const { page, context, problems } = await openPage(harness, DESK)
  await signIn(page, dealer.email, dealer.password)
  await page.evaluate(() => localStorage.setItem('aftercare.language', 'zh'))
  // The link every e-mail carries opens the dealer's own page of the claim.
  await page.goto(`/claims/${claim.id}`)
  await page.waitForURL(`**/dealer/claims/${claim.id}`)
  const step = async (name: string) => {
    const before = await page.locator('.timeline li').count()
    await page.getByRole('button', { name, exact: true }).click()
    await page.waitForFunction((n) => document.querySelectorAll('.timeline li').length > n, before)
  }
  await step('授权寄修')
  await page.getByTestId('repair-order').waitFor()
  await step('签收设备')
  const inspection = page.getByTestId('inspection-form')
  await inspection.getByLabel('保修封签完好').check()
  await inspection.getByLabel('故障已复现').check()
  await inspection.getByLabel('制造缺陷').check()
  // Everything of the standard package came back with the unit.
  for (const item of await inspection.getByTestId('package-item').locator('input[type=checkbox]').all())
    await item.check()
  await inspection.getByLabel('备注').fill('制冷后无图像，已复现。')
  await inspection.getByRole('button', { name: '记录检测结果', exact: true }).click()
  await page.getByTestId('inspection-summary').waitFor()
  await step('作出决定')

  // Staff tools stay staff's: no assignment, no unit record, no internal notes.
  assert.equal(await page.getByLabel('分配给').count(), 0)
  assert.equal(await page.getByText('内部备注').count(), 0)
  assert.equal(await page.locator('a[href^="/staff/"]').count(), 0)
  const served = (await (await page.request.get(`/api/v1/claims/${claim.id}`)).json()) as {
    state: string
    finalDecision: { handler: string } | null
    allowedActions: string[]
  }
  assert.equal(served.state, 'decided')
  assert.equal(served.finalDecision?.handler, 'dealer')
  // What comes next (a repair, or a new unit in the first days) is offered on the page too.
  const next = served.allowedActions
  assert.ok(next.includes('start-repair') || next.includes('issue-replacement'), next.join())
  await page
    .getByRole('button', { name: next.includes('start-repair') ? '开始维修' : '发出换货', exact: true })
    .first()
    .waitFor()
  // The decision speaks of the customer as the service side does, not to them.
  const decisionText = (await page.getByRole('region', { name: '处理决定' }).textContent()) ?? ''
  assert.match(decisionText, /客户/)
  assert.doesNotMatch(decisionText, /您（客户）/)
  await saveScreenshot(page, 'dealer-serves-claim-zh')
  assert.deepEqual(problems, [])
  await context.close()
})

test('the dealer desk lists the claims still to serve, and keeps ended ones apart', async () => {
  const dealerApi = await signedInApi(harness, 'dealer')
  const serial = await findIdleUnit(dealerApi.request)
  const opened = await dealerApi.request.post('/api/v1/claims', {
    data: {
      serial,
      problem: { kind: 'malfunction', description: 'Fan rattles' },
      evidence: ['defect-media'],
    },
    headers: { 'x-csrf-token': dealerApi.csrf },
  })
  assert.equal(opened.status(), 201, await opened.text())
  const claim = (await opened.json()) as { id: string; number: string }
  const cancelled = await dealerApi.request.post(`/api/v1/claims/${claim.id}/transitions/cancel`, {
    data: { reason: 'The customer found the fan cable loose' },
    headers: { 'x-csrf-token': dealerApi.csrf, 'if-match': String(opened.headers().etag) },
  })
  assert.equal(cancelled.status(), 200, await cancelled.text())
  await dealerApi.close()

  const dealer = findSignIn(harness, 'dealer', 0)
  const { page, context, problems } = await openPage(harness, DESK)
  await signIn(page, dealer.email, dealer.password)
  const ended = page.getByTestId('dealer-ended-claims')
  await ended.locator('summary').click()
  await ended.getByRole('link', { name: claim.number, exact: true }).waitFor()
  // Before, the cancelled claim stood among the claims to serve, with nothing left to do on it.
  const toServe = page.locator('section.page > .table-wrap').first()
  assert.equal(await toServe.getByRole('link', { name: claim.number, exact: true }).count(), 0)
  assert.deepEqual(await findAccessibilityGaps(page), [])
  assert.deepEqual(problems, [])
  await context.close()
})

test('the dealer desk shows when each claim to serve is due, as its clock says', async () => {
  const dealerApi = await signedInApi(harness, 'dealer')
  const serial = await findIdleUnit(dealerApi.request)
  const opened = await dealerApi.request.post('/api/v1/claims', {
    data: {
      serial,
      problem: { kind: 'malfunction', description: 'Cooler does not start' },
      evidence: ['defect-media'],
    },
    headers: { 'x-csrf-token': dealerApi.csrf },
  })
  assert.equal(opened.status(), 201, await opened.text())
  const claim = (await opened.json()) as { id: string; number: string }
  const queue = await dealerApi.request.get('/api/v1/claim-queue', { params: { limit: 200 } })
  const due = ((await queue.json()) as { items: { id: string; due: { dueAt: string } | null }[] }).items.find(
    (item) => item.id === claim.id,
  )?.due
  await dealerApi.close()
  assert.ok(due, 'a new claim has a first-response clock')

  const dealer = findSignIn(harness, 'dealer', 0)
  const { page, context, problems } = await openPage(harness, DESK)
  await signIn(page, dealer.email, dealer.password)
  const toServe = page.locator('section.page > .table-wrap').first()
  const row = toServe.locator('tr', { has: page.getByRole('link', { name: claim.number, exact: true }) })
  await row.waitFor()
  // The column was there, but every row read "—": the list the desk read carries no clocks.
  const shown = row.locator('.sla time')
  await shown.waitFor()
  assert.equal(await shown.getAttribute('datetime'), due.dueAt)
  assert.deepEqual(problems, [])
  await context.close()
})

test('a dealer that sold the unit but does not serve the claim reads its quote without the customer’s amounts, in both languages', async () => {
  const dealer = findSignIn(harness, 'dealer', 0)
  const quoted = (
    await harness.database.db
      .selectFrom('claims')
      .select(['id', 'serial', 'final_decision'])
      .where('quote_json', 'is not', null)
      .execute()
  ).find(
    (row) => (JSON.parse(row.final_decision ?? 'null') as { handler?: string } | null)?.handler !== 'dealer',
  )
  assert.ok(quoted, 'the demo has a quoted claim the seller serves')
  // Sold through this dealer, which thus sees the unit and the claim without serving it.
  const org = await readDealerOrg(dealer.email)
  await harness.database.db
    .updateTable('claims')
    .set({ dealer_org_id: org })
    .where('id', '=', quoted.id)
    .execute()
  await harness.database.db
    .updateTable('units')
    .set({ dealer_org_id: org })
    .where('serial', '=', quoted.serial)
    .execute()

  const { page, context, problems } = await openPage(harness, DESK)
  await signIn(page, dealer.email, dealer.password)
  for (const [language, note] of [
    ['en', /Only the costs your dealership pays are shown/],
    ['zh', /只显示贵经销商承担的费用/],
  ] as const) {
    await page.evaluate((l) => localStorage.setItem('aftercare.language', l), language)
    await page.goto(`/dealer/claims/${quoted.id}`)
    await page.getByTestId('quote-own-lines').waitFor()
    assert.match((await page.getByTestId('quote-own-lines').textContent()) ?? '', note)
    assert.equal(await page.getByTestId('quote-total').count(), 0, 'no total of the customer’s')
    assert.equal(await page.getByTestId('payment-total').count(), 0, 'no payment of the customer’s')
    const text = (await page.locator('main').textContent()) ?? ''
    assert.doesNotMatch(text, /undefined|NaN/, language)
  }
  await saveScreenshot(page, 'dealer-not-serving-quote')
  assert.deepEqual(problems, [])
  await context.close()
})
