import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Response } from 'playwright-core'
import { enqueueEmail } from '../../src/notify/index.ts'
import {
  type Harness,
  openPage,
  sendAndReadOutbox,
  setDemoCustomerLocale,
  signedInApi,
  signInPageAs,
  startHarness,
} from './browser-harness.ts'

let harness: Harness
before(async () => {
  harness = await startHarness()
})
after(async () => {
  await harness?.close()
})

const reminderTo = (to: string) => ({
  to,
  template: 'quote.last-day-near',
  locale: 'zh' as const,
  claimId: 'claim-reminded',
  data: {
    claimNumber: 'C-77',
    quoteNumber: 'C-77-Q',
    currency: 'CNY',
    totalCustomerMinor: 12800,
    validUntil: '2026-12-08',
    serial: 'SN-77',
  },
})

test('a Chinese customer follows the unsubscribe link of a reminder from an English browser: the page says in Chinese that reminders stopped, and the profile shows it', async () => {
  const customer = await setDemoCustomerLocale(harness, 'zh')
  await enqueueEmail(harness.database.db, reminderTo(customer.email))
  const link = (await sendAndReadOutbox(harness))
    .filter((mail) => mail.to.includes(customer.email) && mail.subject.includes('C-77'))
    .flatMap((mail) => mail.links)
    .find((l) => new URL(l).pathname === '/unsubscribe')
  assert.ok(link, 'the reminder carries an unsubscribe link')
  const { page, context, problems } = await openPage(harness, undefined, { locale: 'en-US' })
  try {
    await page.goto(link)
    // Opening the link stops nothing: a scanner that follows links must not unsubscribe anyone.
    const confirm = page.getByRole('button', { name: '停止发送这些邮件' })
    await confirm.waitFor()
    assert.notEqual(
      await enqueueEmail(harness.database.db, reminderTo(customer.email)),
      null,
      'a reminder is still written before the reader confirms',
    )
    await confirm.click()
    const status = page.getByTestId('unsubscribed')
    await status.waitFor()
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN')
    const said = (await status.textContent()) ?? ''
    assert.match(said, /将不再收到报价到期前的提醒/)
    assert.ok(said.includes(customer.email.toLowerCase()), said)
    assert.equal(
      await enqueueEmail(harness.database.db, reminderTo(customer.email)),
      null,
      'no reminder is written any more',
    )
    // The same choice shows on the customer's own page, where it can be turned back on.
    await signInPageAs(harness, page, 'customer')
    // The reader keeps reading Chinese (the page above only borrowed the mail's language).
    await page.evaluate(() => localStorage.setItem('aftercare.language', 'zh'))
    await page.goto('/my/profile')
    const box = page.getByTestId('mail-preferences').getByRole('checkbox', { name: '报价到期前一天的提醒' })
    await box.waitFor()
    assert.equal(await box.isChecked(), false)
    await box.check()
    await page.getByTestId('mail-preferences').getByRole('status').waitFor()
    assert.equal(await box.isChecked(), true)
    assert.ok(await enqueueEmail(harness.database.db, reminderTo(customer.email)), 'reminders come again')
    assert.deepEqual(problems, [])
  } finally {
    await context.close()
  }
})

test('the link in a reminder to an address staff typed in for a buyer opens the page, and once confirmed no reminder goes there, for that buyer or anyone else', async () => {
  const staff = await signedInApi(harness, 'admin')
  const { page, context, problems } = await openPage(harness, undefined, { locale: 'en-US' })
  try {
    const typed = `Typed.Buyer-${Date.now()}@Example.com`
    const sale = await staff.request.post('/api/v1/units', {
      headers: { 'x-csrf-token': staff.csrf },
      data: {
        serial: `TYPED-${Date.now()}`,
        model: 'beijing-ist-ist-obspc-mini',
        purchasedOn: '2025-01-10',
        channel: 'direct',
        ownerEmail: typed,
      },
    })
    assert.equal(sale.status(), 201, await sale.text())
    const buyer = ((await sale.json()) as { ownerCustomerId: string }).ownerCustomerId
    const address = typed.toLowerCase()
    const reminder = { ...reminderTo(typed), locale: 'en' as const, person: { customerId: buyer } }
    assert.ok(await enqueueEmail(harness.database.db, reminder), 'the buyer is reminded')
    const link = (await sendAndReadOutbox(harness))
      .filter((mail) => mail.to.toLowerCase().includes(address))
      .flatMap((mail) => mail.links)
      .find((l) => new URL(l).pathname === '/unsubscribe')
    assert.ok(link, 'the reminder to the typed address carries an unsubscribe link')
    await page.goto(link)
    const confirm = page.getByRole('button', { name: 'Stop these e-mails' })
    await confirm.waitFor()
    await confirm.click()
    const status = page.getByTestId('unsubscribed')
    await status.waitFor()
    assert.ok(((await status.textContent()) ?? '').includes(address))
    assert.equal(await enqueueEmail(harness.database.db, reminder), null, 'not to the buyer')
    assert.equal(
      await enqueueEmail(harness.database.db, {
        ...reminderTo(address.toUpperCase()),
        person: { customerId: `someone-else-${Date.now()}` },
      }),
      null,
      'nor to anyone else mail at the address is meant for',
    )
    assert.deepEqual(problems, [])
  } finally {
    await context.close()
    await staff.close()
  }
})

/** The answer to saving a mail preference, the moment the server holds the choice. */
const isPreferenceSave = (response: Response): boolean =>
  response.url().endsWith('/api/v1/me/mail-preferences') && response.request().method() === 'PUT'

test('a manager stops reliability warnings on the reliability page, in Chinese, and none is written after', async () => {
  const { page, context, problems } = await openPage(harness, undefined, { locale: 'zh-CN' })
  try {
    await signInPageAs(harness, page, 'manager')
    await page.goto('/staff/reliability')
    const card = page.getByTestId('mail-preferences')
    const box = card.getByRole('checkbox', { name: '可靠性检查的预警' })
    await box.waitFor()
    assert.equal(await box.isChecked(), true)
    // The box follows the click at once; the choice holds once the server has answered.
    const stopped = page.waitForResponse(isPreferenceSave)
    await box.uncheck()
    await stopped
    await card.getByRole('status').waitFor()
    const me = (await (await page.request.get('/api/v1/auth/me')).json()) as { user: { email: string } }
    const warning = {
      to: me.user.email,
      template: 'reliability.warning',
      locale: 'zh' as const,
      data: {
        modelId: 'm1',
        modelName: 'Model One',
        scope: 'model',
        month: '2026-11',
        level: 'caution',
        observed: 9,
        expected: 2.5,
        pValue: 0.01,
        reference: 'fitted curve',
      },
    }
    assert.equal(await enqueueEmail(harness.database.db, warning), null)
    const resumed = page.waitForResponse(isPreferenceSave)
    await box.check()
    assert.equal((await resumed).status(), 200)
    assert.ok(await enqueueEmail(harness.database.db, warning))
    assert.deepEqual(problems, [])
  } finally {
    await context.close()
  }
})

test('an unsubscribe link cut short says so in English and changes nothing', async () => {
  const { page, context } = await openPage(harness, undefined, { locale: 'en-GB' })
  try {
    await page.goto('/unsubscribe?token=u1.cut&lang=en')
    await page.getByRole('button', { name: 'Stop these e-mails' }).click()
    const alert = page.getByRole('alert')
    await alert.waitFor()
    assert.match((await alert.textContent()) ?? '', /not valid/)
    assert.equal(await page.getAttribute('html', 'lang'), 'en')
  } finally {
    await context.close()
  }
})
