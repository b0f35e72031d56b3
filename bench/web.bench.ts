// Page loads of the web app on the demo data, in real headless Chromium, against the
// product's limit of 1 s for the largest page; and the size of the built assets.
// Run: npm run bench:web (builds web/dist first if it is missing).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { buildWeb } from '../src/app/build-web.ts'
import {
  DESK,
  findSignIn,
  openPage,
  signIn,
  startHarness,
  WEB_DIST,
} from '../test/browser/browser-harness.ts'

const LIMIT_MS = 1000
const ROUNDS = Number(process.env.ROUNDS ?? 5)

if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) {
  await buildWeb()
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

function measureAssets(): { file: string; raw: number; gzip: number; brotli: number }[] {
  const dir = path.join(WEB_DIST, 'assets')
  return fs
    .readdirSync(dir)
    .filter((f) => /\.(js|css)$/.test(f))
    .map((file) => {
      const size = (suffix: string) => {
        const full = path.join(dir, file + suffix)
        return fs.existsSync(full) ? fs.statSync(full).size : Number.NaN
      }
      return { file, raw: size(''), gzip: size('.gz'), brotli: size('.br') }
    })
    .sort((a, b) => b.raw - a.raw)
}

console.log(
  `web bench: ${ROUNDS} cold loads per page, load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores`,
)
const harness = await startHarness()
try {
  const manager = findSignIn(harness, 'manager')
  const targets = [
    { path: `/warranty/${harness.demo.serials[0]}`, ready: '[data-testid="warranty-result"]', staff: false },
    { path: '/staff', ready: '[data-testid="claim-table"], .muted', staff: true },
    { path: '/staff/catalogue', ready: '[data-testid="models"] li', staff: true },
    { path: '/staff/policies', ready: '[data-testid="policy-table"] tbody tr', staff: true },
    { path: '/staff/dashboard', ready: '[data-testid="dashboard"] .card', staff: true },
  ]
  const rows: { page: string; readyMs: number; loadMs: number; transferKb: number; ofLimit: string }[] = []
  for (const target of targets) {
    const ready: number[] = []
    const load: number[] = []
    const transfer: number[] = []
    for (let round = 0; round < ROUNDS; round++) {
      // A fresh context each round: an empty cache, as a first visit.
      const { page, context } = await openPage(harness, DESK)
      if (target.staff) await signIn(page, manager.email, manager.password)
      await page.goto(target.path)
      // Time from the navigation's start to the first frame with the page's data, read in
      // the page itself: a locator's back-off polling would add up to half a second.
      const readyAt = await page.waitForFunction(
        (selector) => (document.querySelector(selector) ? performance.now() : 0),
        target.ready,
        { polling: 'raf' },
      )
      ready.push(Number(await readyAt.jsonValue()))
      const timing = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
        const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[]
        return {
          loadMs: nav.loadEventEnd - nav.startTime,
          transferKb: (nav.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0)) / 1024,
        }
      })
      load.push(timing.loadMs)
      transfer.push(timing.transferKb)
      await context.close()
    }
    const readyMs = median(ready)
    rows.push({
      page: target.path.replace(/\/warranty\/.*/, '/warranty/:serial'),
      readyMs: Math.round(readyMs),
      loadMs: Math.round(median(load)),
      transferKb: Math.round(median(transfer)),
      ofLimit: `${((readyMs / LIMIT_MS) * 100).toFixed(0)}%`,
    })
  }
  console.log('\nMedian cold page loads (data on screen), against the 1 s limit:')
  console.table(rows)
  const worst = rows.reduce((a, b) => (b.readyMs > a.readyMs ? b : a))
  console.log(
    `largest page: ${worst.page} ${worst.readyMs} ms = ${(worst.readyMs / LIMIT_MS).toFixed(2)}x the limit`,
  )
  const assets = measureAssets()
  const total = assets.reduce(
    (sum, a) => ({ raw: sum.raw + a.raw, gzip: sum.gzip + a.gzip, brotli: sum.brotli + a.brotli }),
    {
      raw: 0,
      gzip: 0,
      brotli: 0,
    },
  )
  console.log('\nBuilt assets (bytes):')
  console.table(assets)
  console.log(`total: ${total.raw} raw, ${total.gzip} gzip, ${total.brotli} brotli`)
} finally {
  await harness.close()
}
console.log(`load average at the end ${os.loadavg()[0]?.toFixed(1)}`)
