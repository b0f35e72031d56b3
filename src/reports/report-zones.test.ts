import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { DateTime } from 'luxon'
import { createTestContext } from '../app/test-context.ts'
import { SYSTEM_ACTOR } from '../auth/actor.ts'
import { createTestUser } from '../auth/test-support.ts'
import type { ClaimsTable } from '../claims/claim.tables.ts'
import { openClaim } from '../claims/open-claim.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { buildApp } from '../http/app.ts'
import type { HttpApp } from '../http/types.ts'
import { loadPolicyLibrary, SHIPPED_POLICIES_DIR } from '../policies/load-policies.ts'
import { seedDemoRegistry } from '../registry/demo-seed.ts'
import type { AppContext } from '../shared/app-context.ts'
import { addDays, formatDay, parseDay } from '../shared/day-numbers.ts'
import { ZONES_AWAY_FROM_UTC } from '../shared/near-local-midnight.test-support.ts'
import type { ClaimRatesReport, ClaimsPerMonthReport, OpenCasesReport } from './report.schemas.ts'

const zonePolicy = (zone: string) => `retailer-${zone.replace(/[/_]/g, '-').toLowerCase()}`

/** The first day of a month from 2020 to 2035. */
const firstOfMonth = fc
  .record({ year: fc.integer({ min: 2020, max: 2035 }), month: fc.integer({ min: 1, max: 12 }) })
  .map(({ year, month }) => `${year}-${String(month).padStart(2, '0')}-01`)

for (const engine of testEngines()) {
  describe(`reports count a claim's day in its policy's zone (${engine})`, () => {
    let database: TestDatabase
    let ctx: AppContext
    let app: HttpApp
    let staff: Record<string, string>
    let template: ClaimsTable
    let now = new Date('2025-06-15T10:00:00.000Z')

    before(async () => {
      database = await openTestDatabase(engine)
      // The retailer policy as if written in each zone, so a claim's day can be told in each.
      const own = path.join(database.dataDir, 'policies')
      fs.mkdirSync(own)
      const retailer = fs.readFileSync(path.join(SHIPPED_POLICIES_DIR, 'retailer.v1.yaml'), 'utf8')
      for (const zone of ZONES_AWAY_FROM_UTC)
        fs.writeFileSync(
          path.join(own, `${zonePolicy(zone)}.v1.yaml`),
          retailer
            .replace(/^id: retailer$/m, `id: ${zonePolicy(zone)}`)
            .replace(/^timeZone: .*$/m, `timeZone: ${zone}`),
        )
      ctx = createTestContext(database, {
        now: () => now,
        policies: loadPolicyLibrary([SHIPPED_POLICIES_DIR, own]),
      })
      app = await buildApp(ctx)
      const { serials } = await seedDemoRegistry(ctx)
      const { claim } = await openClaim(ctx, SYSTEM_ACTOR, {
        serial: serials[0]!,
        problem: {
          kind: 'malfunction',
          packagingDamaged: false,
          urgentFreight: false,
          description: 'No power',
        },
        evidence: ['defect-media'],
      })
      template = await ctx.db
        .selectFrom('claims')
        .selectAll()
        .where('id', '=', claim.id)
        .executeTakeFirstOrThrow()
      staff = (await createTestUser(ctx.db, { role: 'support' })).headers
    })
    after(async () => {
      await app?.close()
      await database?.dispose()
    })

    const insertClaim = (zone: string, at: Date) =>
      ctx.db
        .insertInto('claims')
        .values({
          ...template,
          id: `zone-${at.getTime()}`,
          policy_id: zonePolicy(zone),
          opened_at: at.toISOString(),
          chain_seq: null,
          chain_hash: null,
        })
        .execute()

    const get = async <T>(url: string): Promise<T> => {
      const response = await app.inject({ method: 'GET', url, headers: staff })
      assert.equal(response.statusCode, 200, response.body)
      return response.json<T>()
    }

    test('a claim opened either side of a local midnight that starts a month is in the month of its local day', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...ZONES_AWAY_FROM_UTC),
          firstOfMonth,
          fc.integer({ min: -90, max: 90 }),
          async (zone, first, minutes) => {
            const at = DateTime.fromISO(first, { zone }).plus({ minutes }).toJSDate()
            const localDay = minutes < 0 ? addDays(first, -1) : first
            const month = localDay.slice(0, 7)
            await ctx.db.deleteFrom('claims').where('id', 'like', 'zone-%').execute()
            await insertClaim(zone, at)
            const label = `${at.toISOString()} in ${zone}`
            // The claim alone: the one it was copied from is of another policy.
            const only = `policy=${zonePolicy(zone)}`
            const all = await get<ClaimsPerMonthReport>(`/api/v1/reports/claims-per-month?${only}`)
            assert.deepEqual(all.labels, [month], label)
            assert.equal(all.total, 1, label)
            const ofItsDay = await get<ClaimsPerMonthReport>(
              `/api/v1/reports/claims-per-month?${only}&from=${localDay}&to=${localDay}`,
            )
            assert.deepEqual([ofItsDay.labels, ofItsDay.total], [[month], 1], label)
            const otherDay = minutes < 0 ? first : addDays(first, -1)
            const ofTheOther = await get<ClaimRatesReport>(
              `/api/v1/reports/claim-rates?${only}&from=${otherDay}&to=${otherDay}`,
            )
            assert.equal(ofTheOther.totals.claims, 0, label)
          },
        ),
        { numRuns: 25 },
      )
    })

    test("an open case's age counts from the day it was opened to today, both in its policy's zone", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...ZONES_AWAY_FROM_UTC),
          fc.integer({ min: parseDay('2020-01-02'), max: parseDay('2035-12-01') }),
          fc.integer({ min: -90, max: 90 }),
          fc.integer({ min: -90, max: 90 }),
          async (zone, day, openedMinutes, nowMinutes) => {
            // Opened either side of a local midnight and seen either side of the one three days on:
            // two, three or four days old, where the bands part at three.
            const opened = DateTime.fromISO(formatDay(day), { zone }).plus({ minutes: openedMinutes })
            const seen = DateTime.fromISO(formatDay(day + 3), { zone }).plus({ minutes: nowMinutes })
            const age = 3 + (openedMinutes < 0 ? 1 : 0) - (nowMinutes < 0 ? 1 : 0)
            await ctx.db.deleteFrom('claims').where('id', 'like', 'zone-%').execute()
            await insertClaim(zone, opened.toJSDate())
            now = seen.toJSDate()
            try {
              const report = await get<OpenCasesReport>(
                `/api/v1/reports/open-cases?policy=${zonePolicy(zone)}`,
              )
              const band = report.byAge.find((b) => b.data.some((n) => (n ?? 0) > 0))?.name
              assert.equal(band, age <= 2 ? 'days-0-2' : 'days-3-7', `${opened.toISO()} seen ${seen.toISO()}`)
              assert.equal(report.asOf, seen.toISODate(), `as of, seen ${seen.toISO()}`)
            } finally {
              now = new Date('2025-06-15T10:00:00.000Z')
            }
          },
        ),
        { numRuns: 25 },
      )
    })

    test("open cases are as of today in the seller's zone, not where it is latest on Earth", async () => {
      await ctx.db.deleteFrom('claims').where('id', 'like', 'zone-%').execute()
      await insertClaim('Asia/Shanghai', new Date('2026-12-01T02:00:00.000Z'))
      const shanghai = `policy=${zonePolicy('Asia/Shanghai')}`
      try {
        // 12:45 UTC on 5 December is the evening of the 5th in Shanghai, already the 6th in Kiritimati.
        now = new Date('2026-12-05T12:45:00.000Z')
        assert.equal(
          (await get<OpenCasesReport>(`/api/v1/reports/open-cases?${shanghai}`)).asOf,
          '2026-12-05',
        )
        // Over every seller: the shipped policies are dated in UTC and Shanghai, the latest of them.
        assert.equal((await get<OpenCasesReport>('/api/v1/reports/open-cases')).asOf, '2026-12-05')
        // Past midnight in Shanghai, still the 5th in UTC.
        now = new Date('2026-12-05T16:30:00.000Z')
        assert.equal(
          (await get<OpenCasesReport>(`/api/v1/reports/open-cases?${shanghai}`)).asOf,
          '2026-12-06',
        )
        // Of a seller in Los Angeles alone, the morning of the 5th there.
        assert.equal(
          (
            await get<OpenCasesReport>(
              `/api/v1/reports/open-cases?policy=${zonePolicy('America/Los_Angeles')}`,
            )
          ).asOf,
          '2026-12-05',
        )
      } finally {
        now = new Date('2025-06-15T10:00:00.000Z')
      }
    })
  })
}
