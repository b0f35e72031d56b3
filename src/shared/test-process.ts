import {
  type ChildProcess,
  type SpawnOptions,
  type SpawnSyncOptionsWithStringEncoding,
  type SpawnSyncReturns,
  spawn,
  spawnSync,
} from 'node:child_process'

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

/** What a child run by `runForTestAsync` did: its exit status, or the signal that ended it, and its output. */
export interface ChildRun {
  status: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/**
 * `runForTest` for children that run side by side (several at once on one database, or
 * while the test itself listens): resolves once the child has ended, with its text output.
 * A child still running after `timeout` (by default `TEST_CHILD_TIMEOUT_MS`) is killed and
 * resolves with the signal and no status.
 */
export function runForTestAsync(
  command: string,
  args: readonly string[],
  options: Omit<SpawnOptions, 'stdio'> = {},
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      timeout: TEST_CHILD_TIMEOUT_MS,
      ...options,
      stdio: ['ignore', 'pipe', 'pipe'] as const,
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }))
  })
}

/**
 * Resolves with the first match of `pattern` in what a long-running child (a server) has
 * printed so far on either stream; rejects, with that output, when the child exits first or
 * nothing matches within `timeoutMs`.
 */
export function waitForLine(
  child: ChildProcess,
  pattern: RegExp,
  timeoutMs: number,
): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(
      () => reject(new Error(`no match for ${pattern} within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    )
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = pattern.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match)
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${child.spawnargs.slice(1).join(' ')} exited with ${code}:\n${output}`))
    })
  })
}
