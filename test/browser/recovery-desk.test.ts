import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { extractPdfText } from '../../src/files/documents/pdf-text.test-support.ts'
import {
  DESK,
  findAccessibilityGaps,
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

/** The English words a derivation puts around a line: none of them on a Chinese page. */
const ENGLISH_LINE =
  /Labour|standard time|Freight|\bleg\b|flat rate|of the refund|replacement unit|\bat (cost|list)\b/

async function orgOf(email: string): Promise<string> {
  const user = await harness.database.db
    .selectFrom('users')
    .select('org_id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  assert.ok(user.org_id)
  return user.org_id
}

async function recoveryIdsOf(orgId: string): Promise<string[]> {
  const rows = await harness.database.db
    .selectFrom('recovery_claims')
    .select('id')
    .where((eb) => eb.or([eb('creditor_org_id', '=', orgId), eb('debtor_org_id', '=', orgId)]))
    .execute()
  return rows.map((r) => r.id)
}

async function shownRecoveries(page: Page): Promise<string[]> {
  const table = page.getByTestId('recovery-list')
  await table.locator('tbody tr').first().waitFor()
  return table
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-recovery') ?? ''))
}

test('the creditor dealer sees its own recovery claims and submits one (phone)', async () => {
  const dealer = findSignIn(harness, 'dealer', 0)
  const own = await recoveryIdsOf(await orgOf(dealer.email))
  assert.ok(own.length > 0, 'the demo seeds a recovery claim for this dealer')
  const { page, context, problems } = await openPage(harness, PHONE)
  await signIn(page, dealer.email, dealer.password)
  await page.getByRole('link', { name: 'Recoveries' }).click()
  const shown = await shownRecoveries(page)
  assert.deepEqual([...shown].sort(), [...own].sort())
  await page.getByTestId('recovery-ledger').locator('tbody tr').first().waitFor()
  assert.equal(await readHorizontalOverflow(page), 0)
  assert.deepEqual(await findAccessibilityGaps(page), [])
  await page.locator(`[data-recovery="${own[0]}"] a`).click()
  await page.getByTestId('recovery-lines').waitFor()
  // Player One has nobody on this installation: the dealer sends it the statement.
  await page.getByRole('link', { name: 'Statement (PDF)' }).waitFor()
  await page.locator('[data-action="submit"]').click()
  await page.locator('[data-testid="recovery-page"][data-state="submitted"]').waitFor()
  await page.getByTestId('recovery-history').getByText('Submitted').waitFor()
  await saveScreenshot(page, 'recovery-dealer-phone')
  assert.deepEqual(problems, [])
  await context.close()
})

test('staff record the outside creditor’s submission; the maker answers from its own desk (desk)', async () => {
  const maker = findSignIn(harness, 'dealer', 2)
  const makerOrg = await orgOf(maker.email)
  const addressed = await recoveryIdsOf(makerOrg)
  assert.equal(addressed.length, 1, 'one recovery claim is addressed to the agent-brand maker')
  const id = addressed[0] ?? ''

  const staff = findSignIn(harness, 'admin')
  const staffSide = await openPage(harness, DESK)
  await signIn(staffSide.page, staff.email, staff.password)
  await staffSide.page.goto(`/recoveries/${id}`)
  await staffSide.page.locator('[data-action="submit"]').click()
  await staffSide.page.locator('[data-testid="recovery-page"][data-state="submitted"]').waitFor()
  assert.deepEqual(staffSide.problems, [])
  await staffSide.context.close()

  const { page, context, problems } = await openPage(harness, DESK)
  await signIn(page, maker.email, maker.password)
  await page.goto('/recoveries')
  assert.deepEqual(await shownRecoveries(page), [id])
  await page.locator(`[data-recovery="${id}"] a`).click()
  await page.locator('[data-action="accept"]').click()
  await page.locator('[data-testid="recovery-page"][data-state="accepted"]').waitFor()
  assert.deepEqual(await findAccessibilityGaps(page), [])
  await saveScreenshot(page, 'recovery-maker-desk')
  // Another dealer's recovery claim is not there for the maker: the page says not found.
  const foreign = (await recoveryIdsOf(await orgOf(findSignIn(harness, 'dealer', 0).email)))[0]
  await page.goto(`/recoveries/${foreign}`)
  await page
    .getByText(/^(No recovery claim .+|Not found\.?)$/)
    .first()
    .waitFor()
  assert.deepEqual(
    problems.filter((p) => !/404/.test(p)),
    [],
  )
  await context.close()
})

test('a dealer who reads in Chinese sees the months in Chinese and gets the statement in Chinese', async () => {
  const dealer = findSignIn(harness, 'dealer', 0)
  const own = await recoveryIdsOf(await orgOf(dealer.email))
  // An English browser, switched to Chinese in the page: the link must carry the choice.
  const { page, context, problems } = await openPage(harness, DESK)
  await signIn(page, dealer.email, dealer.password)
  await page.getByTestId('language-switch').click()
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN')
  await page.goto('/recoveries')
  await shownRecoveries(page)
  const months = await page
    .locator(
      '[data-testid="recovery-ledger"] tbody tr td:first-child, [data-testid="recovery-list"] tbody tr td:nth-child(2)',
    )
    .allTextContents()
  assert.ok(months.length > 0)
  for (const month of months)
    assert.match(month, /^\d{4}年\d{1,2}月$/, 'a month is written as a Chinese reader writes it')

  await page.locator(`[data-recovery="${own[0]}"] a`).click()
  await page.getByTestId('recovery-lines').waitFor()
  assert.match((await page.getByTestId('recovery-period').textContent()) ?? '', /^\d{4}年\d{1,2}月$/)
  const href = await page.getByRole('link', { name: '结算单（PDF）' }).getAttribute('href')
  assert.ok(href)
  const pdf = await page.request.get(href)
  assert.equal(pdf.status(), 200)
  const printed = extractPdfText(await pdf.body())
  assert.match(printed, /索赔结算单/, 'the statement is printed in the language the reader chose')
  assert.doesNotMatch(printed, /Recovery statement/)

  // Each line in the reader's words (the part's name as the dealer typed it), and again in
  // English once the reader switches back, without leaving the page.
  const lines = page.getByTestId('recovery-line-description')
  const chinese = await lines.allTextContents()
  assert.ok(chinese.length > 0)
  for (const line of chinese) assert.doesNotMatch(line, ENGLISH_LINE, 'a line is worded in Chinese')
  assert.ok(
    chinese.some((line) => line.includes('标准工时')),
    chinese.join('\n'),
  )
  const csvHref = await page.getByRole('link', { name: '结算单（CSV）' }).getAttribute('href')
  assert.match(csvHref ?? '', /locale=zh/)
  await page.getByTestId('language-switch').click()
  await page.waitForFunction(() => document.documentElement.lang === 'en')
  await lines.filter({ hasText: 'standard time' }).first().waitFor()
  assert.deepEqual(problems, [])
  await context.close()
})

test('a recovery line names its claim by the number the statement prints, and staff open the case from it (phone)', async () => {
  const staff = findSignIn(harness, 'manager')
  const { page, context, problems } = await openPage(harness, PHONE)
  await signIn(page, staff.email, staff.password)
  const { items } = (await (await page.request.get('/api/v1/recoveries?limit=50')).json()) as {
    items: { id: string; debtor: { onInstallation: boolean } }[]
  }
  const outside = items.find((r) => !r.debtor.onInstallation)
  assert.ok(outside, 'the demo has a recovery claim against a debtor with nobody on the installation')
  await page.goto(`/recoveries/${outside.id}`)
  const claim = page.getByTestId('recovery-line-claim').first()
  await claim.waitFor()
  const number = ((await claim.textContent()) ?? '').trim()
  assert.match(number, /^C-[0-9A-F]{8}$/, 'the claim is named by its number, not a piece of its id')
  const href = await page.getByRole('link', { name: 'Statement (PDF)' }).getAttribute('href')
  assert.ok(href)
  assert.ok(
    extractPdfText(await (await page.request.get(href)).body()).includes(number),
    'the statement the debtor gets names the same claim number',
  )
  assert.equal(await readHorizontalOverflow(page), 0)
  await claim.click()
  await page.waitForURL(/\/staff\/claims\//)
  await page.getByText(number).first().waitFor()
  assert.deepEqual(problems, [])
  await context.close()
})
