import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { EVIDENCE_KINDS } from '../../contracts/vocabulary.ts'
import { withEvidence } from './case-evidence.ts'

const FILE_KINDS = [...EVIDENCE_KINDS, 'proof-of-purchase', 'other'] as const

const caseWith = (purchase: Record<string, unknown> | undefined, evidence: string[]) =>
  JSON.stringify({ policy: 'player-one', ...(purchase ? { purchase } : {}), evidence })

test('a proof of purchase on a case whose purchase is not proven is held as offered, once; on a proven one it adds nothing', () => {
  const unproven = withEvidence(caseWith({ proofOfPurchase: false }, []), ['proof-of-purchase'])
  assert.ok(unproven)
  assert.equal(unproven.proofOffered, true)
  assert.deepEqual(unproven.added, [])
  assert.deepEqual(JSON.parse(unproven.caseJson).purchase, {
    proofOfPurchase: false,
    proofOfPurchasePending: true,
  })
  assert.equal(withEvidence(unproven.caseJson, ['proof-of-purchase']), undefined, 'offered already')
  assert.equal(withEvidence(caseWith({ proofOfPurchase: true }, []), ['proof-of-purchase']), undefined)
  // The contract's default: a purchase that does not say is proven.
  assert.equal(withEvidence(caseWith({}, []), ['proof-of-purchase']), undefined)
  assert.equal(withEvidence(caseWith({ proofOfPurchase: false }, []), ['other']), undefined)
})

test('whatever files come, the case only gains: evidence once each, a proof never found valid by a file, nothing else touched', () => {
  fc.assert(
    fc.property(
      fc.option(
        fc.record(
          { proofOfPurchase: fc.boolean(), proofOfPurchasePending: fc.boolean() },
          { requiredKeys: [] },
        ),
        {
          nil: undefined,
        },
      ),
      fc.uniqueArray(fc.constantFrom(...EVIDENCE_KINDS)),
      fc.array(fc.constantFrom(...FILE_KINDS), { maxLength: 8 }),
      (purchase, held, kinds) => {
        const before = JSON.parse(caseWith(purchase, held))
        const result = withEvidence(caseWith(purchase, held), kinds)
        const after = result ? JSON.parse(result.caseJson) : before
        assert.equal(after.policy, before.policy)
        assert.deepEqual(after.evidence.slice(0, held.length), held, 'nothing held is lost or moved')
        assert.equal(new Set(after.evidence).size, after.evidence.length, 'no kind twice')
        for (const kind of kinds)
          if ((EVIDENCE_KINDS as readonly string[]).includes(kind)) assert.ok(after.evidence.includes(kind))
        // A file is never the staff's finding that the proof is valid.
        assert.equal(after.purchase?.proofOfPurchase, before.purchase?.proofOfPurchase)
        const offered =
          kinds.includes('proof-of-purchase') &&
          before.purchase !== undefined &&
          before.purchase.proofOfPurchase === false
        if (offered) assert.equal(after.purchase.proofOfPurchasePending, true)
        else assert.equal(after.purchase?.proofOfPurchasePending, before.purchase?.proofOfPurchasePending)
        // Answered only when something changed.
        assert.equal(result !== undefined, JSON.stringify(after) !== JSON.stringify(before))
      },
    ),
  )
})
