import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { installForProcesses, testEngines } from '../../src/db/test-database.ts'
import { runForTest, waitForLine } from '../../src/shared/test-process.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')

/** A database of its own for the commands: a data folder (SQLite) or a fresh PostgreSQL schema. */
async function freshInstall(engine: 'sqlite' | 'postgres') {
  const install = await installForProcesses(engine)
  const { dataDir } = install
  // The commands' reports are read in English, whatever the locale of the shell running the tests.
  const env: NodeJS.ProcessEnv = { ...install.env, AFTERCARE_INSECURE_COOKIES: '1', AFTERCARE_LANGUAGE: 'en' }
  const run = (...args: string[]) =>
    runForTest(process.execPath, ['bin/aftercare.js', ...args], {
      cwd: ROOT,
      env,
    })
  const file = (name: string, text: string) => {
    const at = path.join(dataDir, name)
    fs.writeFileSync(at, text)
    return at
  }
  return { dataDir, env, run, file, dispose: install.dispose }
}

const MODELS = `model,category,policy,aliases,standardPackage,brand,selfChecks,sensor,pixelSize
Nova X1,camera,retailer,NX1|Nova-1,camera|USB cable|manual,,power-on|usb-link,IMX585,2.9 µm
Nova Filter Wheel,accessory,retailer,,wheel|cable,,,,
Polaris Mount,mount,retailer,,,Polaris Mounts Ltd,,,
`
const UNITS = `serial,model,purchasedOn,shippedOn,deliveredOn,channel,dealer
NX-0001,Nova X1,2026-10-01,2026-10-02,2026-10-05,direct,
NX-0002,nx1,2026-10-01,2026-10-02,2026-10-05,direct,
NX-0003,Nova X2,2026-10-01,2026-10-02,2026-10-05,direct,
`

for (const engine of testEngines()) {
  describe(`a seller's first day without the demo (${engine})`, () => {
    const children: ChildProcess[] = []
    const disposals: Array<() => Promise<void>> = []
    after(async () => {
      for (const child of children) {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((resolve) => child.once('exit', resolve))
          child.kill('SIGTERM')
          await exited
        }
      }
      for (const dispose of disposals) await dispose()
    })

    it('init, import models, import units, serve and a warranty look-up, as the README says', async () => {
      const install = await freshInstall(engine)
      disposals.push(install.dispose)

      const init = install.run('init', '--seller', 'Acme Optics', '--admin', 'owner@acme.example')
      assert.equal(init.status, 0, init.stderr)
      const password = /password: (\S+)/.exec(init.stdout)?.[1]
      assert.ok(password, `init prints the generated password:\n${init.stdout}`)
      assert.match(init.stdout, /policy retailer/)

      const again = install.run('init', '--seller', 'Other', '--admin', 'x@acme.example')
      assert.equal(again.status, 1, 'a second init is refused')
      assert.match(again.stderr, /set up already/)

      const models = install.file('models.csv', MODELS)
      const imported = install.run('import', 'models', models)
      assert.equal(imported.status, 0, imported.stderr)
      assert.match(imported.stdout, /imported 3, unchanged 0, rejected 0/)
      const reimported = install.run('import', 'models', models)
      assert.match(reimported.stdout, /imported 0, unchanged 3, rejected 0/, 're-importing changes nothing')

      const units = install.file('units.csv', UNITS)
      const unitRun = install.run('import', 'units', units)
      assert.equal(unitRun.status, 2, 'a rejected row makes the exit status 2')
      assert.match(unitRun.stdout, /imported 2, unchanged 0, rejected 1/, 'an alias finds its model')
      const rejects = fs.readFileSync(path.join(install.dataDir, 'units.rejects.csv'), 'utf8')
      assert.match(
        rejects,
        /NX-0003,Nova X2.*,4,model,"no model ""Nova X2"" in the catalogue; did you mean ""Nova X1""\?"/,
      )

      // Past claims from the old system, on the units just imported: one good row, one unknown unit.
      const claims = install.file(
        'claims.csv',
        'serial,claimedOn,problemKind,faultConfirmed,remedy,partsCost,partsCostPayer,currency\n' +
          'NX-0001,2026-11-02,malfunction,true,repair,45.50,vendor,EUR\n' +
          'NX-9999,2026-11-03,malfunction,true,repair,,,\n',
      )
      const claimRun = install.run('import', 'claims', claims)
      assert.equal(claimRun.status, 2, claimRun.stderr)
      assert.match(claimRun.stdout, /imported 1, unchanged 0, rejected 1/)
      assert.match(
        fs.readFileSync(path.join(install.dataDir, 'claims.rejects.csv'), 'utf8'),
        /NX-9999,.*,3,serial,no registered unit has this serial/,
      )
      const claimAgain = install.run('import', 'claims', claims)
      assert.match(claimAgain.stdout, /imported 0, unchanged 1, rejected 1/, 're-importing changes nothing')
      const reliability = install.run('reliability', '--model', 'Nova X1', '--json')
      assert.equal(reliability.status, 0, reliability.stderr)
      assert.equal(JSON.parse(reliability.stdout).counts.failures, 1, 'the imported claim is a failure')

      const server = spawn(process.execPath, ['bin/aftercare.js', 'serve', '--port', '0'], {
        cwd: ROOT,
        env: install.env,
      })
      children.push(server)
      const [, url] = await waitForLine(server, /serving on (http:\/\/\S+)/, 60_000)
      const status = (await (await fetch(`${url}/api/v1/setup`)).json()) as { needed: boolean }
      assert.equal(status.needed, false)
      const refused = await fetch(`${url}/api/v1/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          seller: 'Intruder',
          adminEmail: 'evil@example.com',
          password: 'long-enough-1',
        }),
      })
      assert.equal(refused.status, 409, 'set-up over HTTP is refused once set up')

      const warranty = await fetch(`${url}/api/v1/units/NX-0002/warranty`)
      assert.equal(warranty.status, 200, await warranty.clone().text())
      const lookUp = (await warranty.json()) as Record<string, unknown>
      assert.match(JSON.stringify(lookUp), /Nova X1/)
      const demo = await fetch(`${url}/api/v1/units/PO-AM-0001/warranty`)
      assert.equal(demo.status, 404, 'no demo was seeded')

      const signIn = await fetch(`${url}/api/v1/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'owner@acme.example', password }),
      })
      assert.equal(signIn.status, 200, 'the printed admin password signs in')
    })

    // The flags are checked before any database work; one engine is enough.
    it('refuses bad flags with exit status 2, naming the flag, and writes nothing', {
      skip: engine !== 'sqlite',
    }, async () => {
      const install = await freshInstall(engine)
      disposals.push(install.dispose)
      const cases: Array<[string[], RegExp]> = [
        [['--seller', 'Acme', '--admin', 'not-an-email'], /--admin: must be an e-mail address/],
        [
          ['--seller', 'Acme', '--admin', 'a@acme.example', '--password', 'short'],
          /--password: must be at least 10/,
        ],
        [['--seller', 'Acme', '--admin', 'a@acme.example', '--policy', 'nope'], /--policy: no policy "nope"/],
        [
          ['--seller', 'Acme', '--admin', 'a@acme.example', '--country', 'Germany'],
          /--country: must be a two-letter/,
        ],
        [['--seller', 'Acme', '--admin', 'a@acme.example', '--payment-link', 'ftp://x'], /--payment-link/],
        [
          ['--seller', 'Acme', '--admin', 'a@acme.example', '--bank-name', 'HSBC'],
          // Every flag missing is named in one run, not one per attempt.
          /--account-name: is required\n.*--account-number: is required/,
        ],
        [
          ['--seller', 'Acme', '--admin', 'not-an-email', '--password', 'short', '--swift', 'x'],
          /--admin: must be an e-mail address\n.*--password: must be at least 10[^\n]*\n.*--bank-name: is required\n.*--account-name: is required\n.*--account-number: is required\n.*--swift: must be a SWIFT/,
        ],
        [['--admin', 'a@acme.example'], /--seller/],
      ]
      for (const [args, message] of cases) {
        const result = install.run('init', ...args)
        assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`)
        assert.match(result.stderr, message)
      }
      const ok = install.run(
        'init',
        '--seller',
        'Acme',
        '--admin',
        'a@acme.example',
        '--password',
        'long-enough-1',
      )
      assert.equal(ok.status, 0, `nothing was half-written by the refusals: ${ok.stderr}`)
      assert.doesNotMatch(ok.stdout, /password:/, 'a given password is not printed')
      // Other commands name their flags too, and an empty file is refused, not "imported 0".
      const others: Array<[string[], RegExp]> = [
        [
          [
            'user',
            'add',
            '--email',
            'd@acme.example',
            '--role',
            'dealer',
            '--name',
            'D',
            '--org',
            'org-nope',
          ],
          /--org: no organisation org-nope/,
        ],
        [
          ['export', 'units', '--out', path.join(install.dataDir, 'no-such-dir', 'units.csv')],
          /--out: cannot write/,
        ],
        [['import', 'units', install.file('empty.csv', '')], /the file is empty/],
      ]
      for (const [args, message] of others) {
        const result = install.run(...args)
        assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`)
        assert.match(result.stderr, message)
      }
    })

    // The rejection's advice, followed as written, must get the catalogue in; one engine is enough.
    it('a model rejected for want of a seller says what to run or write, and doing so imports it', {
      skip: engine !== 'sqlite',
    }, async () => {
      const install = await freshInstall(engine)
      disposals.push(install.dispose)
      const rejects = () => fs.readFileSync(path.join(install.dataDir, 'models.rejects.csv'), 'utf8')
      const models = install.file('models.csv', 'model,category,policy\nQA Cam 1,camera,player-one\n')

      const before = install.run('import', 'models', models)
      assert.match(before.stdout, /imported 0, unchanged 0, rejected 1/)
      const command = /set one up with (aftercare init [^,]+), or name the brand/.exec(rejects())?.[1]
      assert.ok(command, rejects())
      const filledIn: Record<string, string> = { '<name>': 'QA Optics', '<e-mail>': 'owner@qa.example' }
      const args = command
        .split(' ')
        .slice(1)
        .map((word) => filledIn[word] ?? word)
      const init = install.run(...args)
      assert.equal(init.status, 0, `${command}: ${init.stderr}`)
      assert.match(install.run('import', 'models', models).stdout, /imported 1, unchanged 0, rejected 0/)

      // Now a seller exists, and init refuses a second: a model of another policy names its brand.
      const other = install.file('models.csv', 'model,category,policy\nQA Mount 1,mount,retailer\n')
      assert.match(install.run('import', 'models', other).stdout, /rejected 1/)
      assert.match(rejects(), /name the model's brand in the brand column \(for example ""QA Optics""\)/)
      assert.doesNotMatch(rejects(), /aftercare init/)
      const named = install.file(
        'models.csv',
        'model,category,policy,brand\nQA Mount 1,mount,retailer,QA Optics\n',
      )
      assert.match(install.run('import', 'models', named).stdout, /imported 1, unchanged 0, rejected 0/)
    })
  })
}
