import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import {
  DESK,
  findSignIn,
  type Harness,
  makersRecoveryClaim,
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

/**
 * Follows each history entry a recovery line cites, from the recovery's page, to the claim's
 * page: the entry of that number is there, in view and focused. Lines whose claim the reader
 * may not open name their entries without a link. Returns how many entries were followed.
 */
async function followCitedEntries(page: Page, recoveryId: string, claimPath: RegExp): Promise<number> {
  const view = (await (await page.request.get(`/api/v1/recoveries/${recoveryId}`)).json()) as {
    lines: Line[]
  }
  let followed = 0
  for (const [index, line] of view.lines.entries()) {
    for (const seq of line.evidence.eventSeqs) {
      await page.goto(`/recoveries/${encodeURIComponent(recoveryId)}`)
      const row = page.locator('[data-testid="recovery-lines"] tbody tr').nth(index)
      await row.waitFor()
      const link = row.getByTestId('recovery-line-event').filter({ hasText: new RegExp(`^#${seq}$`) })
      if (!line.claimVisible) {
        assert.equal(await link.count(), 0, `#${seq} is not linked for a reader kept out of the claim`)
        continue
      }
      await link.click()
      await page.waitForURL((url) => claimPath.test(url.pathname) && url.hash === `#history-${seq}`)
      const entry = page.locator(`#history-${seq}`)
      await entry.waitFor()
      // The entry bears the label the line cites it by.
      assert.equal(await entry.getByTestId('timeline-seq').textContent(), `#${seq}`)
      await page.waitForFunction((id) => document.activeElement?.id === id, `history-${seq}`)
      const box = await entry.boundingBox()
      const viewport = page.viewportSize()
      assert.ok(box && viewport, 'the entry is drawn')
      assert.ok(
        box.y >= 0 && box.y + Math.min(box.height, 40) <= viewport.height,
        `#${seq} is in view: ${JSON.stringify(box)}`,
      )
      followed++
    }
  }
  return followed
}

test('a dealer on a phone follows each history entry its recovery lines cite to that entry on the claim', async () => {
  const dealer = findSignIn(harness, 'dealer', 0)
  const { page, context, problems } = await openPage(harness, PHONE)
  await signInPageAs(harness, page, 'dealer')
  const { items } = (await (await page.request.get('/api/v1/recoveries?limit=5')).json()) as {
    items: { id: string }[]
  }
  const own = items[0]
  assert.ok(own, `${dealer.email} has a recovery claim`)
  assert.ok(
    (await followCitedEntries(page, own.id, /^\/dealer\/claims\//)) > 0,
    'the demo lines cite history',
  )
  assert.deepEqual(problems, [])
  await context.close()
})

test('staff reading in Chinese follow the maker’s recovery lines to their history entries; the maker gets no links', async () => {
  const { maker, id } = await makersRecoveryClaim(harness)
  const staff = await openPage(harness, DESK, { locale: 'zh-CN' })
  await signInPageAs(harness, staff.page, 'admin')
  assert.ok(
    (await followCitedEntries(staff.page, id, /^\/staff\/claims\//)) > 0,
    'the demo lines cite history',
  )
  assert.deepEqual(staff.problems, [])
  await staff.context.close()

  // The maker owes the lines but may not open the seller's claims: the entries are named only.
  const debtor = await openPage(harness, PHONE, { locale: 'zh-CN' })
  const signedIn = await debtor.page.request.post('/api/v1/auth/sign-in', {
    data: { email: maker.email, password: maker.password },
  })
  assert.equal(signedIn.status(), 200)
  assert.equal(await followCitedEntries(debtor.page, id, /^\/dealer\/claims\//), 0)
  const evidence = await debtor.page.getByTestId('recovery-line-evidence').allTextContents()
  assert.ok(
    evidence.some((text) => /历史记录 #\d+/.test(text)),
    evidence.join(' | '),
  )
  assert.deepEqual(debtor.problems, [])
  await debtor.context.close()
})
