import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import { multipartBody, PNG } from '../security/security-world.ts'
import {
  act,
  addDays,
  type ClaimsWorld,
  emailDataOf,
  eventTypes,
  fullInspection,
  inspectAndDecide,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  packageOf,
  seedIstExpiredUnit,
  seedPlayerOneDealerUnit,
  seedPlayerOneUnit,
  seedRetailerUnit,
  seedShenzhenAgentUnit,
  seedTouptekDoaUnit,
  TODAY,
  tryAct,
} from './claim-factories.ts'

/** One case per seed policy, through HTTP, along its real path. */
for (const engine of testEngines()) {
  describe(`${engine}: the seed paths`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    test('seed 000 ToupTek DOA: pickup, inspection, a new unit replaces the old', async () => {
      const serial = await seedTouptekDoaUnit(world)
      const opened = await openClaimAs(
        world,
        world.customer,
        openClaimBody(serial, { preference: 'replace' }),
      )
      assert.equal(opened.state, 'new')
      assert.equal(opened.provisionalDecision?.covered, true)
      assert.equal(opened.provisionalDecision?.service, 'pickup')
      const authorized = await act(world, world.staff, opened.id, 'authorize-return')
      assert.match(authorized.rma?.number ?? '', /^RMA-2026-\d{6}$/)
      assert.equal(authorized.rma?.shipTo.name, 'ToupTek Astronomy')
      assert.equal(authorized.rma?.freightPayer, 'vendor')
      assert.equal(authorized.rma?.service, 'pickup')
      await act(world, world.staff, opened.id, 'schedule-pickup', {
        pickupOn: TODAY,
        window: '09:00-12:00',
        carrier: 'SF Express',
      })
      const decided = await inspectAndDecide(world, opened.id, serial, 'touptek-atr2600c', {
        from: 'receive-unit',
      })
      assert.equal(decided.finalDecision?.basis, 'doa')
      assert.ok(decided.allowedActions.includes('issue-replacement'))
      const newSerial = `${serial}-R`
      const replaced = await act(world, world.staff, opened.id, 'issue-replacement', { newSerial })
      assert.equal(replaced.replacementSerial, newSerial)
      const old = await world.database.db
        .selectFrom('units')
        .select('replaced_by_serial')
        .where('serial', '=', serial)
        .executeTakeFirstOrThrow()
      assert.equal(old.replaced_by_serial, newSerial, 'the registry links the old unit to its replacement')
      await act(world, world.staff, opened.id, 'ship-return', {
        carrier: 'SF Express',
        trackingNumber: 'SF1234567890',
      })
      await act(world, world.customer, opened.id, 'confirm-receipt')
      // The outcome says what happened: a unit replaced and delivered was not refunded.
      const wrong = await tryAct(world, world.staff, opened.id, 'close', { outcome: 'refunded' })
      assert.equal(wrong.statusCode, 400, wrong.body)
      assert.equal(wrong.json().error.field, 'body.outcome')
      const closed = await act(world, world.staff, opened.id, 'close', { outcome: 'completed' })
      assert.equal(closed.state, 'closed')
      assert.deepEqual(await eventTypes(world, opened.id), [
        'claim.opened',
        'decision.provisional',
        'rma.authorized',
        'pickup.scheduled',
        'unit.received',
        'inspection.recorded',
        'decision.made',
        'replacement.issued',
        'return.shipped',
        'receipt.confirmed',
        'claim.closed',
      ])
    })

    test('seed 000 ToupTek: a receipt left undated is dated in the policy’s zone in the customer’s e-mail', async () => {
      const opened = await openClaimAs(world, world.customer, openClaimBody(await seedTouptekDoaUnit(world)))
      await act(world, world.staff, opened.id, 'authorize-return')
      const morning = world.clock.now
      try {
        // 20:00 UTC is 04:00 the next day in Shanghai, where ToupTek's policy counts its days.
        world.clock.now = new Date(`${TODAY}T20:00:00.000Z`)
        await act(world, world.staff, opened.id, 'receive-unit')
      } finally {
        world.clock.now = morning
      }
      const data = await emailDataOf(world, opened.id, 'unit.received')
      assert.equal(data.receivedOn, addDays(TODAY, 1))
      assert.equal(data.timeZone, 'Asia/Shanghai')
    })

    test('seed 000 ToupTek: pickup details left blank are left out of the e-mail, not refused', async () => {
      const opened = await openClaimAs(world, world.customer, openClaimBody(await seedTouptekDoaUnit(world)))
      await act(world, world.staff, opened.id, 'authorize-return')
      // A form's untouched fields: spaces of some kind. The e-mail refused them as
      // "data.pickupWindow", a field the caller never sent, and the pickup was not scheduled.
      const scheduled = await tryAct(world, world.staff, opened.id, 'schedule-pickup', {
        pickupOn: TODAY,
        window: '   ',
        carrier: '\u3000',
        address: ' \t',
      })
      assert.equal(scheduled.statusCode, 200, scheduled.body)
      const data = await emailDataOf(world, opened.id, 'pickup.scheduled')
      assert.equal(data.pickupDate, TODAY)
      assert.deepEqual([data.pickupWindow, data.carrier, data.address], [undefined, undefined, undefined])
    })

    test('seed 001 retailer: refund by the customer’s preference, the note in the parcel', async () => {
      const serial = await seedRetailerUnit(world)
      const opened = await openClaimAs(
        world,
        world.customer,
        openClaimBody(serial, {
          preference: 'refund',
          evidence: ['package-photos', 'shipping-slip', 'defect-media'],
          orderNumber: 'SHOP-5531',
        }),
      )
      assert.equal(opened.provisionalDecision?.remedies[0], 'refund')
      const authorized = await act(world, world.staff, opened.id, 'authorize-return')
      assert.ok(
        authorized.rma?.itemsToInclude.some((item) => /order number/.test(item)),
        'seed 001: a note with order number, product and problem',
      )
      assert.ok(authorized.rma?.itemsToInclude.includes('USB 3.0 cable'), 'the standard package goes back')
      const note = authorized.rma?.itemsToInclude.find((item) => /order number/.test(item)) ?? ''
      assert.match(
        authorized.rma?.itemTranslations?.[note]?.zh ?? '',
        /订单号/,
        'the note comes with the policy’s Chinese words for a Chinese reader’s e-mail and repair order',
      )
      const decided = await inspectAndDecide(world, opened.id, serial, 'player-one-ares-c-pro', {
        from: 'receive-unit',
      })
      assert.deepEqual(decided.finalDecision?.remedies.slice(0, 1), ['refund'])
      const refunded = await act(world, world.staff, opened.id, 'issue-refund', {
        amountMinor: 129900,
        reference: 'PSP-77',
      })
      assert.equal(refunded.state, 'refunded')
      const closed = await act(world, world.staff, opened.id, 'close')
      assert.equal(closed.outcome, 'refunded')
    })

    test('seed 002 Shenzhen: agent product out of warranty, parts charged and labour free, forwarded to the maker', async () => {
      const serial = await seedShenzhenAgentUnit(world)
      const opened = await openClaimAs(
        world,
        world.customer,
        openClaimBody(serial, { problem: { kind: 'malfunction', description: 'RA axis stalls under load' } }),
      )
      assert.equal(opened.provisionalDecision?.covered, false)
      const authorized = await act(world, world.staff, opened.id, 'authorize-return')
      assert.match(
        authorized.rma?.shipTo.name ?? '',
        /Shenzhen/,
        'the agent receives the unit and passes it on',
      )
      const decided = await inspectAndDecide(
        world,
        opened.id,
        serial,
        'aurora-mounts-aurora-am5-harmonic-mount',
        { from: 'receive-unit' },
      )
      assert.equal(decided.finalDecision?.covered, false)
      const quoted = await act(world, world.staff, opened.id, 'send-quote', {
        lines: [
          { kind: 'parts', description: 'Harmonic drive', quantity: 1, unitPriceMinor: 88000 },
          { kind: 'labour', description: 'Bench work, 2 h', quantity: 2, unitPriceMinor: 15000 },
        ],
      })
      assert.equal(quoted.quote?.customerTotalMinor, 88000, 'seed 002: parts charged, labour free')
      type QuoteRead = {
        id: string
        currency: string
        absorbedMinor?: { vendor: number }
        customerMinor: number
      }
      const quoteAs = async (party: { headers: Record<string, string> }) => {
        const quotes = await world.app.inject({
          method: 'GET',
          url: `/api/v1/claims/${opened.id}/quotes`,
          headers: party.headers,
        })
        return (quotes.json() as { items: QuoteRead[] }).items[0]
      }
      const quote = await quoteAs(world.staff)
      assert.equal(quote?.currency, 'CNY')
      assert.equal(quote?.absorbedMinor?.vendor, 30000, 'seed 002: the labour the seller absorbs')
      // The customer reads what it pays, not what the businesses absorb between them.
      const customerQuote = await quoteAs(world.customer)
      assert.equal(customerQuote?.customerMinor, 88000)
      assert.equal(customerQuote?.absorbedMinor, undefined)
      await act(world, world.customer, opened.id, 'accept-quote', { quoteId: quoted.quote?.id })
      await act(world, world.staff, opened.id, 'record-payment', { amountMinor: 88000, reference: 'WX-1' })
      const forwarded = await act(world, world.staff, opened.id, 'forward-to-maker', {
        carrier: 'SF',
        trackingNumber: 'SF-9',
      })
      assert.equal(forwarded.state, 'forwarded')
      await act(world, world.staff, opened.id, 'return-from-maker')
      await act(world, world.staff, opened.id, 'ship-return', {
        carrier: 'China Post',
        trackingNumber: 'CP-1',
      })
      await act(world, world.customer, opened.id, 'confirm-receipt')
      assert.equal((await act(world, world.staff, opened.id, 'close')).state, 'closed')
      const types = await eventTypes(world, opened.id)
      assert.ok(
        types.includes('forwarded.to-maker') &&
          types.includes('returned.from-maker') &&
          types.includes('payment.recorded'),
      )
    })

    test('seed 000 ToupTek: a scratch the inspection says did not cause the fault does not void its repair', async () => {
      // "The product is damaged by external forces,resulting in problems such as surface
      // scratches,camera shell deformation,USB port breakage and so on": damage caused by it.
      const serial = await seedTouptekDoaUnit(world)
      const opened = await openClaimAs(world, world.customer, openClaimBody(serial))
      await act(world, world.staff, opened.id, 'authorize-return')
      await act(world, world.staff, opened.id, 'schedule-pickup', {
        pickupOn: TODAY,
        window: '09:00-12:00',
        carrier: 'SF Express',
      })
      await act(world, world.staff, opened.id, 'receive-unit')
      const contents = await packageOf(world, 'touptek-atr2600c')
      const notFound = await tryAct(
        world,
        world.staff,
        opened.id,
        'record-inspection',
        fullInspection(serial, contents, { findings: ['physical-damage'], faultCausedBy: ['liquid-damage'] }),
      )
      assert.equal(notFound.statusCode, 400, notFound.body)
      assert.equal(notFound.json().error.field, 'body.faultCausedBy.0')
      const inspected = await act(
        world,
        world.staff,
        opened.id,
        'record-inspection',
        fullInspection(serial, contents, { findings: ['physical-damage'], faultCausedBy: [] }),
      )
      assert.deepEqual((inspected.inspection as { faultCausedBy?: string[] } | null)?.faultCausedBy, [])
      const decided = await act(world, world.staff, opened.id, 'make-decision')
      assert.equal(decided.finalDecision?.covered, true)
      assert.deepEqual((decided.finalDecision as { exclusions?: unknown[] } | null)?.exclusions, [])
    })

    test('seed 003 IST: quote declined, returned unrepaired', async () => {
      const serial = await seedIstExpiredUnit(world)
      const opened = await openClaimAs(world, world.customer, openClaimBody(serial))
      await act(world, world.staff, opened.id, 'start-diagnosis')
      await act(world, world.customer, opened.id, 'record-selfcheck', {
        checklist: 'ist',
        results: [{ checkId: 'free-software-upgrade', passed: false }],
      })
      await inspectAndDecide(world, opened.id, serial, 'beijing-ist-ist-obspc-mini')
      const quoted = await act(world, world.staff, opened.id, 'send-quote', {
        lines: [
          { kind: 'parts', description: 'Mainboard', quantity: 1, unitPriceMinor: 120000 },
          { kind: 'labour', description: 'Repair', quantity: 1, unitPriceMinor: 20000 },
        ],
      })
      assert.equal(
        quoted.quote?.customerTotalMinor,
        140000,
        'seed 003: out of warranty, parts and labour charged',
      )
      const declined = await act(world, world.customer, opened.id, 'decline-quote', {
        quoteId: quoted.quote?.id,
      })
      assert.ok(!declined.allowedActions.includes('start-repair'))
      const shipped = await act(world, world.staff, opened.id, 'ship-return', {
        carrier: 'SF',
        trackingNumber: 'SF-IST-1',
      })
      assert.deepEqual(shipped.returnShipment, { carrier: 'SF', trackingNumber: 'SF-IST-1' })
      await act(world, world.customer, opened.id, 'confirm-receipt')
      // Closed without naming an outcome, it ends as what happened: back unrepaired.
      assert.equal((await act(world, world.staff, opened.id, 'close')).outcome, 'returned-unrepaired')
      // Seeds 003/004: the estimate goes to the customer by e-mail before any paid work.
      const mails = await world.database.db
        .selectFrom('outbox_messages')
        .select('topic')
        .where('claim_id', '=', opened.id)
        .where('channel', '=', 'email')
        .execute()
      assert.ok(
        mails.some((m) => m.topic === 'quote.sent'),
        JSON.stringify(mails),
      )
    })

    test('seed 004 Player One: fixed by the first-run checks, never ships', async () => {
      const serial = await seedPlayerOneUnit(world)
      const opened = await openClaimAs(
        world,
        world.customer,
        openClaimBody(serial, { problem: { kind: 'malfunction', description: 'Image downloads fail' } }),
      )
      const checks = await world.app.inject({
        method: 'GET',
        url: '/api/v1/self-checks/player-one-cooled-camera',
        headers: world.customer.headers,
      })
      assert.equal(checks.statusCode, 200)
      await act(world, world.staff, opened.id, 'start-diagnosis')
      await act(world, world.customer, opened.id, 'record-selfcheck', {
        checklist: 'player-one-cooled-camera',
        results: [
          { checkId: 'fps-near-spec', passed: true },
          { checkId: 'download-bandwidth', passed: true, note: 'bandwidth at 40% fixed the failures' },
        ],
      })
      const resolved = await act(world, world.staff, opened.id, 'resolve-remotely', {
        fix: 'remote-fix',
        note: 'USB bandwidth set to 40%',
      })
      assert.equal(resolved.state, 'resolved-remotely')
      // The customer is told it is settled, how, and what staff wrote, before the claim closes.
      const mail = await emailDataOf(world, opened.id, 'remote.resolved')
      assert.deepEqual([mail.fix, mail.note], ['remote-fix', 'USB bandwidth set to 40%'])
      const closed = await act(world, world.staff, opened.id, 'close')
      assert.equal(closed.state, 'closed')
      assert.equal(closed.rma, null, 'no RMA: nothing ships')
      const types = await eventTypes(world, opened.id)
      assert.ok(!types.includes('rma.authorized') && !types.includes('unit.received'))
    })

    test('seed 004 Player One through a dealer: the dealer opens, receives, repairs and ships', async () => {
      const serial = await seedPlayerOneDealerUnit(world)
      const opened = await openClaimAs(world, world.dealer, openClaimBody(serial))
      assert.equal(opened.provisionalDecision?.handler, 'dealer')
      const authorized = await act(world, world.dealer, opened.id, 'authorize-return')
      assert.equal(authorized.rma?.shipTo.name, 'Starlight Optics', 'the dealer serves: seed 004')
      assert.equal(
        authorized.rma?.freightPayer,
        'customer',
        'seed 004: the customer pays the freight to the service',
      )
      await inspectAndDecide(world, opened.id, serial, 'player-one-zeus-455m-pro', {
        by: world.dealer,
        from: 'receive-unit',
      })
      await act(world, world.dealer, opened.id, 'start-repair')
      await act(world, world.dealer, opened.id, 'complete-repair', {
        lines: [{ kind: 'parts', description: 'TEC module', quantity: 1, unitPriceMinor: 9000 }],
      })
      await act(world, world.dealer, opened.id, 'ship-return', { carrier: 'DHL', trackingNumber: 'DHL-55' })
      await act(world, world.customer, opened.id, 'confirm-receipt')
      assert.equal((await act(world, world.dealer, opened.id, 'close')).state, 'closed')
      const line = await world.database.db
        .selectFrom('claim_cost_lines')
        .select('payer')
        .where('claim_id', '=', opened.id)
        .executeTakeFirstOrThrow()
      assert.equal(line.payer, 'dealer', 'the warranty repair is the dealer’s cost')
    })

    test('seed 001: missing proofs are asked for, supplied, and the provisional decision follows', async () => {
      const serial = await seedRetailerUnit(world)
      const opened = await openClaimAs(world, world.customer, openClaimBody(serial, { evidence: [] }))
      const missing =
        (opened.provisionalDecision as { missingEvidence?: string[] } | null)?.missingEvidence ?? []
      assert.ok(missing.length > 0, 'seed 001 asks for photos of the box, slips and the defect')
      const paused = await act(world, world.staff, opened.id, 'request-info', {
        request: `Please send: ${missing.join(', ')}`,
      })
      assert.equal(paused.state, 'awaiting-info')
      // The customer sends the files first: only what a file on the claim shows counts.
      for (const kind of missing) {
        const form = multipartBody([
          { name: 'kind', value: kind },
          { name: 'file', filename: `${kind}.png`, data: PNG },
        ])
        const sent = await world.app.inject({
          method: 'POST',
          url: `/api/v1/claims/${opened.id}/files`,
          headers: { ...world.customer.headers, 'content-type': form.contentType },
          payload: form.payload,
        })
        assert.equal(sent.statusCode, 201, sent.body)
      }
      const resumed = await act(world, world.customer, opened.id, 'provide-info', {
        answer: 'Attached',
        evidence: missing,
      })
      assert.equal(resumed.state, 'new', 'back where the request paused it')
      const redecided = await act(world, world.staff, opened.id, 'decide-provisional')
      assert.deepEqual(
        (redecided.provisionalDecision as { missingEvidence?: string[] } | null)?.missingEvidence,
        [],
      )
    })

    test('a unit not yet registered is registered by the claim, with its proof of purchase', async () => {
      const serial = `NEW-${Date.now()}`
      // Staff take the proof as seen; a customer's own word needs an uploaded document.
      const opened = await openClaimAs(
        world,
        world.staff,
        openClaimBody(serial, {
          customerId: 'cus-alice',
          unit: {
            model: 'Ares-M PRO',
            purchasedOn: '2025-12-01',
            deliveredOn: '2025-12-06',
            proofOfPurchase: true,
            orderNumber: 'PO-1',
          },
        }),
      )
      assert.equal(opened.provisionalDecision?.covered, true)
      const unit = await world.database.db
        .selectFrom('units')
        .select(['owner_customer_id', 'policy_id', 'proof_of_purchase'])
        .where('serial', '=', serial)
        .executeTakeFirstOrThrow()
      assert.deepEqual(unit, {
        owner_customer_id: 'cus-alice',
        policy_id: 'player-one',
        proof_of_purchase: 1,
      })
    })
  })
}
