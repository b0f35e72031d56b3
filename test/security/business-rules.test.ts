import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { createTestContext } from '../../src/app/test-context.ts'
import { testEngines } from '../../src/db/test-database.ts'
import { buildApp } from '../../src/http/app.ts'
import {
  act,
  addDays,
  ORG,
  openClaimAs,
  openClaimBody,
  seedClaimAwaitingQuote,
  seedIstExpiredUnit,
  seedPlayerOneDealerUnit,
  seedPlayerOneUnit,
  seedTouptekDoaUnit,
  seedUnit,
  TODAY,
  tryAct,
} from '../claims/claim-factories.ts'
import { openSecurityWorld, type SecurityWorld, uploadPng } from './security-world.ts'

const post = (world: SecurityWorld, headers: Record<string, string>, url: string, payload: unknown) =>
  world.app.inject({ method: 'POST', url, headers, payload: payload as Record<string, unknown> })

for (const engine of testEngines()) {
  describe(`${engine}: business rules hold against the attacks that broke them`, () => {
    let world: SecurityWorld
    before(async () => {
      world = await openSecurityWorld(engine)
    })
    after(() => world.close())
    /** Opens a claim as a party: the request most of these attacks make. */
    const openAs = (party: Record<string, string>, body: unknown) =>
      post(world, party, '/api/v1/claims', body)

    test('1: a customer, dealer or integration cannot back-date a claim; staff can, with a reason, within the sale and today', async () => {
      const serial = await seedIstExpiredUnit(world)
      for (const party of [world.parties.customerA, world.parties.integration]) {
        for (const claimedOn of ['2024-06-01', '2099-01-01']) {
          const response = await post(world, party, '/api/v1/claims', openClaimBody(serial, { claimedOn }))
          assert.equal(response.statusCode, 400, response.body)
          assert.equal(response.json().error.field, 'body.claimedOn')
        }
      }
      const dealerSerial = await seedPlayerOneDealerUnit(world)
      const byDealer = await openAs(
        world.parties.dealer1,
        openClaimBody(dealerSerial, { claimedOn: addDays(TODAY, -60) }),
      )
      assert.equal(byDealer.statusCode, 400, byDealer.body)
      assert.equal(byDealer.json().error.field, 'body.claimedOn')

      const staff = world.parties.support
      const noReason = await post(
        world,
        staff,
        '/api/v1/claims',
        openClaimBody(serial, { claimedOn: addDays(TODAY, -30) }),
      )
      assert.equal(noReason.json().error.field, 'body.claimedOnReason')
      const future = await post(
        world,
        staff,
        '/api/v1/claims',
        openClaimBody(serial, { claimedOn: '2099-01-01', claimedOnReason: 'typo' } as never),
      )
      assert.equal(future.statusCode, 400)
      assert.equal(future.json().error.field, 'body.claimedOn')
      const beforeSale = await post(
        world,
        staff,
        '/api/v1/claims',
        openClaimBody(serial, { claimedOn: '2020-01-01', claimedOnReason: 'e-mail' } as never),
      )
      assert.equal(beforeSale.statusCode, 400)
      assert.match(beforeSale.json().error.message, /before the sale/)
      const proven = await post(
        world,
        staff,
        '/api/v1/claims',
        openClaimBody(serial, {
          customerId: 'cus-alice',
          claimedOn: addDays(TODAY, -30),
          claimedOnReason: 'The customer wrote to us on that day (e-mail kept on file)',
        } as never),
      )
      assert.equal(proven.statusCode, 201, proven.body)
      const events = await world.app.inject({
        url: `/api/v1/claims/${proven.json().id}/events`,
        headers: staff,
      })
      const opened = (events.json() as { items: { type: string; data: Record<string, unknown> }[] }).items[0]
      assert.match(String(opened?.data.claimedOnReason), /wrote to us/)
      assert.ok(opened?.data.claimedOnSetBy)
      // The intake day itself is harmless: the web form sends it.
      const today = await openAs(world.parties.customerA, openClaimBody(serial, { claimedOn: TODAY }))
      assert.notEqual(today.statusCode, 400, today.body)
    })

    test('1: the day a customer first noticed the fault is kept for the technician and does not date the claim', async () => {
      const serial = await seedIstExpiredUnit(world)
      const noticedOn = addDays(TODAY, -200) // inside the warranty that has since ended
      const body = openClaimBody(serial)
      const opened = await openAs(world.parties.customerA, {
        ...body,
        problem: { ...body.problem, noticedOn },
      })
      assert.equal(opened.statusCode, 201, opened.body)
      const claim = opened.json()
      assert.equal(claim.problem.noticedOn, noticedOn)
      assert.equal(claim.provisionalDecision.covered, false, 'still judged on the day it reached us')
      assert.ok(claim.provisionalDecision.exclusions.some((e: { code: string }) => e.code === 'expired'))
      const future = await openAs(world.parties.customerA, {
        ...openClaimBody(await seedPlayerOneUnit(world)),
        problem: { ...body.problem, noticedOn: addDays(TODAY, 3) },
      })
      assert.equal(future.statusCode, 400, future.body)
      assert.equal(future.json().error.field, 'body.problem.noticedOn')
    })

    test('3: a fault described by nothing but spaces, zero-width or not, is refused naming the field', async () => {
      const body = openClaimBody(await seedPlayerOneUnit(world))
      for (const description of ['\u200b\u200b\u200b', ' \u00a0\u3000 ', '\u200b \ufeff']) {
        const refused = await openAs(world.parties.customerA, {
          ...body,
          problem: { ...body.problem, description },
        })
        assert.equal(refused.statusCode, 400, JSON.stringify(description))
        assert.equal(refused.json().error.field, 'body.problem.description')
      }
      const short = await openAs(world.parties.customerA, {
        ...body,
        problem: { ...body.problem, description: '坏了' },
      })
      assert.equal(short.statusCode, 201, 'two Chinese characters say it: "broken"')
    })

    test('4: a dealer can name only customers of its own units', async () => {
      const serial = await seedPlayerOneDealerUnit(world)
      const foreign = await openAs(
        world.parties.dealer2,
        openClaimBody(`${serial}-NEW`, {
          customerId: 'cus-alice',
          unit: { model: 'Ares-M PRO', purchasedOn: addDays(TODAY, -20), proofOfPurchase: true },
        }),
      )
      assert.equal(foreign.statusCode, 404, foreign.body)
      assert.equal(foreign.json().error.field, 'body.customerId')
      const own = await openAs(world.parties.dealer1, openClaimBody(serial, { customerId: 'cus-alice' }))
      assert.equal(own.statusCode, 201, own.body)
    })

    test('4: a dealer names only the customer a unit belongs to, not another of its customers', async () => {
      // cus-bob owns a unit of this dealer, so the dealer may name him, but not on Alice's unit:
      // the claim would show him her unit and leave her unable to claim it.
      await seedUnit(world, {
        model: 'player-one-zeus-455m-pro',
        policy: 'player-one',
        sellerOrgId: ORG.playerOne,
        channel: 'dealer',
        dealerOrgId: ORG.starlight,
        purchasedOn: addDays(TODAY, -100),
        owner: 'cus-bob',
      })
      const alices = await seedPlayerOneDealerUnit(world)
      const named = await openAs(world.parties.dealer1, openClaimBody(alices, { customerId: 'cus-bob' }))
      assert.equal(named.statusCode, 404, named.body)
      assert.equal(named.json().error.field, 'body.customerId')
      assert.equal(
        (await world.database.db.selectFrom('claims').select('id').where('serial', '=', alices).execute())
          .length,
        0,
        'nothing was written',
      )
      const owner = await openAs(world.parties.dealer1, openClaimBody(alices, { customerId: 'cus-alice' }))
      assert.equal(owner.statusCode, 201, owner.body)
    })

    test('5: registering a unit with an existing customer’s e-mail grants and reveals nothing', async () => {
      const register = (serial: string, ownerEmail: string) =>
        post(world, world.parties.dealer1, '/api/v1/units', {
          serial,
          model: 'player-one-poseidon-m-pro',
          purchasedOn: addDays(TODAY, -5),
          channel: 'dealer',
          ownerEmail,
        })
      const existing = await register(`SEC5-${Date.now()}-A`, 'cus-alice@example.com')
      const fresh = await register(`SEC5-${Date.now()}-B`, `new-${Date.now()}@example.com`)
      assert.equal(existing.statusCode, 201, existing.body)
      assert.equal(fresh.statusCode, 201, fresh.body)
      assert.equal(existing.json().ownerCustomerId, null)
      assert.equal(
        fresh.json().ownerCustomerId,
        null,
        'the answer looks the same for a known and an unknown address',
      )
      const row = await world.database.db
        .selectFrom('units')
        .select('owner_customer_id')
        .where('serial', '=', existing.json().serial)
        .executeTakeFirstOrThrow()
      assert.equal(row.owner_customer_id, null, 'the existing customer was not given the unit')
      const customer = await world.app.inject({
        url: '/api/v1/customers/cus-alice',
        headers: world.parties.dealer2,
      })
      assert.equal(customer.statusCode, 404)
      // Read back later, the two units still look alike to the seller: neither has an owner.
      for (const serial of [existing.json().serial, fresh.json().serial]) {
        const unit = await world.app.inject({
          url: `/api/v1/units/${serial}`,
          headers: world.parties.dealer1,
        })
        assert.equal(unit.statusCode, 200, unit.body)
        assert.equal(unit.json().ownerCustomerId, null, `${serial} read back by the seller`)
      }
      // Both buyers are asked; the known customer sees the offer and may accept it.
      const mails = await world.database.db
        .selectFrom('outbox_messages')
        .select(['recipient'])
        .where('topic', '=', 'unit.offered')
        .execute()
      assert.ok(mails.some((m) => m.recipient === 'cus-alice@example.com'))
      const offers = await world.app.inject({
        url: '/api/v1/me/unit-offers',
        headers: world.parties.customerA,
      })
      assert.ok(offers.json().items.some((o: { serial: string }) => o.serial === existing.json().serial))
      const stranger = await post(
        world,
        world.parties.customerB,
        `/api/v1/units/${existing.json().serial}/offer-answer`,
        { accept: true },
      )
      assert.equal(stranger.statusCode, 404, 'an offer to someone else cannot be taken')
      const takeOver = await post(world, world.parties.customerB, '/api/v1/units', {
        serial: existing.json().serial,
        model: 'player-one-poseidon-m-pro',
        purchasedOn: addDays(TODAY, -5),
        channel: 'direct',
        // Even with a proof of purchase: the unit waits for the buyer it was offered to.
        proofFileId: (
          await uploadPng(world, world.parties.customerB, '/api/v1/files', 'proof-of-purchase')
        ).json().items[0].id,
      })
      assert.equal(takeOver.statusCode, 409, 'nor registered away from its buyer')
      const claimedAway = await openAs(world.parties.customerB, openClaimBody(existing.json().serial))
      // Answered as a serial not on file: without a proof of purchase, asked for one first.
      assert.equal(claimedAway.statusCode, 400, 'nor claimed by someone else, which would lock its buyer out')
      assert.equal(claimedAway.json().error.field, 'body.files')
      const namedAway = await openAs(
        world.parties.dealer1,
        openClaimBody(existing.json().serial, { customerId: 'cus-bob' }),
      )
      assert.equal(namedAway.statusCode, 404, 'nor opened by its seller in another customer’s name')
      const accepted = await post(
        world,
        world.parties.customerA,
        `/api/v1/units/${existing.json().serial}/offer-answer`,
        { accept: true },
      )
      assert.equal(accepted.statusCode, 200, accepted.body)
      assert.equal(accepted.json().ownerCustomerId, 'cus-alice')
      const again = await post(
        world,
        world.parties.customerA,
        `/api/v1/units/${existing.json().serial}/offer-answer`,
        { accept: true },
      )
      assert.equal(again.statusCode, 404, 'an answered offer is gone')
    })

    test('12: another customer’s unit typed in lower case or full width is that unit, not a new one', async () => {
      const alices = await seedPlayerOneUnit(world)
      // With a proof of purchase: without one, any serial typed is asked for it, on file or not.
      const proofOf = async () =>
        (await uploadPng(world, world.parties.customerB, '/api/v1/files', 'proof-of-purchase')).json()
          .items[0].id as string
      const fullWidth = [...alices]
        .map((c) => String.fromCodePoint((c.codePointAt(0) ?? 0) + 0xfee0))
        .join('')
      for (const typed of [alices.toLowerCase(), fullWidth, ` ${alices.toLowerCase()} `]) {
        const registered = await post(world, world.parties.customerB, '/api/v1/units', {
          serial: typed,
          model: 'player-one-poseidon-m-pro',
          purchasedOn: addDays(TODAY, -5),
          channel: 'direct',
          proofFileId: await proofOf(),
        })
        assert.equal(registered.statusCode, 409, `${typed}: ${registered.body}`)
        const claimed = await openAs(
          world.parties.customerB,
          openClaimBody(typed, { files: [await proofOf()] }),
        )
        assert.equal(claimed.statusCode, 400, `${typed}: ${claimed.body}`)
        assert.equal(claimed.json().error.field, 'body.unit')
        const described = await openAs(
          world.parties.customerB,
          openClaimBody(typed, {
            unit: {
              model: 'player-one-poseidon-m-pro',
              channel: 'direct',
              purchasedOn: addDays(TODAY, -5),
              proofOfPurchase: false,
            },
            files: [await proofOf()],
          }),
        )
        assert.equal(described.statusCode, 409, `${typed}: ${described.body}`)
        assert.equal(described.json().error.field, 'body.unit.serial')
        const lookedUp = await world.app.inject({
          url: `/api/v1/units/${encodeURIComponent(typed.trim())}/warranty`,
        })
        assert.equal(lookedUp.statusCode, 200, `${typed}: ${lookedUp.body}`)
        assert.equal(lookedUp.json().serial, alices)
      }
      const units = await world.database.db
        .selectFrom('units')
        .select('serial')
        .where('owner_customer_id', '=', 'cus-bob')
        .execute()
      assert.ok(!units.some((u) => u.serial.toUpperCase() === alices), 'no second copy of the unit was made')
      // A serial the registry could never hold is refused by the claim form itself.
      const spaced = await openAs(world.parties.customerA, openClaimBody('PLA 11680'))
      assert.equal(spaced.statusCode, 400, spaced.body)
      assert.equal(spaced.json().error.field, 'body.serial')
      // Its owner finds and claims it however she types it.
      const own = await openAs(world.parties.customerA, openClaimBody(alices.toLowerCase()))
      assert.equal(own.statusCode, 201, own.body)
      assert.equal(own.json().serial, alices)
    })

    test('6: customers cannot choose seller, dealer or proof on intake and registration', async () => {
      const newUnit = (extra: Record<string, unknown>) =>
        openClaimBody(`SEC6-${Date.now()}-${Math.random().toString(16).slice(2, 6)}`, {
          unit: { model: 'Ares-M PRO', purchasedOn: addDays(TODAY, -20), proofOfPurchase: true, ...extra },
        })
      for (const field of ['sellerOrgId', 'dealerOrgId']) {
        const response = await openAs(world.parties.customerA, newUnit({ [field]: 'org-x' }))
        assert.equal(response.statusCode, 400, response.body)
        assert.equal(response.json().error.field, `body.unit.${field}`)
      }
      // The claim carries the customer's proof for staff to weigh; the unit's flag waits for them.
      const proof = await uploadPng(world, world.customer.headers, '/api/v1/files', 'proof-of-purchase')
      const stated = { ...newUnit({}), files: [proof.json().items[0].id as string] }
      const opened = await openClaimAs(world, world.customer, stated)
      assert.ok(opened.id)
      const unit = await world.database.db
        .selectFrom('units')
        .select('proof_of_purchase')
        .where('serial', '=', stated.serial.toUpperCase()) // serials are kept canonical: upper case
        .executeTakeFirstOrThrow()
      assert.equal(unit.proof_of_purchase, 0, "a customer's word is not a proof of purchase")

      // Another customer's file is not this customer's proof.
      const othersFile = await uploadPng(world, world.parties.customerB, '/api/v1/files')
      const fileId = othersFile.json().items[0].id as string
      const withOthersFile = await openAs(world.parties.customerA, newUnit({ proofFileId: fileId }))
      assert.equal(withOthersFile.statusCode, 400)
      assert.equal(withOthersFile.json().error.field, 'body.unit.proofFileId')
      const registration = await post(world, world.parties.customerA, '/api/v1/units', {
        serial: `SEC6-REG-${Date.now()}`,
        model: 'player-one-poseidon-m-pro',
        purchasedOn: addDays(TODAY, -5),
        channel: 'direct',
        proofFileId: fileId,
      })
      assert.equal(registration.statusCode, 400)
      assert.equal(registration.json().error.field, 'body.proofFileId')
      const madeUp = await post(world, world.parties.customerA, '/api/v1/units', {
        serial: `SEC6-REG2-${Date.now()}`,
        model: 'player-one-poseidon-m-pro',
        purchasedOn: addDays(TODAY, -5),
        channel: 'direct',
        proofFileId: 'no-such-file',
      })
      assert.equal(madeUp.json().error.field, 'body.proofFileId')
    })

    test('8: only the customer, or staff with a note, accepts a quote the customer pays', async () => {
      const decided = await seedClaimAwaitingQuote(world)
      const quoted = await act(world, world.staff, decided.id, 'send-quote', {
        lines: [{ kind: 'parts', description: 'Mainboard', quantity: 1, unitPriceMinor: 50000 }],
      })
      const quoteId = quoted.quote?.id
      const byDealer = await tryAct(world, world.dealer, quoted.id, 'accept-quote', { quoteId })
      assert.ok([403, 404].includes(byDealer.statusCode), byDealer.body)
      const byIntegration = await tryAct(
        world,
        { userId: 'x', headers: world.parties.integration },
        quoted.id,
        'accept-quote',
        { quoteId },
      )
      assert.equal(byIntegration.statusCode, 403, byIntegration.body)
      const staffNoNote = await tryAct(world, world.staff, quoted.id, 'accept-quote', { quoteId })
      assert.equal(staffNoNote.statusCode, 400)
      assert.equal(staffNoNote.json().error.field, 'body.note')
      const staffWithNote = await tryAct(world, world.staff, quoted.id, 'accept-quote', {
        quoteId,
        note: 'Customer accepted on the phone, 10:05',
      })
      assert.equal(staffWithNote.statusCode, 200, staffWithNote.body)
    })

    test("a cost line's amount, quantity times unit price, is bounded like one price", async () => {
      // Each factor alone was bounded: ten thousand parts at a billion minor units each made a
      // line of 10^13, and a month of such claims against one debtor a recovery claim past the
      // integers JSON numbers hold exactly.
      const decided = await seedClaimAwaitingQuote(world)
      const line = (quantity: number, unitPriceMinor: number) => ({
        lines: [{ kind: 'parts', description: 'Mainboard', quantity, unitPriceMinor }],
      })
      const refused = await tryAct(world, world.staff, decided.id, 'send-quote', line(2, 600_000_000))
      assert.equal(refused.statusCode, 400, refused.body)
      assert.equal(refused.json().error.field, 'body.lines.0.unitPriceMinor')
      assert.match(refused.json().error.message, /quantity × unit price/)
      const quoted = await act(world, world.staff, decided.id, 'send-quote', line(2, 500_000_000))
      assert.equal(quoted.quote?.customerTotalMinor, 1_000_000_000)
    })

    test('13: a day recorded by a customer, seller or staff is not later than today nor before what it follows', async () => {
      const sale = async (purchasedOn: string) =>
        post(world, world.parties.customerA, '/api/v1/units', {
          serial: `SEC13-${Math.random().toString(36).slice(2, 8)}`,
          model: 'player-one-poseidon-m-pro',
          purchasedOn,
          channel: 'direct',
          proofFileId: (
            await uploadPng(world, world.parties.customerA, '/api/v1/files', 'proof-of-purchase')
          ).json().items[0].id,
        })
      const bought = await sale(addDays(TODAY, 5))
      assert.equal(bought.statusCode, 400, bought.body)
      assert.equal(bought.json().error.field, 'body.purchasedOn')
      assert.equal((await sale(TODAY)).statusCode, 201)

      const opened = await openClaimAs(world, world.customer, openClaimBody(await seedPlayerOneUnit(world)))
      await act(world, world.staff, opened.id, 'authorize-return')
      for (const receivedOn of [addDays(TODAY, 3), '1999-01-01']) {
        const received = await tryAct(world, world.staff, opened.id, 'receive-unit', { receivedOn })
        assert.equal(received.statusCode, 400, `${receivedOn}: ${received.body}`)
        assert.equal(received.json().error.field, 'body.receivedOn')
      }
      await act(world, world.staff, opened.id, 'receive-unit', { receivedOn: TODAY })

      const decided = await seedClaimAwaitingQuote(world)
      const quoted = await act(world, world.staff, decided.id, 'send-quote', {
        lines: [{ kind: 'parts', description: 'Mainboard', quantity: 1, unitPriceMinor: 50000 }],
      })
      await act(world, world.customer, quoted.id, 'accept-quote', { quoteId: quoted.quote?.id })
      const early = await tryAct(world, world.staff, quoted.id, 'record-payment', {
        amountMinor: 1000,
        paidOn: '1990-01-01',
      })
      assert.equal(early.statusCode, 400, early.body)
      assert.equal(early.json().error.field, 'body.paidOn')
      await act(world, world.staff, quoted.id, 'record-payment', { amountMinor: 1000, paidOn: TODAY })
    })

    test('13: a pickup is not scheduled for a day before the claim was opened', async () => {
      const opened = await openClaimAs(world, world.customer, openClaimBody(await seedTouptekDoaUnit(world)))
      await act(world, world.staff, opened.id, 'authorize-return')
      for (const pickupOn of ['1900-01-01', addDays(TODAY, -2)]) {
        const early = await tryAct(world, world.staff, opened.id, 'schedule-pickup', { pickupOn })
        assert.equal(early.statusCode, 400, `${pickupOn}: ${early.body}`)
        assert.equal(early.json().error.field, 'body.pickupOn')
      }
      const scheduled = await act(world, world.staff, opened.id, 'schedule-pickup', { pickupOn: TODAY })
      assert.equal(scheduled.state, 'pickup-scheduled')
    })

    test('2: forged X-Forwarded-For does not escape rate limits; sign-in is limited per account too', async () => {
      // Counters run in fixed windows of the app's clock: held still, a window cannot end
      // mid-burst and reset the count.
      const at = new Date()
      const now = () => at
      const limited = await buildApp(createTestContext(world.database, { now }), {
        webDir: null,
        rateLimits: { signIn: { max: 3, windowMs: 60_000 }, lookup: { max: 3, windowMs: 60_000 } },
      })
      try {
        const codes: number[] = []
        for (let i = 0; i < 6; i++) {
          const response = await limited.inject({
            method: 'POST',
            url: '/api/v1/auth/sign-in',
            headers: { 'x-forwarded-for': `203.0.113.${i}` },
            payload: { email: `victim-${engine}@example.com`, password: `guess-${i}` },
          })
          codes.push(response.statusCode)
        }
        assert.deepEqual(codes.slice(3), [429, 429, 429], String(codes))
        const lookups: number[] = []
        for (let i = 0; i < 5; i++) {
          const response = await limited.inject({
            url: `/api/v1/units/NOPE-${i}/warranty`,
            headers: { 'x-forwarded-for': `198.51.100.${i}` },
          })
          lookups.push(response.statusCode)
        }
        assert.equal(lookups.at(-1), 429, String(lookups))
        // Spreading guesses over addresses still hits the account's own limit.
        const proxied = await buildApp(
          createTestContext(world.database, { config: { trustProxy: ['127.0.0.1'] }, now }),
          {
            webDir: null,
            rateLimits: {
              signIn: { max: 100, windowMs: 60_000 },
              signInAccount: { max: 2, windowMs: 60_000 },
            },
          },
        )
        const perAccount: number[] = []
        for (let i = 0; i < 4; i++) {
          const response = await proxied.inject({
            method: 'POST',
            url: '/api/v1/auth/sign-in',
            headers: { 'x-forwarded-for': `192.0.2.${i}` },
            payload: { email: `account-${engine}@example.com`, password: 'nope' },
          })
          perAccount.push(response.statusCode)
        }
        await proxied.close()
        assert.deepEqual(perAccount, [401, 401, 429, 429])
      } finally {
        await limited.close()
      }
    })

    test('2: two instances over one database share the counters', async () => {
      const limits = { signIn: { max: 2, windowMs: 60_000 }, signInAccount: { max: 50, windowMs: 60_000 } }
      // One clock for both, held still: the four sign-ins take about a second, and a window
      // ending among them would reset the count (a failure seen once in a run).
      const at = new Date()
      const now = () => at
      const first = await buildApp(createTestContext(world.database, { now }), {
        webDir: null,
        rateLimits: limits,
      })
      const second = await buildApp(createTestContext(world.database, { now }), {
        webDir: null,
        rateLimits: limits,
      })
      try {
        const codes: number[] = []
        for (const app of [first, second, first, second]) {
          const response = await app.inject({
            method: 'POST',
            url: '/api/v1/auth/sign-in',
            remoteAddress: `10.9.${engine === 'sqlite' ? 1 : 2}.7`,
            payload: { email: `shared-${Date.now()}-${codes.length}@example.com`, password: 'nope' },
          })
          codes.push(response.statusCode)
        }
        assert.deepEqual(codes, [401, 401, 429, 429])
      } finally {
        await first.close()
        await second.close()
      }
    })

    test('11: the webhook route refuses internal targets and never echoes a target', async () => {
      const response = await post(world, world.parties.admin, '/api/v1/webhooks', {
        url: 'http://127.0.0.1:5432/',
        eventTypes: ['*'],
      })
      assert.equal(response.statusCode, 400, response.body)
      assert.equal(response.json().error.field, 'body.url')
    })

    test('a read-only API key reads but never changes anything', async () => {
      const read = await world.app.inject({ url: '/api/v1/claims', headers: world.parties.readOnlyKey })
      assert.equal(read.statusCode, 200)
      const serial = await seedPlayerOneUnit(world)
      const write = await openAs(world.parties.readOnlyKey, openClaimBody(serial))
      assert.equal(write.statusCode, 403)
    })

    test('11: an API key limited to one organisation sees and acts on its claims only', async () => {
      const issue = (body: Record<string, unknown>) =>
        post(world, world.parties.admin, '/api/v1/api-keys', body)
      const unknownOrg = await issue({ name: 'nobody’s shop', orgId: 'org-does-not-exist' })
      assert.equal(unknownOrg.statusCode, 400, unknownOrg.body)
      assert.equal(unknownOrg.json().error.field, 'body.orgId')
      const issued = await issue({ name: 'Prairie shop system', orgId: ORG.prairie })
      assert.equal(issued.statusCode, 201, issued.body)
      assert.equal(issued.json().orgId, ORG.prairie)
      assert.equal(issued.json().role, 'dealer')
      const prairie = { authorization: `Bearer ${issued.json().key}` }
      const listed = await world.app.inject({ url: '/api/v1/api-keys', headers: world.parties.admin })
      const row = listed.json().items.find((key: { id: string }) => key.id === issued.json().id)
      assert.equal(row?.orgId, ORG.prairie, 'the listing says which organisation a key is limited to')

      const { claimId, serial } = world.target
      const list = await world.app.inject({ url: '/api/v1/claims?limit=200', headers: prairie })
      assert.equal(list.statusCode, 200)
      assert.ok(
        !list.json().items.some((claim: { id: string }) => claim.id === claimId),
        'another organisation’s claim is not listed',
      )
      for (const url of [`/api/v1/claims/${claimId}`, `/api/v1/units/${serial}`]) {
        const read = await world.app.inject({ url, headers: prairie })
        assert.equal(read.statusCode, 404, `${url}: ${read.body}`)
      }
      const note = await post(world, prairie, `/api/v1/claims/${claimId}/messages`, { body: 'hello' })
      assert.equal(note.statusCode, 404, note.body)
      // The same kind of key for the selling organisation reaches the claim.
      const starlight = await issue({ name: 'Starlight shop system', orgId: ORG.starlight })
      const own = await world.app.inject({
        url: `/api/v1/claims/${claimId}`,
        headers: { authorization: `Bearer ${starlight.json().key}` },
      })
      assert.equal(own.statusCode, 200, own.body)
    })

    test('3: NUL in a path, a query or a body is a 400 naming the field, for anyone', async () => {
      const cases = [
        { url: '/api/v1/claims/%00', field: 'params.id' },
        { url: '/api/v1/claims?serial=%00', field: 'querystring.serial' },
        { url: '/api/v1/units/%00/warranty', field: 'params.serial' },
      ]
      for (const headers of [{}, world.parties.admin]) {
        for (const c of cases) {
          const response = await world.app.inject({ url: c.url, headers })
          assert.equal(response.statusCode, 400, `${c.url}: ${response.body}`)
          assert.equal(response.json().error.field, c.field)
        }
      }
      const message = await post(
        world,
        world.parties.customerA,
        `/api/v1/claims/${world.target.claimId}/messages`,
        {
          body: 'hello\u0000world',
        },
      )
      assert.equal(message.statusCode, 400)
      assert.equal(message.json().error.field, 'body.body')
    })

    test('3b: half of a UTF-16 pair in a body is a 400 naming the field; a whole pair is kept', async () => {
      // JSON lets a body escape a lone surrogate; each engine would store its own replacement.
      const url = `/api/v1/claims/${world.target.claimId}/messages`
      const raw = await world.app.inject({
        method: 'POST',
        url,
        headers: { ...world.parties.customerA, 'content-type': 'application/json' },
        payload: '{"body":"half \\ud83d of a star"}',
      })
      assert.equal(raw.statusCode, 400, raw.body)
      assert.equal(raw.json().error.field, 'body.body')
      assert.equal(raw.json().error.messageKey, 'http.lone-surrogate')
      const whole = await post(world, world.parties.customerA, url, { body: 'a whole star 🌟 and 星' })
      assert.equal(whole.statusCode, 201, whole.body)
    })

    test('3c: a character that turns the direction of text is a 400 naming the field; the plain marks are kept', async () => {
      const url = `/api/v1/claims/${world.target.claimId}/messages`
      for (const control of ['\u202e', '\u202d', '\u2066', '\u2069']) {
        const refused = await post(world, world.parties.customerA, url, { body: `Bob${control}gnp.exe` })
        assert.equal(refused.statusCode, 400, refused.body)
        assert.equal(refused.json().error.field, 'body.body')
        assert.equal(refused.json().error.messageKey, 'http.direction-control')
      }
      const marked = await post(world, world.parties.customerA, url, { body: 'שלום\u200e 123 and 星' })
      assert.equal(marked.statusCode, 201, marked.body)
    })

    test('3d: a control character other than tab and line breaks, anywhere in a body or a query, is a 400 naming the field in either language, writing nothing (generated)', async () => {
      const url = `/api/v1/claims/${world.target.claimId}/messages`
      const messages = async () =>
        (await world.database.db.selectFrom('claim_messages').select('id').execute()).length
      const control = fc.constantFrom(
        ...[...Array(0x20).keys(), ...Array.from({ length: 0x21 }, (_, i) => 0x7f + i)]
          .filter((code) => code !== 0 && code !== 0x09 && code !== 0x0a && code !== 0x0d)
          .map((code) => String.fromCharCode(code)),
      )
      await fc.assert(
        fc.asyncProperty(
          fc.string({ maxLength: 20 }),
          control,
          fc.string({ maxLength: 20 }),
          fc.constantFrom('en', 'zh-CN'),
          async (before, odd, after, language) => {
            const written = await messages()
            const headers = { ...world.parties.customerA, 'accept-language': language }
            const refused = await post(world, headers, url, { body: `${before}${odd}${after}` })
            const shown = `${JSON.stringify(odd)} → ${refused.body}`
            assert.equal(refused.statusCode, 400, shown)
            const error = refused.json().error
            assert.equal(error.field, 'body.body', shown)
            assert.ok(error.message.startsWith('body.body'), shown)
            if (language === 'zh-CN') assert.match(error.message, /\p{Script=Han}/u, shown)
            const searched = await world.app.inject({
              method: 'GET',
              url: `/api/v1/claims?serial=${encodeURIComponent(`SN${odd}1`)}`,
              headers,
            })
            assert.equal(searched.statusCode, 400, searched.body)
            assert.equal(searched.json().error.field, 'querystring.serial')
            assert.equal(await messages(), written, `nothing is written\n${shown}`)
          },
        ),
        { numRuns: 40 },
      )
      const kept = await post(world, world.parties.customerA, url, { body: 'line one\r\n\tline two\n' })
      assert.equal(kept.statusCode, 201, kept.body)
    })

    test('11: only the newest sign-in link works', async () => {
      const email = 'cus-bob@example.com'
      const tokens: string[] = []
      const seen = new Set<string>()
      for (let i = 0; i < 2; i++) {
        const requested = await world.app.inject({
          method: 'POST',
          url: '/api/v1/auth/link',
          payload: { email },
        })
        assert.equal(requested.statusCode, 202)
        const rows = await world.database.db
          .selectFrom('outbox_messages')
          .select(['id', 'payload'])
          .where('recipient', '=', email)
          .execute()
        const row = rows.find((r) => !seen.has(r.id))
        assert.ok(row)
        for (const r of rows) seen.add(r.id)
        tokens.push(new URL(JSON.parse(row.payload).link as string).searchParams.get('token') ?? '')
      }
      assert.notEqual(tokens[0], tokens[1])
      const old = await world.app.inject({
        method: 'POST',
        url: '/api/v1/auth/link/consume',
        payload: { token: tokens[0] },
      })
      assert.equal(old.statusCode, 401)
      const fresh = await world.app.inject({
        method: 'POST',
        url: '/api/v1/auth/link/consume',
        payload: { token: tokens[1] },
      })
      assert.equal(fresh.statusCode, 200, fresh.body)
    })

    test('11: pages carry CSP and frame-ancestors, answers nosniff, API answers no-store', async () => {
      const api = await world.app.inject({ url: '/api/v1/claims', headers: world.parties.customerA })
      assert.equal(api.headers['cache-control'], 'no-store')
      assert.equal(api.headers['x-content-type-options'], 'nosniff')
      assert.equal(api.headers['referrer-policy'], 'no-referrer')
      const missing = await world.app.inject({ url: '/api/v1/claims/%ZZ' })
      assert.equal(missing.statusCode, 404)
      assert.equal(missing.json().error.code, 'not-found')
      assert.equal(missing.headers['cache-control'], 'no-store')
      const webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-sec-web-'))
      fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>t</title>')
      const withPages = await buildApp(createTestContext(world.database), { webDir, rateLimits: false })
      try {
        for (const url of ['/', '/claims/some-page']) {
          const page = await withPages.inject({ url, headers: { accept: 'text/html' } })
          assert.equal(page.statusCode, 200)
          assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'none'/)
          assert.match(String(page.headers['content-security-policy']), /script-src 'self'/)
          assert.equal(page.headers['x-frame-options'], 'DENY')
          assert.equal(page.headers['x-content-type-options'], 'nosniff')
          assert.equal(page.headers['referrer-policy'], 'no-referrer')
        }
      } finally {
        await withPages.close()
        fs.rmSync(webDir, { recursive: true, force: true })
      }
    })
  })
}

describe('webhooks cannot be aimed into the internal network', () => {
  test('loopback, private and link-local targets are refused unless the operator allows them', async () => {
    const { checkWebhookTarget, isInternalAddress } = await import('../../src/notify/webhook-target.ts')
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '0.0.0.0',
    ]) {
      assert.ok(isInternalAddress(address), address)
    }
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700::1111'])
      assert.ok(!isInternalAddress(address), address)
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://localhost/hook',
      'http://[::1]/x',
      'http://169.254.169.254/latest/meta-data',
      'ftp://example.com/x',
    ]) {
      await assert.rejects(
        checkWebhookTarget(url, { allowPrivate: false }),
        (error: { field?: string }) => error.field === 'url',
        url,
      )
    }
    await checkWebhookTarget('http://127.0.0.1:8080/hook', { allowPrivate: true })
  })

  test('an internal IPv4 address written as IPv6 is internal too: mapped, compatible, NAT64, 6to4 or SIIT', async () => {
    const { checkWebhookTarget, isInternalAddress } = await import('../../src/notify/webhook-target.ts')
    const hex = (a: number, b: number) => ((a << 8) | b).toString(16)
    const internal = fc.oneof(
      fc.tuple(fc.constant(127), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(10), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(169), fc.constant(254), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(192), fc.constant(168), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), fc.nat(255), fc.nat(255)),
    )
    await fc.assert(
      fc.asyncProperty(internal, async ([a, b, c, d]) => {
        const dotted = `${a}.${b}.${c}.${d}`
        const low = `${hex(a, b)}:${hex(c, d)}`
        for (const v6 of [
          `::ffff:${dotted}`,
          `::ffff:${low}`,
          `0:0:0:0:0:ffff:${low}`,
          `::${dotted}`,
          `64:ff9b::${low}`,
          `2002:${low}::1`,
          `::ffff:0:${low}`,
        ]) {
          assert.ok(isInternalAddress(v6), v6)
          // The URL parser writes a mapped address in hex (`[::ffff:7f00:1]`): that is what is checked.
          await assert.rejects(
            checkWebhookTarget(`http://[${v6}]:8080/hook`, { allowPrivate: false }),
            (error: { field?: string }) => error.field === 'url',
            v6,
          )
        }
      }),
      { numRuns: 50 },
    )
    // Link-local is fe80::/10, not only the addresses spelled fe80.
    for (const address of ['fe80::1', 'fe90::1', 'febf::1', 'fec0::1'])
      assert.ok(isInternalAddress(address), address)
    for (const address of ['2606:4700::1111', '2001:4860:4860::8888', '::ffff:8.8.8.8', '2002:808:808::1'])
      assert.ok(!isInternalAddress(address), address)
  })
})
