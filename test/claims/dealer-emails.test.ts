import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { createUser } from '../../src/auth/create-user.ts'
import { createTestUser } from '../../src/auth/test-support.ts'
import { testEngines } from '../../src/db/test-database.ts'
import { renderEmail } from '../../src/notify/domain/render-email.ts'
import { loadPolicyLibrary, SHIPPED_POLICIES_DIR } from '../../src/policies/load-policies.ts'
import { insertOrganisationIfAbsent, toOrganisationRow } from '../../src/registry/organisation.store.ts'
import {
  act,
  addDays,
  type ClaimsWorld,
  inspectAndDecide,
  ORG,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  type Party,
  seedPlayerOneDealerUnit,
  seedUnit,
  TODAY,
} from './claim-factories.ts'

interface Mail {
  topic: string
  recipient: string
  locale: string | null
  payload: string
  claim_id: string | null
}

const PUBLIC_URL = 'https://service.example.com'

/** Every e-mail the outbox holds for the claim, in the order written. */
async function mailsOf(world: ClaimsWorld, claimId: string): Promise<Mail[]> {
  return world.database.db
    .selectFrom('outbox_messages')
    .select(['topic', 'recipient', 'locale', 'payload', 'claim_id'])
    .where('claim_id', '=', claimId)
    .where('channel', '=', 'email')
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

const dealerMails = async (world: ClaimsWorld, claimId: string, topic?: string) =>
  (await mailsOf(world, claimId)).filter(
    (m) => m.topic.startsWith('dealer.') && (!topic || m.topic === topic),
  )

const recipients = (mails: Mail[]) => mails.map((m) => m.recipient).sort()

async function post(world: ClaimsWorld, party: Party, claimId: string, body: Record<string, unknown>) {
  const response = await world.app.inject({
    method: 'POST',
    url: `/api/v1/claims/${claimId}/messages`,
    headers: party.headers,
    payload: body,
  })
  assert.equal(response.statusCode, 201, response.body)
}

/**
 * Player One's policy, but the dealer is named as handler only once the unit is inspected
 * (`player-one-handover`: the final decision hands the claim to the dealer) or only before
 * (`player-one-handback`: the final decision takes it away). The shipped policies never
 * change the handler between the two decisions; these do, as a policy may. Written to `dir`.
 */
function writeHandlerPolicies(dir: string): void {
  const source = fs.readFileSync(path.join(SHIPPED_POLICIES_DIR, 'player-one.v1.yaml'), 'utf8')
  const dealerWhen = /(handler: dealer\n {4}when: \{ channel: dealer) \}/
  assert.match(source, dealerWhen)
  for (const [id, inspected] of [
    ['player-one-handover', true],
    ['player-one-handback', false],
  ] as const) {
    const derived = source
      .replace(/^id: player-one$/m, `id: ${id}`)
      .replace(dealerWhen, `$1, inspected: ${inspected} }`)
      // The policy's examples are of the handler it had.
      .replace(/^examples:[\s\S]*/m, '')
    fs.writeFileSync(path.join(dir, `${id}.v1.yaml`), derived)
  }
}

for (const engine of testEngines()) {
  describe(`${engine}: e-mails to the dealer a claim is routed to`, () => {
    let world: ClaimsWorld
    /** A dealer in China (its users read Chinese), with two active users and a disabled one. */
    const cnOrg = `org-dealer-cn-${crypto.randomBytes(3).toString('hex')}`
    const cn = { one: '', two: '', disabled: '' }
    let cnUser: Party
    /** A second user of Starlight Optics (Germany, English), beside the world's dealer. */
    let starlightColleague: string
    /** Every user of Prairie Sky, the other dealer: never e-mailed about the others' claims. */
    let prairieEmail: string

    let policiesDir: string

    /** A Player One camera sold by the dealer: the policy has the dealer serve it. */
    const seedCnUnit = (policy = 'player-one') =>
      seedUnit(world, {
        model: 'player-one-zeus-455m-pro',
        policy,
        sellerOrgId: ORG.playerOne,
        channel: 'dealer',
        dealerOrgId: cnOrg,
        purchasedOn: addDays(TODAY, -200),
      })

    /** A ToupTek camera sold by the dealer: ToupTek's policy has the seller serve it, not the dealer. */
    const seedTouptekUnitOfDealer = () =>
      seedUnit(world, {
        model: 'touptek-atr2600c',
        policy: 'touptek',
        sellerOrgId: ORG.touptek,
        channel: 'dealer',
        dealerOrgId: cnOrg,
        purchasedOn: addDays(TODAY, -15),
        deliveredOn: addDays(TODAY, -10),
      })

    /** The unit comes in and is inspected by staff; then `decider` makes the final decision. */
    async function decide(
      claimId: string,
      serial: string,
      decider: Party = world.staff,
      model = 'player-one-zeus-455m-pro',
    ) {
      return inspectAndDecide(world, claimId, serial, model, { decider })
    }

    before(async () => {
      policiesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-handler-policies-'))
      writeHandlerPolicies(policiesDir)
      world = await openClaimsWorld(engine, {
        policies: loadPolicyLibrary([SHIPPED_POLICIES_DIR, policiesDir]),
      })
      world.ctx.config.publicUrl = PUBLIC_URL
      const at = world.clock.now.toISOString()
      await insertOrganisationIfAbsent(
        world.database.db,
        toOrganisationRow(
          {
            id: cnOrg,
            kind: 'dealer',
            name: 'Nebula Astro Shenzhen',
            country: 'CN',
            email: `${cnOrg}@example.com`,
            serviceAddress: { line1: '88 Keyuan Rd', city: 'Shenzhen', postcode: '518057', country: 'CN' },
          },
          at,
        ),
      )
      const user = (email: string, orgId: string) =>
        createTestUser(world.database.db, { role: 'dealer', orgId, email, name: email.split('@')[0] })
      cn.one = `cn-one-${cnOrg}@example.com`
      cn.two = `cn-two-${cnOrg}@example.com`
      cn.disabled = `cn-gone-${cnOrg}@example.com`
      const first = await user(cn.one, cnOrg)
      cnUser = { ...first, orgId: cnOrg }
      await user(cn.two, cnOrg)
      const gone = await user(cn.disabled, cnOrg)
      await world.database.db
        .updateTable('users')
        .set({ disabled: 1 })
        .where('id', '=', gone.userId)
        .execute()
      starlightColleague = `colleague-${cnOrg}@example.com`
      await user(starlightColleague, ORG.starlight)
      prairieEmail = `prairie-${cnOrg}@example.com`
      await user(prairieEmail, ORG.prairie)
    })
    after(async () => {
      await world?.close()
      if (policiesDir) fs.rmSync(policiesDir, { recursive: true, force: true })
    })

    test("a claim routed to dealer A e-mails A's active users in their language and nobody at another dealer", async () => {
      const serial = await seedCnUnit()
      const opened = await openClaimAs(world, world.customer, openClaimBody(serial))
      assert.equal(opened.provisionalDecision?.handler, 'dealer')
      const told = await dealerMails(world, opened.id)
      assert.deepEqual(
        told.map((m) => m.topic),
        ['dealer.claim-opened', 'dealer.claim-opened'],
      )
      // Both active users, not the disabled one, not the other dealers' users.
      assert.deepEqual(recipients(told), [cn.one, cn.two].sort())
      for (const mail of told) assert.equal(mail.locale, 'zh')
      const rendered = renderEmail('dealer.claim-opened', 'zh', JSON.parse(told[0]?.payload ?? '{}'), {
        publicUrl: PUBLIC_URL,
        claimId: opened.id,
      })
      const payload = JSON.parse(told[0]?.payload ?? '{}') as {
        claimNumber: string
        serial: string
        model: string
      }
      assert.equal(payload.serial, serial)
      assert.match(payload.model, /Zeus/i)
      for (const value of [payload.claimNumber, payload.serial, payload.model])
        assert.ok(rendered.subject.includes(value), `${value} in ${rendered.subject}`)
      assert.match(rendered.text, /远程诊断/, 'the dealer is told what to do, in Chinese')

      // The unit is authorised to go to the dealer: its users are told, with the dealer's address.
      await act(world, world.staff, opened.id, 'authorize-return')
      const rma = await dealerMails(world, opened.id, 'dealer.rma-authorized')
      assert.deepEqual(recipients(rma), [cn.one, cn.two].sort())
      const rmaData = JSON.parse(rma[0]?.payload ?? '{}') as { shipTo: string; rmaNumber: string }
      assert.match(rmaData.shipTo, /88 Keyuan Rd/)
      assert.match(rmaData.rmaNumber, /^RMA-/)
      // The address is printed as a parcel label reads it, the country named in Chinese: the
      // lines the claim page and the repair order show, not one line ending in a country code.
      const rmaMail = renderEmail('dealer.rma-authorized', 'zh', rmaData, {
        publicUrl: PUBLIC_URL,
        claimId: opened.id,
      })
      assert.match(
        rmaMail.text,
        /\n {4}Nebula Astro Shenzhen\n {4}88 Keyuan Rd\n {4}518057 Shenzhen\n {4}中国\n/,
      )
      assert.doesNotMatch(rmaMail.text, /, CN\b/)

      // The customer writes in the conversation: the dealer hears of it.
      await post(world, world.customer, opened.id, { body: 'When will it be back?' })
      const message = await dealerMails(world, opened.id, 'dealer.message-posted')
      assert.deepEqual(recipients(message), [cn.one, cn.two].sort())
      assert.match(message[0]?.payload ?? '', /When will it be back\?/)
      assert.match(message[0]?.payload ?? '', /"authorSide":"customer"/)

      // Nobody outside the dealer (the disabled user, Starlight, Prairie) ever got a dealer e-mail.
      for (const mail of await dealerMails(world, opened.id))
        assert.ok([cn.one, cn.two].includes(mail.recipient), mail.recipient)

      // A dealer in Germany reads English; every active user of it is told, the world's one too.
      const starlight = await openClaimAs(
        world,
        world.customer,
        openClaimBody(await seedPlayerOneDealerUnit(world)),
      )
      const english = await dealerMails(world, starlight.id, 'dealer.claim-opened')
      assert.equal(english.length, 2)
      assert.ok(recipients(english).includes(starlightColleague))
      assert.ok(!recipients(english).includes(prairieEmail))
      for (const mail of english) assert.equal(mail.locale, 'en')
    })

    test("the link in the e-mail opens the claim for a signed-in user of that dealer, and for no other dealer's", async () => {
      const opened = await openClaimAs(world, world.staff, openClaimBody(await seedCnUnit()))
      const [mail] = await dealerMails(world, opened.id, 'dealer.claim-opened')
      assert.ok(mail, 'a claim opened by staff is announced to the dealer too')
      const rendered = renderEmail(mail.topic, 'zh', JSON.parse(mail.payload), {
        publicUrl: PUBLIC_URL,
        claimId: mail.claim_id,
      })
      const link = /https:\/\/service\.example\.com\/claims\/([^\s#"]+)/.exec(rendered.text)
      assert.ok(link, rendered.text)
      const linkedId = decodeURIComponent(link[1] ?? '')
      assert.equal(linkedId, opened.id)
      const asDealer = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${linkedId}`,
        headers: cnUser.headers,
      })
      assert.equal(asDealer.statusCode, 200, asDealer.body)
      const asOtherDealer = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${linkedId}`,
        headers: world.otherDealer.headers,
      })
      assert.equal(asOtherDealer.statusCode, 404)
    })

    test("the dealer's own actions and messages are not echoed to the dealer", async () => {
      // The dealer opens the claim and authorises the return itself: it hears nothing of either.
      const opened = await openClaimAs(world, cnUser, openClaimBody(await seedCnUnit()))
      await act(world, cnUser, opened.id, 'authorize-return')
      await post(world, cnUser, opened.id, { body: 'Please send it with the original box.' })
      assert.deepEqual(await dealerMails(world, opened.id), [])
      // The customer still hears of the dealer's message.
      const customer = (await mailsOf(world, opened.id)).filter((m) => m.topic === 'message.posted')
      assert.deepEqual(recipients(customer), ['cus-alice@example.com'])
    })

    test('an internal staff note never reaches the dealer; a staff message to the parties does', async () => {
      const opened = await openClaimAs(world, cnUser, openClaimBody(await seedCnUnit()))
      await post(world, world.staff, opened.id, {
        body: 'Customer sounds upset; offer goodwill.',
        internal: true,
      })
      assert.deepEqual(await dealerMails(world, opened.id), [])
      for (const mail of await mailsOf(world, opened.id)) assert.doesNotMatch(mail.payload, /goodwill/)

      await post(world, world.staff, opened.id, { body: 'We have asked the maker for a spare board.' })
      const told = await dealerMails(world, opened.id, 'dealer.message-posted')
      assert.deepEqual(recipients(told), [cn.one, cn.two].sort())
      assert.match(told[0]?.payload ?? '', /"authorSide":"service"/)
    })

    test("a request for information and the customer's answer reach the dealer serving the claim", async () => {
      const opened = await openClaimAs(world, cnUser, openClaimBody(await seedCnUnit()))
      await act(world, world.staff, opened.id, 'request-info', {
        request: 'A photo of the serial label, please.',
      })
      await post(world, world.customer, opened.id, { body: 'Here it is: PO-1234.' })
      const told = await dealerMails(world, opened.id, 'dealer.message-posted')
      assert.equal(told.length, 4)
      const payloads = told.map((m) => JSON.parse(m.payload) as { kind: string; excerpt: string })
      assert.ok(payloads.some((p) => p.kind === 'info-request' && /serial label/.test(p.excerpt)))
      assert.ok(payloads.some((p) => p.kind === 'message' && /PO-1234/.test(p.excerpt)))
    })

    test('a claim the dealer sold but does not serve, and a claim of no dealer, e-mail no dealer', async () => {
      // Bought direct from Player One: the maker serves it, no dealer is on the claim.
      const direct = await seedUnit(world, {
        model: 'player-one-poseidon-m-pro',
        policy: 'player-one',
        sellerOrgId: ORG.playerOne,
        purchasedOn: addDays(TODAY, -300),
      })
      const directClaim = await openClaimAs(world, world.customer, openClaimBody(direct))
      assert.deepEqual(await dealerMails(world, directClaim.id), [])
      // Sold by the dealer under a policy whose seller serves the claim: the dealer sees it, is not asked to act.
      const sold = await seedTouptekUnitOfDealer()
      const notServed = await openClaimAs(world, world.customer, openClaimBody(sold))
      assert.notEqual(notServed.provisionalDecision?.handler, 'dealer')
      await post(world, world.customer, notServed.id, { body: 'Any news?' })
      assert.deepEqual(await dealerMails(world, notServed.id), [])
    })

    test("a final decision handing the claim to dealer A e-mails A's active users in their language, and no other dealer", async () => {
      const serial = await seedCnUnit('player-one-handover')
      const opened = await openClaimAs(world, world.customer, openClaimBody(serial))
      assert.equal(opened.provisionalDecision?.handler, 'vendor')
      const decided = await decide(opened.id, serial)
      assert.equal(decided.finalDecision?.handler, 'dealer')
      // Until the decision the seller served it: the dealer heard nothing.
      const told = await dealerMails(world, opened.id)
      assert.deepEqual(
        told.map((m) => m.topic),
        ['dealer.claim-decided', 'dealer.claim-decided'],
      )
      assert.deepEqual(recipients(told), [cn.one, cn.two].sort())
      for (const mail of told) assert.equal(mail.locale, 'zh')
      const payload = JSON.parse(told[0]?.payload ?? '{}') as {
        claimNumber: string
        serial: string
        handedOver: boolean
        covered: boolean
        remedies: string[]
      }
      assert.equal(payload.serial, serial)
      assert.equal(payload.handedOver, true)
      assert.equal(payload.covered, decided.finalDecision?.covered)
      assert.deepEqual(payload.remedies, decided.finalDecision?.remedies)
      const rendered = renderEmail('dealer.claim-decided', 'zh', payload, {
        publicUrl: PUBLIC_URL,
        claimId: opened.id,
      })
      for (const value of [payload.claimNumber, serial])
        assert.ok(rendered.subject.includes(value), `${value} in ${rendered.subject}`)
      assert.match(rendered.subject, /已转交贵方处理/)
      assert.match(rendered.text, /该申请属于保修范围/)
      assert.ok(rendered.text.includes(`${PUBLIC_URL}/claims/${opened.id}`), rendered.text)

      // A dealer in Germany is told in English; the other dealer's users never are.
      const starlightSerial = await seedUnit(world, {
        model: 'player-one-zeus-455m-pro',
        policy: 'player-one-handover',
        sellerOrgId: ORG.playerOne,
        channel: 'dealer',
        dealerOrgId: ORG.starlight,
        purchasedOn: addDays(TODAY, -200),
      })
      const starlight = await openClaimAs(world, world.customer, openClaimBody(starlightSerial))
      await decide(starlight.id, starlightSerial)
      const english = await dealerMails(world, starlight.id, 'dealer.claim-decided')
      assert.equal(english.length, 2)
      assert.ok(recipients(english).includes(starlightColleague))
      for (const mail of english) assert.equal(mail.locale, 'en')
      for (const claim of [opened.id, starlight.id])
        for (const mail of await mailsOf(world, claim)) assert.notEqual(mail.recipient, prairieEmail)
    })

    test('the final decision on a claim the dealer serves tells its users what was decided', async () => {
      const serial = await seedCnUnit()
      const opened = await openClaimAs(world, world.customer, openClaimBody(serial))
      const decided = await decide(opened.id, serial)
      assert.equal(decided.finalDecision?.handler, 'dealer')
      const told = await dealerMails(world, opened.id, 'dealer.claim-decided')
      assert.deepEqual(recipients(told), [cn.one, cn.two].sort())
      const payload = JSON.parse(told[0]?.payload ?? '{}') as Record<string, unknown>
      assert.equal(payload.handedOver, false)
      const rendered = renderEmail('dealer.claim-decided', 'zh', payload, {
        publicUrl: PUBLIC_URL,
        claimId: opened.id,
      })
      assert.match(rendered.subject, /已作出最终决定/)
      assert.match(rendered.text, /贵方负责的申请已作出最终决定/)
      // The customer is told too, as ever.
      const customer = (await mailsOf(world, opened.id)).filter((m) => m.topic === 'decision.made')
      assert.deepEqual(recipients(customer), ['cus-alice@example.com'])
    })

    test('a final decision naming another handler tells no dealer of a decision; one that takes the claim away says so', async () => {
      // Sold by the dealer, served by the seller before and after the decision: nothing for the dealer.
      const sold = await seedTouptekUnitOfDealer()
      const notServed = await openClaimAs(world, world.customer, openClaimBody(sold))
      const seller = await decide(notServed.id, sold, world.staff, 'touptek-atr2600c')
      assert.ok(seller.finalDecision && seller.finalDecision.handler !== 'dealer')
      assert.deepEqual(await dealerMails(world, notServed.id), [])

      // Served by the dealer until the decision names the seller: the dealer is told it is no longer its.
      const serial = await seedCnUnit('player-one-handback')
      const opened = await openClaimAs(world, world.customer, openClaimBody(serial))
      assert.equal(opened.provisionalDecision?.handler, 'dealer')
      const decided = await decide(opened.id, serial)
      assert.equal(decided.finalDecision?.handler, 'vendor')
      assert.deepEqual(await dealerMails(world, opened.id, 'dealer.claim-decided'), [])
      const back = await dealerMails(world, opened.id, 'dealer.claim-handed-back')
      assert.deepEqual(recipients(back), [cn.one, cn.two].sort())
      for (const mail of back) assert.equal(mail.locale, 'zh')
      const rendered = renderEmail('dealer.claim-handed-back', 'zh', JSON.parse(back[0]?.payload ?? '{}'), {
        publicUrl: PUBLIC_URL,
        claimId: opened.id,
      })
      assert.match(rendered.subject, /已不再由贵方处理/)
      assert.match(rendered.text, /改由销售方提供服务/)
    })

    test("the dealer's own final decision is not echoed to the dealer", async () => {
      for (const policy of ['player-one', 'player-one-handback']) {
        const serial = await seedCnUnit(policy)
        const opened = await openClaimAs(world, cnUser, openClaimBody(serial))
        const decided = await decide(opened.id, serial, cnUser)
        assert.ok(decided.finalDecision, policy)
        const decisionMails = (await dealerMails(world, opened.id)).filter(
          (m) => m.topic === 'dealer.claim-decided' || m.topic === 'dealer.claim-handed-back',
        )
        assert.deepEqual(decisionMails, [], policy)
      }
    })

    test("a dealer user who chose English in the web app is mailed in English; colleagues keep the organisation's Chinese", async () => {
      const email = `cn-reads-english-${cnOrg}@example.com`
      const password = 'a long enough password 1'
      const own = await createUser(
        world.database.db,
        { email, name: 'Reads English', role: 'dealer', orgId: cnOrg, password },
        world.clock.now,
      )
      try {
        const signIn = await world.app.inject({
          method: 'POST',
          url: '/api/v1/auth/sign-in',
          payload: { email, password },
        })
        assert.equal(signIn.statusCode, 200, signIn.body)
        const cookie = signIn.cookies.map((c) => `${c.name}=${c.value}`).join('; ')
        const csrf = (signIn.json() as { csrfToken: string }).csrfToken
        const choose = (locale: unknown, headers: Record<string, string>) =>
          world.app.inject({ method: 'PUT', url: '/api/v1/me/language', headers, payload: { locale } })

        const bad = await choose('fr', { cookie, 'x-csrf-token': csrf })
        assert.equal(bad.statusCode, 400, bad.body)
        assert.match(bad.body, /locale/)
        assert.equal((await choose('en', {})).statusCode, 401)
        assert.equal((await choose('en', cnUser.headers)).statusCode, 403, 'an API key is not a reader')
        const chosen = await choose('en', { cookie, 'x-csrf-token': csrf })
        assert.equal(chosen.statusCode, 200, chosen.body)
        assert.deepEqual(chosen.json(), { locale: 'en' })

        const serial = await seedCnUnit()
        const opened = await openClaimAs(world, world.customer, openClaimBody(serial))
        const told = await dealerMails(world, opened.id, 'dealer.claim-opened')
        assert.deepEqual(
          told.map((m) => [m.recipient, m.locale]).sort(),
          [
            [cn.one, 'zh'],
            [cn.two, 'zh'],
            [email, 'en'],
          ].sort(),
        )
      } finally {
        // The other tests count this dealer's users.
        await world.database.db.updateTable('users').set({ disabled: 1 }).where('id', '=', own.id).execute()
      }
    })
  })
}
