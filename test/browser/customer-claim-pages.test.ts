import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import {
  type Harness,
  openClaimOnIdleUnit,
  openPage,
  signedInApi,
  signInPageAs,
  startHarness,
  stepClaim,
} from './browser-harness.ts'

/** A customer with more claims than one page holds reaches every one of them from their page. */
let harness: Harness
before(async () => {
  harness = await startHarness()
})
after(async () => {
  await harness?.close()
})

interface ClaimJson {
  id: string
  number: string
  version: number
}

test('a customer with more claims than a page holds turns to the next page and finds the oldest', async () => {
  const customerApi = await signedInApi(harness, 'customer')
  const support = await signedInApi(harness, 'support')
  const listAll = async () =>
    ((await (await customerApi.request.get('/api/v1/claims?limit=200')).json()) as { items: ClaimJson[] })
      .items
  // Opened and cancelled one after another on idle units, until the list runs past its first page of 50.
  for (let count = (await listAll()).length; count <= 50; count++) {
    const claim = await openClaimOnIdleUnit<ClaimJson>(customerApi, 'The cooler does not start.')
    await stepClaim(support, claim.id, 'cancel', { reason: 'Opened to fill the list.' })
  }
  const all = await listAll()
  await customerApi.close()
  await support.close()
  assert.ok(all.length > 50)
  const oldest = all.at(-1)
  assert.ok(oldest)

  const { page, context, problems } = await openPage(harness)
  await signInPageAs(harness, page, 'customer')
  await page.goto('/my')
  const rows = page.locator('[data-testid="claim-table"] tbody tr')
  await rows.first().waitFor()
  assert.equal(await rows.count(), 50)
  assert.equal(await page.locator(`a[href$="/my/claims/${oldest.id}"]`).count(), 0)
  await page.getByRole('button', { name: 'Next page', exact: true }).click()
  await page.locator(`a[href$="/my/claims/${oldest.id}"]`).waitFor()
  assert.equal(await rows.count(), all.length - 50)
  await page.getByRole('button', { name: 'First page', exact: true }).click()
  await page.locator(`a[href$="/my/claims/${all[0]?.id}"]`).waitFor()
  assert.deepEqual(problems, [])
  await context.close()
})
