/**
 * The reliability report of one model with a million units and about 50,000 failure
 * claims, on SQLite and PostgreSQL. `npm run bench:reliability [units]` (default 1,000,000).
 * PostgreSQL runs in the database named by AFTERCARE_TEST_PG_URL, else in `aftercare_bench`
 * on the local server when it is reachable.
 *
 * The registry is written in bulk with known Weibull lifetimes (β 1.5, η 3,300 days) so the
 * run also shows the fit recovering them; only the report is timed.
 */
import os from 'node:os'
import { performance } from 'node:perf_hooks'
import { sql } from 'kysely'
import pg from 'pg'
import { createTestContext } from '../src/app/test-context.ts'
import type { Engine } from '../src/db/database.ts'
import { openTestDatabase, testEngines } from '../src/db/test-database.ts'
import { buildReliabilityReport } from '../src/reliability/build-reliability-report.ts'
import { seedSyntheticModel } from '../src/reliability/synthetic-registry.ts'

const UNITS = Number(process.argv[2] ?? 1_000_000)
const AS_OF = '2025-12-31'
const ROUNDS = 3

async function ensurePostgres(): Promise<void> {
  if (process.env.AFTERCARE_TEST_PG_URL) return
  const admin = new pg.Client({
    connectionString: 'postgresql://postgres@127.0.0.1:5432/postgres',
    connectionTimeoutMillis: 2000,
  })
  try {
    await admin.connect()
    const exists = await admin.query("select 1 from pg_database where datname = 'aftercare_bench'")
    if (exists.rowCount === 0) await admin.query('create database aftercare_bench')
    process.env.AFTERCARE_TEST_PG_URL = 'postgresql://postgres@127.0.0.1:5432/aftercare_bench'
  } catch (error) {
    console.log(`PostgreSQL not reachable (${(error as Error).message}); SQLite only`)
  } finally {
    await admin.end().catch(() => {})
  }
}

async function benchEngine(engine: Engine): Promise<void> {
  const database = await openTestDatabase(engine)
  try {
    const ctx = createTestContext(database, { now: () => new Date(`${AS_OF}T12:00:00.000Z`) })
    const seedStarted = performance.now()
    const seeded = await ctx.db.transaction().execute((trx) =>
      seedSyntheticModel(trx, {
        modelId: 'bench-model',
        modelName: 'Bench Model',
        shape: 1.5,
        scale: 3300,
        units: UNITS,
        deliverySpanDays: 900,
        asOf: AS_OF,
        batches: Array.from({ length: 20 }, (_, i) => `B${String(i + 1).padStart(2, '0')}`),
        costMinor: 9_500,
        seed: 2025,
      }),
    )
    // Fresh tables: let the planner see their size, as autovacuum would shortly.
    await sql`analyze`.execute(database.db)
    const seedSeconds = (performance.now() - seedStarted) / 1000
    const times: number[] = []
    const cpu: number[] = []
    let last: Awaited<ReturnType<typeof buildReliabilityReport>> | undefined
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now()
      const cpuStarted = process.cpuUsage()
      last = await buildReliabilityReport(ctx, { model: 'bench-model', asOf: AS_OF, term: 'P3Y' })
      times.push(performance.now() - started)
      // CPU time of this process (user + system): on a shared machine the wall clock also
      // measures everyone else's load; PostgreSQL's own work is only in the wall clock.
      const used = process.cpuUsage(cpuStarted)
      cpu.push((used.user + used.system) / 1000)
    }
    const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? 0
    const medianCpu = [...cpu].sort((a, b) => a - b)[Math.floor(cpu.length / 2)] ?? 0
    const w = last?.weibull
    console.log(
      `${engine}: ${seeded.units.toLocaleString('en-US')} units, ${seeded.claims.toLocaleString('en-US')} failure claims ` +
        `(seeded in ${seedSeconds.toFixed(0)} s); report in ${(median / 1000).toFixed(2)} s median of ${ROUNDS}, ` +
        `process CPU ${(medianCpu / 1000).toFixed(2)} s median ` +
        `(${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s; process CPU ${cpu.map((t) => (t / 1000).toFixed(2)).join(', ')} s; ` +
        `load average ${os.loadavg()[0]?.toFixed(1)}); ` +
        `Weibull β ${w?.shape.toFixed(3)} [${w?.shapeInterval.lower.toFixed(3)}, ${w?.shapeInterval.upper.toFixed(3)}] (truth 1.5), ` +
        `η ${w?.scale.toFixed(0)} days [${w?.scaleInterval.lower.toFixed(0)}, ${w?.scaleInterval.upper.toFixed(0)}] (truth 3300); ` +
        `warnings ${last?.warnings.length}`,
    )
  } finally {
    await database.dispose()
  }
}

await ensurePostgres()
for (const engine of testEngines()) await benchEngine(engine)
