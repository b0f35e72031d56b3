import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import {
  DESK,
  type Harness,
  openClaimPage,
  openCustomerClaim,
  signedInApi,
  startHarness,
  stepClaim,
} from './browser-harness.ts'

let harness: Harness
/** The demo customer has few idle units: one claim with an open question serves every test here. */
let questioned: string
const QUESTION = 'Which firmware version does the unit show?'
before(async () => {
  harness = await startHarness()
  questioned = await claimWithQuestion(QUESTION)
})
after(async () => {
  await harness?.close()
})

const LANGUAGES = [
  { label: 'en', locale: 'en-GB', html: 'en' },
  { label: 'zh', locale: 'zh-CN', html: 'zh-CN' },
] as const

/** A claim of the demo customer on which service has asked `question`. */
async function claimWithQuestion(question: string): Promise<string> {
  const claim = await openCustomerClaim<{ id: string }>(harness, 'The screen flickers.')
  const staff = await signedInApi(harness, 'support')
  await stepClaim(staff, claim.id, 'request-info', { request: question })
  await staff.close()
  return claim.id
}

/** Tokyo has no summer time: every moment of the test is nine hours ahead of UTC there. */
const TOKYO = {
  timezoneId: 'Asia/Tokyo',
  zone: { en: '(Japan Standard Time)', zh: '（日本标准时间）' },
  offsetHours: 9,
}

/** The clock time of `iso` in Tokyo as the page writes it: "14:36". */
function tokyoClock(iso: string): string {
  const at = new Date(new Date(iso).getTime() + TOKYO.offsetHours * 3_600_000)
  // Both languages write the 24-hour clock, English as the e-mails and documents do (en-GB).
  return `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')}`
}

for (const language of LANGUAGES) {
  test(`a customer in Tokyo reads every time of the claim in Tokyo time, and the zone is named (${language.label})`, async () => {
    const { page, context, problems } = await openClaimPage(harness, 'customer', questioned, DESK, {
      locale: language.locale,
      timezoneId: TOKYO.timezoneId,
    })
    await page.getByTestId('timeline').waitFor()
    await page.getByTestId('open-question').waitFor()
    const zone = TOKYO.zone[language.label]
    const moments = await page
      .locator('[data-testid="timeline"] time')
      .evaluateAll((nodes) =>
        nodes.map((node) => ({ at: node.getAttribute('datetime') ?? '', shown: node.textContent ?? '' })),
      )
    assert.ok(moments.length >= 2, 'the history has its entries')
    for (const { at, shown } of moments) {
      assert.ok(shown.endsWith(zone), `${shown} names the zone`)
      assert.ok(shown.replace(/\s/g, ' ').includes(tokyoClock(at).replace(/\s/g, ' ')), shown)
    }
    // The question's time is written as the history writes it, the zone with it.
    assert.ok(((await page.getByTestId('open-question').textContent()) ?? '').endsWith(zone))

    // The list of the customer's claims writes the time each changed the same way.
    await page.goto('/my')
    await page
      .locator(`a[href$="${encodeURIComponent(questioned)}"]`)
      .first()
      .waitFor()
    assert.ok(
      ((await page.locator('main').textContent()) ?? '').includes(zone),
      'the claim list names the zone',
    )
    assert.deepEqual(problems, [])
    await context.close()
  })
}

test('staff in New York read the claim in their own time, the zone named', async () => {
  const { page, context, problems } = await openClaimPage(harness, 'support', questioned, DESK, {
    timezoneId: 'America/New_York',
  })
  await page.getByTestId('timeline').waitFor()
  const shown = await page.locator('[data-testid="timeline"] time').allTextContents()
  assert.ok(shown.length > 0)
  // December: New York keeps standard time.
  for (const time of shown) assert.ok(time.endsWith('(Eastern Standard Time)'), time)
  assert.deepEqual(problems, [])
  await context.close()
})
