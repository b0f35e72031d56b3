import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { loadPolicyLibrary } from '../../policies/load-policies.ts'
import {
  checkSaleChannel,
  checkSaleDates,
  decideSalePolicy,
  decideSaleTerms,
  isSaleRejection,
  type SaleModel,
  type SaleOrganisations,
} from './unit-sale.ts'

const policies = loadPolicyLibrary()
const policyIds = [...new Set(policies.list().map((p) => p.id))]

const day = fc
  .integer({ min: 0, max: 3650 })
  .map((n) => new Date(Date.UTC(2019, 0, 1) + n * 86_400_000).toISOString().slice(0, 10))
const maybeDay = fc.option(day, { nil: null })

/** Two sellers with their own policies, a brand with one, an agent brand sold by its distributor. */
const orgs: SaleOrganisations = {
  defaultPolicyOf: (orgId) =>
    ({ 'org-retail': 'retailer', 'org-brand': 'player-one', 'org-agent': 'shenzhen-service' })[orgId] ?? null,
  sellerWithPolicy: (policyId) => ({ retailer: 'org-retail', 'shenzhen-service': 'org-agent' })[policyId],
}
const ownBrand: SaleModel = {
  id: 'm-own',
  brandOrgId: 'org-brand',
  agentOrgId: null,
  brandPolicyId: 'player-one',
}
const agentBrand: SaleModel = {
  id: 'm-agent',
  brandOrgId: 'org-maker',
  agentOrgId: 'org-agent',
  brandPolicyId: 'shenzhen-service',
}

describe('unit sale rules', () => {
  test('dates are accepted exactly when bought ≤ shipped ≤ delivered ≤ activated ≤ today (unknown steps skipped)', () => {
    fc.assert(
      fc.property(
        day,
        maybeDay,
        maybeDay,
        maybeDay,
        day,
        (purchasedOn, shippedOn, deliveredOn, activatedOn, today) => {
          const known = [purchasedOn, shippedOn, deliveredOn, activatedOn].filter(
            (d): d is string => d !== null,
          )
          const ordered = known.every((d, i) => i === 0 || (known[i - 1] as string) <= d)
          const past = known.every((d) => d <= today)
          // The first instant of `today` at UTC+14, where the day begins first.
          const at = new Date(`${today}T00:00:00+14:00`)
          const rejection = checkSaleDates({ purchasedOn, shippedOn, deliveredOn, activatedOn }, at)
          assert.equal(rejection === null, ordered && past)
          if (!past) assert.equal(rejection?.text.key, 'registry.sale.in-future')
        },
      ),
    )
  })

  test('a dealer sale names its dealer and a direct sale has none', () => {
    assert.equal(checkSaleChannel('dealer', null)?.field, 'dealerOrgId')
    assert.equal(checkSaleChannel('direct', 'org-d')?.field, 'dealerOrgId')
    assert.equal(checkSaleChannel('retail', null)?.field, 'channel')
    assert.equal(checkSaleChannel('dealer', 'org-d'), null)
    assert.equal(checkSaleChannel('direct', null), null)
  })

  test('the version chosen is in force on the sale date, or the first one for a sale before it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...policyIds), day, (policyId, purchasedOn) => {
        const terms = decideSalePolicy(ownBrand, { policyId, purchasedOn }, orgs, policies)
        const versions = policies.list().filter((p) => p.id === policyId)
        if (isSaleRejection(terms)) {
          // Only a date after every version ended has no terms.
          assert.ok(versions.every((v) => v.effectiveTo !== null && v.effectiveTo <= purchasedOn))
          return
        }
        const chosen = versions.find((v) => v.version === terms.policyVersion)
        assert.ok(chosen)
        const first = versions.map((v) => v.effectiveFrom).sort()[0] as string
        if (purchasedOn < first) assert.equal(chosen.effectiveFrom, first)
        else {
          assert.ok(chosen.effectiveFrom <= purchasedOn)
          assert.ok(chosen.effectiveTo === null || purchasedOn < chosen.effectiveTo)
        }
      }),
    )
  })

  test('the seller: the named one, else the owner of the named policy, else the distributor, else the brand', () => {
    const on = '2025-06-01'
    const pick = (model: SaleModel, sale: { sellerOrgId?: string; policyId?: string }) => {
      const terms = decideSalePolicy(model, { ...sale, purchasedOn: on }, orgs, policies)
      assert.ok(!isSaleRejection(terms), JSON.stringify(terms))
      return [terms.sellerOrgId, terms.policyId]
    }
    assert.deepEqual(pick(ownBrand, {}), ['org-brand', 'player-one'])
    assert.deepEqual(pick(agentBrand, {}), ['org-agent', 'shenzhen-service'])
    assert.deepEqual(pick(ownBrand, { sellerOrgId: 'org-retail' }), ['org-retail', 'retailer'])
    assert.deepEqual(pick(ownBrand, { policyId: 'retailer' }), ['org-retail', 'retailer'])
    // A policy nobody sells under keeps the brand as seller.
    assert.deepEqual(pick(ownBrand, { policyId: 'ist' }), ['org-brand', 'ist'])
  })

  test('an unknown policy or version names its field', () => {
    const unknown = decideSalePolicy(
      ownBrand,
      { policyId: 'nope', purchasedOn: '2025-01-01' },
      orgs,
      policies,
    )
    assert.deepEqual(isSaleRejection(unknown) && unknown.field, 'policy')
    const version = decideSalePolicy(
      ownBrand,
      { policyId: 'player-one', policyVersion: '0.0.0-none', purchasedOn: '2025-01-01' },
      orgs,
      policies,
    )
    assert.deepEqual(isSaleRejection(version) && version.field, 'policyVersion')
  })

  test('a dealer sale ships from the dealer unless told otherwise', () => {
    const sale = { channel: 'dealer' as const, dealerOrgId: 'org-d', purchasedOn: '2025-06-01' }
    const terms = decideSaleTerms(ownBrand, sale, orgs, policies, '2026-12-01T12:00:00.000Z')
    assert.ok(!isSaleRejection(terms))
    assert.equal(terms.shippedBy, 'dealer')
    const vendor = decideSaleTerms(
      ownBrand,
      { ...sale, shippedBy: 'vendor' },
      orgs,
      policies,
      '2026-12-01T12:00:00.000Z',
    )
    assert.ok(!isSaleRejection(vendor))
    assert.equal(vendor.shippedBy, 'vendor')
  })
})
