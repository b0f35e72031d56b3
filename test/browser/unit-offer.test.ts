import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createApiKey } from '../../src/auth/create-api-key.ts'
import {
  findSignIn,
  type Harness,
  openPage,
  saveScreenshot,
  sendAndReadOutbox,
  startHarness,
} from './browser-harness.ts'

let harness: Harness
before(async () => {
  harness = await startHarness()
})
after(async () => {
  await harness?.close()
})

test('a dealer’s shop system records a sale to a customer, who follows the e-mail, signs in and accepts the unit', async () => {
  const customer = findSignIn(harness, 'customer')
  const dealerUser = await harness.database.db
    .selectFrom('users')
    .select(['org_id'])
    .where('email', '=', findSignIn(harness, 'dealer').email)
    .executeTakeFirstOrThrow()
  assert.ok(dealerUser.org_id)
  // The dealer's shop system holds a key limited to its organisation.
  const key = await createApiKey(
    harness.database.db,
    { name: 'dealer shop', createdBy: null, orgId: dealerUser.org_id },
    new Date(),
  )
  const serial = `OFFER-${Date.now()}`
  const sale = await fetch(`${harness.baseUrl}/api/v1/units`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      serial,
      model: 'player-one-poseidon-m-pro',
      purchasedOn: new Date().toISOString().slice(0, 10),
      channel: 'dealer',
      ownerEmail: customer.email,
    }),
  })
  const recorded = (await sale.json()) as { ownerCustomerId: string | null }
  assert.equal(sale.status, 201, JSON.stringify(recorded))
  assert.equal(recorded.ownerCustomerId, null, 'the sale names nobody as owner to the seller')

  const mails = (await sendAndReadOutbox(harness)).filter((mail) => mail.html.includes(serial))
  assert.equal(mails.length, 1, 'one offer e-mail to the buyer')
  assert.ok(mails[0]?.to.includes(customer.email), `the offer goes to the buyer: ${mails[0]?.to}`)
  const link = mails[0]?.links[0]
  assert.ok(
    typeof link === 'string' && link.startsWith(harness.baseUrl),
    `the e-mail links to the service: ${link}`,
  )

  const { page, context, problems } = await openPage(harness)
  await page.goto(link)
  await page.waitForURL((url) => url.pathname === '/sign-in')
  await page.getByLabel('E-mail address').first().fill(customer.email)
  await page.getByLabel('Password').fill(customer.password)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.waitForURL((url) => url.pathname === '/my')

  const offers = page.getByTestId('unit-offers')
  await offers.getByText(serial).waitFor()
  await saveScreenshot(page, 'unit-offer-waiting')
  assert.equal(
    await page.getByTestId('my-units').getByText(serial).count(),
    0,
    'not theirs before they say so',
  )
  await offers.getByRole('button', { name: 'Yes, add it to my units' }).click()
  await page.getByTestId('my-units').getByText(serial).waitFor()
  assert.equal(await page.getByTestId('unit-offers').count(), 0, 'the answered offer is gone')
  const owner = await harness.database.db
    .selectFrom('units')
    .select(['owner_customer_id'])
    .where('serial', '=', serial)
    .executeTakeFirstOrThrow()
  assert.ok(owner.owner_customer_id, 'the unit is the customer’s now')
  assert.deepEqual(problems, [])
  await context.close()
})
