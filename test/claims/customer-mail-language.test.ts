import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestUser } from '../../src/auth/test-support.ts'
import { documentRecipientOf } from '../../src/claims/claim-documents.ts'
import { testEngines } from '../../src/db/test-database.ts'
import { toCustomerRow } from '../../src/registry/index.ts'
import {
  addDays,
  type ClaimsWorld,
  ORG,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  seedTouptekDoaUnit,
  seedUnit,
  TODAY,
} from './claim-factories.ts'

for (const engine of testEngines()) {
  describe(`${engine}: claim mail to a customer goes in the language the evidence best shows`, () => {
    let world: ClaimsWorld
    before(async () => {
      world = await openClaimsWorld(engine)
    })
    after(() => world.close())

    const receiptLanguage = async (claimId: string) =>
      (
        await world.database.db
          .selectFrom('outbox_messages')
          .select('locale')
          .where('claim_id', '=', claimId)
          .where('topic', '=', 'claim.opened')
          .where('channel', '=', 'email')
          .executeTakeFirstOrThrow()
      ).locale
    const touptekUnitOf = (owner: string) =>
      seedUnit(world, {
        model: 'touptek-atr2600c',
        policy: 'touptek',
        sellerOrgId: ORG.touptek,
        purchasedOn: addDays(TODAY, -15),
        deliveredOn: addDays(TODAY, -10),
        owner,
      })
    const seedCustomer = async (id: string, address: Record<string, string> | null) =>
      world.database.db
        .insertInto('customers')
        .values(toCustomerRow(id, { name: id, email: `${id}@example.com`, address }, TODAY))
        .execute()

    test('a customer who never chose one hears of the claim they opened in the Chinese web app in Chinese, without it counting as their choice', async () => {
      const serial = await seedTouptekDoaUnit(world)
      const claim = await openClaimAs(world, world.customer, openClaimBody(serial), {
        'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5',
      })
      assert.equal(await receiptLanguage(claim.id), 'zh')
      const customer = await world.database.db
        .selectFrom('customers')
        .select(['locale', 'locale_chosen_at'])
        .where('id', '=', 'cus-alice')
        .executeTakeFirstOrThrow()
      assert.deepEqual(customer, { locale: 'zh', locale_chosen_at: null })
    })

    test("the customer's own choice comes first, whatever web app they open the claim in", async () => {
      await world.database.db
        .updateTable('customers')
        .set({ locale: 'en', locale_chosen_at: `${TODAY}T00:00:00.000Z` })
        .where('id', '=', 'cus-bob')
        .execute()
      const claim = await openClaimAs(
        world,
        world.otherCustomer,
        openClaimBody(await touptekUnitOf('cus-bob')),
        {
          'accept-language': 'zh-CN',
        },
      )
      assert.equal(await receiptLanguage(claim.id), 'en')
    })

    test('a customer of a Chinese seller is written to in the language of where they live, and in English with nothing of their own to go by', async () => {
      await seedCustomer('cus-no-address', null)
      await seedCustomer('cus-berlin', { line1: '1 Star Rd', city: 'Berlin', country: 'DE' })
      await seedCustomer('cus-hangzhou', { line1: '1 Xihu Rd', city: 'Hangzhou', country: 'CN' })
      const unknown = await openClaimAs(
        world,
        world.staff,
        openClaimBody(await touptekUnitOf('cus-no-address')),
      )
      // The seller's country says nothing of the buyer's language: it sells to buyers everywhere.
      assert.equal(await receiptLanguage(unknown.id), 'en')
      const berlin = await openClaimAs(world, world.staff, openClaimBody(await touptekUnitOf('cus-berlin')))
      assert.equal(await receiptLanguage(berlin.id), 'en')
      const hangzhou = await openClaimAs(
        world,
        world.staff,
        openClaimBody(await touptekUnitOf('cus-hangzhou')),
      )
      assert.equal(await receiptLanguage(hangzhou.id), 'zh')
    })

    test("a customer who never chose a language has their documents, and their profile's note, in the language of their mail", async () => {
      await seedCustomer('cus-taipei', { line1: '1 Xinyi Rd', city: 'Taipei', country: 'TW' })
      assert.equal((await documentRecipientOf(world.database.db, 'cus-taipei')).locale, 'zh')
      const customer = await createTestUser(world.database.db, { role: 'customer', customerId: 'cus-taipei' })
      const profile = await world.app.inject({
        method: 'GET',
        url: '/api/v1/me/profile',
        headers: customer.headers,
      })
      assert.equal(profile.statusCode, 200, profile.body)
      // The stored language is only the column's default; what mail and documents follow is given beside it.
      assert.deepEqual(
        { locale: profile.json().locale, mailLocale: profile.json().mailLocale },
        { locale: 'en', mailLocale: 'zh' },
      )
      await world.database.db
        .updateTable('customers')
        .set({ locale: 'en', locale_chosen_at: new Date().toISOString() })
        .where('id', '=', 'cus-taipei')
        .execute()
      assert.equal(
        (await documentRecipientOf(world.database.db, 'cus-taipei')).locale,
        'en',
        'their own choice first',
      )
    })
  })
}
