import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { caseSchema } from '../../contracts/case.ts'
import { loadPolicyLibrary } from '../../policies/load-policies.ts'
import { CLAIM_EVENT_TYPES, ClaimEventShapeError, checkClaimEvent } from './claim-events.ts'
import { type ClaimEventRecord, replayClaim } from './claim-projection.ts'

const at = '2026-01-05T10:00:00.000Z'
const facts = caseSchema.parse({
  policy: 'retailer',
  claimedOn: '2025-07-03',
  product: { part: 'host', category: 'camera' },
  purchase: { channel: 'direct', shippedBy: 'vendor', purchasedOn: '2025-06-25', deliveredOn: '2025-06-30' },
  problem: { kind: 'malfunction' },
})
const decision = loadPolicyLibrary().decide(facts)
const ev = (type: string, data: Record<string, unknown>): ClaimEventRecord => ({ type, at, data })
const address = { name: 'Service', line1: '1 Road', city: 'Bonn', country: 'DE' }

/** A whole quote path, each event as its step writes it. */
const quotePath = (): ClaimEventRecord[] => [
  ev('claim.opened', { serial: 'SN-1', policy: decision.policy, case: facts }),
  ev('decision.provisional', { decision }),
  ev('rma.authorized', {
    rmaNumber: 'RMA-2026-000001',
    shipTo: address,
    freightPayer: 'vendor',
    itemsToInclude: ['Camera'],
    service: 'mail-in',
  }),
  ev('unit.received', {}),
  ev('info.requested', { request: 'Which driver version?' }),
  ev('message.posted', { messageId: 'm1' }),
  ev('info.provided', { answer: '3.1', evidence: [] }),
  ev('inspection.recorded', {
    inspection: { faultConfirmed: true, manufacturingDefect: false, findings: [] },
    bench: { serialSeen: 'SN-1' },
  }),
  ev('decision.made', { decision: { ...decision, covered: false } }),
  ev('quote.sent', {
    quoteId: 'q1',
    currency: 'EUR',
    lines: [{ kind: 'parts', description: 'Sensor', quantity: 1, payer: 'customer' }],
    totals: { currency: 'EUR' },
    customerTotalMinor: 5000,
    validUntil: '2026-02-04',
  }),
  ev('quote.accepted', { quoteId: 'q1' }),
  ev('payment.recorded', { quoteId: 'q1', amountMinor: 5000, currency: 'EUR' }),
]

describe('typed claim events', () => {
  test('replaying a quote path rebuilds state, version and money', () => {
    const projection = replayClaim(quotePath())
    assert.equal(projection.state, 'quote-accepted')
    assert.equal(projection.version, 11, 'a message does not change the version')
    assert.equal(projection.rmaNumber, 'RMA-2026-000001')
    assert.deepEqual(projection.quote, {
      id: 'q1',
      status: 'accepted',
      customerTotalMinor: 5000,
      paidMinor: 5000,
    })
  })

  test('every event survives its JSON round trip and replays to the same state', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), (length) => {
        const events = quotePath().slice(0, length)
        const stored = events.map((e) => JSON.parse(JSON.stringify(e)) as ClaimEventRecord)
        for (const e of stored) checkClaimEvent(e)
        assert.deepEqual(replayClaim(stored), replayClaim(events))
      }),
    )
  })

  test('an event whose data lacks or mistypes a member is refused on replay, naming type and field', () => {
    const path = quotePath()
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: path.length - 1 }),
        fc.constantFrom(null, 42, 'text', [], true),
        (index, wrong) => {
          const event = path[index] as ClaimEventRecord
          const keys = Object.keys(event.data)
          // message.posted and unit.received carry optional members only besides the id.
          const key = keys.find((k) => !['note', 'evidence'].includes(k))
          if (!key) return
          const broken = { ...event, data: { ...event.data, [key]: wrong } }
          const replaced = [...path.slice(0, index), broken]
          // A value of the right type by chance is no mutation; only check real breaks.
          let accepted = true
          try {
            checkClaimEvent(broken)
          } catch (error) {
            accepted = false
            assert.ok(error instanceof ClaimEventShapeError)
            assert.equal(error.type, event.type)
            assert.match(error.message, new RegExp(`data\\.${key}`))
            assert.throws(() => replayClaim(replaced), ClaimEventShapeError)
          }
          if (accepted) assert.equal(typeof wrong, typeof event.data[key])
        },
      ),
    )
  })

  test('an unknown type is refused', () => {
    assert.throws(() => checkClaimEvent({ type: 'claim.teleported', data: {} }), ClaimEventShapeError)
  })

  test('every event type has a schema', () => {
    for (const type of CLAIM_EVENT_TYPES) {
      assert.throws(() => checkClaimEvent({ type, data: 'not an object' }), ClaimEventShapeError, type)
    }
  })
})
