import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { verifyHistory } from '../../src/claims/claim-history.ts'
import { type TestDatabase, testEngines } from '../../src/db/test-database.ts'
import { runForTest } from '../../src/shared/test-process.ts'
import { act, openClaimAs, openClaimBody, openClaimsWorld, seedPlayerOneUnit } from './claim-factories.ts'

const root = path.resolve(import.meta.dirname, '../..')
const bin = path.join(root, 'bin/aftercare.js')

/** Starts `aftercare serve --port 0` on the test's database and resolves with its base URL. */
function startServer(database: TestDatabase) {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0'], {
    cwd: root,
    env: {
      ...process.env,
      ...database.processEnv,
      AFTERCARE_RATE_LIMITS: 'off',
      AFTERCARE_LANGUAGE: 'en',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const url = new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /serving on (http:\/\/[^\s]+)/.exec(out)
      if (match?.[1]) resolve(match[1])
    })
    let err = ''
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString()
    })
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)))
  })
  return { child, url }
}

for (const engine of testEngines()) {
  test(`kill -9 in the middle of a burst of creations loses no acknowledged claim and leaves every chain valid (${engine})`, {}, async () => {
    const world = await openClaimsWorld(engine)
    // One unit per claim: a second open claim on a unit is refused, so the burst needs many.
    const serials: string[] = []
    for (let i = 0; i < 160; i++) serials.push(await seedPlayerOneUnit(world))
    const headers = world.customer.headers
    await world.app.close()
    // The server is the only writer from here; the test reads again after it is killed.
    if (engine === 'sqlite') await world.database.close()
    const { child, url } = startServer(world.database)
    try {
      const base = await url
      const acknowledged: string[] = []
      let stop = false
      let sent = 0
      const worker = async () => {
        while (!stop) {
          const serial = serials[sent]
          if (!serial) return
          sent += 1
          try {
            const response = await fetch(`${base}/api/v1/claims`, {
              method: 'POST',
              headers: { ...headers, 'content-type': 'application/json' },
              body: JSON.stringify(openClaimBody(serial)),
            })
            if (response.status === 201) acknowledged.push(((await response.json()) as { id: string }).id)
          } catch {
            return // the server died under us: this request was never acknowledged
          }
        }
      }
      const workers = Array.from({ length: 12 }, worker)
      // Bounded, so a server that stops acknowledging fails the test instead of hanging it.
      const deadline = Date.now() + 90_000
      while (acknowledged.length < 60 && Date.now() < deadline && sent < serials.length)
        await new Promise((r) => setTimeout(r, 20))
      child.kill('SIGKILL')
      stop = true
      await Promise.all(workers)
      assert.ok(acknowledged.length >= 60, `only ${acknowledged.length} acknowledged of ${sent}`)

      // A new connection, so what is read is what reached the database, not a cache of this process.
      const reopened = world.database.reopen()
      try {
        const rows = await reopened.db.selectFrom('claims').select('id').execute()
        const stored = new Set(rows.map((r) => r.id))
        const lost = acknowledged.filter((id) => !stored.has(id))
        assert.deepEqual(lost, [], `${lost.length} acknowledged claims lost`)
        const reports = await verifyHistory(reopened.db)
        assert.deepEqual(
          reports.filter((r) => !r.ok),
          [],
        )
        assert.ok(reports.length >= acknowledged.length)
      } finally {
        await reopened.close()
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
      if (engine === 'sqlite') fs.rmSync(world.database.dataDir, { recursive: true, force: true })
      else await world.database.dispose()
    }
  })

  test(`aftercare audit verify: exit 0 on intact chains, exit 1 and the first broken link after a row is edited (${engine})`, {}, async () => {
    const world = await openClaimsWorld(engine)
    try {
      const serial = await seedPlayerOneUnit(world)
      const claim = await openClaimAs(world, world.customer, openClaimBody(serial))
      await act(world, world.staff, claim.id, 'start-diagnosis')
      await act(world, world.staff, claim.id, 'authorize-return')
      const run = (...args: string[]) =>
        runForTest(process.execPath, [bin, 'audit', 'verify', ...args], {
          cwd: root,
          env: {
            ...process.env,
            ...world.database.processEnv,
            AFTERCARE_LANGUAGE: 'en',
          },
        })
      const intact = run()
      assert.equal(intact.status, 0, intact.stderr)
      assert.match(intact.stdout, /1 claims, 4 events: every chain is intact/)

      await world.database.db
        .updateTable('claim_events')
        .set({ actor_name: 'Someone else' })
        .where('claim_id', '=', claim.id)
        .where('seq', '=', 3)
        .execute()
      const tampered = run(claim.id)
      assert.equal(tampered.status, 1, tampered.stdout + tampered.stderr)
      assert.match(tampered.stdout, new RegExp(`claim ${claim.id}: broken at event 3`))
    } finally {
      await world.close()
    }
  })
}
