import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import {
  DESK,
  findAccessibilityGaps,
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

/** A demo claim with a running clock and one that already stopped, found in the clocks table. */
async function claimWithClocks(): Promise<string> {
  const rows = await harness.database.db
    .selectFrom('sla_clocks')
    .innerJoin('claims', 'claims.id', 'sla_clocks.claim_id')
    .select(['sla_clocks.claim_id', 'sla_clocks.status', 'claims.state'])
    .execute()
  const byClaim = new Map<string, Set<string>>()
  for (const row of rows) byClaim.set(row.claim_id, (byClaim.get(row.claim_id) ?? new Set()).add(row.status))
  const asked = rows.find(
    (row) =>
      row.status === 'running' &&
      ['authorized', 'received', 'inspected', 'decided'].includes(row.state) &&
      [...(byClaim.get(row.claim_id) ?? [])].some((status) => status !== 'running'),
  )
  assert.ok(asked, 'the demo has a claim with a running clock and a stopped one, past triage')
  return asked.claim_id
}

test('staff read every service level of a case, and a question pauses the running one, in English and Chinese', async () => {
  const claimId = await claimWithClocks()
  const staffApi = await signedInApi(harness, 'support')
  const listed = (await (await staffApi.request.get(`/api/v1/claims/${claimId}/clocks`)).json()) as {
    items: { status: string }[]
  }

  const english = await openClaimPage(harness, 'support', claimId, DESK)
  const card = english.page.getByTestId('clocks')
  await card.getByTestId('clock').first().waitFor()
  assert.equal(await card.getByTestId('clock').count(), listed.items.length, 'every clock of the claim')
  const text = (await card.textContent()) ?? ''
  assert.match(text, /Service levels/)
  assert.match(text, /On time|Due soon|Overdue/)
  assert.match(text, /Met|Overdue|Not needed/)
  assert.doesNotMatch(text, /undefined|NaN|Invalid Date/)
  assert.deepEqual(await findAccessibilityGaps(english.page), [])
  await saveScreenshot(english.page, 'case-clocks-en')

  // A question to the customer: the case's running clock stands still, and the card says so.
  await stepClaim(staffApi, claimId, 'request-info', { request: 'Please send a photo of the serial label.' })
  await english.page.reload()
  await card.locator('[data-testid="clock"][data-status="paused"]').waitFor()
  assert.match(
    (await card.locator('[data-testid="clock"][data-status="paused"]').first().textContent()) ?? '',
    /Paused, waiting on the customer/,
  )
  assert.deepEqual(english.problems, [])
  await english.context.close()

  const chinese = await openClaimPage(harness, 'support', claimId, PHONE, { locale: 'zh-CN' })
  await chinese.page.evaluate(() => localStorage.setItem('aftercare.language', 'zh'))
  await chinese.page.reload()
  const zhCard = chinese.page.getByTestId('clocks')
  await zhCard.getByText('服务时限', { exact: true }).waitFor()
  await zhCard.getByTestId('clock').first().waitFor()
  const zhText = (await zhCard.textContent()) ?? ''
  assert.match(zhText, /已暂停，等待客户回复/)
  assert.doesNotMatch(zhText, /[A-Za-z]{2,}/, zhText)
  assert.equal(await readHorizontalOverflow(chinese.page), 0)
  await saveScreenshot(chinese.page, 'case-clocks-zh')
  assert.deepEqual(chinese.problems, [])
  await chinese.context.close()
  await staffApi.close()
})

test('a clock whose calendar is defined nowhere says which hours it counts instead, in English and Chinese', async () => {
  const rows = await harness.database.db
    .selectFrom('sla_clocks')
    .innerJoin('claims', 'claims.id', 'sla_clocks.claim_id')
    .select(['sla_clocks.claim_id'])
    .where('sla_clocks.status', '=', 'running')
    .execute()
  const claimId = rows.at(-1)?.claim_id
  assert.ok(claimId, 'the demo has a claim with a running clock')
  // As a restored backup leaves it: the clocks name a stored calendar the database lacks.
  await harness.database.db
    .updateTable('sla_clocks')
    .set({ calendar: 'lost-workshop' })
    .where('claim_id', '=', claimId)
    .execute()

  const english = await openClaimPage(harness, 'support', claimId, DESK)
  const note = english.page.getByTestId('clocks').getByTestId('clock-fallback').first()
  await note.waitFor()
  assert.match(
    (await note.textContent()) ?? '',
    /Calendar lost-workshop is not defined here: this clock counts Monday to Friday, 09:00–18:00/,
  )
  assert.deepEqual(english.problems, [])
  await english.context.close()

  const chinese = await openClaimPage(harness, 'support', claimId, PHONE, { locale: 'zh-CN' })
  await chinese.page.evaluate(() => localStorage.setItem('aftercare.language', 'zh'))
  await chinese.page.reload()
  const zhNote = chinese.page.getByTestId('clocks').getByTestId('clock-fallback').first()
  await zhNote.waitFor()
  assert.match(
    (await zhNote.textContent()) ?? '',
    /日历 lost-workshop 在本系统中未定义.*周一至周五 09:00–18:00/,
  )
  assert.equal(await readHorizontalOverflow(chinese.page), 0)
  assert.deepEqual(chinese.problems, [])
  await chinese.context.close()
})
