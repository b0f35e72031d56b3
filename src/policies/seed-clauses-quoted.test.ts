import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Decision } from '../contracts/decision.ts'
import { loadPolicyLibrary } from './load-policies.ts'
import { buildCase, inspectedWith } from './policy-test-support.ts'

/**
 * Readings of a seed sentence, each quoted as the seed has it: the policy's clause must
 * carry the words, and the decision must follow them and say so in English and Chinese.
 */
const library = loadPolicyLibrary()

/** The clause `POLICY#KEY` quotes `words` from its seed. */
function assertQuotes(clause: string, words: string): void {
  const [id, key] = clause.split('#') as [string, string]
  const found = library.policy(id)!.compiled.document.clauses.find((c) => c.key === key)
  assert.ok(found, `${clause} is a clause of ${id}`)
  assert.ok(found.text.includes(words), `${clause} quotes: ${words}`)
}

const lineOf = (decision: Decision, clause: string) => {
  const line = decision.trace.find((t) => t.clause === clause)
  assert.ok(line, `${clause} is in the trace`)
  return line
}

describe('Player One: the two-year warranty serves any issue after the 30-day replacement', () => {
  // "2-year free warranty (time start from delivered) for Player One products. If the product has
  // any issue, please send the image or video and description ... for further check to confirm"
  test('the clauses quote the seed', () => {
    assertQuotes(
      'player-one#warranty-term',
      '2-year free warranty (time start from delivered) for Player One products.',
    )
    assertQuotes('player-one#in-warranty-freight', 'Repair in warranty, customer only pay the shipping fee')
  })

  for (const kind of ['not-as-described', 'arrived-damaged'] as const) {
    test(`${kind} reported after the 30 days is repaired under the warranty, not refused`, () => {
      const decision = library.decide(
        buildCase('player-one', {
          claimedOn: '2025-06-01',
          problem: { kind },
          evidence: ['defect-media', 'carrier-report'],
        }),
      )
      assert.equal(decision.covered, true)
      assert.equal(decision.basis, 'warranty')
      assert.deepEqual(decision.remedies, ['repair'])
      assert.deepEqual(decision.exclusions, [])
      assert.equal(lineOf(decision, 'player-one#warranty-term').outcome, 'applies')
      assert.equal(decision.payers['inbound-shipping'], 'customer')
      assert.match(
        decision.explanation!.en,
        /^Your claim is accepted: we offer a repair free of charge because the fault is covered by the warranty, which runs until 2027-01-07\./,
      )
      assert.match(decision.explanation!.en, /You pay for sending the unit in\./)
      assert.match(
        decision.explanation!.zh,
        /^您的申请已受理：由于故障在保修范围内（保修期至 2027-01-07），我们免费为您提供维修。/,
      )
      assert.match(decision.explanation!.zh, /寄回送修的运费由您承担。/)
    })

    test(`${kind} after the 30 days with no defect of the product's making is refused, naming the clause`, () => {
      const decision = library.decide(
        buildCase('player-one', {
          claimedOn: '2025-06-01',
          problem: { kind },
          evidence: ['defect-media', 'carrier-report'],
          inspection: inspectedWith({ manufacturingDefect: false }),
        }),
      )
      assert.equal(decision.covered, false)
      assert.deepEqual(decision.exclusions, [
        { code: 'not-manufacturing-defect', clause: 'player-one#other-circumstances' },
      ])
      assert.deepEqual(decision.remedies, ['paid-repair'])
      assert.match(
        decision.explanation!.en,
        /^This claim is not covered free of charge: our inspection found that the fault does not come from design, production or quality\. We can offer a repair at your cost\./,
      )
      assert.match(
        decision.explanation!.zh,
        /^此申请不在免费服务范围内：检测认定故障并非由产品设计、生产或质量问题造成。我们可以为您提供付费维修。/,
      )
    })

    test(`${kind} within the 30 days is still replaced whatever its manufacturing`, () => {
      const decision = library.decide(
        buildCase('player-one', {
          claimedOn: '2025-01-20',
          problem: { kind },
          evidence: ['defect-media', 'carrier-report'],
          inspection: inspectedWith({ manufacturingDefect: false }),
        }),
      )
      assert.equal(decision.covered, true)
      assert.deepEqual(decision.remedies, ['replace'])
      assert.deepEqual(decision.exclusions, [])
      assert.equal(lineOf(decision, 'player-one#other-circumstances').outcome, 'not-met')
    })
  }
})

describe('a refund names no payer for parts or labour it never incurs', () => {
  test("the retailer's DOA refund: only the parcel in is the shop's", () => {
    // "we will arrange a replacement or a refund according to your preferences."
    assertQuotes(
      'retailer#replacement-freight',
      'we will arrange a replacement or a refund according to your preferences.',
    )
    const refund = library.decide(buildCase('retailer', { claimedOn: '2025-01-10', preference: 'refund' }))
    assert.equal(refund.remedies[0], 'refund')
    assert.deepEqual(refund.payers, {
      parts: null,
      labour: null,
      'inbound-shipping': 'vendor',
      'return-shipping': null,
      'missing-items': 'customer',
      duties: 'customer',
    })
    assert.equal(lineOf(refund, 'retailer#replacement-freight').outcome, 'not-met')
    assert.match(refund.explanation!.en, /The seller pays for sending the unit in\./)
    assert.doesNotMatch(refund.explanation!.en, /parts|labour/)
    assert.match(refund.explanation!.zh, /寄回送修的运费由销售方承担。/)
    assert.doesNotMatch(refund.explanation!.zh, /人工/)
    // A replacement still has its parts and labour paid by the shop.
    const replace = library.decide(buildCase('retailer', { claimedOn: '2025-01-10', preference: 'replace' }))
    assert.equal(replace.payers.parts, 'vendor')
    assert.equal(replace.payers.labour, 'vendor')
    assert.match(
      replace.explanation!.en,
      /The seller pays for parts, labour, sending the unit in and sending it back to you\./,
    )
    assert.match(replace.explanation!.zh, /配件、人工、寄回送修的运费和寄还给您的运费由销售方承担。/)
  })

  test("ToupTek's transport refund: the pickup is the shipper's, nothing else", () => {
    // "ToupTek will provide on-site pickup services and,as appropriate,provide after-saless replacement"
    assertQuotes('touptek#doa-payers', 'ToupTek will provide on-site pickup services')
    assertQuotes('touptek#doa-replacement-freight', 'and,as appropriate,provide after-saless replacement')
    const refund = library.decide(
      buildCase('touptek', {
        claimedOn: '2025-01-10',
        preference: 'refund',
        purchase: { shippedBy: 'dealer', channel: 'dealer' },
        problem: { kind: 'arrived-damaged', packagingDamaged: true },
        evidence: ['package-photos', 'delivery-receipt'],
      }),
    )
    assert.equal(refund.basis, 'transport-damage')
    assert.equal(refund.remedies[0], 'refund')
    assert.equal(refund.payers.parts, null)
    assert.equal(refund.payers.labour, null)
    assert.equal(refund.payers['inbound-shipping'], 'dealer')
    assert.equal(refund.payers['return-shipping'], null)
    assert.equal(lineOf(refund, 'touptek#free-warranty-payers').outcome, 'not-met')
    assert.match(refund.explanation!.en, /The dealer pays for sending the unit in\./)
    assert.doesNotMatch(refund.explanation!.en, /parts|labour/)
    assert.match(refund.explanation!.zh, /寄回送修的运费由经销商承担。/)
    assert.doesNotMatch(refund.explanation!.zh, /人工/)
  })
})

describe('IST: a claim served by a signed extension is on the extended warranty', () => {
  // "please negotiate with Anshitong Technology or an authorized distributor when purchasing the
  // product to separately sign product extension and renewal services."
  test('the clauses quote the seed', () => {
    assertQuotes('ist#extension-contracts', 'separately sign product extension and renewal services.')
    assertQuotes(
      'ist#warranty-term',
      'The one-year warranty period starts from the date when the consumer purchases the product.',
    )
  })
  const extended = (claimedOn: string) =>
    library.decide(buildCase('ist', { claimedOn, product: { warrantyTerm: 'P3Y' } }))

  test('after the year, within the extension: basis extended-warranty, said in both languages', () => {
    const decision = extended('2026-06-01')
    assert.equal(decision.covered, true)
    assert.equal(decision.basis, 'extended-warranty')
    assert.equal(decision.warranty?.ends, '2028-01-01')
    assert.match(
      decision.explanation!.en,
      /because the fault is covered by the extended warranty, which runs until 2028-01-01\./,
    )
    assert.match(decision.explanation!.zh, /由于故障在延长保修范围内（保修期至 2028-01-01）/)
    assert.deepEqual(lineOf(decision, 'ist#warranty-term').because, {
      en: 'The standard warranty ran from 2025-01-02 to 2026-01-01, and the extension signed for this product runs to 2028-01-01; you wrote on 2026-06-01, within the extension.',
      zh: '标准保修期为 2025-01-02 至 2026-01-01，本产品另行签订的延长保修期至 2028-01-01；您于 2026-06-01 联系我们，在延长保修期内。',
    })
  })

  test('within the year the standard warranty serves, extension or not', () => {
    for (const decision of [
      extended('2026-01-01'),
      library.decide(buildCase('ist', { claimedOn: '2026-01-01' })),
    ]) {
      assert.equal(decision.basis, 'warranty')
      assert.match(decision.explanation!.en, /because the fault is covered by the warranty, which runs until/)
      assert.match(decision.explanation!.zh, /由于故障在保修范围内/)
    }
  })

  test('past the extension the claim is expired, as without one past the year', () => {
    const decision = extended('2028-01-02')
    assert.equal(decision.covered, false)
    assert.ok(decision.exclusions.some((e) => e.code === 'expired' && e.clause === 'ist#warranty-exceeded'))
    assert.match(decision.explanation!.en, /the warranty ended on 2028-01-01, before you contacted us/)
    assert.match(decision.explanation!.zh, /保修期已于 2028-01-01 结束/)
  })
})

describe('ToupTek: foreign matter, malware and a serial mismatch are non-warranty circumstances', () => {
  const rows = [
    {
      finding: 'foreign-matter',
      clause: 'touptek#foreign-matter',
      quote: 'Damage caused by improper operation during camera shooting or use',
      en: 'our inspection found sand, oil or debris inside',
      zh: '检测发现内部有沙、油或杂物',
    },
    {
      finding: 'malware',
      clause: 'touptek#system-stickers',
      quote: 'Product system is changed or warranty stickers are lost or changed',
      en: 'our inspection found damage by malicious software',
      zh: '检测发现病毒或恶意软件损坏',
    },
    {
      finding: 'serial-mismatch',
      clause: 'touptek#papers-mismatch',
      quote: 'With no valid product purchase invoice and warranty certificate',
      en: 'our inspection found a serial number that does not match the papers',
      zh: '检测发现序列号与凭证不符',
    },
  ] as const
  for (const row of rows) {
    test(`${row.finding} in a malfunctioning unit is refused under "${row.quote}"`, () => {
      assertQuotes(row.clause, row.quote)
      // Even where inspection calls the fault itself one of manufacturing, the circumstance excludes it.
      const decision = library.decide(
        buildCase('touptek', { inspection: inspectedWith({ findings: [row.finding] }) }),
      )
      assert.equal(decision.covered, false)
      assert.deepEqual(decision.exclusions, [{ code: row.finding, clause: row.clause }])
      assert.equal(lineOf(decision, row.clause).outcome, 'applies')
      assert.deepEqual(decision.remedies, ['paid-repair'])
      assert.equal(
        decision.explanation!.en,
        `This claim is not covered free of charge: ${row.en}. We can offer a repair at your cost. You pay for parts and labour.`,
      )
      assert.equal(
        decision.explanation!.zh,
        `此申请不在免费服务范围内：${row.zh}。我们可以为您提供付费维修。配件和人工由您承担。`,
      )
    })
  }

  test('debris let in by a parcel that arrived soaked or crushed is the transport exchange, not refused', () => {
    const decision = library.decide(
      buildCase('touptek', {
        claimedOn: '2025-01-10',
        problem: { kind: 'arrived-damaged', packagingDamaged: true },
        evidence: ['package-photos', 'delivery-receipt'],
        inspection: inspectedWith({ manufacturingDefect: false, findings: ['foreign-matter'] }),
      }),
    )
    assert.equal(decision.covered, true)
    assert.equal(decision.basis, 'transport-damage')
    assert.equal(lineOf(decision, 'touptek#foreign-matter').outcome, 'not-met')
  })
})
