import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { DESK, findSignIn, type Harness, openPage, PHONE, signIn, startHarness } from './browser-harness.ts'

let harness: Harness
before(async () => {
  harness = await startHarness()
})
after(async () => {
  await harness?.close()
})

/**
 * A clause id (`player-one#time-expired`) or a policy reference (`player-one@1`). A clause's
 * key begins with a letter; a history entry's number (`#12`, cited by recovery lines) is no code,
 * though the page's text runs it into the entry's title before it (`Claim opened#12`).
 */
const RAW_CODE = /[a-z0-9-]+#[a-z][a-z0-9-]*|[a-z0-9-]+@[0-9][0-9A-Za-z.-]*/

/** The page's visible words outside the staff fold, where codes belong. */
async function textOutsideStaffFold(page: Page): Promise<string> {
  return page.evaluate(() => {
    const main = document.querySelector('main') ?? document.body
    const copy = main.cloneNode(true) as HTMLElement
    for (const fold of Array.from(copy.querySelectorAll('[data-testid="decision-codes"]'))) fold.remove()
    return copy.textContent ?? ''
  })
}

async function firstDecidedClaim(page: Page): Promise<string> {
  const response = await page.request.get('/api/v1/claims?limit=200')
  const { items: claims } = (await response.json()) as {
    items: { id: string; provisionalDecision: unknown; finalDecision: unknown }[]
  }
  const claim = claims.find((c) => c.finalDecision !== null || c.provisionalDecision !== null)
  if (!claim) throw new Error('The demo customer has no decided claim')
  return claim.id
}

test('the customer’s decision card speaks in words and shows no code, the policy’s words one click away', async () => {
  const customer = findSignIn(harness, 'customer')
  const portal = await openPage(harness, PHONE)
  await signIn(portal.page, customer.email, customer.password)
  const claimId = await firstDecidedClaim(portal.page)
  await portal.page.goto(`/my/claims/${encodeURIComponent(claimId)}`)
  const explanation = portal.page.getByTestId('decision-explanation').first()
  await explanation.waitFor()
  const words = (await explanation.textContent()) ?? ''
  assert.ok(words.length > 40, `an explanation a customer can read: ${words}`)
  assert.match(words, /covered|accepted/)
  assert.doesNotMatch(words, RAW_CODE)

  const all = await portal.page.evaluate(() => document.querySelector('main')?.textContent ?? '')
  assert.doesNotMatch(all, RAW_CODE, 'no clause id or policy reference anywhere on the customer’s page')
  assert.equal(await portal.page.getByTestId('decision-codes').count(), 0, 'no staff fold for a customer')
  const policyWords = portal.page.getByTestId('decision-policy-words').first()
  assert.equal(
    await policyWords.evaluate((el) => (el as HTMLDetailsElement).open),
    false,
    'the fold starts closed',
  )
  await policyWords.locator(':scope > summary').click()
  assert.ok(await policyWords.locator('blockquote').first().isVisible(), 'opened, it quotes the policy')
  assert.deepEqual(portal.problems, [])
  await portal.context.close()
})

test('in Chinese the card shows the Chinese explanation, and the staff page keeps codes folded', async () => {
  const customer = findSignIn(harness, 'customer')
  const portal = await openPage(harness, DESK)
  await signIn(portal.page, customer.email, customer.password)
  const claimId = await firstDecidedClaim(portal.page)
  await portal.page.evaluate(() => localStorage.setItem('aftercare.language', 'zh'))
  await portal.page.goto(`/my/claims/${encodeURIComponent(claimId)}`)
  const explanation = portal.page.getByTestId('decision-explanation').first()
  await explanation.waitFor()
  const words = (await explanation.textContent()) ?? ''
  assert.match(words, /[\u4e00-\u9fff]/, `the explanation follows the page's language: ${words}`)
  assert.doesNotMatch(words, RAW_CODE)
  // Its dates are written as the rest of the page writes them, not as ISO dates.
  assert.doesNotMatch(words, /\d{4}-\d{2}-\d{2}/, words)
  // The policy's words quote each sentence once.
  const quoted = await portal.page
    .getByTestId('decision-policy-words')
    .first()
    .locator('blockquote')
    .allTextContents()
  assert.equal(new Set(quoted).size, quoted.length, quoted.join(' | '))
  await portal.context.close()

  const staff = findSignIn(harness, 'support')
  const desk = await openPage(harness, DESK)
  await signIn(desk.page, staff.email, staff.password)
  await desk.page.goto(`/staff/claims/${encodeURIComponent(claimId)}`)
  await desk.page.getByTestId('decision-summary').first().waitFor()
  assert.doesNotMatch(await textOutsideStaffFold(desk.page), RAW_CODE)
  // Staff are told the explanation is the customer's, which is why it says "your claim".
  assert.match(
    (await desk.page.getByTestId('decision-summary').first().textContent()) ?? '',
    /What the customer reads/,
  )
  const fold = desk.page.getByTestId('decision-codes').first()
  await fold.locator(':scope > summary').click()
  assert.equal(await fold.evaluate((el) => (el as HTMLDetailsElement).open), true)
  assert.ok(await fold.getByText(RAW_CODE).first().isVisible(), 'opened, the fold shows the codes')
  assert.deepEqual(desk.problems, [])
  await desk.context.close()
})
