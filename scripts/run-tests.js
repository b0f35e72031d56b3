#!/usr/bin/env node
// The README's test command. Finds every *.test.ts, gives this run its own PostgreSQL
// database (dropped afterwards) so the integration suite runs on both engines, builds the
// web app only when browser tests are among the files, and hands everything to Node's own
// test runner.
//
// Starting a process with the TypeScript loader costs about two seconds, so unit and
// integration test files are not given a process each: they are packed into a few shards,
// each one process that imports its files in turn. Browser test files are packed too, a few
// to a process: loading the server and Playwright took each about four seconds of processor
// time before its first test. Each still starts its own server and Chromium in its
// file-level hooks; in one process those of all its files run before its first test and
// after its last (Node's test runner hangs them on the process's root), so every file keeps
// its own demo database and browser, as alone.
//
//   npm test                      the whole suite
//   npm test -- a.test.ts b.test.ts   only these files
//   npm test -- src/policies     the test files under a folder
//   AFTERCARE_TEST_SHARDS=N       how many shards for unit and integration files (default 6)
//   AFTERCARE_BROWSER_FILES_PER_PROCESS=N  browser test files a process runs (default 4; 1 runs each alone)
//   AFTERCARE_SKIP_WEB_BUILD=1    use the web app already in web/dist
//   AFTERCARE_TEST_DEADLINE_MINUTES=N  stop the whole run after N minutes (default 60)
import { spawn, spawnSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import pg from 'pg'

const root = path.resolve(import.meta.dirname, '..')
const args = process.argv.slice(2)

function findTests(dir) {
  const found = []
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) found.push(...findTests(full))
    else if (entry.name.endsWith('.test.ts')) found.push(path.relative(root, full))
  }
  return found
}

/** A named file as it is; a named folder as the test files under it. */
function testsNamed(arg) {
  const full = path.resolve(root, arg)
  if (!fs.existsSync(full)) {
    console.error(`No such test file or folder: ${arg}`)
    process.exit(2)
  }
  if (!fs.statSync(full).isDirectory()) return [path.relative(root, full)]
  const found = findTests(full)
  if (found.length === 0) {
    console.error(`No test files (*.test.ts) under ${arg}`)
    process.exit(2)
  }
  return found
}

// A file named twice, or inside a named folder too, runs once.
const files = [
  ...new Set(
    args.length > 0
      ? args.flatMap(testsNamed)
      : ['src', 'test', 'web']
          .filter((d) => fs.existsSync(path.join(root, d)))
          .flatMap((d) => findTests(path.join(root, d))),
  ),
].sort()

const isBrowserTest = (file) => file.split(path.sep).join('/').includes('test/browser/')
const browserFiles = files.filter(isBrowserTest)
const otherFiles = files.filter((file) => !isBrowserTest(file))

/** A number from the environment, or its default; anything else stops the run, naming it. */
function numberSetting(name, fallback, accepts, wanted) {
  const value = Number(process.env[name] ?? fallback)
  if (!accepts(value)) {
    console.error(`${name} must be ${wanted}, not ${process.env[name]}`)
    process.exit(2)
  }
  return value
}

// Settings are read before the run makes anything (its database, its shard files) that a
// refusal would leave behind.
// A shard is one file to the runner, so the time limit below applies to the whole shard;
// six shards keep each shorter than four did.
const shardCount = numberSetting(
  'AFTERCARE_TEST_SHARDS',
  6,
  (n) => Number.isInteger(n) && n >= 1,
  'a whole number of at least 1',
)
const browserFilesPerProcess = numberSetting(
  'AFTERCARE_BROWSER_FILES_PER_PROCESS',
  4,
  (n) => Number.isInteger(n) && n >= 1,
  'a whole number of at least 1',
)
// A test that waits forever fails by name after fifteen minutes. A process blocked in
// synchronous code cannot be failed from inside, so the whole run also has a deadline, past
// which the runner stops every process of the suite and says so, rather than leaving the
// caller to wait.
const deadlineMinutes = numberSetting(
  'AFTERCARE_TEST_DEADLINE_MINUTES',
  60,
  (n) => Number.isFinite(n) && n > 0,
  'a positive number',
)

// Generated inputs (fast-check) draw from one seed per run, printed so that a failure can be
// repeated. A developer's run draws a new one each time, to explore; CI pins one, so a change
// is judged on its code and not on the draw. What a new draw finds is fixed, not re-rolled.
const PINNED_SEED = 20261203
const seed = numberSetting(
  'AFTERCARE_TEST_SEED',
  process.env.CI === 'true' ? PINNED_SEED : crypto.randomInt(-(2 ** 31), 2 ** 31),
  (n) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
  'a whole number from -2147483648 to 2147483647',
)

const adminUrl = process.env.AFTERCARE_TEST_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'
const requirePg = process.env.CI === 'true' || process.env.AFTERCARE_REQUIRE_PG === '1'
let testDatabase
try {
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 })
  await admin.connect()
  testDatabase = `aftercare_test_${Date.now()}_${crypto.randomBytes(3).toString('hex')}`
  await admin.query(`create database ${testDatabase}`)
  await admin.end()
} catch (error) {
  if (requirePg) {
    console.error(
      `PostgreSQL at ${adminUrl} is required for this run and could not be used: ${error.message}`,
    )
    process.exit(1)
  }
  console.warn(`PostgreSQL not reachable (${error.message}); running the integration suite on SQLite only.`)
}
/** Drops this run's PostgreSQL database, on every way out once it exists. */
async function dropTestDatabase() {
  if (!testDatabase) return
  try {
    const admin = new pg.Client({ connectionString: adminUrl })
    await admin.connect()
    await admin.query(`drop database if exists ${testDatabase} with (force)`)
    await admin.end()
  } catch (error) {
    console.warn(`could not drop ${testDatabase}: ${error.message}`)
  }
}

const env = { ...process.env, AFTERCARE_TEST_SEED: String(seed) }
console.log(`Generated inputs: seed ${seed} (AFTERCARE_TEST_SEED=${seed} npm test repeats them)`)
if (testDatabase) env.AFTERCARE_TEST_PG_URL = adminUrl.replace(/\/[^/]*$/, `/${testDatabase}`)

// Without the browser a browser test can only fail, after building the web app and starting
// its server; say so at once instead.
const CHROMIUM = '/usr/bin/chromium'
if (browserFiles.length > 0 && !fs.existsSync(CHROMIUM)) {
  console.error(
    `Browser tests need Debian's Chromium at ${CHROMIUM}, which is not installed: ` +
      'apt-get install chromium fonts-noto-cjk (.ci/run does). ' +
      'To run only other tests, name their files: npm test -- src/claims/claim-list-summary.test.ts',
  )
  process.exit(1)
}

if (browserFiles.length > 0 && process.env.AFTERCARE_SKIP_WEB_BUILD !== '1') {
  // Into a folder of its own, then web/dist is switched to it: a server of this checkout
  // still running never serves half a build (see src/app/build-web.ts).
  const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build-web.ts'], {
    cwd: root,
    stdio: 'inherit',
    env,
  })
  if (build.status !== 0) {
    console.error('The web app did not build.')
    await dropTestDatabase()
    process.exit(1)
  }
}

// Every browser file starts its server on the demo. Seeded here once, into a folder the files
// are told of, each starts on a copy instead of seeding it again (test/browser/demo-template.ts).
let demoTemplateDir
if (browserFiles.length > 0) {
  demoTemplateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-demo-template-'))
  const seeded = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/seed-demo-template.ts', demoTemplateDir],
    { cwd: root, stdio: 'inherit', env },
  )
  if (seeded.status !== 0) {
    console.error('The demo for the browser tests could not be seeded.')
    fs.rmSync(demoTemplateDir, { recursive: true, force: true })
    await dropTestDatabase()
    process.exit(1)
  }
  env.AFTERCARE_TEST_DEMO_TEMPLATE = demoTemplateDir
}

/**
 * Packs files into shards of about equal weight, heaviest first (longest-processing-time
 * scheduling). A file's size stands in for its run time; files that run on both engines
 * weigh more, since they do everything twice.
 */
function packIntoShards(testFiles, count) {
  const weighed = testFiles
    .map((file) => {
      const text = fs.readFileSync(path.resolve(root, file), 'utf8')
      return { file, weight: text.length * (text.includes('testEngines') ? 3 : 1) }
    })
    .sort((a, b) => b.weight - a.weight)
  const shards = Array.from({ length: Math.min(count, testFiles.length) }, () => ({ weight: 0, files: [] }))
  for (const item of weighed) {
    const lightest = shards.reduce((a, b) => (b.weight < a.weight ? b : a))
    lightest.files.push(item.file)
    lightest.weight += item.weight
  }
  return shards.filter((shard) => shard.files.length > 0)
}

const shardDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-test-shards-'))
/** One process's entry for each shard, importing its files in turn. */
function writeShardEntries(kind, packed) {
  return packed.map((shard, index) => {
    const entry = path.join(shardDir, `${kind}-${index + 1}-of-${packed.length}.mjs`)
    const imports = shard.files
      .sort()
      .map((file) => `await import(${JSON.stringify(pathToFileURL(path.resolve(root, file)).href)})`)
    fs.writeFileSync(entry, `// ${shard.files.length} test files in one process\n${imports.join('\n')}\n`)
    return entry
  })
}
const shardEntries = writeShardEntries('shard', packIntoShards(otherFiles, shardCount))
// A browser file alone runs as it is, named in the report; packed, heaviest first, so that
// the lightest end the run beside the other process.
const browserJobs =
  browserFilesPerProcess === 1
    ? browserFiles
    : writeShardEntries(
        'browser',
        packIntoShards(browserFiles, Math.ceil(browserFiles.length / browserFilesPerProcess)).sort(
          (a, b) => b.weight - a.weight,
        ),
      )

// Shards first: they are the longest jobs, and browser files fill in beside them.
const jobs = [...shardEntries, ...browserJobs]
const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '--import',
    pathToFileURL(path.join(root, 'scripts', 'generated-inputs-seed.js')).href,
    '--test',
    '--test-concurrency=2',
    // Per file to the runner, and a shard is many files: its heaviest took 300 s and more on
    // a busy machine. A test that hangs still fails by name, within fifteen minutes.
    '--test-timeout=900000',
    '--test-reporter=spec',
    ...jobs,
  ],
  // Its own process group, so that stopping it stops the test processes it started too.
  { cwd: root, stdio: 'inherit', env, detached: true },
)
const stopSuite = (signal) => {
  try {
    process.kill(-child.pid, signal)
  } catch {
    // already gone
  }
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopSuite(signal))
// Killed by a signal, the suite closes with no exit code, which counts as a failure.
const deadline = setTimeout(() => {
  console.error(`The suite did not finish within ${deadlineMinutes} minutes; stopping it.`)
  stopSuite('SIGKILL')
}, deadlineMinutes * 60_000)
const code = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)))
clearTimeout(deadline)
fs.rmSync(shardDir, { recursive: true, force: true })
if (demoTemplateDir) fs.rmSync(demoTemplateDir, { recursive: true, force: true })

await dropTestDatabase()
process.exit(code)
