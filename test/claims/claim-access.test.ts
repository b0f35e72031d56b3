import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { findClaim, listEvents } from '../../src/claims/claim.store.ts'
import { verifyClaimChain } from '../../src/claims/claim-history.ts'
import { projectionFromRow } from '../../src/claims/claim-view.ts'
import { replayClaim } from '../../src/claims/domain/claim-projection.ts'
import { testEngines } from '../../src/db/test-database.ts'
import {
  act,
  type ClaimsWorld,
  holdUpload,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  seedClaimAwaitingQuote,
  seedPlayerOneDealerUnit,
  seedPlayerOneUnit,
  tryAct,
} from './claim-factories.ts'

const quoteLines = {
  lines: [{ kind: 'parts', description: 'Mainboard', quantity: 1, unitPriceMinor: 50000 }],
}

for (const engine of testEngines()) {
  describe(`${engine}: who may see and change a claim`, () => {
    let world: ClaimsWorld
    let quoted: { id: string; quoteId: string }
    let dealerClaimId: string
    before(async () => {
      world = await openClaimsWorld(engine)
      const decided = await seedClaimAwaitingQuote(world)
      const withQuote = await act(world, world.staff, decided.id, 'send-quote', quoteLines)
      quoted = { id: withQuote.id, quoteId: withQuote.quote?.id ?? '' }
      dealerClaimId = (
        await openClaimAs(world, world.dealer, openClaimBody(await seedPlayerOneDealerUnit(world)))
      ).id
    })
    after(() => world.close())

    const reads = (id: string, quoteId: string) => [
      `/api/v1/claims/${id}`,
      `/api/v1/claims/${id}/events`,
      `/api/v1/claims/${id}/quotes`,
      `/api/v1/claims/${id}/messages`,
      `/api/v1/claims/${id}/repair-order.pdf`,
      `/api/v1/claims/${id}/quotes/${quoteId}.pdf`,
    ]

    test('the owner reads every view of the claim, the PDFs included', async () => {
      for (const url of reads(quoted.id, quoted.quoteId)) {
        const response = await world.app.inject({ method: 'GET', url, headers: world.customer.headers })
        assert.equal(response.statusCode, 200, `${url}: ${response.body}`)
      }
      const pdf = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${quoted.id}/repair-order.pdf`,
        headers: world.customer.headers,
      })
      assert.equal(pdf.headers['content-type'], 'application/pdf')
      assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-')
    })

    test('a document link opened in a browser by someone who may not have it leads to the claim page, not to JSON', async () => {
      const documents = [
        [`/api/v1/claims/${quoted.id}/repair-order.pdf`, `/claims/${quoted.id}#repair-order`],
        [`/api/v1/claims/${quoted.id}/quotes/${quoted.quoteId}.pdf`, `/claims/${quoted.id}#quote`],
      ] as const
      for (const [url, page] of documents) {
        const browser = { ...world.otherCustomer.headers, accept: 'text/html,application/xhtml+xml' }
        const followed = await world.app.inject({ method: 'GET', url, headers: browser })
        assert.equal(followed.statusCode, 303, `${url}: ${followed.body}`)
        assert.equal(followed.headers.location, page)
        // A program asking the same gets the API's answer.
        const program = await world.app.inject({ method: 'GET', url, headers: world.otherCustomer.headers })
        assert.equal(program.statusCode, 404)
      }
      // The claim's own customer, on a quote that does not exist, is taken to the claim's quote.
      const gone = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${quoted.id}/quotes/no-such-quote.pdf`,
        headers: { ...world.customer.headers, accept: 'text/html' },
      })
      assert.equal(gone.statusCode, 303, gone.body)
      assert.equal(gone.headers.location, `/claims/${quoted.id}#quote`)
    })

    test('another customer and a foreign dealer get 404 on every read, and never see it in lists', async () => {
      for (const party of [world.otherCustomer, world.dealer, world.otherDealer]) {
        for (const url of reads(quoted.id, quoted.quoteId)) {
          const response = await world.app.inject({ method: 'GET', url, headers: party.headers })
          assert.equal(response.statusCode, 404, `${url}: ${response.body}`)
        }
        const list = await world.app.inject({ method: 'GET', url: '/api/v1/claims', headers: party.headers })
        assert.ok(!(list.json() as { items: { id: string }[] }).items.some((c) => c.id === quoted.id))
      }
      const foreignDealer = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${dealerClaimId}`,
        headers: world.otherDealer.headers,
      })
      assert.equal(foreignDealer.statusCode, 404)
      const ownDealer = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${dealerClaimId}`,
        headers: world.dealer.headers,
      })
      assert.equal(ownDealer.statusCode, 200)
    })

    test('another party can neither answer the quote nor post a message nor take any step: 404', async () => {
      const accept = await tryAct(world, world.otherCustomer, quoted.id, 'accept-quote', {
        quoteId: quoted.quoteId,
      })
      assert.equal(accept.statusCode, 404)
      const decline = await tryAct(world, world.otherDealer, quoted.id, 'decline-quote', {
        quoteId: quoted.quoteId,
      })
      assert.equal(decline.statusCode, 404)
      const message = await world.app.inject({
        method: 'POST',
        url: `/api/v1/claims/${quoted.id}/messages`,
        headers: world.otherCustomer.headers,
        payload: { body: 'hello' },
      })
      assert.equal(message.statusCode, 404)
      const cancel = await tryAct(world, world.otherCustomer, dealerClaimId, 'cancel', { reason: 'not mine' })
      assert.equal(cancel.statusCode, 404)
    })

    test('a customer may not take a staff step on their own claim: 403 with the reason', async () => {
      const response = await tryAct(world, world.customer, quoted.id, 'record-payment', { amountMinor: 100 })
      assert.equal(response.statusCode, 403, response.body)
      assert.match(
        (response.json() as { error: { message: string } }).error.message,
        /customer may not record-payment/,
      )
    })

    test('a step the state does not allow is refused with 409 and what is allowed', async () => {
      const response = await tryAct(world, world.staff, quoted.id, 'receive-unit', {})
      assert.equal(response.statusCode, 409)
      const body = response.json() as { error: { code: string; details: { allowed: string[] } } }
      assert.equal(body.error.code, 'conflict')
      assert.ok(body.error.details.allowed.includes('accept-quote'), JSON.stringify(body))
    })

    test('changes need If-Match (428) and a stale one is refused (412)', async () => {
      const claimId = (
        await openClaimAs(world, world.customer, openClaimBody(await seedPlayerOneUnit(world)))
      ).id
      const without = await world.app.inject({
        method: 'POST',
        url: `/api/v1/claims/${claimId}/transitions/start-diagnosis`,
        headers: world.staff.headers,
        payload: {},
      })
      assert.equal(without.statusCode, 428)
      const read = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${claimId}`,
        headers: world.staff.headers,
      })
      const etag = String(read.headers.etag)
      assert.equal((await tryAct(world, world.staff, claimId, 'start-diagnosis', {}, etag)).statusCode, 200)
      const stale = await tryAct(
        world,
        world.staff,
        claimId,
        'request-info',
        { request: 'Photo of the label?' },
        etag,
      )
      assert.equal(stale.statusCode, 412, stale.body)
    })

    test('bad input answers 400 naming the field', async () => {
      const open = await world.app.inject({
        method: 'POST',
        url: '/api/v1/claims',
        headers: world.customer.headers,
        payload: { serial: 'X', problem: { kind: 'exploded', description: 'x' } },
      })
      assert.equal(open.statusCode, 400)
      assert.equal((open.json() as { error: { field: string } }).error.field, 'body.problem.kind')
      const unknown = await world.app.inject({
        method: 'POST',
        url: '/api/v1/claims',
        headers: world.customer.headers,
        payload: openClaimBody('NO-SUCH-SERIAL', {
          files: [await holdUpload(world, world.customer, 'proof-of-purchase')],
        }),
      })
      assert.equal(unknown.statusCode, 400)
      assert.equal((unknown.json() as { error: { field: string } }).error.field, 'body.unit')
      const quote = await tryAct(world, world.customer, quoted.id, 'accept-quote', {
        quoteId: 'not-this-one',
      })
      assert.equal(quote.statusCode, 400)
      assert.equal((quote.json() as { error: { field: string } }).error.field, 'body.quoteId')
    })

    test('bad list and message input answers 400 naming the field', async () => {
      const list = await world.app.inject({
        method: 'GET',
        url: '/api/v1/claims?limit=0',
        headers: world.staff.headers,
      })
      assert.equal(list.statusCode, 400)
      assert.equal((list.json() as { error: { field: string } }).error.field, 'querystring.limit')
      const message = await world.app.inject({
        method: 'POST',
        url: `/api/v1/claims/${quoted.id}/messages`,
        headers: world.customer.headers,
        payload: { body: '' },
      })
      assert.equal(message.statusCode, 400)
      assert.equal((message.json() as { error: { field: string } }).error.field, 'body.body')
      const inspection = await tryAct(world, world.staff, dealerClaimId, 'record-inspection', {
        sealsIntact: true,
      })
      assert.equal(inspection.statusCode, 400)
      assert.match((inspection.json() as { error: { field: string } }).error.field, /^body\./)
    })

    test('a repeated idempotency key from the same actor makes one claim', async () => {
      const serial = await seedPlayerOneUnit(world)
      const send = (party = world.customer, extra: Record<string, unknown> = {}) =>
        world.app.inject({
          method: 'POST',
          url: '/api/v1/claims',
          headers: { ...party.headers, 'idempotency-key': 'order-42-rma' },
          payload: { ...openClaimBody(serial), ...extra },
        })
      const first = await send()
      const second = await send()
      assert.equal(first.statusCode, 201)
      assert.equal(second.statusCode, 200)
      assert.equal((first.json() as { id: string }).id, (second.json() as { id: string }).id)
      // The unit has an open claim now, so staff must say why they open a second one.
      const staffSame = await send(world.staff, {
        duplicateOverride: { reason: 'Second fault, separate case' },
      })
      assert.equal(staffSame.statusCode, 201, 'the key belongs to its actor')
      const rows = await world.database.db
        .selectFrom('claims')
        .select('id')
        .where('serial', '=', serial)
        .execute()
      assert.equal(rows.length, 2)
    })

    test('messages join the history without changing the version', async () => {
      const before = (
        await world.app.inject({
          method: 'GET',
          url: `/api/v1/claims/${quoted.id}`,
          headers: world.customer.headers,
        })
      ).headers.etag
      const posted = await world.app.inject({
        method: 'POST',
        url: `/api/v1/claims/${quoted.id}/messages`,
        headers: world.customer.headers,
        payload: { body: 'Is the mainboard price final?' },
      })
      assert.equal(posted.statusCode, 201)
      const messages = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${quoted.id}/messages`,
        headers: world.staff.headers,
      })
      assert.equal(
        (messages.json() as { items: { body: string }[] }).items.at(-1)?.body,
        'Is the mainboard price final?',
      )
      const afterRead = (
        await world.app.inject({
          method: 'GET',
          url: `/api/v1/claims/${quoted.id}`,
          headers: world.customer.headers,
        })
      ).headers.etag
      assert.equal(afterRead, before)
    })

    test('the stored state is the replay of the history', async () => {
      const row = await findClaim(world.database.db, quoted.id)
      assert.ok(row)
      const events = await listEvents(world.database.db, quoted.id)
      const replayed = replayClaim(
        events.map((e) => ({ type: e.type, at: e.at, data: JSON.parse(e.data) as Record<string, unknown> })),
      )
      assert.deepEqual(replayed, projectionFromRow(row))
      assert.equal(replayed.state, 'quoted')
    })

    test('editing an event in the database breaks the chain at that event', async () => {
      const claim = await seedClaimAwaitingQuote(world)
      assert.deepEqual(await verifyClaimChain(world.database.db, claim.id), {
        claimId: claim.id,
        events: 6,
        ok: true,
      })
      await world.database.db
        .updateTable('claim_events')
        .set({ data: JSON.stringify({ inspection: { faultConfirmed: false } }) })
        .where('claim_id', '=', claim.id)
        .where('seq', '=', 5)
        .execute()
      const report = await verifyClaimChain(world.database.db, claim.id)
      assert.equal(report.ok, false)
      assert.equal(report.broken?.seq, 5)
    })

    test('two changes from the same version race: one wins, the other is told the claim changed', async () => {
      const claimId = (
        await openClaimAs(world, world.customer, openClaimBody(await seedPlayerOneUnit(world)))
      ).id
      const etag = String(
        (
          await world.app.inject({
            method: 'GET',
            url: `/api/v1/claims/${claimId}`,
            headers: world.staff.headers,
          })
        ).headers.etag,
      )
      const results = await Promise.all([
        tryAct(world, world.staff, claimId, 'start-diagnosis', {}, etag),
        tryAct(world, world.staff, claimId, 'authorize-return', {}, etag),
      ])
      assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 412])
      assert.equal((await verifyClaimChain(world.database.db, claimId)).ok, true)
    })
  })
}
