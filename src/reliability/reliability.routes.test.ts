import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { createTestContext } from '../app/test-context.ts'
import { createTestUser } from '../auth/test-support.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { buildApp } from '../http/app.ts'
import type { HttpApp } from '../http/types.ts'
import type { AppContext } from '../shared/app-context.ts'
import { addMonths, civilFromDay, formatDay, parseDay } from '../shared/day-numbers.ts'
import { localDate } from '../shared/local-date.ts'
import { AS_OF, STEPPED_BATCH_MODEL } from './generated-registry.test-support.ts'
import type { ReliabilityReport } from './reliability.schemas.ts'
import { seedSyntheticModel } from './synthetic-registry.ts'

for (const engine of testEngines()) {
  describe(`reliability report on ${engine}`, () => {
    let database: TestDatabase
    let ctx: AppContext
    let app: HttpApp
    let staff: Record<string, string>
    let customer: Record<string, string>
    let seeded: { units: number; claims: number }
    let now = new Date(`${AS_OF}T12:00:00.000Z`)

    before(async () => {
      database = await openTestDatabase(engine)
      ctx = createTestContext(database, { now: () => now })
      app = await buildApp(ctx)
      // Batch B2 doubles its failure rate from September: a bad lot of parts.
      seeded = await seedSyntheticModel(ctx.db, {
        ...STEPPED_BATCH_MODEL,
        costMinor: 12_000,
        currency: 'USD',
      })
      // A claim that is no failure: transport damage, on a unit that never failed otherwise.
      const unit = await ctx.db
        .selectFrom('units')
        .leftJoin('claims', 'claims.serial', 'units.serial')
        .select('units.serial')
        .where('claims.id', 'is', null)
        .where('units.model_id', '=', 'model-rx')
        .executeTakeFirstOrThrow()
      const claim = await ctx.db.selectFrom('claims').selectAll().executeTakeFirstOrThrow()
      await ctx.db
        .insertInto('claims')
        .values({
          ...claim,
          id: 'damaged-1',
          serial: unit.serial,
          unit_id: unit.serial,
          case_json: '{"problem":{"kind":"arrived-damaged"}}',
        })
        .execute()
      staff = (await createTestUser(ctx.db, { role: 'support' })).headers
      customer = (await createTestUser(ctx.db, { role: 'customer' })).headers
    })
    after(async () => {
      await app?.close()
      await database?.dispose()
    })

    const get = (url: string, headers: Record<string, string>) => app.inject({ method: 'GET', url, headers })

    test('fits the model by catalogue name and recovers the parameters that made the data', async () => {
      const response = await get(`/api/v1/reports/reliability?model=nova-rx2&asOf=${AS_OF}&term=P3Y`, staff)
      assert.equal(response.statusCode, 200, response.body)
      const report = response.json<ReliabilityReport>()
      assert.equal(report.scope.model?.id, 'model-rx')
      assert.equal(report.counts.units, seeded.units)
      assert.equal(report.counts.failures, seeded.claims)
      assert.equal(report.counts.claimsExcluded, 1)
      assert.equal(report.counts.termDays, 731)
      const w = report.weibull
      assert.ok(w)
      // The stepped batch pulls the fit a little; the truth stays near the intervals.
      assert.ok(w.shapeInterval.lower < w.shape && w.shape < w.shapeInterval.upper)
      assert.ok(Math.abs(w.shape - 1.6) < 0.35, `shape ${w.shape}`)
      assert.ok(Math.abs(w.scale / 2500 - 1) < 0.35, `scale ${w.scale}`)
      assert.ok(report.lognormal)
      assert.ok(report.betterFit === 'weibull' || report.betterFit === 'lognormal')
      assert.ok(report.survival.length > 10)
      assert.ok(report.survival.every((p) => p.lower <= p.survival && p.survival <= p.upper))
      const nevadaFailures = report.nevada.rows.reduce(
        (s, r) => s + Object.values(r.failures).reduce((a, b) => a + b, 0),
        0,
      )
      assert.equal(nevadaFailures, seeded.claims)
      assert.ok(report.perThousandByMonth[0]!.atRisk === seeded.units)
      assert.ok(report.forecast)
      assert.ok(report.forecast.next12Months.lower <= report.forecast.next12Months.estimate)
      assert.ok(report.forecast.reserve.estimate >= report.forecast.next12Months.estimate - 1e-9)
      assert.equal(report.forecast.costs[0]?.perClaim, 12_000)
      assert.equal(report.forecast.costs[0]?.perClaimByPayer.vendor, 12_000)
      assert.ok(report.whatIf)
      assert.equal(report.whatIf.termDays, 1096)
      assert.ok(report.whatIf.current)
      assert.ok(report.whatIf.fraction.estimate > report.whatIf.current.fraction.estimate)
    })

    test('flags the batch whose failure rate stepped up, with its evidence, and not the steady ones', async () => {
      const report = (
        await get(`/api/v1/reports/reliability?model=model-rx&asOf=${AS_OF}`, staff)
      ).json<ReliabilityReport>()
      const batchFlags = report.warnings.filter((w) => w.scope === 'batch')
      assert.ok(
        batchFlags.some((w) => w.key === 'B2' && w.month <= '2025-10'),
        JSON.stringify(batchFlags),
      )
      assert.ok(
        batchFlags.every((w) => w.key === 'B2'),
        JSON.stringify(batchFlags),
      )
      const flag = batchFlags[0]!
      assert.ok(flag.observed > flag.expected && flag.pValue < flag.threshold)
    })

    test("a batch's page gives the warnings its e-mail gave: the batch against the model's other batches", async () => {
      // The e-mail of a batch warning links to the model and batch; the sweep that sent it
      // read the model's report. The batch's page must say the same months, levels and figures.
      const ofModel = (
        await get(`/api/v1/reports/reliability?model=model-rx&asOf=${AS_OF}`, staff)
      ).json<ReliabilityReport>()
      const ofBatch = (
        await get(`/api/v1/reports/reliability?model=model-rx&batch=B2&asOf=${AS_OF}`, staff)
      ).json<ReliabilityReport>()
      const mailed = ofModel.warnings.filter((w) => w.scope === 'batch' && w.key === 'B2')
      assert.ok(mailed.length > 0)
      assert.deepEqual(ofBatch.warnings, mailed)
      assert.ok(ofBatch.warnings.every((w) => w.reference === 'fitted curve of the other batches'))
      // Its monthly counts are the batch's own failures, against what the other batches expect.
      const failuresByMonth = new Map(ofBatch.monthly.map((m) => [m.month, m.observed]))
      for (const w of ofBatch.warnings)
        assert.equal(
          w.window.reduce((sum, month) => sum + (failuresByMonth.get(month) ?? 0), 0),
          w.observed,
        )
      // A steady batch raises nothing on its own page either.
      const steady = (
        await get(`/api/v1/reports/reliability?model=model-rx&batch=B1&asOf=${AS_OF}`, staff)
      ).json<ReliabilityReport>()
      assert.deepEqual(steady.warnings, [])
      assert.equal(steady.counts.units, 2000)
    })

    test('a batch alone can be analysed', async () => {
      const report = (
        await get(`/api/v1/reports/reliability?batch=B1&asOf=${AS_OF}`, staff)
      ).json<ReliabilityReport>()
      assert.equal(report.counts.units, 2000)
      assert.ok(report.weibull)
      // The stepped batch alone, against its own history: its warnings are the batch's, not a model's.
      const stepped = (
        await get(`/api/v1/reports/reliability?batch=B2&asOf=${AS_OF}`, staff)
      ).json<ReliabilityReport>()
      assert.ok(stepped.warnings.length > 0)
      assert.deepEqual([...new Set(stepped.warnings.map((w) => `${w.scope} ${w.key}`))], ['batch B2'])
    })

    test('asks for a model or batch, refuses unknown models, and hides the report from customers', async () => {
      const none = await get('/api/v1/reports/reliability', staff)
      assert.equal(none.statusCode, 400)
      assert.equal(none.json().error.field, 'querystring.model')
      const unknown = await get('/api/v1/reports/reliability?model=nope', staff)
      assert.equal(unknown.statusCode, 404)
      assert.equal(unknown.json().error.field, 'querystring.model')
      const badTerm = await get('/api/v1/reports/reliability?model=model-rx&term=3Y', staff)
      assert.equal(badTerm.statusCode, 400)
      const ageless = await get('/api/v1/reports/reliability?model=model-rx&term=P100Y', staff)
      assert.equal(ageless.statusCode, 400)
      assert.equal(ageless.json().error.field, 'querystring.term')
      for (const [field, value] of [
        ['dealer', 'org-nobody'],
        ['policy', 'no-such-policy'],
      ] as const) {
        const nothing = await get(`/api/v1/reports/reliability?model=model-rx&${field}=${value}`, staff)
        assert.equal(nothing.statusCode, 404, `${field} naming nothing`)
        assert.equal(nothing.json().error.field, `querystring.${field}`)
        assert.match(nothing.json().error.message, new RegExp(value))
      }
      assert.equal((await get('/api/v1/reports/reliability?model=model-rx', customer)).statusCode, 403)
    })

    test("the warnings of the last month are those of this month in the sellers' latest zone, as the sweep raises them", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: parseDay('2020-01-01'), max: parseDay('2035-12-01') }),
          // The last day of a UTC month and the first of the next, where month and day differ by zone.
          fc.integer({ min: -24 * 60, max: 24 * 60 - 1 }),
          async (day, minutes) => {
            const { year, month } = civilFromDay(day)
            const monthStart = Date.UTC(year, month - 1, 1)
            now = new Date(monthStart + minutes * 60_000)
            // Shanghai is the latest zone of the shipped policies (the others are in UTC).
            const thisMonth = localDate(now, 'Asia/Shanghai').slice(0, 7)
            const before = formatDay(
              addMonths(Number(thisMonth.slice(0, 4)), Number(thisMonth.slice(5, 7)), 1, -1),
            )
            await ctx.db.deleteFrom('reliability_flags').execute()
            for (const flagMonth of [before.slice(0, 7), thisMonth])
              await ctx.db
                .insertInto('reliability_flags')
                .values({
                  id: `flag-${flagMonth}`,
                  model_id: 'model-rx',
                  scope: 'model',
                  key: 'model-rx',
                  month: flagMonth,
                  level: 'critical',
                  observed: 9,
                  expected: 2,
                  p_value: 0.001,
                  threshold: 0.01,
                  reference: 'fitted curve',
                  raised_at: now.toISOString(),
                  notified_at: null,
                })
                .execute()
            try {
              const response = await get('/api/v1/reports/reliability/warnings?months=1', staff)
              assert.equal(response.statusCode, 200, response.body)
              const months = response.json<{ items: { month: string }[] }>().items.map((i) => i.month)
              assert.deepEqual(months, [thisMonth], now.toISOString())
            } finally {
              now = new Date(`${AS_OF}T12:00:00.000Z`)
              await ctx.db.deleteFrom('reliability_flags').execute()
            }
          },
        ),
        // 14:00 UTC on 31 December: the last evening of the year in Shanghai, already 1 January in Kiritimati.
        { numRuns: 20, examples: [[parseDay('2027-01-01'), -600]] },
      )
    })
  })
}
