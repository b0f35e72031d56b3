import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import SqliteDatabase from 'better-sqlite3'
import pg from 'pg'
import { allMigrations } from '../../src/db/migrations.ts'
import { testEngines } from '../../src/db/test-database.ts'
import { TEST_CHILD_TIMEOUT_MS } from '../../src/shared/test-process.ts'

/*
 * Several instances started at the same moment on one new database, as a seller scaling out
 * does on PostgreSQL or as two first starts on one data folder do: each process migrates at
 * once. Every one must succeed, and between them each migration is applied exactly once.
 */

const ROOT = path.resolve(import.meta.dirname, '../..')
const PROCESSES = 4

interface Run {
  status: number | null
  stdout: string
  stderr: string
}

function runAftercare(env: NodeJS.ProcessEnv, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/aftercare.js', ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: TEST_CHILD_TIMEOUT_MS,
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('close', (status) => resolve({ status, stdout, stderr }))
  })
}

async function freshInstall(engine: 'sqlite' | 'postgres') {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-migration-race-'))
  const env: NodeJS.ProcessEnv = { ...process.env, AFTERCARE_DATA: dataDir, AFTERCARE_LANGUAGE: 'en' }
  delete env.DATABASE_URL
  if (engine === 'sqlite') {
    return {
      env,
      appliedNames: () => {
        const db = new SqliteDatabase(path.join(dataDir, 'aftercare.db'), { readonly: true })
        try {
          return (db.prepare('select name from kysely_migration').pluck().all() as string[]).sort()
        } finally {
          db.close()
        }
      },
      dispose: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    }
  }
  const url = process.env.AFTERCARE_TEST_PG_URL as string
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`
  const query = async <R extends pg.QueryResultRow>(text: string) => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      return (await client.query<R>(text)).rows
    } finally {
      await client.end()
    }
  }
  await query(`create schema ${schema}`)
  const separator = url.includes('?') ? '&' : '?'
  env.DATABASE_URL = `${url}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`
  return {
    env,
    appliedNames: async () =>
      (await query<{ name: string }>(`select name from ${schema}.kysely_migration`))
        .map((r) => r.name)
        .sort(),
    dispose: async () => {
      await query(`drop schema if exists ${schema} cascade`)
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

const appliedCount = (run: Run): number => {
  const match = /applied (\d+) migrations/.exec(run.stdout)
  if (match) return Number(match[1])
  assert.match(run.stdout, /database is up to date/, run.stdout)
  return 0
}

for (const engine of testEngines()) {
  describe(`${PROCESSES} processes migrating one new ${engine} database at once`, () => {
    const disposals: Array<() => Promise<void>> = []
    after(async () => {
      for (const dispose of disposals) await dispose()
    })

    it('all succeed, and each migration is applied by exactly one of them', async () => {
      const install = await freshInstall(engine)
      disposals.push(install.dispose)
      const runs = await Promise.all(
        Array.from({ length: PROCESSES }, () => runAftercare(install.env, ['migrate'])),
      )
      for (const run of runs) assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`)
      const names = Object.keys(allMigrations).sort()
      assert.deepEqual(await install.appliedNames(), names)
      assert.equal(
        runs.reduce((sum, run) => sum + appliedCount(run), 0),
        names.length,
        'the processes between them applied each migration once',
      )
    })
  })
}
