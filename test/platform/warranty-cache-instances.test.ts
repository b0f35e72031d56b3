import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createTestContext } from '../../src/app/test-context.ts'
import { createTestUser } from '../../src/auth/test-support.ts'
import type { DatabaseHandle } from '../../src/db/database.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../../src/db/test-database.ts'
import { buildApp } from '../../src/http/app.ts'
import type { HttpApp } from '../../src/http/types.ts'
import { seedDemoRegistry } from '../../src/registry/demo-seed.ts'
import type { AppContext } from '../../src/shared/app-context.ts'

const SERIAL = 'PO-TWO-INSTANCES-1'
const NOW = new Date('2025-06-15T10:00:00Z')

/**
 * Two instances of the application over one database, as behind a load balancer: each its
 * own connections (on SQLite, its own writer and reader on the same file), its own app and
 * so its own warranty answer cache. What one commits, the other answers on its next request.
 */
for (const engine of testEngines()) {
  describe(`warranty answers across two instances (${engine})`, () => {
    let database: TestDatabase
    let second: DatabaseHandle
    let ctxA: AppContext
    let ctxB: AppContext
    let appA: HttpApp
    let appB: HttpApp
    let staffHeaders: Record<string, string>

    before(async () => {
      database = await openTestDatabase(engine)
      second = database.reopen()
      ctxA = createTestContext(database, { now: () => NOW })
      ctxB = createTestContext({ ...second, dataDir: database.dataDir }, { now: () => NOW })
      await seedDemoRegistry(ctxA)
      staffHeaders = (await createTestUser(ctxA.db, { role: 'support' })).headers
      // Rate-limit counters are writes of their own (and on SQLite would wait for instance A's
      // open transaction below); this test is about the answers.
      appA = await buildApp(ctxA, { webDir: null, rateLimits: false })
      appB = await buildApp(ctxB, { webDir: null, rateLimits: false })
    })
    after(async () => {
      await appA?.close()
      await appB?.close()
      await second?.close()
      await database?.dispose()
    })

    const lookUp = async (app: HttpApp, serial = SERIAL) => {
      const response = await app.inject({ url: `/api/v1/units/${serial}/warranty` })
      return { status: response.statusCode, body: response.json() as Record<string, unknown> }
    }

    it('a unit registered through one instance is found by the other on its next request', async () => {
      assert.equal((await lookUp(appB)).status, 404)
      const created = await appA.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: staffHeaders,
        payload: {
          serial: SERIAL,
          model: 'ares-mpro',
          purchasedOn: '2025-01-02',
          shippedOn: '2025-01-03',
          deliveredOn: '2025-01-10',
          channel: 'direct',
        },
      })
      assert.equal(created.statusCode, 201, created.body)
      const found = await lookUp(appB)
      assert.equal(found.status, 200)
      assert.deepEqual(found.body.warranty, { starts: '2025-01-10', ends: '2027-01-09' })
    })

    it('a cached answer changes on the other instance at the commit, not before', async () => {
      // Both instances now hold the answer in their caches.
      for (let i = 0; i < 3; i++) {
        assert.equal((await lookUp(appA)).body.inWarranty, true)
        assert.equal((await lookUp(appB)).body.inWarranty, true)
      }
      const modelName = (await lookUp(appB)).body.model as { id: string; name: string }
      let changed!: () => void
      let commit!: () => void
      const didChange = new Promise<void>((resolve) => {
        changed = resolve
      })
      const mayCommit = new Promise<void>((resolve) => {
        commit = resolve
      })
      const transaction = ctxA.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('units')
          .set({ delivered_on: '2023-01-10' })
          .where('serial', '=', SERIAL)
          .execute()
        await trx
          .updateTable('product_models')
          .set({ name: `${modelName.name} (renamed)` })
          .where('id', '=', modelName.id)
          .execute()
        changed()
        await mayCommit
      })
      try {
        await didChange
        // Written but not committed: the other instance still answers the committed state
        // (and on SQLite answers at all, though instance A's writer is held).
        const during = await lookUp(appB)
        assert.deepEqual(during.body.warranty, { starts: '2025-01-10', ends: '2027-01-09' })
      } finally {
        commit()
        await transaction
      }
      const afterB = await lookUp(appB)
      assert.deepEqual(afterB.body.warranty, { starts: '2023-01-10', ends: '2025-01-09' })
      assert.equal(afterB.body.inWarranty, false)
      assert.equal((afterB.body.model as { name: string }).name, `${modelName.name} (renamed)`)
      // And the writing instance's own cache follows too.
      assert.deepEqual((await lookUp(appA)).body, afterB.body)
    })

    it('the other direction too; writes to tables a look-up does not read leave the version alone', async () => {
      const version = async () =>
        (await ctxA.db.selectFrom('registry_version').select('version').executeTakeFirstOrThrow()).version
      const before = await version()
      await createTestUser(ctxB.db, { role: 'support' })
      assert.equal(await version(), before, 'a new user and API key do not touch the registry')
      await ctxB.db
        .updateTable('units')
        .set({ delivered_on: '2025-01-10' })
        .where('serial', '=', SERIAL)
        .execute()
      assert.ok((await version()) > before)
      assert.deepEqual((await lookUp(appA)).body.warranty, { starts: '2025-01-10', ends: '2027-01-09' })
    })
  })
}
