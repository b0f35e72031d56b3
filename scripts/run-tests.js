#!/usr/bin/env node
// The README's test command. Finds every *.test.ts, gives this run its own PostgreSQL
// database (dropped afterwards) so the integration suite runs on both engines, builds the
// web app once for the browser tests, and hands everything to Node's own test runner.
import { spawn, spawnSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
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

const files =
  args.length > 0
    ? args
    : ['src', 'test', 'web']
        .filter((d) => fs.existsSync(path.join(root, d)))
        .flatMap((d) => findTests(path.join(root, d)))
        .sort()

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
const env = { ...process.env }
if (testDatabase) env.AFTERCARE_TEST_PG_URL = adminUrl.replace(/\/[^/]*$/, `/${testDatabase}`)

if (fs.existsSync(path.join(root, 'web', 'vite.config.ts')) && process.env.AFTERCARE_SKIP_WEB_BUILD !== '1') {
  const build = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
    env,
  })
  if (build.status !== 0) {
    console.error('The web app did not build.')
    process.exit(1)
  }
}

const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { cwd: root, stdio: 'inherit', env },
)
const code = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)))

if (testDatabase) {
  try {
    const admin = new pg.Client({ connectionString: adminUrl })
    await admin.connect()
    await admin.query(`drop database if exists ${testDatabase} with (force)`)
    await admin.end()
  } catch (error) {
    console.warn(`could not drop ${testDatabase}: ${error.message}`)
  }
}
process.exit(code)
