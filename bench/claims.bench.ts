/**
 * Claims carried through their whole life per second, through the API (`app.inject`, the
 * real routes, validation, transactions, hash chain, SLA clocks and outbox): a Player One
 * warranty repair from `claim.opened` to `claim.closed` in 10 requests. As the named
 * limit, measured in the same run on the same database: what the lifecycle cannot do
 * without, a raw loop of the same number of durable commits (one single-row insert per
 * request, each its own transaction) plus the bare engine decisions a claim takes (at
 * opening and at the final decision). Medians of several rounds, on SQLite and on
 * PostgreSQL when it can be reached (BENCH_ENGINES=sqlite picks engines).
 */
import os from 'node:os'
import { sql } from 'kysely'
import pg from 'pg'
import { caseSchema } from '../src/contracts/case.ts'
import type { Engine } from '../src/db/database.ts'
import { testEngines } from '../src/db/test-database.ts'
import {
  type ClaimsWorld,
  openClaimBody,
  openClaimsWorld,
  packageOf,
  repairSteps,
  seedPlayerOneUnit,
} from '../test/claims/claim-factories.ts'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const CLAIMS_PER_ROUND = Number(process.env.BENCH_CLAIMS ?? 40)
const LIMIT_CLAIMS_PER_ROUND = Number(process.env.BENCH_LIMIT_CLAIMS ?? 40)
/** Requests per claim carried through the API, hence durable commits per claim in the limit. */
const COMMITS_PER_CLAIM = 10
/** Engine decisions per claim: the provisional one at opening and the final one. */
const DECISIONS_PER_CLAIM = 2

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

async function carryOneClaim(world: ClaimsWorld, serial: string, contents: string[]): Promise<void> {
  const open = await world.app.inject({
    method: 'POST',
    url: '/api/v1/claims',
    headers: world.customer.headers,
    payload: openClaimBody(serial),
  })
  if (open.statusCode !== 201) throw new Error(open.body)
  const id = (open.json() as { id: string }).id
  let etag = String(open.headers.etag)
  const steps: [string, Record<string, unknown>][] = [
    ...repairSteps(serial, contents),
    ['confirm-receipt', {}],
    ['close', {}],
  ]
  for (const [action, body] of steps) {
    const party = action === 'confirm-receipt' ? world.customer : world.staff
    const response = await world.app.inject({
      method: 'POST',
      url: `/api/v1/claims/${id}/transitions/${action}`,
      headers: { ...party.headers, 'if-match': etag },
      payload: body,
    })
    if (response.statusCode !== 200) throw new Error(`${action}: ${response.body}`)
    etag = String(response.headers.etag)
  }
}

async function measureLifecycle(world: ClaimsWorld, serial: string, contents: string[]): Promise<number> {
  const started = performance.now()
  for (let i = 0; i < CLAIMS_PER_ROUND; i++) await carryOneClaim(world, serial, contents)
  return CLAIMS_PER_ROUND / ((performance.now() - started) / 1000)
}

/** The limit: what a claim cannot do without, its decisions and one durable commit per request. */
async function measureLimit(world: ClaimsWorld, serial: string, round: number): Promise<number> {
  const facts = caseSchema.parse({
    policy: 'player-one',
    claimedOn: '2026-01-20',
    product: { part: 'host', category: 'camera', serial },
    purchase: { channel: 'direct', purchasedOn: '2025-03-01', deliveredOn: '2025-03-05' },
    problem: { kind: 'malfunction' },
    evidence: ['defect-media'],
  })
  // Raw: a prepared statement on SQLite (autocommit, so each run is one WAL commit; with
  // per-commit durability it syncs, with group durability it is then flushed on its own the
  // way the server flushes before an answer), a plain parameterised query on PostgreSQL (one
  // commit each).
  const raw = world.database.sqlite?.prepare('insert into rma_counters (year, last) values (?, ?)')
  const durable = world.ctx.durable
  const insert = async (key: string, last: number): Promise<void> => {
    if (raw) {
      raw.run(key, last)
      if (durable) await durable()
    } else
      await sql`insert into rma_counters (year, last) values (${key}, ${last})`.execute(world.database.db)
  }
  const started = performance.now()
  for (let c = 0; c < LIMIT_CLAIMS_PER_ROUND; c++) {
    let covered = 0
    for (let d = 0; d < DECISIONS_PER_CLAIM; d++) covered += world.ctx.policies.decide(facts).covered ? 1 : 0
    for (let i = 0; i < COMMITS_PER_CLAIM; i++) await insert(`bench-${round}-${c}-${i}`, covered)
  }
  return LIMIT_CLAIMS_PER_ROUND / ((performance.now() - started) / 1000)
}

async function ensurePostgres(): Promise<boolean> {
  if (process.env.AFTERCARE_TEST_PG_URL) return true
  const admin = new pg.Client({
    connectionString: 'postgresql://postgres@127.0.0.1:5432/postgres',
    connectionTimeoutMillis: 2000,
  })
  try {
    await admin.connect()
    const exists = await admin.query("select 1 from pg_database where datname = 'aftercare_bench'")
    if (exists.rowCount === 0) await admin.query('create database aftercare_bench')
    process.env.AFTERCARE_TEST_PG_URL = 'postgresql://postgres@127.0.0.1:5432/aftercare_bench'
    return true
  } catch (error) {
    console.log(`PostgreSQL not reachable (${(error as Error).message}); SQLite only`)
    return false
  } finally {
    await admin.end().catch(() => {})
  }
}

/**
 * `per-commit` is how commands and tests open SQLite: every commit syncs on the thread that
 * made it. `group` is how the server opens it: a commit is written, and the answer waits for
 * a flush of the log that covers it (see `DatabaseOptions`). Each is set against the limit
 * of its own mode, one durable commit a request either way.
 */
async function benchEngine(engine: Engine, durability: 'per-commit' | 'group'): Promise<void> {
  const world = await openClaimsWorld(engine, { watchResponses: false, durability })
  try {
    const serial = await seedPlayerOneUnit(world)
    const contents = await packageOf(world, 'player-one-poseidon-m-pro')
    await carryOneClaim(world, serial, contents) // warm-up
    const lifecycle: number[] = []
    const limit: number[] = []
    for (let round = 0; round < ROUNDS; round++) {
      lifecycle.push(await measureLifecycle(world, serial, contents))
      limit.push(await measureLimit(world, serial, round))
    }
    const life = median(lifecycle)
    const bare = median(limit)
    const [load1] = os.loadavg()
    const mode =
      engine === 'sqlite' ? `${engine}, ${durability === 'group' ? 'as the server' : 'per-commit'}` : engine
    console.log(
      `${mode.padEnd(22)} claims opened→closed: ${life.toFixed(1)}/s (${(life * COMMITS_PER_CLAIM).toFixed(0)} requests/s,` +
        ` ${(1000 / (life * COMMITS_PER_CLAIM)).toFixed(2)} ms each)` +
        ` | limit, ${DECISIONS_PER_CLAIM} decisions + ${COMMITS_PER_CLAIM} raw durable commits: ${bare.toFixed(1)} claims/s` +
        ` (${(1000 / (bare * COMMITS_PER_CLAIM)).toFixed(2)} ms per commit) | ratio ${(life / bare).toFixed(2)}` +
        ` | medians of ${ROUNDS} rounds × ${CLAIMS_PER_ROUND} claims | load average ${load1?.toFixed(2)}`,
    )
  } finally {
    await world.close()
  }
}

const only = process.env.BENCH_ENGINES?.split(',') as Engine[] | undefined
const engines: Engine[] = only ?? ((await ensurePostgres()) ? ['sqlite', 'postgres'] : testEngines())
for (const engine of engines) {
  if (engine === 'sqlite') await benchEngine(engine, 'per-commit')
  await benchEngine(engine, 'group')
}
