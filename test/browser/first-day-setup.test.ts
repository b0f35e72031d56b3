import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type Browser, chromium } from 'playwright-core'
import { createTestContext } from '../../src/app/test-context.ts'
import { createUser } from '../../src/auth/create-user.ts'
import { openTestDatabase, type TestDatabase } from '../../src/db/test-database.ts'
import { buildApp } from '../../src/http/app.ts'
import type { HttpApp } from '../../src/http/types.ts'
import { findOrCreateCustomer } from '../../src/registry/find-or-create-customer.ts'
import { signIn, WEB_DIST } from './browser-harness.ts'

const MODELS_CSV = `model,category,policy,aliases,standardPackage,brand,selfChecks,sensor
Acme Lyra 7,camera,retailer,AL7|Lyra-7,camera|USB cable|manual,,,IMX585
Acme Lyra Wheel,accessory,retailer,,wheel|cable,,,
`
const UNITS_CSV = `serial,model,purchasedOn,shippedOn,deliveredOn,channel,dealer
AL7-0001,AL7,2026-09-01,2026-09-02,2026-09-04,direct,
AL7-0002,Acme Lyra 8,2026-09-01,2026-09-02,2026-09-04,direct,
`

/** A PNG of one pixel: a proof of purchase the server recognises by its content. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
)

let database: TestDatabase
let app: HttpApp
let browser: Browser
let baseUrl: string
before(async () => {
  database = await openTestDatabase('sqlite')
  app = await buildApp(createTestContext(database), { webDir: WEB_DIST, rateLimits: false })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (!address || typeof address === 'string') throw new Error('no TCP address')
  baseUrl = `http://127.0.0.1:${address.port}`
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] })
})
after(async () => {
  await browser?.close()
  await app?.close()
  await database?.dispose()
})

test('a refused set-up names the field, in the reader’s language, under the field and tied to it, and keeps what was typed', async () => {
  const context = await browser.newContext({
    baseURL: baseUrl,
    locale: 'zh-CN',
    viewport: { width: 375, height: 812 },
  })
  const page = await context.newPage()
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  await page.goto('/setup')
  await page.locator('#setup-policy option').first().waitFor({ state: 'attached' })
  assert.doesNotMatch((await page.locator('#setup-hours').getAttribute('placeholder')) ?? '', /[A-Za-z]{3}/)
  await page.locator('#setup-seller').fill('星云光学')
  await page.locator('#setup-admin').fill('owner@xingyun.example')
  await page.locator('#setup-password').fill('a-long-secret-1')
  // A bank named without its account: the server refuses the account's name and its number,
  // both at once, each under its own label.
  await page.locator('#setup-bank').fill('招商银行')
  // The country is chosen by its Chinese name, China first, and sent as its code.
  const country = page.getByLabel('国家或地区')
  assert.equal(await country.evaluate((element) => element.tagName), 'SELECT')
  assert.equal(await country.locator('option:checked').textContent(), '中国')
  assert.equal(await country.inputValue(), 'CN')
  await country.selectOption({ label: '德国' })
  const sent = page.waitForRequest(
    (request) => request.url().endsWith('/api/v1/setup') && request.method() === 'POST',
  )
  await page.getByRole('button', { name: '完成设置' }).click()
  assert.equal((await sent).postDataJSON().country, 'DE')
  await page.locator('#setup-account-name[aria-invalid="true"]').waitFor()
  for (const [id, label] of [
    ['#setup-account-name', '户名'],
    ['#setup-account-number', '账号'],
  ] as const) {
    const field = page.locator(`${id}[aria-invalid="true"]`)
    await field.waitFor()
    const note = page.locator(`[id="${(await field.getAttribute('aria-describedby')) ?? 'none'}"]`)
    const said = ((await note.textContent()) ?? '').trim()
    assert.match(said, new RegExp(`^${label}：`), `the note names ${id} by its label`)
    assert.doesNotMatch(said, /body\.|bank\./, 'and not by its place in the request')
  }
  assert.equal(await page.locator('#setup-bank[aria-invalid="true"]').count(), 0)
  assert.equal(await page.getByRole('alert').count(), 2, 'each refusal is said once, at its field')
  assert.equal(await page.locator('#setup-seller').inputValue(), '星云光学')
  assert.equal(await page.locator('#setup-bank').inputValue(), '招商银行')
  assert.equal(await country.inputValue(), 'DE')
  assert.equal(
    await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    0,
  )
  // An account typed without its bank is refused at the bank, not dropped.
  await page.locator('#setup-bank').fill('')
  await page.locator('#setup-account-name').fill('星云光学有限公司')
  await page.locator('#setup-account-number').fill('6225888812345678')
  await page.getByRole('button', { name: '完成设置' }).click()
  await page.locator('#setup-bank[aria-invalid="true"]').waitFor()
  assert.equal(await page.locator('[aria-invalid="true"]').count(), 1)
  assert.deepEqual(problems, [])
  await context.close()
})

test('a fresh install is set up in the web app, its catalogue and units imported on the import page, a unit registered and claimed', async () => {
  const context = await browser.newContext({ baseURL: baseUrl, locale: 'en-GB' })
  const page = await context.newPage()
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  await page.goto('/')
  await page.waitForURL(/\/setup$/)
  await page.getByLabel('Seller (brand or shop)').fill('Acme Optics')
  await page.getByLabel('Warranty policy').selectOption('retailer')
  await page.getByLabel('Admin e-mail').fill('owner@acme.example')
  await page.getByLabel('Admin password (at least 10 characters)').fill('a-long-secret-1')
  await page.getByLabel('Bank', { exact: true }).fill('Acme Bank')
  await page.getByLabel('Account name').fill('Acme Optics Ltd')
  await page.getByLabel('Account number').fill('12345678')
  await page.getByRole('button', { name: 'Set up' }).click()
  await page.getByText('Sign in as owner@acme.example').waitFor()

  const seller = await database.db.selectFrom('organisations').selectAll().executeTakeFirstOrThrow()
  assert.equal(seller.name, 'Acme Optics')
  assert.equal(seller.default_policy_id, 'retailer')
  const settings = await database.db.selectFrom('seller_settings').selectAll().executeTakeFirstOrThrow()
  assert.match(settings.bank_details ?? '', /12345678/)

  await page.goto('/setup')
  await page.getByText('This installation is set up already.').waitFor()
  await page.goto('/')
  assert.doesNotMatch(page.url(), /setup/, 'a set-up installation opens on the warranty look-up')

  // The admin imports the catalogue, then the units sold, through the import page.
  await signIn(page, 'owner@acme.example', 'a-long-secret-1')
  const importFile = async (kind: 'Models' | 'Units', name: string, csv: string) => {
    await page.goto('/staff/import')
    // The choice lives in the address (`?kind=`): the radio shows it once the router has
    // moved there, a moment after the click, so the test waits for that rather than
    // expecting the change within the click.
    await page.getByLabel(kind, { exact: true }).click()
    await page.locator(`input[name=kind][value=${kind.toLowerCase()}]:checked`).waitFor()
    await page.getByLabel('CSV file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await page.getByRole('button', { name: 'Start import', exact: true }).click()
    const status = page.getByTestId('import-status')
    await page.locator('[data-testid=import-status][data-status=done]').waitFor({ timeout: 20_000 })
    return (await status.textContent()) ?? ''
  }
  assert.match(await importFile('Models', 'models.csv', MODELS_CSV), /2 imported, 0 unchanged, 0 rejected/)
  assert.match(await importFile('Units', 'units.csv', UNITS_CSV), /1 imported, 0 unchanged, 1 rejected/)
  assert.match(
    (await page.getByTestId('import-errors').textContent()) ?? '',
    /did you mean "Acme Lyra 7"\?/,
    'an unknown model is named with the closest known one',
  )
  await page.goto('/staff/catalogue')
  await page.getByTestId('models').getByText('Acme Lyra 7').waitFor()

  // The imported unit answers the public warranty look-up.
  await page.goto('/warranty/AL7-0001')
  await page.getByTestId('warranty-result').waitFor()
  assert.match((await page.getByTestId('warranty-result').textContent()) ?? '', /Acme Lyra 7/)

  // A customer registers a unit of the imported catalogue and opens a claim on it.
  const now = new Date()
  const customer = await findOrCreateCustomer(database.db, 'ada@example.com', 'Ada Buyer', now.toISOString())
  await createUser(
    database.db,
    {
      email: 'ada@example.com',
      name: 'Ada Buyer',
      role: 'customer',
      customerId: customer.id,
      password: 'customer-secret-1',
    },
    now,
  )
  const portal = await browser.newContext({ baseURL: baseUrl, locale: 'en-GB' })
  const mine = await portal.newPage()
  mine.on('pageerror', (error) => problems.push(error.message))
  await signIn(mine, 'ada@example.com', 'customer-secret-1')
  await mine.goto('/my/units/new')
  await mine.getByLabel('Serial number').fill('AL7-9001')
  await mine.getByLabel('Model').selectOption({ label: 'Acme Optics Acme Lyra 7' })
  await mine
    .getByLabel('Date of purchase')
    .fill(new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10))
  await mine.getByLabel('Proof of purchase (photo or PDF)').setInputFiles({
    name: 'receipt.png',
    mimeType: 'image/png',
    buffer: PNG,
  })
  await mine.getByRole('button', { name: 'Register', exact: true }).click()
  await mine.waitForURL((url) => url.pathname === '/my')
  await mine.goto('/my/claims/new?serial=AL7-9001')
  await mine.getByLabel('Describe the fault').fill('The cooler does not start.')
  await mine.getByRole('button', { name: 'Send', exact: true }).click()
  await mine.waitForURL((url) => /^\/my\/claims\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith('/new'))
  await mine.getByTestId('claim-state').waitFor()
  const claim = await database.db
    .selectFrom('claims')
    .select(['serial', 'customer_id'])
    .executeTakeFirstOrThrow()
  assert.deepEqual([claim.serial, claim.customer_id], ['AL7-9001', customer.id])
  assert.deepEqual(problems, [])
  await portal.close()
  await context.close()
})
