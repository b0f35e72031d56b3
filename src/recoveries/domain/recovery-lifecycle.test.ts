import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import {
  allowedRecoveryActions,
  checkRecoveryTransition,
  PART_STATES,
  RECOVERY_ACTIONS,
  RECOVERY_STATES,
  type RecoveryParty,
  validateRecoveryLifecycle,
} from './recovery-lifecycle.ts'

describe('recovery lifecycle table', () => {
  test('every state is reachable and closed is final', () => {
    assert.deepEqual(validateRecoveryLifecycle(), [])
  })

  test('only the creditor side submits, only the debtor side answers; staff may do both', () => {
    const draft = { state: 'draft' as const, partState: 'none' as const, lineCount: 1, returnPart: true }
    assert.equal(checkRecoveryTransition(draft, 'submit', 'creditor').ok, true)
    const byDebtor = checkRecoveryTransition(draft, 'submit', 'debtor')
    assert.equal(byDebtor.ok, false)
    assert.equal(!byDebtor.ok && byDebtor.forbidden, true)
    const submitted = { ...draft, state: 'submitted' as const }
    assert.deepEqual(allowedRecoveryActions(submitted, 'creditor'), ['write-off'])
    assert.deepEqual(allowedRecoveryActions(submitted, 'debtor'), [
      'accept',
      'partly-accept',
      'reject',
      'request-part',
    ])
    assert.equal(checkRecoveryTransition(submitted, 'accept', 'staff').ok, true)
  })

  test('an empty draft cannot be submitted; the part travels only when asked for and only in order', () => {
    const empty = checkRecoveryTransition(
      { state: 'draft', partState: 'none', lineCount: 0, returnPart: true },
      'submit',
      'creditor',
    )
    assert.equal(empty.ok, false)
    assert.match(!empty.ok ? empty.reason : '', /without lines/)
    const noPart = checkRecoveryTransition(
      { state: 'submitted', partState: 'none', lineCount: 1, returnPart: false },
      'request-part',
      'debtor',
    )
    assert.match(!noPart.ok ? noPart.reason : '', /do not ask for the failed part/)
    const early = checkRecoveryTransition(
      { state: 'submitted', partState: 'none', lineCount: 1, returnPart: true },
      'ship-part',
      'creditor',
    )
    assert.equal(early.ok, false)
  })

  test('property: what is allowed is exactly what the check passes, for every state and party', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...RECOVERY_STATES),
        fc.constantFrom(...PART_STATES),
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        fc.constantFrom<RecoveryParty>('creditor', 'debtor', 'staff'),
        (state, partState, lineCount, returnPart, party) => {
          const facts = { state, partState, lineCount, returnPart }
          const allowed = allowedRecoveryActions(facts, party)
          for (const action of RECOVERY_ACTIONS)
            assert.equal(checkRecoveryTransition(facts, action, party).ok, allowed.includes(action))
          if (state === 'closed') assert.deepEqual(allowed, [])
        },
      ),
    )
  })
})
