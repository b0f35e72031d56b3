import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CLAIM_ACTION_ENTRIES } from '../../src/claims/claim-actions.ts'
import { CLAIM_TRANSITIONS } from '../../src/claims/domain/claim-lifecycle.ts'
import { openClaimsWorld } from './claim-factories.ts'

test('every claims route is in the OpenAPI document, one per lifecycle action', async () => {
  const world = await openClaimsWorld('sqlite')
  try {
    const response = await world.app.inject({ method: 'GET', url: '/api/openapi.json' })
    assert.equal(response.statusCode, 200)
    const paths = Object.keys((response.json() as { paths: Record<string, unknown> }).paths)
    for (const path of [
      '/api/v1/claims',
      '/api/v1/claims/{id}',
      '/api/v1/claims/{id}/events',
      '/api/v1/claims/{id}/messages',
      '/api/v1/claims/{id}/quotes',
      '/api/v1/self-checks/{key}',
    ]) {
      assert.ok(paths.includes(path), path)
    }
    assert.deepEqual(
      CLAIM_ACTION_ENTRIES.map((e) => e.action).sort(),
      CLAIM_TRANSITIONS.map((t) => t.action).sort(),
      'every transition has its route',
    )
    for (const entry of CLAIM_ACTION_ENTRIES)
      assert.ok(paths.includes(`/api/v1/claims/{id}/transitions/${entry.action}`), entry.action)
  } finally {
    await world.close()
  }
})
