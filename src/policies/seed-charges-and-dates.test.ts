import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { caseSchema } from '../contracts/case.ts'
import type { Decision } from '../contracts/decision.ts'
import { aCase } from './case-arbitraries.ts'
import { checkCase } from './domain/check-case.ts'
import { loadPolicyLibrary } from './load-policies.ts'
import { buildCase, type CaseOverrides, inspectedFinding, inspectedWith } from './policy-test-support.ts'

/**
 * Seed sentences about what an excluded repair costs and which day a warranty counts from,
 * each quoted above the test that holds the engine to it, with the customer's words in both
 * languages.
 */
const library = loadPolicyLibrary()
const decide = (policy: string, given: CaseOverrides): Decision => library.decide(buildCase(policy, given))

describe('Shenzhen service: what an excluded repair within the warranty costs', () => {
  // "Maintenance charge: (1) For the first and second years beyond the warranty period, the
  // cost of components and parts will be charged, free of labor costs. (2) If the warranty
  // period is three years or more, the cost of components and maintenance labor will be charged."
  test('an excluded repair within the year is charged the parts only, as one a year later is', () => {
    // The unit was delivered on 2025-01-08, so its year runs to 2026-01-07.
    const within = decide('shenzhen-service', { inspection: inspectedFinding('physical-damage') })
    const beyond = decide('shenzhen-service', {
      claimedOn: '2026-06-01',
      inspection: inspectedFinding('physical-damage'),
    })
    assert.equal(within.covered, false)
    assert.deepEqual(within.remedies, ['paid-repair'])
    assert.equal(within.payers.parts, 'customer')
    assert.equal(within.payers.labour, 'vendor')
    assert.deepEqual(
      { parts: beyond.payers.parts, labour: beyond.payers.labour },
      { parts: 'customer', labour: 'vendor' },
    )
    const line = within.trace.find((t) => t.clause === 'shenzhen-service#excluded-in-warranty')
    assert.equal(line?.outcome, 'applies')
    assert.match(within.explanation!.en, /We can offer a repair at your cost\./)
    assert.match(within.explanation!.en, /The seller pays for labour and sending it back to you\./)
    assert.match(within.explanation!.en, /You pay for parts and sending the unit in\./)
    assert.match(within.explanation!.zh, /我们可以为您提供付费维修。/)
    assert.match(within.explanation!.zh, /人工和寄还给您的运费由销售方承担。/)
    assert.match(within.explanation!.zh, /配件和寄回送修的运费由您承担。/)
  })

  test('from the third year beyond, parts and labour are both charged', () => {
    const late = decide('shenzhen-service', { claimedOn: '2028-03-01', inspection: inspectedWith() })
    assert.deepEqual(
      { parts: late.payers.parts, labour: late.payers.labour },
      { parts: 'customer', labour: 'customer' },
    )
    assert.match(late.explanation!.en, /You pay for parts, labour and sending the unit in\./)
    assert.match(late.explanation!.zh, /配件、人工和寄回送修的运费由您承担。/)
  })
})

describe('a finding refuses only the fault it caused, where the seed excludes damage caused by it', () => {
  // A failed sensor of manufacturing origin, in a unit whose housing is also scratched.
  const scratchBesideFault = inspectedWith({ findings: ['physical-damage'], faultCausedBy: [] })

  // ToupTek: "The product is damaged by external forces,resulting in problems such as surface
  // scratches,camera shell deformation,USB port breakage and so on"
  test('ToupTek repairs the fault free of charge when the scratch did not cause it', () => {
    const decision = decide('touptek', { inspection: scratchBesideFault })
    assert.equal(decision.covered, true)
    assert.equal(decision.basis, 'warranty')
    assert.deepEqual(decision.exclusions, [])
    assert.equal(decision.trace.find((t) => t.clause === 'touptek#external-force')?.outcome, 'not-met')
    assert.match(
      decision.explanation!.en,
      /^Your claim is accepted: we offer a repair free of charge because the fault is covered by the warranty, which runs until 2027-01-08\./,
    )
    assert.match(
      decision.explanation!.zh,
      /^您的申请已受理：由于故障在保修范围内（保修期至 2027-01-08），我们免费为您提供维修。/,
    )
  })

  test('ToupTek tells the customer the scratch set aside is not itself repaired free, in both languages', () => {
    const clause = loadPolicyLibrary()
      .policy('touptek')!
      .compiled.document.clauses.find((c) => c.key === 'external-force')!
    assert.ok(
      clause.text.includes(
        'The product is damaged by external forces,resulting in problems such as surface scratches',
      ),
    )
    const decision = decide('touptek', { inspection: scratchBesideFault })
    assert.match(
      decision.explanation!.en,
      / Our inspection also found damage from external force, which did not cause the fault: the repair of the fault is covered, but that damage itself is not repaired free of charge\.$/,
    )
    assert.match(
      decision.explanation!.zh,
      /检测还发现外力造成的损坏，但这并非故障的原因：故障的维修在保修范围内，该损坏本身则不予免费修复。$/,
    )
    // The clause itself says, in its line of the trace, that it was weighed and why it did not refuse.
    const line = decision.trace.find((l) => l.clause === 'touptek#external-force')!
    assert.equal(line.outcome, 'not-met')
    assert.equal(line.applies, false)
    assert.deepEqual(line.because, {
      en: 'Our inspection found damage from external force, but it did not cause the fault, so this clause does not refuse the repair of the fault.',
      zh: '检测发现外力造成的损坏，但这并非故障的原因，因此本条款不排除对故障的维修。',
    })
    // The other clauses keep their lines as shared by every decision like this one.
    assert.equal(decision.trace.find((l) => l.clause === 'touptek#liquid')!.because, undefined)
    // Nothing is set aside when inspection names no finding, or names it as the cause.
    const clean = decide('touptek', { inspection: inspectedWith({ findings: [], faultCausedBy: [] }) })
    assert.doesNotMatch(clean.explanation!.en, /also found/)
    const caused = decide('touptek', {
      inspection: inspectedWith({ findings: ['physical-damage'], faultCausedBy: ['physical-damage'] }),
    })
    assert.doesNotMatch(caused.explanation!.en, /also found/)
    assert.doesNotMatch(caused.explanation!.zh, /检测还发现/)
    const forceLine = (d: Decision) => d.trace.find((l) => l.clause === 'touptek#external-force')!
    assert.deepEqual([forceLine(clean).outcome, forceLine(clean).because], ['not-met', undefined])
    assert.equal(forceLine(caused).outcome, 'applies')
  })

  test('ToupTek still refuses a fault the external force caused, in both languages', () => {
    const decision = decide('touptek', {
      inspection: inspectedWith({ findings: ['physical-damage'], faultCausedBy: ['physical-damage'] }),
    })
    assert.equal(decision.covered, false)
    assert.deepEqual(
      decision.exclusions.map((e) => e.code),
      ['physical-damage'],
    )
    assert.match(decision.explanation!.en, /our inspection found damage from external force/)
    assert.match(decision.explanation!.zh, /检测发现外力造成的损坏/)
  })

  test('an inspection that does not say what caused the fault is read as before: every finding did', () => {
    const decision = decide('touptek', { inspection: inspectedWith({ findings: ['physical-damage'] }) })
    assert.equal(decision.covered, false)
    assert.deepEqual(
      decision.exclusions.map((e) => e.code),
      ['physical-damage'],
    )
  })

  // ToupTek: "Product system is changed or warranty stickers are lost or changed" — no "caused by":
  // a broken seal voids the free service whatever caused the fault.
  test('a broken warranty seal still refuses ToupTek service though it did not cause the fault', () => {
    const decision = decide('touptek', {
      inspection: inspectedWith({ findings: ['seal-broken'], faultCausedBy: [] }),
    })
    assert.equal(decision.covered, false)
    assert.deepEqual(
      decision.exclusions.map((e) => e.code),
      ['seal-broken'],
    )
  })

  // Retailer: "Accidental damage and damage resulting from misuse, abuse or any other cause not
  // related to the product itself are not covered by this warranty."
  // Shenzhen: "Man made damage or failure." IST 2.7: "Accidental factors or human actions cause
  // product damage". Player One: "Damage is caused by uncontrollable external factors".
  for (const policy of ['retailer', 'shenzhen-service', 'ist', 'player-one']) {
    test(`${policy} repairs a fault that the damage found beside it did not cause`, () => {
      const decision = decide(policy, { claimedOn: '2025-01-12', inspection: scratchBesideFault })
      assert.equal(decision.covered, true, JSON.stringify(decision.exclusions))
      assert.ok(!decision.exclusions.some((e) => e.code === 'physical-damage'))
      assert.match(decision.explanation!.en, /^Your claim is accepted/)
      assert.match(decision.explanation!.zh, /^您的申请已受理/)
      // A repair leaves the damage beside the fault as it was, and says so; a replacement
      // (the retailer's within its 7 days, Player One's within its 30) takes the whole unit back,
      // so there is nothing to say.
      const repaired = decision.remedies[0] === 'repair'
      assert.equal(
        /also found damage from external force, which did not cause the fault/.test(decision.explanation!.en),
        repaired,
      )
      assert.equal(
        decision.explanation!.zh.includes('检测还发现外力造成的损坏，但这并非故障的原因'),
        repaired,
      )
      assert.equal(repaired, policy !== 'retailer' && policy !== 'player-one')
    })
  }

  // IST 2.3: "Alter or delete the product barcode or serial number without authorization" and
  // 2.5: "Disassembling and repairing by non-IST Technology ... authorized service agencies".
  test('IST still refuses a unit opened by others or with its serial altered, whatever caused the fault', () => {
    for (const finding of ['serial-tampered', 'unauthorized-disassembly'] as const) {
      const decision = decide('ist', {
        inspection: inspectedWith({ findings: [finding], faultCausedBy: [] }),
      })
      assert.equal(decision.covered, false, finding)
      assert.deepEqual(
        decision.exclusions.map((e) => e.code),
        [finding],
      )
    }
  })
})

describe('the causes an inspection names are among its findings', () => {
  test('a cause not found is refused, naming the field', () => {
    const result = caseSchema.safeParse({
      ...buildCase('touptek'),
      inspection: { faultConfirmed: true, findings: ['physical-damage'], faultCausedBy: ['liquid-damage'] },
    })
    assert.equal(result.success, false)
    assert.deepEqual(result.error!.issues[0]!.path, ['inspection', 'faultCausedBy', 0])
    assert.equal(
      checkCase({
        ...buildCase('touptek'),
        inspection: { findings: ['physical-damage'], faultCausedBy: ['liquid-damage'] },
      }),
      undefined,
    )
  })

  test('causes among the findings pass both checks alike', () => {
    const raw = {
      ...buildCase('touptek'),
      inspection: { findings: ['physical-damage', 'seal-broken'], faultCausedBy: ['seal-broken'] },
    }
    assert.deepEqual(checkCase(raw), caseSchema.parse(raw))
  })
})

describe('a warranty that starts before the purchase is flagged', () => {
  // Player One: "2-year free warranty (time start from delivered) for Player One products."
  test('a delivery dated before the purchase starts the warranty early, and the decision says so', () => {
    const clause = loadPolicyLibrary()
      .policy('player-one')!
      .compiled.document.clauses.find((c) => c.key === 'warranty-term')!
    assert.ok(clause.text.includes('2-year free warranty (time start from delivered)'))
    const decision = decide('player-one', {
      claimedOn: '2025-03-01',
      purchase: { purchasedOn: '2025-01-10', shippedOn: '2025-01-03', deliveredOn: '2025-01-05' },
    })
    assert.equal(decision.covered, true)
    assert.deepEqual(decision.dateWarnings, [
      {
        code: 'warranty-starts-before-purchase',
        field: 'purchase.deliveredOn',
        startsOn: '2025-01-05',
        purchasedOn: '2025-01-10',
      },
    ])
    assert.match(
      decision.explanation!.en,
      /Please check the dates: the unit was delivered before it was bought on 2025-01-10, so the warranty counted from then starts on 2025-01-05, before the purchase\./,
    )
    assert.match(
      decision.explanation!.zh,
      /请核对日期：签收日期早于购买日期 2025-01-10，据此起算的保修期始于 2025-01-05，早于购买之日。/,
    )
  })

  test('a shipment standing in for a missing delivery before the purchase is flagged at shippedOn', () => {
    const decision = decide('shenzhen-service', {
      claimedOn: '2025-03-01',
      purchase: { purchasedOn: '2025-01-10', shippedOn: '2025-01-03', deliveredOn: undefined },
    })
    assert.deepEqual(
      decision.dateWarnings?.map((w) => [w.code, w.field, w.startsOn]),
      [['warranty-starts-before-purchase', 'purchase.shippedOn', '2025-01-03']],
    )
  })

  // ToupTek: "as for AstroStation astronomical box product,the warranty period will start from the
  // activation date." The day after the delivery stands in only without an activation.
  test('an activation the day after a delivery, both before the purchase, is flagged at the activation it was read from', () => {
    const decision = decide('touptek', {
      claimedOn: '2025-03-01',
      product: { category: 'astro-box' },
      purchase: {
        purchasedOn: '2025-01-10',
        shippedOn: '2025-01-02',
        deliveredOn: '2025-01-05',
        activatedOn: '2025-01-06',
      },
    })
    assert.deepEqual(
      decision.dateWarnings?.map((w) => [w.field, w.startsOn]),
      [['purchase.activatedOn', '2025-01-06']],
    )
    assert.match(decision.explanation!.en, /Please check the dates: the unit was activated before/)
  })

  test('dates in order carry no warning field and no sentence', () => {
    const decision = decide('player-one', { claimedOn: '2025-03-01' })
    assert.equal('dateWarnings' in decision, false)
    assert.doesNotMatch(decision.explanation!.en, /Please check the dates/)
  })

  test('over generated cases, a warning is given exactly when the warranty starts before a dated purchase', () => {
    fc.assert(
      fc.property(aCase, (input) => {
        const decision = library.decide(input)
        const purchased = input.purchase.purchasedOn
        const early =
          decision.warranty !== null && purchased !== undefined && decision.warranty.starts < purchased
        assert.equal(decision.dateWarnings !== undefined, early, JSON.stringify(decision.warranty))
        for (const warning of decision.dateWarnings ?? []) {
          assert.equal(warning.startsOn, decision.warranty!.starts)
          assert.equal(warning.purchasedOn, purchased)
          assert.ok(
            ['purchase.deliveredOn', 'purchase.shippedOn', 'purchase.activatedOn'].includes(warning.field),
            warning.field,
          )
        }
        assert.equal(decision.explanation!.en.includes('Please check the dates: the unit was'), early)
      }),
      { numRuns: 1000 },
    )
  })
})
