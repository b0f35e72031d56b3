import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import {
  type Harness,
  jpegBytes,
  openClaimOnIdleUnit,
  openClaimPage,
  PHONE,
  signedInApi,
  startHarness,
} from './browser-harness.ts'

let harness: Harness
before(async () => {
  harness = await startHarness()
})
after(async () => {
  await harness?.close()
})

const focused = (page: Page) =>
  page.evaluate(
    () => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent,
  )

test('a Chinese customer opens a photo of the claim from the keyboard, and Escape brings them back to it', async () => {
  const api = await signedInApi(harness, 'customer')
  const claim = await openClaimOnIdleUnit<{ id: string }>(api, '镜头上有划痕。')
  const { page, context, problems } = await openClaimPage(harness, 'customer', claim.id, PHONE, {
    locale: 'zh-CN',
  })
  const form = page.getByTestId('thread-form')
  await form.waitFor()
  await page.getByLabel('附上照片、视频或 PDF').setInputFiles({
    name: '划痕.jpg',
    mimeType: 'image/jpeg',
    buffer: jpegBytes(),
  })
  await form.locator('textarea').fill('见附图。')
  await form.getByRole('button', { name: '发送' }).click()

  const thumb = page.getByRole('button', { name: '放大查看 划痕.jpg' })
  await thumb.focus()
  await page.keyboard.press('Enter')
  const viewer = page.getByRole('dialog', { name: '划痕.jpg' })
  await viewer.waitFor()
  // The viewer covers the page: the keyboard is in it, not on the thumbnail behind it.
  assert.equal(await focused(page), '关闭')
  await page.keyboard.press('Escape')
  await viewer.waitFor({ state: 'detached' })
  assert.equal(await focused(page), '放大查看 划痕.jpg')

  // The close button does the same.
  await page.keyboard.press('Enter')
  await viewer.waitFor()
  await page.keyboard.press('Enter')
  await viewer.waitFor({ state: 'detached' })
  assert.equal(await focused(page), '放大查看 划痕.jpg')
  assert.deepEqual(problems, [])
  await context.close()
  await api.close()
})
