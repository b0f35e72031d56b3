import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { proofOfferedOn, purchaseUnproven, withEvidence, withProofWeighed } from './case-evidence.ts'

/** A case on a unit whose purchase the registry does not prove, as a claim opens it. */
const UNPROVEN = JSON.stringify({ purchase: { purchasedOn: '2025-12-01', proofOfPurchase: false } })

type Step = { kind: 'offer' } | { kind: 'accept' | 'refuse'; pick: number }

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constant({ kind: 'offer' as const }),
  fc.record({ kind: fc.constantFrom('accept' as const, 'refuse' as const), pick: fc.nat() }),
)

/**
 * The claim as the steps leave it: the case, the unit's flag, and the files sent as proofs
 * with what staff found of each. Staff weigh only while the case says a proof waits (the
 * lifecycle's guard), and only a file not weighed yet (the step's own check).
 */
function run(steps: readonly Step[]) {
  let caseJson = UNPROVEN
  let unitProven = false
  const files: { id: number; verdict?: 'accepted' | 'refused' }[] = []
  for (const s of steps) {
    if (s.kind === 'offer') {
      files.push({ id: files.length })
      caseJson = withEvidence(caseJson, ['proof-of-purchase'])?.caseJson ?? caseJson
      continue
    }
    const waiting = files.filter((f) => f.verdict === undefined)
    const file = waiting[s.pick % Math.max(1, waiting.length)]
    if (!proofOfferedOn(caseJson) || !file) continue
    file.verdict = s.kind === 'accept' ? 'accepted' : 'refused'
    const stillOffered = files.some((f) => f.verdict === undefined)
    caseJson = withProofWeighed(caseJson, file.verdict, stillOffered)
    if (file.verdict === 'accepted') unitProven = true
  }
  return { caseJson, unitProven, files }
}

describe('weighing a proof of purchase', () => {
  test('for any sequence of proofs offered, accepted and refused, the case and the unit agree on the proof, and a proof is offered exactly while one waits unweighed on an unproven purchase', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 12 }), (steps) => {
        const { caseJson, unitProven, files } = run(steps)
        const purchase = (JSON.parse(caseJson) as { purchase: Record<string, unknown> }).purchase
        assert.equal(
          purchase.proofOfPurchase,
          unitProven,
          'the case is proven exactly when the unit holds the proof',
        )
        assert.equal(!purchaseUnproven(caseJson), unitProven)
        const waits = files.some((f) => f.verdict === undefined)
        assert.equal(proofOfferedOn(caseJson), !unitProven && waits)
        // A proven purchase says nothing of a proof waiting, and a refusal never proves it.
        if (unitProven) assert.equal(purchase.proofOfPurchasePending, undefined)
        assert.equal(purchase.purchasedOn, '2025-12-01', 'the rest of the purchase is kept')
        if (!files.some((f) => f.verdict === 'accepted')) assert.equal(purchase.proofOfPurchase, false)
      }),
    )
  })

  test('accepted, the purchase is proven and no proof waits; refused, it stays unproven and waits only on another file', () => {
    const offered = withEvidence(UNPROVEN, ['proof-of-purchase'])?.caseJson ?? ''
    const purchaseOf = (json: string) => (JSON.parse(json) as { purchase: Record<string, unknown> }).purchase
    assert.deepEqual(purchaseOf(withProofWeighed(offered, 'accepted', false)), {
      purchasedOn: '2025-12-01',
      proofOfPurchase: true,
    })
    assert.deepEqual(purchaseOf(withProofWeighed(offered, 'refused', false)), {
      purchasedOn: '2025-12-01',
      proofOfPurchase: false,
    })
    assert.deepEqual(purchaseOf(withProofWeighed(offered, 'refused', true)), {
      purchasedOn: '2025-12-01',
      proofOfPurchase: false,
      proofOfPurchasePending: true,
    })
  })
})
