import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import { after, before, describe, test } from 'node:test'
import type { Actor } from '../auth/index.ts'
import { insertBareClaim } from '../claims/bare-claim.test-support.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { isAppError } from '../shared/errors.ts'
import { DEFAULT_UPLOAD_LIMITS } from './domain/upload-rules.ts'
import { HOLD_HOURS } from './held-uploads.ts'
import { sampleJpeg } from './sample-files.test-support.ts'
import { type UploadPart, uploadFiles } from './upload-files.ts'

const jpeg = (size: number) => sampleJpeg({ size })

async function* partsOf(files: Buffer[]): AsyncIterable<UploadPart> {
  for (const [index, content] of files.entries()) {
    const file = Object.assign(Readable.from([content]), { truncated: false })
    yield {
      type: 'file',
      fieldname: 'files',
      filename: `photo-${index}.jpg`,
      mimetype: 'image/jpeg',
      file,
    } as unknown as UploadPart
  }
}

const customer = (userId: string): Actor => ({
  userId,
  role: 'customer',
  name: 'Held',
  email: `${userId}@example.com`,
  orgId: null,
  customerId: `cus-${userId}`,
  via: 'session',
})

for (const engine of testEngines()) {
  describe(`${engine}: the holding area of one uploader is bounded`, () => {
    let database: TestDatabase
    before(async () => {
      database = await openTestDatabase(engine)
    })
    after(() => database.dispose())

    const limits = { ...DEFAULT_UPLOAD_LIMITS, heldBytes: 50_000 }
    const hold = (actor: Actor, files: Buffer[], now: Date) =>
      uploadFiles({ db: database.db, dataDir: database.dataDir, limits }, partsOf(files), {
        claimId: null,
        actor,
        defaultKind: 'defect-media',
        now,
      })
    const placedFiles = () => {
      const root = path.join(database.dataDir, 'uploads')
      return fs.existsSync(root)
        ? (fs.readdirSync(root, { recursive: true }) as string[]).filter(
            (p) => !p.startsWith('.incoming') && fs.statSync(path.join(root, p)).isFile(),
          ).length
        : 0
    }

    test('uploads waiting for a claim stop at the bound, leaving no file and no row; expired ones free it', async () => {
      const now = new Date('2026-03-01T10:00:00Z')
      const anna = customer(`anna-${engine}`)
      await hold(anna, [jpeg(20_000), jpeg(20_000)], now)
      const before = placedFiles()
      await assert.rejects(
        hold(anna, [jpeg(20_000)], now),
        (error) => isAppError(error) && error.status === 413 && error.field === 'body.files',
      )
      assert.equal(placedFiles(), before, 'the refused file is not kept')
      const rows = await database.db
        .selectFrom('files')
        .select('id')
        .where('uploaded_by', '=', anna.userId)
        .execute()
      assert.equal(rows.length, 2)
      // Another uploader has a holding area of their own.
      await hold(customer(`ben-${engine}`), [jpeg(20_000)], now)
      // Once the held files are past the holding time they no longer count.
      const later = new Date(now.getTime() + (HOLD_HOURS + 1) * 3_600_000)
      await hold(anna, [jpeg(20_000)], later)
    })
  })
}

for (const engine of testEngines()) {
  describe(`${engine}: the files of one claim are bounded`, () => {
    let database: TestDatabase
    before(async () => {
      database = await openTestDatabase(engine)
    })
    after(() => database.dispose())

    const limits = { ...DEFAULT_UPLOAD_LIMITS, claimBytes: 50_000 }
    const newClaim = () => insertBareClaim(database.db, { customerId: 'cus-anna', dealerOrgId: null })
    const upload = (claimId: string, actor: Actor, files: Buffer[]) =>
      uploadFiles(
        { db: database.db, dataDir: database.dataDir, limits, lockRows: engine === 'postgres' },
        partsOf(files),
        { claimId, actor, defaultKind: 'defect-media', now: new Date() },
      )
    const bytesOn = async (claimId: string) =>
      (await database.db.selectFrom('files').select('size_bytes').where('claim_id', '=', claimId).execute())
        .map((row) => Number(row.size_bytes))
        .reduce((sum, size) => sum + size, 0)
    const refusedAsFull = (error: unknown) =>
      isAppError(error) && error.status === 413 && error.field === 'body.files'

    test('uploads by any party stop at the bound, naming body.files; another claim has its own', async () => {
      const claimId = await newClaim()
      await upload(claimId, customer(`anna-c-${engine}`), [jpeg(20_000)])
      await upload(claimId, customer(`staff-c-${engine}`), [jpeg(20_000)])
      await assert.rejects(upload(claimId, customer(`anna-c-${engine}`), [jpeg(20_000)]), refusedAsFull)
      assert.equal(await bytesOn(claimId), 40_000)
      await upload(await newClaim(), customer(`anna-c-${engine}`), [jpeg(20_000)])
    })

    test('uploads racing to one claim are counted one after the other: only what fits is kept', async () => {
      const claimId = await newClaim()
      const results = await Promise.allSettled(
        Array.from({ length: 4 }, (_, n) =>
          upload(claimId, customer(`racer-${n}-${engine}`), [jpeg(20_000)]),
        ),
      )
      const kept = results.filter((r) => r.status === 'fulfilled').length
      assert.equal(kept, 2, JSON.stringify(results.map((r) => r.status)))
      for (const r of results)
        if (r.status === 'rejected') assert.ok(refusedAsFull(r.reason), String(r.reason))
      assert.ok((await bytesOn(claimId)) <= limits.claimBytes)
    })
  })
}
