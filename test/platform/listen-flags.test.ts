import assert from 'node:assert/strict'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { runForTestAsync } from '../../src/shared/test-process.ts'

/*
 * `serve` and `start` are left out of the generated flag runs (junk that happens to be valid
 * would serve until stopped), so their two flags are tried here, each with a value the
 * server cannot listen on. A refusal that does not come would serve on: the child is then
 * stopped after a while and the run counts as the failure it is.
 */

const bin = path.resolve(import.meta.dirname, '../../bin/aftercare.js')
const GIVE_UP_MS = 60_000

const runAftercare = (dataDir: string, argv: string[], env: NodeJS.ProcessEnv = {}) =>
  runForTestAsync(process.execPath, [bin, ...argv], {
    env: { ...process.env, AFTERCARE_DATA: dataDir, DATABASE_URL: '', AFTERCARE_LANGUAGE: 'en', ...env },
    timeout: GIVE_UP_MS,
  })

describe('serve and start refuse an address or port they cannot listen on, naming the flag', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-listen-'))
  // The commands below run side by side on one new data folder, so they also migrate it at once.
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }))

  const refused = async (argv: string[], flag: string, env: NodeJS.ProcessEnv = {}) => {
    const run = await runAftercare(dataDir, argv, env)
    const shown = `${JSON.stringify(argv)} → ${run.status}\n${run.stdout.slice(0, 300)}${run.stderr.slice(0, 600)}`
    assert.equal(run.status, 2, `bad input, not a server nor a failure\n${shown}`)
    assert.doesNotMatch(run.stdout, /serving|running at/, shown)
    assert.match(run.stderr, new RegExp(`^aftercare(: |：)${flag}[ :：]`), shown)
    assert.doesNotMatch(run.stderr, /\n\s+at |node:internal/, `no stack trace\n${shown}`)
    return run.stderr
  }

  it('an empty or blank --host, which Node reads as every interface', async () => {
    const [, , chinese] = await Promise.all([
      refused(['serve', '--host', ''], '--host'),
      refused(['start', '--host', '\t', '--port', '0'], '--host'),
      refused(['serve', '--host', ' '], '--host', { AFTERCARE_LANGUAGE: 'zh' }),
    ])
    assert.match(chinese, /\p{Script=Han}/u)
  })

  it('a --host no name resolves, or that is not an address of this machine', async () => {
    const [unknown] = await Promise.all([
      refused(['serve', '--host', 'no-such-host.invalid', '--port', '0'], '--host'),
      // TEST-NET-1: documentation only, never an address of this machine.
      refused(['serve', '--host', '192.0.2.1', '--port', '0'], '--host'),
    ])
    assert.match(unknown, /no-such-host\.invalid/)
  })

  it('a --port another program listens on', async () => {
    const taken = net.createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    try {
      const port = (taken.address() as net.AddressInfo).port
      const [stderr] = await Promise.all([
        refused(['serve', '--host', '127.0.0.1', '--port', String(port)], '--port'),
        refused(['serve', '--host', '127.0.0.1'], 'PORT', { PORT: String(port) }),
      ])
      assert.match(stderr, new RegExp(`${port}`))
    } finally {
      await new Promise((resolve) => taken.close(resolve))
    }
  })
})
