import v8 from 'node:v8'
import vm from 'node:vm'
import { parseWholeNumber } from '../shared/validate.ts'

/**
 * How far, in percent, a server's heap may grow past what the last full collection kept
 * before the next one starts. V8 picks up to 300 % when collections are cheap, as they are
 * for a server whose live data is small: under 50 connections a server keeping about 70 MB
 * grew to 250 MB of heap, and past 430 MB of memory in all. At 20-35 % it stayed at
 * 210-230 MB with the same requests per second (`npm run bench:load`).
 */
export const DEFAULT_HEAP_GROWTH_PERCENT = 25

/** `AFTERCARE_HEAP_GROWTH` (percent; 0 leaves V8 its own choice), or the default. */
export function heapGrowthPercent(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.AFTERCARE_HEAP_GROWTH
  if (raw === undefined || raw === '') return DEFAULT_HEAP_GROWTH_PERCENT
  return parseWholeNumber(raw, 'AFTERCARE_HEAP_GROWTH', { min: 0, max: 1000 })
}

/**
 * Bounds the heap's growth for the rest of the process. V8 reads this setting each time
 * it sets the next collection's limit, so it holds from the next collection on.
 */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${percent}`)
}

/**
 * One full collection, once start-up work (the look-up cache) is done. The bound above
 * applies from the first full collection on, and V8's first limit is generous: a server
 * that filled its cache carried that allowance into its first minute of traffic (peaks of
 * 300 MB against 220 MB after). V8 offers its collector to code only behind a flag, so it
 * is switched on for the moment and the collector taken from a fresh context, as test
 * runners do to measure heaps.
 */
export function settleHeap(): void {
  v8.setFlagsFromString('--expose-gc')
  const collect = vm.runInNewContext('gc') as () => void
  v8.setFlagsFromString('--no-expose-gc')
  collect()
}
