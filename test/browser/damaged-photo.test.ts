import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import {
  findIdleUnit,
  type Harness,
  jpegBytes,
  openPage,
  PHONE,
  saveScreenshot,
  setDemoCustomerLocale,
  signInPageAs,
  startHarness,
} from './browser-harness.ts'

let harness: Harness
before(async () => {
  harness = await startHarness()
})
after(async () => {
  await setDemoCustomerLocale(harness, 'en')
  await harness?.close()
})

/** A photo cut off in the middle, as a dropped connection or a full phone leaves it: a JPEG by its first bytes. */
const cutPhoto = () => jpegBytes().subarray(0, 3000)

for (const reader of [
  {
    language: 'en' as const,
    locale: 'en-GB',
    refusal: /^the file is damaged or incomplete: it does not read to its end as a JPEG image/,
  },
  {
    language: 'zh' as const,
    locale: 'zh-CN',
    refusal: /^文件已损坏或不完整，无法作为JPEG 图片完整读取/,
  },
]) {
  test(`a customer sending a damaged photo with a new claim reads why next to the file (${reader.language}), and no claim is opened`, async () => {
    await setDemoCustomerLocale(harness, reader.language)
    const { page, context, problems } = await openPage(harness, PHONE, {
      locale: reader.locale,
      allow: [/status of 415/],
    })
    await signInPageAs(harness, page, 'customer')
    const serial = await findIdleUnit(page.request)
    await page.goto(`/my/claims/new?serial=${encodeURIComponent(serial)}`)
    await page.locator('#claim-description').fill('The focuser stalls halfway out.')
    await page.getByTestId('file-drop-input').setInputFiles({
      name: 'focuser.jpg',
      mimeType: 'image/jpeg',
      buffer: cutPhoto(),
    })
    const row = page.locator('li').filter({ hasText: 'focuser.jpg' })
    await row.waitFor()
    await page.locator('form button[type="submit"]').click()
    const said = row.locator('.error-text')
    await said.waitFor()
    // Beside the file, the message needs no field name in front.
    assert.match((await said.textContent()) ?? '', reader.refusal)
    await saveScreenshot(page, `damaged-photo-intake-${reader.language}`)
    const claims = (await (await page.request.get('/api/v1/claims?limit=200')).json()) as {
      items: { serial: string; state: string }[]
    }
    assert.deepEqual(
      claims.items.filter((c) => c.serial === serial && c.state !== 'closed'),
      [],
      'no claim was opened',
    )
    assert.deepEqual(problems, [])
    await context.close()
  })
}

test('a Chinese customer attaching a damaged photo to a message reads why in Chinese, and nothing is posted', async () => {
  await setDemoCustomerLocale(harness, 'zh')
  const { page, context, problems } = await openPage(harness, PHONE, {
    locale: 'zh-CN',
    allow: [/status of 415/],
  })
  await signInPageAs(harness, page, 'customer')
  const claims = (await (await page.request.get('/api/v1/claims?limit=200')).json()) as {
    items: { id: string; state: string }[]
  }
  const claim = claims.items.find((c) => c.state !== 'closed')
  assert.ok(claim, 'the demo customer has an open claim')
  await page.goto(`/my/claims/${encodeURIComponent(claim.id)}`)
  const form = page.getByTestId('thread-form')
  await form.waitFor()
  const before = await page.getByTestId('thread-item').count()
  await page.getByLabel('附上照片、视频或 PDF').setInputFiles({
    name: '划痕照片.jpg',
    mimeType: 'image/jpeg',
    buffer: cutPhoto(),
  })
  await form.locator('textarea').fill('镜头上有划痕，见附图。')
  await form.getByRole('button', { name: '发送' }).click()
  const note = form.getByRole('alert')
  await note.waitFor()
  assert.match((await note.textContent()) ?? '', /文件已损坏或不完整，无法作为JPEG 图片完整读取/)
  await saveScreenshot(page, 'damaged-photo-thread-zh')
  assert.equal(await page.getByTestId('thread-item').count(), before, 'no message was posted')
  assert.deepEqual(problems, [])
  await context.close()
})
