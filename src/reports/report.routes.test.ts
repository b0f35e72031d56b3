import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { createTestContext } from '../app/test-context.ts'
import { SYSTEM_ACTOR } from '../auth/actor.ts'
import { createTestUser } from '../auth/test-support.ts'
import { insertCostLines } from '../claims/claim.store.ts'
import { openClaim } from '../claims/open-claim.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { buildApp } from '../http/app.ts'
import type { HttpApp } from '../http/types.ts'
import { seedDemoRegistry } from '../registry/demo-seed.ts'
import type { AppContext } from '../shared/app-context.ts'
import type {
  ClaimRatesReport,
  ClaimsPerMonthReport,
  DecisionMixReport,
  FailureModesReport,
  OpenCasesReport,
  SimulationResult,
  WarrantyCostReport,
} from './report.schemas.ts'

const TODAY = new Date('2025-06-15T10:00:00.000Z')

interface Seeded {
  claimIds: string[]
  touptekClaims: number
  /** Claims opened in each month, `YYYY-MM` → count. */
  perMonth: Map<string, number>
}

/** Opens claims on demo units through the claims feature's own intake, spread over three months. */
async function seedClaimsOverThreeMonths(ctx: AppContext, count: number): Promise<Seeded> {
  const { serials } = await seedDemoRegistry(ctx)
  const touptekSerials = new Set(
    (await ctx.db.selectFrom('units').select('serial').where('policy_id', '=', 'touptek').execute()).map(
      (u) => u.serial,
    ),
  )
  const months = ['2025-04-10T09:00:00.000Z', '2025-05-10T09:00:00.000Z', '2025-06-10T09:00:00.000Z']
  const seeded: Seeded = { claimIds: [], touptekClaims: 0, perMonth: new Map() }
  // Every other claim on a ToupTek unit, so the simulation has a policy with history.
  const touptekFirst = [...touptekSerials]
  const others = serials.filter((s) => !touptekSerials.has(s))
  for (let i = 0; i < count; i++) {
    const serial = i % 2 === 0 ? touptekFirst[i / 2] : others[(i - 1) / 2]
    assert.ok(serial, 'the demo registry has enough units')
    const at = new Date(months[i % months.length]!)
    const { claim } = await openClaim({ ...ctx, policies: ctx.policies, now: () => at }, SYSTEM_ACTOR, {
      serial,
      problem: {
        kind: i % 4 === 3 ? 'arrived-damaged' : 'malfunction',
        packagingDamaged: false,
        urgentFreight: false,
        description: 'The cooler does not start',
      },
      evidence: ['defect-media'],
      claimedOn: at.toISOString().slice(0, 10),
    })
    seeded.claimIds.push(claim.id)
    if (touptekSerials.has(serial)) seeded.touptekClaims += 1
    const month = at.toISOString().slice(0, 7)
    seeded.perMonth.set(month, (seeded.perMonth.get(month) ?? 0) + 1)
  }
  return seeded
}

for (const engine of testEngines()) {
  describe(`reports on ${engine}`, () => {
    let database: TestDatabase
    let ctx: AppContext
    let app: HttpApp
    let seeded: Seeded
    let staff: Record<string, string>
    let manager: Record<string, string>
    let customer: Record<string, string>
    let dealer: Record<string, string>

    before(async () => {
      database = await openTestDatabase(engine)
      ctx = createTestContext(database, { now: () => TODAY })
      app = await buildApp(ctx)
      seeded = await seedClaimsOverThreeMonths(ctx, 24)
      staff = (await createTestUser(ctx.db, { role: 'support' })).headers
      manager = (await createTestUser(ctx.db, { role: 'manager' })).headers
      customer = (await createTestUser(ctx.db, { role: 'customer' })).headers
      dealer = (await createTestUser(ctx.db, { role: 'dealer' })).headers
    })
    after(async () => {
      await app?.close()
      await database?.dispose()
    })

    const get = (url: string, headers: Record<string, string>) => app.inject({ method: 'GET', url, headers })

    test('claim rates by model count every claim against the units sold', async () => {
      const response = await get('/api/v1/reports/claim-rates?groupBy=model', staff)
      assert.equal(response.statusCode, 200, response.body)
      const report = response.json<ClaimRatesReport>()
      assert.equal(report.totals.claims, seeded.claimIds.length)
      const units = await ctx.db
        .selectFrom('units')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      assert.equal(report.totals.unitsSold, Number(units.n))
      const models = await ctx.db.selectFrom('product_models').select(['id', 'name']).execute()
      const first = report.keys[0]
      assert.equal(report.labels[0], models.find((m) => m.id === first)?.name)
      const claims = report.series.find((s) => s.name === 'claims')?.data ?? []
      assert.equal(
        claims.reduce<number>((sum, n) => sum + (n ?? 0), 0),
        seeded.claimIds.length,
      )
    })

    test('claim rates by dealer and batch, narrowed to one policy', async () => {
      const byDealer = (
        await get('/api/v1/reports/claim-rates?groupBy=dealer&policy=touptek', staff)
      ).json<ClaimRatesReport>()
      assert.equal(byDealer.totals.claims, seeded.touptekClaims)
      const byBatch = (await get('/api/v1/reports/claim-rates?groupBy=batch', staff)).json<ClaimRatesReport>()
      assert.ok(
        byBatch.keys.every((k) => /^B\d{4}$/.test(k)),
        byBatch.keys.join(),
      )
    })

    test('claims per month follow the creation dates and the range', async () => {
      const all = (await get('/api/v1/reports/claims-per-month', staff)).json<ClaimsPerMonthReport>()
      assert.deepEqual(all.labels, ['2025-04', '2025-05', '2025-06'])
      assert.deepEqual(
        all.series[0]?.data,
        ['2025-04', '2025-05', '2025-06'].map((m) => seeded.perMonth.get(m)),
      )
      const may = (
        await get('/api/v1/reports/claims-per-month?from=2025-05-01&to=2025-05-31', staff)
      ).json<ClaimsPerMonthReport>()
      assert.deepEqual(may.labels, ['2025-05'])
      assert.equal(may.total, seeded.perMonth.get('2025-05'))
    })

    test('open cases by state count every claim still open', async () => {
      const report = (await get('/api/v1/reports/open-cases', staff)).json<OpenCasesReport>()
      assert.equal(report.total, seeded.claimIds.length)
      assert.equal(report.labels[0], 'new')
      assert.ok(!report.labels.includes('closed'))
    })

    test('failure modes count the problem kinds reported', async () => {
      const report = (
        await get('/api/v1/reports/failure-modes?groupBy=model', staff)
      ).json<FailureModesReport>()
      const total = (mode: string) => report.modes.find((m) => m.mode === mode)?.total
      assert.equal(total('arrived-damaged'), seeded.claimIds.length / 4)
      assert.equal(total('malfunction'), (seeded.claimIds.length * 3) / 4)
    })

    test('decision mix covers the latest decision of every claim', async () => {
      const report = (await get('/api/v1/reports/decision-mix', staff)).json<DecisionMixReport>()
      assert.equal(report.decisions, seeded.claimIds.length)
      const [covered = 0, notCovered = 0] = report.coverage.series[0]?.data ?? []
      assert.equal((covered ?? 0) + (notCovered ?? 0), seeded.claimIds.length)
      const bases = report.basis.series[0]?.data.reduce<number>((s, n) => s + (n ?? 0), 0)
      assert.equal(bases, seeded.claimIds.length)
    })

    test('cost of warranty sums cost lines per currency, payer and kind, and counts only what the seller, dealers and maker bore', async () => {
      const [first, second, third] = seeded.claimIds
      const line = (
        claimId: string,
        kind: string,
        price: number,
        payer: string,
        currency = 'USD',
        quoteId: string | null = null,
      ) => ({
        id: crypto.randomUUID(),
        claim_id: claimId,
        quote_id: quoteId,
        kind,
        description: kind,
        quantity: 2,
        unit_price_minor: price,
        currency,
        payer,
        created_at: TODAY.toISOString(),
      })
      await insertCostLines(ctx.db, [
        line(first!, 'parts', 1500, 'vendor'),
        line(first!, 'inbound-shipping', 1000, 'customer'),
        line(second!, 'parts', 500, 'vendor'),
        line(second!, 'labour', 4000, 'dealer', 'CNY'),
      ])
      // An out-of-warranty repair the customer accepted and pays: its lines are theirs.
      const quoteId = crypto.randomUUID()
      await ctx.db
        .insertInto('claim_quotes')
        .values({
          id: quoteId,
          claim_id: third!,
          status: 'accepted',
          currency: 'CNY',
          total_minor: 6000,
          customer_minor: 6000,
          absorbed_json: '{}',
          paid_minor: 6000,
          note: null,
          sent_at: TODAY.toISOString(),
          responded_at: TODAY.toISOString(),
          valid_until: null,
          reminded_at: null,
        })
        .execute()
      await insertCostLines(ctx.db, [line(third!, 'parts', 3000, 'customer', 'CNY', quoteId)])
      const report = (await get('/api/v1/reports/warranty-cost', staff)).json<WarrantyCostReport>()
      const usd = report.currencies.find((c) => c.currency === 'USD')
      assert.deepEqual(usd?.byPayer, [
        { payer: 'vendor', amount: 4000 },
        { payer: 'customer', amount: 2000 },
      ])
      assert.deepEqual(usd?.labels, ['parts', 'inbound-shipping'])
      // The customer's freight leg is in the chart of who paid, not in the cost of warranty.
      assert.equal(usd?.borneMinor, 4000)
      assert.equal(usd?.customerPaidMinor, 2000)
      const cny = report.currencies.find((c) => c.currency === 'CNY')
      assert.equal(cny?.total, 14000)
      assert.equal(cny?.borneMinor, 8000)
      assert.equal(cny?.customerPaidMinor, 6000)
      assert.deepEqual(
        report.recovery?.map((r) => [r.currency, r.borneMinor]),
        [
          ['CNY', 8000],
          ['USD', 4000],
        ],
      )
      const later = (
        await get('/api/v1/reports/warranty-cost?from=2030-01-01', staff)
      ).json<WarrantyCostReport>()
      assert.deepEqual(later.currencies, [])
    })

    test('bad filters answer 400 naming the field', async () => {
      const cases = [
        { url: '/api/v1/reports/claims-per-month?from=2025-13-01', field: 'querystring.from' },
        { url: '/api/v1/reports/open-cases?from=2025-06-01&to=2025-05-01', field: 'querystring.to' },
        { url: '/api/v1/reports/claim-rates?groupBy=colour', field: 'querystring.groupBy' },
      ]
      for (const { url, field } of cases) {
        const response = await get(url, staff)
        assert.equal(response.statusCode, 400, url)
        assert.equal(response.json().error.field, field, url)
      }
    })

    test('a policy the library does not hold is refused naming the field on every report, in either language', async () => {
      // It has no zone: open cases were dated as of the latest day of every zone, for nobody.
      const reports = [
        'claim-rates',
        'failure-modes',
        'claims-per-month',
        'open-cases',
        'warranty-cost',
        'decision-mix',
      ]
      for (const report of reports)
        for (const language of ['en', 'zh-CN']) {
          const url = `/api/v1/reports/${report}?policy=no-such-policy`
          const response = await get(url, { ...staff, 'accept-language': language })
          assert.equal(response.statusCode, 400, `${url}: ${response.body}`)
          const error = response.json().error
          assert.equal(error.field, 'querystring.policy', url)
          assert.equal(error.messageKey, 'reports.unknown-policy', url)
          assert.ok(error.message.startsWith('querystring.policy'), error.message)
          assert.ok(error.message.includes('no-such-policy'), error.message)
        }
    })

    test('reports are for staff: customers and dealers are refused, strangers asked to sign in', async () => {
      for (const headers of [customer, dealer]) {
        const response = await get('/api/v1/reports/decision-mix', headers)
        assert.equal(response.statusCode, 403)
        assert.equal(response.json().error.code, 'forbidden')
      }
      assert.equal((await get('/api/v1/reports/claim-rates', {})).statusCode, 401)
    })

    describe('policy simulation', () => {
      const simulate = (body: unknown, headers: Record<string, string>) =>
        app.inject({ method: 'POST', url: '/api/v1/policies/simulate', headers, payload: body as object })

      test('the published policy as its own draft changes nothing', async () => {
        const yaml = ctx.policies.source('touptek', '1')
        assert.ok(yaml)
        const response = await simulate({ policyId: 'touptek', yaml }, manager)
        assert.equal(response.statusCode, 200, response.body)
        const result = response.json<SimulationResult>()
        assert.equal(result.summary.compared, seeded.touptekClaims)
        assert.ok(result.summary.compared > 0)
        assert.equal(result.summary.changed, 0)
        assert.deepEqual(result.changes, [])
        assert.equal(result.skippedCount, 0)
      })

      test('a one-month warranty refuses claims the two-year term covered, and says which clause moved', async () => {
        const published = ctx.policies.source('touptek', '1')!
        const draft = published
          .replace('version: "1"', 'version: "2-draft"')
          .replaceAll('term: P2Y', 'term: P1M')
        const response = await simulate({ policyId: 'touptek', yaml: draft, limit: 5 }, manager)
        assert.equal(response.statusCode, 200, response.body)
        const result = response.json<SimulationResult>()
        assert.equal(result.policy.draftVersion, '2-draft')
        assert.ok(result.summary.coverageLost > 0, JSON.stringify(result.summary))
        assert.equal(result.summary.coverageGained, 0)
        assert.ok((result.summary.exclusionsGained.expired ?? 0) > 0)
        assert.ok(result.changes.length <= 5)
        assert.equal(result.truncated, result.summary.changed > 5)
        const lost = result.changes.find((c) => c.covered?.after === false)
        assert.ok(lost)
        assert.equal(lost.before, 'touptek@1')
        assert.equal(lost.after, 'touptek@2-draft')
        assert.ok(lost.clauses.length > 0)
        assert.ok(lost.clauses.every((c) => c.clause.startsWith('touptek#')))
      })

      test('the range narrows the claims compared', async () => {
        const yaml = ctx.policies.source('touptek', '1')!
        const response = await simulate({ policyId: 'touptek', yaml, from: '2030-01-01' }, manager)
        assert.equal(response.json<SimulationResult>().summary.compared, 0)
      })

      test('a broken draft answers 400 naming the line and the field', async () => {
        const published = ctx.policies.source('touptek', '1')!
        const broken = published.replace('term: P2Y', 'term: two years')
        const response = await simulate({ policyId: 'touptek', yaml: broken }, manager)
        assert.equal(response.statusCode, 400)
        const { error } = response.json()
        assert.equal(error.field, 'body.yaml')
        const lineOfTerm = published.split('\n').findIndex((l) => l.includes('term: P2Y')) + 1
        assert.ok(
          error.details.errors.some(
            (e: { line: number; field: string }) => e.line === lineOfTerm && e.field.endsWith('term'),
          ),
          error.message,
        )
      })

      test('a draft naming a calendar defined nowhere is refused as the policy check refuses it', async () => {
        const published = ctx.policies.source('touptek', '1')!
        const draft = published.replace('calendar: cn-mainland', 'calendar: atlantis')
        const lineOfCalendar = draft.split('\n').findIndex((l) => l.startsWith('calendar:')) + 1
        for (const language of ['en', 'zh'] as const) {
          const headers = { ...manager, 'accept-language': language }
          const validated = await app.inject({
            method: 'POST',
            url: '/api/v1/policies/validate',
            headers,
            payload: { yaml: draft },
          })
          const [checked] = validated.json().errors
          assert.equal(checked.field, 'calendar')
          const response = await simulate({ policyId: 'touptek', yaml: draft }, headers)
          assert.equal(response.statusCode, 400, response.body)
          const { error } = response.json()
          assert.equal(error.field, 'body.yaml')
          assert.deepEqual(
            error.details.errors.map((e: { line: number; field: string }) => [e.line, e.field]),
            [[lineOfCalendar, 'calendar']],
          )
          assert.ok(error.message.includes(checked.message), `${error.message}\n${checked.message}`)
        }
      })

      test('a draft of another policy, or a request without a draft, answers 400', async () => {
        const other = ctx.policies.source('ist', '1')!
        const wrongPolicy = await simulate({ policyId: 'touptek', yaml: other }, manager)
        assert.equal(wrongPolicy.statusCode, 400)
        assert.equal(wrongPolicy.json().error.field, 'body.yaml')
        const missing = await simulate({ policyId: 'touptek' }, manager)
        assert.equal(missing.statusCode, 400)
        assert.equal(missing.json().error.field, 'body.yaml')
      })

      test('support staff may not simulate; an unknown policy is not found', async () => {
        const yaml = ctx.policies.source('touptek', '1')!
        assert.equal((await simulate({ policyId: 'touptek', yaml }, staff)).statusCode, 403)
        assert.equal((await simulate({ policyId: 'touptek', yaml }, customer)).statusCode, 403)
        assert.equal((await simulate({ policyId: 'nobody', yaml }, manager)).statusCode, 404)
      })
    })
  })
}
