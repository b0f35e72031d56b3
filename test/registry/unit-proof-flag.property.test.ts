/**
 * A property of the unit's proof of purchase through the HTTP API: a customer registers a
 * unit with their proof, and fast-check plays any sequence of claims opened on it (with a
 * proof or without), proofs sent in a claim's thread, claims cancelled, and weighings by
 * support, accepting or refusing any file known so far, in the unit's queue or through the
 * open claim's own steps. After every command:
 * - no answer is 5xx;
 * - the unit's purchase is proven exactly when some proof of it was accepted;
 * - no file is ever both accepted and refused: on the unit and on every claim it has one outcome.
 *
 * `AFTERCARE_MODEL_RUNS` sets the number of runs, `AFTERCARE_MODEL_SEED` replays one seed.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { testEngines } from '../../src/db/test-database.ts'
import {
  addDays,
  type ClaimsWorld,
  holdUpload,
  newSerial,
  openClaimBody,
  openClaimsWorld,
  TODAY,
  tryAct,
} from '../claims/claim-factories.ts'

type Command =
  | { kind: 'open-claim'; withProof: boolean }
  | { kind: 'send-proof' }
  | { kind: 'cancel-claim' }
  | { kind: 'weigh-on-unit'; pick: number; accept: boolean }
  | { kind: 'weigh-on-claim'; pick: number; accept: boolean }

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('open-claim' as const), withProof: fc.boolean() }),
  fc.record({ kind: fc.constant('send-proof' as const) }),
  fc.record({ kind: fc.constant('cancel-claim' as const) }),
  fc.record({ kind: fc.constant('weigh-on-unit' as const), pick: fc.nat(7), accept: fc.boolean() }),
  fc.record({ kind: fc.constant('weigh-on-claim' as const), pick: fc.nat(7), accept: fc.boolean() }),
)

interface Run {
  serial: string
  /** Every proof file so far, the registration's first. */
  files: string[]
  claimId: string | null
  claimIds: string[]
}

const runs = Number(process.env.AFTERCARE_MODEL_RUNS ?? 0)
const seed = process.env.AFTERCARE_MODEL_SEED ? Number(process.env.AFTERCARE_MODEL_SEED) : undefined

for (const engine of testEngines()) {
  describe(`${engine}: the unit's proof of purchase under any weighing`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    const noServerError = (response: { statusCode: number; body: string }, label: string) =>
      assert.ok(response.statusCode < 500, `${label}: ${response.statusCode} ${response.body.slice(0, 300)}`)

    async function play(run: Run, step: Command): Promise<void> {
      const customer = world.otherCustomer
      const label = JSON.stringify(step)
      if (step.kind === 'open-claim') {
        if (run.claimId) return
        const files = step.withProof ? [await holdUpload(world, customer, 'proof-of-purchase')] : []
        const opened = await world.app.inject({
          method: 'POST',
          url: '/api/v1/claims',
          headers: customer.headers,
          payload: openClaimBody(run.serial, { files }),
        })
        assert.equal(opened.statusCode, 201, `${label}: ${opened.body}`)
        run.claimId = (opened.json() as { id: string }).id
        run.claimIds.push(run.claimId)
        run.files.push(...files)
      } else if (step.kind === 'send-proof') {
        if (!run.claimId) return
        const fileId = await holdUpload(world, customer, 'proof-of-purchase')
        const posted = await world.app.inject({
          method: 'POST',
          url: `/api/v1/claims/${run.claimId}/messages`,
          headers: customer.headers,
          payload: { body: 'Another invoice', fileIds: [fileId] },
        })
        assert.equal(posted.statusCode, 201, `${label}: ${posted.body}`)
        run.files.push(fileId)
      } else if (step.kind === 'cancel-claim') {
        if (!run.claimId) return
        const cancelled = await tryAct(world, customer, run.claimId, 'cancel', { reason: 'Working again.' })
        noServerError(cancelled, label)
        if (cancelled.statusCode === 200) run.claimId = null
      } else {
        const fileId = run.files[step.pick % run.files.length] as string
        const body = step.accept ? { fileId } : { fileId, reason: 'The invoice names another serial.' }
        if (step.kind === 'weigh-on-unit') {
          const weighed = await world.app.inject({
            method: 'POST',
            url: `/api/v1/units/${encodeURIComponent(run.serial)}/purchase-proof/${step.accept ? 'accept' : 'refuse'}`,
            headers: world.support.headers,
            payload: body,
          })
          noServerError(weighed, label)
          assert.ok([200, 400, 409].includes(weighed.statusCode), `${label}: ${weighed.body}`)
        } else if (run.claimId) {
          const action = step.accept ? 'accept-purchase-proof' : 'refuse-purchase-proof'
          const weighed = await tryAct(world, world.support, run.claimId, action, body)
          noServerError(weighed, label)
          assert.ok([200, 400, 409].includes(weighed.statusCode), `${label}: ${weighed.body}`)
        }
      }
    }

    async function checkInvariants(run: Run, label: string): Promise<void> {
      const db = world.database.db
      const unit = await db
        .selectFrom('units')
        .select('proof_of_purchase')
        .where('serial', '=', run.serial)
        .executeTakeFirstOrThrow()
      const proofs = await db
        .selectFrom('proofs_of_purchase')
        .select(['file_id', 'status'])
        .where('serial', '=', run.serial)
        .execute()
      assert.equal(
        Number(unit.proof_of_purchase) === 1,
        proofs.some((p) => p.status === 'accepted'),
        `${label}: the unit's flag is "some proof accepted" (${JSON.stringify(proofs)})`,
      )
      const outcomes = new Map<string, Set<string>>()
      const note = (fileId: string, outcome: string) =>
        outcomes.set(fileId, new Set([...(outcomes.get(fileId) ?? []), outcome]))
      for (const proof of proofs) if (proof.status !== 'offered') note(proof.file_id, proof.status)
      if (run.claimIds.length > 0) {
        const events = await db
          .selectFrom('claim_events')
          .select(['type', 'data'])
          .where('claim_id', 'in', run.claimIds)
          .where('type', 'in', ['purchase-proof.accepted', 'purchase-proof.refused'])
          .execute()
        for (const event of events)
          note(
            String((JSON.parse(event.data) as { fileId: string }).fileId),
            event.type === 'purchase-proof.accepted' ? 'accepted' : 'refused',
          )
      }
      for (const [fileId, seen] of outcomes)
        assert.equal(seen.size, 1, `${label}: ${fileId} has one outcome, not ${[...seen].join(' and ')}`)
    }

    it('the unit is proven exactly when some proof was accepted, and each proof has one outcome', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 10 }), async (steps) => {
          const serial = newSerial('UPF')
          const proof = await holdUpload(world, world.otherCustomer, 'proof-of-purchase')
          const registered = await world.app.inject({
            method: 'POST',
            url: '/api/v1/units',
            headers: world.otherCustomer.headers,
            payload: {
              serial,
              model: 'player-one-poseidon-m-pro',
              channel: 'direct',
              purchasedOn: addDays(TODAY, -60),
              proofFileId: proof,
            },
          })
          assert.equal(registered.statusCode, 201, registered.body)
          const run: Run = { serial, files: [proof], claimId: null, claimIds: [] }
          await checkInvariants(run, 'registered')
          for (const [at, step] of steps.entries()) {
            await play(run, step)
            await checkInvariants(run, `step ${at} ${JSON.stringify(step)}`)
          }
          // A run leaves no claim open, so the next run's customer is not held by this one's.
          if (run.claimId)
            await tryAct(world, world.otherCustomer, run.claimId, 'cancel', { reason: 'Done.' })
        }),
        { numRuns: runs || (engine === 'sqlite' ? 25 : 10), ...(seed === undefined ? {} : { seed }) },
      )
    })
  })
}
