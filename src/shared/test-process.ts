import { type SpawnSyncOptionsWithStringEncoding, type SpawnSyncReturns, spawnSync } from 'node:child_process'

/**
 * How long a test waits for a child process. The slowest a test starts takes about three
 * seconds; a child that never ends would otherwise block its whole test process, and with
 * it the reports of tests already passed, since a synchronous wait cannot be failed from
 * inside. Past this the child is killed and `error` says it timed out.
 */
export const TEST_CHILD_TIMEOUT_MS = 120_000

/** `spawnSync` for tests: text output, and a child that hangs is killed rather than waited for. */
export function runForTest(
  command: string,
  args: readonly string[],
  options: Omit<SpawnSyncOptionsWithStringEncoding, 'encoding' | 'timeout'> = {},
): SpawnSyncReturns<string> {
  return spawnSync(command, args, { ...options, encoding: 'utf8', timeout: TEST_CHILD_TIMEOUT_MS })
}
