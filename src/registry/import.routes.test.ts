import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { createTestContext } from '../app/test-context.ts'
import { createTestUser } from '../auth/test-support.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { buildApp } from '../http/app.ts'
import type { HttpApp } from '../http/types.ts'
import type { AppContext } from '../shared/app-context.ts'
import { seedDemoRegistry } from './demo-seed.ts'
import type { ImportJobView } from './import-job.schemas.ts'
import { findUnitBySerial } from './unit.store.ts'

const HEADER = 'serial,model,purchasedOn,shippedOn,deliveredOn,channel,dealer'

/** Good rows named by serial, then one bad model and one impossible date. */
function aUnitsCsv(prefix: string, good: number): string {
  const lines = [HEADER]
  for (let i = 0; i < good; i++) {
    lines.push(`${prefix}-${String(i).padStart(4, '0')},ares-mpro,2025-01-02,2025-01-03,2025-01-10,direct,`)
  }
  lines.push(`${prefix}-BAD1,no-such-camera,2025-01-02,2025-01-03,2025-01-10,direct,`)
  lines.push(`${prefix}-BAD2,ares-mpro,2025-02-30,2025-03-02,2025-03-09,direct,`)
  return `${lines.join('\n')}\n`
}

function multipartFile(field: string, filename: string, contentType: string, content: string | Buffer) {
  const boundary = `----import${crypto.randomBytes(8).toString('hex')}`
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`,
    ),
    Buffer.isBuffer(content) ? content : Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ])
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

async function waitForJob(app: HttpApp, headers: Record<string, string>, id: string): Promise<ImportJobView> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const response = await app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers })
    assert.equal(response.statusCode, 200, response.body)
    const job = response.json() as ImportJobView
    if (job.status !== 'running') return job
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`import job ${id} did not finish`)
}

for (const engine of testEngines()) {
  describe(`unit import over HTTP (${engine})`, () => {
    let database: TestDatabase
    let ctx: AppContext
    let app: HttpApp
    let manager: Record<string, string>

    before(async () => {
      database = await openTestDatabase(engine)
      ctx = createTestContext(database, { now: () => new Date('2025-06-15T10:00:00Z') })
      await seedDemoRegistry(ctx)
      app = await buildApp(ctx)
      manager = (await createTestUser(ctx.db, { role: 'manager' })).headers
    })
    after(async () => {
      await app.close()
      await database.dispose()
    })

    test('a manager uploads a CSV, gets 202 with a job id, and the job reports counts and rejected lines', async () => {
      const body = multipartFile('file', 'units.csv', 'text/csv', aUnitsCsv('HTTPIMP', 25))
      const started = await app.inject({
        method: 'POST',
        url: '/api/v1/imports/units',
        ...body,
        headers: { ...body.headers, ...manager },
      })
      assert.equal(started.statusCode, 202, started.body)
      const { id } = started.json() as { id: string }
      assert.match(id, /^imp-/)
      const job = await waitForJob(app, manager, id)
      assert.equal(job.status, 'done')
      assert.equal(job.total, 27)
      assert.equal(job.processed, 27)
      assert.equal(job.imported, 25)
      assert.equal(job.unchanged, 0)
      assert.equal(job.rejected, 2)
      assert.deepEqual(
        job.errors.map((e) => [e.line, e.field]),
        [
          [27, 'model'],
          [28, 'purchasedOn'],
        ],
      )
      assert.ok(job.finishedAt)
      const unit = await findUnitBySerial(ctx.db, 'HTTPIMP-0007')
      assert.equal(unit?.purchasedOn, '2025-01-02')

      // The same file again changes nothing.
      const again = await app.inject({
        method: 'POST',
        url: '/api/v1/imports/units',
        ...body,
        headers: { ...body.headers, ...manager },
      })
      const second = await waitForJob(app, manager, (again.json() as { id: string }).id)
      assert.equal(second.imported, 0)
      assert.equal(second.unchanged, 25)
    })

    test('a file that is not a CSV, or lacks columns, or is missing, is a 4xx naming the field', async () => {
      const cases = [
        {
          body: multipartFile('file', 'photo.png', 'image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47])),
          status: 415,
        },
        {
          body: multipartFile('file', 'units.csv', 'text/csv', 'serial,model\nX-1,ares-mpro\n'),
          status: 400,
        },
        {
          body: multipartFile('file', 'units.csv', 'text/csv', Buffer.from([0, 1, 2, 3, 10, 0, 10])),
          status: 415,
        },
        { body: multipartFile('file', 'units.csv', 'text/csv', `${HEADER}\n`), status: 400 },
        { body: multipartFile('upload', 'units.csv', 'text/csv', aUnitsCsv('X', 1)), status: 400 },
      ]
      for (const { body, status } of cases) {
        const response = await app.inject({
          method: 'POST',
          url: '/api/v1/imports/units',
          ...body,
          headers: { ...body.headers, ...manager },
        })
        assert.equal(response.statusCode, status, response.body)
        assert.equal((response.json() as { error: { field?: string } }).error.field, 'file')
      }
      const notMultipart = await app.inject({
        method: 'POST',
        url: '/api/v1/imports/units',
        payload: { file: 'x' },
        headers: manager,
      })
      assert.ok([400, 415].includes(notMultipart.statusCode), notMultipart.body)
    })

    test('support staff, dealers and customers may neither start nor read imports', async () => {
      const body = multipartFile('file', 'units.csv', 'text/csv', aUnitsCsv('DENIED', 1))
      for (const role of ['support', 'technician', 'dealer', 'customer'] as const) {
        const headers = (await createTestUser(ctx.db, { role })).headers
        const response = await app.inject({
          method: 'POST',
          url: '/api/v1/imports/units',
          ...body,
          headers: { ...body.headers, ...headers },
        })
        assert.equal(response.statusCode, 403, `${role}: ${response.body}`)
        const read = await app.inject({ method: 'GET', url: '/api/v1/imports/imp-none', headers })
        assert.equal(read.statusCode, 403, `${role}: ${read.body}`)
      }
      assert.equal(await findUnitBySerial(ctx.db, 'DENIED-0000'), undefined)
      const missing = await app.inject({ method: 'GET', url: '/api/v1/imports/imp-none', headers: manager })
      assert.equal(missing.statusCode, 404)
    })
  })
}
