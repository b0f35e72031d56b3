import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Decision } from '../contracts/decision.ts'
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
