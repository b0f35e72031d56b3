import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { parse } from 'csv-parse/sync'
import fc from 'fast-check'
import { createTestContext } from '../app/test-context.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { ORG } from './demo-catalogue.ts'
import { seedDemoRegistry } from './demo-seed.ts'
import { importUnits } from './import-units.ts'
import { insertUnitSale } from './insert-unit-sale.ts'
import { findUnitBySerial } from './unit.store.ts'

/** Model names as people write them: an own brand, an agent brand, odd case and spacing. */
const MODELS = ['Ares-M PRO', 'ares mpro', 'POSEIDON-C PRO', 'Aurora AM5 Harmonic Mount', 'Hubble 9000']
const day = fc
  .integer({ min: 0, max: 2500 })
  .map((n) => new Date(Date.UTC(2020, 0, 1) + n * 86_400_000).toISOString().slice(0, 10))
const sale = fc.record({
  model: fc.constantFrom(...MODELS),
  channel: fc.constantFrom('direct' as const, 'dealer' as const),
  dealer: fc.constantFrom(null, ORG.starlight),
  policy: fc.constantFrom(null, 'retailer', 'player-one', 'nope'),
  purchasedOn: day,
  shippedAfter: fc.option(fc.integer({ min: -3, max: 10 }), { nil: null }),
  deliveredAfter: fc.option(fc.integer({ min: -3, max: 10 }), { nil: null }),
  activatedAfter: fc.option(fc.integer({ min: -3, max: 10 }), { nil: null }),
})
type Sale = typeof sale extends fc.Arbitrary<infer T> ? T : never

const plus = (date: string, days: number | null) =>
  days === null
    ? null
    : new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

/** The dates of a sale, each step counted from the one before it. */
function datesOf(s: Sale) {
  const shippedOn = plus(s.purchasedOn, s.shippedAfter)
  const deliveredOn = plus(shippedOn ?? s.purchasedOn, s.deliveredAfter)
  const activatedOn = plus(deliveredOn ?? shippedOn ?? s.purchasedOn, s.activatedAfter)
  return { shippedOn, deliveredOn, activatedOn }
}

/** The CSV import names fields by its columns; the writer by the request's. */
const IMPORT_FIELD: Record<string, string> = { dealer: 'dealerOrgId' }

for (const engine of testEngines()) {
  describe(`unit sale writers agree (${engine})`, () => {
    let database: TestDatabase
    let ctx: AppContext
    let batch = 0

    before(async () => {
      database = await openTestDatabase(engine)
      ctx = Object.assign(createTestContext(database, { now: () => new Date('2026-01-10T10:00:00Z') }), {
        sqlite: database.sqlite,
      })
      await seedDemoRegistry(ctx)
    })
    after(() => database.dispose())

    test('the single writer and the bulk import record the same terms and refuse the same rows', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(sale, { minLength: 5, maxLength: 25 }), async (sales) => {
          batch += 1
          const lines = ['serial,model,purchasedOn,shippedOn,deliveredOn,activatedOn,channel,dealer,policy']
          const single = new Map<string, { field?: string; terms?: string }>()
          for (const [i, s] of sales.entries()) {
            const dates = datesOf(s)
            lines.push(
              [
                `IMP-${batch}-${i}`,
                s.model,
                s.purchasedOn,
                dates.shippedOn ?? '',
                dates.deliveredOn ?? '',
                dates.activatedOn ?? '',
                s.channel,
                s.dealer ?? '',
                s.policy ?? '',
              ].join(','),
            )
            const serial = `ONE-${batch}-${i}`
            try {
              const unit = await database.db.transaction().execute((trx) =>
                insertUnitSale(
                  trx,
                  ctx.policies,
                  {
                    serial,
                    model: s.model,
                    channel: s.channel,
                    dealerOrgId: s.dealer,
                    policyId: s.policy,
                    purchasedOn: s.purchasedOn,
                    ...dates,
                    ownerCustomerId: null,
                    proofOfPurchase: true,
                    warrantyCard: true,
                  },
                  { at: '2026-01-10T10:00:00Z' },
                ),
              )
              single.set(String(i), {
                terms: [unit.sellerOrgId, unit.policyId, unit.policyVersion, unit.shippedBy].join(' '),
              })
            } catch (error) {
              assert.ok(error instanceof AppError, String(error))
              assert.equal(
                await findUnitBySerial(database.db, serial),
                undefined,
                'a refused sale writes nothing',
              )
              single.set(String(i), { field: error.field ?? '' })
            }
          }
          const file = path.join(database.dataDir, `agree-${batch}.csv`)
          const rejectsPath = path.join(database.dataDir, `agree-${batch}.rejects.csv`)
          fs.writeFileSync(file, `${lines.join('\n')}\n`)
          await importUnits(ctx, { file, rejectsPath })
          const rejects = fs.existsSync(rejectsPath)
            ? (parse(fs.readFileSync(rejectsPath), { bom: true, columns: true }) as Array<
                Record<string, string>
              >)
            : []
          for (const [i] of sales.entries()) {
            const expected = single.get(String(i))
            const rejected = rejects.find((r) => r.serial === `IMP-${batch}-${i}`)
            if (expected?.field !== undefined) {
              assert.ok(rejected, `row ${i} refused by the writer (${expected.field}) but imported`)
              assert.equal(IMPORT_FIELD[rejected.field as string] ?? rejected.field, expected.field)
              continue
            }
            assert.equal(
              rejected,
              undefined,
              `row ${i} imported by the writer but refused: ${rejected?.error}`,
            )
            const unit = await findUnitBySerial(database.db, `IMP-${batch}-${i}`)
            assert.ok(unit)
            assert.equal(
              [unit.sellerOrgId, unit.policyId, unit.policyVersion, unit.shippedBy].join(' '),
              expected?.terms,
            )
          }
        }),
        { numRuns: 4 },
      )
    })
  })
}
