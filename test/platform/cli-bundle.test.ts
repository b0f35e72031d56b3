import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, it } from 'node:test'
import { pathToFileURL } from 'node:url'
// @ts-expect-error: plain JavaScript that runs before any TypeScript loader, without types.
import { cliBundle } from '../../bin/cli-bundle.js'

const BUNDLER = pathToFileURL(path.resolve(import.meta.dirname, '../../bin/cli-bundle.js')).href
const bundleOf = cliBundle as (root: string) => Promise<string | undefined>

/** A project root with a tiny command line: it prints its folder and, from a chunk of its own, a word. */
function makeRoot(word: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-cli-bundle-'))
  fs.mkdirSync(path.join(root, 'src', 'cli'), { recursive: true })
  fs.mkdirSync(path.join(root, 'src', 'words'))
  fs.writeFileSync(
    path.join(root, 'src', 'cli', 'main.ts'),
    [
      'const folder: string = import.meta.dirname',
      "const { word } = await import('../words/word.ts')",
      'console.log(JSON.stringify({ folder, word: word() }))',
      '',
    ].join('\n'),
  )
  writeWord(root, word)
  return root
}

function writeWord(root: string, word: string): void {
  const file = path.join(root, 'src', 'words', 'word.ts')
  fs.writeFileSync(file, `export const word = (): string => ${JSON.stringify(word)}\n`)
  // A later change than any before it, even within the file system's time resolution.
  const later = new Date(Date.now() + 2000 + Math.random() * 1000)
  fs.utimesSync(file, later, later)
}

/** Runs a module in a fresh Node process and answers what it printed. */
function run(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString()
    })
    child.on('exit', (code) => resolve({ code: code ?? -1, out, err }))
  })
}

const runBundle = async (entry: string) => JSON.parse((await run([entry])).out)

describe('the command line runs from a bundle of its sources', () => {
  const roots: string[] = []
  const root = (word: string): string => {
    const made = makeRoot(word)
    roots.push(made)
    return made
  }
  afterEach(() => {
    for (const made of roots.splice(0)) fs.rmSync(made, { recursive: true, force: true })
  })

  it('bundles the sources, which still find their own folder, and runs their lazy chunks', async () => {
    const project = root('first')
    const entry = await bundleOf(project)
    assert.ok(entry?.startsWith(path.join(project, '.build', 'cli-')))
    assert.deepEqual(await runBundle(entry!), { folder: path.join(project, 'src', 'cli'), word: 'first' })
  })

  it('reuses the bundle while the sources stay the same, and makes a new one when one changes', async () => {
    const project = root('first')
    const entry = await bundleOf(project)
    assert.equal(await bundleOf(project), entry)
    writeWord(project, 'second')
    const changed = await bundleOf(project)
    assert.ok(changed !== undefined && changed !== entry)
    assert.equal((await runBundle(changed)).word, 'second')
    // The bundle before stays whole for processes that still run from it.
    assert.equal((await runBundle(entry!)).word, 'first')
  })

  it('makes a new bundle when a source file is added', async () => {
    const project = root('first')
    const entry = await bundleOf(project)
    fs.writeFileSync(path.join(project, 'src', 'words', 'unused.ts'), 'export const unused = 1\n')
    assert.notEqual(await bundleOf(project), entry)
  })

  it('gives processes that start together each a whole bundle', async () => {
    const project = root('together')
    const script = `const { cliBundle } = await import(${JSON.stringify(BUNDLER)}); const entry = await cliBundle(${JSON.stringify(project)}); await import(entry)`
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => run(['--input-type=module', '-e', script])),
    )
    for (const result of runs) {
      assert.equal(result.code, 0, result.err)
      assert.equal(JSON.parse(result.out).word, 'together')
    }
  })

  it('falls back to the sources, saying why, when they do not bundle', async () => {
    const project = root('first')
    fs.writeFileSync(path.join(project, 'src', 'words', 'word.ts'), 'export const word = (: string =>\n')
    const script = `const { cliBundle } = await import(${JSON.stringify(BUNDLER)}); console.log(String(await cliBundle(${JSON.stringify(project)})))`
    const result = await run(['--input-type=module', '-e', script])
    assert.equal(result.out.trim(), 'undefined')
    assert.match(result.err, /Could not bundle the command line .*running the sources/)
  })

  it('runs the sources, quietly, where the project cannot hold a bundle', async () => {
    const project = root('first')
    // A file where the build folder would be stands for a folder the user cannot write to.
    fs.writeFileSync(path.join(project, '.build'), '')
    const script = `const { cliBundle } = await import(${JSON.stringify(BUNDLER)}); console.log(String(await cliBundle(${JSON.stringify(project)})))`
    const result = await run(['--input-type=module', '-e', script])
    assert.equal(result.out.trim(), 'undefined')
    assert.equal(result.err, '')
  })

  it('runs the sources when asked to', async () => {
    const project = root('first')
    const script = `const { cliBundle } = await import(${JSON.stringify(BUNDLER)}); console.log(String(await cliBundle(${JSON.stringify(project)})))`
    const result = await run(['--input-type=module', '-e', script], {
      ...process.env,
      AFTERCARE_FROM_SOURCE: '1',
    })
    assert.equal(result.out.trim(), 'undefined')
    assert.equal(fs.existsSync(path.join(project, '.build')), false)
  })
})
