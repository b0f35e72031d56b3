import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestContext } from '../app/test-context.ts'
import type { DatabaseHandle } from '../db/database.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { renderEmail } from '../notify/domain/render-email.ts'
import { applySlaForClaimEvent, type ClaimClockInput } from './claim-clocks.ts'
import { listClocksOfClaim } from './clock.store.ts'
import { runSlaSweep, serviceTeamAddress, startSlaSweeper } from './sla-sweep.ts'
import { seed002ServiceLevels, shanghai } from './sla-test-support.ts'

const HOUR = 3_600_000

for (const engine of testEngines()) {
  describe(`SLA sweep (${engine})`, () => {
    let database: TestDatabase
    let second: DatabaseHandle
    before(async () => {
      database = await openTestDatabase(engine)
      second = database.reopen()
      await database.db
        .insertInto('webhook_subscriptions')
        .values({
          id: 'sub-1',
          url: 'https://erp.example.com/hooks',
          secret: 'secret',
          event_types: JSON.stringify(['sla.breached']),
          active: 1,
          created_by: 'admin',
          created_at: new Date().toISOString(),
        })
        .execute()
    })
    after(async () => {
      await second.close()
      await database.dispose()
    })

    const ctx = () => createTestContext(database, { config: { mailFrom: 'Service <service@maker.example>' } })
    const apply = (claimId: string, eventType: string, at: string, extra: Partial<ClaimClockInput> = {}) =>
      database.db.transaction().execute((trx) =>
        applySlaForClaimEvent(trx, {
          claimId,
          eventType,
          at,
          brand: 'own',
          serviceLevels: seed002ServiceLevels(),
          ...extra,
        }),
      )
    const outbox = (claimId: string) =>
      database.db
        .selectFrom('outbox_messages')
        .select(['channel', 'topic', 'recipient', 'payload'])
        .where('claim_id', '=', claimId)
        .orderBy('created_at')
        .orderBy('topic')
        .execute()

    test('warns once at 75% of the allowed time, then breaches once after the due moment', async () => {
      const received = shanghai('2025-03-14T17:00') // verify: 12 h, warning after 9 h
      const at = (hours: number) => new Date(new Date(received).getTime() + hours * HOUR)
      await apply('S-1', 'unit.received', received)

      assert.deepEqual(await runSlaSweep(ctx(), { now: at(8.9) }), { warned: 0, breached: 0 })
      assert.deepEqual(await runSlaSweep(ctx(), { now: at(9) }), { warned: 1, breached: 0 })
      assert.deepEqual(await runSlaSweep(ctx(), { now: at(10) }), { warned: 0, breached: 0 })
      const [clockAfterWarning] = await listClocksOfClaim(database.db, 'S-1')
      assert.equal(clockAfterWarning?.warned_at, at(9).toISOString())
      assert.equal(clockAfterWarning?.status, 'running')

      // On its due moment the clock is not late yet: an inspection recorded then is met.
      assert.deepEqual(await runSlaSweep(ctx(), { now: at(12) }), { warned: 0, breached: 0 })
      const late = new Date(at(12).getTime() + 1)
      assert.deepEqual(await runSlaSweep(ctx(), { now: late }), { warned: 0, breached: 1 })
      assert.deepEqual(await runSlaSweep(ctx(), { now: at(13) }), { warned: 0, breached: 0 })
      const [clock] = await listClocksOfClaim(database.db, 'S-1')
      assert.equal(clock?.status, 'breached')
      assert.equal(clock?.breached_at, late.toISOString())
      assert.equal(clock?.stopped_at, null)

      const messages = await outbox('S-1')
      assert.deepEqual(
        messages.map((m) => [m.channel, m.topic, m.recipient]),
        [
          ['email', 'sla.warning', 'service@maker.example'],
          ['email', 'sla.breached', 'service@maker.example'],
          ['webhook', 'sla.breached', 'https://erp.example.com/hooks'],
        ],
      )
      const breach = JSON.parse(messages[1]!.payload)
      assert.deepEqual(breach, {
        claimNumber: 'C-S-1',
        clock: 'verify',
        dueAt: at(12).toISOString(),
        timeZone: 'Asia/Shanghai',
      })
      // The team reads the deadline at the clock of the calendar's zone, not in UTC.
      const mail = renderEmail('sla.breached', 'en', breach, {
        publicUrl: 'https://service.example',
        claimId: 'S-1',
      })
      assert.ok(mail.text.includes('passed at 15 March 2025, 05:00 (China Standard Time).'), mail.text)
      const webhook = JSON.parse(messages[2]!.payload)
      assert.equal(webhook.type, 'sla.breached')
      assert.equal(webhook.data.kind, 'verify')

      // The late inspection stops the clock and keeps the breach.
      await apply('S-1', 'inspection.recorded', at(14).toISOString())
      const [stopped] = await listClocksOfClaim(database.db, 'S-1')
      assert.equal(stopped?.status, 'breached')
      assert.equal(stopped?.stopped_at, at(14).toISOString())
    })

    test("the team's alert names the claim by its number, as staff see and search it, not by its internal id", async () => {
      const claimId = '3f2a8c1e-5b7d-4e2a-9c1f-0a1b2c3d4e5f'
      const received = shanghai('2025-03-14T17:00')
      await apply(claimId, 'unit.received', received)
      await runSlaSweep(ctx(), { now: new Date(new Date(received).getTime() + 9 * HOUR) })
      const [warning] = await outbox(claimId)
      assert.equal(JSON.parse(warning?.payload ?? '{}').claimNumber, 'C-3F2A8C1E')
      const mail = renderEmail('sla.warning', 'en', JSON.parse(warning?.payload ?? '{}'), {
        publicUrl: 'https://service.example',
        claimId,
      })
      assert.match(mail.subject, /C-3F2A8C1E/)
      assert.ok(!mail.subject.includes(claimId), mail.subject)
      // Inspected in time: the clock stops and later sweeps leave it alone.
      await apply(
        claimId,
        'inspection.recorded',
        new Date(new Date(received).getTime() + 10 * HOUR).toISOString(),
      )
    })

    test('a paused clock neither warns nor breaches; a clock stopped late is reported once', async () => {
      await apply('S-2', 'unit.received', shanghai('2025-03-14T17:00'))
      await apply('S-2', 'info.requested', shanghai('2025-03-14T18:00'), { actorRole: 'support' })
      assert.deepEqual(await runSlaSweep(ctx(), { now: new Date(shanghai('2025-03-20T00:00')) }), {
        warned: 0,
        breached: 0,
      })

      await apply('S-3', 'unit.received', shanghai('2025-03-14T17:00'))
      await apply('S-3', 'inspection.recorded', shanghai('2025-03-15T06:00'))
      const first = await runSlaSweep(ctx(), { now: new Date(shanghai('2025-03-15T07:00')) })
      assert.equal(first.breached, 1)
      assert.deepEqual(
        (await outbox('S-3')).map((m) => m.topic),
        ['sla.breached', 'sla.breached'],
      )
      const [clock] = await listClocksOfClaim(database.db, 'S-3')
      assert.equal(clock?.breached_at, shanghai('2025-03-15T06:00'))
    })

    test('a sweep on the due moment warns and does not breach: a stop on that moment is still met', async () => {
      await apply('S-4', 'unit.received', shanghai('2025-03-14T17:00'))
      const due = new Date(shanghai('2025-03-15T05:00'))
      assert.deepEqual(await runSlaSweep(ctx(), { now: due }), { warned: 1, breached: 0 })
      await apply('S-4', 'inspection.recorded', due.toISOString())
      const [clock] = await listClocksOfClaim(database.db, 'S-4')
      assert.equal(clock?.status, 'met')
      assert.equal(clock?.breached_at, null)
      assert.deepEqual(
        (await outbox('S-4')).map((m) => m.topic),
        ['sla.warning'],
      )
    })

    test('two sweeps at the same time notify each breached clock once', async () => {
      const claims = Array.from({ length: 23 }, (_, i) => `P-${i}`)
      for (const claimId of claims) await apply(claimId, 'unit.received', shanghai('2025-04-01T10:00'))
      const now = new Date(shanghai('2025-04-02T10:00'))
      // On PostgreSQL the second sweep is another app instance with its own pool; SQLite serves one instance.
      const other = engine === 'postgres' ? createTestContext({ ...database, db: second.db }) : ctx()
      const [a, b] = await Promise.all([
        runSlaSweep(ctx(), { now, batchSize: 5 }),
        runSlaSweep(other, { now, batchSize: 5 }),
      ])
      assert.equal(a.breached + b.breached, claims.length)
      const emails = await database.db
        .selectFrom('outbox_messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('topic', '=', 'sla.breached')
        .where('channel', '=', 'email')
        .where('claim_id', 'like', 'P-%')
        .executeTakeFirstOrThrow()
      assert.equal(Number(emails.n), claims.length)
    })

    test('the sweeper runs until stopped', async () => {
      await apply('T-1', 'unit.received', shanghai('2025-05-06T10:00'))
      const errors: unknown[] = []
      const stop = startSlaSweeper(
        { ...ctx(), now: () => new Date(shanghai('2025-05-07T10:00')) },
        { intervalMs: 10, onError: (e) => errors.push(e) },
      )
      await new Promise((resolve) => setTimeout(resolve, 50))
      await stop()
      assert.deepEqual(errors, [])
      const [clock] = await listClocksOfClaim(database.db, 'T-1')
      assert.equal(clock?.status, 'breached')
    })
  })
}

test('the service team address drops the display name', () => {
  assert.equal(serviceTeamAddress('Aftercare <service@aftercare.local>'), 'service@aftercare.local')
  assert.equal(serviceTeamAddress('ops@maker.example'), 'ops@maker.example')
})
