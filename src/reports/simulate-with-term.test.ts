import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { createTestContext } from '../app/test-context.ts'
import { createTestUser } from '../auth/test-support.ts'
import { insertCostLines } from '../claims/claim.store.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { buildApp } from '../http/app.ts'
import type { HttpApp } from '../http/types.ts'
import { seedSyntheticModel } from '../reliability/synthetic-registry.ts'
import type { AppContext } from '../shared/app-context.ts'
import { formatSimulationText } from './domain/simulation-text.ts'
import type { SimulationResult } from './report.schemas.ts'

const AS_OF = '2025-12-31'
const UNITS = 3000
const SHAPE = 1.6
const SCALE = 2500
const published = fs.readFileSync(path.resolve('policies/player-one.v1.yaml'), 'utf8')
const draft = (term: string) =>
  published.replace(/^version: "1"$/m, 'version: "2"').replace(/^ {4}term: P2Y$/m, `    term: ${term}`)
const CUSTOMER_FREIGHT_MINOR = 2_500
const truth = (days: number) => UNITS * (1 - Math.exp(-((days / SCALE) ** SHAPE)))

for (const engine of testEngines()) {
  describe(`policy simulation: what if the term were T (${engine})`, () => {
    let database: TestDatabase
    let ctx: AppContext
    let app: HttpApp
    let manager: Record<string, string>

    before(async () => {
      database = await openTestDatabase(engine)
      ctx = createTestContext(database, { now: () => new Date(`${AS_OF}T12:00:00.000Z`) })
      await seedSyntheticModel(ctx.db, {
        modelId: 'model-term',
        modelName: 'Term Cam',
        shape: SHAPE,
        scale: SCALE,
        units: UNITS,
        deliverySpanDays: 1400,
        asOf: AS_OF,
        costMinor: 10_000,
        currency: 'USD',
        seed: 11,
      })
      // Every failure claim also has a freight leg its customer paid: no part of the warranty's cost.
      const vendorLines = await ctx.db
        .selectFrom('claim_cost_lines')
        .select(['claim_id', 'created_at'])
        .execute()
      await insertCostLines(
        ctx.db,
        vendorLines.map((line) => ({
          id: crypto.randomUUID(),
          claim_id: line.claim_id,
          quote_id: null,
          kind: 'inbound-shipping',
          description: 'courier to the service',
          quantity: 1,
          unit_price_minor: CUSTOMER_FREIGHT_MINOR,
          currency: 'USD',
          payer: 'customer',
          created_at: line.created_at,
        })),
      )
      app = await buildApp(ctx)
      manager = (await createTestUser(ctx.db, { role: 'manager' })).headers
    })
    after(async () => {
      await app?.close()
      await database?.dispose()
    })

    const simulate = (payload: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: '/api/v1/policies/simulate', headers: manager, payload })

    test("a draft that lengthens the term to three years answers the claims and cost of that term, beside today's", async () => {
      const response = await simulate({ policyId: 'player-one', yaml: draft('P3Y') })
      assert.equal(response.statusCode, 200, response.body)
      const t = response.json<SimulationResult>().termProjection
      assert.ok(t, 'the draft changes the term, so it is projected')
      assert.equal(t.term, 'P3Y')
      assert.equal(t.termDays, 1096)
      assert.equal(t.currentTermDays, 731)
      assert.equal(t.units, UNITS)
      assert.ok(t.currentClaims)
      assert.ok(t.claims.estimate > t.currentClaims.estimate)
      for (const c of [t.claims, t.currentClaims]) assert.ok(c.lower <= c.estimate && c.estimate <= c.upper)
      // The curve that made the data, within the interval (wider for three years: it extrapolates).
      assert.ok(t.claims.lower <= truth(1096) && truth(1096) <= t.claims.upper, JSON.stringify(t.claims))
      assert.ok(
        t.currentClaims.lower <= truth(731) && truth(731) <= t.currentClaims.upper,
        JSON.stringify(t.currentClaims),
      )
      const usd = t.cost.find((c) => c.currency === 'USD')
      assert.ok(usd)
      // The cost is what the seller bears per claim; the customer's freight is beside it, not in it.
      assert.ok(Math.abs(usd.estimate - t.claims.estimate * 10_000) <= 1, JSON.stringify(usd))
      const paidByCustomers = t.customerPaid.find((c) => c.currency === 'USD')
      assert.ok(paidByCustomers)
      assert.ok(
        Math.abs(paidByCustomers.estimate - t.claims.estimate * CUSTOMER_FREIGHT_MINOR) <= 1,
        JSON.stringify(paidByCustomers),
      )
      assert.deepEqual(
        t.byModel.map((m) => [m.modelId, m.fit !== null]),
        [['model-term', true]],
      )
      const text = formatSimulationText(response.json<SimulationResult>())
      assert.match(
        text,
        /what if the term were P3Y \(1096 days\): \d+ \[\d+, \d+\] first failures on 3000 units/,
      )
      assert.match(text, /cost \d+\.\d{2} USD/)
    })

    test('an explicit term is projected even when the draft keeps the term; none is projected otherwise', async () => {
      const same = await simulate({ policyId: 'player-one', yaml: draft('P2Y') })
      assert.equal(same.statusCode, 200, same.body)
      assert.equal(same.json<SimulationResult>().termProjection, null)
      const asked = await simulate({ policyId: 'player-one', yaml: draft('P2Y'), term: 'P18M' })
      assert.equal(asked.json<SimulationResult>().termProjection?.termDays, 548)
      const bad = await simulate({ policyId: 'player-one', yaml: draft('P2Y'), term: '3 years' })
      assert.equal(bad.statusCode, 400, bad.body)
      assert.match(bad.body, /term/)
    })
  })
}
