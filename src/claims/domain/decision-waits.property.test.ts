import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { STAFF_ROLES } from '../../auth/index.ts'
import { HANDLERS, REMEDIES } from '../../contracts/decision.ts'
import {
  CLAIM_ACTIONS,
  CLAIM_STATES,
  checkTransition,
  type LifecycleFacts,
  listAllowedActions,
  listHeldActions,
  PARTIES,
} from './claim-lifecycle.ts'

const optionalBoolean = fc.option(fc.boolean(), { nil: undefined })

/** Any facts a claim's guards may see, its proof of purchase waiting or weighed among them. */
const anyFacts: fc.Arbitrary<LifecycleFacts> = fc.record({
  // Half of them inspected, where the final decision is made.
  state: fc.oneof(fc.constant('inspected' as const), fc.constantFrom(...CLAIM_STATES)),
  resumeState: fc.option(fc.constantFrom(...CLAIM_STATES), { nil: null }),
  brand: fc.constantFrom('own' as const, 'agent' as const),
  decision: fc.option(
    fc.record({
      provisional: fc.boolean(),
      covered: fc.boolean(),
      remedies: fc.subarray([...REMEDIES]),
      handler: fc.constantFrom(...HANDLERS),
    }),
    { nil: null },
  ),
  quote: fc.option(
    fc.record({
      status: fc.constantFrom('sent' as const, 'accepted' as const, 'declined' as const),
      customerTotalMinor: fc.nat(1000),
      paidMinor: fc.nat(1000),
      expired: fc.boolean(),
    }),
    { nil: null },
  ),
  proofOffered: optionalBoolean,
  purchaseProvenOnUnit: optionalBoolean,
})

const anyReader = fc.record({
  party: fc.constantFrom(...PARTIES),
  role: fc.option(fc.constantFrom(...STAFF_ROLES), { nil: undefined }),
})

/**
 * The final decision as the server takes it (`makeDecision`): from an inspected claim, by staff
 * or the dealer that handles it, and never while the claimant's proof of purchase waits for
 * staff, unless the unit's registry proves the purchase already.
 */
const serverDecides = (facts: LifecycleFacts, party: string): boolean =>
  facts.state === 'inspected' &&
  (party === 'staff' || (party === 'dealer' && facts.decision?.handler === 'dealer')) &&
  !(facts.proofOffered === true && facts.purchaseProvenOnUnit !== true)

describe('the final decision and a proof of purchase waiting', () => {
  test('for any claim and proof status, make-decision is offered exactly when the server takes it, and held with the proof as its reason exactly when only the proof stops it', () => {
    fc.assert(
      fc.property(anyFacts, anyReader, (facts, { party, role }) => {
        const offered = listAllowedActions(facts, party, role).includes('make-decision')
        assert.equal(offered, serverDecides(facts, party))
        const held = listHeldActions(facts, party, role).find((step) => step.action === 'make-decision')
        const waitsOnProof = serverDecides({ ...facts, proofOffered: false }, party) && !offered
        assert.equal(held !== undefined, waitsOnProof)
        if (held) {
          assert.deepEqual(held.reason, { key: 'claims.decision.proof-waits' })
          const check = checkTransition(facts, 'make-decision', party, role)
          assert.equal(check.ok, false)
          if (!check.ok) assert.deepEqual(check.refusal, held.reason, 'refused for what holds it')
        }
      }),
      { numRuns: 500 },
    )
  })

  test('no step is both offered and held, and a step is offered exactly when the transition check lets it through', () => {
    fc.assert(
      fc.property(anyFacts, anyReader, (facts, { party, role }) => {
        const allowed = listAllowedActions(facts, party, role)
        const held = listHeldActions(facts, party, role).map((step) => step.action)
        assert.deepEqual(
          held.filter((action) => allowed.includes(action)),
          [],
        )
        for (const action of CLAIM_ACTIONS)
          assert.equal(allowed.includes(action), checkTransition(facts, action, party, role).ok, action)
      }),
    )
  })
})
