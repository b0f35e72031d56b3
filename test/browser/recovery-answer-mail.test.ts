import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createUser } from '../../src/auth/create-user.ts'
import {
  type Harness,
  makersRecoveryClaim,
  openPage,
  PHONE,
  sendAndReadOutbox,
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
  id: string
  amountMinor: number
}

test('the creditor hears by e-mail, each user in their language, of the debtor’s answer and payment, and the link opens the recovery after signing in', async () => {
  const { db } = harness.database
  const { maker, id: recoveryId, creditorOrgId } = await makersRecoveryClaim(harness)
  // The creditor (the Shenzhen distributor) gets two people here: one left to the
  // organisation's language, one who chose English.
  const password = 'creditor-demo-2026'
  const chinese = await createUser(
    db,
    {
      email: 'chen@creditor.example',
      name: 'Chen Jing',
      role: 'dealer',
      orgId: creditorOrgId,
      password,
    },
    new Date(),
  )
  const english = await createUser(
    db,
    { email: 'sam@creditor.example', name: 'Sam Lee', role: 'dealer', orgId: creditorOrgId, password },
    new Date(),
  )
  await db.updateTable('users').set({ locale: 'en' }).where('id', '=', english.id).execute()

  // The creditor submits; the maker answers in part, then pays what it accepted.
  const browserContext = await harness.browser.newContext({ baseURL: harness.baseUrl })
  const api = browserContext.request
  const step = async (
    as: string,
    action: string,
    body: Record<string, unknown> | ((lines: Line[]) => Record<string, unknown>) = {},
  ) => {
    const signedIn = await api.post('/api/v1/auth/sign-in', {
      data: { email: as, password: signInPassword(as) },
    })
    assert.equal(signedIn.status(), 200, await signedIn.text())
    const { csrfToken } = (await signedIn.json()) as { csrfToken: string }
    const read = (await (await api.get(`/api/v1/recoveries/${recoveryId}`)).json()) as {
      version: number
      lines: Line[]
    }
    const done = await api.post(`/api/v1/recoveries/${recoveryId}/${action}`, {
      data: typeof body === 'function' ? body(read.lines) : body,
      headers: { 'x-csrf-token': csrfToken, 'if-match': `"${read.version}"` },
    })
    assert.equal(done.status(), 200, `${action}: ${await done.text()}`)
    return (await done.json()) as { totals: { claimedMinor: number; acceptedMinor: number } }
  }
  const signInPassword = (email: string) => (email === maker.email ? maker.password : password)
  const before = new Set((await sendAndReadOutbox(harness)).map((mail) => mail.file))
  await step(chinese.email, 'submit')
  const answered = await step(maker.email, 'partly-accept', (lines) => ({
    lines: lines.slice(0, 1).map((line) => ({
      lineId: line.id,
      acceptedMinor: Math.floor(line.amountMinor / 2),
      reasonCode: 'over-standard-time',
    })),
  }))
  const { acceptedMinor, claimedMinor } = answered.totals
  assert.ok(acceptedMinor > 0 && acceptedMinor < claimedMinor)
  await step(maker.email, 'record-payment', {
    amountMinor: acceptedMinor,
    paidOn: new Date().toISOString().slice(0, 10),
    reference: 'HK-2026-778',
  })
  await browserContext.close()

  const fresh = (await sendAndReadOutbox(harness)).filter((mail) => !before.has(mail.file))
  const to = (email: string) => fresh.filter((mail) => mail.to.includes(email))
  const yuan = (minor: number) => new RegExp(`¥${(minor / 100).toFixed(2).replace('.', '\\.')}`)
  const listed = fresh.map((m) => `${m.to}: ${m.subject}`).join('\n')
  assert.equal(to(chinese.email).length, 2, `the answer and the payment, among:\n${listed}`)
  const answerZh = to(chinese.email).find((mail) => /部分认可/.test(mail.subject))
  const paidZh = to(chinese.email).find((mail) => /已支付/.test(mail.subject))
  assert.ok(answerZh && paidZh, listed)
  assert.match(answerZh.html, /超出标准工时/, 'the reason, in Chinese')
  assert.match(answerZh.html, yuan(acceptedMinor))
  assert.match(paidZh.subject, /已支付/)
  assert.match(paidZh.html, /HK-2026-778/)
  assert.equal(to(english.email).length, 2, listed)
  const answerEn = to(english.email).find((mail) => /accepted .* of your recovery claim/.test(mail.subject))
  const paidEn = to(english.email).find((mail) => /paid .* of your recovery claim/.test(mail.subject))
  assert.ok(answerEn && paidEn, listed)
  assert.match(answerEn.html, /over the standard time/)
  // The debtor hears of the submission, never of its own answer.
  assert.equal(
    to(maker.email).length,
    1,
    to(maker.email)
      .map((mail) => mail.subject)
      .join('\n'),
  )

  const link = paidZh.links.find((href) => href.includes('/recoveries/'))
  assert.ok(link, paidZh.links.join(' '))
  assert.equal(new URL(link).pathname, `/recoveries/${recoveryId}`)
  assert.deepEqual(
    answerEn.links.filter((href) => href.includes('/recoveries/')),
    [link],
  )

  // Followed signed out: sign in, then the recovery claim, paid.
  const { page, context, problems } = await openPage(harness, PHONE)
  await page.goto(link)
  await page.waitForURL(/\/sign-in/)
  await page.locator('input[type="email"]').first().fill(chinese.email)
  await page.locator('input[type="password"]').first().fill(password)
  await page.locator('form button[type="submit"]').first().click()
  await page.waitForURL((url) => url.pathname === `/recoveries/${recoveryId}`)
  await page.locator('[data-testid="recovery-page"][data-state="paid"]').waitFor()
  assert.deepEqual(problems, [])
  await context.close()
})
