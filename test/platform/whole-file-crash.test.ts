import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { runForTest } from '../../src/shared/test-process.ts'

/*
 * `export --out` (and `recoveries statement --out`) write under a hidden partial name and
 * rename once whole. A writer killed part-way leaves that partial file behind; the next run
 * must clear it, and must not start beside a writer that is still alive.
 */

const ROOT = path.resolve(import.meta.dirname, '../..')
const CHILD = path.join(import.meta.dirname, 'whole-file-crash.child.ts')

/** Starts a writer of `file` and resolves once it has written half and stopped there. */
async function startHalfWriter(file: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const reached = await new Promise<boolean>((resolve) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('half written')) resolve(true)
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.on('exit', () => resolve(false))
  })
  assert.equal(reached, true, `the writer stopped before half its file: ${output}`)
  return child
}

async function kill9(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGKILL')
  await exited
}

const partials = (folder: string) => fs.readdirSync(folder).filter((name) => name.endsWith('.partial'))

describe('a whole-file --out beside a writer killed part-way, or one still writing', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-whole-file-crash-'))
  const outDir = path.join(dataDir, 'out')
  const out = path.join(outDir, 'units.csv')
  const children: ChildProcess[] = []
  const env: NodeJS.ProcessEnv = { ...process.env, AFTERCARE_DATA: dataDir, AFTERCARE_LANGUAGE: 'en' }
  delete env.DATABASE_URL
  const exportUnits = () =>
    runForTest(process.execPath, ['bin/aftercare.js', 'export', 'units', '--out', out], { cwd: ROOT, env })

  before(() => {
    fs.mkdirSync(outDir)
    const migrated = runForTest(process.execPath, ['bin/aftercare.js', 'migrate'], { cwd: ROOT, env })
    assert.equal(migrated.status, 0, migrated.stderr)
  })
  after(async () => {
    for (const child of children) await kill9(child)
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  it('refuses to write beside a live writer, naming --out, and leaves its partial alone', async () => {
    const writer = await startHalfWriter(out)
    children.push(writer)
    // Stopped whatever the outcome: a live writer left behind would hold the next test's file.
    try {
      await refusedBesideLiveWriter()
    } finally {
      await kill9(writer)
    }
  })

  async function refusedBesideLiveWriter(): Promise<void> {
    const [held] = partials(outDir)
    assert.ok(held, 'the live writer has its partial file')
    const refused = exportUnits()
    assert.equal(refused.status, 2, `${refused.stdout}\n${refused.stderr}`)
    // A long path is echoed cut, so the name may show only as its length.
    assert.match(
      refused.stderr,
      /^aftercare: --out: .*(units\.csv|… \(\d+ characters\)) is being written by another process \(\d+\)/,
    )
    assert.deepEqual(
      partials(outDir),
      [held],
      "the live writer's partial is untouched, and no second one is left",
    )
    assert.equal(fs.existsSync(out), false, 'nothing took the name')
  }

  it('after kill -9 of a writer part-way, the next run replaces its partial and leaves only the whole file', async () => {
    fs.writeFileSync(out, 'the previous export\n')
    const writer = await startHalfWriter(out)
    children.push(writer)
    await kill9(writer)
    assert.equal(partials(outDir).length, 1, 'the killed writer left its partial file')
    assert.equal(fs.readFileSync(out, 'utf8'), 'the previous export\n', 'the previous file is as it was')

    const again = exportUnits()
    assert.equal(again.status, 0, again.stderr)
    const toStdout = runForTest(process.execPath, ['bin/aftercare.js', 'export', 'units'], { cwd: ROOT, env })
    assert.equal(toStdout.status, 0, toStdout.stderr)
    assert.equal(
      fs.readFileSync(out, 'utf8'),
      toStdout.stdout,
      'the file is the export, whole, and only that',
    )
    assert.deepEqual(partials(outDir), [], 'no partial file is left behind')
  })
})
