import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, test } from 'node:test'
import { runForTestAsync } from '../../src/shared/test-process.ts'

/*
 * A command refused for its flags says so before it loads what it would run: the database
 * drivers, the HTTP server, the PDF and mail libraries. Loading them took most of a second
 * of every refusal. Node's module debug output names each CommonJS package as it is loaded,
 * which is what these are.
 */

const root = path.resolve(import.meta.dirname, '../..')
const bin = path.join(root, 'bin/aftercare.js')
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-lazy-'))
after(() => fs.rmSync(dataDir, { recursive: true, force: true }))

const HEAVY_PACKAGES = ['better-sqlite3', 'pg', 'fastify', 'pdfkit', 'nodemailer']

/** The packages of `HEAVY_PACKAGES` a run of the command line loaded. */
async function heavyPackagesLoadedBy(argv: string[]): Promise<{ loaded: string[]; status: number | null }> {
  const run = await runForTestAsync(process.execPath, [bin, ...argv], {
    cwd: dataDir,
    env: {
      ...process.env,
      NODE_DEBUG: 'module',
      AFTERCARE_DATA: dataDir,
      DATABASE_URL: '',
      SMTP_URL: '',
      AFTERCARE_LANGUAGE: 'en',
    },
  })
  const loaded = HEAVY_PACKAGES.filter((name) => run.stderr.includes(`node_modules/${name}/`))
  return { loaded, status: run.status }
}

/** One refusal per command group, each for a flag or an argument. */
const REFUSED = [
  ['migrate', 'surplus'],
  ['serve', '--port', 'x'],
  ['start', '--port', '70000'],
  ['backup'],
  ['restore', '--no-such-flag', 'file'],
  ['import', 'nothing', 'file.csv'],
  ['export', 'nothing'],
  ['units', 'show'],
  ['user', 'add', '--email', 'x'],
  ['claims', 'list', '--limit', 'x'],
  ['claims', 'act', 'claim-1', 'no-such-step', '--as', 'a@example.com'],
  ['audit', 'verify', '--no-such-flag'],
  ['sla', 'sweep', 'surplus'],
  ['outbox', 'deliver', '--no-such-flag'],
  ['simulate'],
  ['reliability', '--as-of', '2025-13-45'],
  ['reliability-warnings', '--as-of', 'x'],
  ['recoveries', 'list', '--limit', 'x'],
  ['recoveries', 'statement', 'rc-1', '--out', 'x.pdf', '--locale', 'fr'],
  ['init', '--no-such-flag'],
  ['settings', 'show', '--no-such-flag'],
]

test('a command refused for its flags loads no database driver, server, PDF or mail library', async () => {
  for (const argv of REFUSED) {
    const { loaded, status } = await heavyPackagesLoadedBy(argv)
    assert.equal(status, 2, `aftercare ${argv.join(' ')} is refused as bad input`)
    assert.deepEqual(loaded, [], `aftercare ${argv.join(' ')} loaded ${loaded.join(', ')}`)
  }
})

test('the check sees a database driver when a command does open the database', async () => {
  const { loaded, status } = await heavyPackagesLoadedBy(['migrate'])
  assert.equal(status, 0)
  assert.ok(loaded.includes('better-sqlite3'), `loaded: ${loaded.join(', ')}`)
})
