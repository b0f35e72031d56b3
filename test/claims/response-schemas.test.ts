import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import Fastify from 'fastify'
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Actor } from '../../src/auth/index.ts'
import { claimListItem, claimView } from '../../src/claims/claim.schemas.ts'
import { findClaim, listClaimSummaries } from '../../src/claims/claim.store.ts'
import { visibilityFilter } from '../../src/claims/claim-access.ts'
import { withoutTrace } from '../../src/claims/claim-list-summary.ts'
import { toClaimView } from '../../src/claims/claim-view.ts'
import { NO_EXPIRED_QUOTES } from '../../src/claims/quote-validity.ts'
import { refusingUnknownFields } from '../../src/contracts/api/unknown-fields.ts'
import { testEngines } from '../../src/db/test-database.ts'
import { type ResponseWatch, watchResponses } from '../platform/response-watch.ts'
import {
  act,
  type ClaimsWorld,
  inspectAndDecide,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  type Party,
  seedIstExpiredUnit,
  seedPendingDealerSaleWithClaim,
  seedPlayerOneDealerUnit,
  seedPlayerOneUnit,
} from './claim-factories.ts'

/**
 * The answers the web app's pages are built on, each as every party reads it: the web types
 * them from the routes' response schemas, so each must say exactly what its handler sends.
 */
const RELIED_ON = [
  'POST /api/v1/claims 201',
  'GET /api/v1/claims/:id 200',
  'GET /api/v1/claims 200',
  'GET /api/v1/claim-queue 200',
  'POST /api/v1/claims/:id/transitions/make-decision 200',
  'POST /api/v1/claims/:id/transitions/send-quote 200',
  'GET /api/v1/claims/:id/quotes 200',
  'GET /api/v1/claims/:id/events 200',
  'GET /api/v1/claims/:id/messages 200',
  'POST /api/v1/claims/:id/messages 201',
  'GET /api/v1/claims/:id/clocks 200',
  'GET /api/v1/claims/:id/assignment 200',
  'POST /api/v1/claims/:id/assignment 200',
  'GET /api/v1/claim-assignees 200',
  'GET /api/v1/self-checks 200',
  'GET /api/v1/dealer-desk/units 200',
  'GET /api/v1/dealer-desk/sale-confirmations 200',
]

function actorOf(party: Party, role: Actor['role']): Actor {
  return {
    userId: party.userId,
    role,
    name: 'Test',
    email: 'test@example.com',
    orgId: party.orgId ?? null,
    customerId: party.customerId ?? null,
    via: 'session',
  }
}

const quoteLines = {
  lines: [{ kind: 'parts', description: 'Mainboard', quantity: 1, unitPriceMinor: 50000 }],
}

async function read(world: ClaimsWorld, party: Party | null, url: string): Promise<unknown> {
  const response = await world.app.inject({ method: 'GET', url, headers: party?.headers ?? {} })
  assert.equal(response.statusCode, 200, `${url}: ${response.body}`)
  return response.json()
}

async function send(world: ClaimsWorld, party: Party, url: string, payload: object, status: number) {
  const response = await world.app.inject({ method: 'POST', url, headers: party.headers, payload })
  assert.equal(response.statusCode, status, `${url}: ${response.body}`)
  return response.json() as unknown
}

const report = (watch: ResponseWatch) =>
  watch.breaches.map((b) => `${b.route}\n  ${b.issues.join('\n  ')}`).join('\n')

describe('the response check itself', () => {
  test('names a field the handler sends that the schema does not, and a required one it leaves out', async () => {
    const app = Fastify()
    app.setValidatorCompiler(validatorCompiler)
    app.setSerializerCompiler(serializerCompiler)
    const watch = watchResponses(app)
    const row = z.object({ id: z.string(), note: z.string().nullable() })
    const schema = { response: { 200: z.object({ items: z.array(row) }) } }
    app.get('/extra', { schema }, async () => ({ items: [{ id: 'a', note: null, colour: 'red' }] }))
    app.get('/missing', { schema }, async () => ({ items: [{ id: 'a' }] }))
    app.get('/exact', { schema }, async () => ({ items: [{ id: 'a', note: 'n' }] }))
    // Written as text by the handler itself, as a claim's page is: no serializer strips the extra field.
    app.get('/text', { schema }, async (_request, reply) =>
      reply.type('application/json; charset=utf-8').send('{"items":[{"id":"a","note":null,"secret":1}]}'),
    )
    for (const url of ['/extra', '/missing', '/exact', '/text']) await app.inject({ method: 'GET', url })
    await app.close()
    assert.deepEqual(
      watch.breaches.map((b) => [b.route, b.issues.map((issue) => issue.split(' ').slice(0, 2).join(' '))]),
      [
        ['GET /extra 200', ['items.0: unrecognized_keys']],
        ['GET /missing 200', ['items.0.note: invalid_type']],
        ['GET /text 200', ['items.0: unrecognized_keys']],
      ],
    )
    assert.match(watch.breaches[0]?.issues[0] ?? '', /"colour"/)
    assert.equal(watch.checked.get('GET /exact 200'), 1)
  })
})

for (const engine of testEngines()) {
  describe(`${engine}: each answer the web relies on is what its schema says`, () => {
    let world: ClaimsWorld
    let watch: ResponseWatch
    before(async () => {
      world = await openClaimsWorld(engine)
      watch = watchResponses(world.app)
    })
    after(() => world.close())

    test('claims, the queue, decisions and quotes, read by staff, customer and dealer', async () => {
      const { staff, customer, dealer } = world
      // A claim the customer opens and answers self-checks for, handed to a technician,
      // with the customer's last word unanswered: the queue's row has every part filled.
      const camera = await seedPlayerOneUnit(world)
      const worked = await openClaimAs(world, customer, openClaimBody(camera))
      await act(world, customer, worked.id, 'record-selfcheck', {
        checklist: 'player-one-cooled-camera',
        results: [{ checkId: 'usb3-link', passed: false, note: 'No link at all.' }],
      })
      await send(world, staff, `/api/v1/claims/${worked.id}/assignment`, { userId: staff.userId }, 200)
      await send(world, customer, `/api/v1/claims/${worked.id}/messages`, { body: 'Any news?' }, 201)
      await send(world, staff, `/api/v1/claims/${worked.id}/messages`, { body: 'Seen.', internal: true }, 201)
      // A dealer's claim, and a sale waiting for the dealer's word.
      const atDealer = await openClaimAs(world, dealer, openClaimBody(await seedPlayerOneDealerUnit(world)))
      await seedPendingDealerSaleWithClaim(world)
      // Out of warranty: inspected, decided, quoted.
      const expired = await seedIstExpiredUnit(world)
      const opened = await openClaimAs(world, customer, openClaimBody(expired))
      const decided = await inspectAndDecide(world, opened.id, expired, 'beijing-ist-ist-obspc-mini')
      assert.ok(decided.finalDecision, 'the claim has its decision')
      const quoted = await act(world, staff, decided.id, 'send-quote', quoteLines)
      assert.ok(quoted.quote, 'the claim has its quote')

      for (const party of [staff, customer, dealer]) {
        await read(world, party, '/api/v1/claims?limit=50')
        await read(world, party, '/api/v1/claim-queue?status=all&sort=due')
        await read(world, party, '/api/v1/claim-queue?status=open')
      }
      for (const [party, id] of [
        [staff, worked.id],
        [customer, worked.id],
        [staff, decided.id],
        [customer, decided.id],
        [staff, atDealer.id],
        [dealer, atDealer.id],
      ] as const) {
        await read(world, party, `/api/v1/claims/${id}`)
        await read(world, party, `/api/v1/claims/${id}/quotes`)
        await read(world, party, `/api/v1/claims/${id}/events`)
        await read(world, party, `/api/v1/claims/${id}/messages`)
      }
      await read(world, staff, `/api/v1/claims/${worked.id}/clocks`)
      await read(world, staff, `/api/v1/claims/${worked.id}/assignment`)
      await read(world, staff, '/api/v1/claim-assignees')
      await read(world, null, `/api/v1/self-checks?serial=${encodeURIComponent(camera)}`)
      await read(world, dealer, '/api/v1/dealer-desk/units')
      await read(world, dealer, '/api/v1/dealer-desk/sale-confirmations')

      // A claim's page and list are written as text from the view, stripped to the schema on
      // the way (writeChecked): the view itself must already be what the schema says.
      for (const [party, role] of [
        [staff, 'technician'],
        [customer, 'customer'],
        [dealer, 'dealer'],
      ] as const) {
        const actor = actorOf(party, role)
        const rows = await listClaimSummaries(world.ctx.db, { ...visibilityFilter(actor), limit: 50 })
        assert.ok(rows.length > 0)
        for (const row of rows) {
          // A list row holds its decisions without their trace; the page reads the whole claim.
          const whole = await findClaim(world.ctx.db, row.id)
          assert.ok(whole)
          const page = toClaimView(whole, actor, NO_EXPIRED_QUOTES)
          const issues = refusingUnknownFields(claimView).safeParse(page).error?.issues ?? []
          assert.deepEqual(issues, [], `the ${role}'s view of claim ${row.id}`)
          const view = toClaimView(row, actor, NO_EXPIRED_QUOTES)
          const item = {
            ...view,
            provisionalDecision: withoutTrace(view.provisionalDecision),
            finalDecision: withoutTrace(view.finalDecision),
          }
          const itemIssues = refusingUnknownFields(claimListItem).safeParse(item).error?.issues ?? []
          assert.deepEqual(itemIssues, [], `the ${role}'s list row of claim ${row.id}`)
        }
      }

      const unchecked = RELIED_ON.filter((route) => !watch.checked.has(route))
      assert.deepEqual(unchecked, [], 'every route the web relies on was answered and checked')
      assert.equal(watch.breaches.length, 0, report(watch))
    })
  })
}
