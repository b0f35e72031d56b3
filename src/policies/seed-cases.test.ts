import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { type ExampleExpectation, findExpectationFailures } from './domain/match-example.ts'
import { loadPolicyLibrary } from './load-policies.ts'
import { buildCase, type CaseOverrides, inspectedFinding, inspectedWith } from './policy-test-support.ts'

/**
 * Cases worked out from the seed texts alone (not from the policy files); each row's name
 * carries the reasoning. Default unit: camera host bought direct 2025-01-02, shipped 01-03,
 * delivered 2025-01-08.
 */
const SEED_CASES: [string, string, CaseOverrides, ExampleExpectation][] = [
  [
    'touptek',
    '"starts from the day after the user receives": delivered 01-08 → 2 years run 01-09..2027-01-08',
    { claimedOn: '2027-01-08' },
    { covered: true, basis: 'warranty', warrantyEnds: '2027-01-08' },
  ],
  [
    'touptek',
    'one day later, 2027-01-09, the 2 years are over: out of warranty → paid repair',
    { claimedOn: '2027-01-09' },
    { covered: false, exclusions: { includes: ['expired'] }, remedies: { first: 'paid-repair' } },
  ],
  [
    'touptek',
    '"within 30 days from receiving ... after testing ... free replacement": day 30 quality fault → replace',
    { claimedOn: '2025-02-07', inspection: inspectedWith() },
    { covered: true, basis: 'doa', remedies: { first: 'replace' } },
  ],
  [
    'touptek',
    'day 31 is past the DOA window: ordinary warranty repair, not replacement',
    { claimedOn: '2025-02-08', inspection: inspectedWith() },
    { covered: true, basis: 'warranty', remedies: { first: 'repair' } },
  ],
  [
    'touptek',
    '"ToupTek will provide on-site pickup services" for DOA',
    { claimedOn: '2025-01-15' },
    { basis: 'doa', payers: { 'inbound-shipping': 'vendor' } },
  ],
  [
    'touptek',
    'soaked packaging, photos + receipt "within 3 days": day 3 is in, shipped by ToupTek → ToupTek handles',
    {
      claimedOn: '2025-01-11',
      problem: { kind: 'arrived-damaged', packagingDamaged: true },
      evidence: ['package-photos', 'delivery-receipt'],
    },
    { covered: true, basis: 'transport-damage', handler: 'vendor' },
  ],
  [
    'touptek',
    '"shipped directly to the user by a ToupTek agent, the Agent will be responsible"',
    {
      claimedOn: '2025-01-10',
      purchase: { channel: 'dealer', shippedBy: 'dealer' },
      problem: { kind: 'arrived-damaged', packagingDamaged: true },
    },
    { handler: 'dealer', missingEvidence: { includes: ['package-photos', 'delivery-receipt'] } },
  ],
  [
    'touptek',
    'transport damage reported on day 4 misses the 3-day window',
    { claimedOn: '2025-01-12', problem: { kind: 'arrived-damaged', packagingDamaged: true } },
    { covered: false, exclusions: { includes: ['window-missed'] } },
  ],
  [
    'touptek',
    '"AstroStation ... from the activation date": activated 2025-05-01 → ends 2027-04-30',
    { claimedOn: '2027-03-01', product: { category: 'astro-box' }, purchase: { activatedOn: '2025-05-01' } },
    { covered: true, warrantyEnds: '2027-04-30' },
  ],
  [
    'touptek',
    'second-hand products are non-warranty: repair is paid',
    { purchase: { secondHand: true } },
    { covered: false, exclusions: { includes: ['second-hand'] }, remedies: { first: 'paid-repair' } },
  ],
  [
    'touptek',
    'wrong firmware without written authorization → non-warranty paid repair',
    { inspection: inspectedFinding('unauthorized-firmware') },
    { covered: false, exclusions: { includes: ['unauthorized-firmware'] } },
  ],
  [
    'touptek',
    '"accessory ... is not a condition for the return and exchange of the camera host"',
    {
      claimedOn: '2025-01-10',
      product: { part: 'accessory' },
      problem: { kind: 'arrived-damaged', packagingDamaged: true },
      preference: 'refund',
    },
    { covered: true, remedies: { first: 'replace', excludes: ['refund'] } },
  ],
  [
    'retailer',
    '"within 7 days from its delivery date": delivered 01-08, day 7 (01-15) is in → DOA, refund as preferred',
    { claimedOn: '2025-01-15', preference: 'refund' },
    { covered: true, basis: 'doa', remedies: { first: 'refund', includes: ['replace'] } },
  ],
  [
    'retailer',
    '"7 days after delivery or 30 days after shipment": shipped 01-03, day 30 after shipment (02-02) still in',
    { claimedOn: '2025-02-02', preference: 'replace' },
    { covered: true, basis: 'early-failure', remedies: { first: 'replace' } },
  ],
  [
    'retailer',
    'both windows missed on 2025-02-03: no replacement or refund',
    { claimedOn: '2025-02-03' },
    { covered: false, basis: 'none', exclusions: { includes: ['window-missed'] } },
  ],
  [
    'retailer',
    '"caused by its manufacturing process": misuse found on inspection is not covered, and the customer pays the return',
    { claimedOn: '2025-01-12', inspection: inspectedFinding('physical-damage') },
    { covered: false, payers: { 'inbound-shipping': 'customer' } },
  ],
  [
    'retailer',
    '"We will cover the return shipping fees"; duties and missing accessories are the customer\'s',
    { claimedOn: '2025-01-12', inspection: inspectedWith() },
    {
      covered: true,
      payers: { 'inbound-shipping': 'vendor', duties: 'customer', 'missing-items': 'customer' },
    },
  ],
  [
    'retailer',
    'proofs: box photos, slips when it arrived damaged, defect photo/video',
    { claimedOn: '2025-01-09', problem: { kind: 'arrived-damaged' } },
    { missingEvidence: { includes: ['package-photos', 'shipping-slip', 'defect-media'] } },
  ],
  [
    'shenzhen-service',
    '"1 year (except for products with clear warranty period)": a P2Y product is still covered after 18 months',
    { claimedOn: '2026-07-01', product: { warrantyTerm: 'P2Y' } },
    { covered: true, basis: 'warranty' },
  ],
  [
    'shenzhen-service',
    '"first and second years beyond": parts charged, labour free, one-way freight back by the company',
    { claimedOn: '2026-06-01', inspection: inspectedWith() },
    {
      covered: false,
      payers: {
        parts: 'customer',
        labour: 'vendor',
        'return-shipping': 'vendor',
        'inbound-shipping': 'customer',
      },
    },
  ],
  [
    'shenzhen-service',
    'in the third year beyond, parts and labour are charged',
    { claimedOn: '2028-03-01', inspection: inspectedWith() },
    { covered: false, payers: { parts: 'customer', labour: 'customer' } },
  ],
  [
    'shenzhen-service',
    '"urgent freight, the customer shall bear the expenses"',
    { problem: { urgentFreight: true } },
    { covered: true, payers: { 'return-shipping': 'customer' } },
  ],
  [
    'shenzhen-service',
    "agent products go to the maker's warranty centre (dual service)",
    { purchase: { brand: 'agent', channel: 'dealer' } },
    { covered: true, handler: 'manufacturer' },
  ],
  [
    'ist',
    '"one-year warranty ... from the date when the consumer purchases": purchased 01-02 → ends 2026-01-01',
    { claimedOn: '2026-01-01', inspection: inspectedWith() },
    { covered: true, warrantyEnds: '2026-01-01' },
  ],
  [
    'ist',
    '"limited to the host and main accessories": a cable is out of scope',
    { product: { part: 'consumable' } },
    { covered: false, exclusions: { includes: ['out-of-scope'] } },
  ],
  [
    'ist',
    'a main accessory is in scope',
    { product: { part: 'main-accessory' }, inspection: inspectedWith() },
    { covered: true },
  ],
  [
    'ist',
    '"barcode or model number on the certificate does not match" → paid service',
    { inspection: inspectedFinding('serial-mismatch') },
    { covered: false, exclusions: { includes: ['serial-mismatch'] }, remedies: { first: 'paid-repair' } },
  ],
  [
    'ist',
    'virus damage is excluded',
    { inspection: inspectedFinding('malware') },
    { covered: false, exclusions: { includes: ['malware'] } },
  ],
  [
    'ist',
    'damage on the way in for repair is excluded',
    { inspection: inspectedFinding('return-transit-damage') },
    { covered: false, exclusions: { includes: ['return-transit-damage'] } },
  ],
  [
    'ist',
    'step one is remote analysis; bought from a dealer, the dealer repairs',
    { purchase: { channel: 'dealer' } },
    {
      provisional: true,
      covered: true,
      handler: 'dealer',
      remedies: { first: 'remote-fix', includes: ['repair'] },
    },
  ],
  [
    'player-one',
    '"2-year ... start from delivered": delivered 01-08 → ends 2027-01-07',
    { claimedOn: '2027-01-07' },
    { covered: true, warrantyEnds: '2027-01-07' },
  ],
  [
    'player-one',
    '"Purchase from dealer ... through dealer"; customer pays only the freight in',
    { purchase: { channel: 'dealer' }, inspection: inspectedWith() },
    {
      covered: true,
      handler: 'dealer',
      payers: { 'inbound-shipping': 'customer', 'return-shipping': 'dealer' },
    },
  ],
  [
    'player-one',
    '"within 30 calendar days ... not match the original description" → replacement, freight both ways by Player One',
    { claimedOn: '2025-02-07', problem: { kind: 'not-as-described' } },
    {
      covered: true,
      basis: 'not-as-described',
      payers: { 'inbound-shipping': 'vendor', 'return-shipping': 'vendor' },
    },
  ],
  [
    'player-one',
    'not-as-described on day 31 is too late for a replacement; the warranty repairs it',
    { claimedOn: '2025-02-08', problem: { kind: 'not-as-described' } },
    { covered: true, basis: 'warranty', remedies: { first: 'repair', excludes: ['replace'] } },
  ],
  [
    'player-one',
    '"found to have no defects after all appropriate tests" → estimate first',
    { inspection: inspectedWith({ faultConfirmed: false }) },
    { covered: false, exclusions: { includes: ['no-fault-found'] }, remedies: { first: 'paid-repair' } },
  ],
  [
    'player-one',
    'incomplete return blocks replacement only: a day-10 fault is repaired under warranty',
    { claimedOn: '2025-01-18', inspection: inspectedWith({ missingItems: ['power-cable'] }) },
    { covered: true, basis: 'warranty', remedies: { excludes: ['replace'] } },
  ],
  [
    'player-one',
    "transit damage needs the carrier's proof",
    { claimedOn: '2025-01-09', problem: { kind: 'arrived-damaged' }, evidence: ['defect-media'] },
    { covered: true, missingEvidence: { includes: ['carrier-report'] } },
  ],
  [
    'player-one',
    'labels tampered → not covered',
    { inspection: inspectedFinding('seal-broken') },
    { covered: false, exclusions: { includes: ['seal-broken'] } },
  ],
]

const library = loadPolicyLibrary()

describe('cases worked from the seeds', () => {
  for (const [policy, reasoning, given, expect] of SEED_CASES) {
    test(`${policy}: ${reasoning}`, () => {
      assert.deepEqual(findExpectationFailures(library.decide(buildCase(policy, given)), expect), [])
    })
  }
})
