import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import {
  DESK,
  findAccessibilityGaps,
  findIdleUnit,
  findSignIn,
  type Harness,
  jpegBytes,
  openPage,
  PHONE,
  readHorizontalOverflow,
  type SignedInApi,
  saveScreenshot,
  signedInApi,
  signIn,
  startHarness,
  stepClaim,
} from './browser-harness.ts'

let harness: Harness
let customerApi: SignedInApi
let staffApi: SignedInApi
before(async () => {
  harness = await startHarness()
  customerApi = await signedInApi(harness, 'customer')
  staffApi = await signedInApi(harness, 'support')
})
after(async () => {
  await customerApi?.close()
  await staffApi?.close()
  await harness?.close()
})

async function uploadProof(fileName: string): Promise<string> {
  const upload = await customerApi.request.post('/api/v1/files', {
    multipart: {
      kind: 'proof-of-purchase',
      files: { name: fileName, mimeType: 'image/jpeg', buffer: jpegBytes() },
    },
    headers: { 'x-csrf-token': customerApi.csrf },
  })
  assert.equal(upload.status(), 201, await upload.text())
  return ((await upload.json()) as { items: { id: string }[] }).items[0]?.id as string
}

async function openClaim(serial: string, files: string[]): Promise<string> {
  const opened = await customerApi.request.post('/api/v1/claims', {
    data: {
      serial,
      problem: { kind: 'malfunction', description: 'The cooler never reaches its set point.' },
      files,
    },
    headers: { 'x-csrf-token': customerApi.csrf },
  })
  assert.equal(opened.status(), 201, await opened.text())
  return ((await opened.json()) as { id: string }).id
}

/** Staff bring the unit in and inspect it: the claim waits for its final decision. */
async function inspect(claimId: string, serial: string): Promise<void> {
  await stepClaim(staffApi, claimId, 'authorize-return')
  await stepClaim(staffApi, claimId, 'receive-unit')
  const inspected = await stepClaim<{ state: string }>(staffApi, claimId, 'record-inspection', {
    serialSeen: serial,
    sealsIntact: true,
    packaging: 'good',
    contentsReceived: [],
    findings: ['liquid-damage'],
    faultConfirmed: true,
    manufacturingDefect: false,
  })
  assert.equal(inspected.state, 'inspected')
}

const claimState = async (claimId: string) =>
  ((await (await staffApi.request.get(`/api/v1/claims/${claimId}`)).json()) as { state: string }).state

async function signInAsSupport(page: Page, language: 'en' | 'zh'): Promise<string> {
  const staff = findSignIn(harness, 'support')
  await signIn(page, staff.email, staff.password)
  if (language === 'zh') await page.evaluate(() => localStorage.setItem('aftercare.language', 'zh'))
  const row = await harness.database.db
    .selectFrom('users')
    .select('name')
    .where('email', '=', staff.email)
    .executeTakeFirstOrThrow()
  return row.name
}

test('in Chinese, staff see Decide held while the invoice the customer sent waits, follow it to the proof of purchase, accept it, and decide; the unit page shows the proof accepted, by whom and when', async () => {
  // A unit its seller recorded with no owner and no proof: the customer's invoice is the proof.
  const serial = await findIdleUnit(customerApi.request)
  await harness.database.db
    .updateTable('units')
    .set({ owner_customer_id: null, proof_of_purchase: 0 })
    .where('serial', '=', serial)
    .execute()
  const claimId = await openClaim(serial, [await uploadProof('发票.jpg')])
  await inspect(claimId, serial)

  const { page, context, problems } = await openPage(harness, DESK)
  const staffName = await signInAsSupport(page, 'zh')
  await page.goto(`/staff/claims/${encodeURIComponent(claimId)}`)
  const held = page.getByTestId('held-make-decision')
  const decide = held.getByRole('button', { name: '作出决定', exact: true })
  await decide.waitFor()
  assert.equal(await decide.isDisabled(), true, 'Decide cannot be pressed while the proof waits')
  await held.getByText('须先认可或拒绝客户提交的购买凭证，才能进行此步骤。').waitFor()
  assert.equal(
    await page.getByRole('button', { name: '作出决定', exact: true }).and(page.locator(':enabled')).count(),
    0,
    'no working Decide button beside the held one',
  )
  assert.equal(await readHorizontalOverflow(page), 0)
  assert.deepEqual(await findAccessibilityGaps(page), [])
  await saveScreenshot(page, 'staff-decision-held-zh')

  await held.getByRole('link', { name: '前往购买凭证' }).click()
  await page.waitForURL(/#purchase-proof$/)
  const card = page.getByTestId('purchase-proof')
  await card.getByRole('button', { name: '认可购买凭证', exact: true }).click()
  await card.getByText('已认可', { exact: true }).waitFor()

  // Weighed, the proof holds nothing: Decide is offered again, and taken.
  await held.waitFor({ state: 'detached' })
  const offered = page.getByRole('button', { name: '作出决定', exact: true })
  assert.equal(await offered.isEnabled(), true)
  await offered.click()
  await page.getByTestId('timeline').getByText('已作出决定').first().waitFor()
  assert.equal(await claimState(claimId), 'decided')

  // On the unit's page, the proof is shown accepted, with who accepted it.
  await page.goto(`/staff/units/${encodeURIComponent(serial)}`)
  const proofs = page.getByTestId('unit-proofs-of-purchase')
  await proofs.getByRole('heading', { name: '购买凭证' }).waitFor()
  const row = proofs.getByTestId('unit-proof')
  assert.equal(await row.count(), 1)
  assert.equal(await row.getAttribute('data-status'), 'accepted')
  await row.getByText('已认可', { exact: true }).waitFor()
  await row.getByText(staffName).waitFor()
  assert.equal(await row.getByRole('button').count(), 0, 'a proof weighed is not weighed again')
  assert.equal(await readHorizontalOverflow(page), 0)
  assert.deepEqual(await findAccessibilityGaps(page), [])
  await saveScreenshot(page, 'staff-unit-proofs-zh')
  assert.deepEqual(problems, [])
  await context.close()
})

test('staff see Decide held for the proof a customer filed with their registration, refuse it on the unit page saying why, and Decide is offered again and taken', async () => {
  const serial = `PHD-${Date.now().toString(36).toUpperCase()}`
  const fileId = await uploadProof('receipt.jpg')
  const units = (await (await customerApi.request.get('/api/v1/units?limit=1')).json()) as {
    items: { model: { id: string } }[]
  }
  const registered = await customerApi.request.post('/api/v1/units', {
    data: {
      serial,
      model: units.items[0]?.model.id,
      channel: 'direct',
      purchasedOn: new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10),
      proofFileId: fileId,
    },
    headers: { 'x-csrf-token': customerApi.csrf },
  })
  assert.equal(registered.status(), 201, await registered.text())
  const claimId = await openClaim(serial, [])
  await inspect(claimId, serial)

  const { page, context, problems } = await openPage(harness, DESK)
  const staffName = await signInAsSupport(page, 'en')
  await page.goto(`/staff/claims/${encodeURIComponent(claimId)}`)
  const held = page.getByTestId('held-make-decision')
  await held
    .getByText('Waits until the proof of purchase the customer sent is accepted or refused.')
    .waitFor()
  assert.equal(await held.getByRole('button', { name: 'Decide', exact: true }).isDisabled(), true)

  await page.getByRole('link', { name: 'Unit and owner' }).click()
  await page.waitForURL(`**/staff/units/${encodeURIComponent(serial)}`)
  const proofs = page.getByTestId('unit-proofs-of-purchase')
  const row = proofs.getByTestId('unit-proof')
  await row.getByText('Waiting to be checked').waitFor()
  assert.equal(await row.getByRole('link', { name: 'receipt.jpg' }).count(), 1)
  assert.equal(await readHorizontalOverflow(page), 0)
  assert.deepEqual(await findAccessibilityGaps(page), [])
  await saveScreenshot(page, 'staff-unit-proof-waiting-en')

  // No reason, no refusal: the customer is told why.
  const refuse = row.getByRole('button', { name: 'Refuse proof of purchase', exact: true })
  await refuse.click()
  assert.equal(await row.getAttribute('data-status'), 'offered')
  const reason = 'The receipt is for another serial.'
  await row.getByLabel('Why is it not valid? (the customer reads this)').fill(reason)
  await refuse.click()
  await proofs.getByText(`Proof of purchase for ${serial} refused; the customer is told why.`).waitFor()
  assert.equal(await row.getAttribute('data-status'), 'refused')
  await row.getByText(reason).waitFor()
  await row.getByText(staffName).waitFor()
  assert.equal(await row.getByRole('button').count(), 0)

  // Weighed, the proof holds the decision no more: Decide is offered, and taken.
  await page.goto(`/staff/claims/${encodeURIComponent(claimId)}`)
  const decide = page.getByRole('button', { name: 'Decide', exact: true })
  await decide.waitFor()
  assert.equal(await decide.isEnabled(), true)
  assert.equal(await page.getByTestId('held-make-decision').count(), 0)
  await page.getByTestId('purchase-proof').getByText(reason).waitFor()
  await decide.click()
  await page.getByTestId('timeline').getByText('Decision made').first().waitFor()
  assert.equal(await claimState(claimId), 'decided')

  // On a phone, the unit's proofs read in a column.
  await page.setViewportSize(PHONE)
  await page.goto(`/staff/units/${encodeURIComponent(serial)}`)
  await page.getByTestId('unit-proof').getByText(reason).waitFor()
  assert.equal(await readHorizontalOverflow(page), 0)
  await saveScreenshot(page, 'staff-unit-proof-refused-en-phone')
  assert.deepEqual(problems, [])
  await context.close()
})
