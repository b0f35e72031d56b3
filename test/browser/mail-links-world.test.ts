import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { hashPassword } from '../../src/auth/secrets.ts'
import { createTestUser } from '../../src/auth/test-support.ts'
import { claimNumber } from '../../src/claims/claim-view.ts'
import {
  decideLiquidDamage,
  findSignIn,
  type Harness,
  openClaimOnIdleUnit,
  openPage,
  type SentMail,
  sendAndReadOutbox,
  setDemoCustomerLocale,
  signedInApi,
  startHarness,
  stepClaim,
} from './browser-harness.ts'

/**
 * Every message a customer receives as a claim goes its way (a question, a denial, a quote to
 * accept and pay, a repair, a remote fix), read as they would read it, in Chinese and in
 * English: its text is whole and in their language, and every link opens the page it names,
 * asks a signed-out reader to sign in first, and shows nothing of the case to another party.
 */

let harness: Harness
/** Names and models a Chinese mail writes as they are spelled. */
let asIs: string[] = []
const STRANGER = { email: 'someone.else@example.com', password: 'someone-else-password' }

before(async () => {
  harness = await startHarness()
  const db = harness.database.db
  asIs = [
    ...(await db.selectFrom('customers').select('name').execute()).map((r) => r.name),
    ...(await db.selectFrom('organisations').select('name').execute()).map((r) => r.name),
    ...(await db.selectFrom('product_models').select('name').execute()).map((r) => r.name),
    ...(await db.selectFrom('users').select('name').execute()).map((r) => r.name),
    'Aftercare',
  ]
    .filter((n) => n.length > 1)
    .sort((a, b) => b.length - a.length)
  const stranger = await createTestUser(db, { role: 'customer', email: STRANGER.email })
  await db
    .updateTable('users')
    .set({ password_hash: await hashPassword(STRANGER.password) })
    .where('id', '=', stranger.userId)
    .execute()
})
after(async () => {
  await harness?.close()
})

interface Claim {
  id: string
  serial: string
  number?: string
}

const LANGUAGES = {
  zh: {
    browser: 'zh-CN',
    signIn: '登录',
    email: '电子邮箱',
    password: '密码',
    accept: '接受报价',
    answer: '您的回复',
    sendAnswer: '发送回复',
    repairOrder: /维修单/,
  },
  en: {
    browser: 'en-GB',
    signIn: 'Sign in',
    email: 'E-mail address',
    password: 'Password',
    accept: 'Accept the quote',
    answer: 'Your answer',
    sendAnswer: 'Send answer',
    repairOrder: /Repair order/,
  },
} as const
type Language = keyof typeof LANGUAGES

/** Lines of a Chinese mail still in English once names, addresses, links, codes and amounts are taken out. */
function englishIn(text: string): string[] {
  let rest = text
  for (const name of asIs) rest = rest.replaceAll(name, ' ')
  rest = rest
    // The ship-to address is printed as the seller wrote it, indented.
    .replace(/^ {4}.*$/gm, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/[\w.+-]+@[\w.-]+/g, ' ')
    .replace(/\b(?:USB|PDF|RMA|SN|US\$|mm)\b/g, ' ')
    .replace(/\b[A-Z0-9]+(?:-[A-Z0-9]+)+\b/g, ' ')
    // Tracking and payment references as the carrier or the bank gave them.
    .replace(/\b[A-Z]+[-]?\d+\b/g, ' ')
  return rest.split('\n').filter((line) => /[A-Za-z]{2,}/.test(line))
}

/** Lines of a page's main text still in English once names, codes and serials are taken out. */
async function englishOnPage(page: Page): Promise<string[]> {
  const text = await page.evaluate(() => {
    const main = document.querySelector('main') ?? document.body
    const lines: string[] = [document.title]
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement
      if (!parent || parent.closest('[translate="no"], code, script, style') || !parent.checkVisibility())
        continue
      lines.push(node.textContent ?? '')
    }
    return lines.join('\n')
  })
  return englishIn(text)
}

/** What a mail must be, whatever it says: whole, in its reader's language, about its claim. */
function checkMail(mail: SentMail, claim: Claim, language: Language) {
  const shown = `${mail.file}: ${mail.subject}`
  assert.ok(mail.text.trim().length > 0, `${shown} has a plain-text part`)
  assert.ok(mail.html.length > 0, `${shown} has an HTML part`)
  for (const part of [mail.subject, mail.text]) {
    assert.doesNotMatch(part, /\bundefined\b|\bnull\b|\bNaN\b|\[object /, `${shown}\n${part}`)
    // Dates are written out (2027年1月4日, 4 January 2027), never as an ISO day.
    assert.doesNotMatch(part, /\b\d{4}-\d{2}-\d{2}\b/, `${shown}\n${part}`)
  }
  assert.ok(mail.subject.includes(claim.number ?? '?'), `${shown} names the claim`)
  if (language === 'zh') {
    assert.deepEqual(englishIn(`${mail.subject}\n${mail.text}`), [], `${shown} is all Chinese\n${mail.text}`)
  } else {
    assert.doesNotMatch(`${mail.subject}\n${mail.text}`, /[\u4e00-\u9fff]/, `${shown} is all English`)
  }
  for (const link of mail.links.filter((l) => l.startsWith(harness.baseUrl))) {
    const { pathname } = new URL(link)
    const id = encodeURIComponent(claim.id)
    assert.ok(
      pathname === `/claims/${id}` || new RegExp(`^/api/v1/claims/${id}/quotes/[^/]+\\.pdf$`).test(pathname),
      `${shown} links to its own claim: ${link}`,
    )
  }
}

async function mailsAbout(claim: Claim, to: string) {
  return (await sendAndReadOutbox(harness)).filter((m) => m.claimId === claim.id && m.to.includes(to))
}

/** Sign-in as a party through the sign-in page a link sent them to. */
async function signInOnPage(page: Page, language: Language, who: { email: string; password: string }) {
  const words = LANGUAGES[language]
  await page.getByLabel(words.email).first().fill(who.email)
  await page.getByLabel(words.password).fill(who.password)
  await page.getByRole('button', { name: words.signIn, exact: true }).click()
}

/**
 * Follows a claim link signed out: the sign-in page (in the browser's language) comes first
 * and returns to the link; the customer lands on their page of the claim, in their language,
 * at the section the link named. The page is left open for the caller.
 */
async function followSignedOut(link: string, claim: Claim, language: Language) {
  const watched = await openPage(harness, undefined, { locale: LANGUAGES[language].browser })
  const { page } = watched
  await page.goto(link)
  await page.waitForURL((url) => url.pathname === '/sign-in')
  const next = new URL(page.url()).searchParams.get('next')
  const target = new URL(link)
  assert.equal(next, `${target.pathname}${target.hash}`, `the sign-in page returns to ${link}`)
  await page.getByRole('heading', { level: 1, name: LANGUAGES[language].signIn }).waitFor()
  await signInOnPage(page, language, findSignIn(harness, 'customer'))
  await page.waitForURL((url) => url.pathname === `/my/claims/${claim.id}`)
  assert.equal(new URL(page.url()).hash, target.hash, `${link} keeps its section`)
  await page.getByRole('heading', { level: 1, name: new RegExp(claim.number ?? '?') }).waitFor()
  await page.waitForFunction(
    (lang) => document.documentElement.lang === lang,
    language === 'zh' ? 'zh-CN' : 'en',
  )
  await page.waitForLoadState('networkidle')
  if (language === 'zh') assert.deepEqual(await englishOnPage(page), [], `${link} opens a Chinese page`)
  return watched
}

/** Another party following the same link sees that there is nothing for them: no number, no serial. */
async function expectHiddenFrom(link: string, claim: Claim, who: { email: string; password: string }) {
  const watched = await openPage(harness, undefined, { allow: [/status of 404/] })
  try {
    const signedIn = await watched.page.request.post('/api/v1/auth/sign-in', {
      data: { email: who.email, password: who.password },
    })
    assert.equal(signedIn.status(), 200)
    const response = await watched.page.request.get(link, { maxRedirects: 0 })
    if (new URL(link).pathname.endsWith('.pdf')) {
      assert.notEqual(response.status(), 200, `${who.email} cannot fetch ${link}`)
      assert.doesNotMatch(response.headers()['content-type'] ?? '', /pdf/)
    }
    await watched.page.goto(link)
    await watched.page.waitForLoadState('networkidle')
    await watched.page.getByText(/not one you may see|无权查看/).waitFor()
    const text = (await watched.page.locator('body').textContent()) ?? ''
    assert.ok(!text.includes(claim.number ?? '?'), `${who.email} does not see the claim number on ${link}`)
    assert.ok(!text.includes(claim.serial), `${who.email} does not see the serial on ${link}`)
  } finally {
    await watched.context.close()
  }
}

async function numberOf(claim: Claim): Promise<Claim> {
  const row = await harness.database.db
    .selectFrom('claims')
    .select(['id', 'rma_number'])
    .where('id', '=', claim.id)
    .executeTakeFirstOrThrow()
  return { ...claim, number: claimNumber(row) }
}

async function stateOf(claimId: string): Promise<string> {
  const row = await harness.database.db
    .selectFrom('claims')
    .select('state')
    .where('id', '=', claimId)
    .executeTakeFirstOrThrow()
  return row.state
}

const linkIn = (mails: SentMail[], pattern: RegExp) => {
  const link = mails.flatMap((m) => m.links).find((l) => l.startsWith(harness.baseUrl) && pattern.test(l))
  assert.ok(link, `a mail links to ${pattern}`)
  return link
}

for (const language of ['zh', 'en'] as const) {
  const words = (zh: string, en: string) => (language === 'zh' ? zh : en)

  test(`${language}: a question, a denial and a paid repair — every mail reads right and every link does what it asks`, async () => {
    const customer = await setDemoCustomerLocale(harness, language)
    const customerApi = await signedInApi(harness, 'customer')
    const staff = await signedInApi(harness, 'support')
    try {
      const claim = await numberOf(
        await openClaimOnIdleUnit<Claim>(
          customerApi,
          words('进水后无法开机。', 'It will not start after rain.'),
        ),
      )
      await stepClaim(staff, claim.id, 'start-diagnosis')
      await stepClaim(staff, claim.id, 'request-info', {
        request: words('请提供序列号标签的照片。', 'Please send a photo of the serial label.'),
      })

      // The question: its link opens the answer form, and the answer sent there is the answer.
      const asked = await mailsAbout(claim, customer.email)
      const question = linkIn(asked, /\/claims\/[^/#]+$/)
      const reader = await followSignedOut(question, claim, language)
      await reader.page.getByLabel(LANGUAGES[language].answer).fill(words('照片已附上。', 'Photo attached.'))
      await reader.page.getByRole('button', { name: LANGUAGES[language].sendAnswer }).click()
      for (let i = 0; i < 50 && (await stateOf(claim.id)) === 'awaiting-info'; i++)
        await reader.page.waitForTimeout(100)
      assert.equal(await stateOf(claim.id), 'remote-diagnosis', 'the answer from the linked page answered')
      assert.deepEqual(reader.problems, [])
      await reader.context.close()

      // Denied (liquid damage), then a quote: its link opens the quote to accept.
      await decideLiquidDamage(staff, claim)
      await stepClaim(staff, claim.id, 'send-quote', {
        lines: [
          { kind: 'parts', description: words('主板', 'Main board'), quantity: 1, unitPriceMinor: 12000 },
        ],
        validDays: 30,
      })
      const quoted = await mailsAbout(claim, customer.email)
      const quoteLink = linkIn(quoted, /#quote$/)
      const payer = await followSignedOut(quoteLink, claim, language)
      await payer.page.getByRole('button', { name: LANGUAGES[language].accept }).click()
      for (let i = 0; i < 50 && (await stateOf(claim.id)) !== 'quote-accepted'; i++)
        await payer.page.waitForTimeout(100)
      assert.equal(await stateOf(claim.id), 'quote-accepted', 'the quote was accepted from the linked page')
      assert.deepEqual(payer.problems, [])
      await payer.context.close()
      // The return authorisation's link opens the page with the repair order to print.
      const printer = await followSignedOut(linkIn(quoted, /#repair-order$/), claim, language)
      await printer.page.getByRole('link', { name: LANGUAGES[language].repairOrder }).first().waitFor()
      await printer.context.close()

      await stepClaim(staff, claim.id, 'record-payment', { amountMinor: 12000, reference: 'BANK-1' })
      await stepClaim(staff, claim.id, 'start-repair')
      await stepClaim(staff, claim.id, 'complete-repair')
      await stepClaim(staff, claim.id, 'ship-return', {
        carrier: words('顺丰速运', 'DHL'),
        trackingNumber: 'SF100200',
        trackingUrl: 'https://track.example/SF100200',
      })
      await stepClaim(staff, claim.id, 'close')

      const mails = await mailsAbout(claim, customer.email)
      const subjects = mails.map((m) => m.subject)
      assert.ok(mails.length >= 8, `the customer heard of every step: ${subjects.join(' | ')}`)
      for (const mail of mails) checkMail(mail, claim, language)
      const quoteMail = mails.find((m) => m.links.some((l) => l.endsWith('#quote')))
      assert.match(quoteMail?.text ?? '', /US\$120\.00/, 'the quote names its amount with its currency')

      // The PDF it links to is the customer's once signed in, and nobody else's.
      const pdf = linkIn(mails, /\.pdf$/)
      const own = await customerApi.request.get(pdf)
      assert.equal(own.status(), 200)
      assert.match(own.headers()['content-type'] ?? '', /application\/pdf/)
      for (const link of new Set(
        mails.flatMap((m) => m.links).filter((l) => l.startsWith(harness.baseUrl)),
      )) {
        await expectHiddenFrom(link, claim, findSignIn(harness, 'dealer', 1))
        await expectHiddenFrom(link, claim, STRANGER)
      }
    } finally {
      await customerApi.close()
      await staff.close()
    }
  })

  test(`${language}: a claim settled remotely after a message — the mails read right and open the claim`, async () => {
    const customer = await setDemoCustomerLocale(harness, language)
    const customerApi = await signedInApi(harness, 'customer')
    const staff = await signedInApi(harness, 'support')
    try {
      const claim = await numberOf(
        await openClaimOnIdleUnit<Claim>(customerApi, words('画面卡顿。', 'The preview stutters.')),
      )
      await stepClaim(staff, claim.id, 'start-diagnosis')
      const posted = await staff.request.post(`/api/v1/claims/${encodeURIComponent(claim.id)}/messages`, {
        data: { body: words('请重启电脑后再试。', 'Please restart the computer and try again.') },
        headers: { 'x-csrf-token': staff.csrf },
      })
      assert.equal(posted.status(), 201, await posted.text())
      await stepClaim(staff, claim.id, 'resolve-remotely', {
        fix: 'remote-fix',
        note: words('重启后恢复正常。', 'A restart solved it.'),
      })
      const mails = await mailsAbout(claim, customer.email)
      assert.ok(mails.length >= 3, mails.map((m) => m.subject).join(' | '))
      for (const mail of mails) checkMail(mail, claim, language)
      const reader = await followSignedOut(linkIn(mails, /\/claims\/[^/#]+$/), claim, language)
      assert.deepEqual(reader.problems, [])
      await reader.context.close()
    } finally {
      await customerApi.close()
      await staff.close()
    }
  })
}

test('a Chinese customer without a password follows a quote link, signs in by the e-mailed link and lands on the quote, all in Chinese', async () => {
  const customer = await setDemoCustomerLocale(harness, 'zh')
  const customerApi = await signedInApi(harness, 'customer')
  const staff = await signedInApi(harness, 'support')
  try {
    const claim = await numberOf(await openClaimOnIdleUnit<Claim>(customerApi, '屏幕不亮。'))
    await decideLiquidDamage(staff, claim)
    await stepClaim(staff, claim.id, 'send-quote', {
      lines: [{ kind: 'parts', description: '电源板', quantity: 1, unitPriceMinor: 8000 }],
      validDays: 30,
    })
    const quoteLink = linkIn(await mailsAbout(claim, customer.email), /#quote$/)
    const { page, context, problems } = await openPage(harness, undefined, { locale: 'zh-CN' })
    await page.goto(quoteLink)
    await page.waitForURL((url) => url.pathname === '/sign-in')
    await page.locator('#link-email').fill(customer.email)
    await page.getByRole('button', { name: '发送登录链接' }).click()
    await page.getByRole('status').getByText(customer.email).waitFor()

    const linkMails = (await sendAndReadOutbox(harness)).filter(
      (m) => m.to.includes(customer.email) && m.links.some((l) => l.includes('/sign-in/link')),
    )
    const linkMail = linkMails.at(-1)
    assert.ok(linkMail, 'the sign-in link was e-mailed')
    assert.deepEqual(englishIn(`${linkMail.subject}\n${linkMail.text}`), [], linkMail.text)
    assert.ok(linkMail.text.trim().length > 0, 'with a plain-text part')
    const signInLink = linkMail.links.find((l) => l.includes('/sign-in/link')) ?? ''
    await page.goto(signInLink)
    await page.waitForURL((url) => url.pathname === `/my/claims/${claim.id}`)
    assert.equal(new URL(page.url()).hash, '#quote')
    await page.getByRole('button', { name: LANGUAGES.zh.accept }).waitFor()
    await page.waitForLoadState('networkidle')
    assert.deepEqual(await englishOnPage(page), [], 'the quote page is all Chinese')
    assert.deepEqual(problems, [])
    await context.close()
  } finally {
    await customerApi.close()
    await staff.close()
  }
})
