/**
 * Every list that pages by a composite cursor (an instant, then ids) reads it with the one
 * splitter beside `nextCursor`: `next` passed back, under `cursor` or the list's earlier name
 * for it, walks every row once; anything else is refused naming the parameter it came in,
 * never answered 500 and never read as some other place in the list (its top again, or past
 * its end).
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestUser } from '../../src/auth/test-support.ts'
import { testEngines } from '../../src/db/test-database.ts'
import {
  type ClaimsWorld,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  type Party,
  seedPlayerOneUnit,
} from '../claims/claim-factories.ts'

interface PagedList {
  url: string
  /** The name the list took its cursor by before `cursor`, when it had one. */
  earlier?: 'after' | 'before'
  /** A bare instant is still a place in this list under its earlier name (the claim list's `before`). */
  bareInstantEarlier?: boolean
  /** What `next` looks like inside: recovery cursors are base64url of `at|id`. */
  wrap?: (inner: string) => string
  /** The key a row is told apart by. */
  keyOf: (item: Record<string, unknown>) => string
}

const LISTS: PagedList[] = [
  { url: '/api/v1/claims', earlier: 'before', bareInstantEarlier: true, keyOf: (item) => String(item.id) },
  { url: '/api/v1/outbox', earlier: 'before', keyOf: (item) => String(item.id) },
  { url: '/api/v1/api-keys', earlier: 'after', keyOf: (item) => String(item.id) },
  {
    url: '/api/v1/queues/sla',
    earlier: 'after',
    keyOf: (item) => `${String(item.claimId)}/${String(item.kind)}`,
  },
  {
    url: '/api/v1/recoveries',
    wrap: (inner) => Buffer.from(inner).toString('base64url'),
    keyOf: (item) => String(item.id),
  },
]

const INSTANT = '2026-01-20T08:00:00.000Z'
/** Cursors no list gives: no `|`, no id, no instant before the `|`, stray `%`, nothing. */
const JUNK = [
  'abc',
  '%',
  '%E0%A4%A',
  INSTANT,
  `${INSTANT}|`,
  'abc|def',
  '1|2',
  '|x',
  '',
  '2026-13-45T99:00:00.000Z|x',
]

for (const engine of testEngines()) {
  describe(`${engine}: paging by composite cursors`, () => {
    let world: ClaimsWorld
    let admin: Party
    before(async () => {
      world = await openClaimsWorld(engine)
      admin = await createTestUser(world.database.db, { role: 'admin' })
      // Opening claims queues their e-mails and starts their clocks; each test user has a key.
      for (let i = 0; i < 4; i++)
        await openClaimAs(world, world.customer, openClaimBody(await seedPlayerOneUnit(world)))
      for (let i = 0; i < 3; i++) await createTestUser(world.database.db, { role: 'support' })
    })
    after(() => world.close())

    const get = (url: string) => world.app.inject({ url, headers: admin.headers })
    const withQuery = (url: string, query: string) => `${url}${url.includes('?') ? '&' : '?'}${query}`

    for (const list of LISTS) {
      test(`${list.url}: junk cursors are refused naming the parameter`, async () => {
        const parameters = ['cursor', ...(list.earlier ? [list.earlier] : [])]
        for (const parameter of parameters)
          for (const junk of JUNK) {
            if (parameter !== 'cursor' && list.bareInstantEarlier && junk === INSTANT) continue
            const cursor = list.wrap ? list.wrap(junk) : junk
            const response = await get(withQuery(list.url, `${parameter}=${encodeURIComponent(cursor)}`))
            const label = `${parameter}=${JSON.stringify(cursor)}: ${response.body}`
            assert.equal(response.statusCode, 400, label)
            const { error } = response.json() as { error: { field: string; messageKey: string } }
            // The list's own refusal names the parameter as its schema's does; a list whose schema
            // wants a cursor of one character at least refuses '' there.
            assert.equal(error.field, `querystring.${parameter}`, label)
            if (junk === '' && error.messageKey !== 'page.bad-cursor') continue
            assert.equal(error.messageKey, 'page.bad-cursor', label)
          }
      })

      test(`${list.url}: \`next\` passed back walks every row once`, async () => {
        const whole = (await get(withQuery(list.url, 'limit=200'))).json() as {
          items: Record<string, unknown>[]
          next: string | null
        }
        assert.equal(whole.next, null)
        if (list.url !== '/api/v1/recoveries') assert.ok(whole.items.length >= 3, `${list.url}: rows to page`)
        for (const parameter of ['cursor', ...(list.earlier ? [list.earlier] : [])]) {
          const seen: string[] = []
          let next: string | null = null
          for (let page = 0; page <= whole.items.length; page++) {
            const query: string =
              next === null ? 'limit=1' : `limit=1&${parameter}=${encodeURIComponent(next)}`
            const response = await get(withQuery(list.url, query))
            assert.equal(response.statusCode, 200, response.body)
            const body = response.json() as { items: Record<string, unknown>[]; next: string | null }
            seen.push(...body.items.map(list.keyOf))
            next = body.next
            if (next === null) break
          }
          assert.deepEqual(seen, whole.items.map(list.keyOf), `${list.url} by ${parameter}`)
        }
      })
    }
  })
}
