import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { localDate } from '../../src/shared/local-date.ts'
import {
  DESK,
  findIdleUnit,
  findSignIn,
  type Harness,
  jpegBytes,
  openPage,
  PHONE,
  saveScreenshot,
  setDemoCustomerLocale,
  signIn,
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

async function claimsOn(page: Page, serial: string): Promise<Array<{ id: string; number: string }>> {
  const answer = (await (await page.request.get('/api/v1/claims?limit=200')).json()) as {
    items: { id: string; number: string; serial: string }[]
  }
  return answer.items.filter((c) => c.serial === serial)
}

/** How many files the user with this address has uploaded. */
async function uploadedFilesOf(email: string): Promise<number> {
  const row = await harness.database.db
    .selectFrom('files')
    .innerJoin('users', 'users.id', 'files.uploaded_by')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('users.email', '=', email)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The address of the customer a unit is registered to, if anyone. */
async function ownerEmailOf(serial: string): Promise<string | undefined> {
  const row = await harness.database.db
    .selectFrom('units')
    .innerJoin('customers', 'customers.id', 'units.owner_customer_id')
    .select('customers.email')
    .where('units.serial', '=', serial)
    .executeTakeFirst()
  return row?.email
}

// The browser logs the refused upload as a failed resource; that is the point of the test.
const refusedUpload = [/status of 4\d\d/]

/** A PNG of one pixel: a proof of purchase the server recognises by its content. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
)

test('a failed upload leaves no claim behind', async () => {
  const customer = findSignIn(harness, 'customer')
  const portal = await openPage(harness, PHONE, { allow: refusedUpload })
  await signIn(portal.page, customer.email, customer.password)
  const serial = await findIdleUnit(portal.page.request)
  await portal.page.goto(`/my/claims/new?serial=${encodeURIComponent(serial)}`)
  await portal.page.getByLabel('Describe the fault').fill('The focuser stalls halfway out.')
  // Named like a photo, but the bytes are text: the server refuses it after reading them.
  await portal.page.getByTestId('file-drop-input').setInputFiles({
    name: 'focuser.jpg',
    mimeType: 'image/jpeg',
    buffer: Buffer.from('not really a picture, just words pretending to be one'),
  })
  await portal.page.getByText('focuser.jpg').waitFor()
  await portal.page.getByRole('button', { name: 'Send', exact: true }).click()
  await portal.page.getByText('A file could not be uploaded, so no claim was opened').waitFor()
  await saveScreenshot(portal.page, 'intake-upload-failed-phone')
  assert.match(new URL(portal.page.url()).pathname, /\/my\/claims\/new$/)
  assert.deepEqual(await claimsOn(portal.page, serial), [], 'no claim was opened')
  assert.deepEqual(portal.problems, [])
  await portal.context.close()
})

test('a second claim on a unit with an open one is refused with a link to it', async () => {
  const customer = findSignIn(harness, 'customer')
  const portal = await openPage(harness, DESK, { allow: [/status of 409/] })
  await signIn(portal.page, customer.email, customer.password)
  const serial = await findIdleUnit(portal.page.request)
  const fill = async () => {
    await portal.page.goto(`/my/claims/new?serial=${encodeURIComponent(serial)}`)
    await portal.page.getByLabel('Describe the fault').fill('The mount loses its alignment overnight.')
    await portal.page.getByRole('button', { name: 'Send', exact: true }).click()
  }
  await fill()
  await portal.page.waitForURL(
    (url) => /^\/my\/claims\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith('/new'),
  )
  const [open] = await claimsOn(portal.page, serial)
  assert.ok(open)
  await fill()
  const notice = portal.page.getByTestId('duplicate-claim')
  await notice.waitFor()
  assert.match((await notice.textContent()) ?? '', new RegExp(open.number))
  await saveScreenshot(portal.page, 'intake-duplicate-desk')
  await notice.getByRole('link').click()
  await portal.page.waitForURL((url) => url.pathname === `/my/claims/${encodeURIComponent(open.id)}`)
  assert.equal((await claimsOn(portal.page, serial)).length, 1, 'no second claim')
  assert.deepEqual(portal.problems, [])
  await portal.context.close()
})

test("the forms offer the customer's own today, not the UTC date", async () => {
  // 23:30 UTC today is 07:30 tomorrow in Shanghai, where the first customers are.
  const now = new Date()
  const instant = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 23, 30))
  const shanghaiToday = localDate(instant, 'Asia/Shanghai')
  assert.notEqual(shanghaiToday, instant.toISOString().slice(0, 10))
  const customer = findSignIn(harness, 'customer')
  const portal = await openPage(harness, PHONE, { timezoneId: 'Asia/Shanghai' })
  await portal.page.clock.setFixedTime(instant)
  await signIn(portal.page, customer.email, customer.password)

  // A unit bought this morning can be registered with this morning's date.
  await portal.page.goto('/my/units/new')
  assert.equal(await portal.page.locator('#reg-date').getAttribute('max'), shanghaiToday)

  // A claim is dated today where the customer is, and may not be dated later.
  const serial = await findIdleUnit(portal.page.request)
  await portal.page.goto(`/my/claims/new?serial=${encodeURIComponent(serial)}`)
  const claimDate = portal.page.locator('#claim-date')
  assert.equal(await claimDate.inputValue(), shanghaiToday)
  assert.equal(await claimDate.getAttribute('max'), shanghaiToday)
  assert.deepEqual(portal.problems, [])
  await portal.context.close()
})

test('a claim on a unit not on file asks the customer for the proof of purchase, then leads them to register it, and back to the claim', async () => {
  const customer = findSignIn(harness, 'customer')
  const portal = await openPage(harness, PHONE)
  await signIn(portal.page, customer.email, customer.password)
  const serial = `NEW-${Date.now()}`
  await portal.page.goto(`/my/claims/new?serial=${encodeURIComponent(serial)}`)
  await portal.page.getByLabel('Describe the fault').fill('It does not power on at all.')
  await portal.page.getByRole('button', { name: 'Send', exact: true }).click()
  // Asked first for the proof of purchase, as of any serial that is not the customer's.
  await portal.page.getByText(/is not registered to you; attach your proof of purchase/).waitFor()
  await portal.page
    .getByTestId('file-drop-input')
    .setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: PNG })
  await portal.page.getByText('receipt.png').waitFor()
  await portal.page.getByLabel('What does this file show?').selectOption({ label: 'Proof of purchase' })
  await portal.page.getByRole('button', { name: 'Send', exact: true }).click()
  const note = portal.page.getByTestId('unregistered-unit')
  await note.waitFor()
  assert.match((await note.textContent()) ?? '', new RegExp(serial))
  assert.equal(await claimsOn(portal.page, serial).then((c) => c.length), 0, 'no claim was opened')
  await note.getByRole('link').click()
  await portal.page.waitForURL((url) => url.pathname === '/my/units/new')
  assert.equal(await portal.page.locator('#reg-serial').inputValue(), serial)
  // Registered (as typed in lower case), the customer is back at the claim with what they wrote.
  await portal.page.locator('#reg-serial').fill(serial.toLowerCase())
  await portal.page.locator('#reg-model').selectOption({ index: 1 })
  await portal.page.locator('#reg-date').fill(localDate(new Date(), 'UTC'))
  // The registry registers no unit to a customer without their proof of purchase: the one
  // attached to the claim goes with it, by its id, and the customer is not asked for it again.
  assert.match((await portal.page.getByTestId('held-proof').textContent()) ?? '', /receipt\.png/)
  assert.equal(await portal.page.locator('#reg-proof').getAttribute('required'), null)
  const uploadsBefore = await uploadedFilesOf(customer.email)
  await portal.page.locator('form button[type=submit]').click()
  await portal.page.waitForURL((url) => url.pathname === '/my/claims/new')
  assert.equal(new URL(portal.page.url()).searchParams.get('serial'), serial, 'the serial as registered')
  assert.equal(await uploadedFilesOf(customer.email), uploadsBefore, 'the proof was not sent again')
  assert.equal(await ownerEmailOf(serial), customer.email, 'the unit is registered to the customer')
  assert.equal(
    await portal.page.getByLabel('Describe the fault').inputValue(),
    'It does not power on at all.',
  )
  // The browser logs the refused intake (400) as a failed resource; that is the point of the test.
  assert.deepEqual(
    portal.problems.filter((p) => !refusedUpload.some((r) => r.test(p))),
    [],
  )
  await portal.context.close()
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
