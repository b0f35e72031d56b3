import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { MessageKey } from '../shared/messages/translate.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')
const WEB = path.join(ROOT, 'web')

/**
 * Builds made longer ago than this are removed when a new one is published. A page loaded
 * from the build before asks for its hashed scripts and styles after the switch; they are
 * found while it is kept.
 */
const KEEP_OLD_MS = 60 * 60 * 1000

function newestSourceTime(dir: string): number {
  let newest = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules' || entry.name.startsWith('.')) continue
    const full = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestSourceTime(full) : fs.statSync(full).mtimeMs)
  }
  return newest
}

/** Builds the web app of `webDir` into `outDir`; answers whether it built. */
export type WebBuilder = (webDir: string, outDir: string) => Promise<boolean>

const viteBuild: WebBuilder = (webDir, outDir) =>
  new Promise((resolve) => {
    const child = spawn(
      'npx',
      [
        'vite',
        'build',
        '--config',
        path.join(webDir, 'vite.config.ts'),
        '--outDir',
        outDir,
        '--logLevel',
        'warn',
      ],
      { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
    )
    child.on('error', () => resolve(false))
    child.on('close', (status) => resolve(status === 0))
  })

/** Where the web app's sources are, and how to build them (tests build without vite). */
export interface WebBuildOptions {
  webDir?: string
  build?: WebBuilder
  /** How often an instance waiting for another's build looks whether it is done (default 250 ms). */
  lockPollMs?: number
}

/**
 * Builds the web app and makes it the one `web/dist` serves; answers whether it built.
 *
 * `web/dist` is a link to a whole build in `.build/` beside the web folder. Each build goes
 * to a folder of its own and the link is replaced by a rename once it is complete, so
 * instances started together from one checkout never build into the same folder, and a
 * server always finds a whole build there: the one before or the new one. A failed build
 * leaves the one before.
 */
export async function buildWeb({ webDir = WEB, build = viteBuild }: WebBuildOptions = {}): Promise<boolean> {
  const builds = path.join(webDir, '..', '.build')
  const name = `web-${Date.now().toString(36)}-${crypto.randomBytes(4).toString('hex')}`
  const outDir = path.join(builds, name)
  fs.mkdirSync(builds, { recursive: true })
  if (!(await build(webDir, outDir)) || !fs.existsSync(path.join(outDir, 'index.html'))) {
    fs.rmSync(outDir, { recursive: true, force: true })
    return false
  }
  publish(path.join(webDir, 'dist'), path.relative(webDir, outDir))
  removeOldBuilds(builds, name)
  return true
}

/**
 * Builds the web app (see `buildWeb`) when its build is missing or older than its sources.
 * Answers what happened; a failed build leaves the API serving and says so, by the key of
 * the line, for the caller to word in its reader's language.
 */
export async function buildWebIfStale(
  log: (line: Extract<MessageKey, 'cli.start.web-building' | 'cli.start.web-failed'>) => void,
  options: WebBuildOptions = {},
): Promise<'absent' | 'fresh' | 'built' | 'failed'> {
  const webDir = options.webDir ?? WEB
  if (!fs.existsSync(path.join(webDir, 'vite.config.ts'))) return 'absent'
  const index = path.join(webDir, 'dist', 'index.html')
  const isFresh = () => fs.existsSync(index) && fs.statSync(index).mtimeMs >= newestSourceTime(webDir)
  if (isFresh()) return 'fresh'
  log('cli.start.web-building')
  const builds = path.join(webDir, '..', '.build')
  fs.mkdirSync(builds, { recursive: true })
  const release = await takeBuildLock(path.join(builds, 'build.lock'), options.lockPollMs ?? LOCK_POLL_MS)
  try {
    // Another instance may have built while this one waited for the lock.
    if (isFresh()) return 'fresh'
    if (await buildWeb(options)) return 'built'
  } finally {
    release()
  }
  log('cli.start.web-failed')
  return 'failed'
}

const LOCK_POLL_MS = 250
/**
 * How often the holder of the lock touches it while it builds, and how long untouched a lock
 * must be before a waiter takes its holder's id to be in use by another process.
 */
const LOCK_TOUCH_MS = 10_000
const LOCK_UNTOUCHED_MS = 2 * 60 * 1000

/** Whether a process of this id is running (a process of another user's counts as running). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM'
  }
}

/**
 * When the process of this id started (clock ticks since boot, from /proc on Linux), or
 * undefined where that cannot be read. With its id it names one process, not whichever
 * process has the id now: a container started again runs its server under the id it had.
 */
function processStart(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The fields after the command's name, which may hold spaces, in brackets; the start is the 22nd.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] || undefined
  } catch {
    return undefined
  }
}

/**
 * Whether the lock `content` names a holder that is gone: its process is not running, or
 * runs but started after the lock was taken (its id given to another process), or, where
 * the start of a process cannot be read, has not touched the lock for LOCK_UNTOUCHED_MS, as
 * a live holder does every LOCK_TOUCH_MS. A holder still building is never taken over,
 * however long its build takes.
 */
function holderIsGone(content: string, untouchedMs: number): boolean {
  const [pidText, , started] = content.split(' ')
  const holder = Number(pidText)
  if (!Number.isSafeInteger(holder) || holder <= 0 || !isRunning(holder)) return true
  const now = started ? processStart(holder) : undefined
  if (now !== undefined) return now !== started
  return untouchedMs > LOCK_UNTOUCHED_MS
}

/**
 * Takes the lock file of the web build, waiting while another instance holds it, and answers
 * how to let it go. Instances started together from one checkout with a stale build would each
 * run vite, minutes of both cores apiece, for one result: the second waits for the first and
 * then finds the build fresh. A lock whose holder is gone (killed mid-build) is taken over
 * (see `holderIsGone`), by moving it aside and checking it was the lock judged gone: two
 * waiters taking over one lock at once do not remove the lock the first of them took.
 */
async function takeBuildLock(file: string, pollMs: number): Promise<() => void> {
  const start = processStart(process.pid)
  const token = `${process.pid} ${crypto.randomBytes(8).toString('hex')}${start ? ` ${start}` : ''}`
  for (;;) {
    // Written aside and linked into place, so the lock is never seen without its holder's id.
    const aside = `${file}.${crypto.randomBytes(4).toString('hex')}`
    fs.writeFileSync(aside, token)
    try {
      fs.linkSync(aside, file)
      const ours = () => {
        try {
          return fs.readFileSync(file, 'utf8') === token
        } catch {
          // Taken over as abandoned, and gone already.
          return false
        }
      }
      const touch = setInterval(() => {
        if (!ours()) return
        const now = new Date()
        try {
          fs.utimesSync(file, now, now)
        } catch {
          // Gone between the look and the touch.
        }
      }, LOCK_TOUCH_MS)
      touch.unref()
      return () => {
        clearInterval(touch)
        if (ours()) fs.rmSync(file, { force: true })
      }
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST') throw error
    } finally {
      fs.rmSync(aside, { force: true })
    }
    try {
      const content = fs.readFileSync(file, 'utf8')
      if (holderIsGone(content, Date.now() - fs.statSync(file).mtimeMs)) {
        const moved = `${file}.${crypto.randomBytes(4).toString('hex')}-gone`
        fs.renameSync(file, moved)
        try {
          // Another waiter took the lock over first and holds it now: it goes back.
          if (fs.readFileSync(moved, 'utf8') !== content) fs.linkSync(moved, file)
        } catch (error) {
          if ((error as { code?: unknown }).code !== 'EEXIST') throw error
        } finally {
          fs.rmSync(moved, { force: true })
        }
        continue
      }
    } catch (error) {
      // Let go between the attempt and the look: try again at once.
      if ((error as { code?: unknown }).code === 'ENOENT') continue
      throw error
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
}

/** Points `dist` at `target` (relative to the folder of `dist`) with one rename. */
function publish(dist: string, target: string) {
  const link = `${dist}.${process.pid}-${crypto.randomBytes(4).toString('hex')}`
  // A junction on Windows needs no privilege; elsewhere the type is ignored.
  fs.symlinkSync(target, link, 'junction')
  try {
    fs.renameSync(link, dist)
  } catch (error) {
    // A folder built in place by an earlier version (or `npm run build:web`) cannot be
    // replaced by a rename: it is set aside first, once.
    const code = (error as { code?: unknown }).code
    if (code !== 'EISDIR' && code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EPERM') throw error
    const aside = path.join(path.dirname(dist), '..', '.build', `web-${Date.now().toString(36)}-replaced`)
    fs.renameSync(dist, aside)
    fs.renameSync(link, dist)
    // Kept as long as any build before a new one (see KEEP_OLD_MS), counted from now.
    const now = new Date()
    fs.utimesSync(aside, now, now)
  }
}

function removeOldBuilds(builds: string, keep: string) {
  for (const entry of fs.readdirSync(builds, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith('web-') || entry.name === keep) continue
    const full = path.join(builds, entry.name)
    try {
      if (Date.now() - fs.statSync(full).mtimeMs > KEEP_OLD_MS)
        fs.rmSync(full, { recursive: true, force: true })
    } catch {
      // Another process removed it first.
    }
  }
}
