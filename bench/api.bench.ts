/**
 * The warranty look-up under load: `GET /api/v1/units/{serial}/warranty` over random
 * serials of 100,000 units, against the real server (SQLite, rate limits off) and, as the
 * limit, a bare node:http server answering the same JSON bodies from a Map. Both run in
 * their own process; autocannon drives 50 connections for 10 s per round, 3 rounds each,
 * and the medians are printed with their ratio.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { seedDemoRegistry } from '../src/registry/demo-seed.ts'
import { exited, waitForUrl } from './child-process.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
const UNITS = 100_000
const CONNECTIONS = 50
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const GOAL_RATIO = 0.6
const GOAL_P99_MS = 10

if (process.argv[2] === '--bare') {
  // The limit: no framework, no database, no validation; just a Map and JSON already serialised.
  const bodies = new Map<string, string>(JSON.parse(fs.readFileSync(process.argv[3] ?? '', 'utf8')))
  const prefix = '/api/v1/units/'
  const server = http.createServer((req, res) => {
    const url = req.url ?? ''
    const serial = decodeURIComponent(url.slice(prefix.length, url.length - '/warranty'.length))
    const body = bodies.get(serial)
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json; charset=utf-8' })
    res.end(body ?? '{"error":{"code":"not-found"}}')
  })
  server.listen(0, '127.0.0.1', () => {
    const address = server.address()
    if (address && typeof address === 'object')
      console.log(`bare listening on http://127.0.0.1:${address.port}`)
  })
} else {
  await runBenchmark()
}

async function runBenchmark() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-bench-api-'))
  const children: ChildProcess[] = []
  try {
    console.log(`Seeding ${UNITS.toLocaleString('en')} units into ${dataDir} …`)
    const serials = await seedUnits(dataDir)
    const env: NodeJS.ProcessEnv = { ...process.env, AFTERCARE_DATA: dataDir, AFTERCARE_RATE_LIMITS: 'off' }
    delete env.DATABASE_URL
    // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the real server there when it stops.
    const profile = process.env.BENCH_CPU_PROF
      ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF]
      : []
    const real = spawn(process.execPath, [...profile, 'bin/aftercare.js', 'serve', '--port', '0'], {
      cwd: ROOT,
      env,
    })
    children.push(real)
    // Listen for both lines from the start: the second may come before the first is read.
    const listening = waitForUrl(real, /serving on (http:\/\/\S+)/)
    const cacheFilled = waitForUrl(real, /look-ups of (\d+) units answered from memory/)
    const realUrl = await listening

    // The bare server answers each serial with the real server's own body for a unit of
    // the same model (serial substituted), so both send the same bytes.
    const templates = new Map<string, string>()
    const bodies: Array<[string, string]> = []
    for (const serial of serials) {
      const template = serial.slice(0, serial.lastIndexOf('-'))
      let body = templates.get(template)
      if (!body) {
        const response = await fetch(`${realUrl}/api/v1/units/${encodeURIComponent(serial)}/warranty`)
        if (response.status !== 200) throw new Error(`look-up of ${serial} answered ${response.status}`)
        body = (await response.text()).replaceAll(serial, '\u0000')
        templates.set(template, body)
      }
      bodies.push([serial, body.replaceAll('\u0000', serial)])
    }
    const bodiesFile = path.join(dataDir, 'bodies.json')
    fs.writeFileSync(bodiesFile, JSON.stringify(bodies))
    const bare = spawn(process.execPath, ['--import', 'tsx', 'bench/api.bench.ts', '--bare', bodiesFile], {
      cwd: ROOT,
      env,
    })
    children.push(bare)
    const bareUrl = await waitForUrl(bare, /bare listening on (http:\/\/\S+)/)

    // The server fills its look-up cache in the background at start; measure it filled.
    console.log(`server's look-up cache filled: ${await cacheFilled} units`)
    const realRounds: Figures[] = []
    const bareRounds: Figures[] = []
    await load(realUrl, serials, 3) // warm-up: JIT, prepared statements, page cache
    await load(bareUrl, serials, 3)
    for (let round = 1; round <= ROUNDS; round++) {
      // Alternate so drift on a noisy machine hits both sides alike.
      realRounds.push(await load(realUrl, serials, DURATION_S, real.pid))
      bareRounds.push(await load(bareUrl, serials, DURATION_S, bare.pid))
      const r = realRounds.at(-1)
      const b = bareRounds.at(-1)
      console.log(
        `round ${round}: real ${r?.rps.toFixed(0)} req/s p99 ${r?.p99} ms, ${r?.cpuUs.toFixed(1)} µs CPU a request | bare ${b?.rps.toFixed(0)} req/s p99 ${b?.p99} ms, ${b?.cpuUs.toFixed(1)} µs CPU a request`,
      )
    }
    const realMedian = medianFigures(realRounds)
    const bareMedian = medianFigures(bareRounds)
    const ratio = realMedian.rps / bareMedian.rps
    console.log('')
    console.log(
      `GET /api/v1/units/{serial}/warranty, ${UNITS.toLocaleString('en')} units, ${CONNECTIONS} connections, ${DURATION_S} s x ${ROUNDS} rounds (medians)`,
    )
    console.log(
      `  Aftercare (Fastify + SQLite): ${realMedian.rps.toFixed(0)} req/s, p50 ${realMedian.p50} ms, p99 ${realMedian.p99} ms, non-2xx ${realMedian.errors}`,
    )
    console.log(
      `  bare node:http + Map (limit): ${bareMedian.rps.toFixed(0)} req/s, p50 ${bareMedian.p50} ms, p99 ${bareMedian.p99} ms`,
    )
    console.log(
      `  ratio: ${(ratio * 100).toFixed(1)}% of the limit (goal ≥ ${GOAL_RATIO * 100}%), p99 goal < ${GOAL_P99_MS} ms`,
    )
    // The load generator shares the machine's cores: the rates above are also bounded by it.
    // CPU time per request is each server's own cost, whatever the generator manages.
    console.log(
      `  server CPU a request (user + system): Aftercare ${realMedian.cpuUs.toFixed(1)} µs, bare ${bareMedian.cpuUs.toFixed(1)} µs (per CPU-second, Aftercare answers ${((bareMedian.cpuUs / realMedian.cpuUs) * 100).toFixed(1)}% as many requests as the bare server)`,
    )
    console.log(
      `  verdict: ${ratio >= GOAL_RATIO && realMedian.p99 < GOAL_P99_MS ? 'meets the goal' : 'misses the goal'}`,
    )
  } finally {
    for (const child of children) child.kill('SIGTERM')
    // The profile is written as the server exits; wait for it before the data goes.
    await Promise.all(children.map((child) => exited(child)))
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

interface Figures {
  rps: number
  p50: number
  p99: number
  errors: number
  /** The server process's CPU time (user + system) per request answered, in microseconds. */
  cpuUs: number
}

/** User + system CPU time of a process so far, in clock ticks (100 a second on Linux). */
function cpuTicks(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN
  try {
    // Fields after the command name (which may hold spaces) in /proc/<pid>/stat: utime is the 12th, stime the 13th.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return Number(fields[11]) + Number(fields[12])
  } catch {
    return Number.NaN
  }
}

async function load(baseUrl: string, serials: string[], seconds: number, pid?: number): Promise<Figures> {
  const ticksBefore = cpuTicks(pid)
  const result = await autocannon({
    url: baseUrl,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        setupRequest(request) {
          const serial = serials[Math.floor(Math.random() * serials.length)] ?? ''
          return { ...request, method: 'GET', path: `/api/v1/units/${encodeURIComponent(serial)}/warranty` }
        },
      },
    ],
  })
  const ticks = cpuTicks(pid) - ticksBefore
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors,
    cpuUs: ((ticks / 100) * 1e6) / Math.max(1, result.requests.total),
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

function medianFigures(rounds: Figures[]): Figures {
  return {
    rps: median(rounds.map((r) => r.rps)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    errors: median(rounds.map((r) => r.errors)),
    cpuUs: median(rounds.map((r) => r.cpuUs)),
  }
}

/** The demo registry, then its units copied under new serials up to UNITS, in one transaction. */
async function seedUnits(dataDir: string): Promise<string[]> {
  const { buildContext } = await import('../src/app/build-context.ts')
  const { loadConfig } = await import('../src/shared/config.ts')
  const { migrateToLatest } = await import('../src/db/migrations.ts')
  const ctx = buildContext(loadConfig({ AFTERCARE_DATA: dataDir }))
  try {
    await migrateToLatest(ctx.db)
    await seedDemoRegistry(ctx)
    const demo = await ctx.db.selectFrom('units').selectAll().execute()
    const serials: string[] = []
    await ctx.db.transaction().execute(async (trx) => {
      for (let start = 0; start < UNITS; start += 1000) {
        const batch = []
        for (let i = start; i < Math.min(UNITS, start + 1000); i++) {
          const template = demo[i % demo.length]
          if (!template) throw new Error('the demo seed made no units')
          const serial = `${template.serial}-${String(i).padStart(6, '0')}`
          serials.push(serial)
          batch.push({ ...template, serial, replaced_by_serial: null })
        }
        await trx.insertInto('units').values(batch).execute()
      }
    })
    return serials
  } finally {
    await ctx.close()
  }
}
