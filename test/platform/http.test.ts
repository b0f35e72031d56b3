import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import zlib from 'node:zlib'
import { createTestContext } from '../../src/app/test-context.ts'
import { openTestDatabase, type TestDatabase, testEngines } from '../../src/db/test-database.ts'
import { buildApp, listRegisteredRoutes } from '../../src/http/app.ts'
import type { HttpApp } from '../../src/http/types.ts'

/** A built web app in miniature: an index page and one hashed asset. */
function writeWebBuild(dir: string) {
  fs.mkdirSync(path.join(dir, 'assets'), { recursive: true })
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><title>Aftercare</title><div id="root"></div>',
  )
  const script = 'console.log("app")'.repeat(50)
  fs.writeFileSync(path.join(dir, 'assets', 'index-3f2a1b.js'), script)
  // As the web build does: a Brotli copy beside the asset.
  fs.writeFileSync(path.join(dir, 'assets', 'index-3f2a1b.js.br'), zlib.brotliCompressSync(script))
}

for (const engine of testEngines()) {
  describe(`HTTP platform on ${engine}`, () => {
    let database: TestDatabase
    let app: HttpApp
    const apps: HttpApp[] = []
    before(async () => {
      database = await openTestDatabase(engine)
      app = await buildApp(createTestContext(database), { webDir: null })
      apps.push(app)
    })
    after(async () => {
      for (const a of apps) await a.close()
      await database.dispose()
    })

    it('answers /healthz with the engine after checking the database', async () => {
      const response = await app.inject({ url: '/healthz' })
      assert.equal(response.statusCode, 200)
      assert.deepEqual(response.json(), { status: 'ok', engine })
    })

    it('documents every /api/v1 route in the OpenAPI document', async () => {
      const response = await app.inject({ url: '/api/openapi.json' })
      assert.equal(
        response.statusCode,
        200,
        'the OpenAPI document builds (every route schema is a Zod schema)',
      )
      const document = response.json() as {
        paths: Record<string, Record<string, unknown>>
      }
      const routes = listRegisteredRoutes(app).filter(
        (r) => r.url.startsWith('/api/v1/') && r.method !== 'HEAD',
      )
      assert.ok(routes.length >= 10, `found ${routes.length} /api/v1 routes`)
      const undocumented = routes
        .map((r) => ({ method: r.method.toLowerCase(), path: r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}') }))
        .filter(({ method, path: p }) => !document.paths[p]?.[method])
        .map(({ method, path: p }) => `${method.toUpperCase()} ${p}`)
      assert.deepEqual(undocumented, [])
      for (const [p, operations] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          const { tags, summary } = operation as { tags?: string[]; summary?: string }
          assert.ok(tags?.length && summary, `${method.toUpperCase()} ${p} has tags and a summary`)
        }
      }
    })

    it('answers 429 once warranty look-ups from one address exceed the limit', async () => {
      // Counters run in fixed windows of the app's clock: held still, a window cannot end mid-burst.
      let at = new Date()
      const limited = await buildApp(createTestContext(database, { now: () => at }), {
        webDir: null,
        rateLimits: { lookup: { max: 2, windowMs: 60_000 } },
      })
      apps.push(limited)
      const codes: number[] = []
      for (let i = 0; i < 3; i++) {
        codes.push((await limited.inject({ url: '/api/v1/units/NO-SUCH-SERIAL/warranty' })).statusCode)
      }
      assert.deepEqual(codes.slice(0, 2), [404, 404])
      assert.equal(codes[2], 429)
      // The next window, by the app's clock, counts afresh.
      at = new Date(at.getTime() + 60_000)
      assert.equal((await limited.inject({ url: '/api/v1/units/NO-SUCH-SERIAL/warranty' })).statusCode, 404)
      const unlimited = await buildApp(createTestContext(database), { webDir: null, rateLimits: false })
      apps.push(unlimited)
      for (let i = 0; i < 3; i++) {
        assert.equal(
          (await unlimited.inject({ url: '/api/v1/units/NO-SUCH-SERIAL/warranty' })).statusCode,
          404,
        )
      }
    })

    it('serves the web app with a page fallback and long-lived hashed assets', async () => {
      const webDir = path.join(database.dataDir, 'web-dist')
      writeWebBuild(webDir)
      const web = await buildApp(createTestContext(database), { webDir })
      apps.push(web)
      const home = await web.inject({ url: '/', headers: { accept: 'text/html' } })
      assert.equal(home.statusCode, 200)
      assert.match(home.body, /id="root"/)
      const deep = await web.inject({ url: '/claims/RMA-1', headers: { accept: 'text/html,*/*' } })
      assert.equal(deep.statusCode, 200)
      assert.match(deep.body, /id="root"/)
      assert.equal(deep.headers['cache-control'], 'no-cache')
      const asset = await web.inject({ url: '/assets/index-3f2a1b.js' })
      assert.equal(asset.statusCode, 200)
      assert.match(String(asset.headers['cache-control']), /immutable/)
      const compressed = await web.inject({
        url: '/assets/index-3f2a1b.js',
        headers: { 'accept-encoding': 'br, gzip' },
      })
      assert.equal(compressed.headers['content-encoding'], 'br')
      assert.equal(zlib.brotliDecompressSync(compressed.rawPayload).toString(), asset.body)
      const api = await web.inject({ url: '/api/v1/no-such-thing', headers: { accept: 'text/html' } })
      assert.equal(api.statusCode, 404)
      assert.equal(api.json().error.code, 'not-found')
    })
  })
}
