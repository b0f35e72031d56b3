import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import { pages } from '../../src/contracts/pages.ts'
import { testEngines } from '../../src/db/test-database.ts'
import {
  type Harness,
  jpegBytes,
  openPage,
  saveScreenshot,
  sendAndReadOutbox,
  setDemoCustomerLocale,
  signedInApi,
  startHarness,
  stepClaim,
} from './browser-harness.ts'

/**
 * The person's journey on the engine sellers scale out on: the same server, pages and mail
 * over PostgreSQL. Every other browser test runs on the embedded database.
 */
const onPostgres = testEngines().includes('postgres')
const CJK = /[\u4e00-\u9fff]/

/** Elements of `selector` a reader sees on the page as it is now laid out (screen or print). */
function visible(page: Page, selector: string): Promise<string[]> {
  return page.evaluate(
    (css) =>
      [...document.querySelectorAll(css)]
        .filter((el) => el.checkVisibility())
        .map((el) => `${el.tagName.toLowerCase()} ${(el.textContent ?? '').trim().slice(0, 40)}`),
    selector,
  )
}

describe('a Chinese customer answers a question on a server over PostgreSQL', {
  skip: onPostgres ? false : 'this run has no PostgreSQL database (AFTERCARE_TEST_PG_URL)',
}, () => {
  let harness: Harness
  before(async () => {
    harness = await startHarness({ engine: 'postgres' })
  })
  after(async () => {
    await harness?.close()
  })

  test('the question e-mailed in Chinese, its link through an e-mailed sign-in, the answer with a photo, the claim going on, the page printed', async () => {
    assert.equal(harness.ctx.engine, 'postgres')
    const customer = await setDemoCustomerLocale(harness, 'zh')
    const { db } = harness.database
    const owner = await db
      .selectFrom('users')
      .innerJoin('customers', 'customers.id', 'users.customer_id')
      .select(['customers.id', 'customers.email'])
      .where('users.email', '=', customer.email)
      .executeTakeFirstOrThrow()
    const claim = await db
      .selectFrom('claims')
      .select('id')
      .where('customer_id', '=', owner.id)
      .where('state', 'in', ['new', 'remote-diagnosis', 'authorized', 'received', 'inspected', 'decided'])
      .orderBy('opened_at')
      .executeTakeFirst()
    assert.ok(claim, 'the demo customer has a claim service may still question')
    const question = '请发送设备序列号标签的照片。'
    const staff = await signedInApi(harness, 'support')
    try {
      await stepClaim(staff, claim.id, 'request-info', { request: question })
    } finally {
      await staff.close()
    }

    const mail = (await sendAndReadOutbox(harness)).find(
      (m) => m.claimId === claim.id && m.to.includes(owner.email) && m.html.includes(question),
    )
    assert.ok(mail, 'the customer was e-mailed the question')
    assert.match(mail.subject, CJK, `the subject is in Chinese: ${mail.subject}`)
    const link = mail.links.find((l) => l.startsWith(harness.baseUrl))
    assert.ok(link, 'the e-mail links to the claim')

    const reader = await openPage(
      harness,
      { width: 375, height: 812 },
      {
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
      },
    )
    try {
      const { page } = reader
      await page.goto(link)
      await page.waitForURL((url) => url.pathname === '/sign-in')
      const customerForm = page.locator('form').nth(1)
      await customerForm.locator('input[type=email]').fill(owner.email)
      await customerForm.locator('button[type=submit]').click()
      await page.getByRole('status').first().waitFor()
      const signInMail = (await sendAndReadOutbox(harness)).find(
        (m) => m.to.includes(owner.email) && m.links.some((l) => l.includes('/sign-in/link')),
      )
      const signInLink = signInMail?.links.find((l) => l.includes('/sign-in/link'))
      assert.ok(signInLink, 'the sign-in link was e-mailed')
      await page.goto(signInLink)
      await page.waitForURL((url) => url.pathname === pages.claimFor('customer', claim.id))
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN')

      const open = page.getByTestId('open-question')
      await open.waitFor()
      assert.match((await open.textContent()) ?? '', /序列号标签/)
      const form = page.getByTestId('thread-form')
      await form.locator('textarea').fill('这是标签的照片。')
      await form
        .locator('input[type=file]')
        .setInputFiles({ name: 'label.jpg', mimeType: 'image/jpeg', buffer: jpegBytes() })
      await form.getByLabel('文件内容').selectOption('serial-photo')
      await form.locator('button[type=submit]').click()
      await page.locator('[data-testid="claim-state"]:not([data-state="awaiting-info"])').waitFor()
      await page.locator('[data-testid="thread-item"][data-kind="info-reply"]').waitFor()

      // What the answer carried is in the database the other instances read.
      const stored = await db
        .selectFrom('claims')
        .select(['state', 'case_json'])
        .where('id', '=', claim.id)
        .executeTakeFirstOrThrow()
      assert.notEqual(stored.state, 'awaiting-info')
      assert.ok(
        (JSON.parse(stored.case_json) as { evidence: string[] }).evidence.includes('serial-photo'),
        'the photo of the serial label is evidence of the case',
      )
      const files = await db.selectFrom('files').select('kind').where('claim_id', '=', claim.id).execute()
      assert.ok(files.some((f) => f.kind === 'serial-photo'))

      await page.emulateMedia({ media: 'print' })
      await saveScreenshot(page, 'postgres-journey-zh-print')
      assert.deepEqual(
        await visible(page, 'header nav, .skip-link, button, input, textarea, select, .button'),
        [],
        'nothing to click or type into on paper',
      )
      const printed = (await page.locator('main').textContent()) ?? ''
      assert.ok(printed.includes('这是标签的照片。'), 'the answer is on the printed page')
      assert.ok((await page.pdf({ format: 'A4' })).length > 0)
      assert.deepEqual(reader.problems, [])
    } finally {
      await reader.context.close()
    }
  })
})
