import type { Exclusion } from '../../contracts/decision.ts'
import { FINDINGS } from '../../contracts/vocabulary.ts'
import { type CaseFacts, FINDING_BIT, maskOf, type Verdict } from './case-facts.ts'
import { compileCondition } from './conditions.ts'
import type { Clause, ExclusionFact } from './policy-format.ts'
import { REMEDY_BIT } from './remedies.ts'

type ExclusionClause = Extract<Clause, { kind: 'exclusion' }>

export interface CompiledExclusion {
  index: number
  fact: ExclusionFact | undefined
  /** Remedies it rules out, as bits; 0 when it rules out all free service. */
  blocks: number
  /** The findings it is raised by, as bits; 0 for a fact. */
  mask: number
  /** Raised only by findings that caused the fault (the clause is `causal`). */
  causal: boolean
  /** Whether this clause raises at least one exclusion for the case. */
  raises(facts: CaseFacts, verdict: Verdict): boolean
  /**
   * The findings, as bits, a causal clause would have raised had they caused the fault and
   * that inspection set aside as not its cause; 0 for any other clause.
   */
  setAside(facts: CaseFacts, verdict: Verdict): number
  /** Appends the exclusions it raises (shared, frozen objects); call only when it `raises`. */
  collect(facts: CaseFacts, into: Exclusion[]): void
}

type FactTest = (f: CaseFacts) => boolean

/**
 * `expired`, `not-served` and `inconsistent-dates` are decided by the engine itself (they
 * depend on the windows and on every other clause), so their tests are never used here.
 */
const FACT_TESTS: Record<ExclusionFact, FactTest> = {
  expired: () => false,
  'not-served': () => false,
  'inconsistent-dates': () => false,
  'no-proof-of-purchase': (f) => !f.proofOfPurchase,
  'no-warranty-card': (f) => !f.warrantyCard,
  'second-hand': (f) => f.secondHand,
  'no-fault-found': (f) => f.inspected && !f.faultConfirmed,
  'not-manufacturing-defect': (f) => f.inspected && f.faultConfirmed && !f.manufacturingDefect,
  'incomplete-return': (f) => f.missingItems > 0,
}

export function compileExclusion(
  clause: ExclusionClause,
  index: number,
  clauseId: string,
): CompiledExclusion {
  const when = compileCondition(clause.when)
  const blocks = clause.blocks === undefined ? 0 : maskOf(REMEDY_BIT, clause.blocks)
  const make = (code: string): Exclusion =>
    Object.freeze(
      clause.blocks === undefined
        ? { code, clause: clauseId }
        : { code, clause: clauseId, blocks: [...clause.blocks] },
    )
  if (clause.fact !== undefined) {
    const test = FACT_TESTS[clause.fact]
    const exclusion = make(clause.fact)
    return {
      index,
      fact: clause.fact,
      blocks,
      mask: 0,
      causal: false,
      raises: (f, v) => test(f) && when(f, v),
      setAside: () => 0,
      collect(_f, into) {
        into.push(exclusion)
      },
    }
  }
  const findings = clause.findings ?? []
  const mask = maskOf(FINDING_BIT, findings)
  // One exclusion per finding, in the contract's order of findings, built once.
  const raised = FINDINGS.filter((finding) => findings.includes(finding)).map((finding) => ({
    bit: FINDING_BIT[finding],
    exclusion: make(finding),
  }))
  if (clause.causal)
    return {
      index,
      fact: undefined,
      blocks,
      mask,
      causal: true,
      raises: (f, v) => (f.causes & mask) !== 0 && when(f, v),
      setAside: (f, v) => {
        const aside = f.findings & ~f.causes & mask
        return aside !== 0 && when(f, v) ? aside : 0
      },
      collect(f, into) {
        for (const { bit, exclusion } of raised) {
          if ((f.causes & bit) !== 0) into.push(exclusion)
        }
      },
    }
  return {
    index,
    fact: undefined,
    blocks,
    mask,
    causal: false,
    raises: (f, v) => (f.findings & mask) !== 0 && when(f, v),
    setAside: () => 0,
    collect(f, into) {
      for (const { bit, exclusion } of raised) {
        if ((f.findings & bit) !== 0) into.push(exclusion)
      }
    },
  }
}

/** The exclusion raised when a claim falls outside the term, or outside every window of its kind. */
export function makeExclusion(code: string, clauseId: string): Exclusion {
  return Object.freeze({ code, clause: clauseId })
}
