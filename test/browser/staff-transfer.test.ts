import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { createTestUser } from '../../src/auth/test-support.ts'
import {
  DESK,
  findAccessibilityGaps,
  findSignIn,
  type Harness,
  openPage,
  PHONE,
  readHorizontalOverflow,
  type SentMail,
  saveScreenshot,
  sendAndReadOutbox,
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

const to = (address: string) => (mail: SentMail) => mail.to.toLowerCase().includes(address.toLowerCase())

/** Owned demo units without an open claim (a unit does not change hands under one), each of another owner, in serial order. */
async function ownedUnits() {
  const rows = await harness.database.db
    .selectFrom('units as u')
    .innerJoin('customers as c', 'c.id', 'u.owner_customer_id')
    .select(['u.serial', 'u.purchased_on', 'c.id as ownerId', 'c.name as ownerName', 'c.email as ownerEmail'])
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('claims as k')
            .select('k.id')
            .whereRef('k.serial', '=', 'u.serial')
            .where('k.state', 'not in', ['closed', 'cancelled']),
        ),
      ),
    )
    .orderBy('u.serial')
    .execute()
  const seen = new Set<string>()
  return rows.filter((row) => !seen.has(row.ownerId) && seen.add(row.ownerId))
}

/** The owner offers the unit to a buyer through the API, as from their own page. */
async function offerAsOwner(ownerId: string, serial: string, toEmail: string) {
  const { headers } = await createTestUser(harness.database.db, { role: 'customer', customerId: ownerId })
  const offered = await harness.app.inject({
    method: 'POST',
    url: `/api/v1/units/${encodeURIComponent(serial)}/transfers`,
    headers,
    payload: { toEmail },
  })
  assert.equal(offered.statusCode, 201, offered.body)
}

/** Another clerk records a transfer behind the open page's back. */
/**
 * Another clerk records a transfer of the unit through the API, on the day the page offers: left
 * out, the day is the policy's own, which is already tomorrow for a policy east of the clerk.
 */
async function transferBehindTheBack(serial: string, toEmail: string, transferredOn: string) {
  const { headers } = await createTestUser(harness.database.db, { role: 'manager' })
  const moved = await harness.app.inject({
    method: 'POST',
    url: `/api/v1/units/${encodeURIComponent(serial)}/transfers`,
    headers,
    payload: { toEmail, toName: 'Behind The Back', transferredOn },
  })
  assert.equal(moved.statusCode, 201, moved.body)
}

const ownerOf = async (serial: string) =>
  (
    await harness.database.db
      .selectFrom('units as u')
      .innerJoin('customers as c', 'c.id', 'u.owner_customer_id')
      .select('c.email')
      .where('u.serial', '=', serial)
      .executeTakeFirstOrThrow()
  ).email

async function openUnit(page: Page, serial: string) {
  const loaded = page.waitForResponse(
    (response) => new URL(response.url()).pathname === `/api/v1/units/${encodeURIComponent(serial)}`,
  )
  await page.goto(`/staff/units/${encodeURIComponent(serial)}`)
  await loaded
  await page.getByTestId('staff-transfer-form').waitFor()
}

test('staff record a transfer from the unit page, which clears the pending offer and tells its buyer; a stale page gets the 409', async () => {
  const [unit] = await ownedUnits()
  assert.ok(unit)
  const serial = unit.serial
  const stamp = Date.now()
  const pendingBuyer = `pending.buyer.${stamp}@example.com`
  const newOwner = `new.owner.${stamp}@example.com`
  await offerAsOwner(unit.ownerId, serial, pendingBuyer)
  // The buyer chose Chinese for their mail on their profile.
  await harness.database.db
    .updateTable('customers')
    .set({ locale: 'zh', locale_chosen_at: new Date().toISOString() })
    .where('email', '=', pendingBuyer)
    .execute()

  const technician = findSignIn(harness, 'technician')
  // The browser reports the refused answers (400, 409); the page shows them, as checked below.
  const clerk = await openPage(harness, DESK, { allow: [/status of 40[09]/] })
  await signIn(clerk.page, technician.email, technician.password)
  // Staff reach the unit from the catalogue's unit list.
  await clerk.page.goto('/staff/catalogue')
  await clerk.page.getByLabel('Search by serial or customer').fill(serial)
  await clerk.page.getByRole('link', { name: serial, exact: true }).click()
  await clerk.page.waitForURL((url) => url.pathname === `/staff/units/${encodeURIComponent(serial)}`)
  const form = clerk.page.getByTestId('staff-transfer-form')
  await form.waitFor()
  await clerk.page.getByTestId('unit-owner').getByText(unit.ownerEmail).waitFor()
  const pending = form.getByTestId('staff-pending-offer')
  await pending.getByText(`An offer of this unit to ${pendingBuyer}`).waitFor()
  await pending.getByText('Recording the transfer withdraws that offer').waitFor()
  assert.equal(
    await form.getByLabel('Day of the transfer').getAttribute('min'),
    unit.purchased_on,
    'not before the purchase',
  )

  // A second tab left open on the same unit: it will show an owner the unit no longer has.
  const stale = await clerk.context.newPage()
  stale.on('pageerror', (error) => clerk.problems.push(`pageerror: ${error.message}`))
  await openUnit(stale, serial)

  // A day after today is refused by the server beside the field that holds it.
  await form.getByLabel('New owner’s e-mail address').fill(newOwner)
  await form.getByLabel('New owner’s name (optional)').fill('Nora Newowner')
  await form.getByLabel('Day of the transfer').evaluate((input: HTMLInputElement) => {
    input.removeAttribute('max')
    input.value = '2099-01-01'
  })
  await form.getByRole('button', { name: 'Record the transfer' }).click()
  const dateError = form.locator('[id$="-transferredOn-error"]').getByRole('alert')
  await dateError.waitFor()
  assert.match((await dateError.textContent()) ?? '', /^Day of the transfer/)
  assert.equal(await ownerOf(serial), unit.ownerEmail, 'nothing moved')

  await form.getByLabel('Day of the transfer').fill(unit.purchased_on ?? '')
  await form.getByRole('button', { name: 'Record the transfer' }).click()
  const done = form.getByTestId('staff-transfer-done')
  await done.getByText(`Recorded: ${newOwner} owns the unit`).waitFor()
  await done.getByText(`The offer to ${pendingBuyer} was withdrawn and they have been told.`).waitFor()
  await clerk.page.getByTestId('unit-owner').getByText(newOwner).waitFor()
  await clerk.page.getByTestId('staff-pending-offer').waitFor({ state: 'detached' })
  assert.equal(await ownerOf(serial), newOwner)
  await saveScreenshot(clerk.page, 'staff-transfer-done')

  // The tab still showing the former owner is refused, and says so; nothing moves.
  const staleForm = stale.getByTestId('staff-transfer-form')
  await staleForm.getByTestId('staff-pending-offer').waitFor()
  await staleForm.getByLabel('New owner’s e-mail address').fill(`someone.else.${stamp}@example.com`)
  await staleForm.getByRole('button', { name: 'Record the transfer' }).click()
  const refused = staleForm.getByTestId('staff-transfer-stale')
  await refused
    .getByText('Nothing was recorded: the owner of this unit changed after this page was loaded')
    .waitFor()
  await saveScreenshot(stale, 'staff-transfer-stale')
  assert.equal(await ownerOf(serial), newOwner, 'the stale page moved nothing')
  await refused.getByRole('button', { name: 'Reload the unit' }).click()
  await stale.getByTestId('unit-owner').getByText(newOwner).waitFor()
  await staleForm.getByTestId('staff-pending-offer').waitFor({ state: 'detached' })

  // The pending buyer is told once, in Chinese, without a word of the new owner.
  const sent = await sendAndReadOutbox(harness)
  const toBuyer = sent.filter(to(pendingBuyer))
  const withdrawn = toBuyer.filter((mail) => mail.subject.includes('已无法接受'))
  assert.equal(withdrawn.length, 1, toBuyer.map((mail) => mail.subject).join('\n'))
  const told = withdrawn[0]
  assert.ok(told)
  assert.match(told.subject, new RegExp(serial))
  assert.match(told.html, /已登记该设备的所有者变更/)
  assert.ok(told.html.includes(unit.ownerName), 'the buyer is told who offered the unit, whom they know')
  for (const leak of [newOwner, 'Nora Newowner', 'someone.else'])
    assert.ok(!told.html.includes(leak) && !told.subject.includes(leak), `the buyer is not told ${leak}`)
  // The new owner is told the unit is theirs, with a way to sign in and see it.
  const welcome = sent.filter(to(newOwner))
  assert.equal(welcome.length, 1, 'the new owner is told once')
  assert.match(welcome[0]?.subject ?? '', new RegExp(`\\(serial ${serial}\\) is now registered to you`))
  assert.ok(welcome[0]?.links.some((link) => link.startsWith(`${harness.baseUrl}/sign-in`)))
  assert.ok(
    !(welcome[0]?.html ?? '').includes(unit.ownerEmail),
    'the former owner’s address is not passed on',
  )
  assert.deepEqual(clerk.problems, [])
  await clerk.context.close()
})

test('the transfer form and its refusal of a stale page read in Chinese; the page fits a phone', async () => {
  const units = await ownedUnits()
  const unit = units[1]
  assert.ok(unit)
  const serial = unit.serial
  const stamp = Date.now()
  const pendingBuyer = `zh.pending.${stamp}@example.com`
  await offerAsOwner(unit.ownerId, serial, pendingBuyer)

  const manager = findSignIn(harness, 'manager')
  const { page, context, problems } = await openPage(harness, PHONE, { allow: [/status of 409/] })
  await signIn(page, manager.email, manager.password)
  await openUnit(page, serial)
  await page.getByTestId('language-switch').click()
  const form = page.getByTestId('staff-transfer-form')
  await form.getByRole('heading', { name: '登记所有者变更' }).waitFor()
  await form.getByLabel('新所有者电子邮箱').waitFor()
  await form.getByLabel('新所有者姓名（可选）').waitFor()
  await form.getByLabel('转让日期').waitFor()
  await form.getByText('不得晚于今天，也不得早于购买日期').waitFor()
  const pending = form.getByTestId('staff-pending-offer')
  await pending.getByText(`发给 ${pendingBuyer} 的转让，正在等待对方答复`).waitFor()
  await pending.getByText('登记转让将撤回该转让').waitFor()
  await page.getByTestId('unit-facts').getByText('所有者').waitFor()
  // The buyer's long address wraps inside the note instead of widening the page.
  assert.equal(await readHorizontalOverflow(page), 0, 'nothing sticks out sideways on a phone')
  assert.deepEqual(await findAccessibilityGaps(page), [])
  await saveScreenshot(page, 'staff-transfer-zh')

  // Another clerk records a transfer while this page is open: the page is told in Chinese.
  await transferBehindTheBack(
    serial,
    `zh.behind.${stamp}@example.com`,
    await form.getByLabel('转让日期').inputValue(),
  )
  await form.getByLabel('新所有者电子邮箱').fill(`zh.new.${stamp}@example.com`)
  await form.getByRole('button', { name: '登记转让' }).click()
  const refused = form.getByTestId('staff-transfer-stale')
  await refused.getByText('未登记任何内容：本页面加载后，该设备的所有者已变更').waitFor()
  await refused.getByRole('button', { name: '刷新设备信息' }).click()
  await page.getByTestId('unit-owner').getByText(`zh.behind.${stamp}@example.com`).waitFor()
  assert.equal(await ownerOf(serial), `zh.behind.${stamp}@example.com`)

  // Recorded again from the page in Chinese: the new owner, new to us, reads the mail in the
  // language the form offers first, the clerk's own.
  const zhOwner = `zh.next.${stamp}@example.com`
  assert.equal(await form.getByLabel('新所有者接收邮件的语言').inputValue(), 'zh')
  await form.getByLabel('新所有者电子邮箱').fill(zhOwner)
  await form.getByRole('button', { name: '登记转让' }).click()
  await form.getByTestId('staff-transfer-done').waitFor()
  const welcome = (await sendAndReadOutbox(harness)).filter(to(zhOwner))
  assert.equal(welcome.length, 1, 'the new owner is told once')
  assert.match(welcome[0]?.subject ?? '', /已登记在您名下/, welcome[0]?.subject)
  assert.deepEqual(problems, [])
  await context.close()
})

test('staff recording a transfer of a unit under an open claim are told which claim holds it, and nothing moves', async () => {
  const [held] = await harness.database.db
    .selectFrom('units as u')
    .innerJoin('claims as k', 'k.serial', 'u.serial')
    .innerJoin('customers as c', 'c.id', 'u.owner_customer_id')
    .select(['u.serial', 'k.id as claimId', 'c.email as ownerEmail'])
    .where('k.state', 'not in', ['closed', 'cancelled'])
    .orderBy('u.serial')
    .limit(1)
    .execute()
  assert.ok(held, 'the demo has a unit under an open claim')
  const technician = findSignIn(harness, 'technician')
  const clerk = await openPage(harness, DESK, { allow: [/status of 409/] })
  await signIn(clerk.page, technician.email, technician.password)
  await openUnit(clerk.page, held.serial)
  const form = clerk.page.getByTestId('staff-transfer-form')
  await form.getByLabel('New owner’s e-mail address').fill(`held.${Date.now()}@example.com`)
  await form.getByRole('button', { name: 'Record the transfer' }).click()
  const number = `C-${held.claimId.slice(0, 8).toUpperCase()}`
  await form.getByText(`Unit ${held.serial} has an open claim (${number})`).waitFor()
  await saveScreenshot(clerk.page, 'staff-transfer-open-claim')
  assert.equal(await ownerOf(held.serial), held.ownerEmail, 'nothing moved')
  // The same refusal in Chinese, and its link leads to the claim that holds the unit.
  await clerk.page.getByTestId('language-switch').click()
  await form.getByLabel('新所有者电子邮箱').fill(`held.zh.${Date.now()}@example.com`)
  await form.getByRole('button', { name: '登记转让' }).click()
  await form.getByText(`设备 ${held.serial} 有一个未结申请（${number}）`).waitFor()
  await form
    .getByTestId('open-claim-refusal')
    .getByRole('link', { name: `前往申请 ${number}` })
    .waitFor()
  await clerk.page.getByTestId('language-switch').click()
  await form.getByRole('link', { name: `Go to claim ${number}` }).click()
  await clerk.page.waitForURL((url) => url.pathname === `/staff/claims/${held.claimId}`)
  assert.equal(await ownerOf(held.serial), held.ownerEmail, 'nothing moved')
  assert.deepEqual(clerk.problems, [])
  await clerk.context.close()
})
