import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { DESK, findSignIn, type Harness, openPage, RESULTS, signIn, startHarness } from './browser-harness.ts'

let harness: Harness
before(async () => {
  harness = await startHarness()
})
after(async () => {
  await harness?.close()
})

/**
 * Every page shows its data on a cold load (fresh context, empty cache). How fast is a
 * benchmark's question (npm run bench:web, against the 1 s limit), not a timed test's: the
 * figures are written to test-results/page-load.json for a look.
 */
test('every page shows its data on a cold load of the demo', async () => {
  const manager = findSignIn(harness, 'manager')
  const targets = [
    { path: `/warranty/${harness.demo.serials[0]}`, ready: '[data-testid="warranty-result"]' },
    { path: '/staff', ready: '[data-testid="claim-table"], .muted' },
    { path: '/staff/catalogue', ready: '[data-testid="models"] li' },
    { path: '/staff/policies', ready: '[data-testid="policy-table"] tbody tr' },
    { path: '/staff/dashboard', ready: '[data-testid="dashboard"] .card' },
  ]
  const figures: {
    path: string
    domContentLoadedMs: number
    loadMs: number
    readyMs: number
    transferKb: number
  }[] = []
  for (const target of targets) {
    const { page, context } = await openPage(harness, DESK)
    if (target.path.startsWith('/staff')) await signIn(page, manager.email, manager.password)
    const started = Date.now()
    await page.goto(target.path)
    await page.locator(target.ready).first().waitFor()
    const readyMs = Date.now() - started
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
      const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[]
      return {
        domContentLoadedMs: nav.domContentLoadedEventEnd - nav.startTime,
        loadMs: nav.loadEventEnd - nav.startTime,
        transferKb: (nav.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0)) / 1024,
      }
    })
    figures.push({ path: target.path, readyMs, ...timing })
    await context.close()
  }
  fs.writeFileSync(path.join(RESULTS, 'page-load.json'), `${JSON.stringify(figures, null, 2)}\n`)
  assert.equal(figures.length, targets.length)
  for (const figure of figures) assert.ok(figure.loadMs > 0, `${figure.path} finished loading`)
})
