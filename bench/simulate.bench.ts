/**
 * Policy simulation over many past claims, against the bare engine deciding the same cases
 * in memory in the same run. `node --import tsx bench/simulate.bench.ts [claims]`
 * (default 100,000; PostgreSQL too when AFTERCARE_TEST_PG_URL names a database).
 *
 * Claims are opened through the claims intake on the demo registry, then copied under new
 * ids in bulk: the simulation reads them exactly as it reads real ones.
 */
import crypto from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { createTestContext } from '../src/app/test-context.ts'
import { SYSTEM_ACTOR } from '../src/auth/actor.ts'
import type { ClaimsTable } from '../src/claims/claim.tables.ts'
import { openClaim } from '../src/claims/open-claim.ts'
import type { WarrantyCase } from '../src/contracts/case.ts'
import { openTestDatabase, testEngines } from '../src/db/test-database.ts'
import { seedDemoRegistry } from '../src/registry/demo-seed.ts'
import { simulatePolicy } from '../src/reports/simulate-policy.ts'

const CLAIMS = Number(process.argv[2] ?? 100_000)
const ROUNDS = 3
const POLICY = 'touptek'
const NOW = new Date('2025-06-15T10:00:00.000Z')

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
const perSecond = (count: number, ms: number) => Math.round((count * 1000) / ms)

for (const engine of testEngines()) {
  const database = await openTestDatabase(engine)
  try {
    const ctx = createTestContext(database, { now: () => NOW })
    await seedDemoRegistry(ctx)
    const serials = (
      await ctx.db.selectFrom('units').select('serial').where('policy_id', '=', POLICY).execute()
    ).map((u) => u.serial)
    const kinds = [
      'malfunction',
      'malfunction',
      'malfunction',
      'arrived-damaged',
      'not-as-described',
    ] as const
    const templates: ClaimsTable[] = []
    for (const [i, serial] of serials.entries()) {
      const claimedOn = new Date(NOW.getTime() - (i % 300) * 86_400_000).toISOString().slice(0, 10)
      const { claim } = await openClaim(ctx, SYSTEM_ACTOR, {
        serial,
        problem: {
          kind: kinds[i % kinds.length]!,
          packagingDamaged: i % 7 === 0,
          urgentFreight: false,
          description: 'bench',
        },
        evidence: i % 2 === 0 ? ['defect-media', 'package-photos'] : ['defect-media'],
        claimedOn: claimedOn > NOW.toISOString() ? NOW.toISOString().slice(0, 10) : claimedOn,
      })
      templates.push(claim)
    }

    const started = performance.now()
    const batch = engine === 'sqlite' ? 500 : 1000
    for (let start = templates.length; start < CLAIMS; start += batch) {
      const rows: ClaimsTable[] = []
      for (let i = start; i < Math.min(CLAIMS, start + batch); i++) {
        const template = templates[i % templates.length]!
        rows.push({ ...template, id: crypto.randomUUID(), rma_number: null })
      }
      // Columns only: 36 per row keeps a batch under either engine's parameter limit.
      await ctx.db.insertInto('claims').values(rows).execute()
    }
    const seeding = performance.now() - started

    // The same cases in memory, for the bare engine's rate.
    const cases = (
      await ctx.db.selectFrom('claims').select(['case_json']).where('policy_id', '=', POLICY).execute()
    ).map((r) => JSON.parse(r.case_json) as WarrantyCase)
    const published = ctx.policies.source(POLICY, '1')
    if (!published) throw new Error(`${POLICY} is not loaded`)
    const draft = published.replace('version: "1"', 'version: "2"').replaceAll('term: P2Y', 'term: P1Y')

    const engineMs: number[] = []
    const simulateMs: number[] = []
    let changed = 0
    for (let round = 0; round < ROUNDS; round++) {
      const t0 = performance.now()
      for (const c of cases) ctx.policies.decide(c, { version: '1' })
      engineMs.push(performance.now() - t0)
      const t1 = performance.now()
      const result = await simulatePolicy(ctx.db, ctx.policies, { policyId: POLICY, yaml: draft, limit: 200 })
      simulateMs.push(performance.now() - t1)
      if (result.summary.compared !== cases.length) {
        throw new Error(`compared ${result.summary.compared} of ${cases.length} claims`)
      }
      changed = result.summary.changed
    }
    const engineRate = perSecond(cases.length, median(engineMs))
    const simulateRate = perSecond(cases.length, median(simulateMs))
    console.log(
      [
        `simulate (${engine}): ${cases.length} claims (${changed} changed), seeded in ${Math.round(seeding)} ms`,
        `  bare engine decide:  ${engineRate.toLocaleString('en')} decisions/s (median of ${ROUNDS})`,
        `  simulation:          ${simulateRate.toLocaleString('en')} claims/s, ${Math.round(median(simulateMs))} ms in all (two decisions per claim, read from the database in pages)`,
        `  ratio:               ${(simulateRate / engineRate).toFixed(3)} of the bare engine's rate`,
      ].join('\n'),
    )
  } finally {
    await database.dispose()
  }
}
