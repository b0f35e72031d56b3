import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { type InstallForProcesses, installForProcesses, testEngines } from '../../src/db/test-database.ts'
import { waitForLine } from '../../src/shared/test-process.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')

describe('the README promise: npm start on a fresh data folder', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-start-'))
  let child: ChildProcess | undefined
  after(async () => {
    // Wait for the server to finish its shutdown (the outbox worker may still be writing
    // .eml files of the demo claims) before removing its data folder.
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
    fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 })
  })

  it('migrates, seeds the demo, prints the URL and sign-ins, and answers a warranty look-up', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AFTERCARE_DATA: dataDir,
      AFTERCARE_INSECURE_COOKIES: '1',
      // The banner is read in English, whatever the locale of the shell running the tests.
      AFTERCARE_LANGUAGE: 'en',
    }
    delete env.DATABASE_URL
    child = spawn(process.execPath, ['bin/aftercare.js', 'start', '--port', '0'], { cwd: ROOT, env })
    const printed = waitForLine(child, /Press Ctrl\+C to stop\./, 180_000)
    const [, url] = await waitForLine(child, /running at (http:\/\/[^\s]+)/, 180_000)
    await printed
    assert.ok(url)
    const health = await fetch(`${url}/healthz`)
    assert.equal(health.status, 200)
    const signIn = await fetch(`${url}/api/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@demo.aftercare.local', password: 'aftercare-demo' }),
    })
    assert.equal(signIn.status, 200, 'the printed demo admin sign-in works')
    const cookie = signIn.headers.get('set-cookie')?.split(';')[0] ?? ''
    const units = await fetch(`${url}/api/v1/units?limit=1`, { headers: { cookie } })
    assert.equal(units.status, 200)
    const body = (await units.json()) as {
      units?: Array<{ serial: string }>
      items?: Array<{ serial: string }>
    }
    const serial = (body.units ?? body.items)?.[0]?.serial
    assert.ok(serial, 'the demo has units')
    const warranty = await fetch(`${url}/api/v1/units/${encodeURIComponent(serial)}/warranty`)
    assert.equal(warranty.status, 200, await warranty.clone().text())
  })
})

for (const engine of testEngines()) {
  describe(`two first starts on one new ${engine} database at the same moment`, () => {
    const children: ChildProcess[] = []
    let install: InstallForProcesses | undefined
    after(async () => {
      for (const child of children) {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((resolve) => child.once('exit', resolve))
          child.kill('SIGTERM')
          await exited
        }
      }
      await install?.dispose()
    })

    it('both migrate and serve, exactly one seeds the demo, and the demo sign-in works on both', async () => {
      install = await installForProcesses(engine)
      // The banner is read in English, whatever the locale of the shell running the tests.
      const env = { ...install.env, AFTERCARE_INSECURE_COOKIES: '1', AFTERCARE_LANGUAGE: 'en' }
      const outputs = ['', '']
      for (let i = 0; i < 2; i++) {
        const child = spawn(process.execPath, ['bin/aftercare.js', 'start', '--port', '0'], {
          cwd: ROOT,
          env,
        })
        child.stdout.on('data', (chunk: Buffer) => {
          outputs[i] += chunk.toString()
        })
        children.push(child)
      }
      const urls = await Promise.all(
        children.map(async (child) => {
          const printed = waitForLine(child, /Press Ctrl\+C to stop\./, 180_000)
          const [, url] = await waitForLine(child, /running at (http:\/\/[^\s]+)/, 180_000)
          await printed
          return url as string
        }),
      )
      assert.equal(
        outputs.filter((output) => output.includes('Seeding the demo')).length,
        1,
        `one of the two seeds the demo, the other finds it seeded:\n${outputs.join('\n----\n')}`,
      )
      for (const url of urls) {
        const signIn = await fetch(`${url}/api/v1/auth/sign-in`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'admin@demo.aftercare.local', password: 'aftercare-demo' }),
        })
        assert.equal(signIn.status, 200, `the demo admin signs in at ${url}`)
      }
    })
  })
}

describe('a first start on PostgreSQL whose start lock is lost while it seeds', {
  skip: !testEngines().includes('postgres'),
}, () => {
  const children: ChildProcess[] = []
  let install: InstallForProcesses | undefined
  after(async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        await exited
      }
    }
    await install?.dispose()
  })

  it('stops with the reason and a non-zero exit, and the next start seeds the rest of the demo', async () => {
    install = await installForProcesses('postgres')
    const env = { ...install.env, AFTERCARE_INSECURE_COOKIES: '1', AFTERCARE_LANGUAGE: 'en' }
    const first = spawn(process.execPath, ['bin/aftercare.js', 'start', '--port', '0'], { cwd: ROOT, env })
    children.push(first)
    let stderr = ''
    first.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const exited = new Promise<number | null>((resolve) => first.once('exit', (code) => resolve(code)))
    await waitForLine(first, /Seeding the demo/, 180_000)
    const holders = await install.rows<{ pid: number }>(`
      select pid from pg_locks
      where locktype = 'advisory' and granted
        and database = (select oid from pg_database where datname = current_database())
        and objid::bigint = (hashtext('aftercare start ' || coalesce(current_schema(), ''))::bigint & 4294967295)`)
    assert.equal(holders.length, 1, 'one session holds the start lock')
    await install.rows(`select pg_terminate_backend(${holders[0]?.pid})`)
    assert.equal(await exited, 1, stderr)
    assert.match(stderr, /The start lock was lost/)
    const records = await install.rows<{ finished_at: string | null }>('select finished_at from demo_seed')
    assert.deepEqual(records, [{ finished_at: null }], 'the demo seeding is known unfinished')

    const second = spawn(process.execPath, ['bin/aftercare.js', 'start', '--port', '0'], { cwd: ROOT, env })
    children.push(second)
    const seeding = waitForLine(second, /Seeding the demo/, 180_000)
    const [, url] = await waitForLine(second, /running at (http:\/\/[^\s]+)/, 180_000)
    await seeding
    const signIn = await fetch(`${url}/api/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@demo.aftercare.local', password: 'aftercare-demo' }),
    })
    assert.equal(signIn.status, 200, 'the demo admin signs in')
    const finished = await install.rows<{ finished_at: string | null }>('select finished_at from demo_seed')
    assert.ok(finished[0]?.finished_at, 'the demo seeding is recorded finished')
  })
})
