import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { COSTS, type Decision, HANDLERS, PARTIES, REMEDIES } from '../../contracts/decision.ts'
import {
  addClaimToTally,
  type CostLineFacts,
  createSimulationTally,
  diffDecisions,
  shiftClaimCosts,
  summarizeTally,
} from './simulation-diff.ts'

/** A covered in-warranty repair under ToupTek's policy, vendor paying everything but the way in. */
function makeWarrantyRepairDecision(overrides: Partial<Decision> = {}): Decision {
  return {
    policy: 'touptek@2024-01',
    provisional: false,
    covered: true,
    basis: 'warranty',
    remedies: ['repair'],
    warranty: { starts: '2024-03-02', ends: '2026-03-01' },
    exclusions: [],
    missingEvidence: [],
    payers: {
      parts: 'vendor',
      labour: 'vendor',
      'inbound-shipping': 'customer',
      'return-shipping': 'vendor',
      'missing-items': 'customer',
      duties: 'customer',
    },
    handler: 'vendor',
    trace: [
      { clause: 'touptek#term', text: '2 years from the day after receipt', applies: true },
      { clause: 'touptek#liquid', text: 'liquid damage is not covered', applies: false },
    ],
    ...overrides,
  }
}

const clauseIds = ['p#term', 'p#doa', 'p#liquid', 'p#seal', 'p#expired', 'p#freight']
const payerArb = fc.constantFrom(...PARTIES, null)
const decisionArb: fc.Arbitrary<Decision> = fc.record({
  policy: fc.constantFrom('p@1', 'p@2'),
  provisional: fc.boolean(),
  covered: fc.boolean(),
  basis: fc.constantFrom('doa', 'early-failure', 'warranty', 'none' as const),
  remedies: fc.uniqueArray(fc.constantFrom(...REMEDIES), { maxLength: 3 }),
  warranty: fc.constant(null),
  exclusions: fc.uniqueArray(
    fc.record({
      code: fc.constantFrom('expired', 'liquid-damage', 'seal-broken'),
      clause: fc.constant('p#x'),
    }),
    { selector: (e) => e.code, maxLength: 3 },
  ),
  missingEvidence: fc.constant([]),
  payers: fc.record({
    parts: payerArb,
    labour: payerArb,
    'inbound-shipping': payerArb,
    'return-shipping': payerArb,
    'missing-items': payerArb,
    duties: payerArb,
  }),
  handler: fc.constantFrom(...HANDLERS),
  trace: fc.uniqueArray(
    fc.record({ clause: fc.constantFrom(...clauseIds), text: fc.string(), applies: fc.boolean() }),
    { selector: (l) => l.clause, minLength: 1, maxLength: clauseIds.length },
  ),
})
const costLinesArb: fc.Arbitrary<CostLineFacts[]> = fc.array(
  fc.record({
    kind: fc.constantFrom(...COSTS, 'other'),
    currency: fc.constantFrom('USD', 'CNY'),
    amount: fc.integer({ min: 0, max: 100_000 }),
    payer: fc.constantFrom(...PARTIES, null),
  }),
  { maxLength: 6 },
)

describe('diffDecisions', () => {
  test('a decision compared with itself under another version number changes nothing', () => {
    fc.assert(
      fc.property(decisionArb, (decision) => {
        const reworded = {
          ...decision,
          policy: 'p@draft',
          trace: decision.trace.map((l) => ({ ...l, text: `${l.text} (reworded)` })),
        }
        assert.equal(diffDecisions('c1', decision, reworded), null)
      }),
    )
  })

  test('simulating with an unchanged policy changes nothing in the summary', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(decisionArb, costLinesArb), { maxLength: 30 }), (claims) => {
        const tally = createSimulationTally()
        for (const [decision, lines] of claims) {
          const diff = diffDecisions('c', decision, { ...decision })
          addClaimToTally(tally, diff, shiftClaimCosts(lines, decision.payers, decision.payers))
        }
        const summary = summarizeTally(tally)
        assert.equal(summary.compared, claims.length)
        assert.equal(summary.changed, 0)
        assert.equal(summary.coverageGained + summary.coverageLost, 0)
        assert.deepEqual(summary.costShift, [])
        assert.deepEqual(summary.clauseChanges, {})
      }),
    )
  })

  test('swapping before and after mirrors every change', () => {
    fc.assert(
      fc.property(decisionArb, decisionArb, (a, b) => {
        const forth = diffDecisions('c', a, b)
        const back = diffDecisions('c', b, a)
        assert.equal(forth === null, back === null)
        if (!forth || !back) return
        assert.deepEqual(forth.exclusionsGained, back.exclusionsLost)
        assert.deepEqual(forth.covered?.after, back.covered?.before)
        assert.deepEqual(
          forth.clauses.map((c) => [c.clause, c.before, c.after]).sort(),
          back.clauses.map((c) => [c.clause, c.after, c.before]).sort(),
        )
      }),
    )
  })

  test('any difference in outcome is reported', () => {
    fc.assert(
      fc.property(decisionArb, decisionArb, (a, b) => {
        const outcomeDiffers =
          a.covered !== b.covered ||
          a.basis !== b.basis ||
          (a.remedies[0] ?? null) !== (b.remedies[0] ?? null) ||
          a.handler !== b.handler ||
          COSTS.some((c) => a.payers[c] !== b.payers[c])
        if (outcomeDiffers) assert.notEqual(diffDecisions('c', a, b), null)
      }),
    )
  })

  test('a draft that excludes liquid damage refuses the claim and names what changed', () => {
    const before = makeWarrantyRepairDecision()
    const after = makeWarrantyRepairDecision({
      policy: 'touptek@draft',
      covered: false,
      basis: 'none',
      remedies: ['paid-repair'],
      exclusions: [{ code: 'liquid-damage', clause: 'touptek#liquid' }],
      payers: { ...before.payers, parts: 'customer', labour: 'customer', 'return-shipping': 'customer' },
      trace: [
        { clause: 'touptek#term', text: '2 years from the day after receipt', applies: true },
        { clause: 'touptek#liquid', text: 'liquid damage is not covered', applies: true },
        { clause: 'touptek#moisture', text: 'moisture and corrosion count as liquid', applies: true },
      ],
    })
    assert.deepEqual(diffDecisions('C-1', before, after), {
      claimId: 'C-1',
      before: 'touptek@2024-01',
      after: 'touptek@draft',
      covered: { before: true, after: false },
      basis: { before: 'warranty', after: 'none' },
      remedy: { before: 'repair', after: 'paid-repair' },
      payers: [
        { cost: 'parts', before: 'vendor', after: 'customer' },
        { cost: 'labour', before: 'vendor', after: 'customer' },
        { cost: 'return-shipping', before: 'vendor', after: 'customer' },
      ],
      exclusionsGained: ['liquid-damage'],
      exclusionsLost: [],
      clauses: [
        { clause: 'touptek#liquid', before: false, after: true },
        { clause: 'touptek#moisture', before: null, after: true },
      ],
    })
  })

  test('a clause dropped from the draft is reported as gone', () => {
    const before = makeWarrantyRepairDecision()
    const after = makeWarrantyRepairDecision({ trace: [before.trace[0]!] })
    assert.deepEqual(diffDecisions('C-2', before, after)?.clauses, [
      { clause: 'touptek#liquid', before: false, after: null },
    ])
  })
})

describe('shiftClaimCosts', () => {
  test('moves only the kinds whose payer the draft changes, from who actually paid', () => {
    const before = makeWarrantyRepairDecision().payers
    const after = { ...before, parts: 'customer' as const, duties: null }
    const moves = shiftClaimCosts(
      [
        { kind: 'parts', currency: 'USD', amount: 4000, payer: 'dealer' },
        { kind: 'labour', currency: 'USD', amount: 2000, payer: 'vendor' },
        { kind: 'duties', currency: 'CNY', amount: 300, payer: null },
        { kind: 'handling', currency: 'USD', amount: 999, payer: 'vendor' },
      ],
      before,
      after,
    )
    assert.deepEqual(moves, [
      { currency: 'USD', from: 'dealer', to: 'customer', amount: 4000 },
      { currency: 'CNY', from: 'customer', to: 'unassigned', amount: 300 },
    ])
  })

  test('money is only moved, never made: deltas per currency sum to zero', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(decisionArb, decisionArb, costLinesArb), { maxLength: 20 }), (claims) => {
        const tally = createSimulationTally()
        for (const [a, b, lines] of claims) {
          addClaimToTally(tally, diffDecisions('c', a, b), shiftClaimCosts(lines, a.payers, b.payers))
        }
        for (const shift of summarizeTally(tally).costShift) {
          assert.equal(
            shift.byPayer.reduce((sum, p) => sum + p.delta, 0),
            0,
          )
          const gained = shift.byPayer.filter((p) => p.delta > 0).reduce((s, p) => s + p.delta, 0)
          assert.ok(gained <= shift.moved)
        }
      }),
    )
  })
})

describe('summarizeTally', () => {
  test('counts flips both ways, basis, remedy and payer changes, largest first', () => {
    const covered = makeWarrantyRepairDecision()
    const refused = makeWarrantyRepairDecision({
      covered: false,
      basis: 'none',
      remedies: ['paid-repair'],
      payers: { ...covered.payers, parts: 'customer' },
    })
    const tally = createSimulationTally()
    addClaimToTally(tally, diffDecisions('a', covered, refused))
    addClaimToTally(tally, diffDecisions('b', covered, refused))
    addClaimToTally(tally, diffDecisions('c', refused, covered))
    addClaimToTally(tally, diffDecisions('d', covered, covered))
    const summary = summarizeTally(tally)
    assert.equal(summary.compared, 4)
    assert.equal(summary.changed, 3)
    assert.equal(summary.coverageLost, 2)
    assert.equal(summary.coverageGained, 1)
    assert.deepEqual(summary.basisChanges, [
      { before: 'warranty', after: 'none', count: 2 },
      { before: 'none', after: 'warranty', count: 1 },
    ])
    assert.deepEqual(summary.remedyChanges[0], { before: 'repair', after: 'paid-repair', count: 2 })
    assert.deepEqual(summary.payerChanges[0], {
      cost: 'parts',
      before: 'vendor',
      after: 'customer',
      count: 2,
    })
  })
})
