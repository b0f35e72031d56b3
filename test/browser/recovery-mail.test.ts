import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import {
  type Harness,
  makersRecoveryClaim,
  openPage,
  PHONE,
  sendAndReadOutbox,
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

test('the maker hears by e-mail of a recovery claim submitted to it, and its link opens the claim after signing in', async () => {
  const { maker, id: recoveryId } = await makersRecoveryClaim(harness)
  const before = new Set((await sendAndReadOutbox(harness)).map((mail) => mail.file))

  // Staff record the submission of the maker's outside creditor.
  const staff = await signedInApi(harness, 'admin')
  const read = (await (await staff.request.get(`/api/v1/recoveries/${recoveryId}`)).json()) as {
    version: number
  }
  const submitted = await staff.request.post(`/api/v1/recoveries/${recoveryId}/submit`, {
    data: {},
    headers: { 'x-csrf-token': staff.csrf, 'if-match': `"${read.version}"` },
  })
  assert.equal(submitted.status(), 200, await submitted.text())
  await staff.close()

  const fresh = (await sendAndReadOutbox(harness)).filter((mail) => !before.has(mail.file))
  const told = fresh.filter((mail) => mail.to.includes(maker.email))
  assert.equal(told.length, 1, `one message to the maker among: ${fresh.map((m) => m.to).join(', ')}`)
  const mail = told[0]
  assert.ok(mail)
  assert.match(mail.html, /¥240\.00|CN¥240\.00/, 'it names the amount claimed')
  const link = mail.links.find((href) => href.includes('/recoveries/'))
  assert.ok(link, mail.links.join(' '))
  assert.equal(new URL(link).pathname, `/recoveries/${recoveryId}`)
  // Nobody else of the parties is told: the creditor has no users here, staff took the step.
  assert.deepEqual(
    fresh.filter((m) => m.links.some((href) => href.includes('/recoveries/')) && m !== mail).map((m) => m.to),
    [],
  )

  // Followed signed out: sign in, then the claim to answer.
  const { page, context, problems } = await openPage(harness, PHONE)
  await page.goto(link)
  await page.waitForURL(/\/sign-in/)
  await page.locator('input[type="email"]').first().fill(maker.email)
  await page.locator('input[type="password"]').first().fill(maker.password)
  await page.locator('form button[type="submit"]').first().click()
  await page.waitForURL((url) => url.pathname === `/recoveries/${recoveryId}`)
  await page.locator('[data-testid="recovery-page"][data-state="submitted"]').waitFor()
  await page.locator('[data-action="accept"]').waitFor()
  assert.deepEqual(problems, [])
  await context.close()
})
