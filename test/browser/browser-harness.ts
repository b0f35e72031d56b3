import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { simpleParser } from 'mailparser'
import {
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  chromium,
  type Page,
} from 'playwright-core'
import { type DemoSeedReport, seedDemo } from '../../src/app/seed-demo.ts'
import { createTestContext } from '../../src/app/test-context.ts'
import { type PageReader, pages } from '../../src/contracts/pages.ts'
import type { Engine } from '../../src/db/database.ts'
import { openTestDatabase, type TestDatabase } from '../../src/db/test-database.ts'
import { sampleJpeg } from '../../src/files/sample-files.test-support.ts'
import { buildApp } from '../../src/http/app.ts'
import type { HttpApp } from '../../src/http/types.ts'
import { deliverDueMessages } from '../../src/notify/deliver-outbox.ts'
import type { PolicyLibrary } from '../../src/policies/policy-library.ts'
import type { AppContext } from '../../src/shared/app-context.ts'
import type { Config } from '../../src/shared/config.ts'
import { describeBreaches, watchResponses } from '../platform/response-watch.ts'
import { readDemoTemplate } from './demo-template.ts'

export const ROOT = path.resolve(import.meta.dirname, '../..')
export const WEB_DIST = path.join(ROOT, 'web', 'dist')
export const RESULTS = path.join(ROOT, 'test-results')
export const PHONE = { width: 375, height: 812 }
export const DESK = { width: 1440, height: 900 }

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

export interface Harness {
  baseUrl: string
  app: HttpApp
  ctx: AppContext
  database: TestDatabase
  demo: DemoSeedReport
  browser: Browser
  close(): Promise<void>
}

/**
 * A real server over a fresh database (SQLite unless `engine` says otherwise) with the demo
 * seed, serving the built web app, and a headless Chromium. `policies` replaces the shipped
 * policies (a seller's own, say one that quotes in yen); the demo is seeded under them.
 */
export async function startHarness(
  options: { config?: Partial<Config>; policies?: PolicyLibrary; engine?: Engine } = {},
): Promise<Harness> {
  if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) {
    throw new Error('web/dist is missing: run `npx vite build --config web/vite.config.ts` (npm test does)')
  }
  // The run's demo, seeded once, serves a harness whose seeding nothing changes: shipped
  // policies and SQLite. A configuration, too, can change what the seeding writes.
  const template = options.engine || options.policies || options.config ? undefined : readDemoTemplate()
  const database = await openTestDatabase(
    options.engine ?? 'sqlite',
    template ? { from: template.databaseFile } : {},
  )
  const ctx = createTestContext(database, {
    ...(options.config ? { config: options.config } : {}),
    ...(options.policies ? { policies: options.policies } : {}),
  })
  const demo = template?.demo ?? (await seedDemo(ctx))
  const app = await buildApp(ctx, { webDir: WEB_DIST, rateLimits: false })
  // What the pages are told a route answers (their types are its schema) is what it answered.
  const responses = watchResponses(app)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (!address || typeof address === 'string') throw new Error('The server has no TCP address')
  // Links in e-mails and on documents point at the address the server really answers on.
  ctx.config.publicUrl = `http://127.0.0.1:${address.port}`
  let browser: Browser
  try {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
  } catch (error) {
    // A server left listening would keep the test file's process alive after it failed.
    await app.close()
    await database.dispose()
    throw error
  }
  fs.mkdirSync(RESULTS, { recursive: true })
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    app,
    ctx,
    database,
    demo,
    browser,
    async close() {
      await browser.close()
      await app.close()
      await database.dispose()
      if (responses.breaches.length > 0)
        throw new Error(`answers that break their route's response schema:\n${describeBreaches(responses)}`)
    },
  }
}

export interface WatchedPage {
  page: Page
  context: BrowserContext
  /** Console errors and uncaught exceptions seen so far; a test fails when this is not empty. */
  problems: string[]
}

/** A fresh browser context (own cookies and storage) whose console errors and page errors are collected. */
export async function openPage(
  harness: Harness,
  viewport: { width: number; height: number } = DESK,
  options: { locale?: string; colorScheme?: 'light' | 'dark'; allow?: RegExp[]; timezoneId?: string } = {},
): Promise<WatchedPage> {
  const context = await harness.browser.newContext({
    viewport,
    locale: options.locale ?? 'en-GB',
    colorScheme: options.colorScheme ?? 'light',
    baseURL: harness.baseUrl,
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
  })
  const page = await context.newPage()
  const problems: string[] = []
  const allowed = options.allow ?? []
  page.on('console', (message) => {
    if (message.type() !== 'error') return
    const text = `${message.text()} @ ${message.location().url}`
    if (!allowed.some((pattern) => pattern.test(text))) problems.push(`console: ${text}`)
  })
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
  return { page, context, problems }
}

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const file = path.join(RESULTS, `${name}.png`)
  await page.screenshot({ path: file, fullPage: true })
  return file
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/sign-in')
  await page.getByLabel('E-mail address').first().fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
}

export function findSignIn(harness: Harness, role: string, index = 0) {
  const found = harness.demo.signIns.filter((s) => s.role === role)[index]
  if (!found) throw new Error(`The demo seed has no ${role} sign-in #${index}`)
  return found
}

/**
 * The demo's maker of agent-brand products (the third dealer sign-in) and the recovery claim
 * its outside creditor addresses to it: the claim the recovery tests answer as the maker.
 */
export async function makersRecoveryClaim(harness: Harness) {
  const maker = findSignIn(harness, 'dealer', 2)
  const { db } = harness.database
  const makerOrg = await db
    .selectFrom('users')
    .select('org_id')
    .where('email', '=', maker.email)
    .executeTakeFirstOrThrow()
  const claim = await db
    .selectFrom('recovery_claims')
    .select(['id', 'creditor_org_id'])
    .where('debtor_org_id', '=', makerOrg.org_id ?? '')
    .executeTakeFirstOrThrow()
  return { maker, id: claim.id, creditorOrgId: claim.creditor_org_id }
}

/**
 * Signs the page's browser context in as the demo user of `role` through the API: the page
 * shares its cookies, and reads in the context's locale, not the account's.
 */
export async function signInPageAs(harness: Harness, page: Page, role: PageReader): Promise<void> {
  const user = findSignIn(harness, role)
  const signedIn = await page.request.post('/api/v1/auth/sign-in', {
    data: { email: user.email, password: user.password },
  })
  assert.equal(signedIn.status(), 200, await signedIn.text())
}

/**
 * A fresh watched page (`openPage`, same viewport and options) signed in as the demo user of
 * `role` and opened on that role's page of the claim.
 */
export async function openClaimPage(
  harness: Harness,
  role: PageReader,
  claimId: string,
  viewport: { width: number; height: number } = DESK,
  options: Parameters<typeof openPage>[2] = {},
): Promise<WatchedPage> {
  const watched = await openPage(harness, viewport, options)
  await signInPageAs(harness, watched.page, role)
  await watched.page.goto(pages.claimFor(role, claimId))
  return watched
}

/** Sets the language the demo customer's account reads (its mail, and pages that follow the account); its sign-in. */
export async function setDemoCustomerLocale(harness: Harness, locale: 'en' | 'zh') {
  const customer = findSignIn(harness, 'customer')
  await harness.database.db
    .updateTable('customers')
    .set({ locale, locale_chosen_at: new Date().toISOString() })
    .where('id', 'in', (eb) =>
      eb.selectFrom('users').select('customer_id').where('email', '=', customer.email),
    )
    .execute()
  return customer
}

/** No element may stick out sideways: at 375 px that is the usual sign of a page not made for phones. */
export async function readHorizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
}

/** Images without alt text, and inputs without a label, on the current page. */
export async function findAccessibilityGaps(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const gaps: string[] = []
    for (const img of Array.from(document.querySelectorAll('img'))) {
      if (!img.hasAttribute('alt')) gaps.push(`img without alt: ${img.src}`)
    }
    for (const input of Array.from(document.querySelectorAll('input, select, textarea'))) {
      const element = input as HTMLInputElement
      if (element.type === 'hidden') continue
      const labelled =
        (element.labels && element.labels.length > 0) ||
        element.getAttribute('aria-label') ||
        element.getAttribute('aria-labelledby')
      if (!labelled) gaps.push(`unlabelled ${element.tagName.toLowerCase()} ${element.name || element.id}`)
    }
    return gaps
  })
}

/** A message as the outbox wrote it to `<dataDir>/outbox`, read back as a mail client would. */
export interface SentMail {
  file: string
  to: string
  subject: string
  /** The claim the message is about (its `X-Aftercare-Claim` header), if any. */
  claimId: string | null
  html: string
  /** The plain-text part, empty when the message has none. */
  text: string
  /** Every link of the HTML part, once each, in order. */
  links: string[]
}

/**
 * Delivers every queued message the way the worker does, into `<dataDir>/outbox/*.eml`, and
 * reads all of them back. Parsed as a mail client would: Chinese mail goes out
 * base64-encoded, English quoted-printable.
 */
export async function sendAndReadOutbox(harness: Harness): Promise<SentMail[]> {
  for (;;) {
    const report = await deliverDueMessages(harness.ctx, {
      now: new Date(Date.now() + 86_400_000),
      workerId: 'browser-test',
      batchSize: 200,
    })
    if (report.claimed === 0) break
  }
  const folder = path.join(harness.database.dataDir, 'outbox')
  const names = fs.readdirSync(folder).filter((name) => name.endsWith('.eml'))
  return Promise.all(
    names.map(async (name) => {
      const mail = await simpleParser(fs.readFileSync(path.join(folder, name)))
      const html = typeof mail.html === 'string' ? mail.html : ''
      const links = [
        ...new Set([...html.matchAll(/href="([^"]+)"/g)].map((m) => (m[1] ?? '').replaceAll('&amp;', '&'))),
      ]
      const claimHeader = mail.headers.get('x-aftercare-claim')
      return {
        file: name,
        to: mail.to && !Array.isArray(mail.to) ? mail.to.text : '',
        subject: mail.subject ?? '',
        claimId: typeof claimHeader === 'string' ? claimHeader.trim() : null,
        html,
        text: mail.text ?? '',
        links,
      }
    }),
  )
}

/** A request context signed in as a demo user, with the CSRF token the API wants on every change. */
export interface SignedInApi {
  request: APIRequestContext
  csrf: string
  close(): Promise<void>
}

export async function signedInApi(harness: Harness, role: string): Promise<SignedInApi> {
  const user = findSignIn(harness, role)
  const context = await harness.browser.newContext({ baseURL: harness.baseUrl })
  const response = await context.request.post('/api/v1/auth/sign-in', {
    data: { email: user.email, password: user.password },
  })
  assert.equal(response.status(), 200)
  const { csrfToken } = (await response.json()) as { csrfToken: string }
  return { request: context.request, csrf: csrfToken, close: () => context.close() }
}

/** A step of the claim through the API, from the version the server has now; the claim after it. */
export async function stepClaim<Claim>(
  api: Pick<SignedInApi, 'request' | 'csrf'>,
  claimId: string,
  action: string,
  body: Record<string, unknown> = {},
): Promise<Claim> {
  const current = (await (await api.request.get(`/api/v1/claims/${encodeURIComponent(claimId)}`)).json()) as {
    version: number
  }
  const response = await api.request.post(
    `/api/v1/claims/${encodeURIComponent(claimId)}/transitions/${encodeURIComponent(action)}`,
    { data: body, headers: { 'x-csrf-token': api.csrf, 'if-match': `"${current.version}"` } },
  )
  assert.equal(response.status(), 200, `${action}: ${await response.text()}`)
  return (await response.json()) as Claim
}

/**
 * Staff carry a claim to a decision the customer pays: the unit comes in and the inspection
 * finds liquid damage. The claim after the decision.
 */
export async function decideLiquidDamage<Claim>(
  staff: Pick<SignedInApi, 'request' | 'csrf'>,
  claim: { id: string; serial: string },
): Promise<Claim> {
  await stepClaim(staff, claim.id, 'authorize-return')
  await stepClaim(staff, claim.id, 'receive-unit')
  return inspectLiquidDamageAndDecide<Claim>(staff, claim)
}

/** A received unit inspected with liquid damage (no warranty fault), then decided. */
export async function inspectLiquidDamageAndDecide<Claim>(
  staff: Pick<SignedInApi, 'request' | 'csrf'>,
  claim: { id: string; serial: string },
): Promise<Claim> {
  await stepClaim(staff, claim.id, 'record-inspection', {
    serialSeen: claim.serial,
    sealsIntact: true,
    packaging: 'good',
    contentsReceived: [],
    findings: ['liquid-damage'],
    faultConfirmed: true,
    manufacturingDefect: false,
  })
  return stepClaim<Claim>(staff, claim.id, 'make-decision')
}

/** A unit of the signed-in customer with no open claim (the demo seeds open claims on some), so a new claim is not refused as a duplicate. */
export async function findIdleUnit(request: APIRequestContext): Promise<string> {
  const units = (await (await request.get('/api/v1/units?limit=200')).json()) as {
    items: { serial: string }[]
  }
  const claims = (await (await request.get('/api/v1/claims?limit=200')).json()) as {
    items: { serial: string; state: string }[]
  }
  const busy = new Set(
    claims.items.filter((c) => !['closed', 'cancelled'].includes(c.state)).map((c) => c.serial),
  )
  const serial = units.items.find((unit) => !busy.has(unit.serial))?.serial
  assert.ok(serial, 'the demo customer has a unit without an open claim')
  return serial
}

/** A claim the signed-in customer opens on one of their idle units (`findIdleUnit`); the claim as the API answered it. */
export async function openClaimOnIdleUnit<Claim>(
  api: Pick<SignedInApi, 'request' | 'csrf'>,
  problemDescription: string,
): Promise<Claim> {
  const serial = await findIdleUnit(api.request)
  const opened = await api.request.post('/api/v1/claims', {
    data: {
      serial,
      problem: { kind: 'malfunction', description: problemDescription },
      evidence: ['defect-media'],
    },
    headers: { 'x-csrf-token': api.csrf },
  })
  assert.equal(opened.status(), 201, await opened.text())
  return (await opened.json()) as Claim
}

/** A claim the demo customer opens on an idle unit, signed in just for that (`openClaimOnIdleUnit`); the claim as the API answered it. */
export async function openCustomerClaim<Claim>(harness: Harness, problemDescription: string): Promise<Claim> {
  const customer = await signedInApi(harness, 'customer')
  try {
    return await openClaimOnIdleUnit<Claim>(customer, problemDescription)
  } finally {
    await customer.close()
  }
}

/** A real, whole JPEG (a grey square) of 4,016 bytes, unlike any other. */
export const jpegBytes = (): Buffer => sampleJpeg({ width: 64, height: 64, size: 4016 })
