import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestUser } from '../../src/auth/test-support.ts'
import { CLAIM_TRANSITIONS } from '../../src/claims/domain/claim-lifecycle.ts'
import { testEngines } from '../../src/db/test-database.ts'
import {
  addDays,
  type ClaimsWorld,
  holdUpload,
  ORG,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  type Party,
  seedUnit,
  TODAY,
} from '../claims/claim-factories.ts'
import { expectedFor, meets, NON_HANDLER_DEALER_STEPS, ruleFor, STAFF_ROLE_STEPS } from './access-matrix.ts'
import {
  fillPath,
  isErrorShape,
  type Operation,
  openSecurityWorld,
  operationsOf,
  PARTY_NAMES,
  type SecurityWorld,
  sampleOf,
  sampleRequest,
  uploadPng,
} from './security-world.ts'

// Changes that would take the target away from its owner run last, so every earlier
// request still meets the world it expects.
const LAST = [/\/transfers$/, /\/transitions\/(cancel|close)$/, /DELETE/]
const order = (op: Operation) => (LAST.some((p) => p.test(op.key)) ? 2 : op.method === 'GET' ? 0 : 1)

/** Required query parameters, filled with samples, so the access check is what answers. */
function sampleQuery(op: Operation): string {
  const pairs = op.query
    .filter((q) => q.required === true)
    .map((q): [string, string] => [
      String(q.name),
      String(sampleOf(q.schema as Record<string, unknown>) ?? 'x'),
    ])
  return pairs.length ? `?${new URLSearchParams(pairs).toString()}` : ''
}

for (const engine of testEngines()) {
  describe(`${engine}: access matrix from the OpenAPI document`, () => {
    let world: SecurityWorld
    let ops: Operation[]
    before(async () => {
      world = await openSecurityWorld(engine)
      await world.app.ready()
      ops = operationsOf(world.app.swagger()).sort((a, b) => order(a) - order(b))
    })
    after(() => world.close())

    test('every operation of the API has an entry in the access matrix', () => {
      const missing = ops.filter((op) => !ruleFor(op.key)).map((op) => op.key)
      assert.deepEqual(
        missing,
        [],
        `Add these operations to ACCESS_MATRIX in test/security/access-matrix.ts:\n  ${missing.join('\n  ')}`,
      )
    })

    test('every operation × every party gets the expected answer, never a 5xx, always the error shape', async () => {
      const failures: string[] = []
      let tried = 0
      let serverErrors = 0
      let shapeViolations = 0
      let inconclusive = 0
      for (const op of ops) {
        const rule = ruleFor(op.key)
        if (!rule) continue
        for (const party of PARTY_NAMES) {
          const expect = expectedFor(rule, party, op.method)
          const url = fillPath(op.path, world) + sampleQuery(op)
          const { headers, payload } = sampleRequest(op, world.parties[party], '"0"')
          const response = await world.app.inject({
            method: op.method as 'GET',
            url,
            headers,
            ...(payload === undefined ? {} : { payload }),
          })
          tried++
          const status = response.statusCode
          if (status >= 500) serverErrors++
          if (!isErrorShape(status, response.body)) shapeViolations++
          if (meets(expect, status)) continue
          // A sample body the schema refused never reached the access check: not a verdict.
          const field = status === 400 ? String(response.json()?.error?.field ?? '') : ''
          if (expect === 'deny' && /^(body|querystring|query|params|headers)\b/.test(field)) {
            inconclusive++
            continue
          }
          failures.push(
            `${op.key} as ${party}: expected ${expect}, got ${status} ${response.body.slice(0, 160)}`,
          )
        }
      }
      console.log(
        `[security] ${engine} access matrix: ${ops.length} operations × ${PARTY_NAMES.length} parties = ${tried} requests; ` +
          `5xx: ${serverErrors}; shape violations: ${shapeViolations}; mismatches: ${failures.length}; ` +
          `deny checks hidden by a refused sample body: ${inconclusive}`,
      )
      assert.equal(serverErrors, 0)
      assert.equal(shapeViolations, 0)
      assert.deepEqual(failures, [])
    })
  })
}

for (const engine of testEngines()) {
  describe(`${engine}: the dealer that sold the unit, on a claim the seller handles`, () => {
    let world: ClaimsWorld
    let claimId: string
    let proofId: string
    before(async () => {
      world = await openClaimsWorld(engine)
      // ToupTek serves its own units: sold through dealer 1, the decision still sends it to ToupTek.
      const serial = await seedUnit(world, {
        model: 'touptek-atr2600c',
        policy: 'touptek',
        sellerOrgId: ORG.touptek,
        channel: 'dealer',
        dealerOrgId: ORG.starlight,
        purchasedOn: addDays(TODAY, -200),
      })
      const opened = await openClaimAs(world, world.customer, openClaimBody(serial))
      assert.notEqual(
        opened.provisionalDecision?.handler,
        'dealer',
        'the world needs a claim the dealer does not handle',
      )
      claimId = opened.id
      const upload = await uploadPng(world, world.customer.headers, '/api/v1/files', 'payment-proof')
      assert.equal(upload.statusCode, 201, upload.body)
      proofId = (upload.json() as { items: { id: string }[] }).items[0]?.id ?? ''
      // As the step submit-payment-proof leaves it: on the claim, the customer's.
      await world.database.db
        .updateTable('files')
        .set({ claim_id: claimId })
        .where('id', '=', proofId)
        .execute()
    })
    after(() => world.close())

    test('every claim step has its line in NON_HANDLER_DEALER_STEPS and gets the expected answer', async () => {
      const steps = operationsOf(world.app.swagger())
        .filter((op) => op.method === 'POST' && op.path.startsWith('/api/v1/claims/{id}/transitions/'))
        .map((op) => ({ op, action: op.path.split('/').at(-1) ?? '' }))
        // Steps that would end the claim last, so each earlier one meets the claim as opened.
        .sort((a, b) => Number(a.action === 'cancel') - Number(b.action === 'cancel'))
      const missing = steps.filter((s) => !(s.action in NON_HANDLER_DEALER_STEPS)).map((s) => s.action)
      assert.deepEqual(
        missing,
        [],
        'add these steps to NON_HANDLER_DEALER_STEPS in test/security/access-matrix.ts',
      )
      const failures: string[] = []
      const judged: string[] = []
      for (const { op, action } of steps) {
        const expect = NON_HANDLER_DEALER_STEPS[action] ?? 'deny'
        const read = await world.app.inject({
          method: 'GET',
          url: `/api/v1/claims/${claimId}`,
          headers: world.staff.headers,
        })
        const response = await world.app.inject({
          method: 'POST',
          url: `/api/v1/claims/${claimId}/transitions/${action}`,
          headers: {
            ...world.dealer.headers,
            'content-type': 'application/json',
            'if-match': String(read.headers.etag),
          },
          payload: JSON.stringify(sampleOf(op.body) ?? {}),
        })
        const field = response.statusCode === 400 ? String(response.json()?.error?.field ?? '') : ''
        // A sample body the schema refused never reached the access check: not a verdict.
        if (expect === 'deny' && /^(body|params|headers)\b/.test(field)) continue
        judged.push(action)
        if (!meets(expect, response.statusCode))
          failures.push(
            `${action}: expected ${expect}, got ${response.statusCode} ${response.body.slice(0, 160)}`,
          )
      }
      assert.deepEqual(failures, [])
      // The customer's own decisions are judged, not hidden behind a refused sample body.
      for (const action of ['cancel', 'decline-quote', 'confirm-receipt', 'receive-unit'])
        assert.ok(judged.includes(action), `${action} reached the access check`)
    })

    test("the customer's proof of payment is not the selling dealer's to see, nor listed to it", async () => {
      const download = await world.app.inject({
        method: 'GET',
        url: `/api/v1/files/${proofId}`,
        headers: world.dealer.headers,
      })
      assert.equal(download.statusCode, 404, download.body)
      const listed = async (party: Party) => {
        const response = await world.app.inject({
          method: 'GET',
          url: `/api/v1/claims/${claimId}/files`,
          headers: party.headers,
        })
        assert.equal(response.statusCode, 200, response.body)
        return (response.json() as { items: { id: string }[] }).items.map((f) => f.id)
      }
      assert.ok(!(await listed(world.dealer)).includes(proofId), 'hidden from the selling dealer')
      assert.ok((await listed(world.customer)).includes(proofId), 'the payer sees it')
      assert.ok((await listed(world.staff)).includes(proofId), 'staff see it')
      const own = await world.app.inject({
        method: 'GET',
        url: `/api/v1/files/${proofId}`,
        headers: world.customer.headers,
      })
      assert.equal(own.statusCode, 200)
    })

    test("listing the claim's files, proof of payment among them, reads the claim once whoever asks", async () => {
      // Every query of the app passes the database's one executor: count those that read claims.
      const executor = world.database.db.getExecutor()
      const execute = executor.executeQuery
      const claimReads: string[] = []
      executor.executeQuery = function (this: unknown, query: { sql: string }, ...rest: unknown[]) {
        if (/\bfrom "claims"/i.test(query.sql)) claimReads.push(query.sql)
        return Reflect.apply(execute, executor, [query, ...rest])
      } as typeof execute
      try {
        for (const party of [world.dealer, world.customer, world.staff, world.otherDealer]) {
          claimReads.length = 0
          await world.app.inject({
            method: 'GET',
            url: `/api/v1/claims/${claimId}/files`,
            headers: party.headers,
          })
          assert.equal(claimReads.length, 1, claimReads.join('\n'))
          // Only a dealer's right to a proof hangs on the decision: nobody else's listing reads it.
          if (party === world.customer || party === world.staff)
            assert.doesNotMatch(claimReads[0] ?? '', /_decision|case_json/)
        }
      } finally {
        executor.executeQuery = execute
      }
    })
  })
}

for (const engine of testEngines()) {
  describe(`${engine}: claim steps only some staff roles take`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    test('every step the lifecycle narrows to some staff roles has its line in STAFF_ROLE_STEPS, and each role gets the expected answer', async () => {
      const narrowed = CLAIM_TRANSITIONS.filter((rule) => rule.staffRoles).map((rule) => rule.action)
      assert.deepEqual(
        narrowed.sort(),
        Object.keys(STAFF_ROLE_STEPS).sort(),
        'add the step to STAFF_ROLE_STEPS',
      )
      // A claim on a unit nobody owns, with the proof of purchase the claimant attached: both steps are open.
      const serial = await seedUnit(world, {
        model: 'player-one-poseidon-m-pro',
        policy: 'player-one',
        sellerOrgId: ORG.playerOne,
        purchasedOn: addDays(TODAY, -300),
      })
      await world.database.db
        .updateTable('units')
        .set({ owner_customer_id: null, proof_of_purchase: 0 })
        .where('serial', '=', serial)
        .execute()
      const proof = await holdUpload(world, world.otherCustomer, 'proof-of-purchase')
      const claim = await openClaimAs(world, world.otherCustomer, openClaimBody(serial, { files: [proof] }))
      const parties: Record<string, Party> = {
        support: world.support,
        technician: world.staff,
        manager: await createTestUser(world.database.db, { role: 'manager' }),
        admin: await createTestUser(world.database.db, { role: 'admin' }),
      }
      const failures: string[] = []
      for (const [action, byRole] of Object.entries(STAFF_ROLE_STEPS)) {
        for (const [role, expect] of Object.entries(byRole)) {
          const by = parties[role] as Party
          const read = await world.app.inject({
            method: 'GET',
            url: `/api/v1/claims/${claim.id}`,
            headers: by.headers,
          })
          // A file that is no proof of the claim: a role let in is refused for it (400), nothing is weighed.
          const response = await world.app.inject({
            method: 'POST',
            url: `/api/v1/claims/${claim.id}/transitions/${action}`,
            headers: { ...by.headers, 'if-match': String(read.headers.etag) },
            payload: action.startsWith('refuse')
              ? { fileId: 'not-a-proof', reason: 'Unreadable' }
              : { fileId: 'not-a-proof' },
          })
          if (!meets(expect, response.statusCode))
            failures.push(
              `${action} as ${role}: expected ${expect}, got ${response.statusCode} ${response.body.slice(0, 160)}`,
            )
        }
      }
      assert.deepEqual(failures, [])
    })
  })
}
