import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { after, before, describe, test } from 'node:test'
import { createTestContext } from '../../src/app/test-context.ts'
import { openTestDatabase, type TestDatabase } from '../../src/db/test-database.ts'
import { seedDemoRegistry } from '../../src/registry/demo-seed.ts'
import { exportRegistry } from '../../src/registry/export-registry.ts'
import { importModels } from '../../src/registry/import-models.ts'
import { importCustomers, importDealers } from '../../src/registry/import-parties.ts'
import { importUnits } from '../../src/registry/import-units.ts'
import { importClaims } from '../../src/reliability/import-claims.ts'
import type { AppContext } from '../../src/shared/app-context.ts'

const BOM = '\uFEFF'

/**
 * A spreadsheet saves "CSV UTF-8" with a byte-order mark, and our own exports write one so that
 * Excel reads their Chinese: every import takes such a file as it takes one without the mark.
 */
describe('CSV files that begin with a byte-order mark', () => {
  let database: TestDatabase
  let ctx: AppContext
  before(async () => {
    database = await openTestDatabase('sqlite')
    ctx = createTestContext(database, { now: () => new Date('2025-06-15T10:00:00Z') })
    await seedDemoRegistry(ctx)
  })
  after(async () => {
    await database?.dispose()
  })

  const write = (name: string, text: string) => {
    const file = path.join(database.dataDir, name)
    fs.writeFileSync(file, `${BOM}${text}`)
    return file
  }

  test('every import reads the first column of a marked file by its name', async () => {
    const imports: Array<[string, () => Promise<{ imported: number; rejected: number }>]> = [
      [
        'models',
        () =>
          importModels(ctx, {
            file: write('models.csv', 'model,category,policy\n天狼星 7,camera,retailer\n'),
          }),
      ],
      [
        'units',
        () =>
          importUnits(ctx, {
            file: write(
              'units.csv',
              'serial,model,purchasedOn,shippedOn,deliveredOn,channel,dealer\nBOM-0001,ares-mpro,2025-01-02,2025-01-03,2025-01-10,direct,\n',
            ),
          }),
      ],
      [
        'customers',
        () =>
          importCustomers(ctx, {
            file: write('customers.csv', 'email,name,locale\nli.lei@example.com,李雷,zh\n'),
          }),
      ],
      [
        'dealers',
        () =>
          importDealers(ctx, {
            file: write(
              'dealers.csv',
              'name,kind,country,email\n星辰光学,dealer,CN,sales@xingchen.example\n',
            ),
          }),
      ],
      [
        'claims',
        () =>
          importClaims(ctx, {
            file: write(
              'claims.csv',
              'serial,claimedOn,problemKind,faultConfirmed,remedy\nBOM-0001,2025-03-02,malfunction,true,repair\n',
            ),
          }),
      ],
    ]
    for (const [kind, run] of imports) {
      const summary = await run()
      assert.deepEqual([summary.imported, summary.rejected], [1, 0], `${kind}: ${JSON.stringify(summary)}`)
    }
    const customer = await database.db
      .selectFrom('customers')
      .select('name')
      .where('email', '=', 'li.lei@example.com')
      .executeTakeFirstOrThrow()
    assert.equal(customer.name, '李雷')
  })

  test('exports and the rejects file carry the mark, and the export reads back unchanged', async () => {
    for (const kind of ['units', 'customers', 'dealers'] as const) {
      const out = new PassThrough()
      const chunks: Buffer[] = []
      out.on('data', (chunk: Buffer) => chunks.push(chunk))
      await exportRegistry(ctx, kind, out)
      const bytes = Buffer.concat(chunks)
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], `${kind} begins with the UTF-8 mark`)
      const file = path.join(database.dataDir, `export-${kind}.csv`)
      fs.writeFileSync(file, bytes)
      const again = kind === 'units' ? importUnits : kind === 'customers' ? importCustomers : importDealers
      const summary = await again(ctx, { file })
      assert.equal(summary.rejected, 0, `${kind}: ${JSON.stringify(summary)}`)
      assert.equal(summary.imported, 0, `${kind} reads back unchanged`)
    }
    const bad = write(
      'bad-units.csv',
      'serial,model,purchasedOn,shippedOn,deliveredOn,channel,dealer\nBOM-0002,nope,2025-01-02,,,direct,\n',
    )
    const summary = await importUnits(ctx, { file: bad })
    assert.equal(summary.rejected, 1)
    const rejects = fs.readFileSync(bad.replace(/\.csv$/, '.rejects.csv'))
    assert.deepEqual([...rejects.subarray(0, 3)], [0xef, 0xbb, 0xbf])
  })
})
