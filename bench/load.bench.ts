/**
 * Mixed traffic against a real `aftercare serve`, on SQLite and on PostgreSQL: 50
 * connections, closed loop (each sends its next request when the last is answered), for
 * BENCH_SECONDS (default 30) per round and BENCH_ROUNDS rounds (default 3, to see whether
 * memory grows), over a database of 100,000 units and 10,000 claims.
 *
 * The mix: warranty look-ups 25 %, claim lists 20 % (pages of 20), claim pages 25 %,
 * messages 15 % and claim steps 15 % (an information request and its answer, in turn);
 * a dealer and a customer take part of the lists, pages and messages beside staff.
 *
 * Two limits are measured in the same run: the bare read limit (node:http answering the
 * same reads, same bodies, from memory) and the raw durable-commit rate of the engine (as
 * many single-row commits as the round made writes, one after another, from a bare script).
 * The last lines, one per engine: `load <engine>: <N> req/s, read p99 <ms> ms, write p99 <ms> ms, rss <MB> MB`.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import pg from 'pg'
import { exited, waitForUrl } from './child-process.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
const UNITS = Number(process.env.BENCH_UNITS ?? 100_000)
const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 10_000)
const CONNECTIONS = 50
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 30)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const PG_ADMIN = process.env.BENCH_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'
const PASSWORD = 'aftercare-demo'

type Operation =
  | 'look-up'
  | 'list (staff)'
  | 'list (dealer)'
  | 'list (customer)'
  | 'page (staff)'
  | 'page (dealer)'
  | 'page (customer)'
  | 'message (staff)'
  | 'message (customer)'
  | 'step'
const WRITES: ReadonlySet<Operation> = new Set(['message (staff)', 'message (customer)', 'step'])
const MIX: Array<[Operation, number]> = [
  ['look-up', 25],
  ['list (staff)', 14],
  ['list (dealer)', 3],
  ['list (customer)', 3],
  ['page (staff)', 17],
  ['page (dealer)', 4],
  ['page (customer)', 4],
  ['message (staff)', 11],
  ['message (customer)', 4],
  ['step', 15],
]
const MIX_TOTAL = MIX.reduce((sum, [, weight]) => sum + weight, 0)

interface Party {
  cookie: string
  csrf: string
}

interface World {
  serials: string[]
  staff: Party
  dealer: Party
  customer: Party
  staffClaims: string[]
  dealerClaims: string[]
  customerClaims: string[]
  /** One claim per connection for the steps, with its current version tag. */
  stepClaims: Array<{ id: string; etag: string; awaiting: boolean }>
}

// ---------------------------------------------------------------------------------------
// The bare read limit, in its own process: the same reads answered from memory.

async function main() {
  const seedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-bench-load-'))
  const summary: string[] = []
  try {
    console.log(`Seeding ${UNITS.toLocaleString('en')} units and ${CLAIMS.toLocaleString('en')} claims …`)
    const started = performance.now()
    const seed = await seedSqlite(seedDir)
    console.log(`  seeded in ${((performance.now() - started) / 1000).toFixed(0)} s`)
    const only = process.env.BENCH_ENGINES?.split(',')
    const engines = (only ?? ['sqlite', 'postgres']) as Array<'sqlite' | 'postgres'>
    for (const engine of engines) {
      const line = await benchEngine(engine, seedDir, seed)
      if (line) summary.push(line)
    }
  } finally {
    // BENCH_KEEP=1 leaves the seeded databases for a closer look.
    if (process.env.BENCH_KEEP) console.log(`seeded data kept in ${seedDir}`)
    else fs.rmSync(seedDir, { recursive: true, force: true })
  }
  console.log('')
  for (const line of summary) console.log(line)
}

// ---------------------------------------------------------------------------------------
// Seeding: the demo, its units copied up to UNITS, then CLAIMS claims opened through the
// real route in-process. The PostgreSQL run restores a backup of the same database.

interface Seed {
  backupFile: string
  /** Serials for the look-ups: a sample of the units, demo and copies. */
  serials: string[]
  customerEmail: string
}

async function seedSqlite(dir: string): Promise<Seed> {
  const { buildContext } = await import('../src/app/build-context.ts')
  const { loadConfig } = await import('../src/shared/config.ts')
  const { migrateToLatest } = await import('../src/db/migrations.ts')
  const { seedDemo } = await import('../src/app/seed-demo.ts')
  const { buildApp } = await import('../src/http/app.ts')
  const { backupDatabase } = await import('../src/db/backup.ts')
  const dataDir = path.join(dir, 'sqlite')
  // Group durability and nobody waiting on it: seeding is one long batch, flushed on close.
  const ctx = buildContext(loadConfig({ AFTERCARE_DATA: dataDir }), { durability: 'group' })
  try {
    await migrateToLatest(ctx.db)
    const report = await seedDemo(ctx)
    const customerEmail = report.signIns.find((signIn) => signIn.role === 'customer')?.email
    if (!customerEmail) throw new Error('the demo seed made no customer sign-in')
    const demo = await ctx.db.selectFrom('units').selectAll().execute()
    await ctx.db.transaction().execute(async (trx) => {
      for (let start = demo.length; start < UNITS; start += 1000) {
        const batch = []
        for (let i = start; i < Math.min(UNITS, start + 1000); i++) {
          const template = demo[i % demo.length]
          if (!template) throw new Error('the demo seed made no units')
          batch.push({
            ...template,
            serial: `${template.serial}-${String(i).padStart(6, '0')}`,
            replaced_by_serial: null,
          })
        }
        await trx.insertInto('units').values(batch).execute()
      }
    })
    const openable = await ctx.db
      .selectFrom('units')
      .select('serial')
      .where('replaced_by_serial', 'is', null)
      .where('serial', 'like', '%-0%')
      .orderBy('serial')
      .execute()
    const app = await buildApp({ ...ctx, durable: undefined }, { rateLimits: false, webDir: null })
    const signIn = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: 'support@demo.aftercare.local', password: PASSWORD },
    })
    const headers = partyFromSetCookie(signIn.headers['set-cookie'], signIn.json().csrfToken)
    let opened = 0
    // Every ninth unit, so claims spread over models, dealers and the demo customer's units.
    for (let i = 0; opened < CLAIMS && i < openable.length; i += 9) {
      const serial = openable[i]?.serial ?? ''
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/claims',
        headers: { cookie: headers.cookie, 'x-csrf-token': headers.csrf },
        payload: {
          serial,
          problem: { kind: 'malfunction', description: 'Stops after a few minutes; no image.' },
          evidence: ['defect-media'],
        },
      })
      if (response.statusCode === 201) opened++
      else if (opened === 0)
        throw new Error(`opening a claim answered ${response.statusCode}: ${response.body}`)
    }
    if (opened < CLAIMS) console.log(`  (only ${opened} claims could be opened)`)
    await app.close()
    const backupFile = path.join(dir, 'seed.backup')
    await backupDatabase(ctx.db, ctx.engine, backupFile, new Date())
    const serials = openable.filter((_, i) => i % 10 === 0).map((u) => u.serial)
    return { backupFile, serials, customerEmail }
  } finally {
    await ctx.close()
  }
}

async function preparePostgres(backupFile: string): Promise<string | undefined> {
  const name = `aftercare_bench_load_${process.pid}`
  const admin = new pg.Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 3000 })
  try {
    await admin.connect()
    await admin.query(`drop database if exists ${name} with (force)`)
    await admin.query(`create database ${name}`)
  } catch (error) {
    console.log(`PostgreSQL not reachable (${(error as Error).message}); skipped`)
    return undefined
  } finally {
    await admin.end().catch(() => {})
  }
  const url = PG_ADMIN.replace(/\/[^/]*$/, `/${name}`)
  const { buildContext } = await import('../src/app/build-context.ts')
  const { loadConfig } = await import('../src/shared/config.ts')
  const { migrateToLatest } = await import('../src/db/migrations.ts')
  const { restoreDatabase } = await import('../src/db/backup.ts')
  const ctx = buildContext(loadConfig({ DATABASE_URL: url }))
  try {
    await migrateToLatest(ctx.db)
    await restoreDatabase(ctx.db, ctx.engine, backupFile, { force: true })
  } finally {
    await ctx.close()
  }
  return url
}

async function dropPostgres(url: string): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_ADMIN })
  await admin.connect()
  await admin.query(`drop database if exists ${url.slice(url.lastIndexOf('/') + 1)} with (force)`)
  await admin.end()
}

// ---------------------------------------------------------------------------------------

async function benchEngine(
  engine: 'sqlite' | 'postgres',
  seedDir: string,
  seed: Seed,
): Promise<string | undefined> {
  const env: NodeJS.ProcessEnv = { ...process.env, AFTERCARE_RATE_LIMITS: 'off' }
  delete env.DATABASE_URL
  let dataDir = path.join(seedDir, 'sqlite')
  let pgUrl: string | undefined
  if (engine === 'postgres') {
    console.log('\nRestoring the same data into PostgreSQL …')
    pgUrl = await preparePostgres(seed.backupFile)
    if (!pgUrl) return undefined
    env.DATABASE_URL = pgUrl
    dataDir = path.join(seedDir, 'pg-data')
  }
  env.AFTERCARE_DATA = dataDir
  const children: ChildProcess[] = []
  try {
    // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the server there when it stops.
    const profile = process.env.BENCH_CPU_PROF
      ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF]
      : []
    // BENCH_NODE_FLAGS="--flag …" starts the server with these Node flags, to compare settings.
    const nodeFlags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []
    const server = spawn(
      process.execPath,
      [...profile, ...nodeFlags, 'bin/aftercare.js', 'serve', '--port', '0'],
      {
        cwd: ROOT,
        env,
      },
    )
    children.push(server)
    const listening = waitForUrl(server, /serving on (http:\/\/\S+)/)
    // The server fills its look-up cache at start; memory "at start" is measured with it full.
    const cacheFilled = waitForUrl(server, /look-ups of (\d+) units answered from memory/)
    const baseUrl = await listening
    await cacheFilled
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS })
    const client = makeClient(baseUrl, agent)
    const world = await discoverWorld(client, engine, seed)

    const rssAtStart = rssMb(server.pid)
    console.log(
      `\n${engine}: ${CONNECTIONS} connections, ${DURATION_S} s × ${ROUNDS} rounds; server RSS ${rssAtStart} MB at start`,
    )
    await runLoad(client, world, 3) // warm-up: JIT, statement caches, page cache
    const rounds: RoundResult[] = []
    for (let round = 1; round <= ROUNDS; round++) {
      const result = await runLoad(client, world, DURATION_S, server.pid)
      await sleep(2000)
      result.rssAfter = rssMb(server.pid)
      rounds.push(result)
      console.log(
        `  round ${round}: ${result.rps.toFixed(0)} req/s, errors ${result.errors}, RSS peak ${result.rssPeak} MB, ${result.rssAfter} MB 2 s after; CPU: server ${result.serverCores.toFixed(2)} cores (${((1000 * result.serverCores) / result.rps).toFixed(2)} ms a request), load generator ${result.clientCores.toFixed(2)}`,
      )
    }
    const best = rounds[Math.floor(rounds.length / 2)] ?? rounds[0]
    if (!best) throw new Error('no rounds ran')
    const ordered = [...rounds].sort((a, b) => a.rps - b.rps)
    const median = ordered[Math.floor(ordered.length / 2)] ?? best
    printOperations(median)

    // The bare read limit: same reads, same bodies, from memory.
    const bodiesFile = path.join(seedDir, `bodies-${engine}.json`)
    fs.writeFileSync(bodiesFile, JSON.stringify(await captureReadBodies(client, world)))
    const bare = spawn(process.execPath, ['--import', 'tsx', 'bench/load.bench.ts', '--bare', bodiesFile], {
      cwd: ROOT,
      env,
    })
    children.push(bare)
    const bareUrl = await waitForUrl(bare, /bare listening on (http:\/\/\S+)/)
    const bareAgent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS })
    const bareResult = await runLoad(makeClient(bareUrl, bareAgent), world, DURATION_S, undefined, true)
    const realReads = readRate(median)
    console.log(
      `  bare read limit (node:http + Map, reads only): ${bareResult.rps.toFixed(0)} req/s (load generator ${bareResult.clientCores.toFixed(2)} cores); the server's reads ran at ${realReads.toFixed(0)} req/s beside its writes`,
    )

    // The raw durable-commit rate: as many single-row commits as the median round wrote.
    const writes = median.writes
    const commitsPerSecond = await rawCommitRate(engine, seedDir, pgUrl, writes)
    const writeRate = writes / median.seconds
    console.log(
      `  raw durable commits (${writes} single-row commits from a bare script, one after another): ${commitsPerSecond.toFixed(0)}/s; the server made ${writeRate.toFixed(0)} writes/s (${(writeRate / commitsPerSecond).toFixed(2)}x)`,
    )
    const [load1, load5] = os.loadavg()
    console.log(`  load average ${load1?.toFixed(2)} (1 min), ${load5?.toFixed(2)} (5 min)`)
    const rssEnd = rounds.at(-1)?.rssAfter ?? 0
    console.log(
      `  memory: ${rssAtStart} MB at start, peaks ${rounds.map((r) => r.rssPeak).join(' / ')} MB, ${rssEnd} MB after the last round`,
    )
    return `load ${engine}: ${median.rps.toFixed(0)} req/s, read p99 ${percentile(median.readLatencies, 0.99).toFixed(1)} ms, write p99 ${percentile(median.writeLatencies, 0.99).toFixed(1)} ms, rss ${Math.max(...rounds.map((r) => r.rssPeak))} MB`
  } finally {
    for (const child of children) child.kill('SIGTERM')
    await Promise.all(children.map((child) => exited(child)))
    if (pgUrl) await dropPostgres(pgUrl).catch(() => {})
  }
}

// ---------------------------------------------------------------------------------------
// The client: node:http with keep-alive, light enough to share two cores with the server.

interface Answer {
  status: number
  body: string
  etag: string | undefined
  setCookie: string[] | undefined
}
type Client = (
  method: string,
  url: string,
  party?: Party,
  body?: unknown,
  extraHeaders?: Record<string, string>,
) => Promise<Answer>

function makeClient(baseUrl: string, agent: http.Agent): Client {
  const base = new URL(baseUrl)
  return (method, url, party, body, extraHeaders = {}) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body)
      const headers: Record<string, string> = { ...extraHeaders }
      if (party) {
        headers.cookie = party.cookie
        if (method !== 'GET') headers['x-csrf-token'] = party.csrf
      }
      if (payload !== undefined) {
        headers['content-type'] = 'application/json'
        headers['content-length'] = String(Buffer.byteLength(payload))
      }
      const request = http.request(
        { host: base.hostname, port: base.port, path: url, method, headers, agent },
        (response) => {
          const chunks: Buffer[] = []
          response.on('data', (chunk: Buffer) => chunks.push(chunk))
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              etag: response.headers.etag,
              setCookie: response.headers['set-cookie'],
            }),
          )
          response.on('error', reject)
        },
      )
      request.on('error', reject)
      request.end(payload)
    })
}

function partyFromSetCookie(setCookie: string | string[] | undefined, csrf: string): Party {
  const cookies = [setCookie ?? []].flat().map((c) => c.split(';')[0] ?? '')
  return { cookie: cookies.join('; '), csrf }
}

async function signIn(client: Client, email: string): Promise<Party> {
  const answer = await client('POST', '/api/v1/auth/sign-in', undefined, { email, password: PASSWORD })
  if (answer.status !== 200) throw new Error(`sign-in of ${email} answered ${answer.status}: ${answer.body}`)
  return partyFromSetCookie(answer.setCookie, JSON.parse(answer.body).csrfToken)
}

async function claimIdsOf(client: Client, party: Party): Promise<string[]> {
  const answer = await client('GET', '/api/v1/claims?limit=100', party)
  if (answer.status !== 200) throw new Error(`claim list answered ${answer.status}: ${answer.body}`)
  const page = JSON.parse(answer.body) as { items?: Array<{ id: string }>; claims?: Array<{ id: string }> }
  return (page.items ?? page.claims ?? []).map((c) => c.id)
}

async function discoverWorld(client: Client, engine: string, seed: Seed): Promise<World> {
  const staff = await signIn(client, 'support@demo.aftercare.local')
  const dealer = await signIn(client, 'dealer1@demo.aftercare.local')
  const customer = await signIn(client, seed.customerEmail)
  const staffClaims = await claimIdsOf(client, staff)
  const dealerClaims = await claimIdsOf(client, dealer)
  const customerClaims = await claimIdsOf(client, customer)
  if (dealerClaims.length === 0 || customerClaims.length === 0)
    throw new Error(`${engine}: the dealer or the customer sees no claims`)
  // Claims still new, one per connection, moved once into remote diagnosis so that the
  // information request and its answer can alternate for as long as the load runs.
  const stepClaims: World['stepClaims'] = []
  for (const id of staffClaims) {
    if (stepClaims.length === CONNECTIONS) break
    const page = await client('GET', `/api/v1/claims/${id}`, staff)
    const claim = JSON.parse(page.body) as { state: string }
    if (claim.state !== 'new') continue
    const started = await client(
      'POST',
      `/api/v1/claims/${id}/transitions/start-diagnosis`,
      staff,
      {},
      {
        'if-match': page.etag ?? '',
      },
    )
    if (started.status !== 200) throw new Error(`start-diagnosis answered ${started.status}: ${started.body}`)
    stepClaims.push({ id, etag: started.etag ?? '', awaiting: false })
  }
  if (stepClaims.length < CONNECTIONS) throw new Error(`only ${stepClaims.length} new claims for the steps`)
  const stepIds = new Set(stepClaims.map((c) => c.id))
  return {
    serials: seed.serials,
    staff,
    dealer,
    customer,
    staffClaims: staffClaims.filter((id) => !stepIds.has(id)),
    dealerClaims,
    customerClaims,
    stepClaims,
  }
}

// ---------------------------------------------------------------------------------------
// The load itself.

interface RoundResult {
  rps: number
  seconds: number
  errors: number
  writes: number
  latencies: Map<Operation, number[]>
  readLatencies: number[]
  writeLatencies: number[]
  rssPeak: number
  rssAfter: number
  /** CPU the load generator (this process) and the server used, in cores: both share the machine's two. */
  clientCores: number
  serverCores: number
}

function pick<T>(items: readonly T[]): T {
  const item = items[Math.floor(Math.random() * items.length)]
  if (item === undefined) throw new Error('nothing to pick from')
  return item
}

function drawOperation(readsOnly: boolean): Operation {
  for (;;) {
    let roll = Math.random() * MIX_TOTAL
    for (const [operation, weight] of MIX) {
      roll -= weight
      if (roll < 0) {
        if (readsOnly && WRITES.has(operation)) break
        return operation
      }
    }
  }
}

async function send(
  client: Client,
  world: World,
  operation: Operation,
  connection: number,
): Promise<boolean> {
  const ok = (answer: Answer, status = 200) => answer.status === status
  switch (operation) {
    case 'look-up':
      return ok(await client('GET', `/api/v1/units/${encodeURIComponent(pick(world.serials))}/warranty`))
    case 'list (staff)':
      return ok(await client('GET', '/api/v1/claims?limit=20', world.staff))
    case 'list (dealer)':
      return ok(await client('GET', '/api/v1/claims?limit=20', world.dealer))
    case 'list (customer)':
      return ok(await client('GET', '/api/v1/claims?limit=20', world.customer))
    case 'page (staff)':
      return ok(await client('GET', `/api/v1/claims/${pick(world.staffClaims)}`, world.staff))
    case 'page (dealer)':
      return ok(await client('GET', `/api/v1/claims/${pick(world.dealerClaims)}`, world.dealer))
    case 'page (customer)':
      return ok(await client('GET', `/api/v1/claims/${pick(world.customerClaims)}`, world.customer))
    case 'message (staff)':
      return ok(
        await client('POST', `/api/v1/claims/${pick(world.staffClaims)}/messages`, world.staff, {
          body: 'We are looking at it and will write again tomorrow.',
        }),
        201,
      )
    case 'message (customer)':
      return ok(
        await client('POST', `/api/v1/claims/${pick(world.customerClaims)}/messages`, world.customer, {
          body: 'Thank you. The fault came back this evening.',
        }),
        201,
      )
    case 'step': {
      const claim = world.stepClaims[connection]
      if (!claim) throw new Error('no claim for this connection')
      const action = claim.awaiting ? 'provide-info' : 'request-info'
      const body = claim.awaiting
        ? { answer: 'Photos attached to the message.', evidence: [] }
        : { request: 'Please send a photo of the serial label.' }
      const answer = await client(
        'POST',
        `/api/v1/claims/${claim.id}/transitions/${action}`,
        world.staff,
        body,
        {
          'if-match': claim.etag,
        },
      )
      if (answer.status !== 200) return false
      claim.etag = answer.etag ?? claim.etag
      claim.awaiting = !claim.awaiting
      return true
    }
  }
}

async function runLoad(
  client: Client,
  world: World,
  seconds: number,
  serverPid?: number,
  readsOnly = false,
): Promise<RoundResult> {
  const latencies = new Map<Operation, number[]>(MIX.map(([operation]) => [operation, []]))
  let errors = 0
  let total = 0
  let writes = 0
  let rssPeak = 0
  const sampler = serverPid
    ? setInterval(() => {
        rssPeak = Math.max(rssPeak, rssMb(serverPid))
      }, 500)
    : undefined
  const started = performance.now()
  const cpuStart = process.cpuUsage()
  const serverCpuStart = serverPid ? cpuOf(serverPid) : 0
  const deadline = started + seconds * 1000
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, connection) => {
      while (performance.now() < deadline) {
        const operation = drawOperation(readsOnly)
        const sentAt = performance.now()
        let good = false
        try {
          good = await send(client, world, operation, connection)
        } catch {
          good = false
        }
        latencies.get(operation)?.push(performance.now() - sentAt)
        total++
        if (WRITES.has(operation)) writes++
        if (!good) errors++
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  const cpuUsed = process.cpuUsage(cpuStart)
  const clientCores = (cpuUsed.user + cpuUsed.system) / 1e6 / elapsed
  const serverCores = serverPid ? (cpuOf(serverPid) - serverCpuStart) / elapsed : Number.NaN
  if (sampler) clearInterval(sampler)
  if (serverPid) rssPeak = Math.max(rssPeak, rssMb(serverPid))
  // concat, not push(...values): a fast round holds more latencies than a call may take arguments.
  const readLatencies = [...latencies].flatMap(([operation, values]) => (WRITES.has(operation) ? [] : values))
  const writeLatencies = [...latencies].flatMap(([operation, values]) =>
    WRITES.has(operation) ? values : [],
  )
  return {
    rps: total / elapsed,
    seconds: elapsed,
    errors,
    writes,
    latencies,
    readLatencies,
    writeLatencies,
    rssPeak,
    rssAfter: 0,
    clientCores,
    serverCores,
  }
}

/** CPU seconds a process has used so far, its threads' included (utime and stime of `/proc/<pid>/stat`, in clock ticks of 1/100 s). */
function cpuOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

function readRate(result: RoundResult): number {
  return result.readLatencies.length / result.seconds
}

function printOperations(result: RoundResult): void {
  console.log('  per operation (median round):')
  console.log(
    `    ${'operation'.padEnd(20)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}`,
  )
  for (const [operation, values] of result.latencies) {
    if (values.length === 0) continue
    console.log(
      `    ${operation.padEnd(20)} ${(values.length / result.seconds).toFixed(0).padStart(7)} ${percentile(values, 0.5).toFixed(1).padStart(8)} ${percentile(values, 0.99).toFixed(1).padStart(8)} ${Math.max(
        ...values,
      )
        .toFixed(1)
        .padStart(8)}`,
    )
  }
  console.log(`    errors (non-2xx or failed): ${result.errors}`)
}

/** The real server's answers to the reads of the mix, for the bare server to replay. */
async function captureReadBodies(client: Client, world: World): Promise<Array<[string, string]>> {
  const bodies: Array<[string, string]> = []
  const list = await client('GET', '/api/v1/claims?limit=20', world.staff)
  bodies.push(['/api/v1/claims?', list.body])
  for (const serial of world.serials) {
    const url = `/api/v1/units/${encodeURIComponent(serial)}/warranty`
    bodies.push([url, (await client('GET', url)).body])
  }
  for (const id of new Set([...world.staffClaims, ...world.dealerClaims, ...world.customerClaims])) {
    const url = `/api/v1/claims/${id}`
    bodies.push([url, (await client('GET', url, world.staff)).body])
  }
  return bodies
}

async function rawCommitRate(
  engine: 'sqlite' | 'postgres',
  dir: string,
  pgUrl: string | undefined,
  commits: number,
): Promise<number> {
  const count = Math.max(commits, 100)
  if (engine === 'sqlite') {
    const file = path.join(dir, 'raw-commits.db')
    const sqlite = new SqliteDatabase(file)
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('synchronous = FULL')
    sqlite.exec('create table if not exists raw (id integer primary key, body text)')
    const insert = sqlite.prepare('insert into raw (body) values (?)')
    const started = performance.now()
    for (let i = 0; i < count; i++) insert.run(`commit ${i}`)
    const rate = count / ((performance.now() - started) / 1000)
    sqlite.close()
    return rate
  }
  const client = new pg.Client({ connectionString: pgUrl })
  await client.connect()
  try {
    await client.query('create table if not exists raw_commits (id serial primary key, body text)')
    const started = performance.now()
    for (let i = 0; i < count; i++)
      await client.query('insert into raw_commits (body) values ($1)', [`commit ${i}`])
    return count / ((performance.now() - started) / 1000)
  } finally {
    await client.end()
  }
}

// ---------------------------------------------------------------------------------------

function percentile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = Float64Array.from(values).sort()
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
}

function rssMb(pid: number | undefined): number {
  if (!pid) return 0
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
    return Math.round(kb / 1024)
  } catch {
    return 0
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

// Last, so that every constant above is initialised before either side runs.
if (process.argv[2] === '--bare') {
  const bodies = new Map<string, string>(JSON.parse(fs.readFileSync(process.argv[3] ?? '', 'utf8')))
  const server = http.createServer((req, res) => {
    const url = req.url ?? ''
    const key = url.startsWith('/api/v1/claims?') ? '/api/v1/claims?' : url
    const body = bodies.get(key)
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json; charset=utf-8' })
    res.end(body ?? '{"error":{"code":"not-found"}}')
  })
  server.listen(0, '127.0.0.1', () => {
    const address = server.address()
    if (address && typeof address === 'object')
      console.log(`bare listening on http://127.0.0.1:${address.port}`)
  })
} else {
  await main()
}
