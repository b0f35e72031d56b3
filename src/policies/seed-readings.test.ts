import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { caseSchema } from '../contracts/case.ts'
import type { Decision } from '../contracts/decision.ts'
import { type ExampleExpectation, findExpectationFailures } from './domain/match-example.ts'
import { loadPolicyLibrary } from './load-policies.ts'
import { buildCase, type CaseOverrides, inspectedFinding, inspectedWith } from './policy-test-support.ts'

/**
 * Readings of the seed text the engine once got wrong, one row each, named after the
 * clause that now decides it; the seed sentence it follows is quoted in the policy file.
 */
interface ReadingRow {
  clause: string
  /** What the row shows, in a few words. */
  reads: string
  policy: string
  given: CaseOverrides
  expect: ExampleExpectation
  check?: (decision: Decision) => void
}

const library = loadPolicyLibrary()
const offers = (decision: Decision, ...remedies: string[]) =>
  remedies.filter((remedy) => decision.remedies.includes(remedy as Decision['remedies'][number]))

const ROWS: ReadingRow[] = [
  {
    clause: 'shenzhen-service#no-fault-found',
    reads: 'no fault found is not a quality failure',
    policy: 'shenzhen-service',
    given: { inspection: { faultConfirmed: false } },
    expect: {
      covered: false,
      exclusions: { includes: ['no-fault-found'] },
      remedies: { excludes: ['repair'] },
    },
    check: (d) => assert.deepEqual(offers(d, 'repair', 'replace', 'paid-repair'), []),
  },
  {
    clause: 'ist#no-fault-found',
    reads: 'no fault found is not a failure of the product itself',
    policy: 'ist',
    given: { inspection: inspectedWith({ faultConfirmed: false }) },
    expect: { covered: false, exclusions: { includes: ['no-fault-found'] } },
    check: (d) => assert.deepEqual(offers(d, 'repair', 'replace', 'paid-repair'), []),
  },
  {
    clause: 'touptek#software-download',
    reads: 'a software upgrade is the free download',
    policy: 'touptek',
    given: { problem: { kind: 'software-upgrade' } },
    expect: { covered: true, remedies: { first: 'software-upgrade', excludes: ['paid-repair'] } },
    check: (d) => assert.deepEqual(d.exclusions, []),
  },
  {
    clause: 'touptek#doa-arrived-intact',
    reads: 'arrived damaged in sound packaging within 30 days is a DOA replacement',
    policy: 'touptek',
    given: { claimedOn: '2025-01-30', problem: { kind: 'arrived-damaged', packagingDamaged: false } },
    expect: { covered: true, basis: 'doa', remedies: { first: 'replace' } },
  },
  {
    clause: 'touptek#doa-arrived-intact',
    reads: 'the same after inspection finds transport damage, not a manufacturing defect',
    policy: 'touptek',
    given: {
      claimedOn: '2025-01-30',
      problem: { kind: 'arrived-damaged', packagingDamaged: false },
      inspection: inspectedFinding('physical-damage'),
    },
    expect: { covered: true, basis: 'doa', remedies: { first: 'replace' } },
  },
  {
    clause: 'retailer#doa',
    reads: 'arrived broken is a DOA, not a manufacturing question',
    policy: 'retailer',
    given: {
      claimedOn: '2025-01-12',
      problem: { kind: 'arrived-damaged' },
      preference: 'refund',
      inspection: inspectedWith({ manufacturingDefect: false }),
    },
    expect: {
      covered: true,
      basis: 'doa',
      remedies: { first: 'refund' },
      payers: { 'inbound-shipping': 'vendor' },
    },
  },
  {
    clause: 'retailer#accidental-damage',
    reads: 'the carrier’s force on an item that arrived broken is no ground to refuse it',
    policy: 'retailer',
    given: {
      claimedOn: '2025-01-12',
      problem: { kind: 'arrived-damaged' },
      inspection: inspectedFinding('physical-damage'),
    },
    expect: { covered: true, basis: 'doa' },
  },
  {
    clause: 'player-one#replace-not-as-described',
    reads: 'not as described is replaced whatever its manufacturing',
    policy: 'player-one',
    given: {
      claimedOn: '2025-01-30',
      problem: { kind: 'not-as-described' },
      inspection: inspectedWith({ manufacturingDefect: false }),
    },
    expect: { covered: true, basis: 'not-as-described', remedies: { first: 'replace' } },
  },
  {
    clause: 'retailer#other-cause',
    reads: 'force majeure is a cause not related to the product',
    policy: 'retailer',
    given: { claimedOn: '2025-01-12', inspection: inspectedFinding('force-majeure') },
    expect: {
      covered: false,
      exclusions: { includes: ['force-majeure'] },
      payers: { 'inbound-shipping': 'customer' },
    },
  },
  {
    clause: 'retailer#other-cause',
    reads: 'damage on the way in is a cause not related to the product',
    policy: 'retailer',
    given: { claimedOn: '2025-01-12', inspection: inspectedFinding('return-transit-damage') },
    expect: { covered: false, exclusions: { includes: ['return-transit-damage'] } },
  },
  {
    clause: 'ist#sn-or-certificate',
    reads: 'no invoice, card or serial: ask for the serial photo, do not deny',
    policy: 'ist',
    given: { purchase: { proofOfPurchase: false, warrantyCard: false } },
    expect: { covered: true, basis: 'warranty', missingEvidence: { includes: ['serial-photo'] } },
    check: (d) => assert.deepEqual(d.exclusions, []),
  },
  {
    clause: 'retailer#not-manufacturing-pays',
    reads: 'a misuse finding sends the item in at the customer’s cost',
    policy: 'retailer',
    given: { claimedOn: '2025-01-12', inspection: inspectedWith({ findings: ['liquid-damage'] }) },
    expect: { covered: false, payers: { 'inbound-shipping': 'customer' } },
  },
  {
    clause: 'touptek#transport-handler',
    reads: 'the shipping dealer handles the transport-damage exchange',
    policy: 'touptek',
    given: {
      claimedOn: '2025-01-10',
      purchase: { channel: 'dealer', shippedBy: 'dealer' },
      problem: { kind: 'arrived-damaged', packagingDamaged: true },
    },
    expect: { covered: true, basis: 'transport-damage', handler: 'dealer' },
  },
  {
    clause: 'touptek#transport-handler',
    reads: 'a missed transport window is not the dealer’s to handle',
    policy: 'touptek',
    given: {
      claimedOn: '2025-01-20',
      purchase: { channel: 'dealer', shippedBy: 'dealer' },
      problem: { kind: 'arrived-damaged', packagingDamaged: true },
    },
    expect: { covered: false, handler: 'vendor', exclusions: { includes: ['window-missed'] } },
  },
  {
    clause: 'touptek#transport-handler',
    reads: 'a DOA in sound packaging shipped by a dealer is ToupTek’s',
    policy: 'touptek',
    given: {
      claimedOn: '2025-01-20',
      purchase: { channel: 'dealer', shippedBy: 'dealer' },
      problem: { kind: 'arrived-damaged', packagingDamaged: false },
    },
    expect: { covered: true, basis: 'doa', handler: 'vendor' },
  },
  {
    clause: 'touptek#no-fault',
    reads: 'no fault found: nothing to replace or repair, for a fee or not',
    policy: 'touptek',
    given: { inspection: inspectedWith({ faultConfirmed: false }) },
    expect: { covered: false, exclusions: { includes: ['no-fault-found'] } },
    check: (d) => assert.deepEqual(offers(d, 'repair', 'replace', 'paid-repair'), []),
  },
  {
    clause: 'player-one#dates-out-of-order',
    reads: 'a claim before the purchase is answered, with inconsistent-dates',
    policy: 'player-one',
    given: { claimedOn: '2024-12-01' },
    expect: { covered: false, exclusions: { includes: ['inconsistent-dates'] }, remedies: {} },
    check: (d) => assert.deepEqual(d.remedies, []),
  },
  {
    clause: 'retailer#broken-early',
    reads: 'past both windows, the refusal names the one open longest (30 days after shipment)',
    policy: 'retailer',
    // Shipped 3 January, delivered 8 January: the DOA week ran to 15 January, "faulty
    // within 7 days after delivery or 30 days after shipment" to 2 February.
    given: { claimedOn: '2025-02-03' },
    expect: { covered: false, exclusions: { includes: ['window-missed'] } },
    check: (d) => {
      assert.deepEqual(
        d.exclusions.map((e) => `${e.code} ${e.clause}`),
        ['window-missed retailer#broken-early'],
      )
      assert.match(d.explanation!.en, /ended on 2025-02-02, before you contacted us/)
      assert.match(d.explanation!.zh, /已于 2025-02-02 截止/)
      const line = d.trace.find((t) => t.clause === 'retailer#broken-early')!
      assert.equal(line.outcome, 'applies')
      assert.match(line.because!.en, /the 30-day window ran to 2025-02-02/)
    },
  },
  {
    clause: 'touptek#warranty-term',
    reads: 'a fault in the first 30 days without the purchase invoice is repaired, not a DOA replacement',
    policy: 'touptek',
    // "contacts ToupTek within the corresponding period to issue a product purchase invoice
    // and relevant proof": the DOA services are given against the invoice; the certificate
    // alone proves the two-year warranty ("no valid product purchase invoice and warranty certificate").
    given: { claimedOn: '2025-01-20', purchase: { proofOfPurchase: false, warrantyCard: true } },
    expect: { covered: true, basis: 'warranty', remedies: { first: 'repair', excludes: ['replace'] } },
    check: (d) => {
      assert.equal(d.service, undefined)
      assert.equal(d.trace.find((t) => t.clause === 'touptek#doa-quality')!.outcome, 'not-met')
      assert.equal(d.payers['inbound-shipping'], null)
    },
  },
  {
    clause: 'touptek#doa-invoice',
    reads: 'soaked packaging reported in 3 days without the purchase invoice is refused, saying so',
    policy: 'touptek',
    given: {
      claimedOn: '2025-01-10',
      purchase: { proofOfPurchase: false, warrantyCard: true },
      problem: { kind: 'arrived-damaged', packagingDamaged: true },
    },
    expect: { covered: false, exclusions: { includes: ['no-proof-of-purchase'] } },
    check: (d) => {
      assert.deepEqual(
        d.exclusions.map((e) => `${e.code} ${e.clause}`),
        ['no-proof-of-purchase touptek#doa-invoice'],
      )
      assert.match(d.explanation!.en, /no valid invoice or receipt can be shown/)
      assert.match(d.explanation!.zh, /无法出示有效的购买凭证/)
    },
  },
  {
    clause: 'touptek#doa-arrived-intact',
    reads: 'damage on arrival in sound packaging, without the invoice, is refused for it too',
    policy: 'touptek',
    given: {
      claimedOn: '2025-01-20',
      purchase: { proofOfPurchase: false },
      problem: { kind: 'arrived-damaged', packagingDamaged: false },
    },
    expect: { covered: false, exclusions: { includes: ['no-proof-of-purchase'] } },
    check: (d) => assert.deepEqual(d.remedies.includes('replace'), false),
  },
  {
    clause: 'player-one#transit-damage',
    reads:
      'arrived damaged 10 days after shipment, delivery day not recorded: surely within 30 days of receipt',
    policy: 'player-one',
    // Shipped 3 January: whenever it arrived, it was on or after that day, so a claim on
    // 13 January is "within 30 calendar days of receiving the product".
    given: {
      claimedOn: '2025-01-13',
      purchase: { deliveredOn: undefined },
      problem: { kind: 'arrived-damaged' },
    },
    expect: { covered: true, basis: 'transport-damage', remedies: { first: 'replace' } },
    check: (d) => {
      const line = d.trace.find((t) => t.clause === 'player-one#transit-damage')!
      assert.equal(line.outcome, 'applies')
      assert.equal(
        line.because!.en,
        'The delivery date is not known, but the unit was shipped on 2025-01-03, so the 30-day window runs at least to 2025-02-02; you wrote on 2025-01-13.',
      )
      assert.equal(
        line.because!.zh,
        '签收日期未知，但产品发货于 2025-01-03，故 30 天期限至少至 2025-02-02；您于 2025-01-13 联系我们。',
      )
      // The customer is not told an end the case cannot know.
      assert.doesNotMatch(d.explanation!.en, /2025-02-02/)
    },
  },
  {
    clause: 'player-one#transit-damage',
    reads:
      'past 30 days of the shipment with no delivery day, the window is not invented; the warranty repairs it',
    policy: 'player-one',
    given: {
      claimedOn: '2025-02-10',
      purchase: { deliveredOn: undefined },
      problem: { kind: 'arrived-damaged' },
    },
    expect: { covered: true, basis: 'warranty', remedies: { first: 'repair', excludes: ['replace'] } },
    check: (d) =>
      assert.equal(d.trace.find((t) => t.clause === 'player-one#transit-damage')!.outcome, 'not-met'),
  },
  {
    clause: 'touptek#doa-quality',
    reads: 'a fault reported 10 days after shipment with no delivery day is within 30 days of receipt',
    policy: 'touptek',
    given: { claimedOn: '2025-01-13', purchase: { deliveredOn: undefined } },
    expect: { covered: true, basis: 'doa', remedies: { first: 'replace' } },
  },
  {
    clause: 'retailer#doa',
    reads: 'arrived broken 2 days after shipment with no delivery day is within 7 days of delivery',
    policy: 'retailer',
    given: {
      claimedOn: '2025-01-05',
      purchase: { deliveredOn: undefined },
      problem: { kind: 'arrived-damaged' },
    },
    expect: { covered: true, basis: 'doa' },
  },
  {
    clause: 'player-one#replacement-on-request',
    reads: 'a fault in the first 30 days is repaired under the warranty when the customer asks for a repair',
    policy: 'player-one',
    given: { claimedOn: '2025-01-20', preference: 'repair' },
    expect: {
      covered: true,
      basis: 'warranty',
      remedies: { first: 'repair' },
      payers: { 'inbound-shipping': 'customer', 'return-shipping': 'vendor' },
    },
    check: (d) => {
      const window = d.trace.find((t) => t.clause === 'player-one#replace-performance-failure')!
      assert.equal(window.outcome, 'overridden')
      assert.match(window.because!.en, /player-one#replacement-on-request/)
      // Without a wish for a repair, the replacement the customer may request stays first.
      const asked = library.decide(buildCase('player-one', { claimedOn: '2025-01-20' }))
      assert.deepEqual(asked.remedies, ['replace'])
    },
  },
  {
    clause: 'player-one#replacement-on-request',
    reads: 'a unit that arrived damaged is repaired under the warranty when the customer asks for a repair',
    policy: 'player-one',
    // "You can request our Replacement Service": the transit replacement read into the same
    // section is the customer's to request, and the warranty serves "any issue" of the product.
    given: {
      claimedOn: '2025-01-10',
      problem: { kind: 'arrived-damaged', packagingDamaged: true },
      preference: 'repair',
      evidence: ['carrier-report', 'defect-media'],
    },
    expect: {
      covered: true,
      basis: 'warranty',
      remedies: { first: 'repair', excludes: ['replace'] },
      payers: {
        parts: 'vendor',
        labour: 'vendor',
        'inbound-shipping': 'customer',
        'return-shipping': 'vendor',
      },
    },
    check: (d) => {
      const clause = library
        .policy('player-one')!
        .compiled.document.clauses.find((c) => c.key === 'replacement-on-request')!
      assert.ok(clause.text.includes('You can request our Replacement Service'))
      const window = d.trace.find((t) => t.clause === 'player-one#transit-damage')!
      assert.equal(window.outcome, 'overridden')
      assert.match(d.explanation!.en, /A replacement is not possible because you asked for a repair/)
      // Without a wish for a repair, the replacement for damage in transit stays first.
      const asked = library.decide(
        buildCase('player-one', {
          claimedOn: '2025-01-10',
          problem: { kind: 'arrived-damaged', packagingDamaged: true },
        }),
      )
      assert.equal(asked.basis, 'transport-damage')
      assert.deepEqual(asked.remedies, ['replace'])
    },
  },
  {
    clause: 'ist#warranty-term',
    reads: 'an extension signed for the product (its own term) is the warranty the claim is judged by',
    policy: 'ist',
    given: { claimedOn: '2026-06-01', product: { warrantyTerm: 'P3Y' } },
    expect: { covered: true, basis: 'extended-warranty', warrantyEnds: '2028-01-01' },
  },
  {
    clause: 'shenzhen-service#not-served',
    reads: 'a problem the seed does not serve is said, not silent',
    policy: 'shenzhen-service',
    given: { problem: { kind: 'not-as-described' } },
    expect: { covered: false, exclusions: { includes: ['not-served'] } },
  },
]

describe('seed readings', () => {
  for (const row of ROWS) {
    test(`${row.clause}: ${row.reads}`, () => {
      const decision = library.decide(buildCase(row.policy, row.given))
      assert.deepEqual(findExpectationFailures(decision, row.expect), [])
      row.check?.(decision)
      const line = decision.trace.find((t) => t.clause === row.clause)
      assert.ok(line, `${row.clause} is in the trace`)
    })
  }

  test('the Shenzhen case of the report, as written, is refused for no fault found', () => {
    const input = caseSchema.parse({
      policy: 'shenzhen-service',
      claimedOn: '2025-06-01',
      product: { part: 'host' },
      purchase: { channel: 'direct', purchasedOn: '2025-03-01' },
      problem: { kind: 'malfunction' },
      inspection: { faultConfirmed: false },
    })
    const decision = library.decide(input)
    assert.equal(decision.covered, false)
    assert.deepEqual(
      decision.exclusions.map((e) => e.code),
      ['no-fault-found'],
    )
    assert.match(decision.explanation!.en, /found no fault/)
    assert.match(decision.explanation!.zh, /未发现故障/)
  })

  test('a covered DOA explains the window with its dates', () => {
    const decision = library.decide(
      buildCase('player-one', { claimedOn: '2025-01-20', problem: { kind: 'malfunction' } }),
    )
    assert.equal(decision.basis, 'early-failure')
    // The customer's paragraph says until when; the trace line also says the day they wrote.
    assert.match(decision.explanation!.en, /within the time allowed, which ran to 2025-02-07/)
    assert.match(decision.explanation!.zh, /截至 2025-02-07 的期限内/)
    const window = decision.trace.find((t) => t.clause === 'player-one#replace-performance-failure')!
    assert.equal(window.outcome, 'applies')
    assert.equal(
      window.because!.en,
      'Delivered 2025-01-08; the 30-day window ran to 2025-02-07; you wrote on 2025-01-20.',
    )
    const term = decision.trace.find((t) => t.clause === 'player-one#warranty-term')!
    assert.match(term.because!.en, /2025-01-08 to 2027-01-07/)
  })

  test('a claim one day past the warranty says one day, not one days', () => {
    // Delivered 8 January 2025, ToupTek's two years from the day after ran to 8 January 2027.
    const decision = library.decide(buildCase('touptek', { claimedOn: '2027-01-09' }))
    const term = decision.trace.find((t) => t.clause === 'touptek#warranty-term')!
    assert.equal(
      term.because!.en,
      'The warranty ran from 2025-01-09 to 2027-01-08; you wrote on 2027-01-09, 1 day after it ended.',
    )
    const expired = decision.trace.find((t) => t.clause === 'touptek#out-of-warranty')!
    assert.equal(
      expired.because!.en,
      'The warranty ended on 2027-01-08; you wrote on 2027-01-09, 1 day later.',
    )
    const later = library.decide(buildCase('touptek', { claimedOn: '2027-01-10' }))
    assert.match(
      later.trace.find((t) => t.clause === 'touptek#out-of-warranty')!.because!.en,
      /, 2 days later\.$/,
    )
  })

  test('a claim dated before the delivery says the delivery day in words that read in both languages', () => {
    const decision = library.decide(buildCase('player-one', { claimedOn: '2025-01-05' }))
    const line = decision.trace.find((t) => t.clause === 'player-one#dates-out-of-order')!
    assert.equal(line.because!.en, 'You wrote on 2025-01-05, before the unit was delivered on 2025-01-08.')
    assert.equal(line.because!.zh, '您于 2025-01-05 联系我们，早于签收日期 2025-01-08。')
    const bought = library.decide(buildCase('player-one', { claimedOn: '2024-12-05' }))
    const before = bought.trace.find((t) => t.clause === 'player-one#dates-out-of-order')!
    assert.equal(before.because!.en, 'You wrote on 2024-12-05, before the unit was bought on 2025-01-02.')
    assert.equal(before.because!.zh, '您于 2024-12-05 联系我们，早于购买日期 2025-01-02。')
  })

  test("an upgrade asked for within and after ToupTek's warranty reads as the download it is, in both languages", () => {
    const after = library.decide(
      buildCase('touptek', { claimedOn: '2028-06-01', problem: { kind: 'software-upgrade' } }),
    )
    assert.deepEqual(after.remedies, ['software-upgrade'])
    // Not "not covered free of charge ... We can offer a software upgrade", which reads as an upgrade at a price.
    assert.equal(
      after.explanation!.en,
      'The warranty ended on 2027-01-08, before you contacted us. We can still offer you a software upgrade. ' +
        // No unit is sent in for a download, so none is inspected.
        'This is a first assessment; it becomes final once our service team has confirmed it.',
    )
    assert.equal(
      after.explanation!.zh,
      '保修期已于 2027-01-08 结束，早于您联系我们的日期。我们仍可为您提供软件升级。这是初步判定，经售后人员确认后将作最终确认。',
    )
    const download = after.trace.find((t) => t.clause === 'touptek#software-download')!
    assert.deepEqual(download.because, {
      en: 'It answers this request with a software upgrade alone.',
      zh: '对此申请仅提供软件升级。',
    })
    // Not "a repair at your cost is offered, but ... set it instead": the repair is not offered.
    const paid = after.trace.find((t) => t.clause === 'touptek#paid-repair')!
    assert.equal(paid.outcome, 'overridden')
    assert.deepEqual(paid.because, {
      en: 'Free service does not apply, so a repair at your cost would be offered, but touptek#software-download answers this request with a software upgrade alone.',
      zh: '不适用免费服务，本应提供付费维修，但 touptek#software-download 对此申请仅提供软件升级。',
    })

    // Within the warranty an upgrade has no fault for the warranty to cover.
    const within = library.decide(buildCase('touptek', { problem: { kind: 'software-upgrade' } }))
    assert.match(
      within.explanation!.en,
      /^Your claim is accepted: we offer a software upgrade free of charge because the unit is within its warranty, which runs until 2027-01-08\./,
    )
    assert.match(
      within.explanation!.zh,
      /^您的申请已受理：由于产品在保修期内（保修期至 2027-01-08），我们免费为您提供软件升级。/,
    )
  })

  test("an upgrade under IST's warranty is not called free: free software is upgraded free, paid software at the maker's price", () => {
    const decision = library.decide(buildCase('ist', { problem: { kind: 'software-upgrade' } }))
    assert.deepEqual(decision.remedies, ['software-upgrade'])
    assert.match(
      decision.explanation!.en,
      /^Your claim is accepted: we offer a software upgrade because the unit is within its warranty, which runs until \d{4}-\d{2}-\d{2}\. Free software is upgraded free of charge; software that is not free is upgraded for a fee, as its manufacturer prices the upgrade\./,
    )
    assert.match(
      decision.explanation!.zh,
      /^您的申请已受理：由于产品在保修期内（保修期至 \d{4}-\d{2}-\d{2}），我们为您提供软件升级。免费软件免费升级；收费软件按厂商的升级政策收费升级。/,
    )
    // Shenzhen's free warranty names the software version upgrade: its upgrade is free.
    const free = library.decide(buildCase('shenzhen-service', { problem: { kind: 'software-upgrade' } }))
    assert.match(
      free.explanation!.en,
      /^Your claim is accepted: we offer a software upgrade free of charge because/,
    )
  })

  test('a refusal that offers nothing does not ask the customer for more evidence', () => {
    // Liquid inside: "damage resulting from misuse"; no photo can change that, as a decision is
    // made as if every missing item will come.
    const refused = library.decide(
      buildCase('retailer', { claimedOn: '2025-01-12', inspection: inspectedFinding('liquid-damage') }),
    )
    assert.deepEqual(refused.remedies, [])
    assert.deepEqual(refused.missingEvidence, ['package-photos', 'defect-media'])
    assert.doesNotMatch(refused.explanation!.en, /Please still send/)
    assert.doesNotMatch(refused.explanation!.zh, /请补充提供/)
    // Where something is offered, what it still needs is asked for.
    const offered = library.decide(buildCase('retailer', { claimedOn: '2025-01-12' }))
    assert.match(
      offered.explanation!.en,
      /Please still send photos of the package and a photo or video of the fault\./,
    )
    assert.match(offered.explanation!.zh, /请补充提供包装照片和故障照片或视频。/)
  })

  test('a window that held but lost to an earlier one is overridden, naming it', () => {
    const decision = library.decide(
      buildCase('retailer', { claimedOn: '2025-01-10', problem: { kind: 'malfunction' } }),
    )
    const early = decision.trace.find((t) => t.clause === 'retailer#broken-early')!
    assert.equal(early.outcome, 'overridden')
    assert.match(early.because!.en, /retailer#doa/)
  })

  test('a payers clause whose every cost a later one sets is overridden', () => {
    const decision = library.decide(buildCase('shenzhen-service', { claimedOn: '2026-06-01' }))
    const excluded = decision.trace.find((t) => t.clause === 'shenzhen-service#excluded-paid')!
    assert.equal(excluded.outcome, 'overridden')
    assert.match(excluded.because!.en, /years-one-two-beyond/)
  })
})
