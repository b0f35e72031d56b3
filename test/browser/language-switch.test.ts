import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import {
  findSignIn,
  type Harness,
  openPage,
  PHONE,
  readHorizontalOverflow,
  saveScreenshot,
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

test('switching to Chinese translates the page, sets <html lang> and is remembered after a reload', async () => {
  const serial = harness.demo.serials[1] ?? harness.demo.serials[0]
  assert.ok(serial)
  const { page, context, problems } = await openPage(harness, PHONE)
  await page.goto(`/warranty/${serial}`)
  await page.getByTestId('warranty-result').waitFor()
  assert.equal(await page.getAttribute('html', 'lang'), 'en')
  await page.getByTestId('language-switch').click()
  await page.getByRole('heading', { name: '查询保修' }).waitFor()
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN')
  assert.equal(await page.evaluate(() => localStorage.getItem('aftercare.language')), 'zh')
  await page.reload()
  await page.getByRole('heading', { name: '查询保修' }).waitFor()
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN')
  assert.match((await page.getByTestId('warranty-result').textContent()) ?? '', /保修政策/)
  assert.equal(await readHorizontalOverflow(page), 0)
  await saveScreenshot(page, 'language-zh-phone')
  await page.getByTestId('language-switch').click()
  await page.getByRole('heading', { name: 'Check your warranty' }).waitFor()
  assert.equal(await page.getAttribute('html', 'lang'), 'en')
  assert.deepEqual(problems, [])
  await context.close()
})

test('a Chinese browser gets Chinese on its first visit', async () => {
  const { page, context, problems } = await openPage(harness, PHONE, { locale: 'zh-CN', colorScheme: 'dark' })
  await page.goto('/')
  await page.getByRole('heading', { name: '查询保修' }).waitFor()
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN')
  await saveScreenshot(page, 'language-zh-dark-first-visit')
  assert.deepEqual(problems, [])
  await context.close()
})

test('a customer who switches to Chinese has the profile language, which e-mails and documents follow, set to Chinese; the profile sets it back', async () => {
  const customer = findSignIn(harness, 'customer')
  const localeOf = async () =>
    (
      await harness.database.db
        .selectFrom('customers as c')
        .innerJoin('users as u', 'u.customer_id', 'c.id')
        .select('c.locale')
        .where('u.email', '=', customer.email)
        .executeTakeFirstOrThrow()
    ).locale
  assert.equal(await localeOf(), 'en')
  const { page, context, problems } = await openPage(harness, PHONE)
  await signIn(page, customer.email, customer.password)
  const saved = page.waitForResponse(
    (r) => r.url().endsWith('/api/v1/me/profile') && r.request().method() === 'PATCH',
  )
  await page.getByTestId('language-switch').click()
  assert.equal((await saved).status(), 200)
  assert.equal(await localeOf(), 'zh')
  // The page remembers the language only after the profile is saved and Chinese is loaded; leaving
  // before then would land on the profile page in English.
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN')
  let profileReads = 0
  page.on('request', (r) => {
    if (r.method() === 'GET' && r.url().endsWith('/api/v1/me/profile')) profileReads++
  })
  await page.goto('/my/profile')
  const select = page.locator('#profile-locale')
  assert.equal(await select.inputValue(), 'zh')
  assert.equal(profileReads, 1, 'the page reads the profile once')
  await page.getByLabel('邮件和文件的语言').selectOption('en')
  await page.getByTestId('contact-form').getByRole('button').click()
  await page.getByRole('status').waitFor()
  assert.equal(await localeOf(), 'en')
  // Switched in the header while on the page (to English, then back to Chinese), the select
  // follows, so saving the form keeps the language just chosen.
  const selectShows = (locale: string) =>
    page.waitForFunction(
      (want) => (document.querySelector('#profile-locale') as HTMLSelectElement | null)?.value === want,
      locale,
    )
  await page.getByTestId('language-switch').click()
  await page.getByRole('heading', { name: 'My profile' }).waitFor()
  await page.getByTestId('language-switch').click()
  await page.getByRole('heading', { name: '我的资料' }).waitFor()
  await selectShows('zh')
  await page.getByTestId('contact-form').getByRole('button').click()
  await page.getByRole('status').waitFor()
  assert.equal(await localeOf(), 'zh')
  await page.getByLabel('邮件和文件的语言').selectOption('en')
  await page.getByTestId('contact-form').getByRole('button').click()
  await page.getByRole('status').waitFor()
  assert.equal(await localeOf(), 'en')
  assert.deepEqual(problems, [])
  await context.close()
})

test('a customer reading in Chinese whose e-mails go out in English is told so on /my and can switch them', async () => {
  const customer = findSignIn(harness, 'customer')
  const setLocale = (locale: 'en' | 'zh') =>
    harness.database.db
      .updateTable('customers')
      .set({ locale })
      .where('id', 'in', (eb) =>
        eb.selectFrom('users').select('customer_id').where('email', '=', customer.email),
      )
      .execute()
  await setLocale('en')
  const { page, context, problems } = await openPage(harness, PHONE, { locale: 'zh-CN' })
  // The sign-in helper reads English labels; in Chinese sign in through the API instead.
  const signedIn = await page.request.post('/api/v1/auth/sign-in', {
    data: { email: customer.email, password: customer.password },
  })
  assert.equal(signedIn.status(), 200)
  await page.goto('/my')
  const note = page.getByTestId('mail-language-note')
  await note.waitFor()
  assert.match((await note.textContent()) ?? '', /英文/)
  await note.getByRole('button').click()
  await note.waitFor({ state: 'detached' })
  const row = await harness.database.db
    .selectFrom('customers as c')
    .innerJoin('users as u', 'u.customer_id', 'c.id')
    .select('c.locale')
    .where('u.email', '=', customer.email)
    .executeTakeFirstOrThrow()
  assert.equal(row.locale, 'zh')
  await setLocale('en')
  assert.deepEqual(problems, [])
  await context.close()
})

test('a customer who switches /my to Chinese is not told their e-mails still go out in English: the switch moved them too', async () => {
  const customer = findSignIn(harness, 'customer')
  const setLocale = (locale: 'en' | 'zh') =>
    harness.database.db
      .updateTable('customers')
      .set({ locale })
      .where('id', 'in', (eb) =>
        eb.selectFrom('users').select('customer_id').where('email', '=', customer.email),
      )
      .execute()
  await setLocale('en')
  const { page, context, problems } = await openPage(harness, PHONE)
  await signIn(page, customer.email, customer.password)
  await page.goto('/my')
  await page.getByRole('heading', { name: 'My units and claims' }).waitFor()
  await page.waitForLoadState('networkidle')
  assert.equal(
    await page.getByTestId('mail-language-note').count(),
    0,
    'page and e-mails are both in English',
  )
  await page.getByTestId('language-switch').click()
  await page.getByRole('heading', { name: '我的设备与申请' }).waitFor()
  await page.waitForLoadState('networkidle')
  const note = page.getByTestId('mail-language-note')
  assert.equal(await note.count(), 0, `a note still says: ${await note.allTextContents()}`)
  // And back: the note does not claim the e-mails are still in Chinese either.
  await page.getByTestId('language-switch').click()
  await page.getByRole('heading', { name: 'My units and claims' }).waitFor()
  await page.waitForLoadState('networkidle')
  assert.equal(await note.count(), 0, `a note still says: ${await note.allTextContents()}`)
  await setLocale('en')
  assert.deepEqual(problems, [])
  await context.close()
})

test('a dealer who switches to Chinese has their e-mails in Chinese from then on, and back in English', async () => {
  const dealer = findSignIn(harness, 'dealer')
  const localeOf = async () =>
    (
      await harness.database.db
        .selectFrom('users')
        .select('locale')
        .where('email', '=', dealer.email)
        .executeTakeFirstOrThrow()
    ).locale
  assert.equal(await localeOf(), null, 'until chosen, the organisation decides')
  const { page, context, problems } = await openPage(harness, PHONE)
  await signIn(page, dealer.email, dealer.password)
  const saved = () =>
    page.waitForResponse((r) => r.url().endsWith('/api/v1/me/language') && r.request().method() === 'PUT')
  let save = saved()
  await page.getByTestId('language-switch').click()
  assert.equal((await save).status(), 200)
  assert.equal(await localeOf(), 'zh')
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN')
  save = saved()
  await page.getByTestId('language-switch').click()
  assert.equal((await save).status(), 200)
  assert.equal(await localeOf(), 'en')
  assert.deepEqual(problems, [])
  await context.close()
})
