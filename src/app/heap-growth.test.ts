import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import { pathToFileURL } from 'node:url'
import { buildSync } from 'esbuild'
import { runForTest } from '../shared/test-process.ts'
import { DEFAULT_HEAP_GROWTH_PERCENT, heapGrowthPercent, settleHeap } from './heap-growth.ts'

describe('heap growth of a server', () => {
  it('reads AFTERCARE_HEAP_GROWTH, and refuses a value that is not a percent, naming it', () => {
    assert.equal(heapGrowthPercent({}), DEFAULT_HEAP_GROWTH_PERCENT)
    assert.equal(heapGrowthPercent({ AFTERCARE_HEAP_GROWTH: '' }), DEFAULT_HEAP_GROWTH_PERCENT)
    assert.equal(heapGrowthPercent({ AFTERCARE_HEAP_GROWTH: '0' }), 0)
    assert.equal(heapGrowthPercent({ AFTERCARE_HEAP_GROWTH: '40' }), 40)
    for (const raw of ['-1', '2.5', 'lots', '1001'])
      assert.throws(
        () => heapGrowthPercent({ AFTERCARE_HEAP_GROWTH: raw }),
        (error: Error & { field?: string }) => error.field === 'AFTERCARE_HEAP_GROWTH',
      )
  })

  it('keeps a heap that promotes much garbage near its live data', () => {
    // The same churn with V8's own growth and with the default bound: a ring of
    // medium-lived objects, so garbage reaches the old generation as a server's does.
    // The children run the module bundled to JavaScript, not through the TypeScript loader:
    // a child blocked in start-up or exit would block this whole process with it, and plain
    // Node has the fewest moving parts. A timeout turns any hang into a failure that says so.
    const bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-heap-growth-'))
    const bundle = path.join(bundleDir, 'heap-growth.mjs')
    buildSync({
      entryPoints: [path.join(import.meta.dirname, 'heap-growth.ts')],
      bundle: true,
      format: 'esm',
      platform: 'node',
      outfile: bundle,
      logLevel: 'silent',
    })
    const peak = (percent: number): number => {
      const script = `
        const { limitHeapGrowth } = await import(${JSON.stringify(pathToFileURL(bundle).href)})
        limitHeapGrowth(${percent})
        const live = Array.from({ length: 200_000 }, (_, i) => ({ i, text: 'kept ' + i }))
        const ring = new Array(20_000)
        let peak = 0
        for (let i = 0; i < 300_000; i++) {
          ring[i % ring.length] = { i, items: Array.from({ length: 20 }, (_, j) => ({ j, text: 'item ' + j + ' of ' + i })) }
          if (i % 1000 === 0) peak = Math.max(peak, process.memoryUsage().heapTotal)
        }
        // The live objects are kept to the end, as a server keeps its caches.
        console.log(JSON.stringify({ peak, live: live.length }))
      `
      const result = runForTest(process.execPath, ['--input-type=module', '-e', script])
      assert.equal(
        result.error,
        undefined,
        `the churn with growth ${percent} % did not finish: ${result.error}`,
      )
      assert.equal(result.status, 0, result.stderr)
      return (JSON.parse(result.stdout) as { peak: number }).peak
    }
    try {
      const unbounded = peak(0)
      const bounded = peak(DEFAULT_HEAP_GROWTH_PERCENT)
      assert.ok(bounded < unbounded * 0.8, `bounded peak ${bounded} against ${unbounded}`)
    } finally {
      fs.rmSync(bundleDir, { recursive: true, force: true })
    }
  })

  it('collects what start-up left behind, without leaving the collector to the application', async () => {
    let garbage: Array<{ i: number; text: string }> | undefined = Array.from({ length: 300_000 }, (_, i) => ({
      i,
      text: `left ${i}`,
    }))
    // Let it reach the old generation, as start-up work does.
    await new Promise((resolve) => setTimeout(resolve, 20))
    assert.equal(garbage.length, 300_000)
    garbage = undefined
    const before = process.memoryUsage().heapUsed
    settleHeap()
    const after = process.memoryUsage().heapUsed
    assert.ok(after < before - 10_000_000, `heap used ${before} then ${after}`)
    assert.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined')
  })
})
