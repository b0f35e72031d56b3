import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import {
  type Harness,
  openClaimPage,
  openCustomerClaim,
  PHONE,
  signedInApi,
  startHarness,
  stepClaim,
} from './browser-harness.ts'

let harness: Harness
/** The demo customer has few idle units: one claim with an open question serves every test here. */
let questioned: string
const QUESTION = 'Which firmware version does the unit show?'
before(async () => {
  harness = await startHarness()
  questioned = await claimWithQuestion(QUESTION)
})
after(async () => {
  await harness?.close()
})

const LANGUAGES = [
  { label: 'en', locale: 'en-GB', html: 'en' },
  { label: 'zh', locale: 'zh-CN', html: 'zh-CN' },
] as const

/** How often `needle` is written in the text a reader sees in the page's main area. */
async function countVisible(page: Page, needle: string): Promise<number> {
  // biome-ignore lint/performance/useDomNodeTextContent: hidden text is not read, so it must not count
  const text = await page.locator('main').innerText()
  return text.split(needle).length - 1
}

/** A claim of the demo customer on which service has asked `question`. */
async function claimWithQuestion(question: string): Promise<string> {
  const claim = await openCustomerClaim<{ id: string }>(harness, 'The screen flickers.')
  const staff = await signedInApi(harness, 'support')
  await stepClaim(staff, claim.id, 'request-info', { request: question })
  await staff.close()
  return claim.id
}

for (const language of LANGUAGES) {
  test(`the customer reads an open question once, over the box they answer it in (${language.label})`, async () => {
    const { page, context, problems } = await openClaimPage(harness, 'customer', questioned, PHONE, {
      locale: language.locale,
    })
    const form = page.getByTestId('thread-form')
    await form.getByTestId('open-question').waitFor()
    await page.getByTestId('timeline').waitFor()
    await page.waitForLoadState('networkidle')
    assert.equal(await page.getAttribute('html', 'lang'), language.html)
    assert.equal(await countVisible(page, QUESTION), 1)
    assert.match((await form.getByTestId('open-question').textContent()) ?? '', /firmware version/)
    assert.deepEqual(problems, [])
    await context.close()
  })
}

test('a conversation that holds only the open question does not read as empty above it (zh)', async () => {
  const { page, context, problems } = await openClaimPage(harness, 'customer', questioned, PHONE, {
    locale: 'zh-CN',
  })
  const thread = page.getByTestId('thread')
  await thread.getByTestId('open-question').waitFor()
  await page.waitForLoadState('networkidle')
  // biome-ignore lint/performance/useDomNodeTextContent: hidden text is not read, so it must not count
  const text = await thread.innerText()
  assert.doesNotMatch(text, /暂无消息/, text)
  assert.deepEqual(problems, [])
  await context.close()
})

// Last: it answers the question the tests above read.
test('the customer who sends the answer reads that it went, where the conversation has moved to', async () => {
  const { page, context, problems } = await openClaimPage(harness, 'customer', questioned, PHONE, {
    locale: 'zh-CN',
  })
  const form = page.getByTestId('thread-form')
  await form.getByTestId('open-question').waitFor()
  await form.locator('textarea').fill('固件版本 2.1。')
  await form.getByRole('button', { name: '发送回复' }).click()
  await page.locator('[data-testid="claim-state"]:not([data-state="awaiting-info"])').waitFor()
  const sent = page.getByTestId('thread-sent')
  await sent.waitFor()
  assert.equal(((await sent.textContent()) ?? '').trim(), '已发送。')
  // The answer is in the conversation once, as the reply to the question now shown above it.
  assert.equal(await countVisible(page, QUESTION), 1)
  await page.waitForFunction(() => {
    const note = document.querySelector('[data-testid="thread-sent"]')
    if (!note) return false
    const box = note.getBoundingClientRect()
    return box.top >= 0 && box.bottom <= window.innerHeight
  })
  assert.deepEqual(problems, [])
  await context.close()
})
