import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import fc from 'fast-check'
import { z } from 'zod'
import {
  type ClaimsWorld,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  type Party,
  packageOf,
  repairSteps,
  seedPlayerOneDealerUnit,
  seedPlayerOneUnit,
} from '../../test/claims/claim-factories.ts'
import type { Actor } from '../auth/index.ts'
import { testEngines } from '../db/test-database.ts'
import { createCheckedJsonTexts } from '../shared/checked-json.ts'
import { claimListView, claimView } from './claim.schemas.ts'
import { findClaim, listClaimSummaries } from './claim.store.ts'
import { visibilityFilter } from './claim-access.ts'
import { withoutTrace } from './claim-list-summary.ts'
import { toClaimView } from './claim-view.ts'
import { NO_EXPIRED_QUOTES } from './quote-validity.ts'

/** What the route's schema serializer wrote before: the view checked by Zod, then stringified. */
const serializedView = (view: unknown) => JSON.stringify(claimView.parse(view))

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

async function page(world: ClaimsWorld, party: Party, id: string) {
  const response = await world.app.inject({
    method: 'GET',
    url: `/api/v1/claims/${id}`,
    headers: party.headers,
  })
  assert.equal(response.statusCode, 200, response.body)
  assert.match(String(response.headers['content-type']), /^application\/json; charset=utf-8/)
  return response.body
}

async function list(world: ClaimsWorld, party: Party, query = '') {
  const response = await world.app.inject({
    method: 'GET',
    url: `/api/v1/claims${query}`,
    headers: party.headers,
  })
  assert.equal(response.statusCode, 200, response.body)
  return response.body
}

for (const engine of testEngines()) {
  describe(`claim pages and lists written from stored decisions on ${engine}`, () => {
    const worlds: ClaimsWorld[] = []
    after(async () => {
      for (const world of worlds) await world.close()
    })

    test('every step of a claim answers, for every party, the bytes the schema serializer wrote', async () => {
      const world = await openClaimsWorld(engine)
      worlds.push(world)
      const parties: Array<[Party, Actor['role']]> = [
        [world.staff, 'technician'],
        [world.customer, 'customer'],
        [world.dealer, 'dealer'],
      ]
      const serial = await seedPlayerOneDealerUnit(world)
      const contents = await packageOf(world, 'player-one-poseidon-m-pro')
      const opened = await openClaimAs(world, world.customer, openClaimBody(serial))
      const steps = repairSteps(serial, contents)
      const check = async () => {
        const row = await findClaim(world.ctx.db, opened.id)
        assert.ok(row)
        for (const [party, role] of parties) {
          const actor = actorOf(party, role)
          assert.equal(
            await page(world, party, opened.id),
            serializedView(toClaimView(row, actor, NO_EXPIRED_QUOTES)),
          )
          const rows = await listClaimSummaries(world.ctx.db, { ...visibilityFilter(actor), limit: 50 })
          const expected = JSON.stringify(
            claimListView.parse({
              items: rows.map((r) => {
                const view = toClaimView(r, actor, NO_EXPIRED_QUOTES)
                return {
                  ...view,
                  provisionalDecision: withoutTrace(view.provisionalDecision),
                  finalDecision: withoutTrace(view.finalDecision),
                }
              }),
              next: null,
            }),
          )
          assert.equal(await list(world, party), expected)
        }
      }
      await check()
      for (const [action, body] of steps) {
        const answer = await world.app.inject({
          method: 'POST',
          url: `/api/v1/claims/${opened.id}/transitions/${action}`,
          headers: {
            ...world.staff.headers,
            'if-match': `"${(await findClaim(world.ctx.db, opened.id))?.version}"`,
          },
          payload: body,
        })
        assert.equal(answer.statusCode, 200, `${action}: ${answer.body}`)
        const row = await findClaim(world.ctx.db, opened.id)
        assert.ok(row)
        assert.equal(
          answer.body,
          serializedView(toClaimView(row, actorOf(world.staff, 'technician'), NO_EXPIRED_QUOTES)),
          action,
        )
        await check()
      }
      const final = JSON.parse(await page(world, world.staff, opened.id))
      assert.ok(final.finalDecision.trace.length > 0, 'the page carries the whole final decision')
    })

    test('a stored decision is answered as its schema reads it: unknown fields stripped, a summary without its trace', async () => {
      const world = await openClaimsWorld(engine)
      worlds.push(world)
      const opened = await openClaimAs(world, world.customer, openClaimBody(await seedPlayerOneUnit(world)))
      const row = await findClaim(world.ctx.db, opened.id)
      assert.ok(row?.provisional_decision)
      const withExtra = JSON.stringify({
        ...JSON.parse(row.provisional_decision),
        internalNote: 'not for anyone',
      })
      // The row's summaries are older than its version, so the list reads the whole decision.
      await world.ctx.db
        .updateTable('claims')
        .set({ provisional_decision: withExtra, summaries_version: -1 })
        .where('id', '=', opened.id)
        .execute()
      const body = await page(world, world.customer, opened.id)
      assert.doesNotMatch(body, /internalNote/)
      assert.deepEqual(JSON.parse(body).provisionalDecision, JSON.parse(row.provisional_decision))
      const listed = JSON.parse(await list(world, world.customer)).items.find(
        (item: { id: string }) => item.id === opened.id,
      )
      assert.equal(listed.provisionalDecision.trace, undefined)
      assert.equal(listed.provisionalDecision.internalNote, undefined)
      assert.equal(listed.provisionalDecision.covered, opened.provisionalDecision?.covered)
    })

    test('a stored decision the schema refuses is a 500 that shows none of it, not a 400', async () => {
      const world = await openClaimsWorld(engine)
      worlds.push(world)
      const opened = await openClaimAs(world, world.customer, openClaimBody(await seedPlayerOneUnit(world)))
      await world.ctx.db
        .updateTable('claims')
        .set({ provisional_decision: JSON.stringify({ covered: 'perhaps', secret: 'kept-in-the-row' }) })
        .where('id', '=', opened.id)
        .execute()
      const response = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${opened.id}`,
        headers: world.staff.headers,
      })
      assert.equal(response.statusCode, 500)
      assert.doesNotMatch(response.body, /kept-in-the-row|perhaps/)
    })
  })
}

describe('stored JSON answered as checked', () => {
  const item = z.object({ id: z.number(), name: z.string(), tags: z.array(z.string()) })

  test('any text gives what the schema gives, in any order, under any bound, and the bound holds', () => {
    const value = fc.record({
      id: fc.integer(),
      name: fc.string(),
      tags: fc.array(fc.string(), { maxLength: 4 }),
      extra: fc.option(fc.string(), { nil: undefined }),
    })
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 400 }),
        (values, bound) => {
          const texts = createCheckedJsonTexts(item, { name: 'item', maxChars: bound })
          // Twice over, so that kept answers are read back.
          for (const v of [...values, ...values]) {
            const stored = JSON.stringify(v)
            assert.equal(texts.answer(stored), JSON.stringify(item.parse(v)))
            assert.ok(texts.size() <= bound, `${texts.size()} characters held, bound ${bound}`)
          }
        },
      ),
    )
  })

  test('a text checked once is answered again without being parsed', () => {
    let parses = 0
    const counted = item.transform((v) => {
      parses++
      return v
    })
    const texts = createCheckedJsonTexts(counted, { name: 'item', maxChars: 10_000 })
    const stored = JSON.stringify({ id: 1, name: 'a', tags: [] })
    const first = texts.answer(stored)
    assert.equal(texts.answer(stored), first)
    assert.equal(texts.answer(`${stored}`), first)
    assert.equal(parses, 1)
    // A changed document is another text, checked afresh.
    assert.equal(
      texts.answer(JSON.stringify({ id: 2, name: 'a', tags: [] })),
      '{"id":2,"name":"a","tags":[]}',
    )
    assert.equal(parses, 2)
  })

  test('a refused text is an internal error naming what it is', () => {
    const texts = createCheckedJsonTexts(item, { name: 'item', maxChars: 10_000 })
    assert.throws(
      () => texts.answer('{"id":"one"}'),
      (error: Error & { code?: string }) => error.code === 'internal' && /stored item/.test(error.message),
    )
  })
})
