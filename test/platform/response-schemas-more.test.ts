import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createApiKey } from '../../src/auth/create-api-key.ts'
import { createUser } from '../../src/auth/create-user.ts'
import { createTestUser } from '../../src/auth/test-support.ts'
import { testEngines } from '../../src/db/test-database.ts'
import { buildCase, inspectedFinding } from '../../src/policies/policy-test-support.ts'
import {
  type ClaimsWorld,
  ORG,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  seedIstExpiredUnit,
  seedPendingDealerSaleWithClaim,
  seedPlayerOneDealerUnit,
  seedPlayerOneUnit,
  seedRetailerUnit,
  seedShenzhenAgentUnit,
  seedTouptekDoaUnit,
} from '../claims/claim-factories.ts'
import {
  orgUser,
  seedDealerWarrantyRepair,
  seedForwardedAgentUnit,
  seedIstDistributorPromise,
  seedRetailerDoaRefund,
  step,
} from '../recoveries/recovery-factories.ts'
import { uploadPng } from '../security/security-world.ts'
import { type ResponseWatch, watchResponses } from './response-watch.ts'

/**
 * The answers beyond a claim's own that the web app's pages and outside programs read:
 * reports, recoveries, policies, reliability, the registry, a person's own settings and a
 * claim's files. Each must say exactly what its handler sends, as the claim routes do.
 */
const RELIED_ON = [
  'GET /api/v1/reports/claim-rates 200',
  'GET /api/v1/reports/failure-modes 200',
  'GET /api/v1/reports/claims-per-month 200',
  'GET /api/v1/reports/open-cases 200',
  'GET /api/v1/reports/warranty-cost 200',
  'GET /api/v1/reports/decision-mix 200',
  'GET /api/v1/recoveries 200',
  'GET /api/v1/recoveries/summary 200',
  'GET /api/v1/recoveries/:id 200',
  'GET /api/v1/recoveries/:id/events 200',
  'GET /api/v1/recoveries/outcomes/:claimId 200',
  'POST /api/v1/recoveries/:id/submit 200',
  'POST /api/v1/recoveries/:id/reject 200',
  'GET /api/v1/policies 200',
  'GET /api/v1/policies/:id 200',
  'POST /api/v1/policies/simulate 200',
  'POST /api/v1/policies/validate 200',
  'POST /api/v1/decisions 200',
  'GET /api/v1/reports/reliability 200',
  'GET /api/v1/reports/reliability/warnings 200',
  'GET /api/v1/units 200',
  'GET /api/v1/units/:serial 200',
  'GET /api/v1/units/:serial/warranty 200',
  'GET /api/v1/models 200',
  'GET /api/v1/models/:id 200',
  'GET /api/v1/organisations 200',
  'POST /api/v1/organisations 201',
  'POST /api/v1/units 201',
  'GET /api/v1/customers 200',
  'GET /api/v1/customers/:id 200',
  'GET /api/v1/pending-dealer-sales 200',
  'POST /api/v1/units/:serial/transfers 201',
  'GET /api/v1/me/unit-offers 200',
  'GET /api/v1/auth/me 200',
  'GET /api/v1/me/profile 200',
  'POST /api/v1/me/addresses 201',
  'GET /api/v1/me/addresses 200',
  'GET /api/v1/me/mail-preferences 200',
  'GET /api/v1/claims/:id/files 200',
  'POST /api/v1/claims/:id/files 201',
  'POST /api/v1/files 201',
]

const report = (watch: ResponseWatch) =>
  watch.breaches.map((b) => `${b.route}\n  ${b.issues.join('\n  ')}`).join('\n')

for (const engine of testEngines()) {
  describe(`${engine}: the other answers the web and outside programs rely on are what their schemas say`, () => {
    let world: ClaimsWorld
    let watch: ResponseWatch
    before(async () => {
      world = await openClaimsWorld(engine)
      // Before the first request: the hooks join the routes when the app gets ready.
      watch = watchResponses(world.app)
    })
    after(() => world.close())

    async function call(
      headers: Record<string, string>,
      method: 'GET' | 'POST',
      url: string,
      payload?: object,
      status = 200,
    ): Promise<unknown> {
      const response = await world.app.inject({ method, url, headers, ...(payload ? { payload } : {}) })
      assert.equal(response.statusCode, status, `${method} ${url}: ${response.body}`)
      return response.json()
    }
    const read = (headers: Record<string, string>, url: string) => call(headers, 'GET', url)

    /** A person signed in with a password, as the web app is: some answers are for a session only. */
    async function signedIn(
      role: 'customer' | 'dealer' | 'technician' | 'manager',
      extra: { customerId?: string; orgId?: string } = {},
    ): Promise<Record<string, string>> {
      const email = `${role}-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`
      const password = 'a long enough password 1'
      await createUser(world.database.db, { email, name: `A ${role}`, role, password, ...extra }, new Date())
      const signIn = await world.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        payload: { email, password },
      })
      assert.equal(signIn.statusCode, 200, signIn.body)
      return {
        cookie: signIn.cookies.map((c) => `${c.name}=${c.value}`).join('; '),
        'x-csrf-token': (signIn.json() as { csrfToken: string }).csrfToken,
      }
    }

    test('reports, recoveries, policies, reliability, the registry, one’s own settings and files', async () => {
      const db = world.database.db
      const key = async (scope?: 'read-only') => ({
        authorization: `Bearer ${(await createApiKey(db, { name: scope ?? 'shop', createdBy: null, ...(scope ? { scope } : {}) }, new Date())).key}`,
      })
      const manager = (await createTestUser(db, { role: 'manager' })).headers
      const admin = (await createTestUser(db, { role: 'admin' })).headers
      const integration = await key()
      const readOnlyKey = await key('read-only')
      const technician = world.staff.headers
      const customerA = world.customer.headers
      const dealer1 = world.dealer.headers
      const unit = await seedPlayerOneDealerUnit(world)
      const claim = await openClaimAs(world, world.customer, openClaimBody(unit))
      const target = { claimId: claim.id, serial: unit, customerId: 'cus-alice' }
      // A dealer's warranty repair: its costs are owed back by the maker, a recovery to read.
      const repaired = await seedDealerWarrantyRepair(world)
      // A sale the dealer has not confirmed yet, for the staff's list of them.
      await seedPendingDealerSaleWithClaim(world)

      // An early warning on the model and one on a batch of it, as the sweep raises them.
      for (const [scope, key] of [
        ['model', 'player-one-zeus-455m-pro'],
        ['batch', 'B-2025-11'],
      ] as const)
        await db
          .insertInto('reliability_flags')
          .values({
            id: `flag-${scope}`,
            model_id: 'player-one-zeus-455m-pro',
            scope,
            key,
            month: '2026-01',
            level: scope === 'model' ? 'critical' : 'caution',
            observed: 9,
            expected: 2,
            p_value: 0.001,
            threshold: 0.01,
            reference: 'fitted curve',
            raised_at: world.clock.now.toISOString(),
            notified_at: null,
          })
          .execute()
      for (const headers of [manager, technician]) {
        for (const name of ['claim-rates', 'failure-modes']) {
          await read(headers, `/api/v1/reports/${name}`)
          await read(headers, `/api/v1/reports/${name}?groupBy=model`)
        }
        for (const name of ['claims-per-month', 'open-cases', 'warranty-cost', 'decision-mix'])
          await read(headers, `/api/v1/reports/${name}`)
        await read(headers, '/api/v1/reports/reliability?model=player-one-zeus-455m-pro')
        await read(
          headers,
          `/api/v1/reports/reliability?dealer=${ORG.starlight}&model=player-one-zeus-455m-pro`,
        )
        await read(headers, '/api/v1/reports/reliability?model=player-one-zeus-455m-pro&term=P3Y')
        await read(headers, '/api/v1/reports/reliability/warnings')
      }

      const recoveries = (await read(manager, `/api/v1/recoveries?claimId=${repaired}`)) as {
        items: { id: string }[]
      }
      const recoveryId = recoveries.items[0]?.id
      assert.ok(recoveryId, 'the dealer repair yields a recovery')
      const maker = await orgUser(world, ORG.playerOne)
      // One recovery as drafted, and one taken on to the maker's partial word, with its reasons.
      await read(manager, `/api/v1/recoveries/${recoveryId}`)
      const other = await seedDealerWarrantyRepair(world)
      const second = (
        (await read(manager, `/api/v1/recoveries?claimId=${other}`)) as { items: { id: string }[] }
      ).items[0]?.id
      assert.ok(second)
      await step(world, world.dealer, second, 'submit', {})
      await step(world, maker, second, 'reject', { reasonCode: 'not-covered', note: 'Outside the terms.' })
      // And one paid in full.
      const third = await seedDealerWarrantyRepair(world)
      const paid = (
        (await read(manager, `/api/v1/recoveries?claimId=${third}`)) as { items: { id: string }[] }
      ).items[0]?.id
      assert.ok(paid)
      await step(world, world.dealer, paid, 'submit', {})
      await step(world, maker, paid, 'accept', {})
      await step(world, maker, paid, 'record-payment', {
        amountMinor: 18000,
        paidOn: '2026-01-20',
        reference: 'SWIFT 1',
      })
      await read(manager, `/api/v1/recoveries/${paid}`)
      // Recoveries of the other seeds: a unit sent on to its maker, a shop's refund, a distributor's promise.
      await seedForwardedAgentUnit(world)
      await seedRetailerDoaRefund(world)
      await seedIstDistributorPromise(world)
      const every = (await read(manager, '/api/v1/recoveries?limit=100')) as { items: { id: string }[] }
      assert.ok(every.items.length >= 4, 'each seed yields its recovery')
      for (const each of every.items) {
        await read(manager, `/api/v1/recoveries/${each.id}`)
        await read(manager, `/api/v1/recoveries/${each.id}/events`)
      }
      for (const headers of [manager, dealer1, maker.headers, integration]) {
        await read(headers, '/api/v1/recoveries')
        await read(headers, '/api/v1/recoveries/summary')
        await read(headers, `/api/v1/recoveries/${recoveryId}`)
        await read(headers, `/api/v1/recoveries/${recoveryId}/events`)
      }
      await read(manager, `/api/v1/recoveries/outcomes/${repaired}`)

      const policies = (await read(manager, '/api/v1/policies')) as { items: { id: string }[] }
      assert.ok(policies.items.length > 0)
      for (const policy of policies.items) {
        await read(manager, `/api/v1/policies/${policy.id}`)
        await read(technician, `/api/v1/policies/${policy.id}?version=1`)
      }
      const yaml = world.ctx.policies.source('player-one', '1')
      assert.ok(yaml, 'the Player One policy is published')
      await call(manager, 'POST', '/api/v1/policies/simulate', { policyId: 'player-one', yaml })
      await call(manager, 'POST', '/api/v1/policies/simulate', {
        policyId: 'player-one',
        yaml: yaml.replace(/version: "?1"?/, 'version: "2-draft"').replaceAll(/term: P\d+[YM]/g, 'term: P1M'),
      })
      await call(manager, 'POST', '/api/v1/policies/validate', { yaml })
      // A decision asked for outright, as outside programs ask: covered, and refused on a finding.
      await call({}, 'POST', '/api/v1/decisions', buildCase('player-one'))
      await call(
        {},
        'POST',
        '/api/v1/decisions',
        buildCase('player-one', { inspection: inspectedFinding('foreign-matter') }),
      )
      await call({}, 'POST', '/api/v1/decisions', buildCase('retailer', { preference: 'refund' }))
      await call(manager, 'POST', '/api/v1/policies/validate', { yaml: 'id: a\nid: b\n' })

      const serial = encodeURIComponent(target.serial)
      for (const headers of [technician, integration, readOnlyKey, dealer1]) {
        await read(headers, '/api/v1/units')
        await read(headers, `/api/v1/units/${serial}`)
      }
      await read(customerA, '/api/v1/units')
      await read(customerA, `/api/v1/units/${serial}`)
      // Units of every kind the catalogue sells: the seller's own, a shop's, an agent's, an expired one.
      const kinds = [
        target.serial,
        await seedPlayerOneUnit(world),
        await seedRetailerUnit(world),
        await seedShenzhenAgentUnit(world),
        await seedIstExpiredUnit(world),
        await seedTouptekDoaUnit(world),
      ]
      for (const each of kinds) {
        await read({}, `/api/v1/units/${encodeURIComponent(each)}/warranty`)
        await read(technician, `/api/v1/units/${encodeURIComponent(each)}`)
      }
      await read(technician, '/api/v1/units?limit=100')
      const models = (await read(technician, '/api/v1/models')) as { items: { id: string }[] }
      await read(technician, `/api/v1/models/${encodeURIComponent(models.items[0]?.id ?? '')}`)
      for (const headers of [technician, admin, integration]) await read(headers, '/api/v1/organisations')
      // A dealer registered, and sales recorded by a customer for themselves, by the dealer and by staff.
      await call(
        admin,
        'POST',
        '/api/v1/organisations',
        {
          kind: 'dealer',
          name: 'Northern Lights Optics',
          country: 'NO',
          email: 'service@northern.example',
          serviceAddress: { line1: '1 Fjord Rd', city: 'Tromsø', country: 'NO' },
        },
        201,
      )
      await read(admin, '/api/v1/organisations?kind=dealer')
      const sale = (serial: string, extra: Record<string, unknown> = {}) => ({
        serial,
        model: 'player-one-ares-c-pro',
        purchasedOn: '2025-11-02',
        channel: 'direct',
        ...extra,
      })
      const proof = await uploadPng(world, customerA, '/api/v1/files', 'proof-of-purchase')
      const proofFileId = (proof.json() as { items: Array<{ id: string }> }).items[0]?.id
      await call(customerA, 'POST', '/api/v1/units', sale('PO-SOLD-1', { proofFileId }), 201)
      const byDealer = { channel: 'dealer', dealerOrgId: ORG.starlight, ownerEmail: 'cus-bob@example.com' }
      await call(dealer1, 'POST', '/api/v1/units', sale('PO-SOLD-2', byDealer), 201)
      await call(
        technician,
        'POST',
        '/api/v1/units',
        sale('PO-SOLD-3', { ownerEmail: 'new.buyer@example.com' }),
        201,
      )
      for (const each of ['PO-SOLD-1', 'PO-SOLD-2', 'PO-SOLD-3'])
        await read(technician, `/api/v1/units/${each}`)
      await read(technician, '/api/v1/customers')
      await read(technician, `/api/v1/customers/${target.customerId}`)
      await read(technician, '/api/v1/pending-dealer-sales')
      // Customer A offers the unit on to customer B, whose offers list then holds it.
      const offered = encodeURIComponent(await seedPlayerOneDealerUnit(world))
      await call(
        customerA,
        'POST',
        `/api/v1/units/${offered}/transfers`,
        { toEmail: 'cus-bob@example.com' },
        201,
      )
      await read(world.otherCustomer.headers, '/api/v1/me/unit-offers')
      // The unit with its offer outstanding, as its owner and the staff see it.
      await read(customerA, `/api/v1/units/${offered}`)
      await read(technician, `/api/v1/units/${offered}`)
      await read({}, `/api/v1/units/${offered}/warranty`)

      for (const headers of [customerA, dealer1, technician, admin, integration])
        await read(headers, '/api/v1/auth/me')
      const sessions = [
        await signedIn('customer', { customerId: 'cus-alice' }),
        await signedIn('dealer', { orgId: ORG.starlight }),
        await signedIn('technician'),
        await signedIn('manager'),
      ]
      for (const headers of sessions) {
        await read(headers, '/api/v1/auth/me')
        await read(headers, '/api/v1/me/mail-preferences')
      }
      await read(customerA, '/api/v1/me/profile')
      const address = { name: 'Li Wei', street: '88 Xueyuan Road', city: 'Hangzhou', country: 'CN' }
      await call(customerA, 'POST', '/api/v1/me/addresses', address, 201)
      await read(customerA, '/api/v1/me/profile')
      await read(customerA, '/api/v1/me/addresses')

      const upload = await uploadPng(world, customerA, `/api/v1/claims/${target.claimId}/files`)
      assert.equal(upload.statusCode, 201, upload.body)
      const held = await uploadPng(world, customerA, '/api/v1/files')
      assert.equal(held.statusCode, 201, held.body)
      for (const headers of [customerA, technician])
        await read(headers, `/api/v1/claims/${target.claimId}/files`)

      const unchecked = RELIED_ON.filter((route) => !watch.checked.has(route))
      assert.deepEqual(unchecked, [], 'every route relied on was answered and checked')
      assert.equal(watch.breaches.length, 0, report(watch))
    })
  })
}
