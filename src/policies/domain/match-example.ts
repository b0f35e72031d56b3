import type { Decision } from '../../contracts/decision.ts'

/**
 * The `expect` block of a worked example (`shared/contracts/examples/*.json` and a policy
 * file's `examples`), as ADJUDICATION.md defines it: only the facts that matter.
 */
export interface ExampleExpectation {
  covered?: boolean
  basis?: string
  basisIn?: string[]
  basisNot?: string
  handler?: string
  provisional?: boolean
  warrantyEnds?: string
  remedies?: { first?: string; includes?: string[]; excludes?: string[] }
  exclusions?: { includes?: string[] }
  payers?: Record<string, string | null>
  missingEvidence?: { includes?: string[] }
}

const CLAUSE_ID = /^[a-z0-9-]+#.+$/

/** Every way a decision falls short of an expectation; empty when it satisfies it. */
export function findExpectationFailures(decision: Decision, expect: ExampleExpectation): string[] {
  const failures: string[] = []
  const equal = (label: string, actual: unknown, wanted: unknown): void => {
    if (wanted !== undefined && actual !== wanted) {
      failures.push(`${label}: expected ${JSON.stringify(wanted)}, got ${JSON.stringify(actual)}`)
    }
  }
  equal('covered', decision.covered, expect.covered)
  equal('basis', decision.basis, expect.basis)
  equal('handler', decision.handler, expect.handler)
  equal('provisional', decision.provisional, expect.provisional)
  equal('warranty.ends', decision.warranty?.ends ?? null, expect.warrantyEnds)
  if (expect.basisIn !== undefined && !expect.basisIn.includes(decision.basis)) {
    failures.push(`basis: expected one of ${expect.basisIn.join(', ')}, got ${decision.basis}`)
  }
  if (expect.basisNot !== undefined && decision.basis === expect.basisNot) {
    failures.push(`basis: must not be ${expect.basisNot}`)
  }
  const remedies: readonly string[] = decision.remedies
  equal('remedies.first', remedies[0], expect.remedies?.first)
  for (const remedy of expect.remedies?.includes ?? []) {
    if (!remedies.includes(remedy))
      failures.push(`remedies: expected to include ${remedy}, got [${remedies.join(', ')}]`)
  }
  for (const remedy of expect.remedies?.excludes ?? []) {
    if (remedies.includes(remedy)) failures.push(`remedies: expected not to include ${remedy}`)
  }
  const codes = decision.exclusions.map((exclusion) => exclusion.code)
  for (const code of expect.exclusions?.includes ?? []) {
    if (!codes.includes(code))
      failures.push(`exclusions: expected to include ${code}, got [${codes.join(', ')}]`)
  }
  for (const [cost, payer] of Object.entries(expect.payers ?? {})) {
    equal(`payers.${cost}`, (decision.payers as Record<string, string | null>)[cost], payer)
  }
  for (const item of expect.missingEvidence?.includes ?? []) {
    if (!decision.missingEvidence.includes(item))
      failures.push(`missingEvidence: expected to include ${item}`)
  }
  if (decision.trace.length === 0) failures.push('trace: must not be empty')
  for (const line of decision.trace) {
    if (!CLAUSE_ID.test(line.clause)) failures.push(`trace: ${line.clause} is not a clause id POLICY#KEY`)
  }
  return failures
}
