import type { Decision } from '../../contracts/decision.ts'
import { type Message, type MessageKey, render } from '../../shared/messages/translate.ts'

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

/** Every way a decision falls short of an expectation, as catalogue messages; empty when it satisfies it. */
export function expectationFailures(decision: Decision, expect: ExampleExpectation): Message[] {
  const failures: Message[] = []
  const fail = (key: MessageKey, label: string, params: Record<string, string> = {}): void => {
    failures.push({ key, params: { label, ...params } })
  }
  const equal = (label: string, actual: unknown, wanted: unknown): void => {
    if (wanted !== undefined && actual !== wanted) {
      fail('policies.example.expected', label, {
        wanted: JSON.stringify(wanted),
        actual: String(JSON.stringify(actual)),
      })
    }
  }
  equal('covered', decision.covered, expect.covered)
  equal('basis', decision.basis, expect.basis)
  equal('handler', decision.handler, expect.handler)
  equal('provisional', decision.provisional, expect.provisional)
  equal('warranty.ends', decision.warranty?.ends ?? null, expect.warrantyEnds)
  if (expect.basisIn !== undefined && !expect.basisIn.includes(decision.basis)) {
    fail('policies.example.one-of', 'basis', { wanted: expect.basisIn.join(', '), actual: decision.basis })
  }
  if (expect.basisNot !== undefined && decision.basis === expect.basisNot) {
    fail('policies.example.must-not-be', 'basis', { wanted: expect.basisNot })
  }
  const remedies: readonly string[] = decision.remedies
  equal('remedies.first', remedies[0], expect.remedies?.first)
  for (const remedy of expect.remedies?.includes ?? []) {
    if (!remedies.includes(remedy))
      fail('policies.example.to-include', 'remedies', { wanted: remedy, actual: remedies.join(', ') })
  }
  for (const remedy of expect.remedies?.excludes ?? []) {
    if (remedies.includes(remedy)) fail('policies.example.not-to-include', 'remedies', { wanted: remedy })
  }
  const codes = decision.exclusions.map((exclusion) => exclusion.code)
  for (const code of expect.exclusions?.includes ?? []) {
    if (!codes.includes(code))
      fail('policies.example.to-include', 'exclusions', { wanted: code, actual: codes.join(', ') })
  }
  for (const [cost, payer] of Object.entries(expect.payers ?? {})) {
    equal(`payers.${cost}`, (decision.payers as Record<string, string | null>)[cost], payer)
  }
  for (const item of expect.missingEvidence?.includes ?? []) {
    if (!decision.missingEvidence.includes(item))
      fail('policies.example.to-include-plain', 'missingEvidence', { wanted: item })
  }
  if (decision.trace.length === 0) fail('policies.example.no-trace', 'trace')
  for (const line of decision.trace) {
    if (!CLAUSE_ID.test(line.clause))
      fail('policies.example.not-clause-id', 'trace', { wanted: line.clause, pattern: 'POLICY#KEY' })
  }
  return failures
}

/** Every way a decision falls short of an expectation, in English; empty when it satisfies it. */
export const findExpectationFailures = (decision: Decision, expect: ExampleExpectation): string[] =>
  expectationFailures(decision, expect).map((failure) => render('en', failure))
