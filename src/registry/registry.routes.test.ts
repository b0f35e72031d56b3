import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestContext } from '../app/test-context.ts'
import { createTestUser } from '../auth/test-support.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { uploadProofOfPurchase } from '../files/proof-upload.test-support.ts'
import { buildApp } from '../http/app.ts'
import type { HttpApp } from '../http/types.ts'
import type { AppContext } from '../shared/app-context.ts'
import { ORG } from './demo-catalogue.ts'
import { seedDemoRegistry } from './demo-seed.ts'

const TODAY = new Date('2025-06-15T10:00:00Z')

async function signIn(
  ctx: AppContext,
  role: 'customer' | 'dealer' | 'support' | 'manager',
  ids: { orgId?: string; customerId?: string } = {},
) {
  return (await createTestUser(ctx.db, { role, ...ids })).headers
}

/** A Player One camera sold directly, delivered on 2025-01-10, owned by the given customer. */
function aPlayerOneSale(serial: string, overrides: Record<string, unknown> = {}) {
  return {
    serial,
    model: 'ares-mpro',
    purchasedOn: '2025-01-02',
    shippedOn: '2025-01-03',
    deliveredOn: '2025-01-10',
    channel: 'direct',
    ...overrides,
  }
}

for (const engine of testEngines()) {
  describe(`registry routes (${engine})`, () => {
    let database: TestDatabase
    let ctx: AppContext
    let app: HttpApp
    let demo: Awaited<ReturnType<typeof seedDemoRegistry>>

    before(async () => {
      database = await openTestDatabase(engine)
      ctx = createTestContext(database, { now: () => TODAY })
      demo = await seedDemoRegistry(ctx)
      app = await buildApp(ctx)
    })
    after(async () => {
      await app.close()
      await database.dispose()
    })

    test('the demo seed is idempotent', async () => {
      const count = async (table: 'units' | 'customers' | 'product_models' | 'organisations') =>
        Number(
          (
            await ctx.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        )
      const before = [
        await count('units'),
        await count('customers'),
        await count('product_models'),
        await count('organisations'),
      ]
      await seedDemoRegistry(ctx)
      const afterSeed = [
        await count('units'),
        await count('customers'),
        await count('product_models'),
        await count('organisations'),
      ]
      assert.deepEqual(afterSeed, before)
      assert.equal(before[0], 300)
      assert.equal(before[1], 40)
    })

    test('public warranty lookup answers the window and no owner data', async () => {
      const staff = await signIn(ctx, 'support')
      const owner = demo.customerIds[0] ?? ''
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: staff,
        payload: aPlayerOneSale('PO-LOOKUP-1', { ownerEmail: 'lookup.owner@example.com' }),
      })
      assert.equal(created.statusCode, 201, created.body)
      const response = await app.inject({ method: 'GET', url: '/api/v1/units/PO-LOOKUP-1/warranty' })
      assert.equal(response.statusCode, 200, response.body)
      const body = response.json()
      assert.equal(body.model.name, 'Ares-M PRO')
      assert.equal(body.policy.ref, 'player-one@1')
      // Seed 004: two years from delivery.
      assert.deepEqual(body.warranty, { starts: '2025-01-10', ends: '2027-01-09' })
      assert.equal(body.inWarranty, true)
      assert.doesNotMatch(response.body, /lookup\.owner|ownerCustomerId|customer/)
      assert.ok(owner)
    })

    test('warranty lookup of an unknown serial is a clear 404, a malformed one a 400', async () => {
      const missing = await app.inject({ method: 'GET', url: '/api/v1/units/NOPE-404/warranty' })
      assert.equal(missing.statusCode, 404)
      assert.deepEqual(missing.json(), {
        error: {
          code: 'not-found',
          message: 'No unit with serial NOPE-404',
          field: 'params.serial',
          messageKey: 'unit.not-found',
          params: { serial: 'NOPE-404' },
        },
      })
      const bad = await app.inject({ method: 'GET', url: '/api/v1/units/bad%20serial!/warranty' })
      assert.equal(bad.statusCode, 400)
      assert.equal(bad.json().error.field, 'params.serial')
    })

    test('units are scoped: staff all, a dealer its sales, a customer their own', async () => {
      const staff = await app.inject({
        method: 'GET',
        url: '/api/v1/units?limit=200',
        headers: await signIn(ctx, 'support'),
      })
      assert.equal(staff.json().items.length, 200)
      assert.ok(staff.json().next)

      const dealer = await signIn(ctx, 'dealer', { orgId: ORG.starlight })
      const dealerList = await app.inject({ method: 'GET', url: '/api/v1/units?limit=200', headers: dealer })
      const dealerItems = dealerList.json().items as Array<{ dealer: { id: string } | null; serial: string }>
      assert.ok(dealerItems.length > 0)
      assert.ok(dealerItems.every((u) => u.dealer?.id === ORG.starlight))

      const customerId = demo.customerIds[1] ?? ''
      const customer = await signIn(ctx, 'customer', { customerId })
      const own = (await app.inject({ method: 'GET', url: '/api/v1/units', headers: customer })).json()
        .items as Array<{
        ownerCustomerId: string
        serial: string
      }>
      assert.ok(own.length > 0)
      assert.ok(own.every((u) => u.ownerCustomerId === customerId))

      const someoneElses = dealerItems.find((u) => !own.some((o) => o.serial === u.serial))
      assert.ok(someoneElses)
      const hidden = await app.inject({
        method: 'GET',
        url: `/api/v1/units/${someoneElses.serial}`,
        headers: customer,
      })
      assert.equal(hidden.statusCode, 404)
      const notTheirs = await app.inject({
        method: 'GET',
        url: `/api/v1/units/${own[0]?.serial}`,
        headers: await signIn(ctx, 'dealer', { orgId: 'org-someone-else' }),
      })
      assert.equal(notTheirs.statusCode, 404)
      const anonymous = await app.inject({ method: 'GET', url: '/api/v1/units' })
      assert.equal(anonymous.statusCode, 401)
    })

    test('unit list filters by serial prefix and model ignoring case and hyphens', async () => {
      const staff = await signIn(ctx, 'support')
      const byModel = await app.inject({
        method: 'GET',
        url: '/api/v1/units?model=ARES%20M%20PRO&limit=200',
        headers: staff,
      })
      const items = byModel.json().items as Array<{ model: { name: string }; serial: string }>
      assert.ok(items.length > 0)
      assert.ok(items.every((u) => u.model.name === 'Ares-M PRO'))
      const prefix = items[0]?.serial.slice(0, 5) ?? ''
      const byPrefix = await app.inject({
        method: 'GET',
        url: `/api/v1/units?serialPrefix=${prefix}`,
        headers: staff,
      })
      const found = byPrefix.json().items as Array<{ serial: string }>
      assert.ok(found.length > 0 && found.every((u) => u.serial.startsWith(prefix)))
      // Typed as people type it: lower case, full-width, spaced.
      for (const typed of [
        prefix.toLowerCase(),
        ` ${prefix.replace(/[A-Z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))} `,
      ]) {
        const again = await app.inject({
          method: 'GET',
          url: `/api/v1/units?serialPrefix=${encodeURIComponent(typed)}`,
          headers: staff,
        })
        assert.deepEqual(again.json().items, byPrefix.json().items, `"${typed}" finds what "${prefix}" finds`)
      }
      const bad = await app.inject({ method: 'GET', url: '/api/v1/units?limit=0', headers: staff })
      assert.equal(bad.statusCode, 400)
      assert.equal(bad.json().error.field, 'querystring.limit')
    })

    test('a customer registers a unit; a serial owned by someone else is a conflict', async () => {
      const alice = await signIn(ctx, 'customer', { customerId: demo.customerIds[2] ?? '' })
      const bob = await signIn(ctx, 'customer', { customerId: demo.customerIds[3] ?? '' })
      const mine = await app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: alice,
        payload: aPlayerOneSale('PO-REG-1', { proofFileId: await uploadProofOfPurchase(app, alice) }),
      })
      assert.equal(mine.statusCode, 201, mine.body)
      assert.equal(mine.json().ownerCustomerId, demo.customerIds[2])
      // The document the customer uploaded is their word until staff weigh it.
      assert.equal(mine.json().proofOfPurchase, false, 'not proven before staff accept the document')
      assert.deepEqual(
        (mine.json().purchaseProofs as { status: string }[]).map((proof) => proof.status),
        ['offered'],
      )
      const theirs = await app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: bob,
        payload: aPlayerOneSale('PO-REG-1', { proofFileId: await uploadProofOfPurchase(app, bob) }),
      })
      assert.equal(theirs.statusCode, 409)
      const bad = await app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: alice,
        payload: aPlayerOneSale('PO-REG-2', { purchasedOn: '2025-02-30' }),
      })
      assert.equal(bad.statusCode, 400)
      assert.equal(bad.json().error.field, 'body.purchasedOn')
      const unknownModel = await app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: alice,
        payload: aPlayerOneSale('PO-REG-3', { model: 'Hubble' }),
      })
      assert.equal(unknownModel.statusCode, 400)
      assert.equal(unknownModel.json().error.field, 'body.model')
    })

    test("a customer's own registration names only a dealer of the unit's seller, else 400 naming dealerOrgId", async () => {
      const carol = await signIn(ctx, 'customer', { customerId: demo.customerIds[4] ?? '' })
      const register = async (serial: string, dealerOrgId: string, headers = carol) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/units',
          headers,
          payload: aPlayerOneSale(serial, {
            channel: 'dealer',
            dealerOrgId,
            proofFileId: await uploadProofOfPurchase(app, headers),
          }),
        })
      // Prairie Sky sells ToupTek, not Player One; ToupTek is a seller, no dealer at all.
      for (const [serial, stranger] of [
        ['PO-CUS-D1', ORG.prairie],
        ['PO-CUS-D2', ORG.touptek],
      ] as const) {
        const refused = await register(serial, stranger)
        assert.equal(refused.statusCode, 400, refused.body)
        assert.equal(refused.json().error.field, 'body.dealerOrgId')
        assert.equal(
          await database.db
            .selectFrom('units')
            .select('serial')
            .where('serial', '=', serial)
            .executeTakeFirst(),
          undefined,
          'nothing written',
        )
      }
      const zh = await app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: { ...carol, 'accept-language': 'zh-CN' },
        payload: aPlayerOneSale('PO-CUS-D3', { channel: 'dealer', dealerOrgId: ORG.prairie }),
      })
      assert.equal(zh.statusCode, 400)
      assert.doesNotMatch(zh.json().error.message, /not on file|leave the dealer/)
      // Starlight Optics sells Player One: the customer's word stands.
      const known = await register('PO-CUS-D4', ORG.starlight)
      assert.equal(known.statusCode, 201, known.body)
      assert.equal(known.json().dealer.id, ORG.starlight)
    })

    test('a dealer records sales for its own organisation only', async () => {
      const dealer = await signIn(ctx, 'dealer', { orgId: ORG.starlight })
      const own = await app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: dealer,
        payload: aPlayerOneSale('PO-DLR-1', { channel: 'dealer' }),
      })
      assert.equal(own.statusCode, 201, own.body)
      assert.equal(own.json().dealer.id, ORG.starlight)
      assert.equal(own.json().shippedBy, 'dealer')
      const other = await app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: dealer,
        payload: aPlayerOneSale('PO-DLR-2', { channel: 'dealer', dealerOrgId: ORG.prairie }),
      })
      assert.equal(other.statusCode, 403)
    })

    test("a dealer sale staff record names a dealer or agent: a seller's or maker's organisation is refused, naming dealerOrgId, and nothing is written", async () => {
      const staff = await signIn(ctx, 'support')
      for (const [i, dealerOrgId] of [ORG.playerOne, ORG.touptek, ORG.aurora].entries()) {
        for (const locale of ['en', 'zh']) {
          const serial = `PO-NOT-DEALER-${i}-${locale}`
          const refused = await app.inject({
            method: 'POST',
            url: '/api/v1/units',
            headers: { ...staff, 'accept-language': locale },
            payload: aPlayerOneSale(serial, { channel: 'dealer', dealerOrgId }),
          })
          assert.equal(refused.statusCode, 400, refused.body)
          assert.equal(refused.json().error.field, 'body.dealerOrgId')
          assert.match(refused.json().error.message, locale === 'en' ? /not a dealer/ : /不是经销商/)
          const written = await ctx.db
            .selectFrom('units')
            .select('serial')
            .where('serial', '=', serial)
            .execute()
          assert.deepEqual(written, [])
        }
      }
      const agentSale = await app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: staff,
        payload: aPlayerOneSale('PO-DEALER-OK', { channel: 'dealer', dealerOrgId: ORG.prairie }),
      })
      assert.equal(agentSale.statusCode, 201, agentSale.body)
    })

    test('the owner offers a unit to its buyer, who owns it second hand once they accept; others cannot', async () => {
      const ownerId = demo.customerIds[4] ?? ''
      const owner = await signIn(ctx, 'customer', { customerId: ownerId })
      await app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: owner,
        payload: aPlayerOneSale('PO-XFER-1', { proofFileId: await uploadProofOfPurchase(app, owner) }),
      })
      const transfer = (headers: Record<string, string>, payload: Record<string, unknown>) =>
        app.inject({ method: 'POST', url: '/api/v1/units/PO-XFER-1/transfers', headers, payload })
      const stranger = await signIn(ctx, 'customer', { customerId: demo.customerIds[5] ?? '' })
      assert.equal((await transfer(stranger, { toEmail: 'thief@example.com' })).statusCode, 404)
      const bad = await transfer(owner, { toEmail: 'not-an-email' })
      assert.equal(bad.statusCode, 400)
      assert.equal(bad.json().error.field, 'body.toEmail')
      const ahead = await transfer(owner, {
        toEmail: 'second.buyer@example.com',
        transferredOn: '2099-01-01',
      })
      assert.equal(ahead.statusCode, 400, ahead.body)
      assert.equal(ahead.json().error.field, 'body.transferredOn')

      const offered = await transfer(owner, { toEmail: 'Second.Buyer@example.com', toName: 'Second Buyer' })
      assert.equal(offered.statusCode, 201, offered.body)
      assert.deepEqual(offered.json(), {
        serial: 'PO-XFER-1',
        fromCustomerId: ownerId,
        toCustomerId: null,
        transferredOn: offered.json().transferredOn,
        status: 'offered',
      })
      const again = await transfer(owner, { toEmail: 'third.buyer@example.com' })
      assert.equal(again.statusCode, 409, 'one offer at a time')
      // A mistyped address is withdrawn by the owner (nobody else) and offered again.
      const withdraw = (headers: Record<string, string>) =>
        app.inject({ method: 'DELETE', url: '/api/v1/units/PO-XFER-1/transfers/pending', headers })
      assert.equal((await withdraw(stranger)).statusCode, 404)
      assert.equal((await transfer(owner, { toEmail: 'typo@example.com' })).statusCode, 409)
      assert.equal((await withdraw(owner)).statusCode, 204)
      assert.equal((await withdraw(owner)).statusCode, 404, 'withdrawn once')
      assert.equal(
        (await transfer(owner, { toEmail: 'Second.Buyer@example.com', toName: 'Second Buyer' })).statusCode,
        201,
      )
      const staff = await signIn(ctx, 'support')
      const readUnit = async () =>
        (await app.inject({ method: 'GET', url: '/api/v1/units/PO-XFER-1', headers: staff })).json()
      assert.equal((await readUnit()).ownerCustomerId, ownerId, 'still the owner’s until the buyer accepts')
      // The owner sees the offer waiting, to withdraw it if the address was mistyped.
      assert.equal((await readUnit()).pendingOffer.toEmail, 'second.buyer@example.com')
      const ownList = await app.inject({ method: 'GET', url: '/api/v1/units', headers: owner })
      const listed = ownList.json().items.find((u: { serial: string }) => u.serial === 'PO-XFER-1')
      assert.equal(listed?.pendingOffer?.toEmail, 'second.buyer@example.com', ownList.body)

      const buyerRow = await ctx.db
        .selectFrom('customers')
        .select('id')
        .where('email', '=', 'second.buyer@example.com')
        .executeTakeFirstOrThrow()
      const buyer = await signIn(ctx, 'customer', { customerId: buyerRow.id })
      const offers = await app.inject({ method: 'GET', url: '/api/v1/me/unit-offers', headers: buyer })
      const offer = offers.json().items.find((o: { serial: string }) => o.serial === 'PO-XFER-1')
      assert.ok(offer, offers.body)
      const seller = await ctx.db
        .selectFrom('customers')
        .select('name')
        .where('id', '=', ownerId)
        .executeTakeFirstOrThrow()
      assert.equal(offer.sellerName, seller.name, 'the buyer is told who sells it on: its owner')
      const accepted = await app.inject({
        method: 'POST',
        url: '/api/v1/units/PO-XFER-1/offer-answer',
        headers: buyer,
        payload: { accept: true },
      })
      assert.equal(accepted.statusCode, 200, accepted.body)
      const unit = await readUnit()
      assert.equal(unit.secondHand, true)
      assert.equal(unit.pendingOffer, null, 'the accepted offer waits no more')
      assert.equal(unit.ownerCustomerId, buyerRow.id)
      const recorded = await ctx.db
        .selectFrom('ownership_transfers')
        .select(['from_customer_id', 'to_customer_id'])
        .where('serial', '=', 'PO-XFER-1')
        .execute()
      assert.deepEqual(recorded, [{ from_customer_id: ownerId, to_customer_id: buyerRow.id }])

      // Offered to an address that is already a customer, the answer looks just the same.
      await app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: buyer,
        payload: aPlayerOneSale('PO-XFER-2', { proofFileId: await uploadProofOfPurchase(app, buyer) }),
      })
      const known = await app.inject({
        method: 'POST',
        url: '/api/v1/units/PO-XFER-2/transfers',
        headers: buyer,
        payload: {
          toEmail: (
            await ctx.db
              .selectFrom('customers')
              .select('email')
              .where('id', '=', ownerId)
              .executeTakeFirstOrThrow()
          ).email,
        },
      })
      assert.equal(known.statusCode, 201, known.body)
      assert.equal(known.json().toCustomerId, null)
      assert.equal(known.json().status, 'offered')

      // Staff record a transfer at once.
      const byStaff = await app.inject({
        method: 'POST',
        url: '/api/v1/units/PO-XFER-1/transfers',
        headers: staff,
        payload: { toEmail: 'fourth.buyer@example.com' },
      })
      assert.equal(byStaff.statusCode, 201, byStaff.body)
      assert.equal(byStaff.json().status, 'transferred')
      assert.equal((await readUnit()).ownerCustomerId, byStaff.json().toCustomerId)
    })

    test('offers of one unit made at once: one is made, the others answer 409, on every engine', async () => {
      const ownerId = demo.customerIds[6] ?? ''
      const owner = await signIn(ctx, 'customer', { customerId: ownerId })
      const registered = await app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: owner,
        payload: aPlayerOneSale('PO-XFER-RACE', { proofFileId: await uploadProofOfPurchase(app, owner) }),
      })
      assert.equal(registered.statusCode, 201, registered.body)
      const answers = await Promise.all(
        [1, 2, 3, 4].map((i) =>
          app.inject({
            method: 'POST',
            url: '/api/v1/units/PO-XFER-RACE/transfers',
            headers: owner,
            payload: { toEmail: `race.buyer${i}@example.com` },
          }),
        ),
      )
      assert.deepEqual(
        answers.map((a) => a.statusCode).sort(),
        [201, 409, 409, 409],
        answers.map((a) => a.body).join('\n'),
      )
      for (const refused of answers.filter((a) => a.statusCode === 409))
        assert.equal(refused.json().error.messageKey, 'registry.transfer.pending')
    })

    test('a staff transfer withdraws the offer still pending, so the new owner can offer the unit on', async () => {
      const ownerId = demo.customerIds[7] ?? ''
      const owner = await signIn(ctx, 'customer', { customerId: ownerId })
      const staff = await signIn(ctx, 'support')
      await app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: owner,
        payload: aPlayerOneSale('PO-XFER-STAFF', { proofFileId: await uploadProofOfPurchase(app, owner) }),
      })
      const transfer = (headers: Record<string, string>, payload: Record<string, unknown>) =>
        app.inject({ method: 'POST', url: '/api/v1/units/PO-XFER-STAFF/transfers', headers, payload })
      assert.equal((await transfer(owner, { toEmail: 'pending.buyer@example.com' })).statusCode, 201)

      // A clerk who saw another owner moves nothing.
      const stale = await transfer(staff, {
        toEmail: 'new.owner@example.com',
        fromCustomerId: 'someone-else',
      })
      assert.equal(stale.statusCode, 409, stale.body)
      assert.equal(stale.json().error.messageKey, 'registry.transfer.owner-changed')
      const unowned = await transfer(staff, { toEmail: 'new.owner@example.com', fromCustomerId: null })
      assert.equal(unowned.statusCode, 409, 'the unit has an owner')

      const moved = await transfer(staff, { toEmail: 'new.owner@example.com', fromCustomerId: ownerId })
      assert.equal(moved.statusCode, 201, moved.body)
      const newOwnerId = moved.json().toCustomerId as string
      // The first clerk's second click, or a second clerk working from the old page.
      const again = await transfer(staff, { toEmail: 'other.owner@example.com', fromCustomerId: ownerId })
      assert.equal(again.statusCode, 409, again.body)
      // That page is told the owner changed before anything of the day it chose.
      const staleAndEarly = await transfer(staff, {
        toEmail: 'other.owner@example.com',
        fromCustomerId: ownerId,
        transferredOn: '2000-01-01',
      })
      assert.equal(staleAndEarly.statusCode, 409, staleAndEarly.body)
      assert.equal(staleAndEarly.json().error.messageKey, 'registry.transfer.owner-changed')
      const unit = await app.inject({ method: 'GET', url: '/api/v1/units/PO-XFER-STAFF', headers: staff })
      assert.equal(unit.json().ownerCustomerId, newOwnerId)

      const pendingBuyer = await ctx.db
        .selectFrom('customers')
        .select('id')
        .where('email', '=', 'pending.buyer@example.com')
        .executeTakeFirstOrThrow()
      const buyer = await signIn(ctx, 'customer', { customerId: pendingBuyer.id })
      const offers = await app.inject({ method: 'GET', url: '/api/v1/me/unit-offers', headers: buyer })
      assert.deepEqual(
        offers.json().items.filter((o: { serial: string }) => o.serial === 'PO-XFER-STAFF'),
        [],
        'the offer went with the owner who made it',
      )

      const newOwner = await signIn(ctx, 'customer', { customerId: newOwnerId })
      const onward = await transfer(newOwner, { toEmail: 'third.owner@example.com' })
      assert.equal(onward.statusCode, 201, onward.body)
      assert.equal(onward.json().status, 'offered')
    })

    test('an offer left by an earlier owner does not keep the owner from offering or withdrawing', async () => {
      const ownerId = demo.customerIds[8] ?? ''
      const earlierId = demo.customerIds[9] ?? ''
      const owner = await signIn(ctx, 'customer', { customerId: ownerId })
      await app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: owner,
        payload: aPlayerOneSale('PO-XFER-LEFT', { proofFileId: await uploadProofOfPurchase(app, owner) }),
      })
      // As a staff transfer recorded before they withdrew pending offers left it.
      const leave = () =>
        ctx.db
          .insertInto('unit_ownership_offers')
          .values({
            serial: 'PO-XFER-LEFT',
            customer_id: demo.customerIds[10] ?? '',
            offered_by_user_id: 'earlier-owner',
            offered_at: TODAY.toISOString(),
            from_customer_id: earlierId,
            transferred_on: '2025-02-01',
          })
          .execute()
      await leave()
      const withdrawn = await app.inject({
        method: 'DELETE',
        url: '/api/v1/units/PO-XFER-LEFT/transfers/pending',
        headers: owner,
      })
      assert.equal(withdrawn.statusCode, 204, withdrawn.body)
      await leave()
      const offered = await app.inject({
        method: 'POST',
        url: '/api/v1/units/PO-XFER-LEFT/transfers',
        headers: owner,
        payload: { toEmail: 'next.owner@example.com' },
      })
      assert.equal(offered.statusCode, 201, offered.body)
    })

    test('the catalogue lists models with specifications and compatible accessories', async () => {
      const list = await app.inject({ method: 'GET', url: '/api/v1/models?category=camera' })
      assert.equal(list.statusCode, 200)
      const names = (list.json().items as Array<{ name: string }>).map((m) => m.name)
      for (const name of ['Zeus 455M PRO', 'Poseidon-C PRO', 'Apollo-M MAX PRO', 'ATR2600C'])
        assert.ok(names.includes(name), name)
      const ares = await app.inject({ method: 'GET', url: '/api/v1/models/player-one-ares-m-pro' })
      assert.equal(ares.statusCode, 200, ares.body)
      const body = ares.json()
      assert.equal(body.specifications.sensor, 'IMX533 mono')
      assert.equal(body.compatibility.recommendedFilterSize, '1.25"')
      const accessories = (body.compatibleAccessories as Array<{ name: string }>).map((a) => a.name)
      assert.ok(accessories.includes('Filter Drawer MN'))
      assert.ok(accessories.includes('Phoenix Filter Wheel 8x1.25"'))
      assert.ok(!accessories.includes('Filter Drawer MAX'))
      assert.match(body.descriptionZh, /^Player One 制冷天文相机/)
      assert.equal(body.packageContentsZh.length, body.packageContents.length)
      assert.equal(
        body.packageContentsZh[body.packageContents.indexOf('USB 3.0 cable')],
        'USB 3.0 数据线',
        'the standard package in Chinese, item for item',
      )
      const missing = await app.inject({ method: 'GET', url: '/api/v1/models/no-such-model' })
      assert.equal(missing.statusCode, 404)
    })

    test('organisations: anyone lists, managers create, others are refused', async () => {
      const list = await app.inject({ method: 'GET', url: '/api/v1/organisations?kind=seller' })
      assert.equal((list.json().items as unknown[]).length, 5)
      const payload = {
        kind: 'dealer',
        name: 'Nordlicht Astro',
        country: 'AT',
        email: 'rma@nordlicht.example',
      }
      const refused = await app.inject({
        method: 'POST',
        url: '/api/v1/organisations',
        headers: await signIn(ctx, 'support'),
        payload,
      })
      assert.equal(refused.statusCode, 403)
      const manager = await signIn(ctx, 'manager')
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/organisations',
        headers: manager,
        payload,
      })
      assert.equal(created.statusCode, 201, created.body)
      assert.equal(created.json().id, 'org-nordlicht-astro')
      const again = await app.inject({
        method: 'POST',
        url: '/api/v1/organisations',
        headers: manager,
        payload,
      })
      assert.equal(again.statusCode, 409)
      const bad = await app.inject({
        method: 'POST',
        url: '/api/v1/organisations',
        headers: manager,
        payload: { ...payload, name: 'Other', country: 'Austria' },
      })
      assert.equal(bad.statusCode, 400)
      assert.equal(bad.json().error.field, 'body.country')
    })

    test('customers: a dealer sees only the buyers of its units, a customer only themselves', async () => {
      const dealer = await signIn(ctx, 'dealer', { orgId: ORG.prairie })
      const listed = (
        await app.inject({ method: 'GET', url: '/api/v1/customers?limit=200', headers: dealer })
      ).json().items as Array<{ id: string }>
      const all = (
        await app.inject({
          method: 'GET',
          url: '/api/v1/customers?limit=200',
          headers: await signIn(ctx, 'support'),
        })
      ).json().items as Array<{ id: string }>
      assert.ok(listed.length > 0 && listed.length < all.length)
      const outsider = all.find((c) => !listed.some((l) => l.id === c.id))
      assert.ok(outsider)
      assert.equal(
        (await app.inject({ method: 'GET', url: `/api/v1/customers/${outsider.id}`, headers: dealer }))
          .statusCode,
        404,
      )
      assert.equal(
        (await app.inject({ method: 'GET', url: `/api/v1/customers/${listed[0]?.id}`, headers: dealer }))
          .statusCode,
        200,
      )
      const customer = await signIn(ctx, 'customer', { customerId: demo.customerIds[6] ?? '' })
      assert.equal(
        (await app.inject({ method: 'GET', url: `/api/v1/customers/${outsider.id}`, headers: customer }))
          .statusCode,
        404,
      )
      const bad = await app.inject({ method: 'GET', url: '/api/v1/customers?limit=abc', headers: customer })
      assert.equal(bad.statusCode, 400)
    })
  })
}
