import fc from 'fast-check'
import {
  BRANDS,
  CHANNELS,
  EVIDENCE_KINDS,
  FINDINGS,
  PART_KINDS,
  PREFERENCES,
  PROBLEM_KINDS,
  SHIPPERS,
  type WarrantyCase,
} from '../contracts/case.ts'
import { formatDay, parseDay } from '../shared/day-numbers.ts'
import { buildCase } from './policy-test-support.ts'

/** The shipped policies' ids. */
export const POLICY_IDS = ['touptek', 'retailer', 'shenzhen-service', 'ist', 'player-one'] as const

const day = (from: string, span: number) =>
  fc.integer({ min: 0, max: span }).map((n) => formatDay(parseDay(from) + n))

export const anInspection = fc.record({
  faultConfirmed: fc.boolean(),
  manufacturingDefect: fc.boolean(),
  findings: fc.uniqueArray(fc.constantFrom(...FINDINGS), { maxLength: 3 }),
  missingItems: fc.array(fc.constantFrom('cable', 'box'), { maxLength: 2 }),
})

/** Any valid case of a shipped policy: dates in order, every optional fact sometimes absent. */
export const aCase: fc.Arbitrary<WarrantyCase> = fc
  .record({
    policy: fc.constantFrom(...POLICY_IDS),
    purchasedOn: day('2022-01-01', 1500),
    shipDelay: fc.integer({ min: 0, max: 5 }),
    transit: fc.integer({ min: 0, max: 20 }),
    activateDelay: fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
    // Some claims are dated before the delivery or even the purchase: valid input, still decided.
    claimDelay: fc.integer({ min: -40, max: 1500 }),
    part: fc.constantFrom(...PART_KINDS),
    category: fc.constantFrom('camera', 'astro-box', 'filter-wheel'),
    warrantyTerm: fc.option(fc.constantFrom('P3Y', 'P18M'), { nil: undefined }),
    channel: fc.constantFrom(...CHANNELS),
    brand: fc.constantFrom(...BRANDS),
    shippedBy: fc.constantFrom(...SHIPPERS),
    proofOfPurchase: fc.boolean(),
    proofOfPurchasePending: fc.option(fc.boolean(), { nil: undefined }),
    warrantyCard: fc.boolean(),
    secondHand: fc.boolean(),
    kind: fc.constantFrom(...PROBLEM_KINDS),
    packagingDamaged: fc.boolean(),
    urgentFreight: fc.boolean(),
    preference: fc.option(fc.constantFrom(...PREFERENCES), { nil: undefined }),
    evidence: fc.uniqueArray(fc.constantFrom(...EVIDENCE_KINDS), { maxLength: 4 }),
    inspection: fc.option(anInspection, { nil: undefined }),
  })
  .map((r) => {
    const purchased = parseDay(r.purchasedOn)
    const delivered = purchased + r.shipDelay + r.transit
    return buildCase(r.policy, {
      claimedOn: formatDay(delivered + r.claimDelay),
      product: {
        part: r.part,
        category: r.category,
        ...(r.warrantyTerm ? { warrantyTerm: r.warrantyTerm } : {}),
      },
      purchase: {
        channel: r.channel,
        brand: r.brand,
        shippedBy: r.shippedBy,
        purchasedOn: r.purchasedOn,
        shippedOn: formatDay(purchased + r.shipDelay),
        deliveredOn: formatDay(delivered),
        ...(r.activateDelay === undefined ? {} : { activatedOn: formatDay(delivered + r.activateDelay) }),
        proofOfPurchase: r.proofOfPurchase,
        ...(r.proofOfPurchasePending === undefined
          ? {}
          : { proofOfPurchasePending: r.proofOfPurchasePending }),
        warrantyCard: r.warrantyCard,
        secondHand: r.secondHand,
      },
      problem: { kind: r.kind, packagingDamaged: r.packagingDamaged, urgentFreight: r.urgentFreight },
      ...(r.preference ? { preference: r.preference } : {}),
      evidence: r.evidence,
      ...(r.inspection ? { inspection: r.inspection } : {}),
    })
  })
