import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { createTestContext } from '../app/test-context.ts'
import { createTestUser } from '../auth/test-support.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { buildApp } from '../http/app.ts'
import type { HttpApp } from '../http/types.ts'
import type { AppContext } from '../shared/app-context.ts'
import { multipartBody } from '../shared/multipart-body.test-support.ts'
import { seedDemoRegistry } from './demo-seed.ts'
import type { ImportJobView } from './import-job.schemas.ts'
import { waitForJob } from './import-job.test-support.ts'
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
  const body = multipartBody([{ name: field, filename, type: contentType, data: content }])
  return { payload: body.payload, headers: { 'content-type': body.contentType } }
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
        assert.equal((response.json() as { error: { field?: string } }).error.field, 'body.file')
      }
      const notMultipart = await app.inject({
        method: 'POST',
        url: '/api/v1/imports/units',
        payload: { file: 'x' },
        headers: manager,
      })
      assert.ok([400, 415].includes(notMultipart.statusCode), notMultipart.body)
    })

    const upload = async (name: string, content: string | Buffer) => {
      const body = multipartFile('file', name, 'text/csv', content)
      return app.inject({
        method: 'POST',
        url: '/api/v1/imports/units',
        ...body,
        headers: { ...body.headers, ...manager },
      })
    }

    test('a stray or unclosed quote fails the job naming the line and column, not as an unexpected error', async () => {
      const cases: Array<[string, string, number, number | undefined, string]> = [
        // An inch mark inside a cell that does not start with a quote.
        [
          `${HEADER}\nQT-1,ares-mpro,2025-01-02,,,direct,\nQT-2,Ares 1.25" M,2025-01-02,,,direct,\n`,
          'import.csv-stray-quote',
          3,
          2,
          'model',
        ],
        [`${HEADER}\nQT-3,"ares"mpro,2025-01-02,,,direct,\n`, 'import.csv-after-quote', 2, 2, 'model'],
        [
          `${HEADER}\nQT-4,ares-mpro,2025-01-02,,,direct,\nQT-5,"ares-mpro,2025-01-02,,,direct,\n`,
          'import.csv-quote-not-closed',
          3,
          2,
          'model',
        ],
      ]
      for (const [csv, key, line, column, field] of cases) {
        const started = await upload('quotes.csv', csv)
        assert.equal(started.statusCode, 202, started.body)
        const job = await waitForJob(app, manager, (started.json() as { id: string }).id)
        assert.equal(job.status, 'failed')
        const [error] = job.errors
        assert.equal(error?.messageKey, key, JSON.stringify(job.errors))
        assert.equal(error?.line, line)
        assert.equal(error?.field, field)
        assert.match(error?.message ?? '', new RegExp(`line ${line}${column ? `, column ${column}` : ''}:`))
      }
      assert.equal(await findUnitBySerial(ctx.db, 'QT-1'), undefined, 'nothing of a refused file is kept')
    })

    test('a header naming a column twice is refused naming it; a UTF-16 file is told to be saved as UTF-8', async () => {
      const twice = await upload(
        'twice.csv',
        `${HEADER},serial\nDUP-1,ares-mpro,2025-01-02,,,direct,,DUP-OTHER\n`,
      )
      assert.equal(twice.statusCode, 400, twice.body)
      const error = (twice.json() as { error: { field?: string; messageKey?: string; message: string } })
        .error
      assert.equal(error.field, 'serial')
      assert.match(error.message, /serial twice \(columns 1 and 8\)/)
      const utf16 = await upload(
        'wide.csv',
        Buffer.concat([
          Buffer.from([0xff, 0xfe]),
          Buffer.from(`${HEADER}\nW-1,ares-mpro,2025-01-02,,,direct,\n`, 'utf16le'),
        ]),
      )
      assert.equal(utf16.statusCode, 415, utf16.body)
      assert.match(utf16.body, /UTF-16; save it as CSV in UTF-8/)
    })

    test('a refused file is named as it was sent, never by where the server stored it', async () => {
      // The naive header check passes `"serial,model"`; the CSV reader then finds one column.
      const quoted = await upload(
        'sales-2024.csv',
        `"serial,model",${HEADER.split(',').slice(2).join(',')}\nX,Y,,,,,\n`,
      )
      assert.equal(quoted.statusCode, 202, quoted.body)
      const job = await waitForJob(app, manager, (quoted.json() as { id: string }).id)
      assert.equal(job.status, 'failed')
      const [error] = job.errors
      assert.equal(error?.messageKey, 'import.missing-columns', JSON.stringify(job.errors))
      assert.match(
        error?.message ?? '',
        /^sales-2024\.csv, line 1 \(the header\): missing column serial, model$/,
      )
    })

    test('a file in GBK is refused naming its line: on upload when it shows early, by its job when later', async () => {
      const gbk = Buffer.from([0xd0, 0xc7, 0xb9, 0xe2])
      const early = await upload(
        'gbk.csv',
        Buffer.concat([
          Buffer.from(`${HEADER}\nGB-1,ares-mpro,2025-01-02,,,dealer,`),
          gbk,
          Buffer.from('\n'),
        ]),
      )
      assert.equal(early.statusCode, 415, early.body)
      const error = (early.json() as { error: { field?: string; message: string } }).error
      assert.equal(error.field, 'dealer')
      assert.match(error.message, /^gbk\.csv, line 2, column 7 \(dealer\): the file is not UTF-8/)
      const rows = Array.from({ length: 3000 }, (_, i) => `GB-${i},ares-mpro,2025-01-02,,,direct,`)
      const late = await upload(
        'gbk-late.csv',
        Buffer.concat([
          Buffer.from(`${[HEADER, ...rows].join('\n')}\n"GB-X",ares-mpro,`),
          gbk,
          Buffer.from(',,,,\n'),
        ]),
      )
      assert.equal(late.statusCode, 202, late.body)
      const job = await waitForJob(app, manager, (late.json() as { id: string }).id)
      assert.equal(job.status, 'failed')
      // The quoted serial before the bad bytes is read as CSV reads it: they are in column 3.
      assert.equal(job.errors[0]?.messageKey, 'import.not-utf8-at', JSON.stringify(job.errors))
      assert.equal(job.errors[0]?.line, 3002)
      assert.equal(job.errors[0]?.field, 'purchasedOn')
      assert.match(
        job.errors[0]?.message ?? '',
        /^gbk-late\.csv, line 3002, column 3 \(purchasedOn\): the file is not UTF-8/,
      )
      assert.equal(await findUnitBySerial(ctx.db, 'GB-0'), undefined, 'nothing of a refused file is kept')
    })

    test('a header in capitals, as older systems export it, is taken on upload and imported', async () => {
      const started = await upload(
        'CAPS.CSV',
        `${HEADER.toUpperCase()},BATCH\nCAPS-0001,ares-mpro,2025-01-02,2025-01-03,2025-01-10,direct,,L-9\n`,
      )
      assert.equal(started.statusCode, 202, started.body)
      const job = await waitForJob(app, manager, (started.json() as { id: string }).id)
      assert.equal(job.status, 'done', JSON.stringify(job.errors))
      assert.equal((await findUnitBySerial(ctx.db, 'CAPS-0001'))?.batch, 'L-9')
    })

    test('the name an upload was sent under is kept as a file name only: no folders, control or direction characters', async () => {
      // Old browsers send the whole path; a name may hide its end behind a right-to-left override.
      const started = await upload(
        'C:\\Users\\li\\Desktop\\\u202eunits\u0007 2024.csv',
        `${HEADER}\nNM-1,"ares"mpro,2025-01-02,,,direct,\n`,
      )
      assert.equal(started.statusCode, 202, started.body)
      const job = await waitForJob(app, manager, (started.json() as { id: string }).id)
      assert.equal(job.fileName, 'units 2024.csv')
      assert.match(job.errors[0]?.message ?? '', /^units 2024\.csv, line 2, column 2:/)
    })

    test('blank lines above the header are passed over on upload, as the import passes them', async () => {
      const started = await upload(
        'blank-top.csv',
        `\r\n  \r\n${HEADER}\r\nBT-0001,ares-mpro,2025-01-02,2025-01-03,2025-01-10,direct,\r\n`,
      )
      assert.equal(started.statusCode, 202, started.body)
      const job = await waitForJob(app, manager, (started.json() as { id: string }).id)
      assert.equal(job.status, 'done', JSON.stringify(job.errors))
      assert.ok(await findUnitBySerial(ctx.db, 'BT-0001'))
    })

    test('a header lacking columns is refused naming the file, the header line and the columns', async () => {
      const refused = await upload('shop units.csv', `\n\nserial,model\nX-1,ares-mpro\n`)
      assert.equal(refused.statusCode, 400, refused.body)
      const { error } = refused.json() as {
        error: { field?: string; message: string; details?: { line?: number } }
      }
      assert.equal(error.field, 'body.file')
      assert.equal(error.details?.line, 3)
      assert.match(
        error.message,
        /^body\.file: shop units\.csv, line 3 \(the header\): missing column purchasedOn, /,
      )
    })

    test('a file whose lines end in a bare carriage return imports like any other', async () => {
      const started = await upload(
        'mac.csv',
        `${HEADER}\rCR-0001,ares-mpro,2025-01-02,2025-01-03,2025-01-10,direct,\rCR-0002,no-such-camera,2025-01-02,,,direct,\r`,
      )
      assert.equal(started.statusCode, 202, started.body)
      const job = await waitForJob(app, manager, (started.json() as { id: string }).id)
      assert.equal(job.status, 'done', JSON.stringify(job.errors))
      assert.deepEqual([job.total, job.imported, job.rejected], [2, 1, 1])
      assert.deepEqual(
        job.errors.map((e) => [e.line, e.field]),
        [[3, 'model']],
      )
      assert.ok(await findUnitBySerial(ctx.db, 'CR-0001'))
    })

    test('a job its stopped server left running is failed on the next start, saying nothing was written', async () => {
      const at = (minutesAgo: number) =>
        new Date(new Date('2025-06-15T10:00:00Z').getTime() - minutesAgo * 60_000).toISOString()
      const job = (id: string, touched: string) => ({
        id,
        kind: 'units' as const,
        status: 'running' as const,
        file_name: 'big.csv',
        total_rows: 300_000,
        processed: 68_608,
        imported: 0,
        unchanged: 0,
        rejected: 0,
        errors: '[]',
        started_by: 'someone',
        started_at: at(30),
        updated_at: touched,
        finished_at: null,
      })
      const stale = `imp-${crypto.randomUUID()}`
      const recent = `imp-${crypto.randomUUID()}`
      await ctx.db
        .insertInto('import_jobs')
        .values([job(stale, at(10)), job(recent, at(0))])
        .execute()
      // The server starting again.
      const restarted = await buildApp(ctx)
      try {
        await restarted.ready()
        const read = async (id: string) =>
          (await restarted.inject({ url: `/api/v1/imports/${id}`, headers: manager })).json() as ImportJobView
        const failed = await read(stale)
        assert.equal(failed.status, 'failed')
        assert.equal(failed.imported, 0)
        assert.ok(failed.finishedAt)
        assert.equal(failed.errors[0]?.messageKey, 'import.interrupted')
        assert.match(failed.errors[0]?.message ?? '', /interrupted.*nothing from this file was written/)
        // One SQLite server runs at a time; on PostgreSQL another instance may still be at work on it.
        assert.equal((await read(recent)).status, engine === 'sqlite' ? 'failed' : 'running')
        await ctx.db.updateTable('import_jobs').set({ status: 'failed' }).where('id', '=', recent).execute()
      } finally {
        await restarted.close()
      }
    })

    test('a job no instance touched for two minutes is reported failed when read', async () => {
      const id = `imp-${crypto.randomUUID()}`
      await ctx.db
        .insertInto('import_jobs')
        .values({
          id,
          kind: 'models',
          status: 'running',
          file_name: 'models.csv',
          total_rows: 10,
          processed: 0,
          imported: 0,
          unchanged: 0,
          rejected: 0,
          errors: '[]',
          started_by: 'someone',
          started_at: '2025-06-15T09:50:00.000Z',
          updated_at: '2025-06-15T09:57:59.000Z',
          finished_at: null,
        })
        .execute()
      const job = (
        await app.inject({ url: `/api/v1/imports/${id}`, headers: manager })
      ).json() as ImportJobView
      assert.equal(job.status, 'failed')
      assert.equal(job.errors[0]?.messageKey, 'import.interrupted')
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
      assert.equal((missing.json() as { error: { field?: string } }).error.field, 'params.id')
    })
  })
}

const MODELS = `model,category,policy,aliases,standardPackage,brand,selfChecks,sensor,description,descriptionZh
Vega HTTP 1,camera,retailer,VH1|Vega-H1,camera|USB cable,,power-on,IMX585,Uncooled planetary camera,非制冷行星相机
Vega HTTP Wheel,accessory,retailer,,wheel|cable,,,,,
Vega HTTP Bad,camera,no-such-policy,,,,,,,
`

for (const engine of testEngines()) {
  describe(`model import over HTTP (${engine})`, () => {
    let database: TestDatabase
    let ctx: AppContext
    let app: HttpApp
    let admin: Record<string, string>

    before(async () => {
      database = await openTestDatabase(engine)
      ctx = createTestContext(database, { now: () => new Date('2025-06-15T10:00:00Z') })
      await seedDemoRegistry(ctx)
      app = await buildApp(ctx)
      admin = (await createTestUser(ctx.db, { role: 'admin' })).headers
    })
    after(async () => {
      await app.close()
      await database.dispose()
    })

    const start = (kind: 'models' | 'units', body: ReturnType<typeof multipartFile>, headers = admin) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/imports/${kind}`,
        ...body,
        headers: { ...body.headers, ...headers },
      })

    test('the catalogue is imported as a job, a bad row rejected naming its field, and again changes nothing', async () => {
      const body = multipartFile('file', 'models.csv', 'text/csv', MODELS)
      const started = await start('models', body)
      assert.equal(started.statusCode, 202, started.body)
      const job = await waitForJob(app, admin, (started.json() as { id: string }).id)
      assert.equal(job.kind, 'models')
      assert.equal(job.status, 'done', JSON.stringify(job.errors))
      assert.deepEqual([job.total, job.imported, job.unchanged, job.rejected], [3, 2, 0, 1])
      assert.deepEqual(
        job.errors.map((e) => [e.line, e.field]),
        [[4, 'policy']],
      )
      assert.match(job.errors[0]?.message ?? '', /^no policy "no-such-policy" \(known: /)
      // The same report for a Chinese reader: the rejection worded from its key, the key and values kept.
      const chinese = await app.inject({
        url: `/api/v1/imports/${job.id}`,
        headers: { ...admin, 'accept-language': 'zh-CN,zh;q=0.9' },
      })
      const [rejection] = (chinese.json() as ImportJobView).errors
      assert.equal(rejection?.messageKey, 'import.model.unknown-policy')
      assert.equal(rejection?.params?.policy, 'no-such-policy')
      assert.match(rejection?.message ?? '', /^没有策略“no-such-policy”（已有：/)
      const again = await waitForJob(app, admin, ((await start('models', body)).json() as { id: string }).id)
      assert.deepEqual(
        [again.imported, again.unchanged, again.rejected],
        [0, 2, 1],
        're-importing changes nothing',
      )

      // Units now find the new models, by name or alias; an unknown one is named with the closest.
      const units = multipartFile(
        'file',
        'units.csv',
        'text/csv',
        `${HEADER}\nVH-0001,VH1,2025-01-02,2025-01-03,2025-01-10,direct,\nVH-0002,Vega HTTP 2,2025-01-02,2025-01-03,2025-01-10,direct,\n`,
      )
      const unitJob = await waitForJob(
        app,
        admin,
        ((await start('units', units)).json() as { id: string }).id,
      )
      assert.deepEqual([unitJob.imported, unitJob.rejected], [1, 1])
      assert.match(unitJob.errors[0]?.message ?? '', /did you mean "Vega HTTP 1"\?/)
      const unit = await findUnitBySerial(ctx.db, 'VH-0001')
      const model = await ctx.db
        .selectFrom('product_models')
        .select('name')
        .where('id', '=', unit?.modelId ?? '')
        .executeTakeFirst()
      assert.equal(model?.name, 'Vega HTTP 1', 'the alias found its model')
      const described = await app.inject({ method: 'GET', url: `/api/v1/models/${unit?.modelId ?? ''}` })
      assert.deepEqual(
        [described.json().description, described.json().descriptionZh],
        ['Uncooled planetary camera', '非制冷行星相机'],
        'the description in both languages',
      )
    })

    test('known columns are read whatever their case; other columns stay specifications as written', async () => {
      const started = await start(
        'models',
        multipartFile(
          'file',
          'models-caps.csv',
          'text/csv',
          'Model,Category,Policy,Aliases,DescriptionZh,Sensor\nVega Caps 1,camera,retailer,VC1,非制冷行星相机,IMX585\n',
        ),
      )
      assert.equal(started.statusCode, 202, started.body)
      const job = await waitForJob(app, admin, (started.json() as { id: string }).id)
      assert.equal(job.status, 'done', JSON.stringify(job.errors))
      const model = await ctx.db
        .selectFrom('product_models')
        .select(['aliases', 'description_zh', 'specifications'])
        .where('name', '=', 'Vega Caps 1')
        .executeTakeFirstOrThrow()
      assert.deepEqual(
        [JSON.parse(model.aliases), model.description_zh, JSON.parse(model.specifications)],
        [['vc1'], '非制冷行星相机', { Sensor: 'IMX585' }],
      )
    })

    test('a models file without its required columns is refused naming the file; only managers and admins import', async () => {
      const unitsHeader = multipartFile(
        'file',
        'models.csv',
        'text/csv',
        `${HEADER}\nX,Y,2025-01-02,,,direct,\n`,
      )
      const refused = await start('models', unitsHeader)
      assert.equal(refused.statusCode, 400, refused.body)
      assert.equal(
        (refused.json() as { error: { field?: string; message: string } }).error.field,
        'body.file',
      )
      assert.match(refused.body, /category, policy/)
      for (const role of ['support', 'technician', 'dealer', 'customer'] as const) {
        const headers = (await createTestUser(ctx.db, { role })).headers
        const denied = await start('models', multipartFile('file', 'models.csv', 'text/csv', MODELS), headers)
        assert.equal(denied.statusCode, 403, `${role}: ${denied.body}`)
      }
    })
  })
}
