import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { loadPolicyLibrary, SHIPPED_POLICIES_DIR } from '../policies/load-policies.ts'
import type { AppError } from '../shared/errors.ts'
import { saveCalendar } from './calendar.store.ts'
import { applySlaForClaimEvent, type ClaimClockInput } from './claim-clocks.ts'
import { listClocksOfClaim } from './clock.store.ts'
import { CN_MAINLAND } from './domain/builtin-calendars.ts'
import { seed002ServiceLevels, shanghai } from './sla-test-support.ts'

for (const engine of testEngines()) {
  describe(`SLA clocks driven by claim events (${engine})`, () => {
    let database: TestDatabase
    before(async () => {
      database = await openTestDatabase(engine)
    })
    after(async () => {
      await database.dispose()
    })

    let claimSeq = 0
    /** A fresh claim id and a helper that applies its events. */
    const newClaim = (brand: 'own' | 'agent' = 'own') => {
      const claimId = `C-${engine}-${++claimSeq}`
      const apply = (eventType: string, at: string, extra: Partial<ClaimClockInput> = {}) =>
        database.db.transaction().execute((trx) =>
          applySlaForClaimEvent(trx, {
            claimId,
            eventType,
            at,
            brand,
            serviceLevels: seed002ServiceLevels(),
            ...extra,
          }),
        )
      const clocks = async () => listClocksOfClaim(database.db, claimId)
      const clock = async (kind: string) => {
        const found = (await clocks()).find((c) => c.kind === kind)
        assert.ok(found, `no ${kind} clock`)
        return found
      }
      return { claimId, apply, clocks, clock }
    }

    test('claim.opened starts one first-response clock on 7x12 support hours, even when applied twice', async () => {
      const claim = newClaim()
      // Saturday 21:00, after support hours: 2 support hours run Sunday 08:00–10:00.
      await claim.apply('claim.opened', shanghai('2025-03-15T21:00'))
      await claim.apply('claim.opened', shanghai('2025-03-15T21:00'))
      const clocks = await claim.clocks()
      assert.equal(clocks.length, 1)
      assert.equal(clocks[0]?.kind, 'first-response')
      assert.equal(clocks[0]?.status, 'running')
      assert.equal(clocks[0]?.clause, 'SEED-002#support')
      assert.equal(clocks[0]?.due_at, shanghai('2025-03-16T10:00'))
      assert.equal(clocks[0]?.warn_at, shanghai('2025-03-16T09:30'))
    })

    test('a night desk past midnight: a claim opened on a working night is answered that night, one on a day off on the next working night', async () => {
      const nightDesk = seed002ServiceLevels({
        supportHours: { from: '22:00', to: '06:00', everyDay: false },
      })
      const friday = newClaim()
      await friday.apply('claim.opened', shanghai('2025-03-14T23:00'), { serviceLevels: nightDesk })
      assert.equal((await friday.clock('first-response')).due_at, shanghai('2025-03-15T01:00'))
      // Saturday night is Saturday's, a day off: two hours of Monday night.
      const saturday = newClaim()
      await saturday.apply('claim.opened', shanghai('2025-03-15T23:00'), { serviceLevels: nightDesk })
      assert.equal((await saturday.clock('first-response')).due_at, shanghai('2025-03-18T00:00'))
    })

    test('unit.received starts verify for own brand, verify and forward for agent brand', async () => {
      const own = newClaim('own')
      await own.apply('unit.received', shanghai('2025-03-14T17:00'))
      assert.deepEqual((await own.clocks()).map((c) => c.kind).sort(), ['verify'])
      const verify = await own.clock('verify')
      assert.equal(verify.due_at, shanghai('2025-03-15T05:00'))

      const agent = newClaim('agent')
      await agent.apply('unit.received', shanghai('2025-03-14T17:00'))
      assert.deepEqual((await agent.clocks()).map((c) => c.kind).sort(), ['forward', 'verify'])
    })

    test('a unit recorded days after it came counts from the start of the next day, where the clocks skipped its midnight too', async () => {
      // Asunción went from 00:00 to 01:00 on 3 October 2021; 4 October began at its midnight,
      // 03:00 UTC, not a day after the 01:00 the 3rd began at.
      const levels = seed002ServiceLevels({ timeZone: 'America/Asuncion' })
      const claim = newClaim()
      await claim.apply('unit.received', '2021-10-06T12:00:00.000Z', {
        serviceLevels: levels,
        occurredOn: '2021-10-03',
      })
      assert.equal((await claim.clock('verify')).started_at, '2021-10-04T03:00:00.000Z')
      // Havana showed midnight twice on 1 November 2026: the day began at the first, 04:00 UTC.
      const havana = newClaim()
      await havana.apply('unit.received', '2026-11-03T12:00:00.000Z', {
        serviceLevels: seed002ServiceLevels({ timeZone: 'America/Havana' }),
        occurredOn: '2026-10-31',
      })
      assert.equal((await havana.clock('verify')).started_at, '2026-11-01T04:00:00.000Z')
    })

    test('the stop event marks met before the due moment and breached after it', async () => {
      const onTime = newClaim()
      await onTime.apply('unit.received', shanghai('2025-03-14T17:00'))
      await onTime.apply('inspection.recorded', shanghai('2025-03-15T05:00'))
      const met = await onTime.clock('verify')
      assert.equal(met.status, 'met')
      assert.equal(met.stopped_at, shanghai('2025-03-15T05:00'))
      assert.equal(met.stopped_by, 'inspection.recorded')

      const late = newClaim()
      await late.apply('unit.received', shanghai('2025-03-14T17:00'))
      await late.apply('inspection.recorded', shanghai('2025-03-15T05:01'))
      const breached = await late.clock('verify')
      assert.equal(breached.status, 'breached')
      assert.equal(breached.breached_at, shanghai('2025-03-15T05:01'))
    })

    test('3 working days from a decision before National Day 2025 end on the make-up Saturday', async () => {
      const claim = newClaim('own')
      await claim.apply('decision.made', shanghai('2025-09-30T10:00'))
      assert.equal((await claim.clock('return')).due_at, shanghai('2025-10-11T18:00'))
      await claim.apply('return.shipped', shanghai('2025-10-11T17:00'))
      assert.equal((await claim.clock('return')).status, 'met')
    })

    test('info.requested answers the claim and pauses the rest; info.provided resumes with the due moved', async () => {
      const claim = newClaim('own')
      await claim.apply('claim.opened', shanghai('2025-03-14T15:00')) // 2 support hours: due 17:00
      await claim.apply('decision.made', shanghai('2025-03-14T15:30')) // due Wed 19 Mar 18:00
      assert.equal((await claim.clock('return')).due_at, shanghai('2025-03-19T18:00'))
      // Paused Friday 16:00, resumed Monday 10:00: 2 h Friday + 1 h Monday of working time.
      await claim.apply('info.requested', shanghai('2025-03-14T16:00'), { actorRole: 'support' })
      await claim.apply('info.requested', shanghai('2025-03-14T16:00'), { actorRole: 'support' })
      const firstResponse = await claim.clock('first-response')
      assert.equal(firstResponse.status, 'met')
      assert.equal(firstResponse.stopped_by, 'info.requested')
      const paused = await claim.clock('return')
      assert.equal(paused.status, 'paused')
      assert.equal(paused.paused_at, shanghai('2025-03-14T16:00'))

      await claim.apply('info.provided', shanghai('2025-03-17T10:00'), { actorRole: 'customer' })
      await claim.apply('info.provided', shanghai('2025-03-17T10:00'), { actorRole: 'customer' })
      const resumed = await claim.clock('return')
      assert.equal(resumed.status, 'running')
      assert.equal(resumed.paused_at, null)
      assert.equal(Number(resumed.paused_total_ms), 3 * 3_600_000)
      assert.equal(resumed.due_at, shanghai('2025-03-20T12:00'))
    })

    test('a pause stamped before the end of the pause already counted counts only the time after it', async () => {
      const claim = newClaim('own')
      await claim.apply('unit.received', shanghai('2025-03-14T09:00')) // verify: 12 hours, due 21:00
      await claim.apply('info.requested', shanghai('2025-03-14T10:00'), { actorRole: 'support' })
      await claim.apply('info.provided', shanghai('2025-03-14T11:00'), { actorRole: 'customer' })
      // Asked again on a server whose clock is a minute behind: stamped before the answer.
      await claim.apply('info.requested', shanghai('2025-03-14T10:59'), { actorRole: 'support' })
      assert.equal((await claim.clock('verify')).paused_at, shanghai('2025-03-14T11:00'))
      await claim.apply('info.provided', shanghai('2025-03-14T12:00'), { actorRole: 'customer' })
      // Paused 10:00–12:00, two hours once: the minute both pauses cover is not counted twice.
      const verify = await claim.clock('verify')
      assert.equal(Number(verify.paused_total_ms), 2 * 3_600_000)
      assert.equal(verify.due_at, shanghai('2025-03-14T23:00'))
      // An answer stamped before the one already counted ends no pause earlier than it.
      await claim.apply('info.requested', shanghai('2025-03-14T13:00'), { actorRole: 'support' })
      await claim.apply('info.provided', shanghai('2025-03-14T14:00'), { actorRole: 'customer' })
      await claim.apply('info.requested', shanghai('2025-03-14T13:30'), { actorRole: 'support' })
      await claim.apply('info.provided', shanghai('2025-03-14T13:45'), { actorRole: 'customer' })
      const again = await claim.clock('verify')
      assert.equal(Number(again.paused_total_ms), 3 * 3_600_000)
      assert.equal(again.due_at, shanghai('2025-03-15T00:00'))
    })

    test('a clock already late when it is paused is breached, not paused: the pause does not hide it from the sweep', async () => {
      const claim = newClaim('own')
      await claim.apply('unit.received', shanghai('2025-03-14T09:00')) // verify: 12 hours, due 21:00
      // Asked for information an hour after the due moment, before any sweep found it late.
      await claim.apply('info.requested', shanghai('2025-03-14T22:00'), { actorRole: 'support' })
      const late = await claim.clock('verify')
      assert.equal(late.status, 'breached')
      assert.equal(late.paused_at, null)
      assert.equal(late.breached_at, shanghai('2025-03-14T22:00'))
      await claim.apply('info.provided', shanghai('2025-03-15T10:00'), { actorRole: 'customer' })
      const after = await claim.clock('verify')
      assert.equal(after.due_at, shanghai('2025-03-14T21:00'), 'the due moment stays where it was')
      assert.equal(after.status, 'breached')
      await claim.apply('inspection.recorded', shanghai('2025-03-15T11:00'))
      assert.equal((await claim.clock('verify')).status, 'breached')
    })

    test('a customer message leaves first response running; a staff message stops it', async () => {
      const claim = newClaim()
      await claim.apply('claim.opened', shanghai('2025-03-14T09:00'))
      await claim.apply('message.posted', shanghai('2025-03-14T09:10'), { actorRole: 'customer' })
      await claim.apply('message.posted', shanghai('2025-03-14T09:20'))
      assert.equal((await claim.clock('first-response')).status, 'running')
      await claim.apply('message.posted', shanghai('2025-03-14T09:30'), { actorRole: 'technician' })
      const stopped = await claim.clock('first-response')
      assert.equal(stopped.status, 'met')
      assert.equal(stopped.stopped_at, shanghai('2025-03-14T09:30'))
    })

    test('the dealer serving a claim answers for the service: its first step stops first response', async () => {
      const claim = newClaim()
      await claim.apply('claim.opened', shanghai('2025-03-14T09:00'))
      await claim.apply('rma.authorized', shanghai('2025-03-14T09:40'), { actorRole: 'dealer' })
      const stopped = await claim.clock('first-response')
      assert.equal(stopped.status, 'met')
      assert.equal(stopped.stopped_at, shanghai('2025-03-14T09:40'))
    })

    test('events that concern no clock change nothing', async () => {
      const claim = newClaim()
      await claim.apply('unit.received', shanghai('2025-03-14T17:00'))
      const before = await claim.clocks()
      for (const event of ['quote.sent', 'selfcheck.recorded', 'payment.recorded', 'message.posted']) {
        await claim.apply(event, shanghai('2025-03-14T18:00'), { actorRole: 'support' })
      }
      assert.deepEqual(await claim.clocks(), before)
    })

    test('stops still work when the event carries no service levels', async () => {
      const claim = newClaim()
      await claim.apply('unit.received', shanghai('2025-03-14T17:00'))
      await claim.apply('inspection.recorded', shanghai('2025-03-14T18:00'), { serviceLevels: undefined })
      assert.equal((await claim.clock('verify')).status, 'met')
    })

    test('cancelling the claim closes open clocks as cancelled, keeping a breach', async () => {
      const claim = newClaim('agent')
      await claim.apply('unit.received', shanghai('2025-03-14T17:00'))
      await claim.apply('inspection.recorded', shanghai('2025-03-16T17:00'))
      await claim.apply('claim.cancelled', shanghai('2025-03-14T20:00'))
      assert.equal((await claim.clock('forward')).status, 'cancelled')
      assert.equal((await claim.clock('verify')).status, 'breached')
    })

    test('a stored calendar overrides the built-in for new clocks', async () => {
      await saveCalendar(
        database.db,
        { ...CN_MAINLAND, holidays: [...CN_MAINLAND.holidays, '2025-03-17'] },
        'admin-1',
        new Date(),
      )
      const claim = newClaim('own')
      await claim.apply('decision.made', shanghai('2025-03-14T10:00'))
      assert.equal((await claim.clock('return')).due_at, shanghai('2025-03-20T18:00'))
      await database.db.deleteFrom('calendars').where('id', '=', 'cn-mainland').execute()
    })

    test('the shipped Shenzhen policy starts verify and forward for an agent unit, return for an own unit', async () => {
      const levels = loadPolicyLibrary([SHIPPED_POLICIES_DIR]).serviceLevels('shenzhen-service')
      assert.ok(levels)
      const agent = newClaim('agent')
      await agent.apply('unit.received', shanghai('2025-09-30T17:00'), { serviceLevels: levels })
      assert.deepEqual((await agent.clocks()).map((c) => [c.kind, c.due_at]).sort(), [
        ['forward', shanghai('2025-10-01T05:00')],
        ['verify', shanghai('2025-10-01T05:00')],
      ])
      const own = newClaim('own')
      await own.apply('decision.made', shanghai('2025-09-30T17:00'), { serviceLevels: levels })
      assert.deepEqual(
        (await own.clocks()).map((c) => [c.kind, c.due_at]),
        [['return', shanghai('2025-10-11T18:00')]],
      )
    })

    test('an event stamped a moment before the clock started stops or pauses it at its start, never before', async () => {
      const stopped = newClaim()
      await stopped.apply('unit.received', shanghai('2025-03-14T17:00:00.500'))
      await stopped.apply('inspection.recorded', shanghai('2025-03-14T17:00:00.200'))
      const verify = await stopped.clock('verify')
      assert.equal(verify.status, 'met')
      assert.equal(verify.stopped_at, shanghai('2025-03-14T17:00:00.500'))

      const paused = newClaim()
      await paused.apply('decision.made', shanghai('2025-03-14T10:00:00.500'))
      await paused.apply('info.requested', shanghai('2025-03-14T10:00:00.200'), { actorRole: 'support' })
      assert.equal((await paused.clock('return')).paused_at, shanghai('2025-03-14T10:00:00.500'))
      await paused.apply('info.provided', shanghai('2025-03-14T11:00:00.500'), { actorRole: 'customer' })
      // Paused for exactly the working hour after the start, not the 0.3 s before it too.
      assert.equal(Number((await paused.clock('return')).paused_total_ms), 3_600_000)
    })

    test('a bad timestamp is refused naming the field', async () => {
      const claim = newClaim()
      await assert.rejects(claim.apply('claim.opened', 'yesterday'), { code: 'validation', field: 'at' })
    })

    test('a time whose clocks would fall outside the years 0000–9999 is refused, not stored out of order', async () => {
      const claim = newClaim()
      // Verify would be due in the year 10000, stored as +010000-…, which sorts before today.
      // Said as what it is: a real time too far out, not a malformed one.
      await assert.rejects(claim.apply('unit.received', '9999-12-31T20:00:00.000Z'), {
        code: 'validation',
        field: 'at',
        text: { key: 'sla.time-out-of-range', params: { field: 'at', raw: '9999-12-31T20:00:00.000Z' } },
      })
      await assert.rejects(claim.apply('claim.opened', '-000100-01-01T10:00:00.000Z'), {
        code: 'validation',
        field: 'at',
        text: { key: 'sla.time-out-of-range', params: { field: 'at', raw: '-000100-01-01T10:00:00.000Z' } },
      })
      await assert.rejects(
        claim.apply('claim.opened', 'yesterday'),
        (error: AppError) => error.text?.key === 'sla.bad-time',
      )
      assert.deepEqual(await claim.clocks(), [])
      await claim.apply('claim.opened', '0001-01-01T10:00:00.000Z')
      const early = await claim.clock('first-response')
      assert.ok(early.due_at.startsWith('0001-01-') && early.due_at > early.started_at, early.due_at)
    })
  })
}
