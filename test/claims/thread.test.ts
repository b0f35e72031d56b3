import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import MailComposer from 'nodemailer/lib/mail-composer/index.js'
import { testEngines } from '../../src/db/test-database.ts'
import { sampleJpeg } from '../../src/files/sample-files.test-support.ts'
import { deliverDueMessages } from '../../src/notify/deliver-outbox.ts'
import { INBOUND_TOKEN_HEADER } from '../../src/notify/inbound-mail.routes.ts'
import { replyAddressFor } from '../../src/notify/inbound-mail-address.ts'
import { multipartBody } from '../../src/shared/multipart-body.test-support.ts'
import {
  act,
  type ClaimsWorld,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  type Party,
  seedShenzhenAgentUnit,
} from './claim-factories.ts'

const REPLY = { replyDomain: 'reply.aftercare.test', replySecret: 'r'.repeat(40) }
const TOKEN = 't'.repeat(40)

/** A real, whole JPEG of about `size` bytes, unlike any other. */
const makeJpeg = (size = 5000): Buffer => sampleJpeg({ size: size + 22 })

function multipart(fileName: string, content: Buffer, kind = 'defect-media') {
  const body = multipartBody([
    { name: 'kind', value: kind },
    { name: 'files', filename: fileName, type: 'image/jpeg', data: content },
  ])
  return { payload: body.payload, headers: { 'content-type': body.contentType } }
}

/** A JPEG `party` uploads as `kind` ahead of a message (`POST /api/v1/files`); its file id. */
async function uploadAhead(world: ClaimsWorld, party: Party, name: string, kind: string): Promise<string> {
  const upload = multipart(name, makeJpeg(), kind)
  const uploaded = await world.app.inject({
    method: 'POST',
    url: '/api/v1/files',
    headers: { ...party.headers, ...upload.headers },
    payload: upload.payload,
  })
  assert.equal(uploaded.statusCode, 201, uploaded.body)
  return (uploaded.json() as { items: { id: string }[] }).items[0]?.id ?? ''
}

function rawMail(fields: {
  to: string
  from: string
  text: string
  messageId?: string
  attachments?: { filename: string; content: Buffer; contentType: string }[]
}): Promise<Buffer> {
  return new MailComposer({
    from: fields.from,
    to: fields.to,
    subject: 'Re: We need more information',
    text: fields.text,
    messageId: fields.messageId ?? `<${crypto.randomUUID()}@mail.example.com>`,
    attachments: fields.attachments ?? [],
  })
    .compile()
    .build()
}

interface ThreadItem {
  id: string
  kind: string
  internal: boolean
  via: string
  body: string
  files: { id: string; name: string; url: string }[]
}

async function thread(world: ClaimsWorld, party: Party, claimId: string): Promise<ThreadItem[]> {
  const response = await world.app.inject({
    method: 'GET',
    url: `/api/v1/claims/${claimId}/messages`,
    headers: party.headers,
  })
  assert.equal(response.statusCode, 200, response.body)
  return (response.json() as { items: ThreadItem[] }).items
}

async function clocks(world: ClaimsWorld, claimId: string) {
  return world.database.db
    .selectFrom('sla_clocks')
    .select(['kind', 'status', 'due_at', 'paused_total_ms'])
    .where('claim_id', '=', claimId)
    .orderBy('kind')
    .execute()
}

/** Seed 002: a received agent-brand unit has running verify and forward clocks; a question pauses them. */
async function claimAwaitingInfo(world: ClaimsWorld, question: string) {
  const serial = await seedShenzhenAgentUnit(world)
  const opened = await openClaimAs(world, world.customer, openClaimBody(serial))
  await act(world, world.staff, opened.id, 'authorize-return')
  await act(world, world.staff, opened.id, 'receive-unit')
  const running = await clocks(world, opened.id)
  assert.ok(running.some((c) => c.status === 'running'))
  await act(world, world.staff, opened.id, 'request-info', { request: question })
  const paused = await clocks(world, opened.id)
  for (const c of paused.filter((c) => c.kind !== 'first-response')) assert.equal(c.status, 'paused')
  return { claimId: opened.id, pausedDue: paused }
}

for (const engine of testEngines()) {
  describe(`case thread (${engine})`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
      Object.assign(world.ctx.config, REPLY, { inboundMailToken: TOKEN })
    })
    after(async () => world.close())

    test('a request for information is answered on the web with a photo and the clocks resume', async () => {
      const { claimId, pausedDue } = await claimAwaitingInfo(
        world,
        'Please send a photo of the serial label.',
      )
      // The customer who opened the claim was told it was received, and the question reached them by e-mail.
      const mails = await world.database.db
        .selectFrom('outbox_messages')
        .select(['topic', 'recipient', 'payload'])
        .where('claim_id', '=', claimId)
        .execute()
      assert.ok(mails.some((m) => m.topic === 'claim.opened' && m.recipient === 'cus-alice@example.com'))
      assert.ok(mails.some((m) => m.topic === 'info.requested' && m.payload.includes('serial label')))
      const asked = await thread(world, world.customer, claimId)
      assert.equal(asked.at(-1)?.kind, 'info-request')
      assert.equal(asked.at(-1)?.body, 'Please send a photo of the serial label.')

      world.clock.now = new Date(world.clock.now.getTime() + 3 * 3600_000)
      const upload = multipart('label.jpg', makeJpeg())
      const uploaded = await world.app.inject({
        method: 'POST',
        url: `/api/v1/claims/${claimId}/files`,
        headers: { ...world.customer.headers, ...upload.headers },
        payload: upload.payload,
      })
      assert.equal(uploaded.statusCode, 201, uploaded.body)
      const fileId = (uploaded.json() as { items: { id: string }[] }).items[0]?.id ?? ''
      const posted = await world.app.inject({
        method: 'POST',
        url: `/api/v1/claims/${claimId}/messages`,
        headers: world.customer.headers,
        payload: { body: 'Here is the label.', fileIds: [fileId] },
      })
      assert.equal(posted.statusCode, 201, posted.body)
      assert.equal((posted.json() as ThreadItem).kind, 'info-reply')
      // The post answers the message as the thread shows it, its file included.
      assert.deepEqual(
        (posted.json() as ThreadItem).files.map((f) => f.name),
        ['label.jpg'],
      )

      const claim = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${claimId}`,
        headers: world.staff.headers,
      })
      assert.equal((claim.json() as { state: string }).state, 'received')
      const resumed = await clocks(world, claimId)
      for (const c of resumed.filter((c) => c.kind !== 'first-response')) {
        assert.equal(c.status, 'running')
        const before = pausedDue.find((p) => p.kind === c.kind)
        assert.ok(before && c.due_at > before.due_at, `${c.kind}: the due time moves by the pause`)
      }
      const staffView = await thread(world, world.staff, claimId)
      assert.deepEqual(
        staffView.at(-1)?.files.map((f) => f.name),
        ['label.jpg'],
      )
      assert.deepEqual(staffView.at(-1), posted.json())
    })

    test('an answer with a photo of the serial adds that evidence to the case, as the step form does', async () => {
      const { claimId } = await claimAwaitingInfo(world, 'Please send a photo of the serial label.')
      const evidenceOf = async () =>
        (
          (
            await world.app.inject({
              method: 'GET',
              url: `/api/v1/claims/${claimId}`,
              headers: world.staff.headers,
            })
          ).json() as { evidence: string[] }
        ).evidence
      const before = await evidenceOf()
      assert.ok(!before.includes('serial-photo'))
      const ids: string[] = []
      for (const [name, kind] of [
        ['label.jpg', 'serial-photo'],
        ['again.jpg', 'serial-photo'],
        ['note.jpg', 'other'],
      ] as const) {
        ids.push(await uploadAhead(world, world.customer, name, kind))
      }
      const posted = await world.app.inject({
        method: 'POST',
        url: `/api/v1/claims/${claimId}/messages`,
        headers: world.customer.headers,
        payload: { body: 'The label.', fileIds: ids },
      })
      assert.equal(posted.statusCode, 201, posted.body)
      // Once, beside what the case had; a file of no evidence kind adds nothing.
      assert.deepEqual(await evidenceOf(), [...before, 'serial-photo'])
      const answered = await world.database.db
        .selectFrom('claim_events')
        .select('data')
        .where('claim_id', '=', claimId)
        .where('type', '=', 'info.provided')
        .executeTakeFirstOrThrow()
      assert.deepEqual((JSON.parse(answered.data) as { evidence?: string[] }).evidence, ['serial-photo'])
    })

    test('an answer with a proof of purchase, on a case whose purchase is not proven, holds the proof as offered and says so in its event', async () => {
      const serial = await seedShenzhenAgentUnit(world)
      await world.database.db
        .updateTable('units')
        .set({ proof_of_purchase: 0 })
        .where('serial', '=', serial)
        .execute()
      const opened = await openClaimAs(world, world.customer, openClaimBody(serial))
      await act(world, world.staff, opened.id, 'request-info', { request: 'Please send your receipt.' })
      const purchaseOf = async () => {
        const row = await world.database.db
          .selectFrom('claims')
          .select('case_json')
          .where('id', '=', opened.id)
          .executeTakeFirstOrThrow()
        return (JSON.parse(row.case_json) as { purchase: Record<string, unknown> }).purchase
      }
      assert.deepEqual(
        [(await purchaseOf()).proofOfPurchase, (await purchaseOf()).proofOfPurchasePending],
        [false, undefined],
      )
      const receipt = await uploadAhead(world, world.customer, 'receipt.jpg', 'proof-of-purchase')
      const posted = await world.app.inject({
        method: 'POST',
        url: `/api/v1/claims/${opened.id}/messages`,
        headers: world.customer.headers,
        payload: { body: 'My receipt.', fileIds: [receipt] },
      })
      assert.equal(posted.statusCode, 201, posted.body)
      // Offered, not found valid: staff weigh the document.
      const purchase = await purchaseOf()
      assert.deepEqual([purchase.proofOfPurchase, purchase.proofOfPurchasePending], [false, true])
      const answered = await world.database.db
        .selectFrom('claim_events')
        .select('data')
        .where('claim_id', '=', opened.id)
        .where('type', '=', 'info.provided')
        .executeTakeFirstOrThrow()
      assert.equal(
        (JSON.parse(answered.data) as { proofOfPurchaseOffered?: boolean }).proofOfPurchaseOffered,
        true,
      )
    })

    test('internal notes reach staff only, neither in the thread nor in the timeline', async () => {
      const { claimId } = await claimAwaitingInfo(world, 'Which firmware version?')
      const note = await world.app.inject({
        method: 'POST',
        url: `/api/v1/claims/${claimId}/messages`,
        headers: world.staff.headers,
        payload: { body: 'Customer sounded unsure; check the firmware ourselves.', internal: true },
      })
      assert.equal(note.statusCode, 201, note.body)
      assert.ok((await thread(world, world.staff, claimId)).some((m) => m.internal))
      assert.ok(!(await thread(world, world.customer, claimId)).some((m) => m.internal))
      const timeline = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${claimId}/events`,
        headers: world.customer.headers,
      })
      assert.ok(!timeline.body.includes('note.added'))
      assert.ok(!timeline.body.includes('firmware ourselves'))
      const byCustomer = await world.app.inject({
        method: 'POST',
        url: `/api/v1/claims/${claimId}/messages`,
        headers: world.customer.headers,
        payload: { body: 'secret?', internal: true },
      })
      assert.equal(byCustomer.statusCode, 403)
      assert.equal((byCustomer.json() as { error: { field: string } }).error.field, 'body.internal')
      const empty = await world.app.inject({
        method: 'POST',
        url: `/api/v1/claims/${claimId}/messages`,
        headers: world.customer.headers,
        payload: { body: '   ' },
      })
      assert.equal(empty.statusCode, 400)
      // Staff may send files alone; the customer's e-mail still says something arrived.
      const upload = multipart('manual.jpg', makeJpeg())
      const staffFile = await world.app.inject({
        method: 'POST',
        url: `/api/v1/claims/${claimId}/files`,
        headers: { ...world.staff.headers, ...upload.headers },
        payload: upload.payload,
      })
      const staffFileId = (staffFile.json() as { items: { id: string }[] }).items[0]?.id ?? ''
      const filesOnly = await world.app.inject({
        method: 'POST',
        url: `/api/v1/claims/${claimId}/messages`,
        headers: world.staff.headers,
        payload: { fileIds: [staffFileId] },
      })
      assert.equal(filesOnly.statusCode, 201, filesOnly.body)
      const notFile = await world.app.inject({
        method: 'POST',
        url: `/api/v1/claims/${claimId}/messages`,
        headers: world.customer.headers,
        payload: { body: 'x', fileIds: [crypto.randomUUID()] },
      })
      assert.equal(notFile.statusCode, 404)
      assert.equal((notFile.json() as { error: { field: string } }).error.field, 'body.fileIds')
      const stranger = await thread(world, world.otherCustomer, claimId).catch((e: Error) => e)
      assert.ok(stranger instanceof Error)
    })

    test('a reply by e-mail lands in the thread with its photo and resumes the clocks', async () => {
      const { claimId } = await claimAwaitingInfo(world, 'Please send a photo of the fault.')
      // The notification carries the signed reply address.
      // The outbox stamps rows with the real time, not the test's clock.
      const report = await deliverDueMessages(world.ctx, {
        now: new Date(Date.now() + 60_000),
        workerId: 'test',
      })
      assert.ok(report.sent > 0)
      const outbox = path.join(world.ctx.config.dataDir, 'outbox')
      const mails = await Promise.all(
        (await fs.readdir(outbox)).map((name) => fs.readFile(path.join(outbox, name), 'utf8')),
      )
      const replyTo = replyAddressFor(claimId, REPLY) ?? ''
      const question = mails.find((m) => m.includes(replyTo) && m.includes('photo of the fault'))
      assert.ok(question, 'the info request e-mail carries the question and the reply address')

      world.clock.now = new Date(world.clock.now.getTime() + 3600_000)
      const customerEmail = 'cus-alice@example.com'
      const raw = await rawMail({
        to: replyTo,
        from: `Alice <${customerEmail}>`,
        text: 'The fault shows in the photo.\n\nOn Tue, 20 Jan 2026 at 09:00, Aftercare <service@aftercare.local> wrote:\n> Please send a photo of the fault.',
        attachments: [{ filename: 'fault.jpg', content: makeJpeg(), contentType: 'image/jpeg' }],
      })
      const send = (body: Buffer, token = TOKEN) =>
        world.app.inject({
          method: 'POST',
          url: '/api/v1/inbound-mail',
          headers: { 'content-type': 'message/rfc822', [INBOUND_TOKEN_HEADER]: token },
          payload: body,
        })
      assert.equal((await send(raw, 'x'.repeat(40))).statusCode, 401)
      const received = await send(raw)
      assert.equal(received.statusCode, 201, received.body)
      assert.equal((received.json() as { answered: boolean }).answered, true)
      const last = (await thread(world, world.staff, claimId)).at(-1)
      assert.equal(last?.body, 'The fault shows in the photo.')
      assert.equal(last?.via, 'email')
      assert.deepEqual(
        last?.files.map((f) => f.name),
        ['fault.jpg'],
      )
      const state = await world.database.db
        .selectFrom('claims')
        .select('state')
        .where('id', '=', claimId)
        .executeTakeFirstOrThrow()
      assert.equal(state.state, 'received')
      for (const c of (await clocks(world, claimId)).filter((c) => c.kind !== 'first-response'))
        assert.equal(c.status, 'running')
      // A relay's retry of the same message posts nothing more.
      const again = await send(raw)
      assert.equal(again.statusCode, 200)
      assert.equal((await thread(world, world.staff, claimId)).filter((m) => m.via === 'email').length, 1)
    })

    test('a reply to a forged address, from a stranger, or with a disguised file never reaches a case', async () => {
      const { claimId } = await claimAwaitingInfo(world, 'Anything else?')
      const before = (await thread(world, world.staff, claimId)).length
      const good = replyAddressFor(claimId, REPLY) ?? ''
      const forged = good.replace(/\.([0-9a-f])/, (_m, c: string) => `.${c === 'a' ? 'b' : 'a'}`)
      const otherClaim = good.replace(
        /reply\+[0-9a-f]/,
        (m) => `${m.slice(0, -1)}${m.endsWith('0') ? '1' : '0'}`,
      )
      const send = async (fields: Parameters<typeof rawMail>[0]) =>
        world.app.inject({
          method: 'POST',
          url: '/api/v1/inbound-mail',
          headers: { 'content-type': 'message/rfc822', [INBOUND_TOKEN_HEADER]: TOKEN },
          payload: await rawMail(fields),
        })
      const from = 'cus-alice@example.com'
      const forgedReply = await send({ to: forged, from, text: 'forged' })
      assert.equal(forgedReply.statusCode, 404)
      assert.equal(forgedReply.json().error.field, 'body.to')
      assert.equal((await send({ to: otherClaim, from, text: 'other claim' })).statusCode, 404)
      assert.equal((await send({ to: 'service@aftercare.local', from, text: 'no address' })).statusCode, 404)
      const stranger = await send({ to: good, from: 'mallory@example.com', text: 'let me in' })
      assert.equal(stranger.statusCode, 403)
      assert.equal(stranger.json().error.field, 'body.from')
      const disguised = await send({
        to: good,
        from,
        text: 'see file',
        attachments: [
          { filename: 'photo.jpg', content: Buffer.from('MZ not a picture'), contentType: 'image/jpeg' },
        ],
      })
      assert.equal(disguised.statusCode, 415, disguised.body)
      assert.equal(disguised.json().error.field, 'body.attachments')
      assert.equal((await thread(world, world.staff, claimId)).length, before)
      const state = await world.database.db
        .selectFrom('claims')
        .select('state')
        .where('id', '=', claimId)
        .executeTakeFirstOrThrow()
      assert.equal(state.state, 'awaiting-info')
    })

    test("a reply without the claim's address, from no party, or with a disguised file is refused naming its part under body, writing nothing (generated)", async () => {
      const { claimId } = await claimAwaitingInfo(world, 'Which lens?')
      const good = replyAddressFor(claimId, REPLY) ?? ''
      const forged = good.replace(/\.([0-9a-f])/, (_m, c: string) => `.${c === 'a' ? 'b' : 'a'}`)
      const rows = async () => ({
        thread: (await thread(world, world.staff, claimId)).length,
        files: (await world.database.db.selectFrom('files').select('id').execute()).length,
        mail: (await world.database.db.selectFrom('inbound_mail').select('message_id').execute()).length,
      })
      const notAPicture = {
        filename: 'photo.jpg',
        content: Buffer.from('MZ not a picture'),
        contentType: 'image/jpeg',
      }
      // Each way of going wrong, and the part a refusal of it names; at least one goes wrong.
      const wrongs = fc
        .record({
          to: fc.constantFrom<[string, string] | null>(
            null,
            [forged, 'body.to'],
            ['service@aftercare.local', 'body.to'],
          ),
          from: fc.constantFrom<[string, string] | null>(null, ['mallory@example.com', 'body.from']),
          file: fc.boolean(),
        })
        .filter((wrong) => wrong.to !== null || wrong.from !== null || wrong.file)
      await fc.assert(
        fc.asyncProperty(wrongs, fc.string({ maxLength: 40 }), async (wrong, text) => {
          const before = await rows()
          const response = await world.app.inject({
            method: 'POST',
            url: '/api/v1/inbound-mail',
            headers: { 'content-type': 'message/rfc822', [INBOUND_TOKEN_HEADER]: TOKEN },
            payload: await rawMail({
              to: wrong.to?.[0] ?? good,
              from: wrong.from?.[0] ?? 'cus-alice@example.com',
              text: `${text} x`,
              attachments: wrong.file ? [notAPicture] : [],
            }),
          })
          const shown = `${JSON.stringify(wrong)} → ${response.statusCode} ${response.body}`
          assert.ok(response.statusCode >= 400 && response.statusCode < 500, shown)
          // The address is read first, then the sender, then the files.
          const field = wrong.to?.[1] ?? wrong.from?.[1] ?? 'body.attachments'
          assert.equal(response.json().error.field, field, shown)
          assert.deepEqual(await rows(), before, `nothing is written\n${shown}`)
        }),
        { numRuns: 15 },
      )
    })

    test('an automatic reply (out of office) to the question neither answers it nor joins the thread; the notifications say they are automatic', async () => {
      const { claimId } = await claimAwaitingInfo(world, 'Which lens do you use?')
      const before = (await thread(world, world.staff, claimId)).length
      const auto = (headers: Record<string, string>) =>
        new MailComposer({
          from: 'cus-alice@example.com',
          to: replyAddressFor(claimId, REPLY) ?? '',
          subject: 'Automatic reply: We need more information',
          text: 'I am away until Monday and will answer your message then.',
          messageId: `<${crypto.randomUUID()}@mail.example.com>`,
          headers,
        })
          .compile()
          .build()
      // RFC 3834's header, and the ones mail programs that predate it still send.
      const automatic: Record<string, string>[] = [
        { 'Auto-Submitted': 'auto-replied' },
        { 'Auto-Submitted': 'auto-generated' },
        { 'X-Autoreply': 'yes' },
        { 'X-Autorespond': 'Out of office' },
        { Precedence: 'auto_reply' },
        { Precedence: 'bulk' },
      ]
      for (const headers of automatic) {
        const response = await world.app.inject({
          method: 'POST',
          url: '/api/v1/inbound-mail',
          headers: { 'content-type': 'message/rfc822', [INBOUND_TOKEN_HEADER]: TOKEN },
          payload: await auto(headers),
        })
        assert.equal(response.statusCode, 400, `${JSON.stringify(headers)}: ${response.body}`)
        assert.equal(response.json().error.field, 'body.auto-submitted')
      }
      assert.equal((await thread(world, world.staff, claimId)).length, before)
      const state = await world.database.db
        .selectFrom('claims')
        .select('state')
        .where('id', '=', claimId)
        .executeTakeFirstOrThrow()
      assert.equal(state.state, 'awaiting-info', 'the question still waits for its answer')
      // A person's reply that says "Auto-Submitted: no" is a reply.
      const person = await world.app.inject({
        method: 'POST',
        url: '/api/v1/inbound-mail',
        headers: { 'content-type': 'message/rfc822', [INBOUND_TOKEN_HEADER]: TOKEN },
        payload: await auto({ 'Auto-Submitted': 'no' }),
      })
      assert.equal(person.statusCode, 201, person.body)

      // Our own mail says it is automatic, so a well-behaved responder does not answer it at all.
      await deliverDueMessages(world.ctx, { now: new Date(Date.now() + 60_000), workerId: 'test' })
      const outbox = path.join(world.ctx.config.dataDir, 'outbox')
      const mails = await Promise.all(
        (await fs.readdir(outbox)).map((name) => fs.readFile(path.join(outbox, name), 'utf8')),
      )
      assert.ok(mails.length > 0)
      for (const mail of mails) assert.match(mail, /^Auto-Submitted: auto-generated\r?$/m)
    })

    test("a reply in the customer's name that the relay found forged (DMARC failed) is refused naming body.from; one that passed is posted", async () => {
      const { claimId } = await claimAwaitingInfo(world, 'Which mount do you use?')
      const before = (await thread(world, world.staff, claimId)).length
      const signed = (results: string) =>
        new MailComposer({
          from: 'cus-alice@example.com',
          to: replyAddressFor(claimId, REPLY) ?? '',
          subject: 'Re: We need more information',
          text: 'An EQ6.',
          messageId: `<${crypto.randomUUID()}@mail.example.com>`,
          headers: { 'Authentication-Results': results },
        })
          .compile()
          .build()
      const send = async (results: string) =>
        world.app.inject({
          method: 'POST',
          url: '/api/v1/inbound-mail',
          headers: { 'content-type': 'message/rfc822', [INBOUND_TOKEN_HEADER]: TOKEN },
          payload: await signed(results),
        })
      const forged = await send(
        'mx.relay.example; spf=fail smtp.mailfrom=evil.example; dkim=none; dmarc=fail (p=none dis=none) header.from=example.com',
      )
      assert.equal(forged.statusCode, 403, forged.body)
      assert.equal(forged.json().error.field, 'body.from')
      assert.equal((await thread(world, world.staff, claimId)).length, before)
      const state = await world.database.db
        .selectFrom('claims')
        .select('state')
        .where('id', '=', claimId)
        .executeTakeFirstOrThrow()
      assert.equal(state.state, 'awaiting-info', 'the forged answer answered nothing')
      const genuine = await send(
        'mx.relay.example; spf=pass smtp.mailfrom=example.com; dkim=pass header.d=example.com; dmarc=pass header.from=example.com',
      )
      assert.equal(genuine.statusCode, 201, genuine.body)
    })

    test('an answer on the web as long as the thread takes answers the question, recorded whole in its event', async () => {
      const { claimId } = await claimAwaitingInfo(world, 'What happened, step by step?')
      const answer = 'The mount stopped at dusk. '.repeat(290).trim()
      assert.ok(answer.length > 7000 && answer.length <= 8000)
      const posted = await world.app.inject({
        method: 'POST',
        url: `/api/v1/claims/${claimId}/messages`,
        headers: world.customer.headers,
        payload: { body: answer },
      })
      assert.equal(posted.statusCode, 201, posted.body)
      const event = await world.database.db
        .selectFrom('claim_events')
        .select('data')
        .where('claim_id', '=', claimId)
        .where('type', '=', 'info.provided')
        .executeTakeFirstOrThrow()
      assert.equal(JSON.parse(event.data).answer, answer)
    })

    test('a reply longer than the web form takes is kept whole; one with two senders is refused naming body.from, in English and Chinese', async () => {
      const { claimId } = await claimAwaitingInfo(world, 'What happened, step by step?')
      const send = async (from: string, text: string, language = 'en') =>
        world.app.inject({
          method: 'POST',
          url: '/api/v1/inbound-mail',
          headers: {
            'content-type': 'message/rfc822',
            'accept-language': language,
            [INBOUND_TOKEN_HEADER]: TOKEN,
          },
          payload: await rawMail({ from, to: replyAddressFor(claimId, REPLY) ?? '', text }),
        })
      const before = (await thread(world, world.staff, claimId)).length
      // Two addresses in From: which one wrote is not known, and the first is no better a guess.
      for (const language of ['en', 'zh']) {
        const ambiguous = await send(
          'cus-alice@example.com, someone@elsewhere.example',
          'It stopped.',
          language,
        )
        assert.equal(ambiguous.statusCode, 400, ambiguous.body)
        const { error } = ambiguous.json()
        assert.equal(error.field, 'body.from')
        assert.equal(error.messageKey, 'notify.inbound.several-senders')
        assert.ok(error.message.includes('someone@elsewhere.example'), error.message)
        if (language === 'zh') assert.doesNotMatch(error.message.replace(/\S+@\S+/g, ''), /[A-Za-z]{2,}/)
      }
      assert.equal((await thread(world, world.staff, claimId)).length, before)

      // A long account of what happened, in paragraphs, as a customer writes one.
      const paragraph = (i: number) =>
        `Day ${i}: the mount slewed, stopped and the camera lost its image again.`
      const long = Array.from({ length: 400 }, (_, i) => paragraph(i + 1)).join('\n\n')
      assert.ok(long.length > 20_000)
      const kept = await send('cus-alice@example.com', long)
      assert.equal(kept.statusCode, 201, kept.body)
      const { threadMessageId } = kept.json() as { threadMessageId: string }
      const posted = (await thread(world, world.staff, claimId)).find((m) => m.id === threadMessageId)
      assert.equal(posted?.via, 'email')
      assert.equal(posted?.body, long)
    })

    test('a photo pasted into the body of a reply (an inline image, as Gmail and Outlook send it) reaches the case; the signature logo does not', async () => {
      const { claimId } = await claimAwaitingInfo(world, 'Please send a photo of the serial label.')
      const raw = await new MailComposer({
        from: 'cus-alice@example.com',
        to: replyAddressFor(claimId, REPLY) ?? '',
        subject: 'Re: We need more information',
        text: 'Here is the label.\n\nAlice\n[logo]',
        html: '<p>Here is the label.</p><p><img src="cid:label@mail"></p><p>Alice<br><img src="cid:logo@mail"></p>',
        messageId: `<${crypto.randomUUID()}@mail.example.com>`,
        attachments: [
          {
            filename: 'IMG_2041.jpg',
            content: makeJpeg(300_000),
            contentType: 'image/jpeg',
            cid: 'label@mail',
          },
          { filename: 'logo.jpg', content: makeJpeg(3_000), contentType: 'image/jpeg', cid: 'logo@mail' },
        ],
      })
        .compile()
        .build()
      const response = await world.app.inject({
        method: 'POST',
        url: '/api/v1/inbound-mail',
        headers: { 'content-type': 'message/rfc822', [INBOUND_TOKEN_HEADER]: TOKEN },
        payload: raw,
      })
      assert.equal(response.statusCode, 201, response.body)
      assert.equal(response.json().answered, true)
      const posted = (await thread(world, world.staff, claimId)).find(
        (m) => m.id === response.json().threadMessageId,
      )
      assert.deepEqual(
        posted?.files.map((f) => f.name),
        ['IMG_2041.jpg'],
        'the answer carries the photo it was asked for, without the logo',
      )
    })

    test('a customer whose account is disabled no longer writes on the case by e-mail', async () => {
      const { claimId } = await claimAwaitingInfo(world, 'Which power supply do you use?')
      const before = (await thread(world, world.staff, claimId)).length
      const setDisabled = (disabled: number) =>
        world.database.db
          .updateTable('users')
          .set({ disabled })
          .where('id', '=', world.customer.userId)
          .execute()
      await setDisabled(1)
      try {
        const response = await world.app.inject({
          method: 'POST',
          url: '/api/v1/inbound-mail',
          headers: { 'content-type': 'message/rfc822', [INBOUND_TOKEN_HEADER]: TOKEN },
          payload: await rawMail({
            to: replyAddressFor(claimId, REPLY) ?? '',
            from: 'cus-alice@example.com',
            text: 'The 12 V one.',
          }),
        })
        assert.equal(response.statusCode, 403, response.body)
        assert.equal(response.json().error.field, 'body.from')
      } finally {
        await setDisabled(0)
      }
      assert.equal((await thread(world, world.staff, claimId)).length, before)
    })

    test('a relay that sends one reply twice at once (a retry while the first is handled) posts it once', async () => {
      const plain = (
        await openClaimAs(world, world.customer, openClaimBody(await seedShenzhenAgentUnit(world)))
      ).id
      // While the claim awaits information the reply is also the answer that moves the claim on.
      const { claimId: awaiting } = await claimAwaitingInfo(world, 'Which cable do you use?')
      for (const claimId of [plain, awaiting]) await replyTwiceAtOnce(claimId)
    })

    const replyTwiceAtOnce = async (claimId: string) => {
      const opened = { id: claimId }
      const raw = await rawMail({
        to: replyAddressFor(opened.id, REPLY) ?? '',
        from: 'Alice <cus-alice@example.com>',
        text: 'It still stops after a few minutes.',
      })
      const send = () =>
        world.app.inject({
          method: 'POST',
          url: '/api/v1/inbound-mail',
          headers: { 'content-type': 'message/rfc822', [INBOUND_TOKEN_HEADER]: TOKEN },
          payload: raw,
        })
      const answers = await Promise.all([send(), send()])
      assert.deepEqual(
        answers.map((a) => a.statusCode).sort(),
        [200, 201],
        answers.map((a) => a.body).join('\n'),
      )
      const ids = answers.map((a) => (a.json() as { threadMessageId: string }).threadMessageId)
      assert.equal(ids[0], ids[1])
      const posted = (await thread(world, world.staff, opened.id)).filter((m) => m.via === 'email')
      assert.equal(posted.length, 1)
      const events = await world.database.db
        .selectFrom('claim_events')
        .select('type')
        .where('claim_id', '=', opened.id)
        .where('type', 'in', ['message.posted', 'info.provided'])
        .execute()
      assert.equal(events.length, 1)
    }
  })
}
