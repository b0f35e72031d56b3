import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { createTestContext } from '../app/test-context.ts'
import { openTestDatabase, testEngines } from '../db/test-database.ts'
import { seedDemoRegistry } from './demo-seed.ts'
import { importUnits } from './import-units.ts'

const HEADER = 'serial,model,purchasedOn,shippedOn,deliveredOn,channel,dealer'

function unitFile(dir: string, name: string, serials: string[], purchasedOn: string): string {
  const file = path.join(dir, name)
  const lines = serials.map(
    (serial) => `${serial},ares-mpro,${purchasedOn},${purchasedOn},${purchasedOn},direct,`,
  )
  fs.writeFileSync(file, `${[HEADER, ...lines].join('\n')}\n`)
  return file
}

// Two imports over the same serials, each writing them in the other's order, statement by
// statement of 500 rows: on PostgreSQL each held the rows of its first statements and waited
// for the other's, and the database broke the deadlock by failing one file whole.
if (testEngines().includes('postgres')) {
  test('two imports of the same units at once both land, one after the other (postgres)', async () => {
    const database = await openTestDatabase('postgres')
    try {
      const ctx = createTestContext(database, { now: () => new Date('2025-06-15T10:00:00Z') })
      await seedDemoRegistry(ctx)
      const serials = Array.from({ length: 3000 }, (_, i) => `CONC-${String(i).padStart(4, '0')}`)
      const forward = unitFile(database.dataDir, 'forward.csv', serials, '2025-01-02')
      const backward = unitFile(database.dataDir, 'backward.csv', [...serials].reverse(), '2025-02-03')
      const [first, second] = await Promise.all([
        importUnits(ctx, { file: forward }),
        importUnits(ctx, { file: backward }),
      ])
      assert.equal(first.imported + first.unchanged, 3000)
      assert.equal(second.imported + second.unchanged, 3000)
      const dates = await ctx.db
        .selectFrom('units')
        .select('purchased_on')
        .distinct()
        .where('serial', 'like', 'CONC-%')
        .execute()
      // One file's dates throughout: the later import wrote every row after the earlier one.
      assert.equal(dates.length, 1)
    } finally {
      await database.dispose()
    }
  })
}
