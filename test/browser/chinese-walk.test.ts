import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import {
  DESK,
  findSignIn,
  type Harness,
  openPage,
  saveScreenshot,
  setDemoCustomerLocale,
  signIn,
  startHarness,
} from './browser-harness.ts'

let harness: Harness
/** Words a Chinese reader sees as they are: names of people, models and firms, serials, claim numbers. */
let asIs: string[] = []
before(async () => {
  harness = await startHarness()
  const db = harness.database.db
  const names = [
    ...(await db.selectFrom('customers').select('name').execute()).map((r) => r.name),
    ...(await db.selectFrom('organisations').select('name').execute()).map((r) => r.name),
    ...(await db.selectFrom('product_models').select('name').execute()).map((r) => r.name),
    ...(await db.selectFrom('users').select('name').execute()).map((r) => r.name),
    ...(await db.selectFrom('units').select('serial').execute()).map((r) => r.serial),
    ...(await db.selectFrom('claims').select(['id', 'rma_number']).execute()).flatMap((r) => [
      r.id,
      r.rma_number ?? '',
    ]),
    'Aftercare',
    // Brand names the policies' Chinese words keep as the brands write them.
    'ToupTek',
    'Player One',
    // The name of the file format the policy owners upload.
    'YAML',
  ]
  asIs = [...new Set(names.filter((n) => n.length > 1))].sort((a, b) => b.length - a.length)
})
after(async () => {
  await harness?.close()
})

/**
 * Capitals Chinese writes as they are: every currency's ISO code (what an amount may be
 * written with in any language) and the abbreviations of file kinds, ports and the trade's
 * dead-on-arrival. Not any three capitals: a bare "RMA" heading is English.
 */
const CAPITALS_AS_THEY_ARE = new RegExp(
  `\\b(?:${[...Intl.supportedValuesOf('currency'), 'PDF', 'CSV', 'USB', 'DOA'].join('|')})\\b`,
  'g',
)

/**
 * English words and Latin list commas left in the page's main text and title once the things that stay as they are
 * are taken out: the staff's code folds, a clause's original wording in the fold under its
 * translation, what people wrote themselves (marked `translate="no"`), names, serials and
 * claim numbers, e-mail addresses and currency codes. Every fold is opened first, so what is
 * one click away is read too; a quote in another language anywhere but in its original-wording
 * fold is reported.
 */
async function englishOn(page: Page): Promise<string[]> {
  const { text, strayQuotes } = await page.evaluate(() => {
    const main = document.querySelector('main') ?? document.body
    for (const fold of main.querySelectorAll('details')) fold.open = true
    const staffFolds = '[data-testid="decision-codes"], .staff-details'
    const original = '[data-testid="clause-original"] [lang]:not([lang^="zh"])'
    const skip = `${staffFolds}, ${original}, [translate="no"], script, style, svg, canvas`
    const lines: string[] = [document.title]
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement
      if (!parent || parent.closest(skip) || !parent.checkVisibility()) continue
      lines.push(node.textContent ?? '')
    }
    const strayQuotes = [...main.querySelectorAll('[lang]:not([lang^="zh"])')]
      .filter((el) => !el.closest(`${staffFolds}, [data-testid="clause-original"]`) && el.checkVisibility())
      .map((el) => `(not in an original-wording fold) ${el.textContent ?? ''}`)
    return { text: lines.join('\n'), strayQuotes }
  })
  let rest = text
  for (const value of asIs) rest = rest.replaceAll(value, ' ')
  rest = rest
    .replace(/[\w.+-]+@[\w.-]+/g, ' ')
    // Chinese money formats name some currencies by letters: US$, HK$.
    .replace(/\b(US|HK|NT|A|C|NZ|S)\$/g, ' ')
    .replace(CAPITALS_AS_THEY_ARE, ' ')
    .replace(/\b[A-Z0-9]+(?:-[A-Z0-9]+)+\b/g, ' ')
  // A Latin comma between Chinese words reads as a foreign list: Chinese lists take 、 or ，.
  const latinCommas = text
    .split('\n')
    .filter((line) => /[\u3400-\u9fff], ?[\u3400-\u9fff]/.test(line))
    .map((line) => `(Latin comma) ${line.trim()}`)
  // The lines that still hold English, so a failure shows where.
  return [
    ...new Set([
      ...latinCommas,
      ...rest
        .split('\n')
        .filter((line) => /[A-Za-z]{2,}/.test(line))
        .map((line) => line.trim()),
      ...strayQuotes,
    ]),
  ]
}

async function claimWith(page: Page, wanted: (claim: { state: string; quote: unknown }) => boolean) {
  const response = await page.request.get('/api/v1/claims?limit=200')
  const { items } = (await response.json()) as {
    items: {
      id: string
      state: string
      quote: unknown
      finalDecision: unknown
      provisionalDecision: unknown
    }[]
  }
  return items.find((c) => (c.finalDecision || c.provisionalDecision) && wanted(c))
}

/** The clauses under `within` read in Chinese, each with its English original in a fold under it. */
async function expectClauseInChinese(page: Page, within: string) {
  const quotes = await page
    .locator(within)
    .first()
    .evaluate((root) =>
      [...root.querySelectorAll('.clause-words')].map((words) => ({
        shown: words.querySelector(':scope > blockquote')?.textContent ?? '',
        shownLang: words.querySelector(':scope > blockquote')?.getAttribute('lang'),
        original: words.querySelector('[data-testid="clause-original"] blockquote')?.textContent ?? '',
        originalLang: words.querySelector('[data-testid="clause-original"] blockquote')?.getAttribute('lang'),
        summary: words.querySelector('[data-testid="clause-original"] summary')?.textContent,
      })),
    )
  assert.ok(quotes.length > 0, `${within} quotes clauses`)
  for (const quote of quotes) {
    assert.equal(quote.shownLang, 'zh-CN')
    assert.match(quote.shown, /[\u4e00-\u9fff]/, 'the clause is shown in Chinese')
    assert.equal(quote.summary, '原文')
    assert.equal(quote.originalLang, 'en')
    assert.match(quote.original, /^[\x20-\x7e“”≧]+$/, 'its original English wording is one click away')
  }
}

async function signInInChinese(page: Page, role: string) {
  const who = findSignIn(harness, role)
  await page.goto('/sign-in')
  await page.getByRole('heading', { name: '登录' }).first().waitFor()
  await page.locator('input[type="email"]').first().fill(who.email)
  await page.locator('input[type="password"]').first().fill(who.password)
  await page.locator('form button[type="submit"]').first().click()
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
}

async function visit(page: Page, path: string, ready: string, shot: string, found: Record<string, string[]>) {
  await page.goto(path)
  await page.locator(ready).first().waitFor()
  await page.waitForLoadState('networkidle')
  const words = await englishOn(page)
  if (words.length > 0) found[path] = words
  await saveScreenshot(page, shot)
  assert.match(await page.title(), /[\u4e00-\u9fff].* · Aftercare$/, `${path} has a Chinese title`)
}

test('in Chinese, the customer’s and the staff’s main pages show no English words', async () => {
  const found: Record<string, string[]> = {}
  // A Chinese customer: the demo's chose English, and a chosen language holds past sign-in.
  await setDemoCustomerLocale(harness, 'zh')
  const customer = await openPage(harness, DESK, { locale: 'zh-CN' })
  await signInInChinese(customer.page, 'customer')
  const decided = await claimWith(customer.page, () => true)
  const quoted = await claimWith(customer.page, (c) => c.quote !== null)
  assert.ok(decided, 'the demo customer has a decided claim')
  await visit(customer.page, '/my', 'main h1', 'zh-walk-my', found)
  await visit(
    customer.page,
    `/my/claims/${encodeURIComponent(decided.id)}`,
    '[data-testid="decision-explanation"]',
    'zh-walk-claim',
    found,
  )
  await expectClauseInChinese(customer.page, '[data-testid="decision-policy-words"]')
  if (quoted)
    await visit(
      customer.page,
      `/my/claims/${encodeURIComponent(quoted.id)}#quote`,
      'main h1',
      'zh-walk-quote',
      found,
    )
  assert.deepEqual(customer.problems, [])
  await customer.context.close()

  const staff = await openPage(harness, DESK, { locale: 'zh-CN' })
  await signInInChinese(staff.page, 'manager')
  await visit(staff.page, '/staff', 'main h1', 'zh-walk-queue', found)
  await visit(
    staff.page,
    `/staff/claims/${encodeURIComponent(decided.id)}`,
    '[data-testid="decision-summary"]',
    'zh-walk-case',
    found,
  )
  const quotedCase = await claimWith(staff.page, (c) => c.quote !== null)
  assert.ok(quotedCase, 'the demo has a claim with a quote')
  await visit(
    staff.page,
    `/staff/claims/${encodeURIComponent(quotedCase.id)}`,
    '[data-testid="decision-summary"]',
    'zh-walk-case-quote',
    found,
  )
  // A case fixed without shipping shows the self-checks the customer answered, in Chinese.
  const checked = await harness.database.db
    .selectFrom('claim_events')
    .select('claim_id')
    .where('type', '=', 'selfcheck.recorded')
    .executeTakeFirst()
  assert.ok(checked, 'the demo has a claim with self-check answers')
  await visit(
    staff.page,
    `/staff/claims/${encodeURIComponent(checked.claim_id)}`,
    '[data-testid="selfcheck-answers"] li',
    'zh-walk-case-selfchecks',
    found,
  )
  await visit(
    staff.page,
    `/staff/units/${encodeURIComponent(harness.demo.serials[0] ?? '')}`,
    '[data-testid="unit-policy"] a',
    'zh-walk-unit',
    found,
  )
  await visit(staff.page, '/staff/dashboard', 'main h1', 'zh-walk-dashboard', found)
  await visit(staff.page, '/staff/dealer-sales', 'main h1', 'zh-walk-dealer-sales', found)
  await visit(
    staff.page,
    '/staff/policies',
    '[data-testid="policy-table"] tbody tr',
    'zh-walk-policies',
    found,
  )
  assert.ok(
    await staff.page.getByRole('link', { name: 'ToupTek Astronomy 质量保证' }).isVisible(),
    'the policy list names each policy by its Chinese title',
  )
  await visit(
    staff.page,
    '/staff/policies/touptek',
    '[data-testid="policy-clauses"] li',
    'zh-walk-policy',
    found,
  )
  await expectClauseInChinese(staff.page, '[data-testid="policy-clauses"]')
  await visit(
    staff.page,
    '/staff/policies/try?policy=ist',
    '[data-testid="try-policy-form"]',
    'zh-walk-try',
    found,
  )
  assert.equal(
    await staff.page.locator('#try-policy option[value="ist"]').textContent(),
    '北京安视通科技售后服务政策',
  )
  assert.deepEqual(staff.problems, [])
  await staff.context.close()
  assert.deepEqual(found, {}, 'English words on Chinese pages')
})

test('the catalogue names categories and specifications in words, never by their keys, in Chinese and English', async () => {
  const keys = await harness.database.db
    .selectFrom('product_models')
    .select(['category', 'specifications'])
    .execute()
  const raw = new Set(
    keys.flatMap((row) => [
      row.category,
      ...Object.keys(JSON.parse(row.specifications) as Record<string, string>),
    ]),
  )
  for (const [locale, wanted] of [
    ['zh-CN', { spec: '像元尺寸', category: '相机' }],
    ['en-GB', { spec: 'Pixel size', category: 'Camera' }],
  ] as const) {
    const staff = await openPage(harness, DESK, { locale })
    if (locale === 'zh-CN') await signInInChinese(staff.page, 'manager')
    else {
      const manager = findSignIn(harness, 'manager')
      await signIn(staff.page, manager.email, manager.password)
    }
    await staff.page.goto('/staff/catalogue')
    await staff.page.locator('[data-testid="models"] li dt').first().waitFor()
    const shown = await staff.page.evaluate(() => {
      const models = [...document.querySelectorAll('[data-testid="models"] li')]
      return {
        specs: models.flatMap((m) => [...m.querySelectorAll('dt')].map((dt) => dt.textContent ?? '')),
        lines: models.map((m) => m.querySelector('p.muted')?.textContent ?? ''),
      }
    })
    const categories = shown.lines.map((line) => line.split('· ')[1] ?? '')
    assert.deepEqual(
      [...shown.specs, ...categories].filter((words) => raw.has(words.trim())),
      [],
      `${locale}: no key shown as it is`,
    )
    assert.ok(shown.specs.includes(wanted.spec), `${locale}: ${shown.specs.join(', ')}`)
    assert.ok(categories.includes(wanted.category), `${locale}: ${categories.join(', ')}`)
    await saveScreenshot(staff.page, `catalogue-labels-${locale}`)
    assert.deepEqual(staff.problems, [])
    await staff.context.close()
  }
})

test('a recovery names its terms and each line’s policy by their Chinese titles, not by their codes', async () => {
  const dealer = await openPage(harness, DESK, { locale: 'zh-CN' })
  await signInInChinese(dealer.page, 'dealer')
  const listed = (await (await dealer.page.request.get('/api/v1/recoveries?limit=20')).json()) as {
    items: { id: string; terms: { id: string; version: string } }[]
  }
  const recovery = listed.items[0]
  assert.ok(recovery, 'the demo dealer has a recovery')
  await dealer.page.goto(`/recoveries/${encodeURIComponent(recovery.id)}`)
  const terms = dealer.page.getByTestId('recovery-terms')
  await terms.waitFor()
  await dealer.page.waitForLoadState('networkidle')
  const termsWords = (await terms.textContent()) ?? ''
  assert.match(termsWords, /[\u4e00-\u9fff].*，第 \d+ 版$/)
  assert.ok(!termsWords.includes(recovery.terms.id), termsWords)
  for (const words of await dealer.page.getByTestId('recovery-line-policy').allTextContents()) {
    assert.match(words, /^[^@]*[\u4e00-\u9fff][^@]*，第 \d+ 版$/, words)
  }
  await saveScreenshot(dealer.page, 'zh-walk-recovery')
  assert.deepEqual(dealer.problems, [])
  await dealer.context.close()
})

test('the policy check on the policies page lists a broken file’s problems in Chinese, each with its line and field', async () => {
  const staff = await openPage(harness, DESK, { locale: 'zh-CN' })
  await signInInChinese(staff.page, 'manager')
  await staff.page.goto('/staff/policies')
  const form = staff.page.locator('form[aria-labelledby="validate-title"]')
  await form.locator('#policy-yaml').fill('id: Bad\nversion: "1"\ncurrency: usd\n')
  await form.locator('button[type="submit"]').click()
  const problems = form.locator('[role="status"] li')
  await problems.first().waitFor()
  const lines = (await problems.allTextContents()).map((line) => line.replace(/\s+/g, ' ').trim())
  assert.ok(lines.includes('1: id 只能包含小写字母、数字和连字符（-）'), lines.join('\n'))
  assert.ok(lines.includes('3: currency 必须是 ISO 4217 货币代码，例如 USD'), lines.join('\n'))
  for (const line of lines) assert.match(line, /^\d+: \S+ [^A-Za-z]*[\u4e00-\u9fff]/, line)
  assert.deepEqual(staff.problems, [])
  await staff.context.close()
})
