import assert from 'node:assert/strict'
import { test } from 'node:test'
import { z } from 'zod'
import { openClaimsWorld } from './claim-factories.ts'

test('a world whose app answered outside its route response schema fails when it closes', async () => {
  const world = await openClaimsWorld('sqlite')
  world.app.get(
    '/api/v1/contract-probe',
    { schema: { response: { 200: z.object({ name: z.string() }) } } },
    async () => ({ name: 'Poseidon', internalNote: 'not in the schema' }),
  )
  const answer = await world.app.inject({ method: 'GET', url: '/api/v1/contract-probe' })
  // The serializer drops the field without a word: the client never learns it was sent.
  assert.deepEqual(answer.json(), { name: 'Poseidon' })
  await assert.rejects(world.close(), /GET \/api\/v1\/contract-probe 200[\s\S]*internalNote/)
})

test('a world whose answers all kept to their schemas closes quietly', async () => {
  const world = await openClaimsWorld('sqlite')
  const answer = await world.app.inject({
    method: 'GET',
    url: '/api/v1/policies',
    headers: world.staff.headers,
  })
  assert.equal(answer.statusCode, 200)
  assert.ok((world.responses.checked.get('GET /api/v1/policies 200') ?? 0) >= 1)
  await world.close()
})
