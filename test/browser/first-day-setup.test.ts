import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type Browser, chromium } from 'playwright-core'
import { createTestContext } from '../../src/app/test-context.ts'
import { openTestDatabase, type TestDatabase } from '../../src/db/test-database.ts'
import { buildApp } from '../../src/http/app.ts'
import type { HttpApp } from '../../src/http/types.ts'
import { WEB_DIST } from './browser-harness.ts'

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

test('a fresh install is set up in the web app, then the set-up page refuses', async () => {
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
  assert.deepEqual(problems, [])
  await context.close()
})
