import assert from 'node:assert/strict'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { allMigrations } from '../../src/db/migrations.ts'
import { installForProcesses, testEngines } from '../../src/db/test-database.ts'
import { type ChildRun, runForTestAsync } from '../../src/shared/test-process.ts'

/*
 * Several instances started at the same moment on one new database, as a seller scaling out
 * does on PostgreSQL or as two first starts on one data folder do: each process migrates at
 * once. Every one must succeed, and between them each migration is applied exactly once.
 */

const ROOT = path.resolve(import.meta.dirname, '../..')
const PROCESSES = 4

const runAftercare = (env: NodeJS.ProcessEnv, args: string[]) =>
  runForTestAsync(process.execPath, ['bin/aftercare.js', ...args], { cwd: ROOT, env })

const appliedCount = (run: ChildRun): number => {
  const match = /applied (\d+) migrations/.exec(run.stdout)
  if (match) return Number(match[1])
  assert.match(run.stdout, /database is up to date/, run.stdout)
  return 0
}

for (const engine of testEngines()) {
  describe(`${PROCESSES} processes migrating one new ${engine} database at once`, () => {
    const disposals: Array<() => Promise<void>> = []
    after(async () => {
      for (const dispose of disposals) await dispose()
    })

    it('all succeed, and each migration is applied by exactly one of them', async () => {
      const install = await installForProcesses(engine)
      disposals.push(install.dispose)
      const runs = await Promise.all(
        Array.from({ length: PROCESSES }, () =>
          runAftercare({ ...install.env, AFTERCARE_LANGUAGE: 'en' }, ['migrate']),
        ),
      )
      for (const run of runs) assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`)
      const names = Object.keys(allMigrations).sort()
      const applied = await install.rows<{ name: string }>('select name from kysely_migration')
      assert.deepEqual(applied.map((r) => r.name).sort(), names)
      assert.equal(
        runs.reduce((sum, run) => sum + appliedCount(run), 0),
        names.length,
        'the processes between them applied each migration once',
      )
    })
  })
}
