import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, test } from 'node:test'
import { setImmediate as nextTurn } from 'node:timers/promises'
import type { Plugin } from 'vite'
import viteConfig from '../../web/vite.config.ts'
import { buildWebIfStale, type WebBuilder } from './build-web.ts'

/** A checkout with web sources last changed a minute ago. */
function checkout(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-web-build-'))
  const web = path.join(root, 'web')
  fs.mkdirSync(path.join(web, 'src'), { recursive: true })
  fs.writeFileSync(path.join(web, 'vite.config.ts'), '')
  fs.writeFileSync(path.join(web, 'src', 'main.tsx'), '')
  const before = new Date(Date.now() - 60_000)
  for (const file of ['vite.config.ts', 'src/main.tsx']) fs.utimesSync(path.join(web, file), before, before)
  return root
}

/**
 * Sources edited after the build served, so it is stale. The times are set seconds apart:
 * the kernel stamps a file written now with a clock read a tick earlier than the process's
 * own, so a page built a moment after an edit stamped with `Date.now()` could look older
 * than the edit.
 */
function edit(web: string) {
  const index = path.join(web, 'dist', 'index.html')
  const built = new Date(Date.now() - 10_000)
  if (fs.existsSync(index)) fs.utimesSync(index, built, built)
  const edited = new Date(Date.now() - 5_000)
  fs.utimesSync(path.join(web, 'src', 'main.tsx'), edited, edited)
}

/**
 * Writes as vite does, a few turns of the event loop apart: empties the folder, writes the
 * page's script, then the page naming it, then the compressed copies.
 */
const slowBuild: WebBuilder = async (_web, outDir) => {
  fs.rmSync(outDir, { recursive: true, force: true })
  fs.mkdirSync(path.join(outDir, 'assets'), { recursive: true })
  await nextTurn()
  const script = `index-${path.basename(outDir)}.js`
  fs.writeFileSync(path.join(outDir, 'assets', script), 'whole')
  await nextTurn()
  fs.writeFileSync(path.join(outDir, 'index.html'), `<script src="/assets/${script}"></script>`)
  await nextTurn()
  fs.writeFileSync(path.join(outDir, 'index.html.br'), '')
  return true
}

/** Whether the folder a server serves holds a whole build: a page, and the script it names. */
function wholeBuildAt(dist: string): boolean {
  if (!fs.existsSync(path.join(dist, 'index.html'))) return false
  const script = /src="\/assets\/([^"]+)"/.exec(fs.readFileSync(path.join(dist, 'index.html'), 'utf8'))?.[1]
  return script !== undefined && fs.existsSync(path.join(dist, 'assets', script))
}

describe('building the web app at start', () => {
  const roots: string[] = []
  after(() => {
    for (const root of roots) fs.rmSync(root, { recursive: true, force: true })
  })
  const quiet = () => {}

  test('two instances starting at once from one checkout: the served folder always holds a whole build', async () => {
    const root = checkout()
    roots.push(root)
    const web = path.join(root, 'web')
    const dist = path.join(web, 'dist')
    assert.equal(await buildWebIfStale(quiet, { webDir: web, build: slowBuild }), 'built')
    assert.ok(wholeBuildAt(dist))
    edit(web)

    let building = true
    let looks = 0
    const broken: string[] = []
    const watch = (async () => {
      while (building) {
        looks++
        if (!wholeBuildAt(dist)) broken.push(fs.existsSync(dist) ? fs.readdirSync(dist).join(',') : 'none')
        await nextTurn()
      }
    })()
    let builds = 0
    const countedBuild: WebBuilder = (webDir, outDir) => {
      builds++
      return slowBuild(webDir, outDir)
    }
    const outcomes = await Promise.all([
      buildWebIfStale(quiet, { webDir: web, build: countedBuild, lockPollMs: 1 }),
      buildWebIfStale(quiet, { webDir: web, build: countedBuild, lockPollMs: 1 }),
    ])
    building = false
    await watch
    // The second waits for the first's build and finds it fresh: vite runs once.
    assert.deepEqual(outcomes.sort(), ['built', 'fresh'])
    assert.equal(builds, 1)
    assert.ok(!fs.existsSync(path.join(root, '.build', 'build.lock')), 'the lock is let go')
    assert.ok(looks > 3, `the folder was looked at while both built (${looks} times)`)
    assert.deepEqual(broken, [], 'a server would have served a half-written or missing build')
    assert.ok(wholeBuildAt(dist))
    assert.equal(await buildWebIfStale(quiet, { webDir: web, build: slowBuild }), 'fresh')
  })

  test('a lock left by an instance that is gone is taken over, and one held is waited for', async () => {
    const root = checkout()
    roots.push(root)
    const web = path.join(root, 'web')
    const lock = path.join(root, '.build', 'build.lock')
    fs.mkdirSync(path.dirname(lock), { recursive: true })
    const gone = spawnSync(process.execPath, ['-e', 'process.pid'])
    assert.equal(gone.status, 0)
    fs.writeFileSync(lock, `${gone.pid} left-behind`)
    assert.equal(await buildWebIfStale(quiet, { webDir: web, build: slowBuild, lockPollMs: 1 }), 'built')
    assert.ok(!fs.existsSync(lock))

    // Held by a running instance (this one), the build waits until it is let go.
    edit(web)
    fs.writeFileSync(lock, `${process.pid} another-instance`)
    let settled = false
    const waiting = buildWebIfStale(quiet, { webDir: web, build: slowBuild, lockPollMs: 1 }).finally(() => {
      settled = true
    })
    await new Promise((resolve) => setTimeout(resolve, 50))
    assert.equal(settled, false, 'it waits while the lock is held')
    fs.rmSync(lock)
    assert.equal(await waiting, 'built')
  })

  test('a holder still building is waited for however old its lock, and one whose id another process now has is not', async () => {
    const root = checkout()
    roots.push(root)
    const web = path.join(root, 'web')
    const lock = path.join(root, '.build', 'build.lock')
    let open: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      open = resolve
    })
    let builds = 0
    const gatedBuild: WebBuilder = async (webDir, outDir) => {
      builds++
      if (builds === 1) await gate
      return slowBuild(webDir, outDir)
    }
    const first = buildWebIfStale(quiet, { webDir: web, build: gatedBuild, lockPollMs: 1 })
    while (builds === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    // A build that has run for twenty minutes on a busy machine, and is running still.
    const longAgo = new Date(Date.now() - 20 * 60 * 1000)
    fs.utimesSync(lock, longAgo, longAgo)
    let settled = false
    const second = buildWebIfStale(quiet, { webDir: web, build: gatedBuild, lockPollMs: 1 }).finally(() => {
      settled = true
    })
    await new Promise((resolve) => setTimeout(resolve, 100))
    assert.equal(settled, false, 'the second waits for the live holder')
    assert.equal(builds, 1, 'and does not build beside it')
    open()
    assert.deepEqual([await first, await second], ['built', 'fresh'])

    // This process's id, written by a process that started at another moment: the server
    // of a container started again, whose id is the same as before.
    if (fs.existsSync(`/proc/${process.pid}/stat`)) {
      edit(web)
      fs.writeFileSync(lock, `${process.pid} before-restart 1`)
      assert.equal(await buildWebIfStale(quiet, { webDir: web, build: slowBuild, lockPollMs: 1 }), 'built')
      assert.ok(!fs.existsSync(lock))
    }
  })

  test('a build in place from before is replaced whole, and a failed build leaves the last one served', async () => {
    const root = checkout()
    roots.push(root)
    const web = path.join(root, 'web')
    const dist = path.join(web, 'dist')
    await slowBuild(web, dist)
    edit(web)
    assert.equal(await buildWebIfStale(quiet, { webDir: web, build: slowBuild }), 'built')
    assert.ok(fs.lstatSync(dist).isSymbolicLink())
    assert.ok(wholeBuildAt(dist))
    const served = fs.realpathSync(dist)

    edit(web)
    const lines: string[] = []
    const failing: WebBuilder = async (_web, outDir) => {
      fs.mkdirSync(outDir, { recursive: true })
      fs.writeFileSync(path.join(outDir, 'index.html'), 'half')
      return false
    }
    assert.equal(await buildWebIfStale((line) => lines.push(line), { webDir: web, build: failing }), 'failed')
    assert.deepEqual(lines, ['cli.start.web-building', 'cli.start.web-failed'])
    assert.equal(fs.realpathSync(dist), served)
    assert.ok(wholeBuildAt(dist))
    const builds = fs.readdirSync(path.join(root, '.build'))
    assert.equal(builds.length, 2, `the failed build's folder is removed: ${builds}`)
  })

  test('the compressed copies are written beside the build the command was told to write', async () => {
    const root = checkout()
    roots.push(root)
    const plugin = (viteConfig.plugins ?? [])
      .flat()
      .find(
        (p): p is Plugin => !!p && typeof p === 'object' && 'name' in p && p.name === 'aftercare-precompress',
      )
    assert.ok(plugin)
    const outDir = path.join(root, 'elsewhere')
    fs.mkdirSync(outDir)
    fs.writeFileSync(path.join(outDir, 'index.html'), '<p>page</p>')
    const hook = <K extends 'configResolved' | 'closeBundle'>(name: K) => {
      const h = plugin[name] as unknown
      return (typeof h === 'function' ? h : (h as { handler: unknown }).handler) as (
        ...args: unknown[]
      ) => unknown
    }
    await hook('configResolved').call(plugin, { root: path.join(root, 'web'), build: { outDir } })
    await hook('closeBundle').call(plugin)
    assert.ok(fs.existsSync(path.join(outDir, 'index.html.br')))
    assert.ok(fs.existsSync(path.join(outDir, 'index.html.gz')))
  })
})
