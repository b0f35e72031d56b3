import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import { sweepHeldUploads } from '../../src/files/held-uploads.ts'
import { sampleJpeg } from '../../src/files/sample-files.test-support.ts'
import { multipartBody } from '../../src/shared/multipart-body.test-support.ts'
import {
  act,
  type ClaimsWorld,
  eventTypes,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  type Party,
  seedPlayerOneUnit,
  seedRetailerUnit,
} from './claim-factories.ts'

/** A small real JPEG: the upload checks read the bytes. */
const jpeg = () => sampleJpeg({ size: 206 })

function multipart(kind: string, content: Buffer) {
  const body = multipartBody([
    { name: 'kind', value: kind },
    { name: 'files', filename: 'fault.jpg', type: 'image/jpeg', data: content },
  ])
  return { payload: body.payload, headers: { 'content-type': body.contentType } }
}

async function holdUpload(world: ClaimsWorld, party: Party, kind = 'defect-media'): Promise<string> {
  const body = multipart(kind, jpeg())
  const response = await world.app.inject({
    method: 'POST',
    url: '/api/v1/files',
    headers: { ...party.headers, ...body.headers },
    payload: body.payload,
  })
  assert.equal(response.statusCode, 201, response.body)
  return (response.json() as { items: Array<{ id: string }> }).items[0]?.id as string
}

const post = (world: ClaimsWorld, party: Party, payload: object, headers: Record<string, string> = {}) =>
  world.app.inject({
    method: 'POST',
    url: '/api/v1/claims',
    headers: { ...party.headers, ...headers },
    payload,
  })

const claimsOn = async (world: ClaimsWorld, serial: string) =>
  (await world.database.db.selectFrom('claims').select('id').where('serial', '=', serial).execute()).length

for (const engine of testEngines()) {
  describe(`${engine}: intake is whole or nothing`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    test('held uploads join the claim as it opens, and their kinds count as evidence', async () => {
      const serial = await seedPlayerOneUnit(world)
      const fileId = await holdUpload(world, world.customer, 'package-photos')
      const claim = await openClaimAs(world, world.customer, openClaimBody(serial, { files: [fileId] }))
      const files = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${claim.id}/files`,
        headers: world.customer.headers,
      })
      assert.deepEqual(
        (files.json() as { items: Array<{ id: string }> }).items.map((f) => f.id),
        [fileId],
      )
      const view = (
        await world.app.inject({
          method: 'GET',
          url: `/api/v1/claims/${claim.id}`,
          headers: world.staff.headers,
        })
      ).json() as { evidence: string[] }
      assert.ok(view.evidence.includes('package-photos'))
    })

    test('retries sent at once with one key open one claim, and every one answers it', async () => {
      const serial = await seedPlayerOneUnit(world)
      const fileId = await holdUpload(world, world.customer)
      const body = openClaimBody(serial, { files: [fileId] })
      const answers = await Promise.all(
        Array.from({ length: 4 }, () =>
          post(world, world.customer, body, { 'idempotency-key': 'sent-at-once' }),
        ),
      )
      const statuses = answers.map((answer) => answer.statusCode).sort()
      assert.deepEqual(statuses, [200, 200, 200, 201], answers.map((answer) => answer.body).join('\n'))
      assert.equal(new Set(answers.map((answer) => (answer.json() as { id: string }).id)).size, 1)
      assert.equal(await claimsOn(world, serial), 1)
    })

    test('a file that is not a held upload of the caller leaves no claim; the retry with a key makes one', async () => {
      const serial = await seedPlayerOneUnit(world)
      const othersFile = await holdUpload(world, world.otherCustomer)
      for (const files of [['no-such-file'], [othersFile]]) {
        const refused = await post(world, world.customer, openClaimBody(serial, { files }), {
          'idempotency-key': 'intake-retry',
        })
        assert.equal(refused.statusCode, 400, refused.body)
        assert.equal((refused.json() as { error: { field: string } }).error.field, 'body.files')
        assert.equal(await claimsOn(world, serial), 0, 'nothing half-written')
      }
      const fileId = await holdUpload(world, world.customer)
      const body = openClaimBody(serial, { files: [fileId] })
      const first = await post(world, world.customer, body, { 'idempotency-key': 'intake-retry' })
      const again = await post(world, world.customer, body, { 'idempotency-key': 'intake-retry' })
      assert.equal(first.statusCode, 201, first.body)
      assert.equal(again.statusCode, 200)
      assert.equal((again.json() as { id: string }).id, (first.json() as { id: string }).id)
      assert.equal(await claimsOn(world, serial), 1)
      // The same key with another body is a client's mistake, not a replay: 422, nothing opened.
      const changed = await post(
        world,
        world.customer,
        { ...body, problem: { ...body.problem, description: 'A different problem altogether.' } },
        { 'idempotency-key': 'intake-retry' },
      )
      assert.equal(changed.statusCode, 422, changed.body)
      const mismatch = (changed.json() as { error: { code: string; field: string } }).error
      assert.equal(mismatch.code, 'idempotency-mismatch')
      assert.equal(mismatch.field, 'Idempotency-Key')
      // Key order is not a difference.
      const reordered = Object.fromEntries(Object.entries(body).reverse())
      const replayed = await post(world, world.customer, reordered, { 'idempotency-key': 'intake-retry' })
      assert.equal(replayed.statusCode, 200, replayed.body)
      assert.equal(await claimsOn(world, serial), 1)
      // A held file, once used, cannot open a second claim.
      const reuse = await post(world, world.staff, {
        ...body,
        duplicateOverride: { reason: 'test reuse' },
      })
      assert.equal(reuse.statusCode, 400)
    })

    test('a second open claim on a unit is refused with the open one named, for staff too', async () => {
      const serial = await seedPlayerOneUnit(world)
      const open = await openClaimAs(world, world.customer, openClaimBody(serial))
      for (const party of [world.customer, world.staff]) {
        const again = await post(world, party, openClaimBody(serial))
        assert.equal(again.statusCode, 409, again.body)
        const error = (again.json() as { error: { field: string; details: Record<string, string> } }).error
        assert.equal(error.field, 'body.serial')
        assert.equal(error.details.openClaimId, open.id)
        assert.match(error.details.openClaimUrl ?? '', new RegExp(open.id))
      }
      const byCustomer = await post(world, world.customer, {
        ...openClaimBody(serial),
        duplicateOverride: { reason: 'I want two' },
      })
      assert.equal(byCustomer.statusCode, 403)
      const blank = await post(world, world.staff, {
        ...openClaimBody(serial),
        duplicateOverride: { reason: ' ' },
      })
      assert.equal(blank.statusCode, 400)
      const second = await openClaimAs(world, world.staff, {
        ...openClaimBody(serial),
        duplicateOverride: { reason: 'Second, unrelated fault on the same unit' },
      })
      const timeline = (
        await world.app.inject({
          method: 'GET',
          url: `/api/v1/claims/${second.id}/events`,
          headers: world.staff.headers,
        })
      ).json() as { items: Array<{ type: string; data: Record<string, unknown> }> }
      const opened = timeline.items.find((e) => e.type === 'claim.opened')
      assert.equal(opened?.data.duplicateOf, open.id)
      assert.equal(opened?.data.overrideReason, 'Second, unrelated fault on the same unit')
      // A closed or cancelled claim no longer blocks a new one.
      await act(world, world.staff, open.id, 'cancel', { reason: 'Opened twice' })
      await act(world, world.staff, second.id, 'cancel', { reason: 'Done' })
      await openClaimAs(world, world.customer, openClaimBody(serial))
    })

    test('a list row carries its decision without the trace; the claim page has the whole decision', async () => {
      const serial = await seedPlayerOneUnit(world)
      const open = await openClaimAs(world, world.customer, openClaimBody(serial))
      const get = async (url: string) =>
        (await world.app.inject({ method: 'GET', url, headers: world.customer.headers })).json() as Record<
          string,
          unknown
        >
      const page = (await get(`/api/v1/claims?serial=${encodeURIComponent(serial)}`)) as {
        items: Array<{ id: string; provisionalDecision: Record<string, unknown> | null }>
      }
      const row = page.items.find((item) => item.id === open.id)
      const whole = (await get(`/api/v1/claims/${open.id}`)).provisionalDecision as Record<string, unknown>
      assert.ok(row?.provisionalDecision, 'the row has its provisional decision')
      assert.equal('trace' in row.provisionalDecision, false)
      assert.ok(Array.isArray(whole.trace) && whole.trace.length > 0)
      const { trace: _, ...summary } = whole
      assert.deepEqual(row.provisionalDecision, summary)
    })

    test('a list reads the stored summary only while it was written at the claim’s version', async () => {
      const serial = await seedPlayerOneUnit(world)
      const open = await openClaimAs(world, world.customer, openClaimBody(serial))
      const db = world.database.db
      const listed = async () => {
        const answer = await world.app.inject({
          method: 'GET',
          url: `/api/v1/claims?serial=${encodeURIComponent(serial)}`,
          headers: world.customer.headers,
        })
        assert.equal(answer.statusCode, 200, answer.body)
        const { items } = answer.json() as { items: Array<{ id: string; provisionalDecision: unknown }> }
        return items.find((item) => item.id === open.id)?.provisionalDecision
      }
      const stored = await db
        .selectFrom('claims')
        .select(['version', 'provisional_decision', 'provisional_summary', 'summaries_version'])
        .where('id', '=', open.id)
        .executeTakeFirstOrThrow()
      // Written with the decision, at its version, without the trace.
      assert.equal(Number(stored.summaries_version), Number(stored.version))
      const { trace: _, ...expected } = JSON.parse(stored.provisional_decision ?? 'null')
      assert.deepEqual(JSON.parse(stored.provisional_summary ?? 'null'), expected)
      assert.deepEqual(await listed(), expected)

      // A summary left behind by an older version (a writer that did not keep it) is not read.
      await db
        .updateTable('claims')
        .set({ provisional_summary: '{"covered":"stale"}', summaries_version: Number(stored.version) - 1 })
        .where('id', '=', open.id)
        .execute()
      assert.deepEqual(await listed(), expected)
      // Nor is a row without summaries (bulk paths, rows from before them) shown differently.
      await db
        .updateTable('claims')
        .set({ provisional_summary: null, summaries_version: null })
        .where('id', '=', open.id)
        .execute()
      assert.deepEqual(await listed(), expected)

      // The next step writes them again, at the new version.
      await act(world, world.staff, open.id, 'cancel', { reason: 'Opened to test the list' })
      const after = await db
        .selectFrom('claims')
        .select(['version', 'provisional_summary', 'summaries_version'])
        .where('id', '=', open.id)
        .executeTakeFirstOrThrow()
      assert.equal(Number(after.summaries_version), Number(after.version))
      assert.deepEqual(JSON.parse(after.provisional_summary ?? 'null'), expected)
    })

    test('the claim number stays on authorisation; the RMA number sits beside it, with the policy’s parcel note', async () => {
      const serial = await seedRetailerUnit(world)
      const claim = (await openClaimAs(world, world.customer, openClaimBody(serial))) as unknown as {
        id: string
        number: string
        rmaNumber: string | null
      }
      assert.equal(claim.rmaNumber, null)
      const authorised = (await act(world, world.staff, claim.id, 'authorize-return')) as unknown as {
        number: string
        rmaNumber: string
        rma: { number: string; itemsToInclude: string[] }
      }
      assert.equal(authorised.number, claim.number)
      assert.match(authorised.rmaNumber, /^RMA-\d{4}-\d{6}$/)
      assert.equal(authorised.rma.number, authorised.rmaNumber)
      assert.ok(
        authorised.rma.itemsToInclude.some((item) =>
          item.startsWith('Please include a note inside the return package'),
        ),
      )
      assert.deepEqual((await eventTypes(world, claim.id)).slice(0, 2), [
        'claim.opened',
        'decision.provisional',
      ])
    })

    test('held files nobody claims are swept after the holding time; claimed ones stay', async () => {
      const serial = await seedPlayerOneUnit(world)
      const kept = await holdUpload(world, world.customer)
      const dropped = await holdUpload(world, world.customer)
      await openClaimAs(world, world.customer, openClaimBody(serial, { files: [kept] }))
      const later = new Date(world.clock.now.getTime() + 25 * 3_600_000)
      assert.ok((await sweepHeldUploads(world.database.db, world.ctx.config.dataDir, later)) >= 1)
      const left = await world.database.db
        .selectFrom('files')
        .select('id')
        .where('id', 'in', [kept, dropped])
        .execute()
      assert.deepEqual(
        left.map((f) => f.id),
        [kept],
      )
    })
  })
}
