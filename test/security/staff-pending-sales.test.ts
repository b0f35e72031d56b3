import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import { addDays, ORG, openClaimAs, openClaimBody, seedUnit, TODAY } from '../claims/claim-factories.ts'
import { openSecurityWorld, type PartyName, type SecurityWorld } from './security-world.ts'

interface StaffSale {
  serial: string
  dealer: { id: string; name: string }
  customer: { id: string; name: string; email: string } | null
  openClaims: { id: string; number: string }[]
}
interface Page<T> {
  items: T[]
  next: string | null
}

/** A Player One camera customer A says this dealer sold, waiting for the dealer's word. */
const seedPendingSale = (world: SecurityWorld, dealerOrgId: string) =>
  seedUnit(world, {
    model: 'player-one-zeus-455m-pro',
    policy: 'player-one',
    sellerOrgId: ORG.playerOne,
    channel: 'dealer',
    dealerOrgId,
    dealerConfirmed: false,
    purchasedOn: addDays(TODAY, -90),
  })

const STAFF: PartyName[] = ['support', 'technician', 'manager', 'admin']
/** Each dealer signed in and by its organisation's API key. */
const DEALERS: [PartyName, string][] = [
  ['dealer1', ORG.starlight],
  ['orgKey1', ORG.starlight],
  ['dealer2', ORG.prairie],
  ['orgKey2', ORG.prairie],
]

for (const engine of testEngines()) {
  describe(`${engine}: the staff list of dealer sales waiting for confirmation`, () => {
    let world: SecurityWorld
    let claimed = ''
    let claimId = ''
    let unclaimed = ''
    let otherDealer = ''
    let confirmed = ''
    before(async () => {
      world = await openSecurityWorld(engine)
      claimed = await seedPendingSale(world, ORG.starlight)
      claimId = (await openClaimAs(world, world.customer, openClaimBody(claimed))).id
      unclaimed = await seedPendingSale(world, ORG.starlight)
      otherDealer = await seedPendingSale(world, ORG.prairie)
      confirmed = await seedUnit(world, {
        model: 'player-one-zeus-455m-pro',
        policy: 'player-one',
        sellerOrgId: ORG.playerOne,
        channel: 'dealer',
        dealerOrgId: ORG.starlight,
        purchasedOn: addDays(TODAY, -90),
      })
    })
    after(() => world.close())

    const get = (party: PartyName, url: string) =>
      world.app.inject({ method: 'GET', url, headers: world.parties[party] })
    const ours = (items: StaffSale[]) =>
      items.filter((s) => [claimed, unclaimed, otherDealer, confirmed].includes(s.serial))

    test('staff see every dealer’s waiting sales with the buyer and the open claims, units without a claim included', async () => {
      for (const party of STAFF) {
        const response = await get(party, '/api/v1/pending-dealer-sales?limit=200')
        assert.equal(response.statusCode, 200, `${party}: ${response.body}`)
        const items = ours((response.json() as Page<StaffSale>).items)
        assert.deepEqual(
          items.map((s) => s.serial).sort(),
          [claimed, unclaimed, otherDealer].sort(),
          `${party}: a confirmed sale is not waiting`,
        )
        const withClaim = items.find((s) => s.serial === claimed)
        assert.deepEqual(
          withClaim?.openClaims.map((c) => c.id),
          [claimId],
        )
        assert.match(withClaim?.openClaims[0]?.number ?? '', /\S/)
        assert.deepEqual(items.find((s) => s.serial === unclaimed)?.openClaims, [])
        assert.equal(items.find((s) => s.serial === unclaimed)?.customer?.id, 'cus-alice')
        assert.equal(items.find((s) => s.serial === otherDealer)?.dealer.id, ORG.prairie)
      }
    })

    test('one dealer’s sales only, page by page through the cursor, each once in dealer then serial order', async () => {
      const filtered = await get('support', `/api/v1/pending-dealer-sales?dealer=${ORG.prairie}&limit=200`)
      assert.equal(filtered.statusCode, 200, filtered.body)
      const prairie = (filtered.json() as Page<StaffSale>).items
      assert.ok(prairie.length > 0 && prairie.every((s) => s.dealer.id === ORG.prairie))
      assert.ok(prairie.some((s) => s.serial === otherDealer))

      const whole = (
        (await get('support', '/api/v1/pending-dealer-sales?limit=200')).json() as Page<StaffSale>
      ).items.map((s) => `${s.dealer.id} ${s.serial}`)
      const paged: string[] = []
      let cursor: string | null = null
      do {
        const url: string = `/api/v1/pending-dealer-sales?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
        const response = await get('manager', url)
        assert.equal(response.statusCode, 200, response.body)
        const page = response.json() as Page<StaffSale>
        assert.ok(page.items.length <= 1)
        paged.push(...page.items.map((s) => `${s.dealer.id} ${s.serial}`))
        cursor = page.next
      } while (cursor)
      assert.deepEqual(paged, whole)
      assert.equal(new Set(paged).size, paged.length)

      const garbled = await get('support', '/api/v1/pending-dealer-sales?cursor=nonsense')
      assert.equal(garbled.statusCode, 400, garbled.body)
      const unknown = await get('support', '/api/v1/pending-dealer-sales?dealr=x')
      assert.equal(unknown.statusCode, 400)
      assert.equal((unknown.json() as { error: { field: string } }).error.field, 'querystring.dealr')
    })

    test('dealers are refused the staff list and read only their own through the dealer desk, signed in or by API key', async () => {
      for (const [party, orgId] of DEALERS) {
        const staffList = await get(party, '/api/v1/pending-dealer-sales')
        assert.equal(staffList.statusCode, 403, `${party}: ${staffList.body}`)
        const filtered = await get(party, `/api/v1/pending-dealer-sales?dealer=${orgId}`)
        assert.equal(filtered.statusCode, 403, `${party} naming itself`)
        const own = await get(party, '/api/v1/dealer-desk/sale-confirmations?limit=200')
        assert.equal(own.statusCode, 200, `${party}: ${own.body}`)
        const items = (own.json() as Page<{ serial: string; dealer: { id: string } }>).items
        assert.ok(
          items.every((s) => s.dealer.id === orgId),
          `${party} sees only its own`,
        )
        const expected = orgId === ORG.starlight ? [claimed, unclaimed] : [otherDealer]
        const seen = items.map((s) => s.serial).filter((s) => [claimed, unclaimed, otherDealer].includes(s))
        assert.deepEqual(seen.sort(), expected.sort(), party)
        assert.ok(!JSON.stringify(items).includes('cus-alice'), `${party} is not told the buyer`)
      }
    })

    test('customers, integrations and the signed-out get no list', async () => {
      for (const [party, status] of [
        ['customerA', 403],
        ['customerB', 403],
        ['integration', 403],
        ['readOnlyKey', 403],
        ['anonymous', 401],
      ] as const) {
        const response = await get(party, '/api/v1/pending-dealer-sales')
        assert.equal(response.statusCode, status, `${party}: ${response.body}`)
        assert.ok(!response.body.includes(claimed), party)
      }
    })
  })
}
