import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import {
  BRANDS,
  CHANNELS,
  caseSchema,
  EVIDENCE_KINDS,
  FINDINGS,
  PART_KINDS,
  PREFERENCES,
  PROBLEM_KINDS,
  SHIPPERS,
} from '../contracts/case.ts'
import type { Decision } from '../contracts/decision.ts'
import { formatDay, parseDay } from '../shared/day-numbers.ts'
import { createDecisionLineWriter } from './decision-lines.ts'
import { checkCase } from './domain/check-case.ts'
import { compilePolicy } from './domain/compile-policy.ts'
import { loadPolicyLibrary } from './load-policies.ts'

const library = loadPolicyLibrary()
const POLICY_IDS = ['touptek', 'retailer', 'shenzhen-service', 'ist', 'player-one'] as const

const day = (from: string, span: number) =>
  fc.integer({ min: 0, max: span }).map((n) => formatDay(parseDay(from) + n))
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined })

/** Raw case input as it arrives on a JSONL line: optional facts absent or given, defaults not applied. */
const aRawCase = fc
  .record({
    policy: fc.constantFrom(...POLICY_IDS),
    claimedOn: day('2021-06-01', 3000),
    product: fc.record(
      {
        part: fc.constantFrom(...PART_KINDS),
        category: fc.constantFrom('camera', 'astro-box', 'filter-wheel', 'mount'),
        serial: fc.constantFrom('', 'PO-1234'),
        model: fc.constant('Uranus-C'),
        warrantyTerm: fc.constantFrom('P3Y', 'P18M', 'P30D', 'P1Y6M'),
      },
      { requiredKeys: ['part'] },
    ),
    purchase: fc.record(
      {
        channel: fc.constantFrom(...CHANNELS),
        brand: fc.constantFrom(...BRANDS),
        shippedBy: fc.constantFrom(...SHIPPERS),
        purchasedOn: day('2021-06-01', 1500),
        shippedOn: day('2021-06-01', 1500),
        deliveredOn: day('2021-06-01', 1500),
        activatedOn: day('2021-06-01', 1500),
        proofOfPurchase: fc.boolean(),
        warrantyCard: fc.boolean(),
        secondHand: fc.boolean(),
      },
      { requiredKeys: ['channel'] },
    ),
    problem: fc.record(
      {
        kind: fc.constantFrom(...PROBLEM_KINDS),
        packagingDamaged: fc.boolean(),
        urgentFreight: fc.boolean(),
        description: fc.string(),
      },
      { requiredKeys: ['kind'] },
    ),
    preference: fc.constantFrom(...PREFERENCES),
    evidence: fc.uniqueArray(fc.constantFrom(...EVIDENCE_KINDS), { maxLength: 4 }),
    inspection: fc.record(
      {
        faultConfirmed: fc.boolean(),
        manufacturingDefect: fc.boolean(),
        findings: fc.uniqueArray(fc.constantFrom(...FINDINGS), { maxLength: 3 }),
        missingItems: fc.array(fc.constantFrom('cable', 'box'), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    ),
  })
  .chain((required) =>
    fc
      .record({
        preference: maybe(fc.constant(0)),
        evidence: maybe(fc.constant(0)),
        inspection: maybe(fc.constant(0)),
      })
      .map((keep) => {
        const raw: Record<string, unknown> = { ...required }
        for (const key of ['preference', 'evidence', 'inspection'] as const)
          if (keep[key] === undefined) delete raw[key]
        return raw
      }),
  )

/** Decisions' lines as one batch writer writes them, one after the other. */
function linesOf(decisions: readonly Decision[]): string {
  const chunks: Buffer[] = []
  const writer = createDecisionLineWriter((chunk) => chunks.push(Buffer.from(chunk)))
  for (const decision of decisions) writer.write(decision)
  writer.end()
  return Buffer.concat(chunks).toString('utf8')
}

/** The same lines as `JSON.stringify` gives them. */
const jsonLinesOf = (decisions: readonly Decision[]): string =>
  decisions.map((decision) => `${JSON.stringify(decision)}\n`).join('')

/** A decision's line as the batch writer writes it. */
const lineOf = (decision: Decision): string => linesOf([decision])

describe('fast paths agree with their references', () => {
  test('a decision is written as exactly the text JSON.stringify gives', () => {
    fc.assert(
      fc.property(aRawCase, (raw) => {
        const decision = library.decide(caseSchema.parse(raw))
        assert.equal(lineOf(decision), `${JSON.stringify(decision)}\n`)
      }),
      { numRuns: 2000 },
    )
  })

  test('the batch writer writes exactly the JSON lines of the decisions, in small and large chunks', () => {
    // A second version of a policy keeps its clause ids but words one clause differently:
    // the writer must not reuse the first version's words for it.
    const touptek = library.policy('touptek')!.compiled.document
    const reworded = compilePolicy({
      ...touptek,
      version: `${touptek.version}-reworded`,
      clauses: touptek.clauses.map((clause) => ({ ...clause, text: `${clause.text} (reworded)` })),
    })
    fc.assert(
      fc.property(fc.array(aRawCase, { minLength: 1, maxLength: 30 }), (raws) => {
        const decisions = raws.flatMap((raw) => {
          const input = caseSchema.parse(raw)
          const decision = library.decide(input)
          return input.policy === 'touptek' ? [decision, reworded.decide(input)] : [decision]
        })
        assert.equal(linesOf(decisions), jsonLinesOf(decisions))
      }),
      { numRuns: 300 },
    )
  })

  test('the batch writer escapes reasons and explanations exactly as JSON.stringify does', () => {
    // The engine's own words never need escaping; a policy's or a case's might.
    const base = library.decide(caseSchema.parse(fc.sample(aRawCase, { numRuns: 1, seed: 7 })[0]))
    const awkward = fc.string({
      unit: fc.constantFrom('a', '中', '"', '\\', '\n', '\u0001', '\ud83d', '\ude00', '😀', '\u2028'),
    })
    fc.assert(
      fc.property(awkward, awkward, awkward, (en, zh, because) => {
        const trace = base.trace.map((line) =>
          line.applies ? { ...line, because: { en: because, zh: `${zh}${because}` } } : line,
        )
        const decision = { ...base, trace, explanation: { en, zh } }
        assert.equal(lineOf(decision), `${JSON.stringify(decision)}\n`)
      }),
      { numRuns: 500 },
    )
  })

  test('shared runs of trace lines are copied whole only where the very same lines recur', () => {
    // Two traces alike at both ends of a run of shared lines but not inside it: the
    // writer, which keeps each run's bytes found by its ends, must tell them apart.
    const decisions = fc
      .sample(aRawCase, { numRuns: 400, seed: 11 })
      .map((raw) => library.decide(caseSchema.parse(raw)))
    const patched = decisions.find(
      (d) =>
        !Object.isFrozen(d.trace) &&
        d.trace.length > 6 &&
        d.trace.slice(1, 5).every((l) => Object.isFrozen(l)),
    )
    assert.ok(patched, 'a decision with a run of shared lines among its own')
    const inner = patched.trace[2]!
    const other = Object.freeze({ ...inner, text: `${inner.text} (another clause's words)` })
    const altered = { ...patched, trace: patched.trace.map((line) => (line === inner ? other : line)) }
    // Frozen words, as the engine shares them, are copied as ready-made bytes; any text must still come out as JSON has it.
    const awkward = {
      ...patched,
      explanation: Object.freeze({ en: 'a "quoted"\\ word\n', zh: '中文\u2028' }),
    }
    const sequence = [patched, altered, patched, altered, awkward, awkward]
    assert.equal(linesOf(sequence), jsonLinesOf(sequence))
  })

  test('decisions share frozen parts, so a caller cannot change another decision through them', () => {
    const decision = library.decide(caseSchema.parse(fc.sample(aRawCase, { numRuns: 1, seed: 1 })[0]))
    const shared = decision.trace.find((line) => line.outcome === 'not-met')!
    assert.ok(
      Object.isFrozen(shared) && Object.isFrozen(decision.payers) && Object.isFrozen(decision.remedies),
    )
    assert.throws(() => {
      shared.applies = true
    }, TypeError)
  })

  test('the quick case check accepts valid cases and returns what the schema returns', () => {
    fc.assert(
      fc.property(aRawCase, (raw) => {
        assert.deepEqual(checkCase(raw), caseSchema.parse(raw))
      }),
      { numRuns: 2000 },
    )
  })
})
