import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import type { MessageKey } from '../shared/messages/translate.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')
const WEB = path.join(ROOT, 'web')

function newestSourceTime(dir: string): number {
  let newest = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules' || entry.name.startsWith('.')) continue
    const full = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestSourceTime(full) : fs.statSync(full).mtimeMs)
  }
  return newest
}

/**
 * Builds the web app when its build is missing or older than its sources. Answers what
 * happened; a failed build leaves the API serving and says so, by the key of the line, for
 * the caller to word in its reader's language.
 */
export function buildWebIfStale(
  log: (line: Extract<MessageKey, 'cli.start.web-building' | 'cli.start.web-failed'>) => void,
): 'absent' | 'fresh' | 'built' | 'failed' {
  if (!fs.existsSync(path.join(WEB, 'vite.config.ts'))) return 'absent'
  const index = path.join(WEB, 'dist', 'index.html')
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= newestSourceTime(WEB)) return 'fresh'
  log('cli.start.web-building')
  const result = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  if (result.status === 0) return 'built'
  log('cli.start.web-failed')
  return 'failed'
}
