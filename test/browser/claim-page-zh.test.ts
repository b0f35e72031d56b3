import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import {
  type Harness,
  jpegBytes,
  openClaimPage,
  openCustomerClaim,
  PHONE,
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

/**
 * Latin words left in the visible text of the page's main area once what stays as written is
 * taken out: what people wrote (`translate="no"`), codes, e-mail addresses and `asIs` (names, models, serials,
 * claim and RMA numbers); addresses are marked `translate="no"`. Short capitals count too: "RMA" is a word a Chinese reader
 * does not read.
 */
async function latinWordsOn(page: Page, asIs: string[]): Promise<string[]> {
  const lines = await page.evaluate(() => {
    const main = document.querySelector('main') ?? document.body
    const found: string[] = []
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement
      if (!parent || parent.closest('[translate="no"], code, address') || !parent.checkVisibility()) continue
      found.push(node.textContent ?? '')
    }
    return found
  })
  const longestFirst = [...asIs].filter((value) => value.length > 1).sort((a, b) => b.length - a.length)
  return (
    lines
      .map((line) => longestFirst.reduce((rest, value) => rest.replaceAll(value, ' '), line))
      // E-mail addresses the policies give for support.
      .map((line) => line.replace(/[\w.+-]+@[\w.-]+/g, ' '))
      // Claim and RMA numbers (C-1A2B3C4D, RMA-2026-000019) are written as they are.
      .map((line) => line.replace(/\b[A-Z0-9]+(?:-[A-Z0-9]+)+\b/g, ' '))
      // File formats are named by their letters in Chinese too.
      .map((line) => line.replace(/\b(PDF|JPEG|PNG|WebP|HEIC|MP4|MOV|WebM)\b/g, ' '))
      .filter((line) => /[A-Za-z]{2,}/.test(line))
      .map((line) => line.trim())
  )
}

/** What the page shows as it was written: the claim's own values and the demo's names. */
async function valuesAsWritten(claimId: string): Promise<string[]> {
  const { db } = harness.database
  const claim = await db
    .selectFrom('claims')
    .select(['serial', 'model'])
    .where('id', '=', claimId)
    .executeTakeFirstOrThrow()
  return [
    claim.serial,
    claim.model ?? '',
    ...(await db.selectFrom('product_models').select('name').execute()).map((r) => r.name),
    ...(await db.selectFrom('users').select('name').execute()).map((r) => r.name),
    ...(await db.selectFrom('customers').select('name').execute()).map((r) => r.name),
    ...(await db.selectFrom('organisations').select('name').execute()).map((r) => r.name),
    // Brands the policies' Chinese words keep as the brands write them.
    'Player One',
    'ToupTek',
  ]
}

test('a Chinese customer answers a question, has the return authorised and prints the page: no English word on it', async () => {
  const claim = await openCustomerClaim<{ id: string }>(harness, '开机几分钟后黑屏。')
  const staff = await signedInApi(harness, 'support')
  await stepClaim(staff, claim.id, 'request-info', { request: '请发送序列号标签的照片。' })
  const { page, context, problems } = await openClaimPage(harness, 'customer', claim.id, PHONE, {
    locale: 'zh-CN',
  })
  const form = page.getByTestId('thread-form')
  await form.getByTestId('open-question').waitFor()
  await form.locator('textarea').fill('照片已附上。')
  await form
    .locator('input[type=file]')
    .setInputFiles({ name: '标签.jpg', mimeType: 'image/jpeg', buffer: jpegBytes() })
  await form.getByRole('button', { name: '发送回复' }).click()
  await page.locator('[data-testid="claim-state"]:not([data-state="awaiting-info"])').waitFor()
  await page.locator('[data-testid="thread-item"][data-kind="info-reply"]').waitFor()

  await stepClaim(staff, claim.id, 'authorize-return')
  await page.reload()
  await page.getByTestId('claim-rma').waitFor()
  await page.waitForLoadState('networkidle')
  const asIs = [...(await valuesAsWritten(claim.id)), '标签.jpg']
  // The RMA number is named as the e-mails and the printed repair order name it.
  assert.match((await page.getByTestId('claim-rma').locator('..').textContent()) ?? '', /寄修授权号：RMA-/)
  assert.deepEqual(await latinWordsOn(page, asIs), [], 'on screen')
  await page.emulateMedia({ media: 'print' })
  assert.deepEqual(await latinWordsOn(page, asIs), [], 'on paper')
  assert.deepEqual(problems, [])
  await context.close()
  await staff.close()
})
