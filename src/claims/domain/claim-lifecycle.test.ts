import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { PROOF_WEIGHER_ROLES } from '../../auth/index.ts'
import { closeBody } from '../claim.schemas.ts'
import {
  CLAIM_STATES,
  CLAIM_TRANSITIONS,
  checkTransition,
  closeOutcomeByDefault,
  closeOutcomesFrom,
  DEALER_INFORMATION_STEPS,
  findTransition,
  type LifecycleFacts,
  listAllowedActions,
  PROOF_WEIGHING_ROLES,
  TERMINAL_STATES,
  type TransitionRule,
  validateLifecycle,
} from './claim-lifecycle.ts'
import { CLOSE_OUTCOMES } from './close-outcomes.ts'

const facts = (overrides: Partial<LifecycleFacts> = {}): LifecycleFacts => ({
  state: 'new',
  resumeState: null,
  brand: 'own',
  decision: null,
  quote: null,
  ...overrides,
})

const notCoveredDecision = {
  provisional: false,
  covered: false,
  remedies: ['paid-repair' as const],
  handler: 'vendor' as const,
}
const coveredDealerRepair = {
  provisional: false,
  covered: true,
  remedies: ['repair' as const],
  handler: 'dealer' as const,
}

describe('the claim lifecycle table', () => {
  test('every state is reachable, terminal states are final, no dead ends', () => {
    assert.deepEqual(validateLifecycle(), [])
  })

  test('the start-up check finds an unreachable state and a terminal state with a way out', () => {
    const broken: TransitionRule[] = CLAIM_TRANSITIONS.filter((r) => r.action !== 'issue-refund').concat({
      action: 'reopen',
      event: 'claim.opened',
      from: ['closed'],
      to: 'new',
      parties: ['staff'],
    })
    const problems = validateLifecycle(broken)
    assert.ok(problems.includes('state refunded is unreachable from new'), problems.join('; '))
    assert.ok(problems.includes('terminal state closed has transitions out'), problems.join('; '))
  })

  test('terminal states allow nothing, for anyone', () => {
    for (const state of TERMINAL_STATES) {
      for (const party of ['customer', 'dealer', 'staff'] as const) {
        assert.deepEqual(listAllowedActions(facts({ state }), party), [], `${state} ${party}`)
      }
    }
    assert.ok(CLAIM_STATES.length >= 20)
  })

  test('a refused transition names the reason and what is allowed', () => {
    const result = checkTransition(facts({ state: 'new' }), 'receive-unit', 'staff')
    assert.equal(result.ok, false)
    if (result.ok) return
    assert.match(result.reason, /cannot receive-unit a claim in state new/)
    assert.ok(result.allowed.includes('authorize-return'))
  })

  test('a customer may not authorise a return', () => {
    const result = checkTransition(facts(), 'authorize-return', 'customer')
    assert.equal(result.ok, false)
    if (!result.ok) assert.match(result.reason, /a customer may not authorize-return/)
  })

  test('seed 004: a dealer serves only when the decision names the dealer as handler', () => {
    const vendorHandled = facts({
      state: 'inspected',
      decision: { ...coveredDealerRepair, handler: 'vendor' },
    })
    const refused = checkTransition(vendorHandled, 'make-decision', 'dealer')
    assert.equal(refused.ok, false)
    if (!refused.ok) assert.match(refused.reason, /handler/)
    assert.equal(
      checkTransition({ ...vendorHandled, decision: coveredDealerRepair }, 'make-decision', 'dealer').ok,
      true,
    )
    // Receiving the unit is the handler's step too: a dealer receives only the units it serves.
    assert.equal(
      checkTransition(facts({ state: 'authorized', decision: coveredDealerRepair }), 'receive-unit', 'dealer')
        .ok,
      true,
    )
    assert.equal(
      checkTransition(facts({ state: 'authorized', decision: null }), 'receive-unit', 'dealer').ok,
      false,
    )
  })

  test('every step a dealer may take but its information asks that the dealer be the handler, in every state', () => {
    // A dealer that sold the unit sees the claim, but the customer's own decisions (cancel,
    // decline the quote, confirm the unit back) are the customer's or the handler's: a
    // selling dealer the decision does not send the unit to may only add what it knows.
    const forAnyHandler = new Set(['record-selfcheck', 'decide-provisional', 'provide-info'])
    assert.deepEqual(new Set(DEALER_INFORMATION_STEPS), forAnyHandler)
    const vendorHandled = { ...coveredDealerRepair, handler: 'vendor' as const }
    for (const rule of CLAIM_TRANSITIONS) {
      if (!rule.parties.includes('dealer') || forAnyHandler.has(rule.action)) continue
      for (const state of CLAIM_STATES) {
        for (const decision of [vendorHandled, null]) {
          const check = checkTransition(facts({ state, brand: 'agent', decision }), rule.action, 'dealer')
          assert.equal(check.ok, false, `${rule.action} from ${state} by a dealer that is not the handler`)
          if (check.ok) continue
          assert.equal(check.refusal.key, 'lifecycle.dealer-not-handler', `${rule.action} from ${state}`)
          assert.equal(check.forbidden, true, `${rule.action} from ${state} is refused as forbidden`)
        }
      }
    }
    for (const action of ['cancel', 'decline-quote', 'confirm-receipt'])
      assert.ok(findTransition(action)?.parties.includes('dealer'), `${action}: the handling dealer may`)
    for (const action of forAnyHandler) assert.ok(findTransition(action)?.parties.includes('dealer'), action)
  })

  test('seed 003: out-of-warranty repair starts only after the customer pays', () => {
    const accepted = facts({
      state: 'quote-accepted',
      decision: notCoveredDecision,
      quote: { status: 'accepted', customerTotalMinor: 12000, paidMinor: 0, expired: false },
    })
    const refused = checkTransition(accepted, 'start-repair', 'staff')
    assert.equal(refused.ok, false)
    if (!refused.ok) assert.match(refused.reason, /not paid/)
    const paid = {
      ...accepted,
      quote: { status: 'accepted' as const, customerTotalMinor: 12000, paidMinor: 12000, expired: false },
    }
    assert.deepEqual(checkTransition(paid, 'start-repair', 'staff').ok, true)
  })

  test('seed 003: work on a claim that is not covered waits for the paid quote, by the maker too', () => {
    const notCovered = { ...notCoveredDecision }
    const agent = (state: LifecycleFacts['state'], quote: LifecycleFacts['quote'] = null) =>
      facts({ state, brand: 'agent', decision: notCovered, quote })
    for (const [state, action] of [
      ['decided', 'forward-to-maker'],
      ['back-from-maker', 'start-repair'],
    ] as const) {
      const refused = checkTransition(agent(state), action, 'staff')
      assert.equal(refused.ok, false, `${action} from ${state} without a quote`)
      if (!refused.ok) assert.equal(refused.refusal.key, 'lifecycle.quote-unpaid')
    }
    const unpaid = { status: 'accepted' as const, customerTotalMinor: 9000, paidMinor: 4000, expired: false }
    assert.equal(checkTransition(agent('quote-accepted', unpaid), 'forward-to-maker', 'staff').ok, false)
    const paid = { ...unpaid, paidMinor: 9000 }
    assert.equal(checkTransition(agent('quote-accepted', paid), 'forward-to-maker', 'staff').ok, true)
    assert.equal(checkTransition(agent('back-from-maker', paid), 'start-repair', 'staff').ok, true)
    // A covered claim goes to the maker and is repaired without any quote.
    const covered = facts({
      state: 'decided',
      brand: 'agent',
      decision: { ...notCovered, covered: true, remedies: ['repair'] },
    })
    assert.equal(checkTransition(covered, 'forward-to-maker', 'staff').ok, true)
  })

  test('a quote past its last day is not offered to the customer; declining it is, and staff may still record an acceptance', () => {
    const quoted = (expired: boolean) =>
      facts({
        state: 'quoted',
        decision: notCoveredDecision,
        quote: { status: 'sent', customerTotalMinor: 12000, paidMinor: 0, expired },
      })
    assert.deepEqual(listAllowedActions(quoted(false), 'customer'), ['accept-quote', 'decline-quote'])
    const late = quoted(true)
    assert.deepEqual(listAllowedActions(late, 'customer'), ['decline-quote'])
    const refused = checkTransition(late, 'accept-quote', 'customer')
    assert.equal(refused.ok, false)
    if (!refused.ok) {
      assert.equal(refused.refusal.key, 'lifecycle.quote-expired')
      assert.equal(refused.forbidden, false, 'a customer may accept a quote, only not this one')
      assert.deepEqual(refused.allowed, ['decline-quote'])
    }
    // Staff record an acceptance the customer gave in time, with a note (answerQuote asks for it).
    assert.deepEqual(listAllowedActions(late, 'staff'), ['accept-quote', 'decline-quote'])
    // The seller handles this claim: the dealer that sold the unit answers nothing for the customer.
    assert.deepEqual(listAllowedActions(late, 'dealer'), [])
    const handledByDealer = { ...late, decision: { ...notCoveredDecision, handler: 'dealer' as const } }
    assert.deepEqual(listAllowedActions(handledByDealer, 'dealer'), ['decline-quote'])
  })

  test('a covered claim cannot be quoted; a not-covered one can', () => {
    const covered = facts({ state: 'decided', decision: { ...coveredDealerRepair, handler: 'vendor' } })
    assert.equal(checkTransition(covered, 'send-quote', 'staff').ok, false)
    assert.equal(
      checkTransition({ ...covered, decision: notCoveredDecision }, 'send-quote', 'staff').ok,
      true,
    )
  })

  test('only agent-brand units go to the maker', () => {
    assert.equal(checkTransition(facts({ state: 'received' }), 'forward-to-maker', 'staff').ok, false)
    assert.equal(
      checkTransition(facts({ state: 'received', brand: 'agent' }), 'forward-to-maker', 'staff').ok,
      true,
    )
  })

  test('pickup only where the policy offers it (ToupTek DOA)', () => {
    const mailIn = facts({
      state: 'authorized',
      decision: { ...coveredDealerRepair, handler: 'vendor', service: 'mail-in' },
    })
    assert.equal(checkTransition(mailIn, 'schedule-pickup', 'staff').ok, false)
    const pickup = facts({
      state: 'authorized',
      decision: { ...coveredDealerRepair, handler: 'vendor', service: 'pickup' },
    })
    assert.equal(checkTransition(pickup, 'schedule-pickup', 'staff').ok, true)
  })

  test('info.provided returns to the state the request paused', () => {
    const result = checkTransition(
      facts({ state: 'awaiting-info', resumeState: 'inspected' }),
      'provide-info',
      'customer',
    )
    assert.equal(result.ok && result.to, 'inspected')
  })

  test('refund needs a decision that offers it', () => {
    const refundable = facts({
      state: 'decided',
      decision: { provisional: false, covered: true, remedies: ['refund', 'replace'], handler: 'vendor' },
    })
    assert.equal(checkTransition(refundable, 'issue-refund', 'staff').ok, true)
    assert.equal(
      checkTransition({ ...refundable, decision: notCoveredDecision }, 'issue-refund', 'staff').ok,
      false,
    )
  })
})

test('every state a claim can be closed from says which outcomes fit it', () => {
  const close = findTransition('close')
  assert.ok(close)
  for (const state of close.from) {
    const outcomes = closeOutcomesFrom(state)
    assert.ok(outcomes && outcomes.length > 0, state)
  }
  assert.deepEqual(closeOutcomesFrom('resolved-remotely'), ['resolved-remotely'])
})

test('a claim closed without a named outcome ends as what happened, or staff must say', () => {
  const close = findTransition('close')
  assert.ok(close)
  for (const state of close.from)
    for (const quoteDeclined of [false, true]) {
      const outcome = closeOutcomeByDefault(state, quoteDeclined)
      if (outcome !== undefined)
        assert.ok(closeOutcomesFrom(state)?.includes(outcome), `${state}: ${outcome}`)
    }
  assert.equal(closeOutcomeByDefault('resolved-remotely', false), 'resolved-remotely')
  assert.equal(closeOutcomeByDefault('refunded', false), 'refunded')
  assert.equal(closeOutcomeByDefault('delivered', false), 'completed')
  assert.equal(closeOutcomeByDefault('delivered', true), 'returned-unrepaired')
  assert.equal(closeOutcomeByDefault('return-shipped', true), 'returned-unrepaired')
  assert.equal(closeOutcomeByDefault('quote-declined', true), undefined, 'scrapped or returned: staff say')
})

test('the close body takes exactly the outcomes some state may be closed with', () => {
  const close = findTransition('close')
  assert.ok(close)
  const reachable = new Set(close.from.flatMap((state) => closeOutcomesFrom(state) ?? []))
  assert.deepEqual([...reachable].sort(), [...CLOSE_OUTCOMES].sort())
  for (const outcome of CLOSE_OUTCOMES) assert.equal(closeBody.safeParse({ outcome }).success, true, outcome)
  assert.equal(closeBody.safeParse({ outcome: 'cancelled' }).success, false)
})

test("a proof of purchase is weighed by support, managers and admins, never by a technician; every other staff step is every staff role's", () => {
  assert.deepEqual(
    [...PROOF_WEIGHING_ROLES].sort(),
    [...PROOF_WEIGHER_ROLES].sort(),
    "one list, the auth feature's",
  )
  const offered = facts({ state: 'remote-diagnosis', proofOffered: true })
  for (const action of ['accept-purchase-proof', 'refuse-purchase-proof']) {
    for (const role of ['support', 'manager', 'admin'] as const)
      assert.equal(checkTransition(offered, action, 'staff', role).ok, true, `${role} ${action}`)
    const refused = checkTransition(offered, action, 'staff', 'technician')
    assert.equal(refused.ok, false)
    assert.ok(!refused.ok && refused.forbidden, 'refused for who they are, whatever the state')
    assert.ok(!refused.ok && refused.refusal.key === 'lifecycle.role-may-not')
    assert.ok(!listAllowedActions(offered, 'staff', 'technician').includes(action))
  }
  const technicianMay = listAllowedActions(offered, 'staff', 'technician')
  const supportMay = listAllowedActions(offered, 'staff', 'support')
  assert.deepEqual(
    supportMay.filter((action) => !technicianMay.includes(action)),
    ['accept-purchase-proof', 'refuse-purchase-proof'],
  )
  for (const rule of CLAIM_TRANSITIONS)
    if (rule.staffRoles)
      assert.ok(rule.action.endsWith('-purchase-proof'), `${rule.action} narrows its staff`)
})
