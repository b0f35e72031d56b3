import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import {
  decideLiquidDamage,
  type Harness,
  openClaimPage,
  openCustomerClaim,
  PHONE,
  setDemoCustomerLocale,
  signedInApi,
  startHarness,
  stepClaim,
} from './browser-harness.ts'

/**
 * A quote that passed its last day, read by the people it concerns: a customer reading in
 * Chinese is told it can no longer be accepted and what to do instead, and is offered only
 * the answer that can still succeed; staff are told to send a new one.
 */
let harness: Harness
before(async () => {
  harness = await startHarness()
})
after(async () => {
  await harness?.close()
})

interface ClaimJson {
  id: string
  serial: string
  version: number
  allowedActions: string[]
}

test('a quote past its last day is explained in Chinese, offers only declining, and tells staff to send a new one', async () => {
  const claim = await openCustomerClaim<ClaimJson>(harness, '进水后无法开机。')

  const supportApi = await signedInApi(harness, 'support')
  await decideLiquidDamage(supportApi, claim)
  await stepClaim<ClaimJson>(supportApi, claim.id, 'send-quote', {
    lines: [
      { kind: 'parts', description: 'Main board', quantity: 1, unitPriceMinor: 12_000, payer: 'customer' },
    ],
    validDays: 14,
  })
  const quotes = async () =>
    (
      (await (
        await supportApi.request.get(`/api/v1/claims/${encodeURIComponent(claim.id)}/quotes`)
      ).json()) as {
        items: { id: string; validUntil: string | null; expired: boolean }[]
      }
    ).items
  const fresh = (await quotes()).at(-1)
  assert.ok(fresh?.validUntil, 'a quote sent now keeps its last day')
  assert.equal(fresh.expired, false)

  // Its last day passes: the quote is as it would be three weeks later.
  await harness.database.db
    .updateTable('claim_quotes')
    .set({ valid_until: '2026-01-10' })
    .where('id', '=', fresh.id)
    .execute()
  const stale = (await quotes()).at(-1)
  assert.deepEqual(
    { validUntil: stale?.validUntil, expired: stale?.expired },
    { validUntil: '2026-01-10', expired: true },
  )
  await supportApi.close()

  // The customer reads in Chinese.
  const _customer = await setDemoCustomerLocale(harness, 'zh')
  const portal = await openClaimPage(harness, 'customer', claim.id, PHONE, {
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  })
  const notice = portal.page.getByTestId('quote-expired')
  await notice.waitFor({ timeout: 10_000 })
  const said = ((await notice.textContent()) ?? '').replace(/\s+/g, '')
  assert.match(said, /本报价已于2026年1月10日过期，不能再接受/)
  assert.equal(await portal.page.getByRole('button', { name: '接受报价', exact: true }).count(), 0)
  assert.equal(await portal.page.getByRole('button', { name: '拒绝并寄回设备', exact: true }).count(), 1)
  assert.equal(await portal.page.getByTestId('quote-valid-until').count(), 0)

  // Staff see why the customer cannot accept it, and what to do.
  const desk = await openClaimPage(harness, 'support', claim.id)
  const staffNotice = desk.page.getByTestId('quote-expired')
  await staffNotice.waitFor({ timeout: 10_000 })
  assert.match(
    (await staffNotice.textContent()) ?? '',
    /10 Jan 2026: the customer can no longer accept it\. Send a new quote/,
  )

  for (const watched of [portal, desk]) {
    assert.deepEqual(watched.problems, [])
    await watched.context.close()
  }
})

test('staff record a quote the customer accepted by phone, saying so, on the case page', async () => {
  const claim = await openCustomerClaim<ClaimJson>(harness, 'Water got in; it no longer starts.')
  const supportApi = await signedInApi(harness, 'support')
  await decideLiquidDamage(supportApi, claim)
  await stepClaim<ClaimJson>(supportApi, claim.id, 'send-quote', {
    lines: [
      { kind: 'parts', description: 'Main board', quantity: 1, unitPriceMinor: 12_000, payer: 'customer' },
    ],
  })
  await supportApi.close()

  const desk = await openClaimPage(harness, 'support', claim.id)
  // The answer names the quote and says how the customer gave it, as the server asks of staff.
  await desk.page
    .getByLabel('How did the customer accept? (phone, e-mail, in the shop)')
    .fill('On the phone, 10:05')
  await desk.page.getByRole('button', { name: 'Accept quote', exact: true }).click()
  await desk.page.getByRole('button', { name: 'Accept quote', exact: true }).waitFor({ state: 'detached' })
  const accepted = (await (
    await desk.page.request.get(`/api/v1/claims/${encodeURIComponent(claim.id)}`)
  ).json()) as { state: string }
  assert.equal(accepted.state, 'quote-accepted')
  const events = (await (
    await desk.page.request.get(`/api/v1/claims/${encodeURIComponent(claim.id)}/events`)
  ).json()) as { items: { type: string; data: { note?: string } }[] }
  assert.equal(events.items.find((e) => e.type === 'quote.accepted')?.data.note, 'On the phone, 10:05')
  assert.deepEqual(desk.problems, [])
  await desk.context.close()
})
