import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { addDays } from '../shared/day-numbers.ts'
import { render } from '../shared/messages/translate.ts'
import { instantNearLocalMidnight } from '../shared/near-local-midnight.test-support.ts'
import {
  type CostRecord,
  deriveRecovery,
  filedLinesOf,
  type RecoveryFacts,
} from './domain/derive-recovery.ts'
import { findDoublePayers, type RecoveryTerms, recoveryTermsSchema } from './domain/recovery-terms.ts'
import {
  loadRecoveryTerms,
  parseRecoveryTermsFile,
  SHIPPED_RECOVERY_TERMS_DIR,
} from './load-recovery-terms.ts'

const TERMS = loadRecoveryTerms()

/** Terms of a contract with the brand, paying the handler for Player One claims, in dollars. */
function contractTerms(id: string, title: string, costs: unknown[]) {
  return recoveryTermsSchema.parse({
    kind: 'recovery-terms',
    id,
    version: '1',
    title,
    source: 'A contract',
    effectiveFrom: '2020-01-01',
    effectiveTo: null,
    debtor: 'brand',
    creditor: 'handler',
    currency: 'USD',
    appliesTo: { policies: ['player-one'] },
    submitWithinDays: 30,
    returnPart: false,
    costs,
  })
}

/** A Player One camera sold through a dealer and repaired by it in warranty. */
function dealerRepair(overrides: Partial<RecoveryFacts> = {}): RecoveryFacts {
  return {
    claimId: 'claim-1',
    policyId: 'player-one',
    timeZone: 'UTC',
    soldOn: '2025-06-01',
    currency: 'USD',
    channel: 'dealer',
    brand: 'own',
    category: 'camera',
    decision: {
      policy: 'player-one@1',
      covered: true,
      basis: 'warranty',
      handler: 'dealer',
      payers: {
        parts: 'dealer',
        labour: 'dealer',
        'inbound-shipping': 'customer',
        'return-shipping': 'dealer',
        'missing-items': null,
        duties: null,
      },
    },
    orgs: { dealer: 'org-starlight-optics', seller: 'org-player-one', brand: 'org-player-one' },
    costs: [
      {
        id: 'cost-1',
        kind: 'parts',
        description: 'Cooler',
        quantity: 2,
        unitPriceMinor: 5000,
        payer: 'dealer',
        currency: 'USD',
        at: '2026-01-10T10:00:00.000Z',
      },
    ],
    work: [{ type: 'repair', at: '2026-01-10T10:00:00.000Z', eventSeq: 9 }],
    ...overrides,
  }
}

describe('recovery derivation', () => {
  test('a line’s work day and deadline are days in the zone of the claim’s policy, not the UTC day of the work', () => {
    fc.assert(
      fc.property(instantNearLocalMidnight, ({ timeZone, at, localDay }) => {
        const when = at.toISOString()
        const base = dealerRepair()
        const facts = dealerRepair({
          timeZone,
          costs: base.costs.map((c) => ({ ...c, at: when })),
          work: base.work.map((w) => ({ ...w, at: when })),
        })
        const lines = deriveRecovery(facts, TERMS).recoveries.flatMap((r) => r.lines)
        assert.ok(lines.length > 0)
        for (const line of lines) {
          assert.equal(line.workOn, localDay, `${when} in ${timeZone}`)
          // The player-one-dealer terms give 60 days from the work to submit.
          assert.equal(line.deadline, addDays(localDay, 60), `${when} in ${timeZone}`)
        }
      }),
      { numRuns: 200 },
    )
  })

  test('player-one-dealer#parts-at-cost and #standard-labour: parts as recorded, labour at the standard time', () => {
    const { recoveries, reasons } = deriveRecovery(dealerRepair(), TERMS)
    assert.deepEqual(reasons, [])
    assert.equal(recoveries.length, 1)
    const [recovery] = recoveries
    assert.equal(recovery?.creditorOrgId, 'org-starlight-optics')
    assert.equal(recovery?.debtorOrgId, 'org-player-one')
    assert.deepEqual(
      recovery?.lines.map((l) => [l.clause, l.amountMinor, l.deadline]),
      [
        ['player-one-dealer#parts-at-cost', 10000, '2026-03-11'],
        ['player-one-dealer#standard-labour', 6000, '2026-03-11'],
      ],
    )
  })

  test('a cost typed without a description is named by its kind in each reader’s language', () => {
    const untold = dealerRepair()
    const [cost] = untold.costs
    assert.ok(cost)
    const { recoveries } = deriveRecovery({ ...untold, costs: [{ ...cost, description: '' }] }, TERMS)
    const parts = recoveries[0]?.lines.find((l) => l.descriptionKey === 'recovery.line.parts')
    assert.ok(parts)
    assert.equal(parts.description, 'parts × 2 at cost')
    const message = { key: parts.descriptionKey, params: parts.descriptionParams }
    assert.equal(render('zh', message), '配件 × 2，按成本价')
    assert.equal(render('en', message), 'parts × 2 at cost')
  })

  test('player-one-dealer#paid-work: a repair outside the warranty yields none, with the clause', () => {
    const facts = dealerRepair()
    const decision = facts.decision
    assert.ok(decision)
    const { recoveries, reasons } = deriveRecovery(
      { ...facts, decision: { ...decision, covered: false } },
      TERMS,
    )
    assert.deepEqual(recoveries, [])
    assert.equal(reasons[0]?.clause, 'player-one-dealer#paid-work')
  })

  test('a direct sale served by the brand itself has nobody to recover from', () => {
    const facts = dealerRepair({ channel: 'direct' })
    const { recoveries, reasons } = deriveRecovery(facts, TERMS)
    assert.deepEqual(recoveries, [])
    assert.equal(reasons[0]?.code, 'no-terms')
  })

  test('the per-claim cap cuts the lines in order and records what they would have been', () => {
    const costs: CostRecord[] = [
      {
        id: 'big',
        kind: 'parts',
        description: 'Sensor',
        quantity: 1,
        unitPriceMinor: 58000,
        payer: 'dealer',
        currency: 'USD',
        at: '2026-01-10T10:00:00.000Z',
      },
    ]
    const [recovery] = deriveRecovery(dealerRepair({ costs }), TERMS).recoveries
    assert.deepEqual(
      recovery?.lines.map((l) => [l.amountMinor, l.cappedFromMinor, l.capReasonCode]),
      [
        [58000, undefined, undefined],
        [2000, 6000, 'per-claim-cap'],
      ],
    )
  })

  const returnFreight = (unitPriceMinor: number): CostRecord => ({
    id: `freight-${unitPriceMinor}`,
    kind: 'return-shipping',
    description: 'Courier back to the customer',
    quantity: 1,
    unitPriceMinor,
    payer: 'dealer',
    currency: 'USD',
    at: '2026-01-10T10:00:00.000Z',
  })
  const sensor = (unitPriceMinor: number): CostRecord => ({
    id: `sensor-${unitPriceMinor}`,
    kind: 'parts',
    description: 'Sensor',
    quantity: 1,
    unitPriceMinor,
    payer: 'dealer',
    currency: 'USD',
    at: '2026-01-10T10:00:00.000Z',
  })
  const cuts = (costs: CostRecord[]) =>
    deriveRecovery(dealerRepair({ costs }), TERMS).recoveries[0]?.lines.map((l) => [
      l.clause,
      l.cappedFromMinor ?? null,
      l.amountMinor,
      l.capReasonCode ?? null,
    ])

  test('player-one-dealer#return-freight: a line the per-claim cap takes to nothing stays, with its reason and what it was', () => {
    // 580.00 of parts and 60.00 of labour reach the 600.00 a claim may yield before the courier.
    assert.deepEqual(cuts([sensor(58000), returnFreight(1500)]), [
      ['player-one-dealer#parts-at-cost', null, 58000, null],
      ['player-one-dealer#standard-labour', 6000, 2000, 'per-claim-cap'],
      ['player-one-dealer#return-freight', 1500, 0, 'per-claim-cap'],
    ])
  })

  test('player-one-dealer#return-freight: the clause cap cuts with its own reason; the per-claim cap names itself where it cuts deeper', () => {
    assert.deepEqual(cuts([sensor(10000), returnFreight(4500)]), [
      ['player-one-dealer#parts-at-cost', null, 10000, null],
      ['player-one-dealer#standard-labour', null, 6000, null],
      ['player-one-dealer#return-freight', 4500, 3000, 'clause-cap'],
    ])
    assert.deepEqual(cuts([sensor(53000), returnFreight(4500)]), [
      ['player-one-dealer#parts-at-cost', null, 53000, null],
      ['player-one-dealer#standard-labour', null, 6000, null],
      ['player-one-dealer#return-freight', 4500, 1000, 'per-claim-cap'],
    ])
    // A courier of nothing is no line, with or without a cap left.
    assert.deepEqual(cuts([sensor(58000), returnFreight(0)]), [
      ['player-one-dealer#parts-at-cost', null, 58000, null],
      ['player-one-dealer#standard-labour', 6000, 2000, 'per-claim-cap'],
    ])
  })

  test('ist-distributor#distributor-promises: a cost the decision gave the customer is the distributor’s own', () => {
    const facts: RecoveryFacts = {
      ...dealerRepair(),
      policyId: 'ist',
      currency: 'CNY',
      category: 'mini-pc',
      decision: {
        policy: 'ist@1',
        covered: false,
        basis: 'none',
        handler: 'dealer',
        payers: {
          parts: 'customer',
          labour: 'customer',
          'inbound-shipping': 'customer',
          'return-shipping': 'dealer',
          'missing-items': null,
          duties: null,
        },
      },
      orgs: { dealer: 'org-prairie-sky-telescopes', seller: 'org-beijing-ist', brand: 'org-beijing-ist' },
      costs: [
        {
          id: 'labour-1',
          kind: 'labour',
          description: 'Free labour',
          quantity: 1,
          unitPriceMinor: 8000,
          payer: 'dealer',
          currency: 'CNY',
          at: '2026-01-10T10:00:00.000Z',
        },
      ],
    }
    const { recoveries, reasons } = deriveRecovery(facts, TERMS)
    assert.deepEqual(recoveries, [])
    assert.deepEqual(
      reasons.map((r) => [r.code, r.clause]),
      [['own-commitment', 'ist-distributor#distributor-promises']],
    )
  })

  // ---- found by derive-recovery.property.test.ts ------------------------------------

  test('player-one-dealer#return-freight: the clause cap bounds the clause for the claim, not each courier', () => {
    // Two parcels back to the customer, 20.00 each: the terms refund return freight up to 30.00.
    const second = { ...returnFreight(2000), id: 'freight-2000-b', at: '2026-01-11T10:00:00.000Z' }
    assert.deepEqual(cuts([sensor(10000), returnFreight(2000), second]), [
      ['player-one-dealer#parts-at-cost', null, 10000, null],
      ['player-one-dealer#standard-labour', null, 6000, null],
      ['player-one-dealer#return-freight', null, 2000, null],
      ['player-one-dealer#return-freight', 2000, 1000, 'clause-cap'],
    ])
  })

  test('the per-claim cap cuts in the order the costs were recorded, whatever order they are handed in', () => {
    const early = { ...sensor(40000), id: 'z-early', at: '2026-01-09T10:00:00.000Z' }
    const late = { ...sensor(30000), id: 'a-late', at: '2026-01-10T10:00:00.000Z' }
    const expected = [
      ['player-one-dealer#parts-at-cost', null, 40000, null],
      ['player-one-dealer#parts-at-cost', 30000, 20000, 'per-claim-cap'],
      ['player-one-dealer#standard-labour', 6000, 0, 'per-claim-cap'],
    ]
    assert.deepEqual(cuts([early, late]), expected)
    assert.deepEqual(cuts([late, early]), expected)
  })

  test('costs of one instant are cut in the order of the events that recorded them, then as they were given, never by their ids', () => {
    const at = '2026-01-10T10:00:00.000Z'
    const expected = [
      ['player-one-dealer#parts-at-cost', null, 40000, null],
      ['player-one-dealer#parts-at-cost', 30000, 20000, 'per-claim-cap'],
      ['player-one-dealer#standard-labour', 6000, 0, 'per-claim-cap'],
    ]
    // Two quotes sent in one instant: the one sent first on the chain is cut last.
    const first = { ...sensor(40000), id: 'z-first', at, seq: 4 }
    const second = { ...sensor(30000), id: 'a-second', at, seq: 12 }
    assert.deepEqual(cuts([first, second]), expected)
    assert.deepEqual(cuts([second, first]), expected)
    // The lines of one quote: in the order they were written.
    const line0 = { ...sensor(40000), id: 'z-line', at, seq: 4, position: 0 }
    const line1 = { ...sensor(30000), id: 'a-line', at, seq: 4, position: 1 }
    assert.deepEqual(cuts([line1, line0]), expected)
  })

  test('a cost recorded at the instant of a decision is judged by the decision before it on the chain', () => {
    const dealerDecision = dealerRepair().decision
    assert.ok(dealerDecision)
    const sellerDecision = {
      ...dealerDecision,
      handler: 'vendor' as const,
      payers: { ...dealerDecision.payers, 'return-shipping': 'vendor' as const },
    }
    const at = '2026-01-10T10:00:00.000Z'
    const courier = (seq: number) => ({ ...returnFreight(1800), payer: 'vendor' as const, at, seq })
    const owed = (seq: number) =>
      deriveRecovery(
        dealerRepair({
          orgs: { dealer: 'org-starlight-optics', seller: 'org-shop', brand: 'org-player-one' },
          decisionChanges: [
            { at: '2026-01-09T10:00:00.000Z', seq: 2, decision: sellerDecision },
            { at, seq: 7, decision: dealerDecision },
          ],
          costs: [courier(seq)],
          work: [],
        }),
        [
          contractTerms('maker-legs', 'Legs to and from the maker', [
            { key: 'legs', kind: 'freight', text: 'The legs', legs: ['return'] },
          ]),
        ],
      ).recoveries.map((r) => [r.creditorOrgId, r.lines.map((l) => [l.leg, l.amountMinor, l.decision.payer])])
    // Booked by the seller before the decision that gave the dealer the claim: the seller's.
    assert.deepEqual(owed(5), [['org-shop', [['return', 1800, 'vendor']]]])
    // Booked after it, by the seller, who no longer bore the courier: nobody's to ask for.
    assert.deepEqual(owed(9), [])
  })

  test('the work a line rests on is ordered by event number, not by the order the caller lists it', () => {
    const facts = dealerRepair({
      work: [
        { type: 'repair', at: '2026-02-20T10:00:00.000Z', eventSeq: 30 },
        { type: 'repair', at: '2026-01-10T10:00:00.000Z', eventSeq: 9 },
      ],
    })
    const lines = deriveRecovery(facts, TERMS).recoveries[0]?.lines ?? []
    assert.deepEqual(
      lines.map((l) => [l.lineKey.split(':').slice(3).join(':'), l.workOn, l.evidence.eventSeqs]),
      [
        ['cost-1@org-starlight-optics', '2026-01-10', [9]],
        ['standard-time@org-starlight-optics', '2026-01-10', [9]],
        ['standard-time:30@org-starlight-optics', '2026-02-20', [30]],
      ],
    )
  })

  test('a claim repaired twice owes each repair’s labour to the dealer that did it, once, the first under the key it always had', () => {
    const moved = { at: '2026-01-20T10:00:00.000Z', from: 'org-starlight-optics', to: 'org-second-dealer' }
    const firstRepair = { type: 'repair' as const, at: '2026-01-10T10:00:00.000Z', eventSeq: 9 }
    // The repair failed; the claim was reopened under the dealer it had moved to, which
    // repaired the unit again.
    const secondRepair = { type: 'repair' as const, at: '2026-02-02T10:00:00.000Z', eventSeq: 21 }
    const before = dealerRepair({ costs: [], work: [firstRepair] })
    const filed = filedLinesOf(deriveRecovery(before, TERMS).recoveries)
    assert.deepEqual(
      filed.map((l) => l.lineKey),
      ['claim-1:player-one-dealer:standard-labour:standard-time@org-starlight-optics'],
    )
    const after = dealerRepair({
      costs: [],
      orgs: { dealer: 'org-second-dealer', seller: 'org-player-one', brand: 'org-player-one' },
      dealerChanges: [moved],
      work: [firstRepair, secondRepair],
    })
    for (const given of [[], filed]) {
      const owed = deriveRecovery(after, TERMS, given).recoveries.map((r) => [
        r.creditorOrgId,
        r.lines.map((l) => [l.lineKey, l.amountMinor, l.workOn, l.evidence.eventSeqs]),
      ])
      assert.deepEqual(owed, [
        ['org-starlight-optics', [[filed[0]?.lineKey, 6000, '2026-01-10', [9]]]],
        [
          'org-second-dealer',
          [
            [
              'claim-1:player-one-dealer:standard-labour:standard-time:21@org-second-dealer',
              6000,
              '2026-02-02',
              [21],
            ],
          ],
        ],
      ])
    }
  })

  test('a replacement after one that failed too owes the share of each unit, each named by its event', () => {
    const terms = contractTerms('exchanges', 'Exchanges', [
      { key: 'unit', kind: 'replacement-share', text: 'The unit', percent: 100, unitCostMinor: 45000 },
      { key: 'refund', kind: 'refund-share', text: 'The refund', percent: 50 },
    ])
    const facts = dealerRepair({
      costs: [],
      work: [
        { type: 'replacement', at: '2026-01-10T10:00:00.000Z', eventSeq: 9 },
        { type: 'replacement', at: '2026-02-10T10:00:00.000Z', eventSeq: 15 },
        { type: 'refund', at: '2026-03-10T10:00:00.000Z', eventSeq: 22, amountMinor: 30000 },
        { type: 'refund', at: '2026-03-11T10:00:00.000Z', eventSeq: 23, amountMinor: 1000 },
      ],
    })
    const lines = deriveRecovery(facts, [terms]).recoveries.flatMap((r) => r.lines)
    assert.deepEqual(
      lines.map((l) => [l.lineKey.split(':').slice(2).join(':'), l.amountMinor]),
      [
        ['unit:9@org-starlight-optics', 45000],
        ['unit:15@org-starlight-optics', 45000],
        ['refund:22@org-starlight-optics', 15000],
        ['refund:23@org-starlight-optics', 500],
      ],
    )
  })

  test('lines filed by an earlier derivation keep their amounts, and a later cost gets only what the cap left', () => {
    // First derivation: 580.00 of parts and 60.00 of labour cut to 20.00 reach the 600.00.
    const first = filedLinesOf(deriveRecovery(dealerRepair({ costs: [sensor(58000)] }), TERMS).recoveries)
    assert.equal(
      first.reduce((sum, l) => sum + l.amountMinor, 0),
      60000,
    )
    // The unit is repaired again (back from the maker) and a 10.00 part is recorded: it sorts
    // before the labour already filed, which stays at 20.00, so the new part gets nothing.
    const part = { ...sensor(1000), id: 'second-repair-part', at: '2026-02-01T10:00:00.000Z' }
    const later = deriveRecovery(dealerRepair({ costs: [sensor(58000), part] }), TERMS, first)
    const lines = later.recoveries[0]?.lines ?? []
    assert.deepEqual(
      lines.map((l) => [
        l.lineKey.split(':').slice(3).join(':'),
        l.amountMinor,
        l.cappedFromMinor ?? null,
        l.capReasonCode ?? null,
      ]),
      [
        ['sensor-58000@org-starlight-optics', 58000, null, null],
        ['second-repair-part@org-starlight-optics', 0, 1000, 'per-claim-cap'],
        ['standard-time@org-starlight-optics', 2000, 6000, 'per-claim-cap'],
      ],
    )
    assert.equal(
      lines.reduce((sum, l) => sum + l.amountMinor, 0),
      60000,
    )
  })

  test('a dealer is owed what it bore and did while the claim was its, not the dealer the claim moved to after', () => {
    const moved = {
      at: '2026-01-20T10:00:00.000Z',
      from: 'org-starlight-optics',
      to: 'org-second-dealer',
    }
    // The first dealer repaired the unit and bore the cooler; the claim moved to another dealer,
    // which then paid the courier home. Both are "the dealer" the decision names.
    const courier = { ...returnFreight(1500), at: '2026-01-25T10:00:00.000Z' }
    const facts = dealerRepair({
      orgs: { dealer: 'org-second-dealer', seller: 'org-player-one', brand: 'org-player-one' },
      dealerChanges: [moved],
      costs: [...dealerRepair().costs, courier],
    })
    const owed = deriveRecovery(facts, TERMS).recoveries.map((r) => [
      r.creditorOrgId,
      r.lines.map((l) => [l.clause, l.amountMinor]),
    ])
    assert.deepEqual(owed, [
      [
        'org-starlight-optics',
        [
          ['player-one-dealer#parts-at-cost', 10000],
          ['player-one-dealer#standard-labour', 6000],
        ],
      ],
      ['org-second-dealer', [['player-one-dealer#return-freight', 1500]]],
    ])
    // Moved to the seller's own sale: the dealer before is still owed its repair.
    const ownSale = dealerRepair({
      orgs: { dealer: null, seller: 'org-player-one', brand: 'org-player-one' },
      dealerChanges: [{ ...moved, to: null }],
    })
    assert.deepEqual(
      deriveRecovery(ownSale, TERMS).recoveries.map((r) => [r.creditorOrgId, r.lines.length]),
      [['org-starlight-optics', 2]],
    )
  })

  test('the sale is read as it stood when the work was done: a dealer sale moved to the seller’s own after the repair still owes the dealer its repair', () => {
    // What the registry says now: the seller's own sale. What the claim's chain says: the
    // dealer's until after the repair.
    const moved = { at: '2026-01-20T10:00:00.000Z', seq: 30, from: 'org-starlight-optics', to: null }
    const ownSaleNow = dealerRepair({
      channel: 'direct',
      orgs: { dealer: null, seller: 'org-player-one', brand: 'org-player-one' },
      dealerChanges: [moved],
    })
    assert.deepEqual(
      deriveRecovery(ownSaleNow, TERMS).recoveries.map((r) => [
        r.creditorOrgId,
        r.lines.map((l) => [l.clause, l.amountMinor]),
      ]),
      [
        [
          'org-starlight-optics',
          [
            ['player-one-dealer#parts-at-cost', 10000],
            ['player-one-dealer#standard-labour', 6000],
          ],
        ],
      ],
    )
    // Work done once the sale was the seller's own is not paid by terms for dealer sales.
    const after = dealerRepair({
      ...ownSaleNow,
      costs: ownSaleNow.costs.map((c) => ({ ...c, at: '2026-01-21T10:00:00.000Z' })),
      work: [{ type: 'repair', at: '2026-01-21T10:00:00.000Z', eventSeq: 31 }],
    })
    assert.deepEqual(
      deriveRecovery(after, TERMS).recoveries.flatMap((r) => r.lines),
      [],
    )
    // With no move on the claim's chain, the sale now is the sale it had throughout.
    assert.deepEqual(deriveRecovery(dealerRepair({ channel: 'direct' }), TERMS).recoveries, [])
  })

  test('a cost filed for one creditor is not asked again for another whose id holds an @', () => {
    const first = filedLinesOf(deriveRecovery(dealerRepair(), TERMS).recoveries)
    assert.ok(first.length > 0)
    // Decided again with the claim's new dealer, an organisation imported as `repairs@north`.
    const later = deriveRecovery(
      dealerRepair({ orgs: { dealer: 'repairs@north', seller: 'org-player-one', brand: 'org-player-one' } }),
      TERMS,
      first,
    )
    const lines = later.recoveries.flatMap((r) => r.lines)
    assert.deepEqual(
      lines.map((l) => [l.clause, l.amountMinor, l.capReasonCode]),
      first.map((l) => [l.clause, 0, 'filed-for-another-creditor']),
    )
  })

  /** Terms with a flat rate for the return leg, as an installation might write them. */
  const flatReturnTerms = (): RecoveryTerms =>
    contractTerms('flat-return', 'Flat return freight', [
      { key: 'return-leg', kind: 'freight', text: 'The return courier', legs: ['return'], flatMinor: 1500 },
    ])
  const shippedBack = (payer: RecoveryFacts['costs'][number]['payer'] | null, costs: CostRecord[] = []) => {
    const facts = dealerRepair({
      costs,
      work: [{ type: 'return-shipped', at: '2026-01-12T10:00:00.000Z', eventSeq: 12 }],
    })
    assert.ok(facts.decision)
    return deriveRecovery(
      {
        ...facts,
        decision: { ...facts.decision, payers: { ...facts.decision.payers, 'return-shipping': payer } },
      },
      [flatReturnTerms()],
    )
  }

  test('a flat rate prices a return leg the decision gave the creditor, never one it gave the customer or nobody', () => {
    const paid = shippedBack('dealer').recoveries[0]?.lines
    assert.deepEqual(
      paid?.map((l) => [l.lineKey, l.amountMinor, l.decision.payer]),
      [['claim-1:flat-return:return-leg:return@org-starlight-optics', 1500, 'dealer']],
    )
    for (const payer of ['customer', null] as const) {
      const { recoveries, reasons } = shippedBack(payer)
      assert.deepEqual(recoveries, [], `return-shipping paid by ${payer}`)
      assert.deepEqual(
        reasons.map((r) => r.code),
        ['nothing-borne'],
      )
    }
  })

  test('a flat rate does not stand in for a courier the creditor recorded and that was refused for its currency', () => {
    const courier = { ...returnFreight(1200), currency: 'CNY' }
    const { recoveries, reasons } = shippedBack('dealer', [courier])
    assert.deepEqual(recoveries, [])
    assert.deepEqual(
      reasons.map((r) => [r.code, r.clause]),
      [['currency-mismatch', 'flat-return#return-leg']],
    )
  })

  test('each dealer the claim had is owed the flat rate of its own legs; a courier home booked by a dealer that did not ship the unit home is not', () => {
    const terms = recoveryTermsSchema.parse({
      ...flatReturnTerms(),
      costs: [
        {
          key: 'legs',
          kind: 'freight',
          text: 'The couriers',
          legs: ['return', 'forward'],
          flatMinor: 1500,
        },
      ],
    })
    // The first dealer sent the unit to the maker and recorded a courier home; the claim moved
    // to another dealer, which sent it to the maker again and then home, recording no courier:
    // the unit went home once, with the second dealer, and only that leg is owed.
    const courier = { ...returnFreight(1200), at: '2026-01-11T10:00:00.000Z' }
    const firstDealerWork = [{ type: 'forward' as const, at: '2026-01-11T09:00:00.000Z', eventSeq: 5 }]
    const secondDealerWork = [
      { type: 'forward' as const, at: '2026-01-16T10:00:00.000Z', eventSeq: 8 },
      { type: 'return-shipped' as const, at: '2026-01-18T10:00:00.000Z', eventSeq: 9 },
    ]
    const before = dealerRepair({ costs: [courier], work: firstDealerWork })
    const filed = filedLinesOf(deriveRecovery(before, [terms]).recoveries)
    const moved = dealerRepair({
      orgs: { dealer: 'org-second-dealer', seller: 'org-player-one', brand: 'org-player-one' },
      dealerChanges: [
        { at: '2026-01-15T10:00:00.000Z', from: 'org-starlight-optics', to: 'org-second-dealer' },
      ],
      costs: [courier],
      work: [...firstDealerWork, ...secondDealerWork],
    })
    const owed = deriveRecovery(moved, [terms], filed).recoveries.map((r) => [
      r.creditorOrgId,
      r.lines.map((l) => [l.leg, l.amountMinor, l.evidence]).sort(),
    ])
    assert.deepEqual(owed, [
      [
        'org-second-dealer',
        [
          ['forward', 1500, { costLineIds: [], eventSeqs: [8] }],
          ['return', 1500, { costLineIds: [], eventSeqs: [9] }],
        ],
      ],
      ['org-starlight-optics', [['forward', 1500, { costLineIds: [], eventSeqs: [5] }]]],
    ])
  })

  test('what the seller did while the decision in force named it is owed to the seller, though a dealer handles the claim now', () => {
    const terms = contractTerms('maker-legs', 'Legs to and from the maker', [
      {
        key: 'legs',
        kind: 'freight',
        text: 'The legs',
        legs: ['forward', 'back', 'return'],
        flatMinor: 2500,
      },
    ])
    const dealerDecision = dealerRepair().decision
    assert.ok(dealerDecision)
    // Until the dealer the buyer named confirmed the sale, the claim read as the seller's own
    // sale and was decided so: the seller handled it and bore its freight.
    const sellerDecision = {
      ...dealerDecision,
      handler: 'vendor' as const,
      payers: {
        ...dealerDecision.payers,
        parts: 'vendor' as const,
        labour: 'vendor' as const,
        'return-shipping': 'vendor' as const,
      },
    }
    const courier = { ...returnFreight(1800), payer: 'vendor' as const, at: '2026-01-11T10:00:00.000Z' }
    const facts = dealerRepair({
      orgs: { dealer: 'org-starlight-optics', seller: 'org-shop', brand: 'org-player-one' },
      dealerChanges: [{ at: '2026-01-15T10:00:00.000Z', from: null, to: 'org-starlight-optics' }],
      decisionChanges: [
        { at: '2026-01-09T10:00:00.000Z', decision: sellerDecision },
        { at: '2026-01-16T10:00:00.000Z', decision: dealerDecision },
      ],
      costs: [courier],
      work: [
        { type: 'forward', at: '2026-01-10T10:00:00.000Z', eventSeq: 5 },
        { type: 'back', at: '2026-01-20T10:00:00.000Z', eventSeq: 8 },
      ],
    })
    const owed = deriveRecovery(facts, [terms]).recoveries.map((r) => [
      r.creditorOrgId,
      r.lines.map((l) => [l.leg, l.amountMinor, l.decision.payer]),
    ])
    assert.deepEqual(owed, [
      [
        'org-shop',
        [
          ['forward', 2500, null],
          ['return', 1800, 'vendor'],
        ],
      ],
      ['org-starlight-optics', [['back', 2500, null]]],
    ])
    // Terms for the dealer's service pay the dealer's work only, not what the seller did before.
    const dealerOnly = recoveryTermsSchema.parse({
      ...terms,
      appliesTo: { policies: ['player-one'], handlers: ['dealer'] },
    })
    assert.deepEqual(
      deriveRecovery(facts, [dealerOnly]).recoveries.map((r) => [r.creditorOrgId, r.lines.map((l) => l.leg)]),
      [['org-starlight-optics', ['back']]],
    )
  })

  test('one return leg per shipment home: the dealer that shipped the unit is owed it, not the one that booked a courier before the claim moved', () => {
    const moved = { at: '2026-01-15T10:00:00.000Z', from: 'org-starlight-optics', to: 'org-second-dealer' }
    const booked = { ...returnFreight(1200), at: '2026-01-11T10:00:00.000Z' }
    const facts = (work: RecoveryFacts['work']) =>
      dealerRepair({
        orgs: { dealer: 'org-second-dealer', seller: 'org-player-one', brand: 'org-player-one' },
        dealerChanges: [moved],
        costs: [booked],
        work,
      })
    const legs = (work: RecoveryFacts['work']) => {
      const derived = deriveRecovery(facts(work), [flatReturnTerms()])
      return {
        owed: derived.recoveries.map((r) => [
          r.creditorOrgId,
          r.lines.map((l) => [l.amountMinor, l.evidence]),
        ]),
        reasons: derived.reasons.map((r) => [r.code, r.message]),
      }
    }
    // Not shipped home yet: the courier the first dealer booked stands for the shipment to come.
    assert.deepEqual(legs([]).owed, [
      ['org-starlight-optics', [[1200, { costLineIds: [booked.id], eventSeqs: [] }]]],
    ])
    // The second dealer shipped it home: its leg counts, once; the booked courier paid for none.
    const shipped = legs([{ type: 'return-shipped', at: '2026-01-18T10:00:00.000Z', eventSeq: 9 }])
    assert.deepEqual(shipped.owed, [['org-second-dealer', [[1500, { costLineIds: [], eventSeqs: [9] }]]]])
    assert.deepEqual(shipped.reasons, [
      [
        'shipped-by-another',
        'Courier back to the customer paid for no shipment home: the unit was shipped home by another party, whose return leg counts',
      ],
    ])
    // The first dealer shipped it home before the claim moved: its courier is that leg.
    const shippedFirst = legs([{ type: 'return-shipped', at: '2026-01-12T10:00:00.000Z', eventSeq: 7 }])
    assert.deepEqual(shippedFirst.owed, [
      ['org-starlight-optics', [[1200, { costLineIds: [booked.id], eventSeqs: [] }]]],
    ])
  })

  test('terms are chosen by the sale date: none in force, none applied', () => {
    const { reasons } = deriveRecovery(dealerRepair({ soldOn: '2019-12-31' }), TERMS)
    assert.equal(reasons[0]?.code, 'no-terms')
  })

  const costArbitrary = fc.record({
    id: fc.uuid(),
    kind: fc.constantFrom(
      'parts',
      'labour',
      'inbound-shipping',
      'return-shipping',
      'missing-items',
      'duties',
    ),
    description: fc.string({ maxLength: 20 }),
    quantity: fc.integer({ min: 1, max: 20 }),
    unitPriceMinor: fc.integer({ min: 0, max: 200_000 }),
    payer: fc.constantFrom('vendor', 'dealer', 'manufacturer', 'customer'),
    currency: fc.constantFrom('USD', 'CNY'),
    at: fc.constant('2026-01-10T10:00:00.000Z'),
  }) as fc.Arbitrary<CostRecord>

  test('property: same facts, same lines and keys; keys unique; amounts within the cap, and a line cut by a cap says which and from what', () => {
    fc.assert(
      fc.property(fc.array(costArbitrary, { maxLength: 12 }), fc.boolean(), (costs, covered) => {
        const base = dealerRepair({ costs })
        const decision = base.decision
        assert.ok(decision)
        const facts = { ...base, decision: { ...decision, covered } }
        const first = deriveRecovery(facts, TERMS)
        assert.deepEqual(deriveRecovery(facts, TERMS), first)
        const lines = first.recoveries.flatMap((r) => r.lines)
        assert.equal(new Set(lines.map((l) => l.lineKey)).size, lines.length)
        for (const line of lines) {
          assert.equal(line.cappedFromMinor !== undefined, line.capReasonCode !== undefined)
          if (line.cappedFromMinor === undefined) assert.ok(line.amountMinor > 0)
          else assert.ok(line.amountMinor >= 0 && line.amountMinor < line.cappedFromMinor)
        }
        const total = lines.reduce((sum, l) => sum + l.amountMinor, 0)
        assert.ok(total <= 60000, `per-claim cap: ${total}`)
        if (!covered) assert.equal(lines.length, 0)
        // A cost the decision gave someone else never becomes a line.
        for (const line of lines)
          for (const id of line.evidence.costLineIds) {
            const cost = costs.find((c) => c.id === id)
            assert.equal(cost?.payer, 'dealer')
          }
      }),
      { numRuns: 200 },
    )
  })
})

describe('recovery terms format', () => {
  const valid = {
    kind: 'recovery-terms',
    id: 'sample',
    version: '1',
    title: 'Sample',
    source: 'A contract',
    effectiveFrom: '2024-01-01',
    effectiveTo: null,
    debtor: 'brand',
    creditor: 'handler',
    currency: 'USD',
    appliesTo: { policies: ['player-one'] },
    submitWithinDays: 30,
    returnPart: false,
    costs: [{ key: 'fwd', kind: 'freight', text: 'Freight', legs: ['forward'], flatMinor: 100 }],
  }

  test('a terms file nesting collections past a hundred deep is refused before the YAML reader recurses into it', () => {
    // Fifty thousand brackets in one process ran the reader out of stack and aborted it.
    for (const depth of [101, 50_000]) {
      const started = performance.now()
      const parsed = parseRecoveryTermsFile(`kind: recovery-terms\nid: ${'['.repeat(depth)}x\n`, 'deep.yaml')
      assert.ok(!parsed.ok)
      assert.deepEqual(
        parsed.errors.map(({ file, field, message }) => ({ file, field, message })),
        [{ file: 'deep.yaml', field: '(yaml)', message: 'nests collections more than 100 deep' }],
      )
      assert.ok(performance.now() - started < 2000)
    }
    // A hundred deep is read: refused for what it says, not for its depth.
    const hundred = parseRecoveryTermsFile(`kind: recovery-terms\nid: ${'['.repeat(100)}x\n`, 'deep.yaml')
    assert.ok(!hundred.ok && hundred.errors.every((e) => !e.message.includes('nests collections')))
  })

  test('the shipped terms load and each names its source', () => {
    assert.ok(TERMS.length >= 5)
    for (const terms of TERMS) assert.ok(terms.source.length > 0)
  })

  for (const [name, change, field] of [
    [
      'a forward leg needs a flat amount',
      { costs: [{ key: 'fwd', kind: 'freight', text: 'x', legs: ['forward'] }] },
      'costs.0.flatMinor',
    ],
    ['an end before the start', { effectiveTo: '2023-01-01' }, 'effectiveTo'],
    ['an unknown creditor', { creditor: 'customer' }, 'creditor'],
    [
      'a second clause paying the same cost',
      {
        costs: [
          { key: 'a', kind: 'replacement-share', text: 'x', percent: 100, unitCostMinor: 100 },
          { key: 'b', kind: 'replacement-share', text: 'y', percent: 50, unitCostMinor: 100 },
        ],
      },
      'costs.1.kind',
    ],
    [
      'a leg named twice in one clause',
      { costs: [{ key: 'a', kind: 'freight', text: 'x', legs: ['forward', 'forward'], flatMinor: 1 }] },
      'costs.0.legs.1',
    ],
    [
      'a leg paid by two clauses',
      {
        costs: [
          { key: 'a', kind: 'freight', text: 'x', legs: ['inbound', 'return'], capMinor: 100 },
          { key: 'b', kind: 'freight', text: 'y', legs: ['return'], flatMinor: 1 },
        ],
      },
      'costs.1.legs.0',
    ],
    [
      'duplicate clause keys',
      {
        costs: [
          { key: 'a', kind: 'freight', text: 'x', legs: ['forward'], flatMinor: 1 },
          { key: 'a', kind: 'freight', text: 'y', legs: ['back'], flatMinor: 1 },
        ],
      },
      'costs.1.key',
    ],
  ] as const) {
    test(`refuses ${name}, naming ${field}`, () => {
      const result = recoveryTermsSchema.safeParse({ ...valid, ...change })
      assert.equal(result.success, false)
      assert.ok(
        result.error?.issues.some((i) => i.path.join('.') === field),
        JSON.stringify(result.error?.issues),
      )
    })
  }

  test('accepts the sample', () => {
    assert.equal(recoveryTermsSchema.safeParse(valid).success, true)
  })

  test('two terms documents that can both pay one cost of a claim are refused at load, naming both', () => {
    assert.deepEqual(findDoublePayers(TERMS), [])
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recovery-terms-'))
    try {
      // A second agreement for Player One dealer repairs that also pays the parts.
      fs.writeFileSync(
        path.join(dir, 'player-one-parts-too.v1.yaml'),
        [
          'kind: recovery-terms',
          'id: player-one-parts-too',
          'version: "1"',
          'title: Parts again',
          'source: A side letter',
          'effectiveFrom: 2025-01-01',
          'effectiveTo: null',
          'debtor: { org: org-some-distributor }',
          'creditor: handler',
          'currency: USD',
          'appliesTo: { policies: [player-one], channels: [dealer] }',
          'submitWithinDays: 30',
          'returnPart: false',
          'costs:',
          '  - { key: parts, kind: parts, text: the parts, price: cost }',
          '',
        ].join('\n'),
      )
      assert.throws(
        () => loadRecoveryTerms([SHIPPED_RECOVERY_TERMS_DIR, dir]),
        (e: Error) =>
          /player-one-dealer@1 and player-one-parts-too@1 can apply to the same claim and both pay parts/.test(
            JSON.stringify(e),
          ),
      )
      // Confined to claims the shipped terms do not serve, it loads.
      fs.writeFileSync(
        path.join(dir, 'player-one-parts-too.v1.yaml'),
        fs
          .readFileSync(path.join(dir, 'player-one-parts-too.v1.yaml'), 'utf8')
          .replace('channels: [dealer]', 'channels: [direct]'),
      )
      assert.equal(loadRecoveryTerms([SHIPPED_RECOVERY_TERMS_DIR, dir]).length, TERMS.length + 1)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
