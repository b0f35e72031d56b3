import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import {
  DESK,
  findAccessibilityGaps,
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
} from './browser-harness.ts'

let harness: Harness
let customerApi: SignedInApi
before(async () => {
  harness = await startHarness()
  customerApi = await signedInApi(harness, 'customer')
})
after(async () => {
  await customerApi?.close()
  await harness?.close()
})

/** The demo customer registers a unit of their own with the invoice they upload: the proof waits for staff. */
async function registerWithProof(serial: string, fileName: string): Promise<string> {
  const upload = await customerApi.request.post('/api/v1/files', {
    multipart: {
      kind: 'proof-of-purchase',
      files: { name: fileName, mimeType: 'image/jpeg', buffer: jpegBytes() },
    },
    headers: { 'x-csrf-token': customerApi.csrf },
  })
  assert.equal(upload.status(), 201, await upload.text())
  const fileId = ((await upload.json()) as { items: { id: string }[] }).items[0]?.id as string
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
  assert.equal(((await registered.json()) as { proofOfPurchase: boolean }).proofOfPurchase, false)
  return fileId
}

const proofFlag = async (serial: string) =>
  Number(
    (
      await harness.database.db
        .selectFrom('units')
        .select('proof_of_purchase')
        .where('serial', '=', serial)
        .executeTakeFirstOrThrow()
    ).proof_of_purchase,
  )

test('staff weigh the proofs of purchase customers sent with their registrations from the queue in Chinese; the customer reads on their unit that it waits, then why it was refused', async () => {
  const stamp = Date.now().toString(36).toUpperCase()
  const accepted = `UPQ-A${stamp}`
  const refused = `UPQ-R${stamp}`
  await registerWithProof(accepted, '发票.jpg')
  await registerWithProof(refused, '收据.jpg')

  // The customer, in Chinese, reads that the proof waits for the service team.
  const customer = findSignIn(harness, 'customer')
  const mine = await openPage(harness, PHONE)
  await signIn(mine.page, customer.email, customer.password)
  await mine.page.evaluate(() => localStorage.setItem('aftercare.language', 'zh'))
  await mine.page.goto('/my')
  const refusedCard = mine.page.getByTestId('my-units').locator('li', { hasText: refused })
  await refusedCard.getByText('购买凭证正在等待售后团队审核').waitFor()

  const staff = findSignIn(harness, 'support')
  // The blank reason below is refused on purpose: its 400 is expected in the console.
  const { page, context, problems } = await openPage(harness, DESK, { allow: [/status of 400/] })
  await signIn(page, staff.email, staff.password)
  await page.evaluate(() => localStorage.setItem('aftercare.language', 'zh'))
  await page.goto('/staff')
  await page.getByRole('link', { name: '待审核的购买凭证' }).click()
  await page.waitForURL((url) => url.pathname === '/staff/unit-proofs')
  await page.getByRole('heading', { name: '等待审核的购买凭证' }).waitFor()
  const table = page.getByTestId('unit-proofs')
  const acceptedRow = table.locator(`tr[data-serial="${accepted}"]`)
  const refusedRow = table.locator(`tr[data-serial="${refused}"]`)
  const link = acceptedRow.getByRole('link', { name: '发票.jpg' })
  assert.match(String(await link.getAttribute('href')), /^\/api\/v1\/files\//)
  // Oldest first: the unit registered first is listed above the other.
  const serials = await table
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-serial')))
  assert.ok(serials.indexOf(accepted) < serials.indexOf(refused), serials.join(', '))
  assert.equal(await readHorizontalOverflow(page), 0)
  assert.deepEqual(await findAccessibilityGaps(page), [])
  await saveScreenshot(page, 'staff-unit-proofs-zh')

  await acceptedRow.getByRole('button', { name: '认可购买凭证', exact: true }).click()
  await page.getByTestId('unit-proofs-answered').getByText(`已认可 ${accepted} 的购买凭证`).waitFor()
  await acceptedRow.waitFor({ state: 'detached' })
  assert.equal(await proofFlag(accepted), 1)

  // What was done reads in the language the page is switched to, as the rest of the page does.
  await page.getByTestId('language-switch').click()
  await page.getByRole('heading', { name: 'Proofs of purchase awaiting review' }).waitFor()
  await page
    .getByTestId('unit-proofs-answered')
    .getByText(`Proof of purchase for ${accepted} accepted: the purchase is proven.`)
    .waitFor()
  await page.getByTestId('language-switch').click()
  await page.getByRole('heading', { name: '等待审核的购买凭证' }).waitFor()

  // A reason of blanks only is refused by the server: its message names the field as the row
  // labels it, what was done before is no longer said, and the row can be answered again.
  const reasonField = refusedRow.getByLabel('凭证为何无效？（客户会看到此说明）')
  const refuseButton = refusedRow.getByRole('button', { name: '拒绝购买凭证', exact: true })
  await reasonField.fill('   ')
  await refuseButton.click()
  await page.getByRole('alert').getByText('凭证为何无效？：必填', { exact: true }).waitFor()
  assert.equal(await page.getByTestId('unit-proofs-answered').count(), 0)
  assert.ok(await refuseButton.isEnabled())
  assert.ok(await refusedRow.getByRole('button', { name: '认可购买凭证', exact: true }).isEnabled())

  const reason = '收据上的型号与此设备不符。'
  await reasonField.fill(reason)
  await refuseButton.click()
  await page.getByTestId('unit-proofs-answered').getByText(`已拒绝 ${refused} 的购买凭证`).waitFor()
  assert.equal(await page.getByRole('alert').count(), 0)
  await refusedRow.waitFor({ state: 'detached' })
  assert.equal(await proofFlag(refused), 0)
  const mail = await harness.database.db
    .selectFrom('outbox_messages')
    .select(['payload', 'locale'])
    .where('topic', '=', 'unit.proof-refused')
    .where('recipient', '=', customer.email)
    .execute()
  assert.ok(
    mail.some((m) => (JSON.parse(m.payload) as { serial: string; reason: string }).reason === reason),
    'the customer is mailed the reason',
  )
  await saveScreenshot(page, 'staff-unit-proofs-zh-weighed')
  assert.deepEqual(problems, [])
  await context.close()

  await mine.page.reload()
  await refusedCard.getByText(`购买凭证未被认可：${reason}`).waitFor()
  const acceptedCard = mine.page.getByTestId('my-units').locator('li', { hasText: accepted })
  await acceptedCard.waitFor()
  assert.equal(
    await acceptedCard.getByTestId('unit-proof-status').count(),
    0,
    'a proven purchase says nothing',
  )
  assert.deepEqual(mine.problems, [])
  await mine.context.close()
})
