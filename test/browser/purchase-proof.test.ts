import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
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

/**
 * A claim of the demo customer on one of their idle units, made one its seller recorded with
 * no owner and no proof of purchase, with the invoice they attached: the proof waits for staff.
 */
async function claimWithOfferedProof(fileName: string): Promise<{ claimId: string; serial: string }> {
  const serial = await findIdleUnit(customerApi.request)
  await harness.database.db
    .updateTable('units')
    .set({ owner_customer_id: null, proof_of_purchase: 0 })
    .where('serial', '=', serial)
    .execute()
  const upload = await customerApi.request.post('/api/v1/files', {
    multipart: {
      kind: 'proof-of-purchase',
      files: { name: fileName, mimeType: 'image/jpeg', buffer: jpegBytes() },
    },
    headers: { 'x-csrf-token': customerApi.csrf },
  })
  assert.equal(upload.status(), 201, await upload.text())
  const fileId = ((await upload.json()) as { items: { id: string }[] }).items[0]?.id
  const opened = await customerApi.request.post('/api/v1/claims', {
    data: {
      serial,
      problem: { kind: 'malfunction', description: 'The cooler never reaches its set point.' },
      files: [fileId],
    },
    headers: { 'x-csrf-token': customerApi.csrf },
  })
  assert.equal(opened.status(), 201, await opened.text())
  return { claimId: ((await opened.json()) as { id: string }).id, serial }
}

const unitRow = (serial: string) =>
  harness.database.db
    .selectFrom('units')
    .select(['owner_customer_id', 'proof_of_purchase'])
    .where('serial', '=', serial)
    .executeTakeFirstOrThrow()

test('staff open the invoice a customer sent from the case page and accept it in English, naming the owner; refuse another in Chinese, saying why', async () => {
  const staff = findSignIn(harness, 'support')
  const customer = findSignIn(harness, 'customer')
  const customerId = (
    await harness.database.db
      .selectFrom('users')
      .select('customer_id')
      .where('email', '=', customer.email)
      .executeTakeFirstOrThrow()
  ).customer_id

  for (const [language, viewport] of [
    ['en', DESK],
    ['zh', PHONE],
  ] as const) {
    const fileName = language === 'en' ? 'invoice.jpg' : '发票.jpg'
    const { claimId, serial } = await claimWithOfferedProof(fileName)
    const { page, context, problems } = await openPage(harness, viewport)
    await signIn(page, staff.email, staff.password)
    if (language === 'zh') await page.evaluate(() => localStorage.setItem('aftercare.language', 'zh'))
    await page.goto(`/staff/claims/${encodeURIComponent(claimId)}`)
    const card = page.getByTestId('purchase-proof')
    await card.getByRole('heading', { name: language === 'en' ? 'Proof of purchase' : '购买凭证' }).waitFor()
    const link = card.getByRole('link', { name: fileName })
    assert.match(String(await link.getAttribute('href')), /^\/api\/v1\/files\//)
    await card.getByText(language === 'en' ? 'Waiting to be checked' : '等待审核').waitFor()
    assert.equal(await readHorizontalOverflow(page), 0)
    assert.deepEqual(await findAccessibilityGaps(page), [])
    await saveScreenshot(page, `staff-purchase-proof-${language}`)

    if (language === 'en') {
      const owner = card.getByLabel('Make the customer the unit’s owner')
      assert.equal(await owner.isChecked(), true, 'a unit nobody owns is offered to the claimant')
      await card.getByRole('button', { name: 'Accept proof of purchase', exact: true }).click()
      await card.getByText('Accepted', { exact: true }).waitFor()
      await page.getByTestId('timeline').getByText('Proof of purchase accepted').waitFor()
      assert.deepEqual(await unitRow(serial), { owner_customer_id: customerId, proof_of_purchase: 1 })
    } else {
      const reason = '发票上的序列号与此设备不符。'
      await card.getByLabel('凭证为何无效？（客户会看到此说明）').fill(reason)
      await card.getByRole('button', { name: '拒绝购买凭证', exact: true }).click()
      await card.getByText('未被认可：').waitFor()
      await page.getByTestId('timeline').getByText('购买凭证未被认可').waitFor()
      await page.getByTestId('timeline').getByText(reason).first().waitFor()
      assert.deepEqual(await unitRow(serial), { owner_customer_id: null, proof_of_purchase: 0 })
    }
    assert.equal(
      await card
        .getByRole('button', { name: language === 'en' ? 'Refuse proof of purchase' : '拒绝购买凭证' })
        .count(),
      0,
      'nothing waits once the proof is weighed',
    )
    await saveScreenshot(page, `staff-purchase-proof-${language}-weighed`)
    assert.deepEqual(problems, [])
    await context.close()
  }
})
