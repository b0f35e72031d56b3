import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import {
  DESK,
  findIdleUnit,
  type Harness,
  openClaimPage,
  PHONE,
  signedInApi,
  startHarness,
  stepClaim,
} from './browser-harness.ts'

let harness: Harness
before(async () => {
  harness = await startHarness()
})
after(async () => {
  await harness?.close()
})

interface Claim {
  id: string
  serial: string
  state: string
  inspection?: { findings?: string[]; faultCausedBy?: string[] } | null
  finalDecision?: {
    covered: boolean
    exclusions: { code: string }[]
    trace: { clause: string; outcome?: string; because?: { en: string; zh: string } }[]
  } | null
}

const WORDS = {
  en: {
    locale: 'en-GB',
    sealsIntact: 'Warranty seals intact',
    faultConfirmed: 'Fault reproduced',
    manufacturingDefect: 'Manufacturing defect',
    scratch: 'Physical damage',
    causes: 'What caused the fault',
    stated: 'Only the findings ticked here caused the fault',
    submit: 'Record inspection',
    causedByNone: 'None of the findings',
    decide: 'Decide',
    covered: /^✓ Covered/,
    notMet: 'not met',
  },
  zh: {
    locale: 'zh-CN',
    sealsIntact: '保修封签完好',
    faultConfirmed: '故障已复现',
    manufacturingDefect: '制造缺陷',
    scratch: '外力损坏',
    causes: '故障原因',
    stated: '只有此处勾选的检测发现造成了故障',
    submit: '记录检测结果',
    causedByNone: '均非检测发现所致',
    decide: '作出决定',
    covered: /^✓ 在保修范围内/,
    notMet: '条件未满足',
  },
} as const

/**
 * A claim received at the bench, ready for its inspection, on a unit of the demo customer
 * bought and delivered two months ago: well inside any warranty, so only the inspection decides.
 */
async function receivedClaim(description: string) {
  const customer = await signedInApi(harness, 'customer')
  const staff = await signedInApi(harness, 'support')
  const serial = await findIdleUnit(customer.request)
  const recently = new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10)
  await harness.database.db
    .updateTable('units')
    .set({ purchased_on: recently, shipped_on: recently, delivered_on: recently, activated_on: null })
    .where('serial', '=', serial)
    .execute()
  const opened = await customer.request.post('/api/v1/claims', {
    data: { serial, problem: { kind: 'malfunction', description }, evidence: ['defect-media'] },
    headers: { 'x-csrf-token': customer.csrf },
  })
  assert.equal(opened.status(), 201, await opened.text())
  const claim = (await opened.json()) as Claim
  await stepClaim(staff, claim.id, 'authorize-return')
  await stepClaim(staff, claim.id, 'receive-unit')
  await customer.close()
  return { claim, staff }
}

for (const language of ['en', 'zh'] as const) {
  const words = WORDS[language]
  test(`a technician in ${language} sets a scratch aside as no cause of the fault, and the repair is covered`, async () => {
    const { claim, staff } = await receivedClaim(
      language === 'zh' ? '传感器失灵。' : 'The sensor stopped working.',
    )
    const { page, context, problems } = await openClaimPage(
      harness,
      'technician',
      claim.id,
      language === 'zh' ? PHONE : DESK,
      { locale: words.locale },
    )
    const form = page.getByTestId('inspection-form')
    await form.waitFor()
    await form.getByRole('radio', { name: words.sealsIntact }).check()
    await form.getByRole('checkbox', { name: words.faultConfirmed, exact: true }).check()
    await form.getByRole('checkbox', { name: words.manufacturingDefect, exact: true }).check()
    // The whole standard package came back: nothing missing refuses the claim.
    for (const item of await form.getByTestId('package-item').getByRole('checkbox').all()) await item.check()
    const causes = form.getByRole('group', { name: words.causes })
    await form.getByRole('checkbox', { name: words.scratch, exact: true }).check()
    await causes.getByRole('checkbox', { name: words.stated }).check()
    // The causes offered are the findings ticked: the scratch, left unticked here.
    const offered = causes.getByRole('checkbox', { name: words.scratch, exact: true })
    assert.equal(await offered.count(), 1)
    assert.equal(await offered.isChecked(), false)
    assert.equal(
      await causes.getByRole('checkbox').count(),
      2,
      'only the ticked finding is offered as a cause',
    )

    await form.getByRole('button', { name: words.submit, exact: true }).click()
    await page.getByTestId('inspection-summary').waitFor()
    const inspected = (await (await staff.request.get(`/api/v1/claims/${claim.id}`)).json()) as Claim
    assert.deepEqual(inspected.inspection?.findings, ['physical-damage'])
    assert.deepEqual(inspected.inspection?.faultCausedBy, [], 'the scratch is recorded as no cause')
    assert.equal(await page.getByTestId('inspection-causes-recorded').textContent(), words.causedByNone)

    await page.getByRole('button', { name: words.decide, exact: true }).click()
    // The provisional decision's summary is already on the page: wait for the page to show
    // the claim decided, so what is read below is the final decision.
    await page.locator('[data-testid="claim-state"][data-state="decided"]').waitFor()
    const summary = page.getByTestId('decision-summary')
    await summary.waitFor()
    const decided = (await (await staff.request.get(`/api/v1/claims/${claim.id}`)).json()) as Claim
    assert.equal(decided.finalDecision?.covered, true, JSON.stringify(decided.finalDecision))
    assert.match((await summary.locator('.verdict-title').textContent()) ?? '', words.covered)
    // The damage clause that did not refuse the repair says why, beside the clauses that applied.
    const setAside = decided.finalDecision?.trace.find((line) => line.outcome === 'not-met' && line.because)
    assert.ok(setAside?.because, 'the decision tells which damage clause was set aside')
    const shown = page
      .getByTestId('decision-trace')
      .locator('.clause-list')
      .first()
      .locator('li[data-outcome="not-met"]', { hasText: setAside.clause })
    assert.equal(await shown.count(), 1, 'the clause is listed first-class, not folded away')
    const text = (await shown.textContent()) ?? ''
    assert.ok(text.includes(words.notMet), text)
    assert.ok(text.includes(setAside.because[language]), text)
    assert.deepEqual(problems, [])
    await context.close()
    await staff.close()
  })
}

test('a cause the server refuses is told beside the causes, by their label', async () => {
  const { claim, staff } = await receivedClaim('The sensor stopped working.')
  const { page, context } = await openClaimPage(harness, 'technician', claim.id, DESK, {
    // The refusal's 400 is the point of the test.
    allow: [/status of 400/],
  })
  // A form out of step with the server (say a finding unticked in another tab) sends a cause
  // that is not among the findings: the refusal names body.faultCausedBy.0.
  await page.route(`**/api/v1/claims/${claim.id}/transitions/record-inspection`, async (route) => {
    const body = route.request().postDataJSON() as Record<string, unknown>
    await route.continue({ postData: JSON.stringify({ ...body, faultCausedBy: ['liquid-damage'] }) })
  })
  const form = page.getByTestId('inspection-form')
  await form.waitFor()
  await form.getByRole('radio', { name: WORDS.en.sealsIntact }).check()
  await form.getByRole('checkbox', { name: WORDS.en.scratch, exact: true }).check()
  await form.getByRole('button', { name: WORDS.en.submit, exact: true }).click()
  const causes = form.getByRole('group', { name: WORDS.en.causes })
  const note = causes.getByRole('alert')
  await note.waitFor()
  assert.equal(await note.textContent(), "What caused the fault: must be one of the inspection's findings")
  assert.match((await causes.getAttribute('aria-describedby')) ?? '', /inspection-faultCausedBy-error/)
  assert.equal(await page.getByRole('alert').count(), 1, 'the refusal is told once, beside its field')
  const untouched = (await (await staff.request.get(`/api/v1/claims/${claim.id}`)).json()) as Claim
  assert.equal(untouched.state, 'received')
  await context.close()
  await staff.close()
})
