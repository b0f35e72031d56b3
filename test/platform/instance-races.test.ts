import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { createTestContext } from '../../src/app/test-context.ts'
import { verifyHistory } from '../../src/claims/claim-history.ts'
import type { DatabaseHandle } from '../../src/db/database.ts'
import { testEngines } from '../../src/db/test-database.ts'
import { buildApp } from '../../src/http/app.ts'
import type { HttpApp } from '../../src/http/types.ts'
import {
  act,
  type ClaimJson,
  type ClaimsWorld,
  holdUpload,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  seedClaimAwaitingQuote,
  seedPlayerOneUnit,
} from '../claims/claim-factories.ts'

/**
 * Two application instances over one PostgreSQL database, as behind a load balancer: each
 * its own pool and app. Requests that race on one claim through both must leave one
 * outcome, one notification and an intact history.
 */
for (const engine of testEngines().filter((e) => e === 'postgres')) {
  describe(`${engine}: two instances racing on one claim`, () => {
    let world: ClaimsWorld
    let second: DatabaseHandle
    let appB: HttpApp
    before(async () => {
      world = await openClaimsWorld(engine)
      second = world.database.reopen()
      const ctxB = createTestContext(
        { ...second, dataDir: world.database.dataDir },
        { now: () => world.clock.now },
      )
      appB = await buildApp(ctxB, { webDir: null, rateLimits: false })
    })
    after(async () => {
      await appB?.close()
      await second?.close()
      await world?.close()
    })

    const apps = () => [world.app, appB] as const
    let stepPromise: Promise<{ statusCode: number; body: string }> | undefined
    const etagOf = async (claimId: string) =>
      String(
        (
          await world.app.inject({
            method: 'GET',
            url: `/api/v1/claims/${claimId}`,
            headers: world.staff.headers,
          })
        ).headers.etag,
      )
    const step = (
      app: HttpApp,
      headers: Record<string, string>,
      claimId: string,
      action: string,
      etag: string,
      body: unknown = {},
    ) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/claims/${claimId}/transitions/${action}`,
        headers: { ...headers, 'if-match': etag },
        payload: body as Record<string, unknown>,
      })
    const outboxTopics = async (claimId: string) =>
      (
        await world.database.db
          .selectFrom('outbox_messages')
          .select(['topic', 'channel'])
          .where('claim_id', '=', claimId)
          .execute()
      )
        .map((r) => `${r.channel}:${r.topic}`)
        .sort()
    const assertChainsIntact = async () => {
      const broken = (await verifyHistory(world.database.db)).filter((r) => !r.ok)
      assert.deepEqual(broken, [])
    }

    test('the same step through both instances at one version: one succeeds, one e-mail, an intact chain', async () => {
      const serial = await seedPlayerOneUnit(world)
      const claim = await openClaimAs(world, world.customer, openClaimBody(serial))
      const etag = await etagOf(claim.id)
      const before = await outboxTopics(claim.id)
      const answers = await Promise.all(
        apps().map((app) => step(app, world.staff.headers, claim.id, 'authorize-return', etag)),
      )
      const codes = answers.map((a) => a.statusCode).sort()
      assert.deepEqual(codes, [200, 412], answers.map((a) => a.body).join('\n'))
      const after = await outboxTopics(claim.id)
      const added = after.filter(
        (t) =>
          !before.includes(t) || after.filter((x) => x === t).length > before.filter((x) => x === t).length,
      )
      assert.equal(added.filter((t) => t === 'email:rma.authorized').length, 1, after.join(', '))
      await assertChainsIntact()
    })

    test('messages posted through both instances while a step runs: all kept, each once in an intact chain', async () => {
      const serial = await seedPlayerOneUnit(world)
      const claim = await openClaimAs(world, world.customer, openClaimBody(serial))
      const etag = await etagOf(claim.id)
      const posts = Array.from({ length: 8 }, (_, i) =>
        apps()[i % 2]!.inject({
          method: 'POST',
          url: `/api/v1/claims/${claim.id}/messages`,
          headers: (i % 3 === 0 ? world.staff : world.customer).headers,
          payload: { body: `message ${i}` },
        }),
      )
      const stepped = step(appB, world.staff.headers, claim.id, 'authorize-return', etag)
      const answers = await Promise.all([...posts, stepped])
      for (const a of answers) assert.ok(a.statusCode === 200 || a.statusCode === 201, a.body)
      const events = await world.database.db
        .selectFrom('claim_events')
        .select(['seq', 'type'])
        .where('claim_id', '=', claim.id)
        .orderBy('seq')
        .execute()
      assert.equal(events.filter((e) => e.type === 'message.posted').length, 8)
      await assertChainsIntact()
    })

    test('RMA numbers authorised through both instances at once are distinct and consecutive', async () => {
      const claims: ClaimJson[] = []
      for (let i = 0; i < 10; i++)
        claims.push(await openClaimAs(world, world.customer, openClaimBody(await seedPlayerOneUnit(world))))
      const etags = await Promise.all(claims.map((c) => etagOf(c.id)))
      const answers = await Promise.all(
        claims.map((c, i) => step(apps()[i % 2]!, world.staff.headers, c.id, 'authorize-return', etags[i]!)),
      )
      for (const a of answers) assert.equal(a.statusCode, 200, a.body)
      const numbers = answers.map((a) => (a.json() as ClaimJson).rma?.number)
      assert.equal(new Set(numbers).size, numbers.length, numbers.join(', '))
      await assertChainsIntact()
    })

    test("a staff answer stops an overdue clock that another instance's sweep is marking breached", async () => {
      const serial = await seedPlayerOneUnit(world)
      const claim = await openClaimAs(world, world.customer, openClaimBody(serial))
      const clock = await world.database.db
        .selectFrom('sla_clocks')
        .select(['id', 'status'])
        .where('claim_id', '=', claim.id)
        .where('kind', '=', 'first-response')
        .executeTakeFirstOrThrow()
      assert.equal(clock.status, 'running')
      const openedAt = world.clock.now
      world.clock.now = new Date(openedAt.getTime() + 10 * 24 * 3_600_000)
      try {
        const etag = await etagOf(claim.id)
        // The other instance's sweep, caught between marking the clock breached and its commit.
        let answered = false
        await second.db.transaction().execute(async (sweep) => {
          await sweep
            .updateTable('sla_clocks')
            .set({ status: 'breached', breached_at: world.clock.now.toISOString(), breach_notified: 1 })
            .where('id', '=', clock.id)
            .where('breach_notified', '=', 0)
            .execute()
          const stepped = step(world.app, world.staff.headers, claim.id, 'start-diagnosis', etag).then(
            (r) => {
              answered = true
              return r
            },
          )
          // The step has read the clock as running and waits for the sweep's row.
          for (let i = 0; i < 200 && !answered; i++) {
            const { rows } = await sql<{ n: number }>`
              select count(*) as n from pg_stat_activity
              where wait_event_type = 'Lock' and application_name = current_setting('application_name')`.execute(
              world.database.db,
            )
            if (Number(rows[0]?.n) > 0) break
            await new Promise((r) => setTimeout(r, 10))
          }
          stepPromise = stepped
        })
        const answer = await stepPromise
        assert.equal(answer?.statusCode, 200, answer?.body)
        const after = await world.database.db
          .selectFrom('sla_clocks')
          .select(['status', 'stopped_at', 'stopped_by'])
          .where('id', '=', clock.id)
          .executeTakeFirstOrThrow()
        assert.deepEqual(after, {
          status: 'breached',
          stopped_at: world.clock.now.toISOString(),
          stopped_by: 'diagnosis.started',
        })
      } finally {
        world.clock.now = openedAt
      }
    })

    test('two claims on one unit the registry does not know, opened through both instances at once: one claim, one refusal', async () => {
      const serial = `RACE-NEW-${Date.now() % 100000}`
      const body = (proof: string) =>
        openClaimBody(serial, {
          files: [proof],
          unit: {
            model: 'player-one-poseidon-m-pro',
            channel: 'direct',
            purchasedOn: '2025-10-01',
            proofOfPurchase: false,
            warrantyCard: false,
          },
        })
      const parties = [world.customer, world.otherCustomer]
      // Each with their proof of purchase, without which the claim registers nothing.
      const proofs = await Promise.all(parties.map((party) => holdUpload(world, party, 'proof-of-purchase')))
      const answers = await Promise.all(
        parties.map((party, i) =>
          apps()[i]!.inject({
            method: 'POST',
            url: '/api/v1/claims',
            headers: party.headers,
            payload: body(proofs[i] as string),
          }),
        ),
      )
      const codes = answers.map((a) => a.statusCode).sort()
      assert.equal(codes[0], 201, answers.map((a) => a.body).join('\n'))
      assert.ok(codes[1] === 409 || codes[1] === 404, answers.map((a) => a.body).join('\n'))
      const claims = await world.database.db
        .selectFrom('claims')
        .select('id')
        .where('serial', '=', serial)
        .execute()
      assert.equal(claims.length, 1)
    })

    test('one intake with one idempotency key through both instances at once: one claim, the same answer', async () => {
      const body = openClaimBody(await seedPlayerOneUnit(world))
      const answers = await Promise.all(
        apps().map((app) =>
          app.inject({
            method: 'POST',
            url: '/api/v1/claims',
            headers: { ...world.customer.headers, 'idempotency-key': 'race-key-1' },
            payload: body,
          }),
        ),
      )
      for (const a of answers) assert.ok(a.statusCode === 201 || a.statusCode === 200, a.body)
      const ids = answers.map((a) => (a.json() as { id: string }).id)
      assert.equal(ids[0], ids[1])
    })

    test('accepting and declining one quote through both instances at once: one answer stands', async () => {
      const claim = await seedClaimAwaitingQuote(world)
      const quoted = await act(world, world.staff, claim.id, 'send-quote', {
        lines: [{ kind: 'labour', description: 'Bench work', quantity: 1, unitPriceMinor: 5000 }],
      })
      assert.ok(quoted.quote)
      const etag = await etagOf(claim.id)
      const answers = await Promise.all([
        step(world.app, world.customer.headers, claim.id, 'accept-quote', etag, { quoteId: quoted.quote.id }),
        step(appB, world.customer.headers, claim.id, 'decline-quote', etag, { quoteId: quoted.quote.id }),
      ])
      assert.deepEqual(
        answers.map((a) => a.statusCode).sort(),
        [200, 412],
        answers.map((a) => a.body).join('\n'),
      )
      const quotes = await world.database.db
        .selectFrom('claim_quotes')
        .select('status')
        .where('claim_id', '=', claim.id)
        .execute()
      assert.equal(quotes.filter((q) => q.status === 'accepted' || q.status === 'declined').length, 1)
      await assertChainsIntact()
    })
  })
}
