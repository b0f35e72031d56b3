import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import {
  findSignIn,
  type Harness,
  makersRecoveryClaim,
  openPage,
  PHONE,
  readHorizontalOverflow,
  saveScreenshot,
  signedInApi,
  startHarness,
} from './browser-harness.ts'

let harness: Harness
before(async () => {
  harness = await startHarness()
})
after(async () => {
  await harness?.close()
})

interface Recovery {
  id: string
  version: number
  state: string
  lines: { id: string; claimNumber: string; amountMinor: number; reasonCode: string | null }[]
  totals: { claimedMinor: number; acceptedMinor: number }
}

/** The recovery claim addressed to the agent-brand maker, submitted by staff for its outside creditor. */
async function submitMakersRecovery(): Promise<Recovery> {
  const staff = await signedInApi(harness, 'admin')
  const { id } = await makersRecoveryClaim(harness)
  const read = (await (await staff.request.get(`/api/v1/recoveries/${id}`)).json()) as Recovery
  const submitted = await staff.request.post(`/api/v1/recoveries/${id}/submit`, {
    data: {},
    headers: { 'x-csrf-token': staff.csrf, 'if-match': `"${read.version}"` },
  })
  assert.equal(submitted.status(), 200, await submitted.text())
  const answer = (await submitted.json()) as Recovery
  await staff.close()
  return answer
}

test('the maker answers line by line on a phone in Chinese, each amount named by the claim it is for', async () => {
  const recovery = await submitMakersRecovery()
  assert.ok(recovery.lines.length > 1, 'the demo files more than one line in the maker’s recovery claim')
  const first = recovery.lines[0]
  assert.ok(first)

  const maker = findSignIn(harness, 'dealer', 2)
  const { page, context, problems } = await openPage(harness, PHONE, { locale: 'zh-CN' })
  const signedIn = await page.request.post('/api/v1/auth/sign-in', {
    data: { email: maker.email, password: maker.password },
  })
  assert.equal(signedIn.status(), 200)
  await page.goto(`/recoveries/${encodeURIComponent(recovery.id)}`)
  await page.locator('[data-testid="recovery-page"][data-state="submitted"]').waitFor()

  // Two lines of one kind read the same: only the claim they are for tells the maker which is which.
  const answers = page.locator('[data-testid="recovery-actions"] input[id^="accept-"]')
  const names = await answers.evaluateAll((inputs) =>
    inputs.map((input) => (input as HTMLInputElement).labels?.[0]?.textContent ?? ''),
  )
  assert.equal(names.length, recovery.lines.length)
  assert.equal(new Set(names).size, names.length, `each amount has a label of its own: ${names.join(' | ')}`)
  for (const [index, line] of recovery.lines.entries())
    assert.ok(names[index]?.includes(line.claimNumber), `${names[index]} names ${line.claimNumber}`)

  // The maker pays half of the first line for want of evidence; the rest as claimed, one line
  // of it typed over with its own amount (changed, then changed back).
  const second = recovery.lines[1]
  assert.ok(second)
  await page.getByLabel(new RegExp(first.claimNumber)).fill((first.amountMinor / 2 / 100).toFixed(2))
  await page.getByLabel(new RegExp(second.claimNumber)).fill('1')
  await page.getByLabel(new RegExp(second.claimNumber)).fill((second.amountMinor / 100).toFixed(2))
  await page.locator('#recovery-line-reason').selectOption('no-evidence')
  await page.locator('[data-action="partly-accept"]').click()
  await page.locator('[data-testid="recovery-page"][data-state="partly-accepted"]').waitFor()
  const answered = (await (await page.request.get(`/api/v1/recoveries/${recovery.id}`)).json()) as Recovery
  assert.equal(answered.totals.acceptedMinor, recovery.totals.claimedMinor - first.amountMinor / 2)
  // The reason is the cut's: a line paid in full carries none, so the page shows none under it.
  const reasons = Object.fromEntries(answered.lines.map((line) => [line.id, line.reasonCode]))
  assert.deepEqual(reasons, { [first.id]: 'no-evidence', [second.id]: null })
  assert.equal(await readHorizontalOverflow(page), 0)
  await saveScreenshot(page, 'recovery-maker-answer-zh-phone')
  assert.deepEqual(problems, [])
  await context.close()
})

test('on a phone the totals of a recovery claim say which is claimed and which accepted, as each line does', async () => {
  const dealer = findSignIn(harness, 'dealer', 0)
  const { page, context, problems } = await openPage(harness, PHONE, { locale: 'zh-CN' })
  const signedIn = await page.request.post('/api/v1/auth/sign-in', {
    data: { email: dealer.email, password: dealer.password },
  })
  assert.equal(signedIn.status(), 200)
  const { items } = (await (await page.request.get('/api/v1/recoveries?limit=5')).json()) as {
    items: Recovery[]
  }
  const recovery = items[0]
  assert.ok(recovery, 'the demo dealer has a recovery claim')
  await page.goto(`/recoveries/${encodeURIComponent(recovery.id)}`)
  await page.getByTestId('recovery-lines').waitFor()
  // The table is a stack of cards there: a cell's label is drawn before it from its data-label.
  const totals = await page
    .locator('[data-testid="recovery-lines"] tfoot td')
    .evaluateAll((cells) =>
      cells.map((cell) => `${getComputedStyle(cell, '::before').content} ${cell.textContent ?? ''}`),
    )
  assert.equal(totals.length, 2)
  assert.match(totals[0] ?? '', /^"索赔金额" /, totals[0])
  assert.match(totals[1] ?? '', /^"已认可" /, totals[1])

  assert.deepEqual(problems, [])
  await context.close()
})

test('the maker’s ledger in Chinese does not call what it owes receivable', async () => {
  const maker = findSignIn(harness, 'dealer', 2)
  const { page, context, problems } = await openPage(harness, PHONE, { locale: 'zh-CN' })
  const signedIn = await page.request.post('/api/v1/auth/sign-in', {
    data: { email: maker.email, password: maker.password },
  })
  assert.equal(signedIn.status(), 200)
  await page.goto('/recoveries')
  const ledger = page.getByTestId('recovery-ledger')
  await ledger.locator('tbody tr').first().waitFor()
  // The row says who owes whom (甲 应付 乙); a column read by both sides must not take one side's view.
  assert.match((await ledger.locator('tbody tr').first().textContent()) ?? '', /应付/)
  const headings = await ledger.locator('thead th').allTextContents()
  assert.ok(headings.length > 2)
  for (const heading of headings) assert.doesNotMatch(heading, /应收/, heading)
  assert.deepEqual(problems, [])
  await context.close()
})

test('once the creditor writes off the rest, the recovery claim says how much was written off, as its ledger does', async () => {
  const staff = await signedInApi(harness, 'admin')
  const { items } = (await (await staff.request.get('/api/v1/recoveries?limit=50')).json()) as {
    items: (Recovery & { paid: unknown })[]
  }
  const answered = items.find((r) => r.state === 'partly-accepted')
  assert.ok(answered, 'the maker answered its recovery claim in part (the first test)')
  const step = async (action: string, data: Record<string, unknown>) => {
    const now = (await (await staff.request.get(`/api/v1/recoveries/${answered.id}`)).json()) as Recovery
    const response = await staff.request.post(`/api/v1/recoveries/${answered.id}/${action}`, {
      data,
      headers: { 'x-csrf-token': staff.csrf, 'if-match': `"${now.version}"` },
    })
    assert.equal(response.status(), 200, await response.text())
    return (await response.json()) as Recovery & { totals: { writtenOffMinor: number } }
  }
  // Staff record the maker's payment of a part of what it accepted; the creditor writes off the rest.
  const paidMinor = answered.totals.acceptedMinor - 2000
  // Paid on the day it was submitted: money does not arrive before the maker was asked for it.
  const paidOn = String((answered as { submittedAt?: string | null }).submittedAt ?? '').slice(0, 10)
  await step('record-payment', { amountMinor: paidMinor, paidOn, reference: 'BANK-1' })
  const closed = await step('write-off', {})
  assert.equal(closed.totals.writtenOffMinor, answered.totals.claimedMinor - paidMinor)
  await staff.close()

  const maker = findSignIn(harness, 'dealer', 2)
  const { page, context, problems } = await openPage(harness, PHONE, { locale: 'zh-CN' })
  const signedIn = await page.request.post('/api/v1/auth/sign-in', {
    data: { email: maker.email, password: maker.password },
  })
  assert.equal(signedIn.status(), 200)
  await page.goto(`/recoveries/${encodeURIComponent(answered.id)}`)
  await page.locator('[data-testid="recovery-page"][data-state="written-off"]').waitFor()
  const written = page.getByTestId('recovery-written-off')
  await written.waitFor()
  const amount = (closed.totals.writtenOffMinor / 100).toFixed(2)
  assert.match((await written.textContent()) ?? '', new RegExp(`¥${amount}`))
  assert.deepEqual(problems, [])
  await context.close()
})

interface LineWithEvidence {
  claimId: string
  claimNumber: string
  claimVisible: boolean
  evidence: { costLineIds: string[]; eventSeqs: number[] }
}

/**
 * Reads, line by line, what the page shows under each line of a recovery claim: its claim
 * (a link or the number alone) and its evidence, against what the API gives the same reader.
 */
async function checkLineEvidence(
  page: Page,
  recoveryId: string,
  words: { costs: string; events: string; none: string; foreign: RegExp },
): Promise<LineWithEvidence[]> {
  const view = (await (await page.request.get(`/api/v1/recoveries/${recoveryId}`)).json()) as {
    lines: LineWithEvidence[]
  }
  await page.goto(`/recoveries/${encodeURIComponent(recoveryId)}`)
  const rows = page.locator('[data-testid="recovery-lines"] tbody tr')
  await rows.first().waitFor()
  assert.equal(await rows.count(), view.lines.length)
  for (const [index, line] of view.lines.entries()) {
    const row = rows.nth(index)
    const claim = row.getByTestId('recovery-line-claim')
    assert.equal((await claim.textContent())?.trim(), line.claimNumber)
    assert.equal(
      await claim.evaluate((node) => node.tagName),
      line.claimVisible ? 'A' : 'SPAN',
      line.claimNumber,
    )
    const evidence = (await row.getByTestId('recovery-line-evidence').textContent()) ?? ''
    const { costLineIds, eventSeqs } = line.evidence
    if (costLineIds.length === 0 && eventSeqs.length === 0) assert.ok(evidence.includes(words.none), evidence)
    if (costLineIds.length > 0) assert.ok(evidence.includes(words.costs), evidence)
    for (const id of costLineIds) assert.ok(evidence.includes(id.slice(0, 8)), `${evidence} names ${id}`)
    if (eventSeqs.length > 0) assert.ok(evidence.includes(words.events), evidence)
    for (const seq of eventSeqs) assert.match(evidence, new RegExp(`#${seq}(?!\\d)`), evidence)
    assert.doesNotMatch(evidence, words.foreign, evidence)
  }
  return view.lines
}

test('under each line the reader finds its claim, linked only where it may open it, and the evidence behind it, in Chinese and in English', async () => {
  const { maker, id: owedId } = await makersRecoveryClaim(harness)
  const zh = await openPage(harness, PHONE, { locale: 'zh-CN' })
  const makerIn = await zh.page.request.post('/api/v1/auth/sign-in', {
    data: { email: maker.email, password: maker.password },
  })
  assert.equal(makerIn.status(), 200)
  const makerLines = await checkLineEvidence(zh.page, owedId, {
    costs: '费用记录',
    events: '历史记录',
    none: '未记录',
    foreign: /Evidence|entries|none recorded/,
  })
  assert.ok(
    makerLines.some((line) => line.evidence.eventSeqs.length + line.evidence.costLineIds.length > 0),
    'the demo lines carry evidence',
  )
  assert.equal(await readHorizontalOverflow(zh.page), 0)
  assert.deepEqual(zh.problems, [])
  await zh.context.close()

  // The creditor dealer, in English, opens the claim behind a line from it.
  const dealer = findSignIn(harness, 'dealer', 0)
  const en = await openPage(harness, PHONE)
  const dealerIn = await en.page.request.post('/api/v1/auth/sign-in', {
    data: { email: dealer.email, password: dealer.password },
  })
  assert.equal(dealerIn.status(), 200)
  const { items } = (await (await en.page.request.get('/api/v1/recoveries?limit=5')).json()) as {
    items: { id: string }[]
  }
  const own = items[0]
  assert.ok(own, 'the demo dealer has a recovery claim')
  const dealerLines = await checkLineEvidence(en.page, own.id, {
    costs: 'cost entries',
    events: 'history entries',
    none: 'none recorded',
    foreign: /[\u4e00-\u9fff]/,
  })
  const opened = dealerLines.findIndex((line) => line.claimVisible)
  assert.ok(opened >= 0, 'the dealer may open the claims of its own recovery claim')
  await en.page
    .locator('[data-testid="recovery-lines"] tbody tr')
    .nth(opened)
    .getByTestId('recovery-line-claim')
    .click()
  await en.page.waitForURL(/\/dealer\/claims\//)
  await en.page
    .getByText(dealerLines[opened]?.claimNumber ?? '?')
    .first()
    .waitFor()
  assert.deepEqual(en.problems, [])
  await en.context.close()
})
