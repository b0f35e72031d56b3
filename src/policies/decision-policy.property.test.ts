import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import type { CostKind, Remedy } from '../contracts/decision.ts'
import { formatDay, parseDay } from '../shared/day-numbers.ts'
import { aCase, POLICY_IDS } from './case-arbitraries.ts'
import { loadPolicyLibrary } from './load-policies.ts'

/**
 * What every decision of every shipped policy keeps to, over generated cases of that policy:
 * a refusal names the clause behind it, a refund names no payer for parts or labour it never
 * incurs, and the remedies offered are ones the policy's own clauses offer.
 */
const library = loadPolicyLibrary()

/** The remedies a policy's clauses can offer: free ones (warranty, windows, offers) and paid ones. */
function remediesOf(policy: string) {
  const document = library.policy(policy)!.compiled.document
  const free = new Set<Remedy>()
  const whenRefused = new Set<Remedy>()
  for (const clause of document.clauses) {
    if (clause.kind === 'coverage' || clause.kind === 'window') for (const r of clause.remedies) free.add(r)
    if (clause.kind === 'paid-service') for (const r of clause.remedies) whenRefused.add(r)
    if (clause.kind === 'offer')
      for (const r of clause.remedies) {
        free.add(r)
        whenRefused.add(r)
      }
  }
  return { free, whenRefused, ids: new Set(document.clauses.map((c) => `${policy}#${c.key}`)) }
}

/**
 * Costs a remedy never incurs, whatever the policy: a refund pays the price back, remote help
 * mends nothing in the unit, and an upgrade fits no parts. Neither remote help nor an upgrade
 * sends the unit anywhere, so no one pays its freight either way.
 */
const NOT_INCURRED: Partial<Record<Remedy, readonly CostKind[]>> = {
  refund: ['parts', 'labour', 'return-shipping'],
  'remote-fix': ['parts', 'labour', 'inbound-shipping', 'return-shipping'],
  'software-upgrade': ['parts', 'inbound-shipping', 'return-shipping'],
}

/**
 * Who pays the work of an upgrade, as each seed reads: IST leaves the price of an upgrade to the
 * maker's terms (free or paid), ToupTek's is a download the owner installs, and the Shenzhen
 * distributor's free warranty names the software version upgrade, so its handler does it free.
 */
const UPGRADE_LABOUR: Record<string, 'handler' | null> = {
  ist: null,
  touptek: null,
  'shenzhen-service': 'handler',
}

/**
 * Policies whose seed leaves the price of an upgrade to its maker: IST upgrades free software
 * free of charge and charges for a paid one as the manufacturer prices it, so its explanation
 * may not call every upgrade free.
 */
const UPGRADE_PRICED_BY_MAKER: ReadonlySet<string> = new Set(['ist'])

/** The remedies without parts or labour each policy offers first, so the property above is tried on them. */
const REACHED: Record<string, readonly Remedy[]> = {
  ist: ['remote-fix', 'software-upgrade'],
  touptek: ['software-upgrade'],
  'shenzhen-service': ['software-upgrade'],
}

describe('every decision keeps to its policy', () => {
  for (const policy of POLICY_IDS) {
    const allowed = remediesOf(policy)
    const cases = aCase.map((input) => ({ ...input, policy }))
    // Refunds are offered in the first days only, for the main unit bought with an invoice
    // (ToupTek's for packaging that arrived soaked or crushed): claims asking for one, soon
    // after delivery, half of them of damage on arrival.
    // Claims in the first year, half of them before inspection: where upgrades and remote help are offered.
    const soonCases = fc.tuple(cases, fc.nat(330), fc.boolean()).map(([input, days, inspected]) => {
      const { inspection, ...rest } = input
      return {
        ...rest,
        claimedOn: formatDay(parseDay(input.purchase.deliveredOn!) + days),
        ...(inspected && inspection ? { inspection } : {}),
      }
    })
    const refundCases = fc
      .tuple(cases, fc.oneof(fc.nat(3), fc.nat(35)), fc.boolean())
      .map(([input, days, arrivedDamaged]) => ({
        ...input,
        preference: 'refund' as const,
        claimedOn: formatDay(parseDay(input.purchase.deliveredOn!) + days),
        product: { ...input.product, part: 'host' as const },
        purchase: { ...input.purchase, proofOfPurchase: true },
        problem: arrivedDamaged
          ? { ...input.problem, kind: 'arrived-damaged' as const, packagingDamaged: true }
          : input.problem,
      }))

    test(`${policy}: a refusal names a clause of the policy, said in the trace and in both languages`, () => {
      fc.assert(
        fc.property(cases, (input) => {
          const decision = library.decide(input)
          if (decision.covered) return
          assert.ok(decision.exclusions.length > 0, `a refusal without a clause: ${JSON.stringify(input)}`)
          for (const exclusion of decision.exclusions) {
            assert.ok(allowed.ids.has(exclusion.clause), `${exclusion.clause} is not a clause of ${policy}`)
            const line = decision.trace.find((t) => t.clause === exclusion.clause)
            assert.ok(line !== undefined && line.outcome !== 'not-met', `${exclusion.clause} not weighed`)
          }
          assert.ok(decision.explanation!.en.length > 0 && decision.explanation!.zh.length > 0)
        }),
        { numRuns: 1500 },
      )
    })

    test(`${policy}: a refund names no payer for parts, labour or sending a unit back`, () => {
      let refunds = 0
      fc.assert(
        fc.property(refundCases, (input) => {
          const decision = library.decide(input)
          if (decision.remedies[0] !== 'refund') return
          refunds++
          const { parts, labour } = decision.payers
          const back = decision.payers['return-shipping']
          assert.deepEqual(
            { parts, labour, back },
            { parts: null, labour: null, back: null },
            JSON.stringify(input),
          )
          assert.doesNotMatch(decision.explanation!.en, /\b(parts|labour)\b/)
          assert.doesNotMatch(decision.explanation!.zh, /人工/)
        }),
        { numRuns: 1500 },
      )
      // Only the retailer and ToupTek's transport exchange refund; the others must never.
      if (policy === 'retailer' || policy === 'touptek') assert.ok(refunds > 10, `only ${refunds} refunds`)
      else assert.equal(refunds, 0)
    })

    test(`${policy}: a decision that offers nothing names no payer for parts or labour`, () => {
      fc.assert(
        fc.property(cases, (input) => {
          const decision = library.decide(input)
          if (decision.remedies.length > 0) return
          const { parts, labour } = decision.payers
          assert.deepEqual({ parts, labour }, { parts: null, labour: null }, JSON.stringify(input))
        }),
        { numRuns: 1500 },
      )
    })

    test(`${policy}: a remedy with no parts or labour names no payer for them`, () => {
      const seen = new Map<Remedy, number>()
      fc.assert(
        fc.property(soonCases, (input) => {
          const decision = library.decide(input)
          const first = decision.remedies[0]
          if (first === undefined) return
          seen.set(first, (seen.get(first) ?? 0) + 1)
          const { parts, labour } = decision.payers
          const never: CostKind[] = [...(NOT_INCURRED[first] ?? [])]
          if (first === 'software-upgrade' && UPGRADE_LABOUR[policy] === null) never.push('labour')
          for (const cost of never)
            assert.equal(decision.payers[cost], null, `${cost} of ${first}: ${JSON.stringify(input)}`)
          if (first === 'software-upgrade' && UPGRADE_LABOUR[policy] === 'handler' && decision.covered)
            assert.equal(labour, decision.handler, JSON.stringify(input))
          if (first === 'software-upgrade' && decision.covered && UPGRADE_PRICED_BY_MAKER.has(policy)) {
            const { en, zh } = decision.explanation!
            assert.doesNotMatch(en, /we offer [^.]*free of charge/, JSON.stringify(input))
            assert.match(en, /manufacturer/, JSON.stringify(input))
            assert.doesNotMatch(zh, /我们免费为您提供/, JSON.stringify(input))
            assert.match(zh, /厂商/, JSON.stringify(input))
          }
          if (never.includes('parts') && never.includes('labour')) {
            assert.equal(parts ?? labour, null)
            assert.doesNotMatch(decision.explanation!.en, /\b(parts|labour)\b/)
            assert.doesNotMatch(decision.explanation!.zh, /人工/)
          }
        }),
        { numRuns: 1500 },
      )
      for (const remedy of REACHED[policy] ?? [])
        assert.ok(
          (seen.get(remedy) ?? 0) > 10,
          `${policy}: ${remedy} first only ${seen.get(remedy) ?? 0} times`,
        )
    })

    test(`${policy}: the remedies offered are the policy's own, free ones only when covered`, () => {
      fc.assert(
        fc.property(cases, (input) => {
          const decision = library.decide(input)
          const pool = decision.covered ? allowed.free : allowed.whenRefused
          for (const remedy of decision.remedies)
            assert.ok(pool.has(remedy), `${remedy} offered (covered: ${decision.covered}) by ${policy}`)
          assert.equal(new Set(decision.remedies).size, decision.remedies.length, 'a remedy offered twice')
          for (const exclusion of decision.exclusions)
            for (const blocked of exclusion.blocks ?? [])
              assert.ok(!decision.remedies.includes(blocked as Remedy), `${blocked} offered though blocked`)
          if (decision.covered) assert.ok(decision.remedies.length > 0 && decision.basis !== 'none')
          else assert.equal(decision.basis, 'none')
        }),
        { numRuns: 1500 },
      )
    })
  }
})
