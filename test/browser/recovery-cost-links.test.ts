import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { createUser } from '../../src/auth/create-user.ts'
import {
  DESK,
  findSignIn,
  type Harness,
  openPage,
  PHONE,
  signInPageAs,
  startHarness,
} from './browser-harness.ts'

let harness: Harness
before(async () => {
  harness = await startHarness()
})
after(async () => {
  await harness?.close()
})

interface Line {
  claimId: string
  claimVisible: boolean
  evidence: { costLineIds: string[]; eventSeqs: number[] }
}

interface CostLine {
  id: string
  payer: string
  amountMinor: number
}

/**
 * Follows each cost entry a recovery line cites, from the recovery's page, to the claim's
 * page: the cost of that entry is in its Costs section, in view and focused, with who pays it
 * in the page's language. Lines whose claim the reader may not open name their entries
 * without a link. Returns how many entries were followed.
 */
async function followCitedCosts(
  page: Page,
  recoveryId: string,
  claimPath: RegExp,
  words: { title: string; payers: Record<string, string> },
): Promise<number> {
  const view = (await (await page.request.get(`/api/v1/recoveries/${recoveryId}`)).json()) as {
    lines: Line[]
  }
  let followed = 0
  for (const [index, line] of view.lines.entries()) {
    for (const costLineId of line.evidence.costLineIds) {
      const label = costLineId.slice(0, 8)
      await page.goto(`/recoveries/${encodeURIComponent(recoveryId)}`)
      const row = page.locator('[data-testid="recovery-lines"] tbody tr').nth(index)
      await row.waitFor()
      const link = row.getByTestId('recovery-line-cost').filter({ hasText: new RegExp(`^${label}$`) })
      if (!line.claimVisible) {
        assert.equal(await link.count(), 0, `${label} is not linked for a reader kept out of the claim`)
        continue
      }
      await link.click()
      const anchor = `cost-${costLineId}`
      await page.waitForURL((url) => claimPath.test(url.pathname) && url.hash === `#${anchor}`)
      const cost = page.locator(`[id="${anchor}"]`)
      await cost.waitFor()
      // The cost bears the entry the line cites it by, under the section's title.
      assert.equal(await cost.getByTestId('cost-line-entry').textContent(), label)
      const section = page.getByTestId('costs')
      assert.equal(await section.getByRole('heading').textContent(), words.title)
      const costs = (await (
        await page.request.get(`/api/v1/claims/${encodeURIComponent(line.claimId)}/cost-lines`)
      ).json()) as { items: CostLine[] }
      const cited = costs.items.find((item) => item.id === costLineId)
      assert.ok(cited, `${label} is among the claim's costs the reader may see`)
      assert.equal(await cost.getByTestId('cost-line-payer').textContent(), words.payers[cited.payer])
      await page.waitForFunction((id) => document.activeElement?.id === id, anchor)
      const box = await cost.boundingBox()
      const viewport = page.viewportSize()
      assert.ok(box && viewport, 'the cost is drawn')
      assert.ok(
        box.y >= 0 && box.y + Math.min(box.height, 40) <= viewport.height,
        `${label} is in view: ${JSON.stringify(box)}`,
      )
      followed++
    }
  }
  return followed
}

const ENGLISH = {
  title: 'Costs',
  payers: {
    vendor: 'the seller',
    dealer: 'the dealer',
    manufacturer: 'the manufacturer',
    customer: 'the customer',
  },
}
const CHINESE = {
  title: '费用',
  payers: { vendor: '销售方', dealer: '经销商', manufacturer: '制造商', customer: '客户' },
}

test('a dealer on a phone follows each cost entry its recovery lines cite to that cost on the claim', async () => {
  const dealer = findSignIn(harness, 'dealer', 0)
  const { page, context, problems } = await openPage(harness, PHONE)
  await signInPageAs(harness, page, 'dealer')
  const { items } = (await (await page.request.get('/api/v1/recoveries?limit=20')).json()) as {
    items: { id: string }[]
  }
  assert.ok(items.length > 0, `${dealer.email} has a recovery claim`)
  let followed = 0
  for (const item of items) followed += await followCitedCosts(page, item.id, /^\/dealer\/claims\//, ENGLISH)
  assert.ok(followed > 0, 'the demo lines cite costs')
  assert.deepEqual(problems, [])
  await context.close()
})

/** The demo's recovery claim whose lines cite a cost, with the organisation that owes it. */
async function recoveryCitingCosts(harness: Harness): Promise<{ id: string; debtorOrgId: string }> {
  const lines = await harness.database.db
    .selectFrom('recovery_lines as l')
    .innerJoin('recovery_claims as r', 'r.id', 'l.recovery_id')
    .select(['r.id', 'r.debtor_org_id', 'l.evidence_json'])
    .orderBy('r.id')
    .execute()
  const citing = lines.find((line) => line.evidence_json.includes('"costLineIds":["'))
  assert.ok(citing, 'a demo recovery line cites a cost')
  return { id: citing.id, debtorOrgId: citing.debtor_org_id }
}

test('staff reading in Chinese follow the cost a recovery line cites; the maker that owes it reads it without a link', async () => {
  const { id, debtorOrgId } = await recoveryCitingCosts(harness)
  const staff = await openPage(harness, DESK, { locale: 'zh-CN' })
  await signInPageAs(harness, staff.page, 'admin')
  assert.ok(
    (await followCitedCosts(staff.page, id, /^\/staff\/claims\//, CHINESE)) > 0,
    'the line cites a cost',
  )
  assert.deepEqual(staff.problems, [])
  await staff.context.close()

  // The maker owes the line but may not open the dealer's claim: the entry is named only,
  // and what it is asked to pay for it reads through the API, the costs cited and no others.
  const maker = { email: 'cost-reader@maker.example', password: 'a maker reads its costs' }
  await createUser(
    harness.database.db,
    { ...maker, name: 'Maker', role: 'dealer', orgId: debtorOrgId },
    new Date(),
  )
  const debtor = await openPage(harness, PHONE, { locale: 'zh-CN' })
  const signedIn = await debtor.page.request.post('/api/v1/auth/sign-in', { data: maker })
  assert.equal(signedIn.status(), 200)
  assert.equal(await followCitedCosts(debtor.page, id, /^\/dealer\/claims\//, CHINESE), 0)
  const evidence = await debtor.page.getByTestId('recovery-line-evidence').allTextContents()
  assert.ok(
    evidence.some((text) => /费用记录 [0-9a-f]{8}/.test(text)),
    evidence.join(' | '),
  )
  const view = (await (await debtor.page.request.get(`/api/v1/recoveries/${id}`)).json()) as {
    lines: Line[]
  }
  const line = view.lines.find((each) => each.evidence.costLineIds.length > 0)
  assert.ok(line, 'a line cites a cost')
  const claim = await debtor.page.request.get(`/api/v1/claims/${encodeURIComponent(line.claimId)}`)
  assert.equal(claim.status(), 404, 'the claim stays the dealer’s')
  const costs = await debtor.page.request.get(`/api/v1/claims/${encodeURIComponent(line.claimId)}/cost-lines`)
  assert.equal(costs.status(), 200)
  assert.deepEqual(
    ((await costs.json()) as { items: CostLine[] }).items.map((cost) => cost.id),
    line.evidence.costLineIds,
  )
  assert.deepEqual(debtor.problems, [])
  await debtor.context.close()
})
