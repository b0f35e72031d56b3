import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { createTestContext } from '../../src/app/test-context.ts'
import type { DatabaseHandle } from '../../src/db/database.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../../src/db/test-database.ts'
import { seedDemoRegistry } from '../../src/registry/demo-seed.ts'
import { importModels } from '../../src/registry/import-models.ts'
import { importUnits } from '../../src/registry/import-units.ts'
import { importClaims } from '../../src/reliability/import-claims.ts'
import { seedSyntheticModel } from '../../src/reliability/synthetic-registry.ts'
import type { AppContext } from '../../src/shared/app-context.ts'

const NOW = new Date('2025-12-31T12:00:00.000Z')

/**
 * Two instances over one PostgreSQL database import overlapping files at the same moment (a
 * manager who clicked twice, two colleagues): both imports end, every row of both files is
 * there, and each once.
 */
for (const engine of testEngines().filter((e) => e === 'postgres')) {
  describe(`${engine}: overlapping files imported through two instances at once`, () => {
    let database: TestDatabase
    let second: DatabaseHandle
    let ctxA: AppContext
    let ctxB: AppContext
    before(async () => {
      database = await openTestDatabase(engine)
      second = database.reopen()
      ctxA = createTestContext(database, { now: () => NOW })
      ctxB = createTestContext({ ...second, dataDir: database.dataDir }, { now: () => NOW })
      await seedDemoRegistry(ctxA)
    })
    after(async () => {
      await second?.close()
      await database?.dispose()
    })

    const write = (name: string, text: string) => {
      const file = path.join(database.dataDir, name)
      fs.writeFileSync(file, text)
      return file
    }

    test('models of a brand new to the registry, in two files that overlap', async () => {
      const modelsFile = (name: string, from: number, to: number) => {
        const lines = ['model,category,policy,brand,aliases']
        for (let i = from; i < to; i++)
          lines.push(`Race Scope ${i},telescope,player-one,Racing Optics,rs${i}|race-${i}`)
        return write(name, `${lines.join('\n')}\n`)
      }
      const results = await Promise.allSettled([
        importModels(ctxA, { file: modelsFile('models-a.csv', 0, 20) }),
        importModels(ctxB, { file: modelsFile('models-b.csv', 10, 30) }),
      ])
      for (const r of results)
        assert.equal(r.status, 'fulfilled', r.status === 'rejected' ? String(r.reason) : '')
      const models = await database.db
        .selectFrom('product_models')
        .select('id')
        .where('name', 'like', 'Race Scope %')
        .execute()
      assert.equal(models.length, 30)
      const brands = await database.db
        .selectFrom('organisations')
        .select('id')
        .where('name', '=', 'Racing Optics')
        .execute()
      assert.equal(brands.length, 1)
    })

    test('units', async () => {
      const lines = ['serial,model,purchasedOn,shippedOn,deliveredOn,channel,dealer']
      for (let i = 0; i < 300; i++)
        lines.push(`RACE-U-${i},ares-mpro,2025-01-02,2025-01-03,2025-01-10,direct,`)
      const file = write('units.csv', `${lines.join('\n')}\n`)
      const results = await Promise.allSettled([importUnits(ctxA, { file }), importUnits(ctxB, { file })])
      for (const r of results)
        assert.equal(r.status, 'fulfilled', r.status === 'rejected' ? String(r.reason) : '')
      const units = await database.db
        .selectFrom('units')
        .select('serial')
        .where('serial', 'like', 'RACE-U-%')
        .execute()
      assert.equal(units.length, 300)
    })

    test('past claims', async () => {
      await seedSyntheticModel(ctxA.db, {
        modelId: 'model-race',
        modelName: 'Race Cam',
        shape: 1.5,
        scale: 1e9,
        units: 40,
        deliverySpanDays: 60,
        asOf: '2024-12-31',
        seed: 7,
      })
      const serials = (
        await database.db.selectFrom('units').select('serial').where('model_id', '=', 'model-race').execute()
      ).map((u) => u.serial)
      const claimsFile = (name: string, from: number, to: number) => {
        const lines = ['serial,claimedOn,problemKind,faultConfirmed,remedy,partsCost,partsCostPayer,currency']
        for (const serial of serials.slice(from, to))
          lines.push(`${serial},2025-06-01,malfunction,true,repair,10,vendor,USD`)
        return write(name, `${lines.join('\n')}\n`)
      }
      const results = await Promise.allSettled([
        importClaims(ctxA, { file: claimsFile('claims-a.csv', 0, 30) }),
        importClaims(ctxB, { file: claimsFile('claims-b.csv', 10, 40) }),
      ])
      for (const r of results)
        assert.equal(r.status, 'fulfilled', r.status === 'rejected' ? String(r.reason) : '')
      const claims = await database.db
        .selectFrom('claims')
        .select('id')
        .where('serial', 'in', serials)
        .execute()
      assert.equal(claims.length, serials.length)
    })
  })
}
