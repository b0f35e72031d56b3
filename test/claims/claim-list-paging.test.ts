import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import {
  type ClaimsWorld,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  seedPlayerOneUnit,
} from './claim-factories.ts'

interface ClaimPage {
  items: { id: string; openedAt: string }[]
  next: string | null
}

for (const engine of testEngines()) {
  describe(`${engine}: paging through the claim list`, () => {
    let world: ClaimsWorld
    const opened: string[] = []
    before(async () => {
      world = await openClaimsWorld(engine)
      // The world's clock stands still: every claim is opened in the same instant.
      for (let i = 0; i < 17; i++)
        opened.push(
          (await openClaimAs(world, world.customer, openClaimBody(await seedPlayerOneUnit(world)))).id,
        )
    })
    after(() => world.close())

    const pageOf = async (query: string): Promise<ClaimPage> => {
      const response = await world.app.inject({
        url: `/api/v1/claims?${query}`,
        headers: world.staff.headers,
      })
      assert.equal(response.statusCode, 200, response.body)
      return response.json() as ClaimPage
    }

    for (const parameter of ['cursor', 'before'])
      it(`passing \`next\` back as \`${parameter}\` lists every claim once, even those opened in one instant`, async () => {
        const seen: string[] = []
        let page = await pageOf('limit=5')
        for (;;) {
          seen.push(...page.items.map((claim) => claim.id))
          if (page.next === null) break
          page = await pageOf(`limit=5&${parameter}=${encodeURIComponent(page.next)}`)
        }
        assert.equal(new Set(seen).size, seen.length, 'no claim twice')
        assert.deepEqual([...seen].sort(), [...opened].sort(), 'every claim')
      })

    it('refuses a cursor the list did not give, naming it', async () => {
      for (const [query, field] of [
        ['cursor=yesterday', 'cursor'],
        ['cursor=2026-01-20T08:00:00.000Z', 'cursor'],
        ['cursor=2026-01-20T08:00:00.000Z|', 'cursor'],
        ['before=not-a-time', 'before'],
      ] as const) {
        const response = await world.app.inject({
          url: `/api/v1/claims?${query}`,
          headers: world.staff.headers,
        })
        assert.equal(response.statusCode, 400, `${query}: ${response.body}`)
        assert.equal((response.json() as { error: { field: string } }).error.field, `querystring.${field}`)
      }
    })

    it('`open` lists only the claims still worked on, or only the ended ones, and refuses anything else naming it', async () => {
      const ended = opened.slice(0, 3)
      for (const id of ended) {
        const claim = await world.app.inject({ url: `/api/v1/claims/${id}`, headers: world.customer.headers })
        const cancelled = await world.app.inject({
          method: 'POST',
          url: `/api/v1/claims/${id}/transitions/cancel`,
          headers: { ...world.customer.headers, 'if-match': String(claim.headers.etag) },
          payload: { reason: 'Found the cable was loose' },
        })
        assert.equal(cancelled.statusCode, 200, cancelled.body)
      }
      const ids = async (query: string) =>
        (await pageOf(`limit=50&${query}`)).items.map((claim) => claim.id).sort()
      assert.deepEqual(await ids('open=false'), [...ended].sort())
      assert.deepEqual(await ids('open=true'), opened.filter((id) => !ended.includes(id)).sort())
      assert.equal((await ids('open=true&state=cancelled')).length, 0, 'the filters add up')
      const refused = await world.app.inject({ url: '/api/v1/claims?open=yes', headers: world.staff.headers })
      assert.equal(refused.statusCode, 400, refused.body)
      assert.equal((refused.json() as { error: { field: string } }).error.field, 'querystring.open')
    })

    it('a bare instant as `before` still lists the claims opened before it', async () => {
      const page = await pageOf('before=2026-01-20T08:00:00.000Z')
      assert.equal(page.items.length, 0, 'every claim was opened at that instant, none before it')
    })
  })
}
