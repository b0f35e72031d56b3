import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import {
  act,
  type ClaimsWorld,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  type Party,
  seedRetailerUnit,
  tryAct,
} from '../claims/claim-factories.ts'
import { multipartBody, PNG } from './security-world.ts'

const STATED = ['package-photos', 'shipping-slip', 'defect-media'] as const

for (const engine of testEngines()) {
  describe(`${engine}: evidence a claimant states counts once a file backs it`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    async function upload(party: Party, url: string, kind: string): Promise<string> {
      const form = multipartBody([
        { name: 'kind', value: kind },
        { name: 'file', filename: `${kind}.png`, data: PNG },
      ])
      const response = await world.app.inject({
        method: 'POST',
        url,
        headers: { ...party.headers, 'content-type': form.contentType },
        payload: form.payload,
      })
      assert.equal(response.statusCode, 201, response.body)
      return (response.json() as { items: { id: string }[] }).items[0]?.id ?? ''
    }
    const missingOf = (claim: { provisionalDecision: unknown }) =>
      (claim.provisionalDecision as { missingEvidence: string[] }).missingEvidence

    test("seed 001: a customer's or dealer's ticked boxes without files leave the proofs missing", async () => {
      for (const party of [world.customer, world.staff]) {
        const serial = await seedRetailerUnit(world)
        const opened = await openClaimAs(world, party, openClaimBody(serial, { evidence: [...STATED] }))
        if (party === world.staff) assert.deepEqual(missingOf(opened), [], 'staff state what they have seen')
        else
          for (const item of ['package-photos', 'defect-media'])
            assert.ok(
              missingOf(opened).includes(item),
              `${item} is missing without a file: ${missingOf(opened)}`,
            )
      }
    })

    test('a held file of the kind backs the item at intake', async () => {
      const serial = await seedRetailerUnit(world)
      const photos = await upload(world.customer, '/api/v1/files', 'package-photos')
      const opened = await openClaimAs(
        world,
        world.customer,
        openClaimBody(serial, { evidence: [...STATED], files: [photos] }),
      )
      assert.ok(!missingOf(opened).includes('package-photos'), missingOf(opened).join())
      assert.ok(missingOf(opened).includes('defect-media'))
    })

    test('an answer naming evidence no file on the claim shows is refused, naming evidence, in the reader language', async () => {
      const serial = await seedRetailerUnit(world)
      const opened = await openClaimAs(world, world.customer, openClaimBody(serial, { evidence: [] }))
      await act(world, world.staff, opened.id, 'request-info', { request: 'Photos of the box, please.' })
      const answer = { answer: 'Here they are.', evidence: ['package-photos'] }
      const refused = await tryAct(world, world.customer, opened.id, 'provide-info', answer)
      assert.equal(refused.statusCode, 400, refused.body)
      assert.equal(refused.json().error.field, 'body.evidence')
      const read = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${opened.id}`,
        headers: world.staff.headers,
      })
      const zh = await world.app.inject({
        method: 'POST',
        url: `/api/v1/claims/${opened.id}/transitions/provide-info`,
        headers: {
          ...world.customer.headers,
          'accept-language': 'zh-CN',
          'if-match': String(read.headers.etag),
        },
        payload: answer,
      })
      assert.equal(zh.statusCode, 400)
      assert.match(zh.json().error.message, /包装照片/)
      assert.doesNotMatch(zh.json().error.message, /package|upload/)
      await upload(world.customer, `/api/v1/claims/${opened.id}/files`, 'package-photos')
      const answered = await tryAct(world, world.customer, opened.id, 'provide-info', answer)
      assert.equal(answered.statusCode, 200, answered.body)
    })
  })
}
