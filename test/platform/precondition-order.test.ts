/**
 * Every change guarded by If-Match answers in the order RFC 9110 (13.2.2) and RFC 6585 give:
 * after who is asking and whether the record is there for them, a missing If-Match is 428
 * and one that is not the current version 412, whatever the body; only with the current
 * version is the body judged. A party the record is not for gets, whatever it sends, the
 * very answer a record that does not exist gets.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import {
  type ClaimsWorld,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  type Party,
  seedPlayerOneUnit,
} from '../claims/claim-factories.ts'
import { recoveriesOfClaim, seedDealerWarrantyRepair } from '../recoveries/recovery-factories.ts'

const IF_MATCH = ['missing', 'garbage', 'stale', 'current'] as const
type IfMatch = (typeof IF_MATCH)[number]
const BODIES = ['valid', 'invalid'] as const
type BodyCase = (typeof BODIES)[number]

/** One kind of guarded change: where it is sent, who owns the record, and its bodies. */
interface GuardedChange {
  name: string
  /** A fresh record the owner may take the change on; its version is at least 1. */
  seed(world: ClaimsWorld): Promise<string>
  url(id: string): string
  /** The path of the record's own read, which answers its ETag. */
  readUrl(id: string): string
  owner(world: ClaimsWorld): Party
  outsider(world: ClaimsWorld): Party
  body: Record<BodyCase, Record<string, unknown>>
  /** The field the invalid body is refused for. */
  invalidField: string
  /** An id no record has, of the shape the route takes. */
  noSuchId: string
}

const CHANGES: GuardedChange[] = [
  {
    name: 'a claim transition',
    seed: async (world) =>
      (await openClaimAs(world, world.customer, openClaimBody(await seedPlayerOneUnit(world)))).id,
    url: (id) => `/api/v1/claims/${id}/transitions/cancel`,
    readUrl: (id) => `/api/v1/claims/${id}`,
    owner: (world) => world.customer,
    outsider: (world) => world.otherCustomer,
    body: { valid: { reason: 'The cable was loose.' }, invalid: { reason: 42 } },
    invalidField: 'body.reason',
    noSuchId: '00000000-0000-4000-8000-000000000000',
  },
  {
    name: 'a recovery claim step',
    seed: async (world) => {
      const [recovery] = await recoveriesOfClaim(world, await seedDealerWarrantyRepair(world))
      assert.ok(recovery, 'the dealer repair yields a recovery claim')
      return recovery.id
    },
    url: (id) => `/api/v1/recoveries/${id}/submit`,
    readUrl: (id) => `/api/v1/recoveries/${id}`,
    owner: (world) => world.dealer,
    outsider: (world) => world.otherDealer,
    body: { valid: { note: 'Repair report attached' }, invalid: { note: 42 } },
    invalidField: 'body.note',
    noSuchId: '00000000-0000-4000-8000-000000000000',
  },
]

interface ErrorJson {
  error: { code: string; field?: string; messageKey?: string; details?: { version?: number } }
}

for (const engine of testEngines()) {
  describe(`${engine}: If-Match is judged before the body`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    for (const change of CHANGES) {
      const versionOf = async (id: string): Promise<number> => {
        const read = await world.app.inject({ url: change.readUrl(id), headers: world.staff.headers })
        assert.equal(read.statusCode, 200, read.body)
        return Number(JSON.parse(String(read.headers.etag)))
      }
      const send = (party: Party | null, id: string, ifMatch: IfMatch, body: BodyCase, current: number) => {
        const headers: Record<string, string> = { ...party?.headers }
        if (ifMatch === 'current') headers['if-match'] = `"${current}"`
        else if (ifMatch === 'stale') headers['if-match'] = `"${current - 1}"`
        else if (ifMatch === 'garbage') headers['if-match'] = 'W/"x"'
        return world.app.inject({
          method: 'POST',
          url: change.url(id),
          headers,
          payload: change.body[body],
        })
      }

      test(`${change.name}: the owner learns of If-Match before the body`, async () => {
        const id = await change.seed(world)
        const current = await versionOf(id)
        assert.ok(current >= 1, 'a version below the current one exists')
        const owner = change.owner(world)
        for (const ifMatch of IF_MATCH)
          for (const body of BODIES) {
            if (ifMatch === 'current' && body === 'valid') continue
            const response = await send(owner, id, ifMatch, body, current)
            const label = `${ifMatch} If-Match, ${body} body: ${response.body}`
            const { error } = response.json() as ErrorJson
            if (ifMatch === 'missing') {
              assert.equal(response.statusCode, 428, label)
              assert.equal(error.code, 'precondition-required', label)
            } else if (ifMatch === 'garbage') {
              assert.equal(response.statusCode, 412, label)
              assert.match(error.messageKey ?? '', /if-match\.invalid$/, label)
            } else if (ifMatch === 'stale') {
              assert.equal(response.statusCode, 412, label)
              assert.equal(error.details?.version, current, label)
            } else {
              assert.equal(response.statusCode, 400, label)
              assert.equal(error.field, change.invalidField, label)
            }
          }
        assert.equal(await versionOf(id), current, 'nothing refused changed the record')
        const taken = await send(owner, id, 'current', 'valid', current)
        assert.equal(taken.statusCode, 200, taken.body)
        assert.equal(await versionOf(id), current + 1)
      })

      test(`${change.name}: an outsider gets the answer of a record that does not exist, whatever it sends`, async () => {
        const id = await change.seed(world)
        const current = await versionOf(id)
        const outsider = change.outsider(world)
        for (const ifMatch of IF_MATCH)
          for (const body of BODIES) {
            const response = await send(outsider, id, ifMatch, body, current)
            const nowhere = await send(outsider, change.noSuchId, ifMatch, body, current)
            const label = `${ifMatch} If-Match, ${body} body: ${response.body}`
            assert.equal(response.statusCode, 404, label)
            assert.equal(nowhere.statusCode, 404, nowhere.body)
            assert.equal(response.body.replaceAll(id, change.noSuchId), nowhere.body, label)
            // The owner, too, hears of a record that is not there before anything else.
            const ownerNowhere = await send(change.owner(world), change.noSuchId, ifMatch, body, current)
            assert.equal(ownerNowhere.statusCode, 404, ownerNowhere.body)
          }
        assert.equal(await versionOf(id), current, 'nothing an outsider sent changed the record')
      })

      test(`${change.name}: who is asking comes first`, async () => {
        const id = await change.seed(world)
        const current = await versionOf(id)
        for (const ifMatch of IF_MATCH) {
          const response = await send(null, id, ifMatch, 'invalid', current)
          assert.equal(response.statusCode, 401, `${ifMatch}: ${response.body}`)
        }
      })
    }
  })
}
