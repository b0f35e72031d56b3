import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { createTestContext } from '../app/test-context.ts'
import { createTestUser } from '../auth/test-support.ts'
import { insertBareClaim } from '../claims/bare-claim.test-support.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { buildApp } from '../http/app.ts'
import type { HttpApp } from '../http/types.ts'
import { multipartBody } from '../shared/multipart-body.test-support.ts'
import { sampleJpeg, samplePdf } from './sample-files.test-support.ts'

/** A real, whole JPEG of `size` bytes, unlike any other. */
const makeJpeg = (size = 6000): Buffer => sampleJpeg({ size })
const makePdf = () => samplePdf()

interface FilePart {
  field: string
  filename: string
  contentType: string
  content: Buffer
}

function multipart(fields: Record<string, string>, files: FilePart[]) {
  const body = multipartBody([
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    ...files.map((file) => ({
      name: file.field,
      filename: file.filename,
      type: file.contentType,
      data: file.content,
    })),
  ])
  return { payload: body.payload, headers: { 'content-type': body.contentType } }
}

/** Every regular file under the uploads folder (temp files included). */
function storedFiles(dataDir: string): string[] {
  const root = path.join(dataDir, 'uploads')
  if (!fs.existsSync(root)) return []
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .map((p) => path.join(root, p))
    .filter((p) => fs.statSync(p).isFile())
}

for (const engine of testEngines()) {
  describe(`file routes (${engine})`, () => {
    let database: TestDatabase
    let app: HttpApp
    const users: Record<
      'anna' | 'bob' | 'dealer' | 'otherDealer' | 'support',
      Record<string, string>
    > = {} as never
    let annaClaim: string
    let bobClaim: string

    const rowCount = async () =>
      Number(
        (
          await database.db
            .selectFrom('files')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )

    before(async () => {
      database = await openTestDatabase(engine)
      app = await buildApp(createTestContext(database), { webDir: null })
      users.anna = (await createTestUser(database.db, { role: 'customer', customerId: 'cus-anna' })).headers
      users.bob = (await createTestUser(database.db, { role: 'customer', customerId: 'cus-bob' })).headers
      users.dealer = (await createTestUser(database.db, { role: 'dealer', orgId: 'org-shop' })).headers
      users.otherDealer = (await createTestUser(database.db, { role: 'dealer', orgId: 'org-other' })).headers
      users.support = (await createTestUser(database.db, { role: 'support' })).headers
      annaClaim = await insertBareClaim(database.db, { customerId: 'cus-anna', dealerOrgId: null })
      bobClaim = await insertBareClaim(database.db, { customerId: 'cus-bob', dealerOrgId: 'org-shop' })
    })
    after(async () => {
      await app.close()
      await database.dispose()
    })

    const upload = (
      claimId: string,
      who: Record<string, string>,
      fields: Record<string, string>,
      files: FilePart[],
    ) => {
      const body = multipart(fields, files)
      return app.inject({
        method: 'POST',
        url: `/api/v1/claims/${claimId}/files`,
        headers: { ...who, ...body.headers },
        payload: body.payload,
      })
    }

    it('accepts a JPEG and streams it back byte-identical, as an attachment that is never sniffed', async () => {
      const jpeg = makeJpeg()
      const response = await upload(annaClaim, users.anna, { kind: 'defect-media' }, [
        { field: 'photo', filename: 'cracked screen.jpg', contentType: 'image/jpeg', content: jpeg },
      ])
      assert.equal(response.statusCode, 201, response.body)
      const [item] = response.json().items
      assert.equal(item.kind, 'defect-media')
      assert.equal(item.contentType, 'image/jpeg')
      assert.equal(item.sizeBytes, jpeg.length)
      assert.equal(item.sha256, crypto.createHash('sha256').update(jpeg).digest('hex'))

      const download = await app.inject({ method: 'GET', url: item.url, headers: users.anna })
      assert.equal(download.statusCode, 200)
      assert.ok(download.rawPayload.equals(jpeg), 'the bytes come back unchanged')
      assert.equal(download.headers['content-type'], 'image/jpeg')
      assert.equal(download.headers['x-content-type-options'], 'nosniff')
      assert.match(
        String(download.headers['content-disposition']),
        /^attachment; filename="cracked screen\.jpg"/,
      )

      const row = await database.db
        .selectFrom('files')
        .selectAll()
        .where('id', '=', item.id)
        .executeTakeFirstOrThrow()
      assert.match(
        row.storage_path,
        /^uploads[/\\]\d{4}[/\\]\d{2}[/\\][0-9a-f-]{36}$/,
        'stored under a server-made name',
      )
      assert.equal(
        storedFiles(database.dataDir).filter((p) => p.includes('.incoming')).length,
        0,
        'no temp file left',
      )

      const list = await app.inject({
        method: 'GET',
        url: `/api/v1/claims/${annaClaim}/files`,
        headers: users.anna,
      })
      assert.deepEqual(
        list.json().items.map((i: { id: string }) => i.id),
        [item.id],
      )
    })

    it('refuses a text file named photo.jpg with 415 naming the field, leaving nothing behind', async () => {
      const before = { rows: await rowCount(), files: storedFiles(database.dataDir).length }
      const response = await upload(annaClaim, users.anna, { kind: 'defect-media' }, [
        {
          field: 'photo',
          filename: 'photo.jpg',
          contentType: 'image/jpeg',
          content: Buffer.from('just some text, not a picture\n'.repeat(300)),
        },
      ])
      assert.equal(response.statusCode, 415, response.body)
      assert.equal(response.json().error.field, 'body.photo')
      assert.deepEqual({ rows: await rowCount(), files: storedFiles(database.dataDir).length }, before)
    })

    it('refuses a JPEG cut off after its first bytes with 415 naming the field, in English and Chinese, leaving nothing behind', async () => {
      const whole = makeJpeg(20_000)
      for (const [language, words] of [
        ['en', /body\.photo: the file is damaged or incomplete: it does not read to its end as a JPEG image/],
        ['zh-CN', /body\.photo：文件已损坏或不完整，无法作为JPEG 图片完整读取/],
      ] as const) {
        const before = { rows: await rowCount(), files: storedFiles(database.dataDir).length }
        const response = await upload(
          annaClaim,
          { ...users.anna, 'accept-language': language },
          { kind: 'defect-media' },
          [
            {
              field: 'photo',
              filename: 'photo.jpg',
              contentType: 'image/jpeg',
              content: whole.subarray(0, 12_000),
            },
          ],
        )
        assert.equal(response.statusCode, 415, response.body)
        assert.equal(response.json().error.code, 'unsupported-media-type')
        assert.equal(response.json().error.field, 'body.photo')
        assert.match(response.json().error.message, words)
        assert.deepEqual({ rows: await rowCount(), files: storedFiles(database.dataDir).length }, before)
      }
    })

    it('refuses a real PDF named .jpg and a JPEG declared as PDF', async () => {
      const renamed = await upload(annaClaim, users.anna, { kind: 'other' }, [
        {
          field: 'doc',
          filename: 'receipt.jpg',
          contentType: 'application/octet-stream',
          content: makePdf(),
        },
      ])
      assert.equal(renamed.statusCode, 415)
      assert.equal(renamed.json().error.field, 'body.doc')
      const misdeclared = await upload(annaClaim, users.anna, { kind: 'other' }, [
        { field: 'doc', filename: 'scan', contentType: 'application/pdf', content: makeJpeg() },
      ])
      assert.equal(misdeclared.statusCode, 415)
    })

    it('refuses a JPEG whose name, once cleaned for the download, ends in .html', async () => {
      for (const filename of ['page.html.', 'page.html\u200f']) {
        const response = await upload(annaClaim, users.anna, { kind: 'defect-media' }, [
          { field: 'photo', filename, contentType: 'image/jpeg', content: makeJpeg() },
        ])
        assert.equal(response.statusCode, 415, `${JSON.stringify(filename)}: ${response.body}`)
        assert.equal(response.json().error.field, 'body.photo')
      }
    })

    it('refuses an oversize image with 413 and leaves no file and no row', async () => {
      const before = { rows: await rowCount(), files: storedFiles(database.dataDir).length }
      const response = await upload(annaClaim, users.anna, { kind: 'defect-media' }, [
        { field: 'small', filename: 'ok.jpg', contentType: 'image/jpeg', content: makeJpeg() },
        {
          field: 'huge',
          filename: 'huge.jpg',
          contentType: 'image/jpeg',
          content: makeJpeg(15 * 1024 * 1024 + 10),
        },
      ])
      assert.equal(response.statusCode, 413, response.body)
      assert.equal(response.json().error.field, 'body.huge')
      assert.deepEqual(
        { rows: await rowCount(), files: storedFiles(database.dataDir).length },
        before,
        'the small file went too',
      )
    })

    it('refuses more files than allowed in one request with 413, keeping none of them', async () => {
      const before = { rows: await rowCount(), files: storedFiles(database.dataDir).length }
      const files = Array.from({ length: 11 }, (_, i) => ({
        field: `photo${i}`,
        filename: `p${i}.jpg`,
        contentType: 'image/jpeg',
        content: makeJpeg(),
      }))
      const response = await upload(annaClaim, users.anna, { kind: 'defect-media' }, files)
      assert.equal(response.statusCode, 413, response.body)
      assert.equal(response.json().error.field, 'body.files')
      assert.deepEqual({ rows: await rowCount(), files: storedFiles(database.dataDir).length }, before)
    })

    it('keeps the name of a path-traversal file for display only', async () => {
      const response = await upload(annaClaim, users.anna, { kind: 'serial-photo' }, [
        {
          field: 'photo',
          filename: '../../../etc/cron.d/evil.jpg',
          contentType: 'image/jpeg',
          content: makeJpeg(),
        },
      ])
      assert.equal(response.statusCode, 201, response.body)
      const [item] = response.json().items
      assert.equal(item.name, 'evil.jpg')
      assert.ok(!fs.existsSync(path.join(database.dataDir, '..', '..', '..', 'etc', 'cron.d', 'evil.jpg')))
      const row = await database.db
        .selectFrom('files')
        .selectAll()
        .where('id', '=', item.id)
        .executeTakeFirstOrThrow()
      assert.ok(row.storage_path.endsWith(item.id))
    })

    it('names the kind field when it is missing or wrong, and the files when there are none', async () => {
      const wrong = await upload(annaClaim, users.anna, { kind: 'selfie' }, [
        { field: 'photo', filename: 'a.jpg', contentType: 'image/jpeg', content: makeJpeg() },
      ])
      assert.equal(wrong.statusCode, 400)
      assert.equal(wrong.json().error.field, 'body.kind')
      const none = await upload(annaClaim, users.anna, { kind: 'other' }, [])
      assert.equal(none.statusCode, 400)
      assert.equal(none.json().error.field, 'body.files')
    })

    it("answers 404 for another customer's claim, and for their files", async () => {
      const response = await upload(bobClaim, users.anna, { kind: 'other' }, [
        { field: 'photo', filename: 'a.jpg', contentType: 'image/jpeg', content: makeJpeg() },
      ])
      assert.equal(response.statusCode, 404)
      const list = await app.inject({
        method: 'GET',
        url: `/api/v1/claims/${bobClaim}/files`,
        headers: users.anna,
      })
      assert.equal(list.statusCode, 404)
      const missing = await app.inject({
        method: 'GET',
        url: `/api/v1/claims/${crypto.randomUUID()}/files`,
        headers: users.anna,
      })
      assert.equal(missing.statusCode, 404)
    })

    it("lets a dealer's upload be seen by its claim's parties only", async () => {
      const response = await upload(bobClaim, users.dealer, { kind: 'shipping-slip' }, [
        { field: 'slip', filename: 'slip.pdf', contentType: 'application/pdf', content: makePdf() },
      ])
      assert.equal(response.statusCode, 201, response.body)
      const url = response.json().items[0].url
      const status = async (who: Record<string, string>) =>
        (await app.inject({ method: 'GET', url, headers: who })).statusCode
      assert.equal(await status(users.anna), 404, 'a customer of another claim')
      assert.equal(await status(users.otherDealer), 404, 'another dealer')
      assert.equal(await status(users.bob), 200, "the claim's customer")
      assert.equal(await status(users.support), 200, 'staff')
      assert.equal((await app.inject({ method: 'GET', url })).statusCode, 401)
    })

    it('any name, declared type and content is stored under a name safe to save, or refused naming its field with nothing left (generated)', async () => {
      const HAN = /\p{Script=Han}/u
      const stem = fc
        .array(
          fc.constantFrom(
            'photo',
            '照片',
            '../',
            '..\\',
            'C:\\',
            '/etc/',
            'CON',
            'nul',
            'Com1',
            '\u200f',
            '\u202e',
            '\u061c',
            '\u0007',
            ' ',
            '.',
            'x'.repeat(150),
          ),
          { maxLength: 6 },
        )
        .map((parts) => parts.join(''))
      const shot = fc.record({
        stem,
        extension: fc.constantFrom('.jpg', '.JPEG', '.pdf', '.html', '.exe', '.jpg.', '.jpg\u200f', ''),
        declared: fc.constantFrom(
          'image/jpeg',
          'application/pdf',
          'application/octet-stream',
          'text/html',
          '',
        ),
        content: fc.constantFrom('jpeg', 'pdf', 'empty', 'text', 'cut-jpeg', 'cut-pdf'),
        language: fc.constantFrom('en', 'zh-CN'),
      })
      const bytes = {
        jpeg: makeJpeg(2000),
        pdf: makePdf(),
        empty: Buffer.alloc(0),
        text: Buffer.from('hello\n'),
        'cut-jpeg': makeJpeg(2000).subarray(0, 1500),
        'cut-pdf': makePdf().subarray(0, 200),
      }
      await fc.assert(
        fc.asyncProperty(shot, async ({ stem, extension, declared, content, language }) => {
          const before = { rows: await rowCount(), files: storedFiles(database.dataDir).length }
          const filename = `${stem}${extension}`
          const response = await upload(
            annaClaim,
            { ...users.anna, 'accept-language': language },
            { kind: 'other' },
            [{ field: 'evidence', filename, contentType: declared, content: bytes[content] }],
          )
          const shown = `${JSON.stringify({ filename, declared, content })} → ${response.statusCode} ${response.body.slice(0, 300)}`
          const after = { rows: await rowCount(), files: storedFiles(database.dataDir).length }
          if (response.statusCode === 201) {
            const name: string = response.json().items[0].name
            assert.ok(content === 'jpeg' || content === 'pdf', shown)
            assert.ok(Array.from(name).length <= 120, shown)
            // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
            assert.doesNotMatch(name, /[/\\\u0000-\u001f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/, shown)
            assert.doesNotMatch(name, /^(con|prn|aux|nul|com\d|lpt\d)\s*(\.|$)/i, shown)
            const saved = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase()
            if (saved) assert.ok((content === 'jpeg' ? ['jpg', 'jpeg'] : ['pdf']).includes(saved), shown)
            assert.deepEqual(after, { rows: before.rows + 1, files: before.files + 1 }, shown)
            return
          }
          assert.ok([400, 413, 415].includes(response.statusCode), shown)
          const error = response.json().error
          assert.equal(error.field, 'body.evidence', shown)
          if (language === 'zh-CN') assert.match(error.message, HAN, shown)
          assert.deepEqual(after, before, `nothing is left behind\n${shown}`)
        }),
        { numRuns: 40 },
      )
    })

    it('takes a proof of purchase before the claim exists, owned by the uploader', async () => {
      const body = multipart({}, [
        { field: 'receipt', filename: '发票.pdf', contentType: 'application/pdf', content: makePdf() },
      ])
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/files',
        headers: { ...users.anna, ...body.headers },
        payload: body.payload,
      })
      assert.equal(response.statusCode, 201, response.body)
      const [item] = response.json().items
      assert.equal(item.kind, 'proof-of-purchase')
      assert.equal(item.claimId, null)
      const mine = await app.inject({ method: 'GET', url: item.url, headers: users.anna })
      assert.equal(mine.statusCode, 200)
      assert.match(String(mine.headers['content-disposition']), /filename\*=UTF-8''%E5%8F%91%E7%A5%A8\.pdf/)
      assert.equal((await app.inject({ method: 'GET', url: item.url, headers: users.bob })).statusCode, 404)
      assert.equal(
        (await app.inject({ method: 'GET', url: item.url, headers: users.dealer })).statusCode,
        404,
      )
    })
  })
}
