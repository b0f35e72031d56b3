import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import fc from 'fast-check'
import { createTestContext } from '../app/test-context.ts'
import { openTestDatabase, type TestDatabase } from '../db/test-database.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { seedDemoRegistry } from './demo-seed.ts'
import { importUnits } from './import-units.ts'

const HEADER = 'serial,model,purchasedOn,shippedOn,deliveredOn,channel,dealer'
/** Pieces of a line: good cells and the characters that break CSV (quotes, separators, line ends). */
const PIECE = fc.constantFrom(
  '"',
  ',',
  '\n',
  '\r',
  '\r\n',
  ' ',
  'PQ-1',
  'ares-mpro',
  '2025-01-02',
  'direct',
  '""',
  '1.25"',
)

let database: TestDatabase
let ctx: AppContext
before(async () => {
  database = await openTestDatabase('sqlite')
  ctx = createTestContext(database, { now: () => new Date('2025-06-15T10:00:00Z') })
  await seedDemoRegistry(ctx)
})
after(async () => database.dispose())

test('a file with quotes and separators anywhere is imported or refused naming the line, never an unexpected error', async () => {
  let file = 0
  await fc.assert(
    fc.asyncProperty(fc.array(fc.array(PIECE, { maxLength: 12 }), { maxLength: 6 }), async (lines) => {
      const csv = path.join(database.dataDir, `random-${file++}.csv`)
      const content = [HEADER, ...lines.map((pieces) => pieces.join(''))].join('\n')
      fs.writeFileSync(csv, content)
      try {
        await importUnits(ctx, { file: csv })
      } catch (error) {
        assert.ok(error instanceof AppError, `not a reported error: ${String(error)}`)
        const key = error.text?.key ?? ''
        assert.notEqual(key, 'import.unexpected')
        if (key.startsWith('import.csv-') || key === 'import.bad-csv') {
          const line = error.details?.line
          assert.ok(
            typeof line === 'number' && line >= 2 && line <= content.split(/\r\n|\r|\n/).length,
            `line ${String(line)}`,
          )
          assert.match(error.message, /line \d+/)
        }
      }
    }),
    { numRuns: 150 },
  )
})
