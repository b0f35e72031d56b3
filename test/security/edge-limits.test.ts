import assert from 'node:assert/strict'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { createTestContext } from '../../src/app/test-context.ts'
import { createTestUser } from '../../src/auth/test-support.ts'
import { openTestDatabase, type TestDatabase } from '../../src/db/test-database.ts'
import { buildApp } from '../../src/http/app.ts'
import type { HttpApp } from '../../src/http/types.ts'
import { PNG } from './security-world.ts'

// The production limits are 10 s, 30 s and 5 s; the same mechanism at a tenth of the scale.
const TIMEOUTS = { headersMs: 1000, idleMs: 1500, checkEveryMs: 250 }

/** Opens a raw connection, writes `chunks`, and reports what came back and when the server closed it. */
function rawExchange(port: number, chunks: (string | Buffer)[], waitMs: number) {
  return new Promise<{ closedAfterMs: number | null; response: string }>((resolve) => {
    const started = Date.now()
    const socket = net.connect(port, '127.0.0.1')
    let response = ''
    let closedAfterMs: number | null = null
    socket.on('data', (data) => {
      response += data.toString('latin1')
    })
    socket.on('error', () => undefined)
    socket.on('close', () => {
      closedAfterMs = Date.now() - started
      clearTimeout(timer)
      resolve({ closedAfterMs, response })
    })
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk)
    })
    const timer = setTimeout(() => {
      socket.destroy()
      resolve({ closedAfterMs, response })
    }, waitMs)
  })
}

describe('the HTTP edge: slow clients are cut off, oversize bodies refused while streaming', () => {
  let database: TestDatabase
  let app: HttpApp
  let port: number
  let admin: Record<string, string>
  before(async () => {
    database = await openTestDatabase('sqlite')
    app = await buildApp(createTestContext(database), { webDir: null, timeouts: TIMEOUTS, rateLimits: false })
    await app.listen({ port: 0, host: '127.0.0.1' })
    port = (app.server.address() as net.AddressInfo).port
    admin = (await createTestUser(database.db, { role: 'admin' })).headers
  })
  after(async () => {
    await app.close()
    await database.dispose()
  })

  test('headers that do not arrive in time close the connection', async () => {
    const result = await rawExchange(port, ['GET /healthz HTTP/1.1\r\nHost: x\r\n'], 6000)
    assert.ok(result.closedAfterMs !== null, 'the server closed the connection')
    assert.ok(
      result.closedAfterMs < TIMEOUTS.headersMs + 3 * TIMEOUTS.checkEveryMs + 1500,
      String(result.closedAfterMs),
    )
  })

  test('a body that stalls is cut off', async () => {
    const result = await rawExchange(
      port,
      [
        `POST /api/v1/claims HTTP/1.1\r\nHost: x\r\nAuthorization: ${admin.authorization}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"serial":`,
      ],
      6000,
    )
    assert.ok(result.closedAfterMs !== null, 'the server closed the connection')
    assert.ok(result.closedAfterMs < TIMEOUTS.idleMs + 2000, String(result.closedAfterMs))
  })

  test('an idle keep-alive connection is closed', async () => {
    const result = await rawExchange(port, ['GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'], 6000)
    assert.match(result.response, /^HTTP\/1.1 200/)
    assert.ok(
      result.closedAfterMs !== null && result.closedAfterMs < TIMEOUTS.idleMs + 2000,
      String(result.closedAfterMs),
    )
  })

  test('an import upload that stalls leaves no file behind', async () => {
    const boundary = 'stall'
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="units.csv"\r\nContent-Type: text/csv\r\n\r\nserial,model\r\nA1,x\r\n`
    const result = await rawExchange(
      port,
      [
        `POST /api/v1/imports/units HTTP/1.1\r\nHost: x\r\nAuthorization: ${admin.authorization}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 100000\r\n\r\n`,
        head,
      ],
      6000,
    )
    assert.ok(result.closedAfterMs !== null, 'the server closed the connection')
    await new Promise((resolve) => setTimeout(resolve, 500))
    const dir = path.join(database.dataDir, 'imports')
    const left = fs.existsSync(dir) ? fs.readdirSync(dir) : []
    assert.deepEqual(left, [])
  })

  test('a JSON body over the limit is refused from its declared length, and the connection closes', async () => {
    const result = await rawExchange(
      port,
      [
        `POST /api/v1/claims HTTP/1.1\r\nHost: x\r\nAuthorization: ${admin.authorization}\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\n\r\n{`,
      ],
      4000,
    )
    assert.match(result.response, /^HTTP\/1.1 413/)
    assert.match(result.response, /connection: close/i)
    assert.match(result.response, /"code":"payload-too-large"/)
    assert.ok(result.closedAfterMs !== null && result.closedAfterMs < 2000, 'the client is not left waiting')
  })

  test('an oversize upload is refused while it streams, before it is all sent', async () => {
    const boundary = 'big'
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nproof-of-purchase\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`,
    )
    const declared = 200 * 1024 * 1024
    const started = Date.now()
    const outcome = await new Promise<{ status: string; sentBytes: number }>((resolve) => {
      const socket = net.connect(port, '127.0.0.1')
      let sent = 0
      let answer = ''
      socket.on('error', () => undefined)
      socket.on('data', (d) => {
        answer += d.toString('latin1')
        if (answer.includes('\r\n\r\n')) {
          socket.destroy()
          resolve({ status: answer.slice(0, 12), sentBytes: sent })
        }
      })
      socket.on('connect', () => {
        socket.write(
          `POST /api/v1/files HTTP/1.1\r\nHost: x\r\nAuthorization: ${admin.authorization}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${declared}\r\n\r\n`,
        )
        socket.write(head)
        // A PNG's signature and header, then an image-data chunk as long as the body: a
        // well-formed start, so only the size stops it.
        const idat = Buffer.alloc(8)
        idat.writeUInt32BE(declared)
        idat.write('IDAT', 4, 'latin1')
        socket.write(Buffer.concat([PNG.subarray(0, 33), idat]))
        const chunk = Buffer.alloc(256 * 1024)
        const pump = () => {
          while (sent < declared && !socket.destroyed) {
            sent += chunk.length
            if (!socket.write(chunk)) return socket.once('drain', pump)
          }
        }
        pump()
      })
    })
    assert.equal(outcome.status, 'HTTP/1.1 413')
    assert.ok(outcome.sentBytes < declared / 2, `refused after ${outcome.sentBytes} bytes`)
    assert.ok(Date.now() - started < 10_000)
    const incoming = path.join(database.dataDir, 'uploads', '.incoming')
    await new Promise((resolve) => setTimeout(resolve, 300))
    assert.deepEqual(fs.existsSync(incoming) ? fs.readdirSync(incoming) : [], [])
  })
})
