import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { createTestContext } from '../app/test-context.ts'
import { openTestDatabase, type TestDatabase } from '../db/test-database.ts'
import { loadPolicyLibrary, SHIPPED_POLICIES_DIR } from '../policies/load-policies.ts'
import type { AppContext } from '../shared/app-context.ts'
import { formatDay, parseDay } from '../shared/day-numbers.ts'
import { buildReliabilityReport } from './build-reliability-report.ts'
import {
  AS_OF,
  aRegistry,
  aUnit,
  boughtDaysAgo,
  seedRegistry,
  type UnitSpec,
  unitDays,
} from './generated-registry.test-support.ts'
import { type ReliabilityReport, reliabilityReportSchema } from './reliability.schemas.ts'
import { shuffled } from './warranty-arbitraries.ts'

/**
 * The whole report over generated registries (generated-registry.test-support.ts). Runs on
 * SQLite only: the properties are about the arithmetic, which both engines feed alike
 * (reliability.routes.test.ts runs both).
 */

/** The report without what names the model or times the run. */
function figures(r: ReliabilityReport) {
  return {
    ...r,
    scope: null,
    elapsedMs: 0,
    warnings: r.warnings.map((w) => ({ ...w, key: w.scope === 'model' ? 'model' : w.key })),
  }
}

describe('the reliability report over generated registries (properties)', () => {
  let database: TestDatabase
  let ctx: AppContext

  before(async () => {
    database = await openTestDatabase('sqlite')
    ctx = createTestContext(database, { now: () => new Date(`${AS_OF}T12:00:00.000Z`) })
  })
  after(async () => {
    await database?.dispose()
  })

  test('every figure is a finite number; each unit counted once; failures never above the units at risk', async () => {
    await fc.assert(
      fc.asyncProperty(aRegistry, fc.constantFrom(null, 'P18M', 'P5Y'), async (units, warrantyTerm) => {
        const modelId = await seedRegistry(ctx, units, { warrantyTerm })
        const report = await buildReliabilityReport(ctx, { model: modelId, asOf: AS_OF, term: 'P3Y' })
        // What the API answers: the response schema refuses NaN and ±Infinity.
        const parsed = reliabilityReportSchema.safeParse(report)
        assert.ok(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3)))
        const { counts } = report
        // A unit started by the as-of day is counted, or left out and counted as without a start;
        // only ToupTek's units delivered on the as-of day itself, or shipped that day and not yet
        // known delivered, start after it (the day after).
        const startingTomorrow = units.filter(
          (u) => u.policy === 'touptek' && u.daysAgo === 0 && u.shipDelay !== null,
        ).length
        assert.equal(counts.units + counts.unitsWithoutStart + startingTomorrow, units.length)
        const unitsWithFailure = units.filter((u) =>
          u.claims.some((c) => c.kind === 'malfunction' && c.confirmed),
        )
        assert.ok(counts.failures <= unitsWithFailure.length, `${counts.failures} failures`)
        // Every claim opened by the as-of day is a first failure or said not to count; none later is either.
        const claimsByAsOf = units.flatMap((u) => u.claims.filter((c) => c.day <= boughtDaysAgo(u))).length
        assert.equal(counts.failures + counts.claimsExcluded, claimsByAsOf)
        // Every started unit is at risk from the first month in service, once.
        if (report.perThousandByMonth[0]) assert.equal(report.perThousandByMonth[0].atRisk, counts.units)
        for (const p of report.survival) assert.ok(p.atRisk <= counts.units && p.failures <= p.atRisk)
        for (const row of report.nevada.rows) {
          const failed = Object.values(row.failures).reduce((s, n) => s + n, 0)
          assert.ok(failed <= row.units, `${failed} failures of ${row.units} units started ${row.period}`)
        }
        if (report.forecast) {
          const f = report.forecast
          // The same rows, each chance within 12 months no larger than until the term ends: exact.
          assert.ok(f.next12Months.estimate <= f.reserve.estimate)
          assert.ok(f.reserve.upper <= f.unitsUnderWarranty)
        }
        for (const w of report.warnings) {
          assert.ok(w.key.length > 0 && w.observed > w.expected && w.pValue < w.threshold, JSON.stringify(w))
          // A flag names what it is about: the model, or a batch of it.
          if (w.scope === 'model') assert.equal(w.key, modelId)
          else
            assert.ok(
              units.some((u) => u.batch === w.key),
              w.key,
            )
        }
      }),
      { numRuns: 40 },
    )
  })

  test('the order the registry holds units and claims in changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(aRegistry, fc.integer(), async (units, seed) => {
        const a = await buildReliabilityReport(ctx, { model: await seedRegistry(ctx, units), asOf: AS_OF })
        const b = await buildReliabilityReport(ctx, {
          model: await seedRegistry(ctx, shuffled(units, seed), { orderSeed: seed }),
          asOf: AS_OF,
        })
        assert.deepEqual(figures(b), figures(a))
      }),
      { numRuns: 15 },
    )
  })

  test('every unit and claim twice: the same curve, fit and rates', async () => {
    await fc.assert(
      fc.asyncProperty(aRegistry, async (units) => {
        const once = await buildReliabilityReport(ctx, { model: await seedRegistry(ctx, units), asOf: AS_OF })
        const twice = await buildReliabilityReport(ctx, {
          model: await seedRegistry(ctx, units, { copies: 2 }),
          asOf: AS_OF,
        })
        assert.equal(twice.counts.units, 2 * once.counts.units)
        assert.equal(twice.counts.failures, 2 * once.counts.failures)
        assert.deepEqual(
          twice.survival.map((p) => [p.age, p.survival]),
          once.survival.map((p) => [p.age, p.survival]),
        )
        assert.deepEqual(
          twice.perThousandByMonth.map((r) => r.perThousand),
          once.perThousandByMonth.map((r) => r.perThousand),
        )
        assert.equal(twice.weibull === null, once.weibull === null)
        if (once.weibull && twice.weibull) {
          // As in life-fit.property.test.ts: two damped runs may take other steps to the same
          // maximum; they agree to about 1e-14, and 1e-9 is far below three figures.
          const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b))
          assert.ok(
            near(once.weibull.shape, twice.weibull.shape),
            `${once.weibull.shape} ${twice.weibull.shape}`,
          )
          assert.ok(near(once.weibull.scale, twice.weibull.scale))
        }
      }),
      { numRuns: 15 },
    )
  })
})

describe('the age origin of a unit (property)', () => {
  let database: TestDatabase
  let ctx: AppContext

  before(async () => {
    database = await openTestDatabase('sqlite')
    // ToupTek with its activation clause serving dealers' units too (a clause the channel
    // decides, a condition with a choice in it) and its warranty clause cameras only: a
    // mount sold directly has no warranty against malfunctions.
    const own = path.join(database.dataDir, 'policies')
    fs.mkdirSync(own)
    fs.writeFileSync(
      path.join(own, 'touptek-dealers.v1.yaml'),
      fs
        .readFileSync(path.join(SHIPPED_POLICIES_DIR, 'touptek.v1.yaml'), 'utf8')
        .replace(/^id: touptek$/m, 'id: touptek-dealers')
        .replace(
          'when: { categories: [astro-box] }',
          'when: { anyOf: [{ categories: [astro-box] }, { channel: dealer }] }',
        )
        .replace(
          'start: day-after-delivery\n    fallback: [purchase]',
          '$&\n    when: { categories: [camera] }',
        ),
    )
    ctx = createTestContext(database, {
      now: () => new Date(`${AS_OF}T12:00:00.000Z`),
      policies: loadPolicyLibrary([SHIPPED_POLICIES_DIR, own]),
    })
  })
  after(async () => {
    await database?.dispose()
  })

  const aPlacedUnit = fc.record({
    unit: aUnit,
    // Not the retailer's: it has no warranty the engine could start, and the report reads
    // such a policy from delivery.
    policy: fc.constantFrom('touptek', 'touptek-dealers', 'player-one', 'shenzhen-service'),
    category: fc.constantFrom('camera', 'astro-box', 'mount'),
    channel: fc.constantFrom('direct' as const, 'dealer' as const),
    activatedAfter: fc.option(fc.integer({ min: 0, max: 400 })),
    /** Where in its warranty, as a share of the days it has run, the unit fails. */
    at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  })

  test("a unit is aged from the day the policy engine's coverage starts its warranty", async () => {
    await fc.assert(
      fc.asyncProperty(aPlacedUnit, async ({ unit, policy, category, channel, activatedAfter, at }) => {
        const spec: UnitSpec = { ...unit, policy, channel, activatedAfter, claims: [] }
        const days = unitDays(spec)
        const on = (day: number | null) => (day === null ? undefined : formatDay(day))
        // Every shipped condition on coverage asks only what the registry knows of a unit, so
        // the engine's start for a malfunction claim is the one the report must use.
        const { warranty } = ctx.policies.decide({
          policy,
          claimedOn: AS_OF,
          product: { part: 'host', category },
          purchase: {
            channel,
            brand: 'own',
            shippedBy: 'vendor',
            purchasedOn: formatDay(days.purchased),
            shippedOn: on(days.shipped),
            deliveredOn: on(days.delivered),
            activatedOn: on(days.activated),
            proofOfPurchase: true,
            warrantyCard: true,
            secondHand: false,
          },
          problem: { kind: 'malfunction', packagingDamaged: false, urgentFreight: false },
          evidence: [],
        })
        if (warranty === null) {
          const report = await buildReliabilityReport(ctx, {
            model: await seedRegistry(ctx, [spec], { category }),
            asOf: AS_OF,
          })
          assert.equal(report.counts.unitsWithoutStart, 1)
          return
        }
        const start = parseDay(warranty.starts)
        // Two days short of the end: the report counts a term in days of an average year.
        const last = Math.min(parseDay(warranty.ends) - 2, parseDay(AS_OF))
        fc.pre(start <= last)
        const failedOn = start + Math.floor(at * (last - start + 1))
        const claim = {
          day: failedOn - days.purchased,
          kind: 'malfunction' as const,
          confirmed: true,
          costMinor: 0,
        }
        const report = await buildReliabilityReport(ctx, {
          model: await seedRegistry(ctx, [{ ...spec, claims: [claim] }], { category }),
          asOf: AS_OF,
        })
        assert.equal(report.counts.units, 1)
        assert.deepEqual(
          report.survival.map((p) => [p.age, p.failures]),
          [[failedOn - start + 0.5, 1]],
        )
      }),
      { numRuns: 60 },
    )
  })
})
