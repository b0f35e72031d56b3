import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Decision } from '../contracts/decision.ts'
import { type ExampleExpectation, findExpectationFailures } from './domain/match-example.ts'
import { WEIGHED_KINDS } from './domain/policy-format.ts'
import { loadPolicyLibrary } from './load-policies.ts'
import { buildCase, type CaseOverrides, inspectedFinding, inspectedWith } from './policy-test-support.ts'

/** One row per clause of every shipped policy: the clause must weigh in (or be on record) and the decision show it. */
interface ClauseRow {
  clause: string
  given?: CaseOverrides
  expect?: ExampleExpectation
  check?: (decision: Decision) => void
}

const library = loadPolicyLibrary()

const DOA_DAY = { claimedOn: '2025-01-20' }
const ARRIVED_DAMAGED: CaseOverrides = {
  claimedOn: '2025-01-10',
  problem: { kind: 'arrived-damaged', packagingDamaged: true },
}
const excluded = (code: string, given: CaseOverrides): Pick<ClauseRow, 'given' | 'expect'> => ({
  given,
  expect: { covered: false, exclusions: { includes: [code] } },
})

const ROWS: ClauseRow[] = [
  // touptek
  {
    clause: 'touptek#astrostation-term',
    given: {
      claimedOn: '2026-03-01',
      product: { category: 'astro-box' },
      purchase: { activatedOn: '2025-06-01' },
    },
    expect: { covered: true, warrantyEnds: '2027-05-31' },
  },
  {
    clause: 'touptek#warranty-term',
    expect: { covered: true, basis: 'warranty', warrantyEnds: '2027-01-08' },
  },
  { clause: 'touptek#doa-quality', given: DOA_DAY, expect: { basis: 'doa', remedies: { first: 'replace' } } },
  {
    clause: 'touptek#transport-damage',
    given: ARRIVED_DAMAGED,
    expect: { covered: true, basis: 'transport-damage' },
  },
  {
    clause: 'touptek#accessory-not-host',
    given: { ...ARRIVED_DAMAGED, product: { part: 'accessory' } },
    expect: { remedies: { first: 'replace', excludes: ['refund'] } },
  },
  { clause: 'touptek#out-of-warranty', ...excluded('expired', { claimedOn: '2027-03-01' }) },
  {
    clause: 'touptek#liquid',
    ...excluded('liquid-damage', { inspection: inspectedFinding('liquid-damage') }),
  },
  {
    clause: 'touptek#external-force',
    ...excluded('physical-damage', { inspection: inspectedFinding('physical-damage') }),
  },
  {
    clause: 'touptek#disassembly-firmware',
    ...excluded('unauthorized-firmware', { inspection: inspectedFinding('unauthorized-firmware') }),
  },
  {
    clause: 'touptek#system-stickers',
    ...excluded('seal-broken', { inspection: inspectedFinding('seal-broken') }),
  },
  {
    clause: 'touptek#installation',
    ...excluded('improper-installation', { inspection: inspectedFinding('improper-installation') }),
  },
  {
    clause: 'touptek#force-majeure',
    ...excluded('force-majeure', { inspection: inspectedFinding('force-majeure') }),
  },
  {
    clause: 'touptek#improper-operation',
    ...excluded('improper-use', { inspection: inspectedFinding('improper-use') }),
  },
  {
    clause: 'touptek#foreign-matter',
    ...excluded('foreign-matter', { inspection: inspectedWith({ findings: ['foreign-matter'] }) }),
  },
  {
    clause: 'touptek#papers-mismatch',
    ...excluded('serial-mismatch', { inspection: inspectedWith({ findings: ['serial-mismatch'] }) }),
  },
  {
    clause: 'touptek#no-invoice-certificate',
    ...excluded('no-proof-of-purchase', { purchase: { proofOfPurchase: false, warrantyCard: false } }),
  },
  {
    clause: 'touptek#doa-invoice',
    ...excluded('no-proof-of-purchase', { ...ARRIVED_DAMAGED, purchase: { proofOfPurchase: false } }),
  },
  { clause: 'touptek#second-hand', ...excluded('second-hand', { purchase: { secondHand: true } }) },
  {
    clause: 'touptek#not-quality-problem',
    ...excluded('not-manufacturing-defect', { inspection: inspectedWith({ manufacturingDefect: false }) }),
  },
  {
    clause: 'touptek#no-fault',
    ...excluded('no-fault-found', { inspection: inspectedWith({ faultConfirmed: false }) }),
  },
  {
    clause: 'touptek#paid-repair',
    given: { inspection: inspectedFinding('liquid-damage') },
    expect: { remedies: { first: 'paid-repair' } },
  },
  {
    clause: 'touptek#transport-handler',
    given: { ...ARRIVED_DAMAGED, purchase: { channel: 'dealer', shippedBy: 'dealer' } },
    expect: { handler: 'dealer' },
  },
  { clause: 'touptek#pickup', given: DOA_DAY, check: (d) => assert.equal(d.service, 'pickup') },
  { clause: 'touptek#free-warranty-payers', expect: { payers: { parts: 'vendor', labour: 'vendor' } } },
  {
    clause: 'touptek#doa-payers',
    given: { ...ARRIVED_DAMAGED, purchase: { shippedBy: 'dealer' } },
    expect: { payers: { 'inbound-shipping': 'dealer' } },
  },
  {
    clause: 'touptek#doa-replacement-freight',
    given: { ...ARRIVED_DAMAGED, purchase: { shippedBy: 'dealer' } },
    expect: { remedies: { first: 'replace' }, payers: { 'return-shipping': 'dealer' } },
  },
  {
    clause: 'touptek#paid-repair-payers',
    given: { inspection: inspectedFinding('physical-damage') },
    expect: { payers: { parts: 'customer', labour: 'customer' } },
  },
  {
    clause: 'touptek#doa-proof',
    given: DOA_DAY,
    expect: { missingEvidence: { includes: ['defect-media'] } },
  },
  {
    clause: 'touptek#transport-proof',
    given: ARRIVED_DAMAGED,
    expect: { missingEvidence: { includes: ['package-photos', 'delivery-receipt'] } },
  },
  { clause: 'touptek#shipping-fees' },
  // retailer
  {
    clause: 'retailer#doa',
    given: { claimedOn: '2025-01-15', preference: 'refund' },
    expect: { covered: true, basis: 'doa', remedies: { first: 'refund' } },
  },
  {
    clause: 'retailer#broken-early',
    given: { claimedOn: '2025-02-01' },
    expect: { covered: true, basis: 'early-failure' },
  },
  {
    clause: 'retailer#not-product-related',
    given: { claimedOn: '2025-01-15', inspection: inspectedWith({ manufacturingDefect: false }) },
    expect: { covered: false, exclusions: { includes: ['not-manufacturing-defect'] } },
  },
  {
    clause: 'retailer#misuse',
    ...excluded('foreign-matter', {
      claimedOn: '2025-01-15',
      inspection: inspectedFinding('foreign-matter'),
    }),
  },
  {
    clause: 'retailer#misuse-liquid',
    ...excluded('liquid-damage', {
      claimedOn: '2025-01-15',
      inspection: inspectedFinding('liquid-damage'),
    }),
  },
  {
    clause: 'retailer#confirmed-defective',
    ...excluded('no-fault-found', {
      claimedOn: '2025-01-15',
      inspection: inspectedWith({ faultConfirmed: false }),
    }),
  },
  {
    clause: 'retailer#upgrade-or-spares',
    given: { claimedOn: '2025-01-15', preference: 'replace' },
    expect: { remedies: { first: 'replace', includes: ['remote-fix'] } },
  },
  {
    clause: 'retailer#return-shipping-covered',
    given: { claimedOn: '2025-01-15' },
    expect: { payers: { 'inbound-shipping': 'vendor' } },
  },
  {
    clause: 'retailer#replacement-freight',
    given: { claimedOn: '2025-01-15' },
    expect: { remedies: { first: 'replace' }, payers: { 'return-shipping': 'vendor' } },
  },
  {
    clause: 'retailer#not-manufacturing-pays',
    given: { claimedOn: '2025-01-15', inspection: inspectedWith({ manufacturingDefect: false }) },
    expect: { payers: { 'inbound-shipping': 'customer' } },
  },
  {
    clause: 'retailer#missing-accessories',
    given: { claimedOn: '2025-01-15' },
    expect: { payers: { 'missing-items': 'customer' } },
  },
  {
    clause: 'retailer#duties',
    given: { claimedOn: '2025-01-15' },
    expect: { payers: { duties: 'customer' } },
  },
  { clause: 'retailer#further-costs' },
  { clause: 'retailer#refused-parcels' },
  {
    clause: 'retailer#package-photos',
    given: { claimedOn: '2025-01-15' },
    expect: { missingEvidence: { includes: ['package-photos'] } },
  },
  {
    clause: 'retailer#shipment-slips',
    given: { claimedOn: '2025-01-10', problem: { kind: 'arrived-damaged' } },
    expect: { basis: 'doa', missingEvidence: { includes: ['shipping-slip'] } },
  },
  {
    clause: 'retailer#defect-media',
    given: { claimedOn: '2025-01-15' },
    expect: { missingEvidence: { includes: ['defect-media'] } },
  },
  { clause: 'retailer#note-in-parcel' },
  { clause: 'retailer#contact-first' },
  // shenzhen-service
  {
    clause: 'shenzhen-service#warranty-term',
    given: { product: { warrantyTerm: 'P3Y' } },
    expect: { covered: true, warrantyEnds: '2028-01-07' },
  },
  { clause: 'shenzhen-service#scope' },
  {
    clause: 'shenzhen-service#quality-or-upgrade',
    given: { problem: { kind: 'software-upgrade' } },
    expect: { covered: true, remedies: { first: 'software-upgrade' } },
  },
  { clause: 'shenzhen-service#beyond-warranty', ...excluded('expired', { claimedOn: '2026-06-01' }) },
  {
    clause: 'shenzhen-service#not-per-manual',
    ...excluded('improper-power', { inspection: inspectedFinding('improper-power') }),
  },
  {
    clause: 'shenzhen-service#unauthorized-changes',
    ...excluded('unauthorized-modification', { inspection: inspectedFinding('unauthorized-modification') }),
  },
  {
    clause: 'shenzhen-service#man-made',
    ...excluded('physical-damage', { inspection: inspectedFinding('physical-damage') }),
  },
  {
    clause: 'shenzhen-service#force-majeure',
    ...excluded('force-majeure', { inspection: inspectedFinding('force-majeure') }),
  },
  {
    clause: 'shenzhen-service#quality-failure-only',
    ...excluded('not-manufacturing-defect', { inspection: inspectedWith({ manufacturingDefect: false }) }),
  },
  {
    clause: 'shenzhen-service#paid-maintenance',
    given: { claimedOn: '2026-06-01' },
    expect: { remedies: { first: 'paid-repair' } },
  },
  {
    clause: 'shenzhen-service#agent-dual-service',
    given: { purchase: { brand: 'agent' } },
    expect: { handler: 'manufacturer', payers: { parts: 'manufacturer' } },
  },
  { clause: 'shenzhen-service#in-warranty-free', expect: { payers: { parts: 'vendor', labour: 'vendor' } } },
  {
    // The upgrade's work is free under the warranty; it fits no parts, so none are paid for.
    clause: 'shenzhen-service#in-warranty-free-upgrade',
    given: { problem: { kind: 'software-upgrade' } },
    expect: { remedies: { first: 'software-upgrade' }, payers: { labour: 'vendor' } },
    check: (d) => assert.equal(d.payers.parts, null),
  },
  {
    // No date to count the warranty from: the unit's age is unknown, so the charge is in full.
    clause: 'shenzhen-service#excluded-paid',
    given: {
      purchase: { purchasedOn: undefined, shippedOn: undefined, deliveredOn: undefined },
      inspection: inspectedFinding('liquid-damage'),
    },
    expect: { payers: { parts: 'customer', labour: 'customer' } },
  },
  {
    clause: 'shenzhen-service#excluded-in-warranty',
    given: { inspection: inspectedFinding('liquid-damage') },
    expect: { covered: false, payers: { parts: 'customer', labour: 'vendor' } },
  },
  {
    clause: 'shenzhen-service#years-one-two-beyond',
    given: { claimedOn: '2027-01-07' },
    expect: { payers: { parts: 'customer', labour: 'vendor' } },
  },
  {
    clause: 'shenzhen-service#three-years-on',
    given: { claimedOn: '2028-01-08' },
    expect: { payers: { parts: 'customer', labour: 'customer' } },
  },
  {
    clause: 'shenzhen-service#one-way-freight',
    expect: { payers: { 'inbound-shipping': 'customer', 'return-shipping': 'vendor' } },
  },
  {
    clause: 'shenzhen-service#urgent-freight',
    given: { problem: { urgentFreight: true } },
    expect: { payers: { 'return-shipping': 'customer' } },
  },
  { clause: 'shenzhen-service#on-site-shenzhen' },
  { clause: 'shenzhen-service#phone-support' },
  { clause: 'shenzhen-service#verify-fault' },
  { clause: 'shenzhen-service#return-own' },
  { clause: 'shenzhen-service#forward-to-maker' },
  // ist
  {
    clause: 'ist#warranty-term',
    given: { inspection: inspectedWith() },
    expect: { covered: true, basis: 'warranty', warrantyEnds: '2026-01-01' },
  },
  {
    clause: 'ist#host-and-main-accessories',
    ...excluded('out-of-scope', { product: { part: 'consumable' } }),
  },
  {
    clause: 'ist#sn-or-certificate',
    given: { purchase: { proofOfPurchase: false, warrantyCard: false } },
    expect: { covered: true, missingEvidence: { includes: ['serial-photo'] } },
  },
  {
    clause: 'ist#software-service',
    given: { problem: { kind: 'software-upgrade' } },
    expect: { covered: true, remedies: { first: 'software-upgrade' } },
  },
  {
    clause: 'ist#not-per-manual',
    ...excluded('improper-use', { inspection: inspectedFinding('improper-use') }),
  },
  { clause: 'ist#warranty-exceeded', ...excluded('expired', { claimedOn: '2026-01-02' }) },
  {
    clause: 'ist#serial-altered',
    ...excluded('serial-tampered', { inspection: inspectedFinding('serial-tampered') }),
  },
  {
    clause: 'ist#serial-mismatch',
    ...excluded('serial-mismatch', { inspection: inspectedFinding('serial-mismatch') }),
  },
  {
    clause: 'ist#unauthorized-repair',
    ...excluded('unauthorized-disassembly', { inspection: inspectedFinding('unauthorized-disassembly') }),
  },
  { clause: 'ist#settings-or-virus', ...excluded('malware', { inspection: inspectedFinding('malware') }) },
  {
    clause: 'ist#accidental-or-human',
    ...excluded('liquid-damage', { inspection: inspectedFinding('liquid-damage') }),
  },
  {
    clause: 'ist#return-transit',
    ...excluded('return-transit-damage', { inspection: inspectedFinding('return-transit-damage') }),
  },
  {
    clause: 'ist#force-majeure',
    ...excluded('force-majeure', { inspection: inspectedFinding('force-majeure') }),
  },
  {
    clause: 'ist#not-own-quality',
    ...excluded('not-manufacturing-defect', { inspection: inspectedWith({ manufacturingDefect: false }) }),
  },
  {
    clause: 'ist#paid-service',
    given: { inspection: inspectedFinding('malware') },
    expect: { remedies: { first: 'paid-repair' } },
  },
  {
    clause: 'ist#remote-analysis-first',
    expect: { provisional: true, remedies: { first: 'remote-fix', includes: ['repair'] } },
  },
  { clause: 'ist#dealer-repair', given: { purchase: { channel: 'dealer' } }, expect: { handler: 'dealer' } },
  {
    clause: 'ist#in-warranty-repair',
    given: { inspection: inspectedWith() },
    expect: { payers: { parts: 'vendor', labour: 'vendor' } },
  },
  {
    clause: 'ist#quote-then-repair',
    given: { claimedOn: '2026-02-01', inspection: inspectedWith() },
    expect: { payers: { parts: 'customer', labour: 'customer' } },
  },
  {
    clause: 'ist#return-after-repair',
    given: { purchase: { channel: 'dealer' }, inspection: inspectedWith() },
    expect: { payers: { 'inbound-shipping': 'customer', 'return-shipping': 'dealer' } },
  },
  {
    clause: 'ist#serial-on-order',
    given: { purchase: { warrantyCard: false } },
    expect: { missingEvidence: { includes: ['serial-photo'] } },
  },
  { clause: 'ist#data-not-guaranteed' },
  { clause: 'ist#extension-contracts' },
  { clause: 'ist#distributor-promises' },
  // player-one
  {
    clause: 'player-one#warranty-term',
    expect: { covered: true, basis: 'warranty', warrantyEnds: '2027-01-07' },
  },
  {
    clause: 'player-one#replace-not-as-described',
    given: { claimedOn: '2025-02-07', problem: { kind: 'not-as-described' } },
    expect: { covered: true, basis: 'not-as-described', remedies: { first: 'replace' } },
  },
  {
    clause: 'player-one#replace-performance-failure',
    given: { claimedOn: '2025-02-07' },
    expect: { covered: true, basis: 'early-failure', remedies: { first: 'replace' } },
  },
  {
    clause: 'player-one#replacement-on-request',
    given: { claimedOn: '2025-02-07', preference: 'repair' },
    expect: { covered: true, basis: 'warranty', remedies: { first: 'repair', excludes: ['replace'] } },
  },
  {
    clause: 'player-one#transit-damage',
    given: ARRIVED_DAMAGED,
    expect: { covered: true, basis: 'transport-damage' },
  },
  { clause: 'player-one#time-expired', ...excluded('expired', { claimedOn: '2027-01-08' }) },
  {
    clause: 'player-one#no-proof-of-purchase',
    ...excluded('no-proof-of-purchase', { purchase: { proofOfPurchase: false } }),
  },
  {
    clause: 'player-one#incomplete-return',
    given: { claimedOn: '2025-01-20', inspection: inspectedWith({ missingItems: ['cable'] }) },
    expect: {
      covered: true,
      basis: 'warranty',
      remedies: { excludes: ['replace'] },
      exclusions: { includes: ['incomplete-return'] },
    },
  },
  {
    clause: 'player-one#no-defect-found',
    ...excluded('no-fault-found', { inspection: inspectedWith({ faultConfirmed: false }) }),
  },
  {
    clause: 'player-one#unauthorized-use',
    ...excluded('foreign-matter', { inspection: inspectedFinding('foreign-matter') }),
  },
  {
    clause: 'player-one#moisture',
    ...excluded('liquid-damage', { inspection: inspectedFinding('liquid-damage') }),
  },
  {
    clause: 'player-one#labels-tampered',
    ...excluded('serial-tampered', { inspection: inspectedFinding('serial-tampered') }),
  },
  {
    clause: 'player-one#external-factors',
    ...excluded('physical-damage', { inspection: inspectedFinding('physical-damage') }),
  },
  {
    clause: 'player-one#other-circumstances',
    ...excluded('not-manufacturing-defect', { inspection: inspectedWith({ manufacturingDefect: false }) }),
  },
  {
    clause: 'player-one#estimate-first',
    given: { inspection: inspectedFinding('liquid-damage') },
    expect: { remedies: { first: 'paid-repair' } },
  },
  {
    clause: 'player-one#dealer-service',
    given: { purchase: { channel: 'dealer' } },
    expect: { handler: 'dealer', payers: { 'return-shipping': 'dealer' } },
  },
  { clause: 'player-one#direct-service', expect: { handler: 'vendor' } },
  {
    clause: 'player-one#in-warranty-freight',
    expect: { payers: { 'inbound-shipping': 'customer', 'return-shipping': 'vendor', parts: 'vendor' } },
  },
  {
    clause: 'player-one#replacement-freight',
    given: { claimedOn: '2025-02-07' },
    expect: { payers: { 'inbound-shipping': 'vendor', 'return-shipping': 'vendor' } },
  },
  {
    clause: 'player-one#estimate-payers',
    given: { inspection: inspectedFinding('liquid-damage') },
    expect: { payers: { parts: 'customer', labour: 'customer', 'inbound-shipping': 'customer' } },
  },
  { clause: 'player-one#image-or-video', expect: { missingEvidence: { includes: ['defect-media'] } } },
  {
    clause: 'player-one#carrier-proof',
    given: ARRIVED_DAMAGED,
    expect: { missingEvidence: { includes: ['carrier-report'] } },
  },
  { clause: 'player-one#contact-within-30-days' },
  // Clauses that answer what the seeds leave open, and the engine's own reasons for a denial.
  {
    clause: 'touptek#doa-arrived-intact',
    given: { claimedOn: '2025-01-30', problem: { kind: 'arrived-damaged', packagingDamaged: false } },
    expect: { covered: true, basis: 'doa', remedies: { first: 'replace' } },
  },
  {
    clause: 'touptek#not-as-described',
    given: { claimedOn: '2025-01-30', problem: { kind: 'not-as-described' } },
    expect: { covered: true, basis: 'not-as-described', remedies: { first: 'replace' } },
  },
  {
    clause: 'touptek#software-download',
    given: { problem: { kind: 'software-upgrade' } },
    expect: { covered: true, remedies: { first: 'software-upgrade' } },
  },
  {
    clause: 'touptek#not-served',
    ...excluded('not-served', { claimedOn: '2025-06-01', problem: { kind: 'not-as-described' } }),
  },
  {
    clause: 'touptek#dates-out-of-order',
    ...excluded('inconsistent-dates', { claimedOn: '2024-12-30' }),
  },
  {
    clause: 'retailer#accidental-damage',
    ...excluded('physical-damage', {
      claimedOn: '2025-01-15',
      inspection: inspectedFinding('physical-damage'),
    }),
  },
  {
    clause: 'retailer#other-cause',
    ...excluded('force-majeure', { claimedOn: '2025-01-15', inspection: inspectedFinding('force-majeure') }),
  },
  {
    clause: 'retailer#not-served',
    ...excluded('not-served', { claimedOn: '2025-01-10', problem: { kind: 'not-as-described' } }),
  },
  {
    clause: 'retailer#dates-out-of-order',
    ...excluded('inconsistent-dates', { claimedOn: '2025-01-01' }),
  },
  {
    clause: 'shenzhen-service#no-fault-found',
    ...excluded('no-fault-found', { inspection: inspectedWith({ faultConfirmed: false }) }),
  },
  {
    clause: 'shenzhen-service#not-served',
    ...excluded('not-served', { problem: { kind: 'arrived-damaged' } }),
  },
  {
    clause: 'shenzhen-service#dates-out-of-order',
    ...excluded('inconsistent-dates', { claimedOn: '2025-01-01' }),
  },
  {
    clause: 'ist#no-fault-found',
    ...excluded('no-fault-found', { inspection: inspectedWith({ faultConfirmed: false }) }),
  },
  { clause: 'ist#not-served', ...excluded('not-served', { problem: { kind: 'not-as-described' } }) },
  { clause: 'ist#dates-out-of-order', ...excluded('inconsistent-dates', { claimedOn: '2025-01-01' }) },
  {
    clause: 'player-one#not-served',
    ...excluded('not-served', { problem: { kind: 'software-upgrade' } }),
  },
  {
    clause: 'player-one#dates-out-of-order',
    ...excluded('inconsistent-dates', { claimedOn: '2025-01-05' }),
  },
]

function clauseOf(clauseId: string) {
  const [id, key] = clauseId.split('#') as [string, string]
  const document = library.policy(id)?.compiled.document
  return { id, clause: document?.clauses.find((c) => c.key === key) }
}

describe('every clause of every shipped policy', () => {
  for (const row of ROWS) {
    test(row.clause, () => {
      const { id, clause } = clauseOf(row.clause)
      assert.ok(clause, `${row.clause} is not a clause of a shipped policy`)
      if (!WEIGHED_KINDS.has(clause.kind)) {
        // Clauses on record: service levels must reach serviceLevels(); notes must quote the seed.
        assert.ok(clause.text.length > 10)
        if (clause.kind === 'service-level') {
          assert.ok(library.serviceLevels(id)?.targets.some((t) => t.clause === row.clause))
        }
        if (clause.kind === 'support-hours') assert.ok(library.serviceLevels(id)?.supportHours)
        return
      }
      const decision = library.decide(buildCase(id, row.given))
      const line = decision.trace.find((t) => t.clause === row.clause)
      assert.equal(
        line?.applies,
        true,
        `${row.clause} should apply; trace: ${JSON.stringify(decision.trace.filter((t) => t.applies))}`,
      )
      assert.ok(row.expect !== undefined || row.check !== undefined, 'a weighed clause needs an expectation')
      assert.deepEqual(findExpectationFailures(decision, row.expect ?? {}), [])
      row.check?.(decision)
    })
  }

  test('the table has a row for each clause of each shipped policy', () => {
    const covered = new Set(ROWS.map((row) => row.clause))
    const missing = library
      .list()
      .flatMap((s) =>
        library.policy(s.id, s.version)!.compiled.document.clauses.map((c) => `${s.id}#${c.key}`),
      )
      .filter((clause) => !covered.has(clause))
    assert.deepEqual(missing, [])
  })
})
