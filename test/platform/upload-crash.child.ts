/**
 * Run by upload-crash.test.ts: uploads one held file into the data folder given (its database
 * the SQLite file given, or DATABASE_URL where set), and stops
 * inside the transaction that records it, after the row is written and before the commit,
 * saying so on stdout; the test kills it there.
 */
import { Readable } from 'node:stream'
import { openDatabase } from '../../src/db/database.ts'
import { DEFAULT_UPLOAD_LIMITS, type UploadPart, uploadFiles } from '../../src/files/index.ts'
import { sampleJpeg } from '../../src/files/sample-files.test-support.ts'

const [dataDir = '', dbFile = ''] = process.argv.slice(2)
// PostgreSQL when the test gives a URL (its own schema), else the SQLite file given.
const { db } = process.env.DATABASE_URL
  ? openDatabase({ engine: 'postgres', url: process.env.DATABASE_URL })
  : openDatabase({ engine: 'sqlite', file: dbFile })
const real = db.transaction.bind(db)
Object.assign(db, {
  transaction: () => {
    const builder = real()
    return {
      execute: <T>(work: (trx: typeof db) => Promise<T>) =>
        builder.execute(async (trx) => {
          await work(trx)
          process.stdout.write('written, not committed\n')
          return new Promise<T>(() => undefined)
        }),
    }
  },
})
const jpeg = sampleJpeg({ size: 6016 })
async function* parts(): AsyncIterable<UploadPart> {
  const file = Object.assign(Readable.from([jpeg]), { truncated: false })
  yield {
    type: 'file',
    fieldname: 'file',
    filename: 'photo.jpg',
    mimetype: 'image/jpeg',
    file,
  } as unknown as UploadPart
}
await uploadFiles({ db, dataDir, limits: DEFAULT_UPLOAD_LIMITS }, parts(), {
  claimId: null,
  actor: {
    userId: 'u-crash',
    role: 'customer',
    name: 'Crash',
    email: 'crash@example.com',
    orgId: null,
    customerId: null,
    via: 'session',
  },
  defaultKind: 'defect-media',
  now: new Date(),
})
