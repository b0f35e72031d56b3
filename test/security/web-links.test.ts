import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { createTestUser } from '../../src/auth/test-support.ts'
import { shipReturnBody } from '../../src/claims/claim.schemas.ts'
import { testEngines } from '../../src/db/test-database.ts'
import { emailTemplateData } from '../../src/notify/domain/email-template-data.ts'
import { SellerSettingsPatch } from '../../src/setup/setup.schemas.ts'
import {
  act,
  type ClaimsWorld,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  packageOf,
  repairSteps,
  seedClaimAwaitingQuote,
  seedPlayerOneUnit,
  tryAct,
} from '../claims/claim-factories.ts'

/**
 * Links typed by staff end up in e-mails: the seller's payment link in every quote, a
 * carrier's tracking page in the return notice. The e-mail checks its links when it is
 * queued, so a link the request took but the e-mail refuses broke the step that sends it,
 * answered with a field of the e-mail's data the caller never sent.
 */
const SPACES = [' ', '\u00a0', '\t', '\u3000']
const BAD_LINKS = [
  'https://pay.example/pay now',
  `https://pay.example/pay${'\u00a0'}now`,
  'javascript:alert(1)',
  'ftp://pay.example/invoice',
  'mailto:pay@example.com',
]

/** URLs, some with a space of some kind put into them. */
const links = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.tuple(fc.webUrl(), fc.constantFrom(...SPACES), fc.nat()).map(([url, space, at]) => {
    const cut = 8 + (at % Math.max(1, url.length - 8))
    return `${url.slice(0, cut)}${space}${url.slice(cut)}`
  }),
  fc.constantFrom(...BAD_LINKS),
)

describe('a link a request takes is one its e-mail can carry', () => {
  const returnShipped = emailTemplateData['return.shipped']
  const quoteSent = emailTemplateData['quote.sent']
  test('a tracking URL', () => {
    fc.assert(
      fc.property(links, (url) => {
        const taken = shipReturnBody.safeParse({ carrier: 'DHL', trackingNumber: '1', trackingUrl: url })
        if (!taken.success) return
        const trackingUrl = taken.data.trackingUrl
        assert.ok(returnShipped.shape.trackingUrl.safeParse(trackingUrl).success, trackingUrl)
      }),
    )
  })
  test("the seller's payment link", () => {
    const payment = quoteSent.shape.payment
    fc.assert(
      fc.property(links, (url) => {
        const taken = SellerSettingsPatch.safeParse({ paymentLink: url })
        if (!taken.success || !taken.data.paymentLink) return
        const link = taken.data.paymentLink.replaceAll('{claim}', 'C-1')
        assert.ok(payment.safeParse({ method: 'payment-link', url: link, reference: 'C-1' }).success, link)
      }),
    )
  })
})

for (const engine of testEngines()) {
  describe(`${engine}: links staff type are refused where they are typed, naming the field`, () => {
    let world: ClaimsWorld
    let admin: Record<string, string>
    before(async () => {
      world = await openClaimsWorld(engine)
      admin = (await createTestUser(world.database.db, { role: 'admin' })).headers
    })
    after(() => world.close())

    const settings = () => world.app.inject({ method: 'GET', url: '/api/v1/settings', headers: admin })

    test('a payment link with a space or of another scheme is refused; quotes still go out', async () => {
      const before = (await settings()).json()
      for (const paymentLink of BAD_LINKS) {
        const res = await world.app.inject({
          method: 'PATCH',
          url: '/api/v1/settings',
          headers: admin,
          payload: { paymentLink, paymentMethod: 'payment-link' },
        })
        assert.equal(res.statusCode, 400, `${paymentLink}: ${res.body}`)
        assert.equal(res.json().error.field, 'body.paymentLink', paymentLink)
      }
      assert.deepEqual((await settings()).json(), before, 'nothing changed')
      const claim = await seedClaimAwaitingQuote(world)
      const quote = await tryAct(world, world.staff, claim.id, 'send-quote', {
        lines: [{ kind: 'parts', description: 'Main board', quantity: 1, unitPriceMinor: 12000 }],
      })
      assert.equal(quote.statusCode, 200, quote.body)
    })

    test('a tracking URL with a space or of another scheme is refused; nothing changes', async () => {
      const serial = await seedPlayerOneUnit(world)
      const claim = await openClaimAs(world, world.customer, openClaimBody(serial))
      const steps = repairSteps(serial, await packageOf(world, 'player-one-poseidon-m-pro'))
      let shipped = claim
      for (const [action, body] of steps.slice(0, -1))
        shipped = await act(world, world.staff, claim.id, action, body)
      const etag = `"${(shipped as unknown as { version: number }).version}"`
      for (const trackingUrl of [
        'https://track.example/SF 123',
        'javascript:alert(1)',
        'ftp://track.example/1',
      ]) {
        const res = await tryAct(
          world,
          world.staff,
          claim.id,
          'ship-return',
          { carrier: 'SF Express', trackingNumber: 'SF123', trackingUrl },
          etag,
        )
        assert.equal(res.statusCode, 400, `${trackingUrl}: ${res.body}`)
        assert.equal(res.json().error.field, 'body.trackingUrl', trackingUrl)
      }
      const ok = await tryAct(
        world,
        world.staff,
        claim.id,
        'ship-return',
        { carrier: 'SF Express', trackingNumber: 'SF123', trackingUrl: 'https://track.example/SF123' },
        etag,
      )
      assert.equal(ok.statusCode, 200, ok.body)
    })
  })
}
