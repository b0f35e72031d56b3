import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { findSignIn, type Harness, openPage, PHONE, startHarness } from './browser-harness.ts'

let harness: Harness
before(async () => {
  harness = await startHarness()
})
after(async () => {
  await harness?.close()
})

/** Per model, the dealers and agents its seller's units were sold through, as the server judges a registration. */
async function dealersPerModel(): Promise<Map<string, string[]>> {
  const db = harness.database.db
  const models = await db
    .selectFrom('product_models as m')
    .innerJoin('organisations as b', 'b.id', 'm.brand_org_id')
    .select(['m.id', 'm.brand_org_id', 'm.brand_relation', 'b.agent_org_id'])
    .execute()
  const sales = await db
    .selectFrom('units')
    .innerJoin('organisations as d', 'd.id', 'units.dealer_org_id')
    .select(['units.seller_org_id', 'd.id'])
    .where('d.kind', 'in', ['dealer', 'agent'])
    .distinct()
    .execute()
  const result = new Map<string, string[]>()
  for (const m of models) {
    const seller = m.brand_relation === 'agent' && m.agent_org_id ? m.agent_org_id : m.brand_org_id
    result.set(m.id, [...new Set(sales.filter((s) => s.seller_org_id === seller).map((s) => s.id))].sort())
  }
  return result
}

test('registering a unit offers only the dealers that sell the chosen model, and follows a change of model', async () => {
  const expected = await dealersPerModel()
  const everyDealer = (await harness.database.db.selectFrom('organisations').select('id').execute()).length
  const withDealers = [...expected].filter(([, ids]) => ids.length > 0)
  const first = withDealers[0]
  const second = [...expected].find(([, ids]) => ids.join() !== first?.[1].join())
  assert.ok(first && second, 'the demo needs two models sold through different dealers')
  assert.ok(first[1].length < everyDealer)

  const customer = findSignIn(harness, 'customer')
  for (const locale of ['en-GB', 'zh-CN']) {
    // The account's language wins once signed in: the Chinese reader's account says Chinese.
    await harness.database.db
      .updateTable('customers')
      .set({ locale: locale === 'zh-CN' ? 'zh' : 'en' })
      .where('id', 'in', (eb) =>
        eb.selectFrom('users').select('customer_id').where('email', '=', customer.email),
      )
      .execute()
    const portal = await openPage(harness, PHONE, { locale })
    const signedIn = await portal.page.request.post('/api/v1/auth/sign-in', {
      data: { email: customer.email, password: customer.password },
    })
    assert.equal(signedIn.status(), 200)
    await portal.page.goto('/my/units/new')
    await portal.page.locator('input[name=channel][value=dealer]').check()
    const dealer = portal.page.locator('#reg-dealer')
    assert.ok(await dealer.isDisabled(), 'no dealer before the model')
    const offered = async () => {
      await portal.page.waitForFunction(
        () => !document.querySelector<HTMLSelectElement>('#reg-dealer')?.disabled,
      )
      return (
        await dealer
          .locator('option:not([value=""])')
          .evaluateAll((els) => els.map((el) => (el as HTMLOptionElement).value))
      ).sort()
    }
    await portal.page.locator('#reg-model').selectOption(first[0])
    assert.deepEqual(await offered(), first[1], `${locale}: ${first[0]}`)
    await dealer.selectOption(first[1][0] ?? '')
    await portal.page.locator('#reg-model').selectOption(second[0])
    if (second[1].length > 0) assert.deepEqual(await offered(), second[1], `${locale}: ${second[0]}`)
    else {
      await portal.page.waitForFunction(
        () => document.querySelectorAll('#reg-dealer option:not([value=""])').length === 0,
      )
      assert.match(
        (await dealer.locator('option[value=""]').textContent()) ?? '',
        locale === 'zh-CN' ? /没有经销商/ : /No dealer/,
      )
    }
    assert.equal(await dealer.inputValue(), '', 'the dealer chosen for the other model is not kept')
    assert.deepEqual(portal.problems, [])
    await portal.context.close()
  }
})
