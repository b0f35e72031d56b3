import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { requireReturnAddress } from '../../src/claims/return-address.ts'
import { testEngines } from '../../src/db/test-database.ts'
import { extractPdfText } from '../../src/files/documents/pdf-text.test-support.ts'
import { isAppError } from '../../src/shared/errors.ts'
import { humanDate } from '../../src/shared/human-date.ts'
import {
  act,
  type ClaimsWorld,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  seedIstExpiredUnit,
  TODAY,
} from './claim-factories.ts'

const HOME = {
  name: 'Alice Example',
  street: '221B Baker Street',
  line2: 'Flat 2',
  city: 'London',
  region: 'Greater London',
  postalCode: 'NW1 6XE',
  country: 'gb',
  phone: '+44 20 7946 0000',
}

interface AddressesView {
  returnAddress: Record<string, string> | null
  returnAddressLines: string[]
  shipToLines: string[]
  editable: boolean
}

for (const engine of testEngines()) {
  describe(`${engine}: return and ship-to addresses of a claim`, () => {
    let world: ClaimsWorld
    let claimId: string
    before(async () => {
      world = await openClaimsWorld(engine)
      const opened = await openClaimAs(world, world.customer, openClaimBody(await seedIstExpiredUnit(world)))
      claimId = opened.id
      await act(world, world.staff, claimId, 'authorize-return')
    })
    after(() => world.close())

    const inject = (
      method: 'GET' | 'POST' | 'PUT',
      url: string,
      headers: Record<string, string>,
      payload?: unknown,
    ) =>
      world.app.inject({
        method,
        url,
        headers,
        ...(payload === undefined ? {} : { payload: payload as object }),
      })

    test('the customer saves an address in the profile and picks it for the claim', async () => {
      const saved = await inject('POST', '/api/v1/me/addresses', world.customer.headers, HOME)
      assert.equal(saved.statusCode, 201, saved.body)
      const addressId = (saved.json() as { id: string }).id

      const profile = await inject('GET', '/api/v1/me/profile', world.customer.headers)
      assert.equal((profile.json() as { addresses: { id: string }[] }).addresses[0]?.id, addressId)
      const otherProfile = await inject('GET', '/api/v1/me/profile', world.otherCustomer.headers)
      assert.deepEqual(
        (otherProfile.json() as { addresses: unknown[] }).addresses,
        [],
        "nobody sees another's addresses",
      )

      const stolen = await inject(
        'PUT',
        `/api/v1/claims/${claimId}/return-address`,
        world.otherCustomer.headers,
        {
          addressId,
        },
      )
      assert.equal(stolen.statusCode, 404, 'another customer cannot reach the claim')

      const picked = await inject('PUT', `/api/v1/claims/${claimId}/return-address`, world.customer.headers, {
        addressId,
      })
      assert.equal(picked.statusCode, 200, picked.body)
      const view = picked.json() as AddressesView
      assert.equal(view.returnAddress?.country, 'GB')
      assert.ok(view.editable)
    })

    test('a bad address is refused naming the field, and nothing changes', async () => {
      const bad = await inject('PUT', `/api/v1/claims/${claimId}/return-address`, world.customer.headers, {
        address: { ...HOME, country: 'Britain' },
      })
      assert.equal(bad.statusCode, 400)
      assert.match(bad.body, /country/)
      const unknown = await inject(
        'PUT',
        `/api/v1/claims/${claimId}/return-address`,
        world.customer.headers,
        {
          addressId: 'adr-of-someone-else',
        },
      )
      assert.equal(unknown.statusCode, 400)
      assert.match(unknown.body, /addressId/)
      const view = (
        await inject('GET', `/api/v1/claims/${claimId}/addresses`, world.staff.headers)
      ).json() as AddressesView
      assert.equal(view.returnAddress?.street, HOME.street)
    })

    test('the repair order prints the return address and the ship-to address in full', async () => {
      const view = (
        await inject('GET', `/api/v1/claims/${claimId}/addresses`, world.staff.headers)
      ).json() as AddressesView
      assert.deepEqual(view.returnAddressLines, [
        'Alice Example',
        '221B Baker Street',
        'Flat 2',
        'NW1 6XE London',
        'Greater London',
        'United Kingdom',
        'Tel. +44 20 7946 0000',
      ])
      assert.ok(view.shipToLines.length >= 3, `ship-to in full: ${view.shipToLines.join(' / ')}`)

      const pdf = await inject('GET', `/api/v1/claims/${claimId}/repair-order.pdf`, world.customer.headers)
      assert.equal(pdf.statusCode, 200)
      const text = extractPdfText(pdf.rawPayload)
      for (const line of [...view.returnAddressLines, ...view.shipToLines])
        assert.ok(text.includes(line), `the repair order prints "${line}"`)
      assert.ok(text.includes('Beijing IST Technology Development Co., Ltd.'), 'the seller letterhead')
      // The day of the claim's last change in the IST policy's zone (Shanghai), as English writes it.
      assert.ok(text.includes(`Issued: ${humanDate(TODAY, 'en')}`), text)
      assert.ok(text.includes('Terms'))
    })

    test('a return cannot ship without an address to ship to', async () => {
      // Alice's first claim keeps the copy it was given; her records lose every address.
      const opened = await openClaimAs(world, world.customer, openClaimBody(await seedIstExpiredUnit(world)))
      await world.database.db
        .updateTable('customers')
        .set({ address: null })
        .where('id', '=', 'cus-alice')
        .execute()
      await world.database.db
        .deleteFrom('customer_addresses')
        .where('customer_id', '=', 'cus-alice')
        .execute()
      await assert.rejects(requireReturnAddress(world.database.db, opened.id), (error: unknown) => {
        assert.ok(isAppError(error))
        assert.equal(error.field, 'returnAddress')
        return true
      })
      // The address is asked for last: an outsider learns nothing of the claim, and a claim
      // not ready to ship says so rather than asking for an address.
      const ship = { carrier: 'DHL', trackingNumber: 'DHL-9' }
      const read = await inject('GET', `/api/v1/claims/${opened.id}`, world.staff.headers)
      const etag = { 'if-match': String(read.headers.etag) }
      const outsider = await inject(
        'POST',
        `/api/v1/claims/${opened.id}/transitions/ship-return`,
        { ...world.otherDealer.headers, ...etag },
        ship,
      )
      const nowhere = await inject(
        'POST',
        '/api/v1/claims/00000000-0000-4000-8000-000000000000/transitions/ship-return',
        { ...world.otherDealer.headers, ...etag },
        ship,
      )
      assert.equal(outsider.statusCode, 404, outsider.body)
      assert.equal(nowhere.statusCode, 404, nowhere.body)
      const tooEarly = await inject(
        'POST',
        `/api/v1/claims/${opened.id}/transitions/ship-return`,
        { ...world.staff.headers, ...etag },
        ship,
      )
      assert.equal(tooEarly.statusCode, 409, tooEarly.body)
      const first = await requireReturnAddress(world.database.db, claimId)
      assert.equal(first.street, HOME.street, 'a claim keeps its own copy')
      const entered = await inject('PUT', `/api/v1/claims/${opened.id}/return-address`, world.staff.headers, {
        address: { name: 'Alice', street: '1 Main St', city: 'Springfield', country: 'US' },
      })
      assert.equal(entered.statusCode, 200, 'staff may enter it on the customer’s behalf')
      const address = await requireReturnAddress(world.database.db, opened.id)
      assert.equal(address.street, '1 Main St')
    })
  })
}
