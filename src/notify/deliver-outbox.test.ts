import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { after, afterEach, before, describe, it } from 'node:test'
import { SMTPServer } from 'smtp-server'
import { openTestDatabase, type TestDatabase, testEngines } from '../db/test-database.ts'
import { loadConfig } from '../shared/config.ts'
import { type DeliveryContext, deliverDueMessages } from './deliver-outbox.ts'
import { DEFAULT_RETRY_POLICY } from './domain/retry-schedule.ts'
import { parseSignatureHeader } from './domain/webhook-signature.ts'
import { enqueueEmail, enqueueWebhookEvent } from './outbox.ts'

const T0 = new Date('2026-03-02T09:00:00.000Z')
const later = (ms: number) => new Date(T0.getTime() + ms)

function contextFor(
  tdb: { db: TestDatabase['db']; engine: TestDatabase['engine'] },
  dataDir: string,
  smtpUrl?: string,
): DeliveryContext {
  return {
    db: tdb.db,
    engine: tdb.engine,
    config: loadConfig(
      {},
      {
        dataDir,
        publicUrl: 'https://service.example.com',
        smtpUrl,
        mailFrom: 'Service <service@maker.example>',
      },
    ),
  }
}

const enqueueClosed = (db: TestDatabase['db'], claimNumber: string) =>
  enqueueEmail(
    db,
    {
      to: 'anna@example.com',
      template: 'claim.closed',
      locale: 'en',
      data: { claimNumber },
      claimId: `id-${claimNumber}`,
    },
    { now: T0 },
  )

/** A real SMTP server on 127.0.0.1 that keeps every message it accepts; `reject` makes it refuse. */
async function startSmtpServer() {
  const received: string[] = []
  const state = { reject: false }
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (state.reject) {
        const error = Object.assign(new Error('Mailbox unavailable, try later'), { responseCode: 451 })
        callback(error)
        return
      }
      callback()
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        received.push(Buffer.concat(chunks).toString('utf8'))
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.server.address() as AddressInfo).port
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    state,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}

/** A real webhook receiver that verifies the signature the way a subscriber would. */
async function startWebhookReceiver(secret: string) {
  const deliveries: { id: string; event: string; body: unknown; signatureValid: boolean }[] = []
  const state = { status: 200, delayMs: 0 }
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8')
      const parsed = parseSignatureHeader(String(req.headers['aftercare-signature'] ?? ''))
      const expected = parsed
        ? crypto.createHmac('sha256', secret).update(`${parsed.t}.${raw}`).digest('hex')
        : ''
      const signatureValid =
        parsed?.v1.some((v) =>
          crypto.timingSafeEqual(Buffer.from(v, 'hex'), Buffer.from(expected, 'hex')),
        ) === true
      deliveries.push({
        id: String(req.headers['aftercare-delivery']),
        event: String(req.headers['aftercare-event']),
        body: JSON.parse(raw),
        signatureValid,
      })
      res.statusCode = state.status
      setTimeout(() => res.end(), state.delayMs)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    deliveries,
    state,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}

async function addSubscription(
  db: TestDatabase['db'],
  url: string,
  secret: string,
  id = crypto.randomUUID(),
) {
  await db
    .insertInto('webhook_subscriptions')
    .values({
      id,
      url,
      secret,
      event_types: '["*"]',
      active: 1,
      created_by: 'admin',
      created_at: T0.toISOString(),
    })
    .execute()
  return id
}

for (const engine of testEngines()) {
  describe(`outbox delivery (${engine})`, () => {
    let tdb: TestDatabase
    let smtp: Awaited<ReturnType<typeof startSmtpServer>>
    before(async () => {
      tdb = await openTestDatabase(engine)
      smtp = await startSmtpServer()
    })
    after(async () => {
      await smtp.close()
      await tdb.dispose()
    })
    afterEach(async () => {
      await tdb.db.deleteFrom('outbox_messages').execute()
      await tdb.db.deleteFrom('webhook_subscriptions').execute()
    })

    it('writes .eml files atomically when no SMTP server is configured, with a Message-ID stable per row', async () => {
      const ctx = contextFor(tdb, tdb.dataDir)
      const id = await enqueueClosed(tdb.db, 'C-1')
      const report = await deliverDueMessages(ctx, { now: T0, workerId: 'w1' })
      assert.deepEqual(report, { claimed: 1, sent: 1, retried: 0, failed: 0, lost: 0 })
      const folder = path.join(tdb.dataDir, 'outbox')
      assert.deepEqual(fs.readdirSync(folder), [`${id}.eml`], 'no temp file is left beside the message')
      const eml = fs.readFileSync(path.join(folder, `${id}.eml`), 'utf8')
      assert.match(eml, new RegExp(`Message-ID: <${id}@maker\\.example>`, 'i'))
      assert.match(eml, /Subject: Claim C-1 is closed/)
      assert.match(eml, /X-Aftercare-Claim: id-C-1/)
      const row = await tdb.db
        .selectFrom('outbox_messages')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      assert.equal(row.status, 'sent')
      assert.equal(row.sent_at, T0.toISOString())
      assert.equal(row.attempts, 1)
      assert.equal(
        (await deliverDueMessages(ctx, { now: later(60_000), workerId: 'w1' })).claimed,
        0,
        'sent is sent',
      )
    })

    it("an alert to the service team carries no reply address of the claim: a reply to it would be posted to the customer's thread", async () => {
      const base = contextFor(tdb, tdb.dataDir)
      const ctx = {
        ...base,
        config: { ...base.config, replyDomain: 'reply.maker.example', replySecret: 'r'.repeat(40) },
      }
      const toCustomer = await enqueueClosed(tdb.db, 'C-9')
      const alert = await enqueueEmail(
        tdb.db,
        {
          to: 'service@maker.example',
          template: 'sla.warning',
          locale: 'en',
          claimId: 'id-C-9',
          data: { claimNumber: 'C-9', clock: 'verify', dueAt: T0.toISOString() },
        },
        { now: T0 },
      )
      await deliverDueMessages(ctx, { now: T0, workerId: 'w1' })
      const read = (id: string | null) =>
        fs.readFileSync(path.join(tdb.dataDir, 'outbox', `${id}.eml`), 'utf8')
      assert.match(read(toCustomer), /^Reply-To: reply\+id-c-9\.[0-9a-f]+@reply\.maker\.example/m)
      const team = read(alert)
      assert.doesNotMatch(team, /^Reply-To:/m, team)
      assert.match(team, /X-Aftercare-Claim: id-C-9/)
    })

    it('sends through a real SMTP server and retries with backoff when it refuses, then fails after the last attempt', async () => {
      const ctx = contextFor(tdb, tdb.dataDir, smtp.url)
      const id = await enqueueClosed(tdb.db, 'C-2')
      smtp.state.reject = true
      const first = await deliverDueMessages(ctx, { now: T0, workerId: 'w1', random: () => 0 })
      assert.deepEqual(first, { claimed: 1, sent: 0, retried: 1, failed: 0, lost: 0 })
      let row = await tdb.db
        .selectFrom('outbox_messages')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      assert.equal(row.status, 'pending')
      assert.equal(
        row.next_attempt_at,
        later(15_000).toISOString(),
        'first retry after half of 30 s with zero jitter',
      )
      assert.match(row.last_error ?? '', /451|try later/)
      assert.equal(row.locked_by, null)
      assert.equal(
        (await deliverDueMessages(ctx, { now: later(14_000), workerId: 'w1' })).claimed,
        0,
        'not due yet',
      )

      smtp.state.reject = false
      const second = await deliverDueMessages(ctx, { now: later(15_000), workerId: 'w1' })
      assert.deepEqual(second, { claimed: 1, sent: 1, retried: 0, failed: 0, lost: 0 })
      const message = smtp.received.find((m) => m.includes(`<${id}@maker.example>`))
      assert.ok(message, 'the SMTP server received the message with its stable Message-ID')
      assert.match(message, /Subject: Claim C-2 is closed/)
      assert.match(message, /https:\/\/service\.example\.com\/claims\/id-C-2/)

      const doomed = await enqueueClosed(tdb.db, 'C-3')
      smtp.state.reject = true
      let now = T0
      for (let attempt = 1; attempt <= DEFAULT_RETRY_POLICY.maxAttempts; attempt++) {
        const report = await deliverDueMessages(ctx, { now, workerId: 'w1' })
        assert.equal(report.claimed, 1, `attempt ${attempt} is made`)
        row = await tdb.db
          .selectFrom('outbox_messages')
          .selectAll()
          .where('id', '=', doomed)
          .executeTakeFirstOrThrow()
        now = new Date(row.next_attempt_at)
      }
      smtp.state.reject = false
      assert.equal(row.status, 'failed')
      assert.equal(row.attempts, DEFAULT_RETRY_POLICY.maxAttempts)
    })

    it('lets another worker take a row whose lease expired (a crashed worker)', async () => {
      const ctx = contextFor(tdb, tdb.dataDir)
      const id = await enqueueClosed(tdb.db, 'C-4')
      // The crashed worker claimed the row and never came back.
      await tdb.db
        .updateTable('outbox_messages')
        .set({ locked_by: 'crashed', locked_until: later(120_000).toISOString(), attempts: 1 })
        .where('id', '=', id)
        .execute()
      assert.equal((await deliverDueMessages(ctx, { now: later(60_000), workerId: 'w2' })).claimed, 0)
      const report = await deliverDueMessages(ctx, { now: later(120_000), workerId: 'w2' })
      assert.deepEqual(report, { claimed: 1, sent: 1, retried: 0, failed: 0, lost: 0 })
      const row = await tdb.db
        .selectFrom('outbox_messages')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      assert.equal(row.attempts, 2)
    })

    it('POSTs signed webhooks to a real server, retries on non-2xx, and fails deliveries of removed subscriptions', async () => {
      const secret = 'whsec-test-1'
      const receiver = await startWebhookReceiver(secret)
      try {
        const ctx = contextFor(tdb, tdb.dataDir)
        const subscriptionId = await addSubscription(tdb.db, receiver.url, secret)
        const [deliveryId] = await enqueueWebhookEvent(
          tdb.db,
          { type: 'return.shipped', claimId: 'claim-7', data: { carrier: 'DHL', trackingNumber: 'JD1' } },
          { now: T0 },
        )
        receiver.state.status = 503
        assert.deepEqual(await deliverDueMessages(ctx, { now: T0, workerId: 'w1' }), {
          claimed: 1,
          sent: 0,
          retried: 1,
          failed: 0,
          lost: 0,
        })
        receiver.state.status = 204
        const row = await tdb.db.selectFrom('outbox_messages').selectAll().executeTakeFirstOrThrow()
        assert.match(row.last_error ?? '', /HTTP 503/)
        await deliverDueMessages(ctx, { now: new Date(row.next_attempt_at), workerId: 'w1' })
        assert.equal(receiver.deliveries.length, 2)
        for (const delivery of receiver.deliveries) {
          assert.equal(delivery.signatureValid, true)
          assert.equal(delivery.id, deliveryId)
          assert.equal(delivery.event, 'return.shipped')
          assert.deepEqual((delivery.body as { data: unknown }).data, {
            carrier: 'DHL',
            trackingNumber: 'JD1',
          })
        }
        const sent = await tdb.db.selectFrom('outbox_messages').select('status').executeTakeFirstOrThrow()
        assert.equal(sent.status, 'sent')

        // A wrong secret must not verify: the receiver's check is real.
        await tdb.db.updateTable('webhook_subscriptions').set({ secret: 'other' }).execute()
        await enqueueWebhookEvent(tdb.db, { type: 'claim.closed', data: {} }, { now: T0 })
        await deliverDueMessages(ctx, { now: later(1), workerId: 'w1' })
        assert.equal(receiver.deliveries.at(-1)?.signatureValid, false)

        await enqueueWebhookEvent(tdb.db, { type: 'claim.closed', data: {} }, { now: T0 })
        await tdb.db.deleteFrom('webhook_subscriptions').where('id', '=', subscriptionId).execute()
        assert.deepEqual(await deliverDueMessages(ctx, { now: later(2), workerId: 'w1' }), {
          claimed: 1,
          sent: 0,
          retried: 0,
          failed: 1,
          lost: 0,
        })
      } finally {
        await receiver.close()
      }
    })

    it('gives up on a webhook endpoint that does not answer in time and retries later', async () => {
      const silent = http.createServer(() => {
        // Never answers.
      })
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
      try {
        const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/slow`
        await addSubscription(tdb.db, url, 'whsec-slow')
        await enqueueWebhookEvent(tdb.db, { type: 'claim.opened', data: {} }, { now: T0 })
        const started = Date.now()
        const report = await deliverDueMessages(contextFor(tdb, tdb.dataDir), {
          now: T0,
          workerId: 'w1',
          webhookTimeoutMs: 200,
        })
        assert.deepEqual(report, { claimed: 1, sent: 0, retried: 1, failed: 0, lost: 0 })
        assert.ok(Date.now() - started < 5000)
        const row = await tdb.db.selectFrom('outbox_messages').selectAll().executeTakeFirstOrThrow()
        assert.match(row.last_error ?? '', /timeout|abort/i)
      } finally {
        silent.closeAllConnections()
        await new Promise<void>((r) => silent.close(() => r()))
      }
    })

    it('never sends one message twice when two instances race over the same rows', async () => {
      const secret = 'whsec-race'
      const receiver = await startWebhookReceiver(secret)
      const second = tdb.reopen()
      try {
        await addSubscription(tdb.db, receiver.url, secret)
        const ids: string[] = []
        for (let i = 0; i < 60; i++) {
          ids.push(...(await enqueueWebhookEvent(tdb.db, { type: 'claim.opened', data: { i } }, { now: T0 })))
        }
        const run = async (ctx: DeliveryContext, workerId: string) => {
          let claimed = 0
          for (;;) {
            const report = await deliverDueMessages(ctx, { now: later(1000), workerId, batchSize: 5 })
            if (report.claimed === 0) return claimed
            claimed += report.claimed
          }
        }
        const [a, b] = await Promise.all([
          run(contextFor(tdb, tdb.dataDir), 'instance-a'),
          run(contextFor(second, tdb.dataDir), 'instance-b'),
        ])
        assert.equal(a + b, 60)
        const delivered = receiver.deliveries.map((d) => d.id).sort()
        assert.deepEqual(delivered, [...ids].sort(), 'each delivery arrived exactly once')
        if (engine === 'postgres') assert.ok(a > 0 && b > 0, `both instances worked (a=${a}, b=${b})`)
      } finally {
        await second.close()
        await receiver.close()
      }
    })

    it('sends no row twice when a slow receiver keeps a batch busy past its lease', async () => {
      const secret = 'whsec-slow-batch'
      const receiver = await startWebhookReceiver(secret)
      // A sixth of a lease per answer: a send ends well inside the lease it renewed even on
      // a machine busy enough to stall the event loop for seconds (half a lease was not
      // enough in a CI run of six test processes on two cores), as sends do in production
      // (timeouts well inside the 2-minute lease); only rows still waiting lose theirs.
      receiver.state.delayMs = 500
      const second = tdb.reopen()
      try {
        await addSubscription(tdb.db, receiver.url, secret)
        const ids: string[] = []
        for (let i = 0; i < 8; i++) {
          ids.push(...(await enqueueWebhookEvent(tdb.db, { type: 'claim.opened', data: { i } }, { now: T0 })))
        }
        const leaseMs = 3000
        const started = Date.now()
        const clock = () => later(1000 + (Date.now() - started))
        // One worker takes the whole batch; the receiver needs more than a lease to answer it.
        const slow = deliverDueMessages(contextFor(tdb, tdb.dataDir), {
          now: clock(),
          workerId: 'instance-a',
          batchSize: 8,
          leaseMs,
        })
        // The other keeps picking up whatever lease it sees run out, as a second instance would.
        let other = { claimed: 0, sent: 0, lost: 0 }
        const giveUpAt = Date.now() + 60_000
        while (Date.now() < giveUpAt) {
          await new Promise((r) => setTimeout(r, 20))
          const report = await deliverDueMessages(contextFor(second, tdb.dataDir), {
            now: clock(),
            workerId: 'instance-b',
            batchSize: 1,
            leaseMs,
          })
          other = {
            claimed: other.claimed + report.claimed,
            sent: other.sent + report.sent,
            lost: other.lost + report.lost,
          }
          const left = await tdb.db
            .selectFrom('outbox_messages')
            .select('id')
            .where('status', '=', 'pending')
            .execute()
          if (left.length === 0) break
        }
        const first = await slow
        const delivered = receiver.deliveries.map((d) => d.id).sort()
        assert.deepEqual(delivered, [...ids].sort(), 'each delivery arrived exactly once')
        assert.equal(first.sent + other.sent, 8)
        assert.ok(other.claimed > 0, 'the second worker took over rows whose lease ran out')
        assert.equal(first.lost, other.claimed, 'the first worker skipped every row it no longer held')
      } finally {
        await second.close()
        await receiver.close()
      }
    })
  })
}
