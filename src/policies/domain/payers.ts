import type { CostKind, Handler, Party, Payers } from '../../contracts/decision.ts'
import { COSTS } from '../../contracts/vocabulary.ts'
import type { CaseFacts, Verdict } from './case-facts.ts'
import { compileCondition, type Predicate } from './conditions.ts'
import type { Clause, PAYER_REFS } from './policy-format.ts'

type PayersClause = Extract<Clause, { kind: 'payers' }>
type PayerRef = (typeof PAYER_REFS)[number] | null

export interface CompiledPayers {
  index: number
  when: Predicate
  /** Writes this clause's payers over what earlier clauses set. */
  apply(payers: Payers, handler: Handler): void
}

export function compilePayers(clause: PayersClause, index: number): CompiledPayers {
  const entries = COSTS.flatMap((cost): [CostKind, PayerRef][] =>
    cost in clause.payers ? [[cost, clause.payers[cost] ?? null]] : [],
  )
  return {
    index,
    when: compileCondition(clause.when),
    apply(payers, handler) {
      for (const [cost, ref] of entries) {
        payers[cost] = ref === 'handler' ? (handler as Party) : ref
      }
    },
  }
}

/** Payers start unknown: null where the policy says nothing. */
export const emptyPayers = (): Payers => ({
  parts: null,
  labour: null,
  'inbound-shipping': null,
  'return-shipping': null,
  'missing-items': null,
  duties: null,
})

export type { CaseFacts, Verdict }
