import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { describe, test } from 'node:test'
import type { KyselyPlugin, PluginTransformResultArgs, QueryResult, UnknownRow } from 'kysely'
import { createTestContext } from '../../src/app/test-context.ts'
import { openTestDatabase, testEngines } from '../../src/db/test-database.ts'
import { exportRegistry } from '../../src/registry/export-registry.ts'

const AT = '2026-03-02T09:00:00.000Z'

/** Runs `between` once, after the first query the export makes, before it reads on. */
function afterFirstRead(between: () => Promise<void>): KyselyPlugin {
  let done = false
  return {
    transformQuery: (args) => args.node,
    async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      if (!done && args.result.rows.length > 0) {
        done = true
        await between()
      }
      return args.result
    },
  }
}

for (const engine of testEngines()) {
  describe(`${engine}: aftercare export`, () => {
    test('reads one moment of the registry, whatever is written between its pages', async () => {
      const database = await openTestDatabase(engine)
      // Another process (or another server's connection) writing while the export runs.
      const other = database.reopen()
      try {
        const emails = ['a1@example.com', 'a2@example.com', 'b1@example.com', 'b2@example.com']
        await database.db
          .insertInto('customers')
          .values(
            emails.map((email, i) => ({
              id: `cus-${i}`,
              name: `Customer ${i}`,
              email,
              phone: null,
              address: null,
              locale: 'en' as const,
              created_at: AT,
              updated_at: AT,
            })),
          )
          .execute()
        const ctx = createTestContext(database, { now: () => new Date(AT) })
        const writes = afterFirstRead(async () => {
          // a1 changes e-mail: read page by page, it would come again under its new one.
          await other.db
            .updateTable('customers')
            .set({ email: 'z1@example.com' })
            .where('email', '=', 'a1@example.com')
            .execute()
        })
        const out = new PassThrough()
        const chunks: Buffer[] = []
        out.on('data', (chunk: Buffer) => chunks.push(chunk))
        const count = await exportRegistry({ ...ctx, db: ctx.db.withPlugin(writes) }, 'customers', out, {
          pageSize: 2,
        })
        const exported = Buffer.concat(chunks)
          .toString('utf8')
          .split('\n')
          .slice(1)
          .filter((line) => line !== '')
          .map((line) => line.split(',')[0])
        assert.deepEqual(exported, emails)
        assert.equal(count, 4)
        // The write happened, and a later export sees it.
        const again = new PassThrough()
        const later: Buffer[] = []
        again.on('data', (chunk: Buffer) => later.push(chunk))
        await exportRegistry(ctx, 'customers', again, { pageSize: 2 })
        assert.match(Buffer.concat(later).toString('utf8'), /z1@example\.com/)
        assert.doesNotMatch(Buffer.concat(later).toString('utf8'), /a1@example\.com/)
      } finally {
        await other.close()
        await database.dispose()
      }
    })
  })
}
