import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import {
  allowedRecoveryActions,
  checkRecoveryTransition,
  PART_STATES,
  type PartState,
  RECOVERY_ACTIONS,
  RECOVERY_STATES,
  type RecoveryFactsForTransition,
  type RecoveryParty,
  type RecoveryState,
  validateRecoveryLifecycle,
} from './recovery-lifecycle.ts'

/**
 * The recovery lifecycle walked at random: every step either follows an edge of the
 * diagram in docs/recoveries.md or is refused and changes nothing. The diagram is written
 * out here on its own, not read from the table, so the table is checked against it.
 */

const RUNS = Number(process.env.AFTERCARE_PROPERTY_RUNS ?? 1000)
fc.configureGlobal({ ...fc.readConfigureGlobal(), includeErrorInReport: true })

/** docs/recoveries.md, Lifecycle: the state each action may move between, and who takes it. */
const DOCUMENTED: Record<
  string,
  { from: RecoveryState[]; to: RecoveryState | 'stay'; side: 'creditor' | 'debtor' }
> = {
  submit: { from: ['draft'], to: 'submitted', side: 'creditor' },
  accept: { from: ['submitted'], to: 'accepted', side: 'debtor' },
  'partly-accept': { from: ['submitted'], to: 'partly-accepted', side: 'debtor' },
  reject: { from: ['submitted'], to: 'rejected', side: 'debtor' },
  'record-payment': { from: ['accepted', 'partly-accepted'], to: 'paid', side: 'debtor' },
  // The diagram draws write-off after payment; the table also lets the creditor give up on a
  // claim never paid (submitted, answered, rejected): what it writes off is claimed − paid.
  'write-off': {
    from: ['submitted', 'accepted', 'partly-accepted', 'rejected', 'paid'],
    to: 'written-off',
    side: 'creditor',
  },
  close: { from: ['paid', 'rejected', 'written-off'], to: 'closed', side: 'creditor' },
  // The failed part travels beside the states, once the claim is submitted and until it is settled.
  'request-part': { from: ['submitted', 'accepted', 'partly-accepted', 'paid'], to: 'stay', side: 'debtor' },
  'ship-part': { from: ['submitted', 'accepted', 'partly-accepted', 'paid'], to: 'stay', side: 'creditor' },
  'receive-part': { from: ['submitted', 'accepted', 'partly-accepted', 'paid'], to: 'stay', side: 'debtor' },
}
const PART_STEP: Record<string, [PartState, PartState]> = {
  'request-part': ['none', 'requested'],
  'ship-part': ['requested', 'shipped'],
  'receive-part': ['shipped', 'received'],
}
/** Actions that fix an amount: the debtor's answer per line, the payment, the write-off. */
const ANSWERS = ['accept', 'partly-accept', 'reject']
const AMOUNT_ACTIONS = [...ANSWERS, 'record-payment', 'write-off']

const partyArb = fc.constantFrom<RecoveryParty>('creditor', 'debtor', 'staff')
const actionArb = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom(...RECOVERY_ACTIONS) },
  { weight: 1, arbitrary: fc.constantFrom('pay', '', 'close ', 'SUBMIT', '__proto__', 'constructor') },
)
const walkArb = fc.record({
  lineCount: fc.integer({ min: 0, max: 3 }),
  returnPart: fc.boolean(),
  // Most steps take one of the actions allowed at that point (or the walk would seldom get
  // past the first answer); the rest try anything.
  steps: fc.array(fc.tuple(fc.boolean(), fc.nat(), actionArb, partyArb), { maxLength: 40 }),
})

describe('recovery lifecycle, properties', () => {
  test('the table is the documented one: every action, state and party', () => {
    assert.deepEqual(validateRecoveryLifecycle(), [])
    assert.deepEqual([...RECOVERY_ACTIONS].sort(), Object.keys(DOCUMENTED).sort())
    fc.assert(
      fc.property(
        fc.constantFrom(...RECOVERY_STATES),
        fc.constantFrom(...PART_STATES),
        fc.integer({ min: 0, max: 2 }),
        fc.boolean(),
        partyArb,
        actionArb,
        (state, partState, lineCount, returnPart, party, action) => {
          const facts = { state, partState, lineCount, returnPart }
          const check = checkRecoveryTransition(facts, action, party)
          const doc = Object.hasOwn(DOCUMENTED, action) ? DOCUMENTED[action] : undefined
          const allowed = allowedRecoveryActions(facts, party)
          assert.equal(check.ok, allowed.includes(action))
          if (!doc) {
            assert.equal(check.ok, false, `unknown action ${JSON.stringify(action)} allowed`)
            return
          }
          const mayAct = party === 'staff' || party === doc.side
          const partOk =
            !PART_STEP[action] ||
            (PART_STEP[action][0] === partState && (action !== 'request-part' || returnPart))
          const expected =
            mayAct && doc.from.includes(state) && partOk && (action !== 'submit' || lineCount > 0)
          assert.equal(check.ok, expected, `${party} ${action} from ${state}/${partState}`)
          // 403 only for a party that may never take the action; 409 for the rest.
          if (!check.ok) assert.equal(check.forbidden, !mayAct)
          if (check.ok) assert.equal(check.rule.to, doc.to)
        },
      ),
      { numRuns: RUNS },
    )
  })

  test('any walk stays on the diagram; refused steps change nothing; amounts are fixed once and never after settling', () => {
    fc.assert(
      fc.property(walkArb, ({ lineCount, returnPart, steps }) => {
        let facts: RecoveryFactsForTransition = { state: 'draft', partState: 'none', lineCount, returnPart }
        const taken: string[] = []
        for (const [pickAllowed, pick, anyAction, party] of steps) {
          const allowedNow = allowedRecoveryActions(facts, party)
          const action =
            pickAllowed && allowedNow.length > 0 ? (allowedNow[pick % allowedNow.length] ?? '') : anyAction
          const before = { ...facts }
          const check = checkRecoveryTransition(facts, action, party)
          // Checking is pure: it never moves the claim, allowed or not.
          assert.deepEqual(facts, before)
          if (!check.ok) {
            assert.ok(!check.allowed.includes(action))
            assert.deepEqual(check.allowed, allowedRecoveryActions(facts, party))
            continue
          }
          const { rule } = check
          const next: RecoveryFactsForTransition = {
            ...facts,
            state: rule.to === 'stay' ? facts.state : rule.to,
            partState: rule.partTo ?? facts.partState,
          }
          const doc = DOCUMENTED[action]
          assert.ok(doc?.from.includes(facts.state) && (doc.to === 'stay' || doc.to === next.state))
          assert.ok(RECOVERY_STATES.includes(next.state))
          if (PART_STEP[action]) assert.deepEqual([facts.partState, next.partState], PART_STEP[action])
          else assert.equal(next.partState, facts.partState)
          // Nothing leaves closed; a paid, written-off or closed claim is not answered or paid again.
          assert.notEqual(facts.state, 'closed')
          if (['paid', 'written-off', 'closed'].includes(facts.state))
            assert.ok(
              !ANSWERS.includes(action) && action !== 'record-payment',
              `${action} after ${facts.state}`,
            )
          taken.push(action)
          facts = next
        }
        // The answer is given once, the payment recorded once, the write-off made once.
        assert.ok(taken.filter((a) => ANSWERS.includes(a)).length <= 1)
        for (const a of AMOUNT_ACTIONS.slice(3)) assert.ok(taken.filter((x) => x === a).length <= 1)
        // No lines, no submission: an empty walk never leaves draft.
        if (lineCount === 0) assert.equal(facts.state, 'draft')
        // The part travels only when the terms ask for it.
        if (!returnPart) assert.equal(facts.partState, 'none')
        // Closed is final: nobody may do anything.
        if (facts.state === 'closed')
          for (const party of ['creditor', 'debtor', 'staff'] as const)
            assert.deepEqual(allowedRecoveryActions(facts, party), [])
      }),
      { numRuns: RUNS * 2 },
    )
  })
})
