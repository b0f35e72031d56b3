import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { createTestContext } from '../app/test-context.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { loadPolicyLibrary, SHIPPED_POLICIES_DIR } from '../policies/load-policies.ts'
import type { AppContext } from '../shared/app-context.ts'
import { addDays } from '../shared/day-numbers.ts'
import { isAppError } from '../shared/errors.ts'
import { nearLocalMidnight, ZONES_AWAY_FROM_UTC } from '../shared/near-local-midnight.test-support.ts'
import { buildReliabilityReport, MIN_REFERENCE_FAILURES } from './build-reliability-report.ts'
import { AS_OF, seedRegistry, type UnitSpec } from './generated-registry.test-support.ts'
import { reliabilityReportSchema } from './reliability.schemas.ts'

/** Units delivered on the day they were bought and shipped, `daysAgo` before the as-of day. */
const delivered = (
  policy: UnitSpec['policy'],
  daysAgo: number,
  claims: UnitSpec['claims'] = [],
): UnitSpec => ({
  policy,
  batch: null,
  daysAgo,
  shipDelay: 0,
  transit: 0,
  claims,
})
/** The id of ToupTek's policy written in a zone. */
const zoneOwnPolicy = (zone: string) => `touptek-${zone.replace(/[/_]/g, '-').toLowerCase()}`
const failsOn = (day: number) => [{ day, kind: 'malfunction' as const, confirmed: true, costMinor: 0 }]

for (const engine of testEngines()) {
  describe(`the reliability report's start events and references (${engine})`, () => {
    let database: TestDatabase
    let ctx: AppContext
    let now = new Date(`${AS_OF}T12:00:00.000Z`)

    before(async () => {
      database = await openTestDatabase(engine)
      // A seller's own policy whose standard coverage starts the day after delivery and falls
      // back to the purchase (ToupTek's second clause, made its first).
      const own = path.join(database.dataDir, 'policies')
      fs.mkdirSync(own)
      fs.writeFileSync(
        path.join(own, 'day-after.v1.yaml'),
        fs
          .readFileSync(path.join(SHIPPED_POLICIES_DIR, 'touptek.v1.yaml'), 'utf8')
          .replace(/^id: touptek$/m, 'id: day-after')
          .replace(
            'start: activation\n    fallback: [day-after-delivery, purchase]',
            'start: day-after-delivery\n    fallback: [purchase]',
          ),
      )
      // ToupTek's policy as if written in each zone, so a claim's day can be told in each.
      const touptek = fs.readFileSync(path.join(SHIPPED_POLICIES_DIR, 'touptek.v1.yaml'), 'utf8')
      for (const zone of ZONES_AWAY_FROM_UTC)
        fs.writeFileSync(
          path.join(own, `${zoneOwnPolicy(zone)}.v1.yaml`),
          touptek
            .replace(/^id: touptek$/m, `id: ${zoneOwnPolicy(zone)}`)
            .replace(/^timeZone: .*$/m, `timeZone: ${zone}`),
        )
      ctx = createTestContext(database, {
        now: () => now,
        policies: loadPolicyLibrary([SHIPPED_POLICIES_DIR, own]),
      })
    })
    after(async () => {
      await database?.dispose()
    })

    test('a unit measured from its fallback date is counted once, failed or not', async () => {
      // The day after delivery, else the purchase. Without a delivery date the purchase is
      // the start itself, not the day after it: the cohort read that day plus one and the
      // failure the day itself, so the failed unit stayed among the working ones too.
      const units: UnitSpec[] = [
        { ...delivered('day-after', 200, failsOn(30)), shipDelay: null, transit: null },
        { ...delivered('day-after', 200), shipDelay: null, transit: null },
        { ...delivered('day-after', 200), shipDelay: null, transit: null },
      ]
      const report = await buildReliabilityReport(ctx, { model: await seedRegistry(ctx, units), asOf: AS_OF })
      assert.equal(report.counts.units, 3)
      assert.equal(report.counts.failures, 1)
      assert.equal(report.perThousandByMonth[0]?.atRisk, 3)
      assert.deepEqual(
        report.survival.map((p) => [p.age, p.atRisk, p.failures]),
        [[30.5, 3, 1]],
      )
    })

    test('the day after delivery starts the warranty also when it is a fallback', async () => {
      // ToupTek's AstroStation clause starts at activation and falls back to the day after
      // delivery: a failure claimed ten days after delivery is 9½ days into the warranty.
      const units = [delivered('touptek', 300, failsOn(10)), delivered('touptek', 300)]
      const report = await buildReliabilityReport(ctx, {
        model: await seedRegistry(ctx, units, { category: 'astro-box' }),
        asOf: AS_OF,
      })
      assert.deepEqual(
        report.survival.map((p) => [p.age, p.atRisk]),
        [[9.5, 2]],
      )
    })

    test('ToupTek ages a camera from the day after delivery and an AstroStation from its activation', async () => {
      // Both delivered 400 days ago, activated 100 days later, failing 150 days after delivery.
      // The activation clause comes first but serves astro boxes only; a camera falls to the
      // warranty clause, activated or not.
      const unit = { ...delivered('touptek', 400, failsOn(150)), activatedAfter: 100 }
      const camera = await buildReliabilityReport(ctx, {
        model: await seedRegistry(ctx, [unit]),
        asOf: AS_OF,
      })
      const astroStation = await buildReliabilityReport(ctx, {
        model: await seedRegistry(ctx, [unit], { category: 'astro-box' }),
        asOf: AS_OF,
      })
      assert.deepEqual(
        camera.survival.map((p) => [p.age, p.atRisk, p.failures]),
        [[149.5, 1, 1]],
      )
      assert.deepEqual(
        astroStation.survival.map((p) => [p.age, p.atRisk, p.failures]),
        [[50.5, 1, 1]],
      )
    })

    test('each claim opened by the as-of day is a first failure or counted as not counted; later ones are not there yet', async () => {
      // Player One: two years from delivery. Report as of 30 June 2025.
      const asOf = '2025-06-30'
      const back = 184 // days from 30 June to 31 December 2025
      const units: UnitSpec[] = [
        // A failure 800 days into a two-year warranty: past the term, said not to count.
        delivered('player-one', back + 1000, failsOn(800)),
        // A failure inside the window: the one first failure.
        delivered('player-one', back + 300, failsOn(100)),
        // No fault found, transport damage, then a failure, all claimed after the as-of day: none is there yet.
        delivered('player-one', back + 10, [
          { day: 20, kind: 'malfunction', confirmed: false, costMinor: 0 },
          { day: 25, kind: 'arrived-damaged', confirmed: true, costMinor: 0 },
          ...failsOn(30),
        ]),
      ]
      const report = await buildReliabilityReport(ctx, { model: await seedRegistry(ctx, units), asOf })
      assert.equal(report.counts.failures, 1)
      assert.equal(report.counts.claimsExcluded, 1)
    })

    test('a failure claimed before the warranty starts does not hide the unit’s first failure inside it', async () => {
      // Player One ages a unit from its delivery, a week after the purchase. A fault reported
      // on day 3, before the parcel arrived, is outside the curve; the failure on day 100 is
      // the unit's first inside its warranty, 93 days after the delivery.
      const units: UnitSpec[] = [
        {
          policy: 'player-one',
          batch: null,
          daysAgo: 400,
          shipDelay: 2,
          transit: 5,
          claims: [...failsOn(3), ...failsOn(100)],
        },
        ...Array.from({ length: 5 }, () => delivered('player-one', 400)),
      ]
      const report = await buildReliabilityReport(ctx, { model: await seedRegistry(ctx, units), asOf: AS_OF })
      assert.equal(report.counts.failures, 1)
      assert.equal(report.counts.claimsExcluded, 1)
      assert.deepEqual(
        report.survival.map((p) => [p.age, p.failures]),
        [[93.5, 1]],
      )
    })

    test('the cost of a claim past the term is no part of the cost a warranty claim is forecast at', async () => {
      // Player One: two years from delivery. Twelve failures inside it at 100.00 each, and one
      // 800 days in, out of warranty, at 5,000.00: a claim to come costs 100.00.
      const inside = Array.from({ length: 12 }, (_, i) =>
        delivered('player-one', 900, [
          { day: 20 + 40 * i, kind: 'malfunction', confirmed: true, costMinor: 10_000 },
        ]),
      )
      const units: UnitSpec[] = [
        ...inside,
        delivered('player-one', 900, [
          { day: 800, kind: 'malfunction', confirmed: true, costMinor: 500_000 },
        ]),
        ...Array.from({ length: 40 }, () => delivered('player-one', 200)),
      ]
      const report = await buildReliabilityReport(ctx, { model: await seedRegistry(ctx, units), asOf: AS_OF })
      assert.equal(report.counts.failures, 12)
      assert.deepEqual(
        report.forecast?.costs.map((c) => [c.currency, c.claimsWithCost, c.perClaim]),
        [['USD', 12, 10_000]],
      )
    })

    test('what customers paid is told apart from the cost the maker, seller and dealers bore', async () => {
      // Twelve failures: 100.00 of parts on the seller and 30.00 of labour the customer paid.
      const units: UnitSpec[] = [
        ...Array.from({ length: 12 }, (_, i) =>
          delivered('player-one', 900, [
            {
              day: 20 + 40 * i,
              kind: 'malfunction',
              confirmed: true,
              costMinor: 10_000,
              customerPaidMinor: 3_000,
            },
          ]),
        ),
        ...Array.from({ length: 40 }, () => delivered('player-one', 200)),
      ]
      const report = await buildReliabilityReport(ctx, { model: await seedRegistry(ctx, units), asOf: AS_OF })
      assert.ok(report.forecast)
      const [usd] = report.forecast.costs
      // The total keeps its meaning: everything the claims cost, whoever paid.
      assert.deepEqual(
        [usd?.perClaim, usd?.perClaimBorne, usd?.perClaimCustomerPaid],
        [13_000, 10_000, 3_000],
      )
      for (const forecast of [report.forecast.cost12Months, report.forecast.reserveCost]) {
        const [money] = forecast
        assert.ok(money)
        const claims = money.estimate / 13_000
        assert.ok(Math.abs(money.borne.estimate - Math.round(claims * 10_000)) <= 1)
        assert.ok(Math.abs(money.customerPaid.estimate - Math.round(claims * 3_000)) <= 1)
        assert.ok(money.borne.lower <= money.borne.estimate && money.borne.estimate <= money.borne.upper)
      }
    })

    test('a claim is of the day it was opened on in its policy’s zone, for the cut-off and the age alike', async () => {
      // The claim's day stands for its first contact: near midnight its UTC date is another day.
      const reportWithClaimAt = async (policy: string, at: string, asOf: string) => {
        const model = await seedRegistry(ctx, [delivered(policy, 400, failsOn(300)), delivered(policy, 400)])
        await ctx.db.updateTable('claims').set({ opened_at: at }).where('model', '=', model).execute()
        return buildReliabilityReport(ctx, { model, asOf })
      }
      const figures = (r: Awaited<ReturnType<typeof buildReliabilityReport>>) => ({
        failures: r.counts.failures,
        survival: r.survival.map((p) => [p.age, p.atRisk, p.failures]),
      })
      await fc.assert(
        fc.asyncProperty(
          nearLocalMidnight({ from: addDays(AS_OF, -100), to: AS_OF }),
          async ({ timeZone, at, localDay }) => {
            const policy = zoneOwnPolicy(timeZone)
            const nearMidnight = await reportWithClaimAt(policy, at.toISOString(), localDay)
            // Noon UTC is the same day in each of the zones.
            const atNoon = await reportWithClaimAt(policy, `${localDay}T12:00:00.000Z`, localDay)
            assert.equal(atNoon.counts.failures, 1)
            assert.deepEqual(figures(nearMidnight), figures(atNoon), `${at.toISOString()} in ${timeZone}`)
          },
        ),
        { numRuns: 12 },
      )
    })

    test('a report without its day is as of today wherever it is latest: a claim opened anywhere is in it at once', async () => {
      await fc.assert(
        fc.asyncProperty(
          nearLocalMidnight({ from: addDays(AS_OF, -100), to: AS_OF }),
          async ({ timeZone, at }) => {
            const model = await seedRegistry(ctx, [delivered(zoneOwnPolicy(timeZone), 400, failsOn(300))])
            await ctx.db
              .updateTable('claims')
              .set({ opened_at: at.toISOString() })
              .where('model', '=', model)
              .execute()
            now = at
            try {
              const report = await buildReliabilityReport(ctx, { model })
              assert.equal(report.counts.failures, 1, `${at.toISOString()} in ${timeZone}`)
            } finally {
              now = new Date(`${AS_OF}T12:00:00.000Z`)
            }
          },
        ),
        { numRuns: 12 },
      )
    })

    test("a report without its day is as of today in the seller's zone, never a day still to come there", async () => {
      await fc.assert(
        fc.asyncProperty(
          nearLocalMidnight({ from: addDays(AS_OF, -100), to: AS_OF }),
          async ({ timeZone, at, localDay }) => {
            const model = await seedRegistry(ctx, [delivered(zoneOwnPolicy(timeZone), 400)])
            now = at
            try {
              const report = await buildReliabilityReport(ctx, { model })
              assert.equal(report.scope.asOf, localDay, `${at.toISOString()} in ${timeZone}`)
            } finally {
              now = new Date(`${AS_OF}T12:00:00.000Z`)
            }
          },
        ),
        { numRuns: 12 },
      )
      // 12:45 UTC on 5 December is the evening of the 5th in Shanghai, already the 6th in Kiritimati.
      const model = await seedRegistry(ctx, [delivered(zoneOwnPolicy('Asia/Shanghai'), 400)])
      now = new Date('2026-12-05T12:45:00.000Z')
      try {
        assert.equal((await buildReliabilityReport(ctx, { model })).scope.asOf, '2026-12-05')
      } finally {
        now = new Date(`${AS_OF}T12:00:00.000Z`)
      }
    })

    test('of two failures a unit claimed at the same instant, the first is the same whatever order they are read in', async () => {
      const twin = [
        { day: 40, kind: 'malfunction' as const, confirmed: true, costMinor: 1_000 },
        { day: 40, kind: 'malfunction' as const, confirmed: true, costMinor: 12_345 },
      ]
      // Other failures enough for a fit, so the report forecasts cost; they carry none.
      const units = [
        delivered('player-one', 300, twin),
        ...[10, 20, 30, 50].map((d) => delivered('player-one', 300, failsOn(d))),
      ]
      // Written in one order and then the other (a seed that swaps two rows, and one that does not).
      const perClaim = []
      for (const orderSeed of [1, 2, 3, 4]) {
        const report = await buildReliabilityReport(ctx, {
          model: await seedRegistry(ctx, units, { orderSeed }),
          asOf: AS_OF,
        })
        perClaim.push(report.forecast?.costs[0]?.perClaim ?? report.counts.failures)
      }
      assert.deepEqual(perClaim, [1_000, 1_000, 1_000, 1_000])
    })

    test('a dealer sale the dealer has not confirmed counts as the seller’s own, not under the dealer', async () => {
      const dealer = 'org-reliability-dealer'
      await ctx.db
        .insertInto('organisations')
        .values({
          id: dealer,
          kind: 'dealer',
          name: 'Reliability Dealer',
          name_key: 'reliabilitydealer',
          country: 'DE',
          email: 'dealer@reliability.example',
          phone: null,
          service_address: null,
          default_policy_id: null,
          agent_org_id: null,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
        })
        .execute()
      const confirmed = { orgId: dealer, confirmed: true }
      const pending = { orgId: dealer, confirmed: false }
      const units: UnitSpec[] = [
        { ...delivered('touptek', 300, failsOn(20)), dealer: confirmed },
        { ...delivered('touptek', 300), dealer: confirmed },
        { ...delivered('touptek', 300, failsOn(40)), dealer: pending },
        { ...delivered('touptek', 300, failsOn(60)), dealer: pending },
        { ...delivered('touptek', 300), dealer: pending },
      ]
      const model = await seedRegistry(ctx, units)
      const ofDealer = await buildReliabilityReport(ctx, { model, dealer, asOf: AS_OF })
      assert.equal(ofDealer.counts.units, 2)
      assert.equal(ofDealer.counts.failures, 1)
      assert.deepEqual(
        ofDealer.survival.map((p) => [p.age, p.failures]),
        [[19.5, 1]],
      )
      const whole = await buildReliabilityReport(ctx, { model, asOf: AS_OF })
      assert.equal(whole.counts.units, 5)
      assert.equal(whole.counts.failures, 3)
    })

    test('a curve resting on fewer failures than MIN_REFERENCE_FAILURES judges nobody', async () => {
      // Two failures on consecutive days about 1,000 days old give a Weibull shape near 2,400:
      // it would call one more failure critical or none ever. No reference, so no warning.
      const oldStart = 376 + 1000 // 1,000 days before 20 December 2024
      const units: UnitSpec[] = [
        delivered('shenzhen-service', oldStart, failsOn(1000)),
        delivered('shenzhen-service', oldStart, failsOn(1001)),
        ...Array.from({ length: 20 }, () => delivered('shenzhen-service', 365 + 980)),
      ]
      const modelId = await seedRegistry(ctx, units, { warrantyTerm: 'P5Y' })
      const report = await buildReliabilityReport(ctx, { model: modelId, asOf: AS_OF })
      const parsed = reliabilityReportSchema.safeParse(report)
      assert.ok(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 2)))
      assert.deepEqual(report.warnings, [])
      assert.deepEqual(report.monthly, [])
    })

    test('a reference curve too steep for the ages reached is not used: every figure stays finite', async () => {
      // Enough failures to be a reference, all on two consecutive days about 1,000 days old,
      // before the watched year, and twenty units 980 days old: the history's Weibull shape is
      // in the thousands, and its cumulative hazard overflows when those twenty pass 1,000 days.
      const oldStart = 376 + 1000 // 1,000 days before 20 December 2024
      const failing = MIN_REFERENCE_FAILURES + 2
      const units: UnitSpec[] = [
        ...Array.from({ length: failing }, (_, i) =>
          delivered('shenzhen-service', oldStart, failsOn(1000 + (i % 2))),
        ),
        ...Array.from({ length: 20 }, () => delivered('shenzhen-service', 365 + 980)),
      ]
      const modelId = await seedRegistry(ctx, units, { warrantyTerm: 'P5Y' })
      const report = await buildReliabilityReport(ctx, { model: modelId, asOf: AS_OF })
      const parsed = reliabilityReportSchema.safeParse(report)
      assert.ok(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 2)))
      assert.ok(report.monthly.every((m) => Number.isFinite(m.expected)))
      assert.ok(report.warnings.every((w) => w.reference === 'fitted curve of all data'))
    })

    test('an as-of day after the seller’s today is refused naming asOf: no unit has reached the ages it would be censored at', async () => {
      const model = await seedRegistry(ctx, [
        delivered('player-one', 100, failsOn(40)),
        delivered('player-one', 100),
      ])
      await assert.rejects(
        buildReliabilityReport(ctx, { model, asOf: addDays(AS_OF, 2) }),
        (e: unknown) => isAppError(e) && e.code === 'validation' && e.field === 'asOf',
      )
      // Today itself is a day the seller has reached.
      const today = await buildReliabilityReport(ctx, { model, asOf: AS_OF })
      assert.equal(today.counts.units, 2)
    })

    test('a model is found by its name as the imports match it: underscores and aliases too', async () => {
      const model = await seedRegistry(ctx, [delivered('player-one', 10)])
      const { name } = await ctx.db
        .selectFrom('product_models')
        .select('name')
        .where('id', '=', model)
        .executeTakeFirstOrThrow()
      await ctx.db
        .insertInto('model_aliases')
        .values({
          model_id: model,
          alias_key: `${model}old`.replace(/-/g, ''),
          created_at: `${AS_OF}T00:00:00.000Z`,
        })
        .execute()
      const byUnderscores = await buildReliabilityReport(ctx, { model: name.replace(/ /g, '_'), asOf: AS_OF })
      assert.equal(byUnderscores.scope.model?.id, model)
      const byAlias = await buildReliabilityReport(ctx, { model: `${model.toUpperCase()} OLD`, asOf: AS_OF })
      assert.equal(byAlias.scope.model?.id, model)
    })

    test('claims costed in two currencies: each currency forecasts the share of claims paid in it', async () => {
      // Twelve units failing at distinct ages, half of the repairs paid in euros and half in
      // dollars, 100.00 each: a claim to come costs 50.00 of each on average, not 100.00 of both.
      const units = Array.from({ length: 12 }, (_, i) => delivered('player-one', 600, failsOn(20 + 30 * i)))
      const model = await seedRegistry(ctx, [
        ...units,
        ...Array.from({ length: 40 }, () => delivered('player-one', 300)),
      ])
      const lines = await ctx.db
        .selectFrom('claim_cost_lines')
        .innerJoin('claims', 'claims.id', 'claim_cost_lines.claim_id')
        .select('claim_cost_lines.id as id')
        .where('claims.model', '=', model)
        .orderBy('claim_cost_lines.id')
        .execute()
      assert.equal(lines.length, 0)
      const claims = await ctx.db
        .selectFrom('claims')
        .select('id')
        .where('model', '=', model)
        .orderBy('id')
        .execute()
      await ctx.db
        .insertInto('claim_cost_lines')
        .values(
          claims.map((c, i) => ({
            id: `${c.id}-cost`,
            claim_id: c.id,
            quote_id: null,
            kind: 'parts',
            description: 'board',
            quantity: 1,
            unit_price_minor: 10_000,
            currency: i % 2 === 0 ? 'EUR' : 'USD',
            payer: 'vendor',
            created_at: `${AS_OF}T00:00:00.000Z`,
          })) as never,
        )
        .execute()
      const report = await buildReliabilityReport(ctx, { model, asOf: AS_OF })
      const f = report.forecast
      assert.ok(f)
      assert.deepEqual(
        f.costs.map((c) => [c.currency, c.perClaim]),
        [
          ['EUR', 5_000],
          ['USD', 5_000],
        ],
      )
      for (const c of f.cost12Months)
        assert.equal(c.estimate, Math.round(f.next12Months.estimate * 5_000), c.currency)
    })
  })
}
